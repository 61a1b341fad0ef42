// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package analysis

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/store"
)

// combineSetup is a one-parameter setup with the benchmarks sm and bsm.
func combineSetup(bsm float64) store.Setup {
	return store.Setup{
		Parameters: []store.Parameter{{Name: "c", LHABlock: "np", LHAID: 1, MaxPower: 2, Range: [2]float64{-1, 1}}},
		Benchmarks: []store.Benchmark{{Name: "sm", Values: []float64{0}}, {Name: "bsm", Values: []float64{bsm}}},
	}
}

// writeEvents writes n events of one observable x = first+i with weights
// (w, 2w) for sm and bsm to path.
func writeEvents(t *testing.T, path string, s store.Setup, first float64, n int, w float64) {
	t.Helper()
	ew, err := store.CreateEvents(path, &store.EventsHeader{Setup: s, ObservableNames: []string{"x"}, ObservableDefinitions: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := ew.Write([]float64{first + float64(i)}, []float64{w, 2 * w}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
}

// readX returns the observable of every event of the events file.
func readX(t *testing.T, path string) []float64 {
	t.Helper()
	f, err := store.OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var x []float64
	if err := f.ReadRows(0, f.N(), func(_, _ int, xs, _ []float64) error { x = append(x, xs...); return nil }); err != nil {
		t.Fatal(err)
	}
	return x
}

// TestCombineIn: two files of 3 and 2 events combine into 5, in file
// order unshuffled, with every event passing, the cross sections the sum
// of the weights and the summary of Run; shuffled, the same events in
// another order; a file of another setup is a *store.MismatchError.
func TestCombineIn(t *testing.T) {
	dir := t.TempDir()
	s := combineSetup(1)
	a, b := filepath.Join(dir, "a.h5"), filepath.Join(dir, "b.h5")
	writeEvents(t, a, s, 0, 3, 0.5)
	writeEvents(t, b, s, 10, 2, 0.25)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	samples := []FileSample{{Name: "first", File: a}, {Name: "second", File: b}}

	res, err := CombineIn(root, "events.h5", samples, &CombineSettings{Setup: &s, SetupName: "setup.h5"})
	if err != nil {
		t.Fatal(err)
	}
	if res.File != filepath.Join(dir, "events.h5") || res.EventsRead != 5 || res.EventsWritten != 5 {
		t.Errorf("file %s, %d events read, %d written; want %s, 5, 5", res.File, res.EventsRead, res.EventsWritten, filepath.Join(dir, "events.h5"))
	}
	for i, want := range []struct {
		name string
		n    int
	}{{"first", 3}, {"second", 2}} {
		ss := res.Samples[i]
		if ss.Name != want.name || ss.Events != want.n || ss.Passed != want.n || ss.EventNorm != "file" || ss.Scale != 1 {
			t.Errorf("sample %d: %+v, want %s with %d events passed, norm file, scale 1", i, ss, want.name, want.n)
		}
	}
	if !slices.Equal(res.Benchmarks, []string{"sm", "bsm"}) {
		t.Errorf("benchmarks %v, want [sm bsm]", res.Benchmarks)
	}
	// Σ w: 3·0.5 + 2·0.25 = 2 for sm, twice that for bsm.
	for name, want := range map[string]float64{"sm": 2, "bsm": 4} {
		if got := res.XSecPB[name]; !scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12) {
			t.Errorf("σ(%s) = %v, want %v", name, got, want)
		}
	}
	if x := readX(t, res.File); !slices.Equal(x, []float64{0, 1, 2, 10, 11}) {
		t.Errorf("unshuffled events %v, want the files' in order", x)
	}

	res, err = CombineIn(root, "shuffled.h5", samples, &CombineSettings{Shuffle: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	x := readX(t, res.File)
	if slices.Equal(x, []float64{0, 1, 2, 10, 11}) {
		t.Errorf("shuffled events %v in file order", x)
	}
	slices.Sort(x)
	if !slices.Equal(x, []float64{0, 1, 2, 10, 11}) {
		t.Errorf("shuffled events %v, want those of the files", x)
	}

	other := combineSetup(0.5)
	_, err = CombineIn(root, "bad.h5", samples, &CombineSettings{Setup: &other, SetupName: "setup.h5"})
	var mm *store.MismatchError
	if !errors.As(err, &mm) {
		t.Errorf("files of another setup: %v, want a *store.MismatchError", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.h5")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed combination left bad.h5: %v", err)
	}
	if _, err := CombineIn(root, "missing.h5", []FileSample{{Name: "m", File: filepath.Join(dir, "none.h5")}}, nil); err == nil {
		t.Error("a missing file combined")
	}
}
