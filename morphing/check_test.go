// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

import (
	"math"
	"strconv"
	"testing"
)

// round8 writes v as MG5 writes weights ("%+.7e") and reads it back.
func round8(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'e', 7, 64), 64)
	if err != nil {
		panic(err)
	}
	return r
}

func TestWrittenPrecision(t *testing.T) {
	for _, tc := range []struct {
		digits int
		want   float64
	}{{8, 5e-8}, {1, 0.5}, {16, 5e-16}} {
		if got := WrittenPrecision(tc.digits); math.Abs(got-tc.want) > 1e-12*tc.want {
			t.Errorf("WrittenPrecision(%d) = %g, want %g", tc.digits, got, tc.want)
		}
	}
	// The bound holds for numbers written with eight digits: the largest
	// relative error of "%.7e" over many mantissas stays below it and
	// comes close to it.
	eps := WrittenPrecision(8)
	worst := 0.0
	for i := 1; i < 100000; i++ {
		v := 1 + float64(i)*0.0000937
		worst = math.Max(worst, math.Abs(round8(v)-v)/v)
	}
	if worst > eps || worst < 0.5*eps {
		t.Errorf("largest relative rounding error of %%.7e: %g, want in [%g, %g]", worst, 0.5*eps, eps)
	}
}

func TestDeviation(t *testing.T) {
	for _, tc := range []struct {
		d           Deviation
		rel, excess float64
	}{
		{Deviation{Predicted: 1, Stored: 1, Bound: 0}, 0, 0},
		{Deviation{Predicted: 0, Stored: 0, Bound: 0}, 0, 0},
		{Deviation{Predicted: 1e-9, Stored: 0, Bound: 1e-8}, math.Inf(1), 0.1},
		{Deviation{Predicted: 1.5, Stored: 1, Bound: 0}, 0.5, math.Inf(1)},
		{Deviation{Predicted: -2, Stored: -1, Bound: 0.5}, 1, 2},
	} {
		if got := tc.d.Rel(); got != tc.rel && math.Abs(got-tc.rel) > 1e-15 {
			t.Errorf("%+v: Rel = %g, want %g", tc.d, got, tc.rel)
		}
		if got := tc.d.Excess(); got != tc.excess && math.Abs(got-tc.excess) > 1e-15 {
			t.Errorf("%+v: Excess = %g, want %g", tc.d, got, tc.excess)
		}
	}
}

// TestCompareWeight morphs one squared amplitude, |A0 + θ A1|² for one
// parameter (components 1, θ, θ²), from basis weights written with eight
// digits to points outside the basis, where the exact weight is known.
// The deviation must lie within the bound; a morphing matrix with one
// entry off by a relative 1e-6 must not.
func TestCompareWeight(t *testing.T) {
	comps := Components([]int{2}, -1)
	basis := [][]float64{{-0.8}, {0.1}, {0.9}}
	m, err := New(comps, basis)
	if err != nil {
		t.Fatal(err)
	}
	bad := m.Matrix()
	bad.Set(1, 2, bad.At(1, 2)*(1+1e-6))
	mBad, err := NewFromMatrix(comps, bad)
	if err != nil {
		t.Fatal(err)
	}
	eps := WrittenPrecision(8)
	weight := func(a0, a1, th float64) float64 { v := a0 + th*a1; return v * v }
	worst, worstBad := 0.0, 0.0
	for k := 0; k < 200; k++ {
		// Amplitudes from a mild to a strong θ dependence, including a
		// zero of the amplitude near θ = −a0/a1 (tiny weights).
		a0, a1 := 1.0, -3+0.031*float64(k)
		wb := make([]float64, len(basis))
		for b, th := range basis {
			wb[b] = round8(weight(a0, a1, th[0]))
		}
		for _, th := range []float64{-0.5, 0.33, 0.71} {
			stored := round8(weight(a0, a1, th))
			d := CompareWeight(m.WeightsTo(nil, []float64{th}), wb, stored, eps)
			if d.Excess() > 1 {
				t.Errorf("a1 %g θ %g: %+v: excess %g over the rounding bound", a1, th, d, d.Excess())
			}
			worst = math.Max(worst, d.Excess())
			db := CompareWeight(mBad.WeightsTo(nil, []float64{th}), wb, stored, eps)
			worstBad = math.Max(worstBad, db.Excess())
		}
	}
	t.Logf("largest excess: %.3g with the right morphing matrix, %.3g with one entry off by 1e-6", worst, worstBad)
	if worst < 0.01 {
		t.Errorf("largest excess %g: the bound is far looser than the rounding it describes", worst)
	}
	if worstBad < 2 {
		t.Errorf("a morphing matrix entry off by 1e-6 stays within the bound (excess %g): the check cannot fail", worstBad)
	}
}
