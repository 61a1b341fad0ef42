// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// TestFileCrossSectionsZH: σ at the benchmarks of the 30k ZH file, named,
// are MadMiner's (DataAnalyzer.xsecs, ../shared/reference/zh/reference.json),
// and the points follow them, as CrossSections gives them over all events.
func TestFileCrossSectionsZH(t *testing.T) {
	d := loadZH(t)
	ref := loadRef(t)
	f, err := store.OpenEvents(filepath.Join(repotest.Shared(t, ""), "data", "madminer", "zh30k_lhe_data.h5"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	thetas := ref.Xsecs.GradientThetas
	got, err := FileCrossSections(f, thetas, true)
	if err != nil {
		t.Fatal(err)
	}
	h := f.Header()
	nb := len(ref.Xsecs.BenchmarksPb)
	if len(got) != nb+len(thetas) {
		t.Fatalf("%d points, want %d benchmarks and %d points", len(got), nb, len(thetas))
	}
	for b := range nb {
		if got[b].Benchmark != h.Benchmarks[b].Name || relErr(got[b].Sigma, ref.Xsecs.BenchmarksPb[b]) > 1e-10 {
			t.Errorf("point %d: %s σ = %.17g, want %s %.17g", b, got[b].Benchmark, got[b].Sigma, h.Benchmarks[b].Name, ref.Xsecs.BenchmarksPb[b])
		}
	}
	want, err := CrossSections(d.src, zhConfig(d), partition.All, MorphingPoints(thetas))
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		g := got[nb+i]
		if g.Benchmark != "" || !slices.Equal(g.Theta, w.Theta) || relErr(g.Sigma, w.Sigma) > 1e-12 || relErr(g.Grad[0], w.Grad[0]) > 1e-10 {
			t.Errorf("θ = %v: %q σ = %v ∇σ = %v, want σ = %v ∇σ = %v", w.Theta, g.Benchmark, g.Sigma, g.Grad, w.Sigma, w.Grad)
		}
	}
	only, err := FileCrossSections(f, thetas[:1], false)
	if err != nil {
		t.Fatal(err)
	}
	if len(only) != 1 || only[0].Benchmark != "" || relErr(only[0].Sigma, want[0].Sigma) > 1e-12 {
		t.Errorf("points alone: %+v, want σ(%v) = %v only", only, thetas[0], want[0].Sigma)
	}
}

// TestFileCrossSectionsNoMorphing: an events file without a morphing
// setup has no σ(θ), not even at its benchmarks (as goldmine xsec).
func TestFileCrossSectionsNoMorphing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.h5")
	s := store.Setup{
		Parameters: []store.Parameter{{Name: "c", LHABlock: "np", LHAID: 1, MaxPower: 2, Range: [2]float64{-1, 1}}},
		Benchmarks: []store.Benchmark{{Name: "sm", Values: []float64{0}}, {Name: "bsm", Values: []float64{1}}},
	}
	w, err := store.CreateEvents(path, &store.EventsHeader{Setup: s, ObservableNames: []string{"x"}, ObservableDefinitions: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := w.Write([]float64{float64(i)}, []float64{1, 2}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := store.OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := FileCrossSections(f, nil, true); err == nil {
		t.Error("σ of an events file without morphing")
	}
}
