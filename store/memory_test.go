// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"path/filepath"
	"runtime"
	"testing"
)

// allocated returns the bytes allocated on the heap so far.
func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// TestMemoryBounded writes and reads 300,000 events (31 MB of values) and
// checks that the total allocation stays far below the data size.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 60 MB")
	}
	const n = 300_000
	h := benchHeader()
	path := filepath.Join(t.TempDir(), "big.h5")
	x := make([]float64, 7)
	w := make([]float64, 6)
	before := allocated()
	ew, err := CreateEvents(path, h)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		x[0], w[0] = float64(i), float64(-i)
		if err := ew.Write(x, w, i%6); err != nil {
			t.Fatal(err)
		}
	}
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
	data := uint64(n * 14 * 8)
	t.Logf("write allocated %d kB for %d kB of data", (allocated()-before)>>10, data>>10)
	if got := allocated() - before; got > data/3 {
		t.Errorf("writing %d MB of events allocated %d MB", data>>20, got>>20)
	}

	before = allocated()
	ef, err := OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	rows := 0
	err = ef.Read(0, -1, 1000, func(b *Batch) error {
		for i := 0; i < b.N; i++ {
			if b.X[7*i] != float64(b.Start+i) || b.Weights[6*i] != -float64(b.Start+i) || b.SamplingBenchmarks[i] != (b.Start+i)%6 {
				t.Fatalf("row %d differs", b.Start+i)
			}
		}
		rows += b.N
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != n {
		t.Errorf("read %d rows, want %d", rows, n)
	}
	if got := allocated() - before; got > data/5 {
		t.Errorf("reading %d MB of events in batches of 1000 allocated %d MB", data>>20, got>>20)
	}
}
