// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// SingularError is returned when a block that must be inverted is singular.
type SingularError struct {
	Cond float64
}

func (e SingularError) Error() string {
	return fmt.Sprintf("fisher: singular nuisance block (condition number %g)", e.Cond)
}

func complement(n int, keep []int) []int {
	in := make([]bool, n)
	for _, k := range keep {
		if k < 0 || k >= n {
			panic(fmt.Sprintf("fisher: parameter index %d out of range [0,%d)", k, n))
		}
		if in[k] {
			panic(fmt.Sprintf("fisher: parameter index %d given twice", k))
		}
		in[k] = true
	}
	var rest []int
	for i := 0; i < n; i++ {
		if !in[i] {
			rest = append(rest, i)
		}
	}
	return rest
}

// Project returns the information of the parameters keep with all others
// fixed (the sub-block), with the matching covariance entries.
func Project(in *Information, keep []int) *Information {
	complement(in.N, keep) // validates
	m := len(keep)
	out := &Information{N: m, Matrix: make([]float64, m*m)}
	for a, i := range keep {
		for b, j := range keep {
			out.Matrix[a*m+b] = in.At(i, j)
		}
	}
	if in.Cov != nil {
		out.Cov = make([]float64, m*m*m*m)
		for a, i := range keep {
			for b, j := range keep {
				for c, k := range keep {
					for d, l := range keep {
						out.Cov[((a*m+b)*m+c)*m+d] = in.CovAt(i, j, k, l)
					}
				}
			}
		}
	}
	return out
}

// schur returns A − B C⁻¹ Bᵀ for the kept (A) and profiled (C) blocks of a
// square n×n matrix given row-major.
func schur(n int, x []float64, keep, prof []int) ([]float64, error) {
	m, r := len(keep), len(prof)
	out := make([]float64, m*m)
	for a, i := range keep {
		for b, j := range keep {
			out[a*m+b] = x[i*n+j]
		}
	}
	if r == 0 {
		return out, nil
	}
	c := mat.NewDense(r, r, nil)
	for a, i := range prof {
		for b, j := range prof {
			c.Set(a, b, x[i*n+j])
		}
	}
	bt := mat.NewDense(r, m, nil) // C-rows × kept-columns: x[prof, keep]
	for a, i := range prof {
		for b, j := range keep {
			bt.Set(a, b, x[i*n+j])
		}
	}
	var lu mat.LU
	lu.Factorize(c)
	if cond := lu.Cond(); cond > 1e14 || math.IsInf(cond, 0) || math.IsNaN(cond) {
		return nil, SingularError{Cond: cond}
	}
	var sol mat.Dense // C⁻¹ x[prof, keep]
	if err := lu.SolveTo(&sol, false, bt); err != nil {
		return nil, SingularError{Cond: lu.Cond()}
	}
	for a, i := range keep {
		for b := range keep {
			s := 0.0
			for q, p := range prof {
				s += x[i*n+p] * sol.At(q, b)
			}
			out[a*m+b] -= s
		}
	}
	return out, nil
}

// Profile returns the information on the parameters keep after profiling
// over all other parameters (the Schur complement I_kk − I_kn I_nn⁻¹ I_nk),
// the parameters in the order given. The covariance, if present, is
// propagated linearly. Add constraint terms for nuisance parameters first
// (AddGaussianConstraint).
func Profile(in *Information, keep []int) (*Information, error) {
	prof := complement(in.N, keep)
	m := len(keep)
	p, err := schur(in.N, in.Matrix, keep, prof)
	if err != nil {
		return nil, err
	}
	out := &Information{N: m, Matrix: p}
	if in.Cov == nil {
		return out, nil
	}
	// Jacobian of the profiled entries with respect to every entry of the
	// full matrix, by exact differentiation of the Schur complement:
	// dP = dA − dB C⁻¹ Bᵀ − B C⁻¹ dBᵀ + B C⁻¹ dC C⁻¹ Bᵀ, i.e. dP_ab =
	// Σ_ij G_ai dI_ij G_bj with G = [1, −B C⁻¹] in the (keep, prof) order.
	n := in.N
	g := make([]float64, m*n) // G[a][i]
	for a, i := range keep {
		g[a*n+i] = 1
	}
	if len(prof) > 0 {
		r := len(prof)
		c := mat.NewDense(r, r, nil)
		for a, i := range prof {
			for b, j := range prof {
				c.Set(a, b, in.At(i, j))
			}
		}
		var ci mat.Dense
		if err := ci.Inverse(c); err != nil {
			return nil, SingularError{Cond: mat.Cond(c, 1)}
		}
		for a, i := range keep {
			for q, pq := range prof {
				s := 0.0
				for s2, ps := range prof {
					s += in.At(i, ps) * ci.At(s2, q)
				}
				g[a*n+pq] = -s
			}
		}
	}
	n2 := n * n
	jac := make([]float64, m*m*n2)
	for a := 0; a < m; a++ {
		for b := 0; b < m; b++ {
			row := jac[(a*m+b)*n2 : (a*m+b+1)*n2]
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					row[i*n+j] = g[a*n+i] * g[b*n+j]
				}
			}
		}
	}
	out.Cov = make([]float64, m*m*m*m)
	tmp := make([]float64, n2)
	for x := 0; x < m*m; x++ {
		jx := jac[x*n2 : (x+1)*n2]
		for k := 0; k < n2; k++ {
			s := 0.0
			for l := 0; l < n2; l++ {
				s += jx[l] * in.Cov[l*n2+k]
			}
			tmp[k] = s
		}
		for y := 0; y < m*m; y++ {
			jy := jac[y*n2 : (y+1)*n2]
			s := 0.0
			for k := 0; k < n2; k++ {
				s += tmp[k] * jy[k]
			}
			out.Cov[x*m*m+y] = s
		}
	}
	return out, nil
}

