// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package logistic

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestNaive compares with the textbook formulas where they are accurate.
func TestNaive(t *testing.T) {
	for _, z := range []float64{-30, -5, -1, -0.3, 0, 0.3, 1, 5, 30} {
		if got, want := Sigmoid(z), 1/(1+math.Exp(-z)); !scalar.EqualWithinAbsOrRel(got, want, 0, 1e-15) {
			t.Errorf("Sigmoid(%g) = %v, want %v", z, got, want)
		}
		if got, want := Softplus(z), math.Log(1+math.Exp(z)); !scalar.EqualWithinAbsOrRel(got, want, 1e-15, 1e-15) {
			t.Errorf("Softplus(%g) = %v, want %v", z, got, want)
		}
	}
}

// TestTails checks the large |z| where the textbook formulas overflow or
// cancel: Sigmoid(z) → e^z and Softplus(z) → e^z below, Sigmoid → 1 and
// Softplus(z) → z above, and the symmetry Sigmoid(z) + Sigmoid(−z) = 1.
func TestTails(t *testing.T) {
	for _, z := range []float64{40, 100, 700, 800, math.Inf(1)} {
		if got := Sigmoid(z); got != 1 {
			t.Errorf("Sigmoid(%g) = %v, want 1", z, got)
		}
		if got := Softplus(z); got != z {
			t.Errorf("Softplus(%g) = %v, want %g", z, got, z)
		}
		if got := Sigmoid(-z); !scalar.EqualWithinAbsOrRel(got, math.Exp(-z), 0, 1e-15) {
			t.Errorf("Sigmoid(%g) = %v, want %v", -z, got, math.Exp(-z))
		}
		if got := Softplus(-z); !scalar.EqualWithinAbsOrRel(got, math.Exp(-z), 0, 1e-15) {
			t.Errorf("Softplus(%g) = %v, want %v", -z, got, math.Exp(-z))
		}
	}
	for _, z := range []float64{0, 0.5, 3, 20} {
		if s := Sigmoid(z) + Sigmoid(-z); !scalar.EqualWithinAbsOrRel(s, 1, 0, 1e-15) {
			t.Errorf("Sigmoid(%g) + Sigmoid(%g) = %v, want 1", z, -z, s)
		}
	}
}

// TestDerivative checks Softplus′ = Sigmoid against finite differences.
func TestDerivative(t *testing.T) {
	for _, z := range []float64{-8, -1, -0.2, 0, 0.2, 1, 8} {
		d := fd.Derivative(Softplus, z, &fd.Settings{Formula: fd.Central})
		if !scalar.EqualWithinAbsOrRel(d, Sigmoid(z), 1e-8, 1e-7) {
			t.Errorf("Softplus′(%g) = %v by finite differences, Sigmoid = %v", z, d, Sigmoid(z))
		}
	}
}
