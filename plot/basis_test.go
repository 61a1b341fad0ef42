// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"math"
	"testing"

	"github.com/goldmine-hep/goldmine/morphing"
)

var _ Weighter = (*morphing.Morpher)(nil)

// linearWeights has weights (θ0, θ1, θ2, 1), so √Σw² = √(|θ|²+1).
type linearWeights struct{}

func (linearWeights) NumBasis() int { return 4 }
func (linearWeights) WeightsTo(dst, theta []float64) []float64 {
	return append(dst[:0], theta[0], theta[1], theta[2], 1)
}

func TestQualityGrid(t *testing.T) {
	s := Slice{Params: [2]int{2, 0}, X: []float64{-1, 0.5, 2}, Y: []float64{-3, 1}, At: []float64{9, 0.25, 9}}
	z, err := qualityGrid(linearWeights{}, 3, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(z) != 6 {
		t.Fatalf("got %d values, want 6", len(z))
	}
	for i, x := range s.X {
		for j, y := range s.Y {
			// θ = (y, 0.25, x): parameter 2 on x, parameter 0 on y.
			want := 0.5 * math.Log10(y*y+0.25*0.25+x*x+1)
			if got := z[i*len(s.Y)+j]; math.Abs(got-want) > 1e-14 {
				t.Errorf("(x=%g, y=%g): got %g, want %g", x, y, got, want)
			}
		}
	}
}

// The map of a real morpher: one parameter squared plus a second linear
// one, basis on a small set of points.
func TestBasisQualityMorpher(t *testing.T) {
	comps := [][]int{{0, 0}, {1, 0}, {2, 0}, {0, 1}, {1, 1}}
	basis := [][]float64{{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {1, 1}}
	m, err := morphing.New(comps, basis)
	if err != nil {
		t.Fatal(err)
	}
	s := Slice{X: linspace(-2, 2, 41), Y: linspace(-2, 2, 41)}
	z, err := qualityGrid(m, 2, s)
	if err != nil {
		t.Fatal(err)
	}
	// At a basis point the weights are a unit vector: √Σw² = 1.
	for _, b := range basis {
		i := int(math.Round((b[0] + 2) * 10))
		j := int(math.Round((b[1] + 2) * 10))
		if v := z[i*41+j]; math.Abs(v) > 1e-9 {
			t.Errorf("basis point %v: log10 √Σw² = %g, want 0", b, v)
		}
	}
	fig, err := BasisQuality(m, basis, s, Labels{Title: "Morphing basis", X: "c_W", Y: "c_WW"})
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, fig, "basis_quality")
}

func TestBasisQualityBadInput(t *testing.T) {
	basis := [][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}}
	x := []float64{0, 1}
	for _, tc := range []struct {
		name  string
		m     Weighter
		basis [][]float64
		s     Slice
	}{
		{"nil morpher", nil, basis, Slice{X: x, Y: x}},
		{"empty basis", linearWeights{}, nil, Slice{X: x, Y: x}},
		{"basis count", linearWeights{}, basis[:3], Slice{X: x, Y: x}},
		{"ragged basis", linearWeights{}, [][]float64{{1, 0, 0}, {0, 1}, {0, 0, 1}, {1, 1, 1}}, Slice{X: x, Y: x}},
		{"nan basis", linearWeights{}, [][]float64{{1, 0, 0}, {0, math.NaN(), 0}, {0, 0, 1}, {1, 1, 1}}, Slice{X: x, Y: x}},
		{"params", linearWeights{}, basis, Slice{Params: [2]int{0, 3}, X: x, Y: x}},
		{"empty x", linearWeights{}, basis, Slice{Y: x}},
		{"at length", linearWeights{}, basis, Slice{X: x, Y: x, At: []float64{1}}},
		{"at nan", linearWeights{}, basis, Slice{X: x, Y: x, At: []float64{0, 0, math.NaN()}}},
		{"nan weights", nanWeights{}, basis, Slice{X: x, Y: x}},
		{"typed nil morpher", (*morphing.Morpher)(nil), [][]float64{{0}}, Slice{X: x, Y: x}},
		{"short weights", shortWeights{}, basis, Slice{X: x, Y: x}},
	} {
		if _, err := BasisQuality(tc.m, tc.basis, tc.s, Labels{}); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

type nanWeights struct{}

func (nanWeights) NumBasis() int { return 4 }
func (nanWeights) WeightsTo(dst, theta []float64) []float64 {
	return append(dst[:0], math.NaN(), 0, 0, 0)
}

type shortWeights struct{}

func (shortWeights) NumBasis() int { return 4 }
func (shortWeights) WeightsTo(dst, theta []float64) []float64 {
	return append(dst[:0], 1, 1)
}
