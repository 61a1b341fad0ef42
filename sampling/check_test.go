// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/goldmine-hep/goldmine/morphing"
)

// zhBasis is the morphing basis of cards/zh_exact.yaml (MadMiner's ZH
// basis with seven significant digits), the SM first.
var zhBasis = [][]float64{
	{0, 0},
	{-0.7546379, 0.06772377},
	{-0.5342918, 0.5096157},
	{0.3497412, -0.8561461},
	{0.9785294, 0.5609139},
	{-0.5443482, -0.9385144},
}

// writtenLikeMG5 rounds v to the eight digits of MG5's "%+.7e".
func writtenLikeMG5(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'e', 7, 64), 64)
	if err != nil {
		panic(err)
	}
	return r
}

// amplitudeEvents returns n events whose weight at θ is a sum of two
// squared amplitudes linear in θ (as for one insertion of a
// dimension-six operator), |a0 + a·θ|² + |b0 + b·θ|², in columns: the
// basis points, then the check points; every weight written with eight
// digits as MG5 does. Every tenth event has an amplitude that nearly
// vanishes at the first check point, so that its weight there is tiny.
func amplitudeEvents(n int, basis, checks [][]float64, rnd *rand.Rand) *MemSource {
	src := &MemSource{}
	pts := append(append([][]float64(nil), basis...), checks...)
	for i := range n {
		a := [3]float64{1, 0.3 * rnd.NormFloat64(), 0.3 * rnd.NormFloat64()}
		b := [3]float64{0.5 + 0.1*rnd.NormFloat64(), 0.2 * rnd.NormFloat64(), 0.2 * rnd.NormFloat64()}
		if i%10 == 0 {
			// a0 + a·θ = θ_1 − θ_check,1 and b = b0 = 1e-4: the weight
			// at the check point is 1e-8, elsewhere of order 0.01–1.
			a = [3]float64{-checks[0][0], 1, 0}
			b = [3]float64{1e-4, 0, 0}
		}
		w := make([]float64, len(pts))
		for k, th := range pts {
			u := a[0] + a[1]*th[0] + a[2]*th[1]
			v := b[0] + b[1]*th[0] + b[2]*th[1]
			w[k] = writtenLikeMG5(u*u + v*v)
		}
		src.X = append(src.X, []float64{float64(i)})
		src.W = append(src.W, w)
	}
	return src
}

// TestCheckMorphing checks the morphing of squared amplitudes against
// weights "computed directly" at three points outside the basis: with the
// right morpher every event agrees within the rounding of the written
// weights; one morphing coefficient off by a relative 1e-6, a check
// point's θ off in the sixth digit, or the wrong weight column make the
// check fail.
func TestCheckMorphing(t *testing.T) {
	comps := morphing.Components([]int{2, 2}, 2)
	m, err := morphing.New(comps, zhBasis)
	if err != nil {
		t.Fatal(err)
	}
	checks := [][]float64{{0.1, -0.05}, {0.6, 0.8}, {-0.9, -0.35}}
	src := amplitudeEvents(3000, zhBasis, checks, rand.New(rand.NewPCG(3, 4)))
	points := []CheckPoint{{"check_1", checks[0], 6}, {"check_2", checks[1], 7}, {"check_3", checks[2], 8}}
	eps := morphing.WrittenPrecision(8)

	res, err := CheckMorphing(src, m, eps, points, 700)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res {
		t.Log(c.String())
		if c.Events != 3000 || !c.Passed(1) {
			t.Errorf("%s: %d events, %d beyond the rounding bound (max %.3g × bound)", c.Name, c.Events, c.Exceeding, c.MaxExcess)
		}
		if c.MaxExcess < 0.01 {
			t.Errorf("%s: largest excess %.3g: the bound is far looser than the rounding", c.Name, c.MaxExcess)
		}
		n := 0
		for _, k := range c.RelDecades {
			n += k
		}
		if n != c.Events {
			t.Errorf("%s: decades %v hold %d events, want %d", c.Name, c.RelDecades, n, c.Events)
		}
	}
	// The tiny weights (1e-8 of the SM) sit at check_1: their relative
	// deviation is large, but within the rounding of the basis weights.
	if c := res[0]; c.MaxRel < 1e-6 || c.MaxRelWeight > 1e-6 || c.MaxRelEvent%10 != 0 {
		t.Errorf("check_1: largest relative deviation %.3g at event %d (weight %.3g × mean): want it on one of the tiny weights", c.MaxRel, c.MaxRelEvent, c.MaxRelWeight)
	}
	// Far from the SM the morphing weights w_b(θ) are large and cancel
	// (Σ_b |w_b W_b| ≫ |W|): the eight written digits then allow relative
	// deviations beyond 1e-6 even on weights of 0.06 × the mean.

	// Breaking the morphing must fail the check.
	bad := m.Matrix()
	bad.Set(4, 2, bad.At(4, 2)*(1+1e-6))
	mBad, err := morphing.NewFromMatrix(comps, bad)
	if err != nil {
		t.Fatal(err)
	}
	off := append([]CheckPoint(nil), points...)
	off[1].Theta = []float64{0.600001, 0.8}
	swapped := append([]CheckPoint(nil), points...)
	swapped[0].Column, swapped[1].Column = 7, 6
	for _, tc := range []struct {
		name   string
		m      *morphing.Morpher
		points []CheckPoint
	}{
		{"morphing matrix entry (4, 2) off by 1e-6", mBad, points},
		{"check_2 at cHW 0.600001", m, off},
		{"columns of check_1 and check_2 swapped", m, swapped},
	} {
		res, err := CheckMorphing(src, tc.m, eps, tc.points, 0)
		if err != nil {
			t.Fatal(err)
		}
		failed := 0
		for _, c := range res {
			if !c.Passed(1) {
				failed++
			}
		}
		t.Logf("%s: %d of %d points fail (largest excesses %.3g, %.3g, %.3g)", tc.name, failed, len(res), res[0].MaxExcess, res[1].MaxExcess, res[2].MaxExcess)
		if failed == 0 {
			t.Errorf("%s: the check passes", tc.name)
		}
	}
}

func TestCheckMorphingErrors(t *testing.T) {
	m, err := morphing.New(morphing.Components([]int{2, 2}, 2), zhBasis)
	if err != nil {
		t.Fatal(err)
	}
	src := amplitudeEvents(10, zhBasis, [][]float64{{0.1, 0.1}}, rand.New(rand.NewPCG(1, 2)))
	eps := morphing.WrittenPrecision(8)
	for _, tc := range []struct {
		name   string
		m      *morphing.Morpher
		points []CheckPoint
		eps    float64
	}{
		{"no morpher", nil, []CheckPoint{{"c", []float64{0.1, 0.1}, 6}}, eps},
		{"no points", m, nil, eps},
		{"basis column", m, []CheckPoint{{"c", []float64{0.1, 0.1}, 2}}, eps},
		{"column out of range", m, []CheckPoint{{"c", []float64{0.1, 0.1}, 7}}, eps},
		{"wrong dimension", m, []CheckPoint{{"c", []float64{0.1}, 6}}, eps},
		{"NaN precision", m, []CheckPoint{{"c", []float64{0.1, 0.1}, 6}}, math.NaN()},
	} {
		if _, err := CheckMorphing(src, tc.m, tc.eps, tc.points, 0); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	src.W[3][6] = math.NaN()
	if _, err := CheckMorphing(src, m, eps, []CheckPoint{{"c", []float64{0.1, 0.1}, 6}}, 0); err == nil {
		t.Error("NaN weight: no error")
	}
}
