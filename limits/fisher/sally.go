// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/limits/internal/npmath"
)

// Sally accumulates the kinematic Fisher information L σ E[t̂ t̂ᵀ] from
// estimated scores t̂(x) of one or more estimators (an ensemble), with the
// expectation taken over the events weighted at θ. The score estimates are
// inputs, so this package does not depend on the ml package: SALLY
// estimates t̂(x), or the score ∇_θ log r̂(x|θ) of a ratio estimator at θ.
//
// For an ensemble the information is computed from the ensemble-mean score
// (MadMiner's "score" mode), and its covariance is the sample covariance of
// the members' individual informations.
type Sally struct {
	p       point
	lumi    float64
	nm      int
	sumW    float64
	mean    []float64   // Σ w t̄ t̄ᵀ
	members [][]float64 // Σ w t_e t_eᵀ
	tbar    []float64
	n       int
}

// NewSally returns an accumulator at θ for an ensemble of nMembers score
// estimators (1 for a single estimator) with nScore score components
// (physics parameters, possibly followed by nuisance parameters). A zero
// luminosity means DefaultLuminosity.
func NewSally(m Morpher, theta []float64, lumi float64, nMembers, nScore int) *Sally {
	if lumi == 0 {
		lumi = DefaultLuminosity
	}
	if nMembers < 1 {
		panic("fisher: an ensemble needs at least one member")
	}
	s := &Sally{p: newPoint(m, theta), lumi: lumi, nm: nMembers}
	if nScore < m.NumParams() {
		panic("fisher: fewer score components than parameters")
	}
	s.mean = make([]float64, nScore*nScore)
	s.members = make([][]float64, nMembers)
	for e := range s.members {
		s.members[e] = make([]float64, nScore*nScore)
	}
	s.tbar = make([]float64, nScore)
	return s
}

// Add adds n events with benchmark weights (n rows, as for Truth.Add) and
// scores[e][i*nScore+p], the score component p of event i from member e.
// Non-finite scores are an error naming the event.
func (s *Sally) Add(n int, weights []float64, scores [][]float64) error {
	if n == 0 {
		return nil
	}
	stride := len(weights) / n
	if stride < s.p.nb || len(weights) != n*stride {
		panic("fisher: weights do not hold n rows of at least NumBasis entries")
	}
	if len(scores) != s.nm {
		panic("fisher: scores for the wrong number of ensemble members")
	}
	d := len(s.tbar)
	for _, sc := range scores {
		if len(sc) != n*d {
			panic("fisher: scores length mismatch")
		}
	}
	for i := 0; i < n; i++ {
		row := weights[i*stride : i*stride+s.p.nb]
		w := 0.0
		for b, v := range row {
			w += s.p.w[b] * v
		}
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("fisher: event %d: non-finite weight", s.n+i)
		}
		for k := range s.tbar {
			s.tbar[k] = 0
		}
		for e, sc := range scores {
			t := sc[i*d : (i+1)*d]
			for a, v := range t {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("fisher: event %d: score component %d of member %d is %v", s.n+i, a, e, v)
				}
				s.tbar[a] += v / float64(s.nm)
			}
			o := s.members[e]
			for a := 0; a < d; a++ {
				for b := 0; b < d; b++ {
					o[a*d+b] += w * t[a] * t[b]
				}
			}
		}
		for a := 0; a < d; a++ {
			for b := 0; b < d; b++ {
				s.mean[a*d+b] += w * s.tbar[a] * s.tbar[b]
			}
		}
		s.sumW += w
	}
	s.n += n
	return nil
}

// Kinematic returns L σ E[t̂ t̂ᵀ] for the total cross section sigma at θ
// (in pb; usually from all events, while the expectation runs over a test
// partition), with the ensemble covariance for more than one member.
func (s *Sally) Kinematic(sigma float64) (*Information, error) {
	if s.sumW == 0 {
		return nil, ErrNoEvents
	}
	d := len(s.tbar)
	c := s.lumi * sigma / s.sumW
	x := make([]float64, d*d)
	for k, v := range s.mean {
		x[k] = c * v
	}
	if s.nm < 2 {
		return newInformation(d, x, nil), nil
	}
	mu := make([]float64, d*d)
	for _, m := range s.members {
		for k, v := range m {
			mu[k] += c * v / float64(s.nm)
		}
	}
	cov := make([]float64, d*d*d*d)
	for _, m := range s.members {
		for a := 0; a < d*d; a++ {
			da := c*m[a] - mu[a]
			for b := 0; b < d*d; b++ {
				cov[a*d*d+b] += da * (c*m[b] - mu[b]) / float64(s.nm-1)
			}
		}
	}
	return newInformation(d, x, cov), nil
}

// Members returns the kinematic information of each ensemble member.
func (s *Sally) Members(sigma float64) []*Information {
	d := len(s.tbar)
	c := s.lumi * sigma / s.sumW
	out := make([]*Information, s.nm)
	for e, m := range s.members {
		x := make([]float64, d*d)
		for k, v := range m {
			x[k] = c * v
		}
		out[e] = newInformation(d, x, nil)
	}
	return out
}

