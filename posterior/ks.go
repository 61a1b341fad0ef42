// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"slices"
)

// KSUniform returns the Kolmogorov–Smirnov distance
// D = sup |F_n(u) − u| of the values u from U(0, 1) and its p-value
// P(D_n > D) ≈ Q_KS((√n + 0.12 + 0.11/√n) D) (Stephens, J. R. Statist.
// Soc. B 32 (1970) 115), with Q_KS(λ) = 2 Σ_{j≥1} (−1)^(j−1) e^(−2j²λ²)
// the Kolmogorov distribution's survival function.
func KSUniform(u []float64) (d, p float64) {
	s := slices.Clone(u)
	slices.Sort(s)
	n := float64(len(s))
	for i, v := range s {
		d = math.Max(d, math.Max(float64(i+1)/n-v, v-float64(i)/n))
	}
	sn := math.Sqrt(n)
	return d, KolmogorovQ((sn + 0.12 + 0.11/sn) * d)
}

// KolmogorovQ returns Q_KS(λ) = P(K > λ) for the Kolmogorov distribution,
// from the alternating series for λ ≥ 1.18 and from the Jacobi theta form
// 1 − (√(2π)/λ) Σ_{j≥1} exp(−(2j−1)²π²/(8λ²)) below.
func KolmogorovQ(lambda float64) float64 {
	switch {
	case lambda <= 0:
		return 1
	case lambda < 1.18:
		s := 0.0
		for j := 1; j <= 20; j++ {
			k := float64(2*j - 1)
			s += math.Exp(-k * k * math.Pi * math.Pi / (8 * lambda * lambda))
		}
		return math.Max(0, math.Min(1, 1-math.Sqrt(2*math.Pi)/lambda*s))
	}
	s, sign := 0.0, 1.0
	for j := 1; j <= 100; j++ {
		fj := float64(j)
		term := math.Exp(-2 * fj * fj * lambda * lambda)
		s += sign * term
		if term < 1e-17 {
			break
		}
		sign = -sign
	}
	return math.Max(0, math.Min(1, 2*s))
}
