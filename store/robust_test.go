// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestWriteFileAtomic: the store's form of atomicfile.Write (tested
// there) passes write's error on, names the package and leaves the
// existing file.
func TestWriteFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := os.WriteFile(path, []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFileAtomic(path, func(w io.Writer) error { return boom })
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "store: ") {
		t.Errorf("error %v, want store: … boom", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("failed write changed the existing file to %q", b)
	}
}

func TestEventWriterLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	h := testHeader()
	x, w, ids := testRows(h, 10, 2)
	no, nb := len(h.ObservableNames), len(h.Benchmarks)

	// Abort after writing.
	path := filepath.Join(dir, "aborted.h5")
	ew, err := CreateEvents(path, h)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ids {
		if err := ew.Write(x[i*no:(i+1)*no], w[i*nb:(i+1)*nb], ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := ew.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := repotest.DirNames(t, dir); len(got) != 0 {
		t.Errorf("directory holds %v after Abort", got)
	}
	if err := ew.Close(); err != nil {
		t.Errorf("Close after Abort: %v", err)
	}
	if got := repotest.DirNames(t, dir); len(got) != 0 {
		t.Errorf("directory holds %v after Abort and Close", got)
	}

	// Bad rows are rejected with the event number, and nothing is written.
	ew, err = CreateEvents(path, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := ew.Write(x[:no], w[:nb], 0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		x, w []float64
		id   int
	}{
		{x[:no-1], w[:nb], 0},
		{x[:no], w[:nb-1], 0},
		{x[:no], w[:nb], nb},
		{x[:no], w[:nb], -2},
	} {
		if err := ew.Write(tc.x, tc.w, tc.id); err == nil || !strings.Contains(err.Error(), "event 1") {
			t.Errorf("bad row accepted or error without event number: %v", err)
		}
	}
	ew.Abort()

	// Close with no events fails and leaves nothing.
	ew, err = CreateEvents(path, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := ew.Close(); err == nil {
		t.Error("Close with no events succeeded")
	}
	if got := repotest.DirNames(t, dir); len(got) != 0 {
		t.Errorf("directory holds %v after failed Close", got)
	}

	// A string too long for S256 fails at Close, leaving nothing.
	h2 := testHeader()
	h2.ObservableDefinitions[0] = strings.Repeat("x", 300)
	ew, err = CreateEvents(path, h2)
	if err != nil {
		t.Fatal(err)
	}
	ew.Write(x[:no], w[:nb], 0)
	if err := ew.Close(); err == nil || !strings.Contains(err.Error(), "S256") {
		t.Errorf("Close with an over-long string: %v", err)
	}
	if got := repotest.DirNames(t, dir); len(got) != 0 {
		t.Errorf("directory holds %v after failed Close", got)
	}

	// Invalid headers and setups are rejected up front.
	bad := testHeader()
	bad.NuisanceParameters[0].BenchmarkPositive = "nope"
	if _, err := CreateEvents(path, bad); err == nil {
		t.Error("nuisance parameter with unknown benchmark accepted")
	}
	s := testHeader().Setup
	s.Benchmarks[2].Values = s.Benchmarks[2].Values[:1]
	if err := WriteSetup(path, &s); err == nil || !strings.Contains(err.Error(), "b2") {
		t.Errorf("benchmark with wrong number of values: %v", err)
	}
	if got := repotest.DirNames(t, dir); len(got) != 0 {
		t.Errorf("directory holds %v after rejected writes", got)
	}
}

// TestBadHDF5 checks that truncated, garbage and non-MadMiner files give an
// error naming the file, never a panic.
func TestBadHDF5(t *testing.T) {
	real := repotest.Shared(t, "data/madminer")
	src, err := os.ReadFile(filepath.Join(real, "zh_lhe_data_5000ev.h5"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i * 7919 >> 3)
	}
	corrupt := append([]byte(nil), src...)
	for i := 2000; i < 6000; i++ { // object headers and heaps of the first groups
		corrupt[i] ^= 0x5a
	}
	cases := map[string][]byte{
		"empty.h5":     {},
		"garbage.h5":   garbage,
		"signature.h5": src[:8],
		"corrupt.h5":   corrupt,
	}
	for _, n := range []int{100, 1000, 4000, 20000, 100000, len(src) / 2, len(src) - 1000} {
		cases["truncated_"+itoa(n)+".h5"] = src[:n]
	}
	// One of our own files, whose samples are stored last, cut inside them.
	h := testHeader()
	x, w, ids := testRows(h, 50, 4)
	ours := filepath.Join(dir, "ours.h5")
	writeEvents(t, ours, h, x, w, ids)
	b, err := os.ReadFile(ours)
	if err != nil {
		t.Fatal(err)
	}
	cases["ours_truncated.h5"] = b[:len(b)-100]
	npy := filepath.Join(dir, "array.npy")
	if err := WriteNPY(npy, []int{3}, []float64{1, 2, 3}, Float64); err != nil {
		t.Fatal(err)
	}
	for name, b := range cases {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names := append(sortedKeys(cases), "array.npy", "missing.h5")
	for _, name := range names {
		path := filepath.Join(dir, name)
		t.Run(name, func(t *testing.T) {
			_, errSetup := ReadSetup(path)
			ef, errEvents := OpenEvents(path)
			if errEvents == nil {
				// A file cut inside the samples may still open if the
				// samples end before the cut; then reading must fail or
				// the data must be complete.
				err := ef.Read(0, -1, 1000, func(*Batch) error { return nil })
				ef.Close()
				if err == nil {
					t.Errorf("%s opened and read without error", name)
				}
				errEvents = err
			}
			for _, err := range []error{errSetup, errEvents} {
				if err == nil {
					if name == "truncated_"+itoa(len(src)-1000)+".h5" || name == "corrupt.h5" {
						continue // the setup part can be intact
					}
					t.Errorf("%s: no error", name)
					continue
				}
				if !strings.Contains(err.Error(), path) || !strings.HasPrefix(err.Error(), "store: ") {
					t.Errorf("%s: error %q does not start with store: and name the file", name, err)
				}
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestReadBatching checks that Read covers every requested row exactly once,
// in order, for odd batch sizes and sub-ranges, and rejects bad ranges.
func TestReadBatching(t *testing.T) {
	h := testHeader()
	const n = 103
	x, w, ids := testRows(h, n, 3)
	ef := openWritten(t, h, x, w, ids)
	no, nb := len(h.ObservableNames), len(h.Benchmarks)
	for _, r := range [][2]int{{0, -1}, {0, n}, {5, 50}, {17, 18}, {n, n}, {40, 40}} {
		for _, batch := range []int{1, 2, 3, 7, 10, 33, 102, 103, 104, 1 << 20} {
			end := r[1]
			if end < 0 {
				end = n
			}
			seen := make([]int, n)
			next := r[0]
			maxN := 0
			err := ef.Read(r[0], r[1], batch, func(b *Batch) error {
				if b.Start != next {
					t.Fatalf("range %v batch %d: batch starts at %d, want %d", r, batch, b.Start, next)
				}
				if b.N < 1 || b.N > batch {
					t.Fatalf("range %v batch %d: batch of %d rows", r, batch, b.N)
				}
				maxN = max(maxN, b.N)
				for i := 0; i < b.N; i++ {
					row := b.Start + i
					seen[row]++
					if !equalFloats(b.X[i*no:(i+1)*no], x[row*no:(row+1)*no]) || !equalFloats(b.Weights[i*nb:(i+1)*nb], w[row*nb:(row+1)*nb]) || b.SamplingBenchmarks[i] != ids[row] {
						t.Fatalf("range %v batch %d: row %d differs", r, batch, row)
					}
				}
				next += b.N
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for row, c := range seen {
				want := 0
				if row >= r[0] && row < end {
					want = 1
				}
				if c != want {
					t.Errorf("range %v batch %d: row %d seen %d times", r, batch, row, c)
				}
			}
			if end > r[0] && maxN != min(batch, end-r[0]) {
				t.Errorf("range %v batch %d: largest batch %d", r, batch, maxN)
			}
		}
	}
	for _, r := range [][3]int{{-1, 10, 5}, {10, 5, 5}, {0, n + 1, 5}, {0, 10, 0}, {0, 10, -3}} {
		if err := ef.Read(r[0], r[1], r[2], func(*Batch) error { return nil }); err == nil {
			t.Errorf("Read(%d, %d, %d) accepted", r[0], r[1], r[2])
		}
	}
	stop := errors.New("stop")
	calls := 0
	if err := ef.Read(0, -1, 10, func(*Batch) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("callback error: got %v after %d calls", err, calls)
	}
}
