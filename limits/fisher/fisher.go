// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// DefaultLuminosity is 300 fb⁻¹ in pb⁻¹.
const DefaultLuminosity = 3e5

// Morpher gives the morphing weights w_b(θ) and their gradients. It is
// implemented by *morphing.Morpher.
type Morpher interface {
	// WeightsTo writes w_b(θ) for the NumBasis basis benchmarks into dst.
	WeightsTo(dst, theta []float64) []float64
	// GradientsTo writes ∂w_b/∂θ_p into dst[p*NumBasis+b].
	GradientsTo(dst, theta []float64) []float64
	NumParams() int
	NumBasis() int
}

// Information is a Fisher information matrix over n parameters (physics
// parameters first, then nuisance parameters) with, optionally, the
// covariance of its entries. It is the one representation of a Fisher
// information in goldmine: ml's FisherInformation methods return the two
// gonum matrices it holds, and package plot draws it.
type Information struct {
	// Matrix holds I_ij.
	Matrix *mat.SymDense
	// Cov, if not nil, holds cov(I_ij, I_kl) at row i·n+j and column
	// k·n+l (n² × n², the layout of ml.Ensemble.FisherInformation).
	Cov *mat.SymDense
}

// newInformation returns the information of the row-major n×n matrix x
// and, if cov is not nil, the row-major n²×n² covariance cov. Only their
// upper triangles are read.
func newInformation(n int, x, cov []float64) *Information {
	in := &Information{Matrix: mat.NewSymDense(n, x)}
	if cov != nil {
		in.Cov = mat.NewSymDense(n*n, cov)
	}
	return in
}

// Dim returns the number of parameters.
func (in *Information) Dim() int { return in.Matrix.SymmetricDim() }

// At returns I_ij.
func (in *Information) At(i, j int) float64 { return in.Matrix.At(i, j) }

// CovAt returns cov(I_ij, I_kl), or NaN without a covariance.
func (in *Information) CovAt(i, j, k, l int) float64 {
	if in.Cov == nil {
		return math.NaN()
	}
	n := in.Dim()
	return in.Cov.At(i*n+j, k*n+l)
}

// Add adds o to in (information of independent data sets adds up, and so do
// their covariances; the sum has a covariance only if both have one). It
// panics if the sizes differ.
func (in *Information) Add(o *Information) {
	if o.Dim() != in.Dim() {
		panic("fisher: information size mismatch")
	}
	in.Matrix.AddSym(in.Matrix, o.Matrix)
	if in.Cov != nil && o.Cov != nil {
		in.Cov.AddSym(in.Cov, o.Cov)
	} else {
		in.Cov = nil
	}
}

// Dense returns the matrix as nested slices (for JSON output).
func (in *Information) Dense() [][]float64 {
	n := in.Dim()
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
		for j := range out[i] {
			out[i][j] = in.At(i, j)
		}
	}
	return out
}

// Cov4 returns the covariance as nested slices [i][j][k][l], or nil.
func (in *Information) Cov4() [][][][]float64 {
	if in.Cov == nil {
		return nil
	}
	n := in.Dim()
	out := make([][][][]float64, n)
	for i := range out {
		out[i] = make([][][]float64, n)
		for j := range out[i] {
			out[i][j] = make([][]float64, n)
			for k := range out[i][j] {
				out[i][j][k] = make([]float64, n)
				for l := range out[i][j][k] {
					out[i][j][k][l] = in.CovAt(i, j, k, l)
				}
			}
		}
	}
	return out
}

// ErrNoEvents is returned when no event (or bin) with a non-zero cross
// section contributed.
var ErrNoEvents = errors.New("fisher: no events with non-zero cross section")

// point holds the morphing weights and gradients at θ.
type point struct {
	np, nb int
	w, dw  []float64
}

func newPoint(m Morpher, theta []float64) point {
	if len(theta) != m.NumParams() {
		panic(fmt.Sprintf("fisher: theta has %d entries, morpher has %d parameters", len(theta), m.NumParams()))
	}
	p := point{np: m.NumParams(), nb: m.NumBasis()}
	p.w = m.WeightsTo(make([]float64, p.nb), theta)
	p.dw = m.GradientsTo(make([]float64, p.nb*p.np), theta)
	return p
}

