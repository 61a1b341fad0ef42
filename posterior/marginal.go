// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// MarginalSettings configures Marginalize. A nil *MarginalSettings means
// all defaults.
type MarginalSettings struct {
	// Points is the number of Gauss–Hermite nodes per nuisance parameter;
	// 0 means 9.
	Points int
	// Step is the finite-difference step in ν (units of its uncertainty)
	// of the mode search and the curvature; 0 means 1e-4.
	Step float64
}

// Marginalize returns the log-likelihood of the np parameters of interest
// with the nn nuisance parameters ν of ll (which takes θ then ν)
// integrated out against their priors N(0, 1):
//
//	log ∫ L(θ, ν) φ(ν) dν,  φ the standard normal density in nn dimensions,
//
// by adaptive Gauss–Hermite quadrature (Liu and Pierce, Biometrika 81
// (1994) 624): at every θ, the mode ν̂ of f(ν) = log L(θ, ν) − |ν|²/2 is
// found by Newton's method and the curvature H = −∇²f(ν̂) (both by finite
// differences), and with H = C Cᵀ and the nodes x_k, weights w_k of the
// rule ∫ e^{−x²} g(x) dx ≈ Σ w_k g(x_k) (per dimension, tensor product),
//
//	∫ e^{f(ν)} dν ≈ 2^{nn/2} / det C · Σ_k w_k e^{f(ν̂ + √2 C⁻ᵀ x_k) + |x_k|²}.
//
// It is exact for an f quadratic in ν (Laplace's approximation is its
// one-node case) and places the nodes where the integrand lives however
// much narrower than the prior the data make it; a fixed grid on the
// prior's range misses a likelihood that constrains ν better than its
// prior. The constant −(nn/2) log 2π is dropped. Cost: about
// (nn+1)(nn+2)/2 evaluations per Newton step and Points^nn per θ.
func Marginalize(ll LogLikelihood, np, nn int, s *MarginalSettings) LogLikelihood {
	var set MarginalSettings
	if s != nil {
		set = *s
	}
	if set.Points <= 0 {
		set.Points = 9
	}
	if set.Step <= 0 {
		set.Step = 1e-4
	}
	if nn == 0 {
		return ll
	}
	x, w := GaussHermite(set.Points)
	full := make([]float64, np+nn)
	nu := make([]float64, nn)
	return func(theta []float64) (float64, error) {
		copy(full, theta[:np])
		f := func(v []float64) (float64, error) {
			copy(full[np:], v)
			l, err := ll(full)
			if err != nil {
				return 0, err
			}
			if math.IsNaN(l) || math.IsInf(l, 1) {
				return 0, fmt.Errorf("posterior: log-likelihood %v at %v", l, full)
			}
			return l - 0.5*dot(v, v), nil
		}
		for i := range nu {
			nu[i] = 0
		}
		f0, hess, err := mode(f, nu, set.Step)
		if err != nil {
			return 0, fmt.Errorf("posterior: marginalising the nuisance parameters at θ = %v: %w", theta[:np], err)
		}
		if math.IsInf(f0, -1) {
			return f0, nil
		}
		var ch mat.Cholesky
		if !ch.Factorize(hess) {
			return 0, fmt.Errorf("posterior: marginalising the nuisance parameters at θ = %v: the curvature at the mode ν̂ = %v is not positive definite", theta[:np], nu)
		}
		var c mat.TriDense
		ch.LTo(&c)
		logDetC := 0.0
		for i := range nn {
			logDetC += math.Log(c.At(i, i))
		}
		idx := make([]int, nn)
		b := make([]float64, nn)
		terms := make([]float64, 0, pow(set.Points, nn))
		v := make([]float64, nn)
		for {
			lw, x2 := 0.0, 0.0
			for i, k := range idx {
				b[i] = math.Sqrt2 * x[k]
				lw += math.Log(w[k])
				x2 += x[k] * x[k]
			}
			// ν = ν̂ + d, Cᵀ d = √2 x by back substitution (C lower
			// triangular).
			for i := nn - 1; i >= 0; i-- {
				r := b[i]
				for j := i + 1; j < nn; j++ {
					r -= c.At(j, i) * (v[j] - nu[j])
				}
				v[i] = nu[i] + r/c.At(i, i)
			}
			fv, err := f(v)
			if err != nil {
				return 0, err
			}
			terms = append(terms, lw+fv+x2)
			// Next node of the tensor product.
			i := 0
			for ; i < nn; i++ {
				idx[i]++
				if idx[i] < len(x) {
					break
				}
				idx[i] = 0
			}
			if i == nn {
				break
			}
		}
		return logSumExp(terms) + float64(nn)/2*math.Ln2 - logDetC, nil
	}
}

