// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestNewReference checks the reference posterior of a diagonal Fisher
// information I = diag(4, 25) at θ = (0.3, −0.1) against its closed form:
// standard deviations 1/√I_ii, 68.27% intervals θ_i ± σ_i, the 68.27%
// area of the pair 2.2957·π·σ1·σ2 (the χ² quantile of 2 degrees of
// freedom), and on a grid of ±6σ its mean θ and its standard deviations,
// with DensityArray of the right shape integrating to 1.
func TestNewReference(t *testing.T) {
	theta := []float64{0.3, -0.1}
	info := mat.NewSymDense(2, []float64{4, 0, 0, 25})
	sd := []float64{0.5, 0.2}
	axes := make([][]float64, 2)
	for i := range axes {
		for k := range 121 {
			axes[i] = append(axes[i], theta[i]+sd[i]*(-6+0.1*float64(k)))
		}
	}
	const cl = 0.682689492137
	ref, grid, err := NewReference(theta, info, []string{"a", "b"}, axes, []float64{cl})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if math.Abs(ref.Std[i]-sd[i]) > 1e-12 {
			t.Errorf("std %d: %v, want %v", i, ref.Std[i], sd[i])
		}
		if iv := ref.Intervals[0][i]; math.Abs(iv[0]-(theta[i]-sd[i])) > 1e-6 || math.Abs(iv[1]-(theta[i]+sd[i])) > 1e-6 {
			t.Errorf("interval %d: %v, want θ ± σ", i, iv)
		}
		if p := ref.Grid.Params[i]; math.Abs(p.Mean-theta[i]) > 1e-3*sd[i] || math.Abs(p.Std-sd[i]) > 1e-2*sd[i] {
			t.Errorf("grid summary %d: mean %v std %v, want %v, %v", i, p.Mean, p.Std, theta[i], sd[i])
		}
		if ref.Covariance[i][i] != sd[i]*sd[i] && math.Abs(ref.Covariance[i][i]-sd[i]*sd[i]) > 1e-14 {
			t.Errorf("covariance %d: %v", i, ref.Covariance[i][i])
		}
	}
	if ref.Information[1][1] != 25 {
		t.Errorf("information %v", ref.Information)
	}
	wantArea := -2 * math.Log(1-cl) * math.Pi * sd[0] * sd[1]
	if len(ref.Areas) != 1 || ref.Areas[0].Params != [2]string{"a", "b"} || math.Abs(ref.Areas[0].Area-wantArea) > 1e-9*wantArea {
		t.Errorf("areas %+v, want one of %v", ref.Areas, wantArea)
	}
	shape, dens := grid.DensityArray()
	if len(shape) != 2 || shape[0] != 121 || shape[1] != 121 || len(dens) != 121*121 {
		t.Fatalf("density array of shape %v and %d values", shape, len(dens))
	}
	sum := 0.0
	for _, d := range dens {
		sum += d
	}
	if cell := 0.1 * sd[0] * 0.1 * sd[1]; math.Abs(sum*cell-1) > 1e-3 {
		t.Errorf("the density integrates to %v", sum*cell)
	}
	if _, marg := grid.Marginal(1).DensityArray(); len(marg) != 121 {
		t.Errorf("marginal of b: %d values", len(marg))
	}
	if _, _, err := NewReference(theta, info, []string{"a"}, axes, nil); err == nil {
		t.Error("one name for two parameters: no error")
	}
}