// sigma returns Σ_b w_b W_b and writes ∂_p σ into g[:np].
func (p *point) sigma(g, row []float64) float64 {
	s := 0.0
	for b := 0; b < p.nb; b++ {
		s += p.w[b] * row[b]
	}
	for q := 0; q < p.np; q++ {
		d := p.dw[q*p.nb : (q+1)*p.nb]
		v := 0.0
		for b := 0; b < p.nb; b++ {
			v += d[b] * row[b]
		}
		g[q] = v
	}
	return s
}

// Truth accumulates the parton-level ("truth") Fisher information
// I = L Σ_i ∇dσ_i ∇dσ_iᵀ / dσ_i over events.
type Truth struct {
	p     point
	nn    int
	lumi  float64
	cov   bool
	info  []float64
	covar []float64
	g, ii []float64
	n     int // events seen
	used  int // events with non-zero dσ
}

// TruthSettings configures NewTruth. A nil *TruthSettings means all
// defaults.
type TruthSettings struct {
	// Luminosity in pb⁻¹; 0 means DefaultLuminosity.
	Luminosity float64
	// Nuisance is the number of nuisance parameters (0: none).
	Nuisance int
	// Covariance accumulates the Monte-Carlo covariance of the information
	// too (cost N⁴ per event).
	Covariance bool
}

// NewTruth returns an accumulator for the truth information at θ.
func NewTruth(m Morpher, theta []float64, s *TruthSettings) *Truth {
	var set TruthSettings
	if s != nil {
		set = *s
	}
	lumi := set.Luminosity
	if lumi == 0 {
		lumi = DefaultLuminosity
	}
	t := &Truth{p: newPoint(m, theta), nn: set.Nuisance, lumi: lumi, cov: set.Covariance}
	n := t.p.np + set.Nuisance
	t.info = make([]float64, n*n)
	if set.Covariance {
		t.covar = make([]float64, n*n*n*n)
	}
	t.g = make([]float64, n)
	t.ii = make([]float64, n*n)
	return t
}

// Add adds n events. weights holds n rows of benchmark weights in pb (rows
// may be wider than NumBasis; the first NumBasis columns are used). factors
// holds per-event efficiencies (nil means 1; 0 removes the event, as a cut).
// nuisance holds n rows of NumNuisance coefficients a_k = ∂log dσ/∂ν_k, or
// is nil without nuisance parameters. It panics on inconsistent lengths and
// returns an error naming the event for non-finite input.
func (t *Truth) Add(n int, weights, factors, nuisance []float64) error {
	if n == 0 {
		return nil
	}
	stride := len(weights) / n
	if stride < t.p.nb || len(weights) != n*stride {
		panic("fisher: weights do not hold n rows of at least NumBasis entries")
	}
	if factors != nil && len(factors) != n {
		panic("fisher: factors length mismatch")
	}
	if t.nn > 0 && len(nuisance) != n*t.nn {
		panic("fisher: nuisance length mismatch")
	}
	np := t.p.np
	dim := np + t.nn
	for i := 0; i < n; i++ {
		ev := t.n + i
		row := weights[i*stride : i*stride+t.p.nb]
		f := 1.0
		if factors != nil {
			f = factors[i]
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("fisher: event %d: efficiency %v", ev, f)
			}
			if f == 0 {
				continue
			}
		}
		s := t.p.sigma(t.g, row) * f
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("fisher: event %d: non-finite weight", ev)
		}
		if s == 0 {
			continue // MadMiner sanitises 1/0 to 0
		}
		for q := 0; q < np; q++ {
			t.g[q] *= f
		}
		for k := 0; k < t.nn; k++ {
			a := nuisance[i*t.nn+k]
			if math.IsNaN(a) || math.IsInf(a, 0) {
				return fmt.Errorf("fisher: event %d: nuisance coefficient %d is %v", ev, k, a)
			}
			t.g[np+k] = s * a
		}
		c := t.lumi / s
		for a := 0; a < dim; a++ {
			for b := 0; b < dim; b++ {
				t.ii[a*dim+b] = c * t.g[a] * t.g[b]
			}
		}
		for k, v := range t.ii {
			t.info[k] += v
		}
		if t.cov {
			// The event information is homogeneous of degree one in the
			// event's weights, so with the weights fully correlated and
			// their uncertainty equal to themselves the propagated
			// derivative is the event information itself.
			for a, va := range t.ii {
				if va == 0 {
					continue
				}
				o := t.covar[a*len(t.ii) : (a+1)*len(t.ii)]
				for b, vb := range t.ii {
					o[b] += va * vb
				}
			}
		}
		t.used++
	}
	t.n += n
	return nil
}

