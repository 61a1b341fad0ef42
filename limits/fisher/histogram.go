// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"errors"
	"fmt"
	"math"

	"github.com/goldmine-hep/goldmine/limits/internal/npmath"
)

// Histogram accumulates per-benchmark sums of weights (and of squared
// weights) in the bins of a histogram of one or more observables, and gives
// the Fisher information in it. With no axis it holds a single bin: the
// total rate.
//
// Each axis is given by its inner edges e_0 < … < e_{n−1}; it has n+1 bins,
// the first and last being the under- and overflow bins, and a value x goes
// to bin i with e_{i−1} < x ≤ e_i (np.searchsorted(edges, x), as MadMiner).
type Histogram struct {
	edges [][]float64
	nb    int
	shape []int
	nBins int
	w, w2 []float64
	n     int
}

// NewHistogram returns an empty histogram over the given axes for weights
// with nBasis benchmarks. It returns an error if an axis' edges decrease
// or are not finite.
func NewHistogram(nBasis int, edges ...[]float64) (*Histogram, error) {
	h := &Histogram{nb: nBasis, nBins: 1}
	for a, e := range edges {
		for i, v := range e {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("fisher: axis %d: edge %d is %v", a, i, v)
			}
			if i > 0 && v < e[i-1] {
				return nil, fmt.Errorf("fisher: axis %d: edges decrease at %d (%v after %v)", a, i, v, e[i-1])
			}
		}
		h.edges = append(h.edges, append([]float64(nil), e...))
		h.shape = append(h.shape, len(e)+1)
		h.nBins *= len(e) + 1
	}
	h.w = make([]float64, h.nBins*nBasis)
	h.w2 = make([]float64, h.nBins*nBasis)
	return h, nil
}

// NewRate returns a histogram without axes: one bin holding the total rate,
// whose information is the rate-only information L ∇σ ∇σᵀ/σ.
func NewRate(nBasis int) *Histogram {
	h, _ := NewHistogram(nBasis)
	return h
}

// Shape returns the number of bins along each axis (including under- and
// overflow).
func (h *Histogram) Shape() []int { return append([]int(nil), h.shape...) }

// Edges returns the inner edges of each axis.
func (h *Histogram) Edges() [][]float64 {
	out := make([][]float64, len(h.edges))
	for i, e := range h.edges {
		out[i] = append([]float64(nil), e...)
	}
	return out
}

// NumBins returns the total number of bins.
func (h *Histogram) NumBins() int { return h.nBins }

// Sums returns the per-bin, per-benchmark sums of weights and of squared
// weights (nBins×nBasis, row-major, the last axis running fastest).
func (h *Histogram) Sums() (w, w2 []float64) { return h.w, h.w2 }

// Bin returns the flat bin index of a point with one value per axis.
func (h *Histogram) Bin(x []float64) int {
	k := 0
	for a, e := range h.edges {
		k = k*h.shape[a] + npmath.SearchLeft(e, x[a])
	}
	return k
}

// Add adds n events; values[a][i] is the value of axis a for event i.
// weights and factors are as for Truth.Add. NaN values are an error.
func (h *Histogram) Add(n int, values [][]float64, weights, factors []float64) error {
	if n == 0 {
		return nil
	}
	if len(values) != len(h.edges) {
		panic("fisher: histogram got values for the wrong number of axes")
	}
	for _, v := range values {
		if len(v) != n {
			panic("fisher: histogram values length mismatch")
		}
	}
	stride := len(weights) / n
	if stride < h.nb || len(weights) != n*stride {
		panic("fisher: weights do not hold n rows of at least NumBasis entries")
	}
	if factors != nil && len(factors) != n {
		panic("fisher: factors length mismatch")
	}
	x := make([]float64, len(h.edges))
	for i := 0; i < n; i++ {
		f := 1.0
		if factors != nil {
			f = factors[i]
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("fisher: event %d: efficiency %v", h.n+i, f)
			}
			if f == 0 {
				continue
			}
		}
		for a := range x {
			x[a] = values[a][i]
			if math.IsNaN(x[a]) {
				return fmt.Errorf("fisher: event %d: observable on axis %d is NaN", h.n+i, a)
			}
		}
		k := h.Bin(x)
		row := weights[i*stride : i*stride+h.nb]
		dst, dst2 := h.w[k*h.nb:(k+1)*h.nb], h.w2[k*h.nb:(k+1)*h.nb]
		for b, v := range row {
			v *= f
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("fisher: event %d: non-finite weight for benchmark %d", h.n+i, b)
			}
			dst[b] += v
			dst2[b] += v * v
		}
	}
	h.n += n
	return nil
}

// Information returns the information in the histogram at θ, with the
// covariance from the Monte-Carlo uncertainty of the bin contents.
func (h *Histogram) Information(m Morpher, theta []float64, lumi float64) (*Information, error) {
	if m.NumBasis() != h.nb {
		panic("fisher: morpher and histogram disagree on the number of benchmarks")
	}
	u := make([]float64, len(h.w2))
	for i, v := range h.w2 {
		u[i] = math.Sqrt(v)
	}
	return Binned(m, theta, lumi, h.nBins, h.w, u, 0, nil)
}

// Sigma returns the cross section in each bin at θ.
func (h *Histogram) Sigma(m Morpher, theta []float64) []float64 {
	w := m.WeightsTo(nil, theta)
	out := make([]float64, h.nBins)
	for k := range out {
		for b := 0; b < h.nb; b++ {
			out[k] += w[b] * h.w[k*h.nb+b]
		}
	}
	return out
}

// EqualXsecEdges returns the n−1 inner edges that split values into n bins
// of equal cross section, given the event weights at θ (MadMiner's dynamic
// binning: weighted quantiles at 0, 1/n, …, 1 without the outer two).
func EqualXsecEdges(values, weightsTheta []float64, n int) ([]float64, error) {
	if n < 1 {
		return nil, fmt.Errorf("fisher: %d bins", n)
	}
	if len(values) == 0 {
		return nil, errors.New("fisher: no events to determine the binning")
	}
	if len(values) != len(weightsTheta) {
		panic("fisher: values and weights length mismatch")
	}
	for i, v := range values {
		if math.IsNaN(v) {
			return nil, fmt.Errorf("fisher: event %d: observable is NaN", i)
		}
	}
	q := npmath.WeightedQuantile(values, weightsTheta, npmath.Linspace(0, 1, n+1), false)
	return q[1 : len(q)-1], nil
}
