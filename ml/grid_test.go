// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// gridEstimator returns a trained ParameterizedRatioEstimator with two
// hidden layers on toy data, and events spanning three evaluation blocks.
func gridEstimator(t *testing.T, seed uint64) (*ParameterizedRatioEstimator, *mat.Dense) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(seed, 71))
	d := toyData(rnd, 300, 3, 2)
	e := &ParameterizedRatioEstimator{Hidden: []int{7, 5}, Features: []int{2, 0}}
	if _, err := e.Train(ALICES, d, &Settings{Seed: seed, Epochs: 2}); err != nil {
		t.Fatal(err)
	}
	return e, mat.NewDense(2*evalBatch+77, 3, randSlice(rnd, (2*evalBatch+77)*3, 1.5))
}

var gridPoints = [][]float64{{0, 0, 9}, {0.3, -0.2, 9}, {-1.2, 0.7, 9}, {2, 2, 9}} // the third entry (a nuisance parameter) is ignored

// TestLogRatioGridRows compares the one-pass grid evaluation with the
// per-point evaluation LogRatioRows (paired rows, standardised per row),
// and checks the order of the callbacks: blocks in order, all points per
// block.
func TestLogRatioGridRows(t *testing.T) {
	e, x := gridEstimator(t, 5)
	n, _ := x.Dims()
	raw := x.RawMatrix().Data
	got := make([][]float64, len(gridPoints))
	for i := range got {
		got[i] = make([]float64, n)
	}
	next, lastLo := 0, -1
	err := e.LogRatioGridRows(raw, gridPoints, func(i, lo int, v []float64) error {
		if i != next || (i == 0 && lo <= lastLo) || (i > 0 && lo != lastLo) {
			t.Fatalf("callback (%d, %d) after point %d of block %d", i, lo, next-1, lastLo)
		}
		next, lastLo = (i+1)%len(gridPoints), lo
		copy(got[i][lo:], v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, th := range gridPoints {
		want := make([]float64, n)
		if _, err := e.LogRatio(want, nil, x, constRows(n, th[:2])); err != nil {
			t.Fatal(err)
		}
		for j := range want {
			if d := math.Abs(got[i][j] - want[j]); d > 1e-12*math.Max(1, math.Abs(want[j])) {
				t.Fatalf("point %d event %d: grid %.17g, paired %.17g", i, j, got[i][j], want[j])
			}
		}
		rows := make([]float64, n)
		if err := e.LogRatioRows(rows, raw, th); err != nil {
			t.Fatal(err)
		}
		sameBits(t, "LogRatioRows vs one-point grid", rows, got[i])
	}
	if err := e.LogRatioGridRows(raw, [][]float64{{1}}, func(int, int, []float64) error { return nil }); err == nil {
		t.Error("a point with one parameter for two was accepted")
	}
}

// TestLogRatioGridScores compares LogRatioGrid's values and scores with
// LogRatio at each point.
func TestLogRatioGridScores(t *testing.T) {
	e, x := gridEstimator(t, 6)
	n, _ := x.Dims()
	th := mat.NewDense(len(gridPoints), 2, nil)
	for i, p := range gridPoints {
		th.SetRow(i, p[:2])
	}
	lr, scores, err := e.LogRatioGrid(x, th, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range gridPoints {
		var sc mat.Dense
		want, err := e.LogRatio(nil, &sc, x, constRows(n, th.RawRowView(i)))
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < n; j++ {
			if d := math.Abs(lr.At(i, j) - want[j]); d > 1e-12*math.Max(1, math.Abs(want[j])) {
				t.Fatalf("point %d event %d: log r̂ %.17g, want %.17g", i, j, lr.At(i, j), want[j])
			}
			for k := 0; k < 2; k++ {
				if d := math.Abs(scores[i].At(j, k) - sc.At(j, k)); d > 1e-12*math.Max(1, math.Abs(sc.At(j, k))) {
					t.Fatalf("point %d event %d: t̂_%d %.17g, want %.17g", i, j, k, scores[i].At(j, k), sc.At(j, k))
				}
			}
		}
	}
}

// TestEnsembleLogRatioGridRows compares the ensemble's grid with the mean
// of its members' per-point evaluations.
func TestEnsembleLogRatioGridRows(t *testing.T) {
	a, x := gridEstimator(t, 7)
	b, _ := gridEstimator(t, 8)
	en := &Ensemble{Members: []Estimator{a, b}}
	raw := x.RawMatrix().Data
	n, _ := x.Dims()
	got := make([]float64, len(gridPoints)*n)
	if err := en.LogRatioGridRows(raw, gridPoints, func(i, lo int, v []float64) error {
		copy(got[i*n+lo:], v)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := make([]float64, n)
	for i, th := range gridPoints {
		if err := en.LogRatioRows(want, raw, th); err != nil {
			t.Fatal(err)
		}
		sameBits(t, "ensemble grid vs LogRatioRows", got[i*n:(i+1)*n], want)
	}
}