// Information returns the accumulated information.
func (t *Truth) Information() (*Information, error) {
	if t.used == 0 {
		return nil, ErrNoEvents
	}
	var cov []float64
	if t.cov {
		cov = slices.Clone(t.covar)
	}
	return newInformation(t.p.np+t.nn, slices.Clone(t.info), cov), nil
}

// Binned returns the information of Poisson counts in bins:
// I = L Σ_k ∇σ_k ∇σ_kᵀ/σ_k with σ_k = Σ_b w_b(θ) W[k,b]. W and U hold
// nBins rows of NumBasis per-benchmark sums of weights and their Monte-Carlo
// uncertainties (√Σw²); U may be nil (no covariance). nuisance, if not nil,
// holds nBins rows of nNuisance coefficients a_k of each bin; the covariance
// then covers the physics block only (as in MadMiner). Bins with σ_k = 0 are
// skipped. A zero luminosity means DefaultLuminosity.
func Binned(m Morpher, theta []float64, lumi float64, nBins int, W, U []float64, nNuisance int, nuisance []float64) (*Information, error) {
	return binned(m, theta, lumi, nBins, W, U, nNuisance, nuisance, -1)
}

// binned implements Binned; sign is the sign of the w_b ∂σ∂σ/σ² term of the
// Jacobian (−1 is right; +1 reproduces MadMiner's covariance for tests).
func binned(m Morpher, theta []float64, lumi float64, nBins int, W, U []float64, nn int, nuisance []float64, sign float64) (*Information, error) {
	if lumi == 0 {
		lumi = DefaultLuminosity
	}
	p := newPoint(m, theta)
	nb, np := p.nb, p.np
	if len(W) != nBins*nb || (U != nil && len(U) != nBins*nb) || (nn > 0 && len(nuisance) != nBins*nn) {
		panic("fisher: binned input length mismatch")
	}
	dim := np + nn
	info := make([]float64, dim*dim)
	var cov []float64
	if U != nil {
		cov = make([]float64, dim*dim*dim*dim)
	}
	g := make([]float64, dim)
	v := make([]float64, np*np)
	used := 0
	for k := 0; k < nBins; k++ {
		row := W[k*nb : (k+1)*nb]
		s := p.sigma(g, row)
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("fisher: bin %d: non-finite cross section", k)
		}
		if s == 0 {
			continue
		}
		used++
		for a := 0; a < nn; a++ {
			g[np+a] = s * nuisance[k*nn+a]
		}
		for a := 0; a < dim; a++ {
			for b := 0; b < dim; b++ {
				info[a*dim+b] += lumi * g[a] * g[b] / s
			}
		}
		if U == nil {
			continue
		}
		// v_ij = Σ_b ∂I_ij/∂W_b U_b (weights of a bin fully correlated).
		u := U[k*nb : (k+1)*nb]
		for i := 0; i < np; i++ {
			for j := 0; j < np; j++ {
				acc := 0.0
				for b := 0; b < nb; b++ {
					jac := p.dw[i*nb+b]*g[j]/s + p.dw[j*nb+b]*g[i]/s + sign*p.w[b]*g[i]*g[j]/(s*s)
					acc += jac * u[b]
				}
				v[i*np+j] = lumi * acc
			}
		}
		for i := 0; i < np; i++ {
			for j := 0; j < np; j++ {
				a := i*dim + j
				for k2 := 0; k2 < np; k2++ {
					for l := 0; l < np; l++ {
						cov[a*dim*dim+k2*dim+l] += v[i*np+j] * v[k2*np+l]
					}
				}
			}
		}
	}
	if used == 0 {
		return nil, ErrNoEvents
	}
	return newInformation(dim, info, cov), nil
}

// FromScores returns the information nEvents·E[t tᵀ] of nEvents events
// from the scores t of n events drawn from the model at θ (row-major, np
// components per event; each event counts 1/n): the truth information
// of a simulator from its joint scores t(x,z|θ), or the information of an
// estimated or exact score t(x|θ).
func FromScores(t []float64, np int, nEvents float64) *Information {
	if np < 1 || len(t)%np != 0 {
		panic("fisher: scores are not rows of np components")
	}
	n := len(t) / np
	x := make([]float64, np*np)
	for i := 0; i < n; i++ {
		for p := 0; p < np; p++ {
			for q := 0; q < np; q++ {
				x[p*np+q] += nEvents * t[i*np+p] * t[i*np+q] / float64(n)
			}
		}
	}
	return newInformation(np, x, nil)
}