// InfoHistogram is the "histogram of information": the cross section, the
// rate-only and the full information in each bin of one observable. The
// full information is the truth information, or, when scores are given,
// L Σ_i w_i t̂_i t̂_iᵀ plus the bin's rate information (MadMiner's
// histogram_of_information).
type InfoHistogram struct {
	m      Morpher
	theta  []float64
	lumi   float64
	edges  []float64
	hist   *Histogram
	truth  []*Truth
	kin    [][]float64
	sigma  []float64 // Σ_i Σ_b w_b(θ) W_ib per bin, accumulated event by event
	lo, hi float64   // range of the values seen
	n      int
}

// NewInfoHistogram returns an empty histogram of information over the
// given inner edges (with under- and overflow bins) at θ.
func NewInfoHistogram(m Morpher, theta []float64, lumi float64, edges []float64) (*InfoHistogram, error) {
	if lumi == 0 {
		lumi = DefaultLuminosity
	}
	h, err := NewHistogram(m.NumBasis(), edges)
	if err != nil {
		return nil, err
	}
	ih := &InfoHistogram{m: m, theta: append([]float64(nil), theta...), lumi: lumi, edges: append([]float64(nil), edges...), hist: h,
		sigma: make([]float64, h.NumBins()), lo: math.Inf(1), hi: math.Inf(-1)}
	return ih, nil
}

// Add adds n events with the observable values, their benchmark weights and,
// optionally, estimated scores (n rows of NumParams components; nil for the
// truth information).
func (ih *InfoHistogram) Add(n int, values, weights, scores []float64) error {
	if n == 0 {
		return nil
	}
	nb := ih.hist.NumBins()
	stride := len(weights) / n
	np := ih.m.NumParams()
	if scores != nil && ih.kin == nil && ih.truth == nil {
		ih.kin = make([][]float64, nb)
		for k := range ih.kin {
			ih.kin[k] = make([]float64, np*np)
		}
	} else if scores == nil && ih.truth == nil && ih.kin == nil {
		ih.truth = make([]*Truth, nb)
		for k := range ih.truth {
			ih.truth[k] = NewTruth(ih.m, ih.theta, &TruthSettings{Luminosity: ih.lumi})
		}
	}
	if (scores == nil) != (ih.kin == nil) {
		panic("fisher: InfoHistogram.Add mixes batches with and without scores")
	}
	if err := ih.hist.Add(n, [][]float64{values}, weights, nil); err != nil {
		return err
	}
	w := ih.m.WeightsTo(nil, ih.theta)
	for i := 0; i < n; i++ {
		k := npmath.SearchLeft(ih.edges, values[i])
		ih.lo, ih.hi = math.Min(ih.lo, values[i]), math.Max(ih.hi, values[i])
		row := weights[i*stride : (i+1)*stride]
		for b := 0; b < ih.m.NumBasis(); b++ {
			ih.sigma[k] += w[b] * row[b]
		}
		if scores == nil {
			if err := ih.truth[k].Add(1, row, nil, nil); err != nil {
				return fmt.Errorf("fisher: event %d: %w", ih.n+i, err)
			}
			continue
		}
		wt := 0.0
		for b := 0; b < ih.m.NumBasis(); b++ {
			wt += w[b] * row[b]
		}
		t := scores[i*np : (i+1)*np]
		for a := 0; a < np; a++ {
			for b := 0; b < np; b++ {
				ih.kin[k][a*np+b] += ih.lumi * wt * t[a] * t[b]
			}
		}
	}
	ih.n += n
	return nil
}

// Range returns the smallest and largest value added.
func (ih *InfoHistogram) Range() [2]float64 { return [2]float64{ih.lo, ih.hi} }

// Result returns the inner edges, the cross section per bin (pb) and the
// rate-only and full information per bin. Bins without cross section get
// zero matrices.
func (ih *InfoHistogram) Result() (edges, sigma []float64, rate, full []*Information, err error) {
	sigma = slices.Clone(ih.sigma)
	np := ih.m.NumParams()
	w, _ := ih.hist.Sums()
	nb := ih.m.NumBasis()
	for k := range sigma {
		zero := func() *Information { return &Information{Matrix: mat.NewSymDense(np, nil)} }
		r, e := Binned(ih.m, ih.theta, ih.lumi, 1, w[k*nb:(k+1)*nb], nil, 0, nil)
		if e == ErrNoEvents {
			r = zero()
		} else if e != nil {
			return nil, nil, nil, nil, e
		}
		rate = append(rate, r)
		var f *Information
		switch {
		case ih.truth != nil:
			f, e = ih.truth[k].Information()
			if e == ErrNoEvents {
				f = zero()
			} else if e != nil {
				return nil, nil, nil, nil, e
			}
		case ih.kin != nil:
			f = newInformation(np, slices.Clone(ih.kin[k]), nil)
			f.Add(&Information{Matrix: r.Matrix})
		default:
			f = zero()
		}
		full = append(full, f)
	}
	return append([]float64(nil), ih.edges...), sigma, rate, full, nil
}
