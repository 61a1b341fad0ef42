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
	complement(in.Dim(), keep) // validates
	m := len(keep)
	x := make([]float64, m*m)
	for a, i := range keep {
		for b, j := range keep {
			x[a*m+b] = in.At(i, j)
		}
	}
	var cov []float64
	if in.Cov != nil {
		cov = make([]float64, m*m*m*m)
		for a, i := range keep {
			for b, j := range keep {
				for c, k := range keep {
					for d, l := range keep {
						cov[((a*m+b)*m+c)*m+d] = in.CovAt(i, j, k, l)
					}
				}
			}
		}
	}
	return newInformation(m, x, cov)
}

// schur returns A − B C⁻¹ Bᵀ for the kept (A) and profiled (C) blocks of
// the symmetric matrix x, and C⁻¹ Bᵀ (rows: profiled, columns: kept; nil
// when nothing is profiled). The one singularity test of the package: C
// is singular when its LU condition number exceeds 1e14.
func schur(x mat.Symmetric, keep, prof []int) (out []float64, sol *mat.Dense, err error) {
	m, r := len(keep), len(prof)
	out = make([]float64, m*m)
	for a, i := range keep {
		for b, j := range keep {
			out[a*m+b] = x.At(i, j)
		}
	}
	if r == 0 {
		return out, nil, nil
	}
	c := mat.NewDense(r, r, nil)
	for a, i := range prof {
		for b, j := range prof {
			c.Set(a, b, x.At(i, j))
		}
	}
	bt := mat.NewDense(r, m, nil) // C-rows × kept-columns: x[prof, keep]
	for a, i := range prof {
		for b, j := range keep {
			bt.Set(a, b, x.At(i, j))
		}
	}
	var lu mat.LU
	lu.Factorize(c)
	if cond := lu.Cond(); cond > 1e14 || math.IsInf(cond, 0) || math.IsNaN(cond) {
		return nil, nil, SingularError{Cond: cond}
	}
	sol = &mat.Dense{} // C⁻¹ x[prof, keep]
	if err := lu.SolveTo(sol, false, bt); err != nil {
		return nil, nil, SingularError{Cond: lu.Cond()}
	}
	for a, i := range keep {
		for b := range keep {
			s := 0.0
			for q, p := range prof {
				s += x.At(i, p) * sol.At(q, b)
			}
			out[a*m+b] -= s
		}
	}
	return out, sol, nil
}

// Profile returns the information on the parameters keep after profiling
// over all other parameters (the Schur complement I_kk − I_kn I_nn⁻¹ I_nk,
// whose inverse is the (k, k) block of I⁻¹), the parameters in the order
// given. The covariance, if present, is propagated linearly. A singular
// block of profiled parameters is a SingularError. Add constraint terms
// for nuisance parameters first (AddGaussianConstraint).
func Profile(in *Information, keep []int) (*Information, error) {
	n := in.Dim()
	prof := complement(n, keep)
	m := len(keep)
	p, sol, err := schur(in.Matrix, keep, prof)
	if err != nil {
		return nil, err
	}
	if in.Cov == nil {
		return newInformation(m, p, nil), nil
	}
	// Jacobian of the profiled entries with respect to every entry of the
	// full matrix, by exact differentiation of the Schur complement:
	// dP = dA − dB C⁻¹ Bᵀ − B C⁻¹ dBᵀ + B C⁻¹ dC C⁻¹ Bᵀ, i.e. dP_ab =
	// Σ_ij G_ai dI_ij G_bj with G = [1, −B C⁻¹] in the (keep, prof) order.
	g := make([]float64, m*n) // G[a][i]
	for a, i := range keep {
		g[a*n+i] = 1
		for q, pq := range prof {
			g[a*n+pq] = -sol.At(q, a) // (B C⁻¹)_aq = (C⁻¹ Bᵀ)_qa, C symmetric
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
	cov := make([]float64, m*m*m*m)
	tmp := make([]float64, n2)
	for x := 0; x < m*m; x++ {
		jx := jac[x*n2 : (x+1)*n2]
		for k := 0; k < n2; k++ {
			s := 0.0
			for l := 0; l < n2; l++ {
				s += jx[l] * in.Cov.At(l, k)
			}
			tmp[k] = s
		}
		for y := 0; y < m*m; y++ {
			jy := jac[y*n2 : (y+1)*n2]
			s := 0.0
			for k := 0; k < n2; k++ {
				s += tmp[k] * jy[k]
			}
			cov[x*m*m+y] = s
		}
	}
	return newInformation(m, p, cov), nil
}

// Reduce returns the information on the parameters keep, the others either
// fixed (profile false: Project) or profiled (Profile).
func Reduce(in *Information, keep []int, profile bool) (*Information, error) {
	if !profile {
		return Project(in, keep), nil
	}
	return Profile(in, keep)
}

// AddGaussianConstraint adds the information 1/σ² of a Gaussian constraint
// of width sigma on parameter i. With nuisance parameters measured in units
// of their uncertainty (MadMiner's convention) sigma is 1.
func (in *Information) AddGaussianConstraint(i int, sigma float64) {
	in.Matrix.SetSym(i, i, in.Matrix.At(i, i)+1/(sigma*sigma))
}

// Distance returns the linearised distance d = √(Δθᵀ I Δθ) between θ and
// θ+Δθ.
func Distance(in *Information, dtheta []float64) float64 {
	if len(dtheta) != in.Dim() {
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
	if in.Dim() != 2 || len(center) != 2 {
		panic("fisher: contour needs a 2×2 information")
	}
	var es mat.EigenSym
	if !es.Factorize(in.Matrix, true) {
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

// NuisanceConstraint returns the information of unit Gaussian constraints
// on the nNuisance nuisance parameters that follow nParams physics
// parameters (MadMiner's nuisance_constraint_information).
func NuisanceConstraint(nParams, nNuisance int) *Information {
	n := nParams + nNuisance
	m := mat.NewSymDense(n, nil)
	for k := nParams; k < n; k++ {
		m.SetSym(k, k, 1)
	}
	return &Information{Matrix: m}
}
