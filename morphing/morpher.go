// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// MaxCond is the largest condition number of the component matrix that New
// accepts. Beyond it the morphing weights lose more than about four of the
// sixteen significant digits of float64 and a *SingularError is returned.
const MaxCond = 1e12

// SingularError is returned when the component matrix of a basis is singular
// or too ill-conditioned to give trustworthy morphing weights.
type SingularError struct {
	// Cond is the 2-norm condition number of the component matrix
	// (+Inf if it is exactly singular).
	Cond float64
}

func (e *SingularError) Error() string {
	return fmt.Sprintf("morphing: basis is singular or ill-conditioned (condition number %.3g > %.3g)", e.Cond, MaxCond)
}

// Morpher evaluates morphing weights and their gradients for a fixed set of
// components and a fixed morphing matrix. A Morpher is immutable after
// construction and safe for concurrent use.
type Morpher struct {
	nParams int
	nComp   int
	nBasis  int
	comps   []int     // nComp×nParams exponents, row-major
	m       []float64 // nComp×nBasis morphing matrix, row-major (MadMiner orientation)
	cond    float64
}

// New returns the Morpher for the given components (as from Components) and
// basis points (basis[b] is the parameter point θ_b). The basis needs at least
// as many points as there are components. For a square basis the morphing
// matrix is found with an LU solve; for an over-determined basis it is the SVD
// pseudo-inverse of the component matrix. A singular or ill-conditioned basis
// (condition number above MaxCond) gives a *SingularError.
func New(components [][]int, basis [][]float64) (*Morpher, error) {
	m, err := newShape(components)
	if err != nil {
		return nil, err
	}
	if len(basis) < m.nComp {
		return nil, fmt.Errorf("morphing: %d basis points for %d components, need at least %d", len(basis), m.nComp, m.nComp)
	}
	for b, th := range basis {
		if len(th) != m.nParams {
			return nil, fmt.Errorf("morphing: basis point %d has %d parameters, want %d", b, len(th), m.nParams)
		}
		for p, v := range th {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("morphing: basis point %d parameter %d is %v", b, p, v)
			}
		}
	}
	m.nBasis = len(basis)

	a := mat.NewDense(m.nBasis, m.nComp, nil)
	for b, th := range basis {
		for c := 0; c < m.nComp; c++ {
			a.Set(b, c, m.component(c, th))
		}
	}

	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		return nil, &SingularError{Cond: math.Inf(1)}
	}
	m.cond = svd.Cond()
	if !(m.cond <= MaxCond) {
		return nil, &SingularError{Cond: m.cond}
	}

	var mm mat.Dense // nComp×nBasis
	if m.nBasis == m.nComp {
		var lu mat.LU
		lu.Factorize(a)
		eye := mat.NewDiagDense(m.nComp, nil)
		for i := 0; i < m.nComp; i++ {
			eye.SetDiag(i, 1)
		}
		// A M = 1 gives w = Mᵀc with Σ_b w_b(θ_b') = δ.
		if err := lu.SolveTo(&mm, false, eye); err != nil {
			var cerr mat.Condition
			if !errors.As(err, &cerr) {
				return nil, fmt.Errorf("morphing: could not solve for the morphing matrix: %w", err)
			}
			// Covered by the SVD check above; keep the LU solution.
		}
	} else {
		// Pseudo-inverse A⁺ = V Σ⁻¹ Uᵀ, shape nComp×nBasis.
		var u, v mat.Dense
		svd.UTo(&u)
		svd.VTo(&v)
		s := svd.Values(nil)
		for j := range s {
			col := v.ColView(j).(*mat.VecDense)
			col.ScaleVec(1/s[j], col)
		}
		mm.Mul(&v, u.T())
	}
	m.m = make([]float64, m.nComp*m.nBasis)
	for c := 0; c < m.nComp; c++ {
		for b := 0; b < m.nBasis; b++ {
			m.m[c*m.nBasis+b] = mm.At(c, b)
		}
	}
	return m, nil
}

// NewFromMatrix returns the Morpher for the given components and a morphing
// matrix in MadMiner's orientation: shape (number of components, number of
// basis points), w_b(θ) = Σ_c matrix[c,b] c(θ). This is how
// morphing/morphing_matrix is stored in MadMiner's HDF5 files. The matrix is
// copied. Cond reports the condition number of the matrix itself, which
// equals that of the component matrix for a square basis.
func NewFromMatrix(components [][]int, matrix *mat.Dense) (*Morpher, error) {
	m, err := newShape(components)
	if err != nil {
		return nil, err
	}
	r, c := matrix.Dims()
	if r != m.nComp {
		return nil, fmt.Errorf("morphing: morphing matrix has %d rows, want one per component (%d)", r, m.nComp)
	}
	if c < m.nComp {
		return nil, fmt.Errorf("morphing: morphing matrix has %d columns (basis points), need at least %d", c, m.nComp)
	}
	m.nBasis = c
	m.m = make([]float64, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := matrix.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("morphing: morphing matrix entry (%d,%d) is %v", i, j, v)
			}
			m.m[i*c+j] = v
		}
	}
	var svd mat.SVD
	if svd.Factorize(matrix, mat.SVDNone) {
		m.cond = svd.Cond()
	} else {
		m.cond = math.NaN()
	}
	return m, nil
}