// mode maximises f from nu (overwritten with the mode) by Newton's method
// with finite-difference derivatives and step halving; it returns f at
// the mode and −∇²f there.
func mode(f func([]float64) (float64, error), nu []float64, h float64) (float64, *mat.SymDense, error) {
	n := len(nu)
	fx, err := f(nu)
	if err != nil {
		return 0, nil, err
	}
	if math.IsInf(fx, -1) {
		return fx, nil, nil
	}
	g := make([]float64, n)
	hess := mat.NewSymDense(n, nil)
	try := make([]float64, n)
	for iter := 0; iter < 50; iter++ {
		if err := derivatives(f, nu, fx, h, g, hess); err != nil {
			return 0, nil, err
		}
		// Newton step Δ = H⁻¹ g with H = −∇²f; where H is not positive
		// definite, a gradient step of length at most 1.
		var step mat.VecDense
		var ch mat.Cholesky
		if ch.Factorize(hess) {
			if err := ch.SolveVecTo(&step, mat.NewVecDense(n, g)); err != nil {
				return 0, nil, err
			}
		} else {
			step.CloneFromVec(mat.NewVecDense(n, g))
			if l := mat.Norm(&step, 2); l > 1 {
				step.ScaleVec(1/l, &step)
			}
		}
		t := 1.0
		improved := false
		for k := 0; k < 40; k++ {
			for i := range try {
				try[i] = nu[i] + t*step.AtVec(i)
			}
			ft, err := f(try)
			if err != nil {
				return 0, nil, err
			}
			if ft >= fx {
				improved = ft > fx
				copy(nu, try)
				fx = ft
				break
			}
			t /= 2
		}
		if !improved || t*mat.Norm(&step, math.Inf(1)) < 1e-9 {
			break
		}
	}
	if err := derivatives(f, nu, fx, h, g, hess); err != nil {
		return 0, nil, err
	}
	return fx, hess, nil
}

// derivatives sets g to ∇f and hess to −∇²f at x by central differences
// of step h (f(x) = fx).
func derivatives(f func([]float64) (float64, error), x []float64, fx, h float64, g []float64, hess *mat.SymDense) error {
	n := len(x)
	y := make([]float64, n)
	at := func(di, dj int, si, sj float64) (float64, error) {
		copy(y, x)
		y[di] += si * h
		if dj >= 0 {
			y[dj] += sj * h
		}
		return f(y)
	}
	for i := range n {
		fp, err := at(i, -1, 1, 0)
		if err != nil {
			return err
		}
		fm, err := at(i, -1, -1, 0)
		if err != nil {
			return err
		}
		g[i] = (fp - fm) / (2 * h)
		hess.SetSym(i, i, -(fp-2*fx+fm)/(h*h))
		for j := i + 1; j < n; j++ {
			var v [4]float64
			for k, s := range [4][2]float64{{1, 1}, {1, -1}, {-1, 1}, {-1, -1}} {
				var err error
				if v[k], err = at(i, j, s[0], s[1]); err != nil {
					return err
				}
			}
			hess.SetSym(i, j, -(v[0]-v[1]-v[2]+v[3])/(4*h*h))
		}
	}
	return nil
}

// GaussHermite returns the n nodes and weights of the Gauss–Hermite rule
// ∫ e^{−x²} g(x) dx ≈ Σ w_k g(x_k), exact for polynomials g of degree up
// to 2n − 1, from the eigenvalues of the Jacobi matrix of the Hermite
// polynomials (Golub and Welsch, Math. Comp. 23 (1969) 221): off-diagonal
// √(k/2), nodes its eigenvalues, weights √π v₁² (v the normalised
// eigenvectors).
func GaussHermite(n int) (x, w []float64) {
	j := mat.NewSymDense(n, nil)
	for k := 1; k < n; k++ {
		j.SetSym(k-1, k, math.Sqrt(float64(k)/2))
	}
	var es mat.EigenSym
	if !es.Factorize(j, true) {
		panic("posterior: Gauss–Hermite eigen decomposition failed")
	}
	vals := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return vals[order[a]] < vals[order[b]] })
	for _, i := range order {
		x = append(x, vals[i])
		v := vecs.At(0, i)
		w = append(w, math.SqrtPi*v*v)
	}
	return x, w
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func pow(a, b int) int {
	r := 1
	for range b {
		r *= a
	}
	return r
}

func logSumExp(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	if math.IsInf(m, -1) {
		return m
	}
	var s float64
	for _, x := range v {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}
