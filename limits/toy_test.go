// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"math/rand/v2"
	"testing"
)

// quadToy: x uniform in [−1, 1]², dσ(x|θ) ∝ (1 + θ·x)², exactly quadratic
// in θ, with σ(θ) ∝ 1 + |θ|²/3 and the exact score at θ = 0, t(x) = 2x.
func quadToy(n int, seed uint64) (*Sample, *Sample) {
	rnd := rand.New(rand.NewPCG(seed, 1))
	s := &Sample{N: n, Dim: 2, NBasis: len(toyBasis)}
	sc := &Sample{N: n, Dim: 2, NBasis: len(toyBasis)}
	for i := 0; i < n; i++ {
		x := []float64{2*rnd.Float64() - 1, 2*rnd.Float64() - 1}
		s.X = append(s.X, x...)
		sc.X = append(sc.X, 2*x[0], 2*x[1])
		for _, th := range toyBasis {
			v := 1 + th[0]*x[0] + th[1]*x[1]
			s.W = append(s.W, 0.01*v*v/float64(n))
		}
	}
	sc.W = s.W
	return s, sc
}

// TestScoreModesApproachExact compares, on Asimov data, the histogram and
// score-based modes with the exact likelihood (mode ml with the true
// density): their q(θ) must not exceed the exact one by more than Monte-Carlo
// noise and must capture most of it near θ_true, where the score at θ_ref
// is sufficient.
func TestScoreModesApproachExact(t *testing.T) {
	m := quadMorpher(t, toyBasis)
	train, trainScores := quadToy(40000, 1)
	test, testScores := quadToy(20000, 2)
	const lumi = 1e5 // 1000 events
	rate := &RateTerm{Morpher: m, Luminosity: lumi, Sigma: test.SumWeights()}
	theta0 := []float64{0, 0}
	points, _ := Grid{Ranges: [][2]float64{{-0.3, 0.3}, {-0.3, 0.3}}, Resolutions: []int{7}}.Points()
	exact := &ML{Params: 2, Rate: rate, LogRatio: func(dst, x, p []float64) error {
		s := 1 + (p[0]*p[0]+p[1]*p[1])/3
		for i := range dst {
			v := 1 + p[0]*x[2*i] + p[1]*x[2*i+1]
			dst[i] = math.Log(v*v) - math.Log(s)
		}
		return nil
	}}
	scan := func(model Model, test *Sample) *Result {
		d, err := Asimov(m, test, theta0, lumi)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Scan(model, d, points, &Settings{GridOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ref := scan(exact, test)
	histo, err := NewHisto(m, train, HistoConfig{Bins: []Binning{{N: 10}, {N: 10}}, BinningThetas: points, Rate: rate})
	if err != nil {
		t.Fatal(err)
	}
	sally, err := NewHisto(m, trainScores, HistoConfig{BinningThetas: points, Rate: rate})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		model Model
		test  *Sample
		lo    float64
		axes  bool
	}{
		{"histo 10×10", histo, test, 0.8, false},
		{"sally 8×8", sally, testScores, 0.8, false},
		// MadMiner's sallino and adaptive-sally compare densities of
		// different projections at different θ, so q picks up differences
		// of their (binned) entropies; on the axes the projection is ±one
		// score component, sufficient for this toy, and q must be close
		// to the exact one.
		{"sallino", &AdaptiveSally{Morpher: m, Train: trainScores, Sallino: true, Rate: rate}, testScores, 0.85, true},
		{"adaptive-sally", &AdaptiveSally{Morpher: m, Train: trainScores, Rate: rate}, testScores, 0.85, true},
	} {
		r := scan(tc.model, tc.test)
		if r.GridBest != 24 {
			t.Errorf("%s: best grid point %v, want θ_true", tc.name, points[r.GridBest])
		}
		minRatio, maxRatio := math.Inf(1), 0.0
		for i, q := range ref.Q {
			if q < 1 || (tc.axes && points[i][0] != 0 && points[i][1] != 0) {
				continue
			}
			ratio := r.Q[i] / q
			minRatio = math.Min(minRatio, ratio)
			maxRatio = math.Max(maxRatio, ratio)
		}
		t.Logf("%s: q/q_exact in [%.3f, %.3f]", tc.name, minRatio, maxRatio)
		if minRatio < tc.lo || maxRatio > 1.1 {
			t.Errorf("%s: q/q_exact in [%.3f, %.3f], want within [%v, 1.1]", tc.name, minRatio, maxRatio, tc.lo)
		}
	}
}
