// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/store"
)

// TestInspectMorphingCheck writes an events file whose weights are squared
// amplitudes |1 + a θ|², written with MG5's eight digits, at three basis
// points, two check points and a nuisance benchmark: inspect checks the
// two check points (not the nuisance one) and finds the one event whose
// check weight is off by a relative 1e-6.
func TestInspectMorphingCheck(t *testing.T) {
	comps := morphing.Components([]int{2}, -1)
	basis := [][]float64{{-0.8}, {0.1}, {0.9}}
	m, err := morphing.New(comps, basis)
	if err != nil {
		t.Fatal(err)
	}
	pts := []float64{-0.8, 0.1, 0.9, 0.35, -0.45}
	h := &store.EventsHeader{
		Setup: store.Setup{
			Parameters: []store.Parameter{{Name: "c", LHABlock: "np", LHAID: 1, MaxPower: 2, Range: [2]float64{-1, 1}}},
			Benchmarks: []store.Benchmark{
				{Name: "b0", Values: []float64{pts[0]}}, {Name: "b1", Values: []float64{pts[1]}, IsReference: true}, {Name: "b2", Values: []float64{pts[2]}},
				{Name: "check_a", Values: []float64{pts[3]}}, {Name: "check_b", Values: []float64{pts[4]}},
				{Name: "mu_up", Values: []float64{pts[1]}, IsNuisance: true},
			},
			Components:     comps,
			MorphingMatrix: mat.DenseCopyOf(m.Matrix()),
			Systematics:    []store.Systematic{{Name: "mu", Type: "norm", Value: "0.1"}},
		},
		ObservableNames:       []string{"a"},
		ObservableDefinitions: []string{"a"},
		NuisanceParameters:    []store.NuisanceParameter{{Name: "mu_np", Systematic: "mu", BenchmarkPositive: "mu_up"}},
	}
	const n, broken = 500, 123
	round := func(v float64) float64 {
		r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'e', 7, 64), 64)
		return r
	}
	var x, w []float64
	var ids []int
	for i := range n {
		a := -2 + 4*float64(i)/n
		x = append(x, a)
		for _, th := range pts {
			v := (1 + a*th) * (1 + a*th)
			w = append(w, round(v))
		}
		w = append(w, 1.1*w[len(w)-4]) // the nuisance weight
		ids = append(ids, 1)
	}
	w[broken*6+4] *= 1 + 1e-6
	path := filepath.Join(t.TempDir(), "events.h5")
	ew, err := store.CreateEvents(path, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := ew.WriteBatch(x, w, ids); err != nil {
		t.Fatal(err)
	}
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}

	res, err := inspect(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.MorphingCheck) != 2 {
		t.Fatalf("morphing check of %d points, want check_a and check_b: %+v", len(res.MorphingCheck), res.MorphingCheck)
	}
	a, b := res.MorphingCheck[0], res.MorphingCheck[1]
	t.Log(a.String())
	t.Log(b.String())
	if a.Name != "check_a" || a.Column != 3 || a.Events != n || !a.Passed(1e-6) {
		t.Errorf("check_a: %+v, want all %d events within the rounding", a, n)
	}
	if b.Name != "check_b" || b.Exceeding != 1 || b.MaxExcessEvent != broken || b.MaxExcess < 5 {
		t.Errorf("check_b: %d events beyond the rounding bound, the worst (%.3g × bound) at event %d; want one, event %d", b.Exceeding, b.MaxExcess, b.MaxExcessEvent, broken)
	}
}
