// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package moments

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat"
)

// TestMeanStdGonum compares with gonum's stat.MeanStdDev, which sums
// differently: the two agree to rounding.
func TestMeanStdGonum(t *testing.T) {
	for n := 2; n < 40; n += 7 {
		x := make([]float64, n)
		for i := range x {
			x[i] = 10 + math.Sin(float64(i*i))
		}
		mean, std := MeanStd(x)
		wantMean, wantStd := stat.MeanStdDev(x, nil)
		if !scalar.EqualWithinAbsOrRel(mean, wantMean, 0, 1e-14) || !scalar.EqualWithinAbsOrRel(std, wantStd, 0, 1e-12) {
			t.Errorf("n=%d: MeanStd = %v, %v, stat.MeanStdDev = %v, %v", n, mean, std, wantMean, wantStd)
		}
	}
}

// TestMeanStd checks closed forms, and the conventions for fewer than
// two values.
func TestMeanStd(t *testing.T) {
	for i, tc := range []struct {
		x         []float64
		mean, std float64
		meanIsNaN bool
	}{
		{x: nil, meanIsNaN: true},
		{x: []float64{3}, mean: 3},
		{x: []float64{math.Inf(1)}, mean: math.Inf(1)},
		{x: []float64{1, 3}, mean: 2, std: math.Sqrt2},
		// Σ(x−2.5)² = 5, exact in binary.
		{x: []float64{1, 2, 3, 4}, mean: 2.5, std: math.Sqrt(5.0 / 3)},
	} {
		mean, std := MeanStd(tc.x)
		okMean := math.IsNaN(mean) == tc.meanIsNaN && (tc.meanIsNaN || scalar.EqualWithinULP(mean, tc.mean, 1))
		if !okMean || !scalar.EqualWithinULP(std, tc.std, 1) {
			t.Errorf("case %d: MeanStd(%v) = %v, %v, want %v, %v", i, tc.x, mean, std, tc.mean, tc.std)
		}
	}
}
