// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package npmath

import (
	"math"
	"testing"
)

func TestSumPairwise(t *testing.T) {
	// 1 followed by many tiny values: sequential summation loses them,
	// pairwise summation (as NumPy) keeps most.
	x := make([]float64, 1<<16)
	x[0] = 1
	for i := 1; i < len(x); i++ {
		x[i] = 1e-16
	}
	want := 1 + float64(len(x)-1)*1e-16
	seq := 0.0
	for _, v := range x {
		seq += v
	}
	if got := Sum(x); math.Abs(got-want) > 1e-14 || seq != 1 {
		t.Errorf("pairwise sum %.17g, want %.17g (sequential %.17g)", got, want, seq)
	}
	for _, n := range []int{0, 1, 7, 8, 9, 127, 128, 129, 1000} {
		y := make([]float64, n)
		s := 0.0
		for i := range y {
			y[i] = float64(i%7) + 0.5
			s += y[i]
		}
		if got := Sum(y); got != s {
			t.Errorf("n=%d: sum %v, want %v", n, got, s)
		}
	}
}

func TestLinspaceInterpSearch(t *testing.T) {
	l := Linspace(0.001, 0.999, 26)
	if l[0] != 0.001 || l[25] != 0.999 || math.Abs(l[13]-(0.001+13*0.998/25)) > 1e-16 {
		t.Errorf("linspace %v", l)
	}
	xp, fp := []float64{0, 1, 3}, []float64{10, 20, 0}
	for _, c := range []struct{ x, want float64 }{{-1, 10}, {0, 10}, {0.5, 15}, {1, 20}, {2, 10}, {3, 0}, {4, 0}} {
		if got := Interp(c.x, xp, fp); got != c.want {
			t.Errorf("interp(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	e := []float64{1, 2, 2, 3}
	if SearchLeft(e, 2) != 1 || SearchRight(e, 2) != 3 || SearchLeft(e, 0) != 0 || SearchRight(e, 5) != 4 {
		t.Error("searchsorted semantics wrong")
	}
}

func TestWeightedQuantile(t *testing.T) {
	// Equal weights, new style: cumulative (i+½)/n interpolated.
	v := []float64{4, 1, 3, 2}
	q := WeightedQuantile(v, nil, []float64{0, 0.5, 1}, false)
	// positions (0.125, 0.375, 0.625, 0.875) → values 1..4.
	if q[0] != 1 || q[1] != 2.5 || q[2] != 4 {
		t.Errorf("new style %v", q)
	}
	// Old style maps the first and last positions onto 0 and 1, as
	// np.percentile: the median of 1..4 is 2.5, the 25% quantile 1.75.
	q = WeightedQuantile(v, nil, []float64{0, 0.25, 0.5, 1}, true)
	if q[0] != 1 || q[1] != 1.75 || q[2] != 2.5 || q[3] != 4 {
		t.Errorf("old style %v", q)
	}
	// Weights: a heavy event pulls the median.
	q = WeightedQuantile([]float64{1, 2, 3}, []float64{1, 1, 6}, []float64{0.5}, false)
	// cum − w/2 = 0.5, 1.5, 5 over 8: 0.0625, 0.1875, 0.625 → 0.5 between 2 and 3.
	if want := 2 + (0.5-0.1875)/(0.625-0.1875); math.Abs(q[0]-want) > 1e-15 {
		t.Errorf("weighted median %v, want %v", q[0], want)
	}
}
