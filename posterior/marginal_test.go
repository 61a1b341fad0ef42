// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestGaussHermite: the n-node rule integrates x^k e^{−x²} exactly for
// k ≤ 2n − 1: Γ((k+1)/2) for even k, 0 for odd k (to rounding).
func TestGaussHermite(t *testing.T) {
	for _, n := range []int{1, 2, 5, 9, 20} {
		x, w := GaussHermite(n)
		for k := 0; k <= 2*n-1; k++ {
			var s, abs float64
			for i := range x {
				s += w[i] * math.Pow(x[i], float64(k))
				abs += w[i] * math.Pow(math.Abs(x[i]), float64(k))
			}
			want := 0.0
			if k%2 == 0 {
				want = math.Gamma(float64(k+1) / 2)
			}
			// Rounding: relative to Σ w |x|^k (odd moments cancel).
			if math.Abs(s-want) > 1e-12*math.Max(1, abs) {
				t.Errorf("n = %d: Σ w x^%d = %.15g, want %.15g", n, k, s, want)
			}
		}
	}
}

// trapezoid1 is log ∫ exp(f(ν) − ν²/2) dν on [−10, 10] by the trapezoidal
// rule with n intervals.
func trapezoid1(f func(nu float64) float64, n int) float64 {
	h := 20 / float64(n)
	v := make([]float64, n+1)
	for i := range v {
		nu := -10 + h*float64(i)
		v[i] = f(nu) - nu*nu/2 + math.Log(h)
		if i == 0 || i == n {
			v[i] += math.Log(0.5)
		}
	}
	return logSumExp(v)
}

func TestMarginalize(t *testing.T) {
	// One nuisance parameter: a Gaussian likelihood in ν much narrower
	// than its prior (width 0.01, centred at 0.3 + θ), and a Poisson count
	// n = 1000 with mean 1000 θ (1 + 0.2 ν), both against dense
	// trapezoidal quadrature.
	cases := []struct {
		name string
		ll   func(theta, nu float64) float64
	}{
		{"narrow gaussian", func(th, nu float64) float64 { d := (nu - 0.3 - th) / 0.01; return -d * d / 2 }},
		{"poisson", func(th, nu float64) float64 {
			mu := 1000 * th * (1 + 0.2*nu)
			if mu <= 0 {
				return math.Inf(-1)
			}
			return 1000*math.Log(mu) - mu
		}},
	}
	for _, c := range cases {
		m := Marginalize(func(p []float64) (float64, error) { return c.ll(p[0], p[1]), nil }, 1, 1, nil)
		for _, th := range []float64{0.9, 1, 1.05, 1.2} {
			got, err := m([]float64{th})
			if err != nil {
				t.Fatal(err)
			}
			want := trapezoid1(func(nu float64) float64 { return c.ll(th, nu) }, 400000)
			if math.Abs(got-want) > 1e-6 {
				t.Errorf("%s, θ = %g: log marginal %.10g, quadrature %.10g", c.name, th, got, want)
			}
		}
	}

	// Two correlated nuisance parameters, a Gaussian likelihood
	// −(ν − m)ᵀ P (ν − m)/2 with m depending on θ: exactly
	// log 2π − log det(P + I)/2 − mᵀ (P⁻¹ + I)⁻¹ m/2.
	p := mat.NewSymDense(2, []float64{400, 150, 150, 100})
	mean := func(th float64) []float64 { return []float64{0.2 * th, -0.5 + th} }
	ll := func(q []float64) (float64, error) {
		m := mean(q[0])
		d := mat.NewVecDense(2, []float64{q[1] - m[0], q[2] - m[1]})
		return -0.5 * mat.Inner(d, p, d), nil
	}
	var pi mat.SymDense
	var pI mat.SymDense
	pI.AddSym(p, eye(2))
	var ch mat.Cholesky
	ch.Factorize(p)
	if err := ch.InverseTo(&pi); err != nil {
		t.Fatal(err)
	}
	pi.AddSym(&pi, eye(2))
	ch.Factorize(&pi)
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		t.Fatal(err)
	}
	m := Marginalize(ll, 1, 2, &MarginalSettings{Points: 3})
	for _, th := range []float64{-1, 0, 0.7} {
		got, err := m([]float64{th})
		if err != nil {
			t.Fatal(err)
		}
		mv := mat.NewVecDense(2, mean(th))
		want := math.Log(2*math.Pi) - 0.5*math.Log(mat.Det(&pI)) - 0.5*mat.Inner(mv, &inv, mv)
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("2 nuisance parameters, θ = %g: log marginal %.10g, exact %.10g", th, got, want)
		}
	}
}

func eye(n int) *mat.SymDense {
	e := mat.NewSymDense(n, nil)
	for i := range n {
		e.SetSym(i, i, 1)
	}
	return e
}
