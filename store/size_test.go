// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// writeTestEvents writes n events with testHeader to path.
func writeTestEvents(tb testing.TB, path string, n int) {
	tb.Helper()
	h := testHeader()
	x, w, ids := testRows(h, n, 3)
	ew, err := CreateEvents(path, h)
	if err != nil {
		tb.Fatal(err)
	}
	if err := ew.WriteBatch(x, w, ids); err != nil {
		tb.Fatal(err)
	}
	if err := ew.Close(); err != nil {
		tb.Fatal(err)
	}
}

// setRows patches the first dimension of the dataspace of dataset name in
// the file at path to rows, as a damaged or hostile header would claim.
func setRows(t *testing.T, path, name string, rows uint64) {
	t.Helper()
	r, err := openH5(path)
	if err != nil {
		t.Fatal(err)
	}
	addr := r.ds[name].Address()
	r.close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = rewriteDataspace(f, addr, func(msg []byte) error {
		if msg[0] != 1 || msg[1] == 0 {
			return fmt.Errorf("dataspace % x", msg)
		}
		binary.LittleEndian.PutUint64(msg[8:], rows)
		if msg[2]&1 != 0 { // maximum dimensions follow
			binary.LittleEndian.PutUint64(msg[8+8*int(msg[1]):], rows)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// cheap runs fn and checks that it returns an error containing each of
// msgs, on one line, in under a second and with under 100 MB allocated.
func cheap(t *testing.T, what string, fn func() error, msgs ...string) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	err := fn()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	if err == nil {
		t.Fatalf("%s: no error", what)
	}
	for _, m := range msgs {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("%s: error %q does not contain %q", what, err, m)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("%s: error spans lines: %q", what, err)
	}
	if took > time.Second || alloc > 100<<20 {
		t.Errorf("%s: %v and %d MB allocated", what, took, alloc>>20)
	}
	t.Logf("%s: %v (%v, %d kB allocated)", what, err, took, alloc>>10)
}

// TestDeclaredRowsBeyondFile patches datasets of an events file to claim
// 10⁹ rows: every claim is refused from the file size, before any read.
func TestDeclaredRowsBeyondFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.h5")
	writeTestEvents(t, good, 5000)
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	fileSize := fmt.Sprint(len(raw))
	for _, c := range []struct {
		datasets []string
		open     func(string) error
		msgs     []string
	}{
		{[]string{"samples/weights"}, openEventsErr, []string{"samples/weights: shape [1000000000 7] of 8-byte values needs 56000000000 bytes", "the file has " + fileSize + " bytes"}},
		{[]string{"samples/observations", "samples/weights", "samples/sampling_benchmarks"}, openEventsErr, []string{"samples/observations: shape [1000000000 3] of 8-byte values needs 24000000000 bytes"}},
		{[]string{"benchmarks/names"}, func(p string) error { _, err := ReadSetup(p); return err }, []string{"benchmarks/names: shape [1000000000] of 256-byte values needs 256000000000 bytes"}},
		{[]string{"benchmarks/values"}, func(p string) error { _, err := ReadSetup(p); return err }, []string{"benchmarks/values: shape [1000000000 2]"}},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(c.datasets[0], "/", "_")+fmt.Sprint(len(c.datasets))+".h5")
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, d := range c.datasets {
			setRows(t, path, d, 1e9)
		}
		cheap(t, path, func() error { return c.open(path) }, append(c.msgs, path)...)
	}
}

func openEventsErr(path string) error {
	f, err := OpenEvents(path)
	if err == nil {
		f.Close()
	}
	return err
}

// TestChunkedClaims builds, with h5py, the events files a user might
// bring: samples/observations chunked with 2·10⁹ rows of which one chunk
// is written, beside 5000 weights; and all three sample datasets chunked
// like that. Both are refused at once, naming the datasets.
func TestChunkedClaims(t *testing.T) {
	py := pythonH5py()
	if py == "" {
		t.Skip("python3 with h5py not available")
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.h5")
	writeTestEvents(t, good, 5000)
	script := `import sys, shutil, h5py, numpy as np
src, dst, which = sys.argv[1:4]
shutil.copy(src, dst)
with h5py.File(dst, "r+") as f:
    for name in which.split(","):
        d = f[name]
        shape = (2000000000,) + d.shape[1:]
        chunks = (1000,) + d.shape[1:]
        dt = d.dtype
        del f[name]
        n = f.create_dataset(name, shape=shape, chunks=chunks, dtype=dt)
        n[0:1000] = np.ones(chunks, dtype=dt)
`
	for _, c := range []struct {
		which string
		msgs  []string
	}{
		{"samples/observations", []string{"the sample datasets disagree on the number of events: samples/observations has 2000000000, samples/weights has 5000, samples/sampling_benchmarks has 5000 rows"}},
		{"samples/observations,samples/weights,samples/sampling_benchmarks", []string{"samples/observations: shape [2000000000 3] in chunks of [1000 3] needs 2000000 chunks, the file stores 1"}},
	} {
		path := filepath.Join(dir, fmt.Sprintf("chunked%d.h5", strings.Count(c.which, ",")))
		if out, err := exec.Command(py, "-c", script, good, path, c.which).CombinedOutput(); err != nil {
			t.Fatalf("h5py: %v\n%s", err, out)
		}
		cheap(t, path, func() error { return openEventsErr(path) }, append(c.msgs, path)...)
	}
}