func newShape(components [][]int) (*Morpher, error) {
	if len(components) == 0 {
		return nil, errors.New("morphing: no components")
	}
	np := len(components[0])
	if np == 0 {
		return nil, errors.New("morphing: components have no parameters")
	}
	m := &Morpher{nParams: np, nComp: len(components), comps: make([]int, 0, np*len(components))}
	seen := make(map[string]int, len(components))
	for c, n := range components {
		if len(n) != np {
			return nil, fmt.Errorf("morphing: component %d has %d exponents, want %d", c, len(n), np)
		}
		for p, e := range n {
			if e < 0 {
				return nil, fmt.Errorf("morphing: component %d has negative exponent %d for parameter %d", c, e, p)
			}
		}
		key := fmt.Sprint(n)
		if prev, ok := seen[key]; ok {
			return nil, fmt.Errorf("morphing: component %d %v repeats component %d", c, n, prev)
		}
		seen[key] = c
		m.comps = append(m.comps, n...)
	}
	return m, nil
}

// NumParams returns the number of parameters θ.
func (m *Morpher) NumParams() int { return m.nParams }

// NumComponents returns the number of morphing components.
func (m *Morpher) NumComponents() int { return m.nComp }

// NumBasis returns the number of basis points (benchmarks) in the morphing.
func (m *Morpher) NumBasis() int { return m.nBasis }

// Cond returns the 2-norm condition number of the component matrix
// (for NewFromMatrix, of the morphing matrix).
func (m *Morpher) Cond() float64 { return m.cond }

// Components returns a copy of the components.
func (m *Morpher) Components() [][]int {
	out := make([][]int, m.nComp)
	for c := range out {
		out[c] = append([]int(nil), m.comps[c*m.nParams:(c+1)*m.nParams]...)
	}
	return out
}

// Matrix returns a copy of the morphing matrix in MadMiner's orientation,
// shape (NumComponents, NumBasis).
func (m *Morpher) Matrix() *mat.Dense {
	return mat.NewDense(m.nComp, m.nBasis, append([]float64(nil), m.m...))
}

// component returns c(θ) = ∏_p θ_p^{n_cp}.
func (m *Morpher) component(c int, theta []float64) float64 {
	f := 1.0
	for p, n := range m.comps[c*m.nParams : (c+1)*m.nParams] {
		f *= ipow(theta[p], n)
	}
	return f
}

// ipow returns x**n for n ≥ 0, with 0**0 = 1.
func ipow(x float64, n int) float64 {
	r := 1.0
	for ; n > 0; n-- {
		r *= x
	}
	return r
}

// ComponentsTo writes the component values c(θ) into dst (length
// NumComponents) and returns it. It panics if len(theta) != NumParams.
func (m *Morpher) ComponentsTo(dst, theta []float64) []float64 {
	if len(theta) != m.nParams {
		panic("morphing: wrong number of parameters")
	}
	dst = resize(dst, m.nComp)
	for c := range dst {
		dst[c] = m.component(c, theta)
	}
	return dst
}

// WeightsTo writes the morphing weights w_b(θ) into dst (length NumBasis) and
// returns it. A nil dst is allocated. It panics if len(theta) != NumParams or
// dst has the wrong length.
func (m *Morpher) WeightsTo(dst, theta []float64) []float64 {
	if len(theta) != m.nParams {
		panic("morphing: wrong number of parameters")
	}
	dst = resize(dst, m.nBasis)
	for b := range dst {
		dst[b] = 0
	}
	for c := 0; c < m.nComp; c++ {
		f := m.component(c, theta)
		if f == 0 {
			continue
		}
		row := m.m[c*m.nBasis : (c+1)*m.nBasis]
		for b, v := range row {
			dst[b] += f * v
		}
	}
	return dst
}

// GradientsTo writes the gradients of the morphing weights into dst, row-major
// with shape (NumParams, NumBasis): dst[p*NumBasis()+b] = ∂w_b/∂θ_p. A nil dst
// is allocated. It panics if len(theta) != NumParams or dst has the wrong
// length.
func (m *Morpher) GradientsTo(dst, theta []float64) []float64 {
	if len(theta) != m.nParams {
		panic("morphing: wrong number of parameters")
	}
	nb := m.nBasis
	dst = resize(dst, m.nParams*nb)
	for i := range dst {
		dst[i] = 0
	}
	for c := 0; c < m.nComp; c++ {
		exps := m.comps[c*m.nParams : (c+1)*m.nParams]
		row := m.m[c*nb : (c+1)*nb]
		for p, np := range exps {
			if np == 0 {
				continue
			}
			// ∂c/∂θ_p = n_p θ_p^{n_p−1} ∏_{q≠p} θ_q^{n_q}
			f := float64(np) * ipow(theta[p], np-1)
			for q, nq := range exps {
				if q != p {
					f *= ipow(theta[q], nq)
				}
			}
			if f == 0 {
				continue
			}
			out := dst[p*nb : (p+1)*nb]
			for b, v := range row {
				out[b] += f * v
			}
		}
	}
	return dst
}

// MeanSquaredWeights returns MadMiner's morphing objective, the mean over the
// given parameter points of Σ_b w_b(θ)².
func (m *Morpher) MeanSquaredWeights(thetas [][]float64) float64 {
	if len(thetas) == 0 {
		return math.NaN()
	}
	w := make([]float64, m.nBasis)
	var sum float64
	for _, th := range thetas {
		m.WeightsTo(w, th)
		for _, v := range w {
			sum += v * v
		}
	}
	return sum / float64(len(thetas))
}

func resize(dst []float64, n int) []float64 {
	if dst == nil {
		return make([]float64, n)
	}
	if len(dst) != n {
		panic("morphing: wrong length of dst")
	}
	return dst
}
