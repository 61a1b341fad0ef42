// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

import "math"

// WrittenPrecision returns the largest relative rounding error of a number
// written in exponent notation with the given number of significant digits,
// half a unit of the last digit: 0.5×10^(1−digits). MG5_aMC writes event
// weights with "%+.7e", eight significant digits: WrittenPrecision(8) =
// 5e-8.
func WrittenPrecision(digits int) float64 {
	return 0.5 * math.Pow(10, float64(1-digits))
}

// Deviation compares the weight an event has at a point θ, computed there
// directly by the generator (Stored), with the morphing prediction from the
// same event's basis weights (Predicted).
type Deviation struct {
	Predicted float64 // Σ_b w_b(θ) W_b
	Stored    float64
	// AbsSum is Σ_b |w_b(θ) W_b|: where it is much larger than |Stored|,
	// the morphing cancels large terms and amplifies their rounding.
	AbsSum float64
	// Bound is the largest |Predicted − Stored| that rounding the inputs to
	// the relative precision eps can cause: eps (Σ_b |w_b(θ) W_b| + |Stored|),
	// plus the float64 rounding of the sum. Where the morphing has large
	// cancellations (Σ_b |w_b W_b| ≫ |Stored|) it exceeds eps |Stored|.
	Bound float64
}

// Abs returns |Predicted − Stored|.
func (d Deviation) Abs() float64 { return math.Abs(d.Predicted - d.Stored) }

// Rel returns |Predicted − Stored| / |Stored|: 0 if both are 0, +Inf if only
// Stored is.
func (d Deviation) Rel() float64 {
	a := d.Abs()
	switch {
	case a == 0:
		return 0
	case d.Stored == 0:
		return math.Inf(1)
	}
	return a / math.Abs(d.Stored)
}

// Excess returns |Predicted − Stored| / Bound. Above 1, the rounding of the
// written weights cannot explain the difference: the morphing does not
// describe the weight. It is 0 if both are equal and +Inf if Bound is 0
// while they differ.
func (d Deviation) Excess() float64 {
	a := d.Abs()
	switch {
	case a == 0:
		return 0
	case d.Bound == 0:
		return math.Inf(1)
	}
	return a / d.Bound
}

// CompareWeight returns the Deviation of an event's stored weight at θ from
// the morphing of its basis weights basis (one per basis point, in the
// order of the morpher), where w holds the morphing weights at θ (from
// WeightsTo) and eps is the relative precision to which the weights were
// written (WrittenPrecision). It panics if w and basis differ in length.
func CompareWeight(w, basis []float64, stored, eps float64) Deviation {
	if len(w) != len(basis) {
		panic("morphing: CompareWeight: morphing weights and basis weights differ in length")
	}
	var pred, abs float64
	for b, v := range w {
		t := v * basis[b]
		pred += t
		abs += math.Abs(t)
	}
	// float64 rounding of the products and the sum (a few ulps of each
	// term), next to the written precision.
	const ulp = 0x1p-52
	bound := eps*(abs+math.Abs(stored)) + float64(len(w)+2)*ulp*(abs+math.Abs(stored))
	return Deviation{Predicted: pred, Stored: stored, AbsSum: abs, Bound: bound}
}
