// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"bytes"
	"testing"

	"github.com/goldmine-hep/goldmine/limits/fisher"
)

// Degenerate but valid inputs draw without error: flat fields with no
// contour, a 2×2 grid, all-zero histograms, a single bin.
func TestDegenerateInputsDraw(t *testing.T) {
	x2 := []float64{0, 1}
	build := []struct {
		name string
		f    func() (*Figure, error)
	}{
		{"p all one", func() (*Figure, error) {
			return PValueMap(x2, x2, []Scan{{Label: "a", P: []float64{1, 1, 1, 1}}}, Labels{})
		}},
		{"p all zero, best fit outside", func() (*Figure, error) {
			return PValueMap(x2, x2, []Scan{{Label: "a", P: []float64{0, 0, 0, 0}, BestFit: []float64{5, 5}}}, Labels{})
		}},
		{"curve flat", func() (*Figure, error) {
			return PValueCurves(x2, []Scan{{Label: "a", P: []float64{0, 0}}}, Labels{})
		}},
		{"zero histogram", func() (*Figure, error) {
			return Distributions([]float64{1, 1}, []Weighting{{Label: "a", Weights: []float64{0, 0}}}, nil, Labels{})
		}},
		{"single bin", func() (*Figure, error) {
			return InformationHistogram([]float64{0, 1}, []float64{0}, []float64{0}, Labels{}, "")
		}},
		{"constant quality", func() (*Figure, error) {
			return BasisQuality(linearWeights{}, [][]float64{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
				Slice{Params: [2]int{0, 1}, X: x2, Y: x2, At: nil}, Labels{})
		}},
		{"rank-one only", func() (*Figure, error) {
			return FisherContours([]Information{{Label: "rate", Info: &fisher.Information{Matrix: diag(1, 0)}}}, nil, Labels{})
		}},
	}
	for _, b := range build {
		fig, err := b.f()
		if err != nil {
			t.Errorf("%s: %v", b.name, err)
			continue
		}
		for _, format := range []string{"png", "pdf"} {
			var buf bytes.Buffer
			if err := fig.Encode(&buf, format); err != nil {
				t.Errorf("%s: %s: %v", b.name, format, err)
			}
		}
	}
}
