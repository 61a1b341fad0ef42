// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"testing"
)

// TestScanLogRatioGrid checks that an ML scan with LogRatioGrid gives the
// result of the scan without it, bit for bit (plain, normalised on the
// data with θ1 known, normalised on separate reference events), and that
// LogRatio is then no longer called at grid points.
func TestScanLogRatioGrid(t *testing.T) {
	toy := softmaxToy{k: 12}
	p1 := toy.probs(nil, 0)
	lr := func(dst, x, params []float64) error {
		p := toy.probs(nil, params[0])
		for i, v := range x {
			dst[i] = math.Log(p[int(v)]/p1[int(v)]) + 0.3*params[0]*(1+params[0])
		}
		return nil
	}
	// The grid version hands out blocks of 5 events, all points per block.
	grid := func(x []float64, thetas [][]float64, fn func(i, lo int, v []float64) error) error {
		for lo := 0; lo < len(x); lo += 5 {
			hi := min(lo+5, len(x))
			v := make([]float64, hi-lo)
			for i, th := range thetas {
				if err := lr(v, x[lo:hi], th); err != nil {
					return err
				}
				if err := fn(i, lo, v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	xs := make([]float64, toy.k+1)
	for x := range xs {
		xs[x] = float64(x)
	}
	ref := append(append([]float64(nil), xs...), xs...) // separate reference events
	pt := toy.probs(nil, 0.2)
	data := &Data{Dim: 1, X: xs, Weight: make([]float64, len(xs)), N: 400}
	for i, p := range pt {
		data.Weight[i] = 400 * p
	}
	points, err := Grid{Ranges: [][2]float64{{-0.4, 0.8}}, Resolutions: []int{25}}.Points()
	if err != nil {
		t.Fatal(err)
	}
	weights := func(dst, theta []float64) []float64 { return toy.probs(dst, theta[0]) }
	refWeights := func(dst, theta []float64) []float64 {
		p := toy.probs(nil, theta[0])
		return append(append(dst[:0], p...), p...)
	}
	onGrid := func(p []float64) bool {
		for _, q := range points {
			if q[0] == p[0] {
				return true
			}
		}
		return false
	}
	set := &Settings{Bounds: [][2]float64{{-0.4, 0.8}}}
	for _, tc := range []struct {
		name string
		norm *Normalization
	}{
		{"plain", nil},
		{"normalised on the data", &Normalization{X: xs, Weights: weights, Theta1: []float64{0}}},
		{"normalised on reference events", &Normalization{X: ref, Weights: refWeights, Theta1: []float64{0}}},
	} {
		want, err := Scan(&ML{Params: 1, LogRatio: lr, Norm: tc.norm}, data, points, set)
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		counted := func(dst, x, params []float64) error {
			if onGrid(params) {
				calls++
			}
			return lr(dst, x, params)
		}
		got, err := Scan(&ML{Params: 1, LogRatio: counted, LogRatioGrid: grid, Norm: tc.norm}, data, points, set)
		if err != nil {
			t.Fatal(err)
		}
		if calls != 0 {
			t.Errorf("%s: LogRatio called %d times at grid points", tc.name, calls)
		}
		for k := range points {
			if got.Q[k] != want.Q[k] || got.LogLikelihoodKin[k] != want.LogLikelihoodKin[k] {
				t.Errorf("%s: point %v: q %v, log L %v with the grid; %v, %v without", tc.name, points[k], got.Q[k], got.LogLikelihoodKin[k], want.Q[k], want.LogLikelihoodKin[k])
			}
		}
		if got.BestFit[0] != want.BestFit[0] {
			t.Errorf("%s: best fit %v with the grid, %v without", tc.name, got.BestFit, want.BestFit)
		}
	}
	// A non-finite log r̂ is an error naming the event, as without the grid.
	bad := func(x []float64, thetas [][]float64, fn func(i, lo int, v []float64) error) error {
		return fn(0, 0, []float64{0, math.NaN()})
	}
	if _, err := Scan(&ML{Params: 1, LogRatio: lr, LogRatioGrid: bad}, data, points, set); err == nil {
		t.Error("NaN log r̂ from the grid accepted")
	}
}

// TestGridLen: Len is the number of Points, with one resolution for
// every parameter and with one each.
func TestGridLen(t *testing.T) {
	for i, g := range []Grid{
		{Ranges: [][2]float64{{-1, 1}}, Resolutions: []int{7}},
		{Ranges: [][2]float64{{-1, 1}, {0, 2}}, Resolutions: []int{5}},
		{Ranges: [][2]float64{{-1, 1}, {0, 2}, {3, 4}}, Resolutions: []int{3}},
		{Ranges: [][2]float64{{-1, 1}, {0, 2}}, Resolutions: []int{4, 6}},
		{Ranges: [][2]float64{{-1, 1}, {0, 2}, {3, 3}}, Resolutions: []int{2, 3, 1}},
	} {
		pts, err := g.Points()
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if got := g.Len(); got != len(pts) {
			t.Errorf("case %d: Len = %d, want %d points", i, got, len(pts))
		}
	}
}
