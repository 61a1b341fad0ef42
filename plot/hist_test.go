// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
)

func TestWeightedHist(t *testing.T) {
	edges := []float64{0, 1, 3, 3.5}
	x := []float64{-1, 0, 0.5, 1, 2.9, 3.5, 3.6, 3.2}
	w := []float64{100, 1, 2, 4, 8, 16, 200, -0.5}
	got, err := weightedHist(nil, edges, x, w)
	if err != nil {
		t.Fatal(err)
	}
	// Bins are [0,1), [1,3), [3,3.5]; -1 and 3.6 are out of range.
	want := []float64{1 + 2, 4 + 8, 16 - 0.5}
	if !floats.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestNormaliseUnitArea(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 500)
	w := make([]float64, 500)
	for i := range x {
		x[i], w[i] = rnd.NormFloat64(), rnd.Float64()
	}
	edges := []float64{-2, -1, -0.2, 0, 0.5, 2}
	h, err := weightedHist(nil, edges, x, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := normalise(h, edges); err != nil {
		t.Fatal(err)
	}
	var area float64
	for i, v := range h {
		area += v * (edges[i+1] - edges[i])
	}
	if math.Abs(area-1) > 1e-12 {
		t.Errorf("area %g, want 1", area)
	}
}

func TestDistributions(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	n := 2000
	x := make([]float64, n)
	for i := range x {
		x[i] = 50 + 400*rnd.Float64()
	}
	// Weights of the SM and of two EFT points that harden the spectrum.
	var ws []Weighting
	for k, c := range []float64{0, 0.5, 1} {
		w := make([]float64, n)
		for i, v := range x {
			w[i] = (1 + c*v/100 + c*c*v*v/4e4) * math.Exp(-v/100) / float64(n)
		}
		ws = append(ws, Weighting{Label: []string{"SM", "c_W = 0.5", "c_W = 1"}[k], Weights: w})
	}
	for _, norm := range []bool{false, true} {
		fig, err := Distributions(x, ws, &HistSettings{Bins: 25, Normalise: norm}, Labels{X: "p_T(Z) [GeV]", Y: ""})
		if err != nil {
			t.Fatal(err)
		}
		name := "distributions"
		if norm {
			name += "_normalised"
		}
		checkFigure(t, fig, name)
	}
}

func TestDistributionsBadInput(t *testing.T) {
	x := []float64{1, 2, 3}
	w := []float64{1, 1, 1}
	for _, tc := range []struct {
		name string
		x    []float64
		ws   []Weighting
		s    *HistSettings
	}{
		{"no events", nil, []Weighting{{Weights: nil}}, nil},
		{"no weightings", x, nil, nil},
		{"mismatch", x, []Weighting{{Weights: w[:2]}}, nil},
		{"nan x", []float64{1, math.NaN(), 3}, []Weighting{{Weights: w}}, nil},
		{"nan w", x, []Weighting{{Weights: []float64{1, math.Inf(-1), 1}}}, nil},
		{"bad edges", x, []Weighting{{Weights: w}}, &HistSettings{Edges: []float64{0, 2, 1}}},
		{"one edge", x, []Weighting{{Weights: w}}, &HistSettings{Edges: []float64{0}}},
		{"negative bins", x, []Weighting{{Weights: w}}, &HistSettings{Bins: -1}},
		{"normalise zero", x, []Weighting{{Weights: []float64{1, -1, 0}}}, &HistSettings{Normalise: true}},
	} {
		if _, err := Distributions(tc.x, tc.ws, tc.s, Labels{}); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestInformationHistogram(t *testing.T) {
	edges := []float64{0, 50, 100, 150, 200, 300, 500, 800}
	xsec := []float64{2.1, 3.5, 2.0, 1.1, 0.8, 0.3, 0.05}
	info := make([]float64, len(xsec))
	for i := range info {
		// Information grows with the energy of the bin.
		c := (edges[i] + edges[i+1]) / 200
		info[i] = 3e5 * xsec[i] * c * c / 100
	}
	fig, err := InformationHistogram(edges, info, xsec, Labels{Title: "Histogram of information", X: "p_T(Z) [GeV]", Y: "I_11 per bin"}, "σ per bin [pb]")
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, fig, "information_histogram")

	for _, tc := range []struct {
		name              string
		edges, info, xsec []float64
	}{
		{"no edges", nil, nil, nil},
		{"info length", edges, info[:3], xsec},
		{"xsec length", edges, info, xsec[:3]},
		{"nan info", edges, append([]float64{math.NaN()}, info[1:]...), xsec},
		{"inf xsec", edges, info, append([]float64{math.Inf(1)}, xsec[1:]...)},
		{"unsorted edges", []float64{0, 2, 1, 3, 4, 5, 6, 7}, info, xsec},
	} {
		if _, err := InformationHistogram(tc.edges, tc.info, tc.xsec, Labels{}, ""); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