// AddGaussianConstraint adds the information 1/σ² of a Gaussian constraint
// of width sigma on parameter i. With nuisance parameters measured in units
// of their uncertainty (MadMiner's convention) sigma is 1.
func (in *Information) AddGaussianConstraint(i int, sigma float64) {
	in.Matrix[i*in.N+i] += 1 / (sigma * sigma)
}

// Distance returns the linearised distance d = √(Δθᵀ I Δθ) between θ and
// θ+Δθ.
func Distance(in *Information, dtheta []float64) float64 {
	if len(dtheta) != in.N {
		panic("fisher: distance dimension mismatch")
	}
	s := 0.0
	for i, a := range dtheta {
		for j, b := range dtheta {
			s += a * in.At(i, j) * b
		}
	}
	return math.Sqrt(math.Max(s, 0))
}

// Contour returns n points of the contour d(θ) = scale around center for
// a 2×2 information (profile or project first), i.e. the ellipse
// Δθᵀ I Δθ = scale². It returns an error if I is not positive definite.
func Contour(in *Information, center []float64, scale float64, n int) ([][2]float64, error) {
	if in.N != 2 || len(center) != 2 {
		panic("fisher: contour needs a 2×2 information")
	}
	var es mat.EigenSym
	if !es.Factorize(in.Sym(), true) {
		return nil, fmt.Errorf("fisher: eigen-decomposition failed")
	}
	vals := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	if vals[0] <= 0 || vals[1] <= 0 {
		return nil, fmt.Errorf("fisher: information not positive definite (eigenvalues %v)", vals)
	}
	out := make([][2]float64, n)
	for k := range out {
		phi := 2 * math.Pi * float64(k) / float64(n)
		u0 := scale * math.Cos(phi) / math.Sqrt(vals[0])
		u1 := scale * math.Sin(phi) / math.Sqrt(vals[1])
		out[k] = [2]float64{
			center[0] + vecs.At(0, 0)*u0 + vecs.At(0, 1)*u1,
			center[1] + vecs.At(1, 0)*u0 + vecs.At(1, 1)*u1,
		}
	}
	return out, nil
}

// NuisanceCoefficients returns MadMiner's nuisance morphing coefficients of
// one event or bin: with the weight wRef at the reference and wUp (and,
// for a two-sided variation, wDown; pass NaN for one-sided) at ν = ±1,
// dσ(ν) = dσ(0)·exp(a ν + b ν²) with a = ½(log wUp/wRef − log wDown/wRef)
// and b = ½(log wUp/wRef + log wDown/wRef), or a = log wUp/wRef, b = 0.
// The a returned is ∂ log dσ/∂ν at ν = 0, the input Truth and Binned take.
func NuisanceCoefficients(wRef, wUp, wDown float64) (a, b float64) {
	up := math.Log(wUp / wRef)
	if math.IsNaN(wDown) {
		return up, 0
	}
	down := math.Log(wDown / wRef)
	return 0.5 * (up - down), 0.5 * (up + down)
}

func mathDet(s *mat.SymDense) float64 { return mat.Det(s) }

// NuisanceConstraint returns the information of unit Gaussian constraints
// on the nNuisance nuisance parameters that follow nParams physics
// parameters (MadMiner's nuisance_constraint_information).
func NuisanceConstraint(nParams, nNuisance int) *Information {
	n := nParams + nNuisance
	in := &Information{N: n, Matrix: make([]float64, n*n)}
	for k := nParams; k < n; k++ {
		in.Matrix[k*n+k] = 1
	}
	return in
}
