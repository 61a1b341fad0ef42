// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// readAll reads every event of path through the direct (contiguous) path or
// through the library's hyperslab reader.
func readAll(t *testing.T, ef *EventFile, batch int, direct bool) (x, w []float64, ids []int) {
	t.Helper()
	var b Batch
	for start := 0; start < ef.N(); start += batch {
		k := min(batch, ef.N()-start)
		if err := ef.readRows(&b, start, k, direct); err != nil {
			t.Fatal(err)
		}
		x = append(x, b.X...)
		w = append(w, b.Weights...)
		ids = append(ids, b.SamplingBenchmarks...)
	}
	return x, w, ids
}

// TestDirectReadMatchesLibrary reads the 30k-event ZH file once directly from
// its contiguous storage and once through scigolib/hdf5's hyperslab reader.
func TestDirectReadMatchesLibrary(t *testing.T) {
	real := repotest.Shared(t, "data/madminer")
	ef, err := OpenEvents(filepath.Join(real, "zh30k_lhe_data.h5"))
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	if !ef.obs.contig || !ef.wts.contig || ef.ids == nil || !ef.ids.contig {
		t.Fatal("zh30k_lhe_data.h5 samples are not read through the direct path")
	}
	dx, dw, did := readAll(t, ef, 4099, true)
	lx, lw, lid := readAll(t, ef, 4099, false)
	if !equalFloats(dx, lx) || !equalFloats(dw, lw) || len(did) != len(lid) {
		t.Fatal("direct and library reads differ")
	}
	for i := range did {
		if did[i] != lid[i] {
			t.Fatalf("sampling id %d: direct %d, library %d", i, did[i], lid[i])
		}
	}
	if len(dx) != 30000*7 || len(dw) != 30000*6 {
		t.Errorf("read %d observations and %d weights", len(dx), len(dw))
	}
}

// TestChunkedFallback has h5py rewrite an events file with chunked,
// compressed sample datasets; the store must read it through the library's
// hyperslab reader and get the same events. Skipped without python3 + h5py.
func TestChunkedFallback(t *testing.T) {
	py := pythonH5py()
	if py == "" {
		t.Skip("python3 with h5py not available")
	}
	real := repotest.Shared(t, "data/madminer")
	src := filepath.Join(real, "zh_lhe_data_5000ev.h5")
	dir := t.TempDir()
	for _, tc := range []struct{ name, opts string }{
		{"chunked.h5", "chunks=True"},
		{"gzip.h5", `chunks=(128, d.shape[1]) if d.ndim == 2 else (128,), compression="gzip"`},
	} {
		dst := filepath.Join(dir, tc.name)
		script := `import sys, h5py
with h5py.File(sys.argv[1], "r") as f, h5py.File(sys.argv[2], "w") as g:
    def copy(name, obj):
        if isinstance(obj, h5py.Dataset):
            d = obj
            if name.startswith("samples/"):
                g.create_dataset(name, data=d[()], ` + tc.opts + `)
            else:
                g.create_dataset(name, data=d[()])
    f.visititems(copy)`
		if out, err := exec.Command(py, "-c", script, src, dst).CombinedOutput(); err != nil {
			t.Fatalf("h5py: %v\n%s", err, out)
		}
		want, err := OpenEvents(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := OpenEvents(dst)
		if err != nil {
			want.Close()
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.obs.contig || got.wts.contig {
			t.Errorf("%s: chunked samples taken for contiguous", tc.name)
		}
		wx, ww, wid := readAll(t, want, 777, true)
		var gx, gw []float64
		var gid []int
		err = got.Read(0, -1, 777, func(b *Batch) error {
			gx = append(gx, b.X...)
			gw = append(gw, b.Weights...)
			gid = append(gid, b.SamplingBenchmarks...)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !equalFloats(gx, wx) || !equalFloats(gw, ww) || len(gid) != len(wid) {
			t.Errorf("%s: events differ from the contiguous original", tc.name)
		}
		want.Close()
		got.Close()
	}
}
