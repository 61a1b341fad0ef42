// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"fmt"
	"math"
)

// LogRatioFunc writes log r̂(x_i|θ) for the events x (n×dim, row-major) into
// dst (len n). params holds θ followed by the nuisance parameters, if any;
// an estimator that does not know about them ignores the tail. Any
// θ-independent reference density cancels in the likelihood ratio, so a
// log-likelihood works as well as a log-ratio.
type LogRatioFunc func(dst, x, params []float64) error

// ML is the likelihood of mode ml: the kinematic term Σ_i c_i log r̂(x_i|θ)
// from a neural ratio or likelihood estimator (or an ensemble mean) given as
// a callback, plus the optional Poisson rate term.
type ML struct {
	LogRatio LogRatioFunc
	Params   int       // number of physics parameters
	Nuisance int       // number of nuisance parameters
	Rate     *RateTerm // nil: kinematics only
}

// NumParams returns the number of physics parameters.
func (m *ML) NumParams() int { return m.Params }

// NumNuisance returns the number of nuisance parameters.
func (m *ML) NumNuisance() int { return m.Nuisance }

// Smooth is true.
func (m *ML) Smooth() bool { return true }

// Bind returns the likelihood of the data.
func (m *ML) Bind(d *Data) (LogLikelihood, error) {
	if m.LogRatio == nil {
		return nil, fmt.Errorf("limits: ml mode without a log-ratio function")
	}
	buf := make([]float64, len(d.Weight))
	return func(params []float64) (float64, float64, error) {
		if err := m.LogRatio(buf, d.X, params); err != nil {
			return 0, 0, fmt.Errorf("limits: log r̂ at %v: %w", params, err)
		}
		kin := 0.0
		for i, c := range d.Weight {
			v := buf[i]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("limits: log r̂ of event %d at %v is %v", i, params, v)
			}
			kin += c * v
		}
		rate := 0.0
		if m.Rate != nil {
			rate = m.Rate.logL(d.N, params[:m.Params], params[m.Params:])
		}
		return kin, rate, nil
	}, nil
}

// AdaptiveSally is the likelihood of modes sallino and adaptive-sally:
// histograms of estimated scores t̂ (the Dim columns of the training
// sample) projected on the direction of θ − θ_ref, re-binned adaptively at
// every θ (MadMiner's score processors):
//
//   - sallino: the scalar h = t̂·Δθ/|Δθ|;
//   - adaptive-sally with two scores: t̂ rotated so that h is the first
//     coordinate; with more: (h, t̂).
//
// At |Δθ| < 1e-6 the unprojected first score is used. The binning changes
// with θ, so the best fit stays on the grid.
type AdaptiveSally struct {
	Morpher  Morpher
	Train    *Sample // X holds the estimated scores
	ThetaRef []float64
	Sallino  bool
	// Bins per processed axis; empty means MadMiner's defaults (25 for
	// sallino, (15, 5) for two scores, (12, 5, 5, …) for more).
	Bins []int
	Rate *RateTerm
}

// NumParams returns the number of physics parameters.
func (a *AdaptiveSally) NumParams() int { return a.Morpher.NumParams() }

// NumNuisance returns 0: nuisance parameters enter the score modes through
// the score components, not here.
func (a *AdaptiveSally) NumNuisance() int { return 0 }

// Smooth is false.
func (a *AdaptiveSally) Smooth() bool { return false }

func (a *AdaptiveSally) process(dst, t, theta []float64) []float64 {
	d := len(t)
	delta := make([]float64, d)
	norm := 0.0
	for p := 0; p < d && p < len(theta); p++ {
		ref := 0.0
		if a.ThetaRef != nil {
			ref = a.ThetaRef[p]
		}
		delta[p] = theta[p] - ref
		norm += delta[p] * delta[p]
	}
	norm = math.Sqrt(norm)
	h := t[0]
	if norm > 1e-6 {
		h = 0
		for p := range delta {
			h += t[p] * delta[p] / norm
		}
	}
	dst = dst[:0]
	switch {
	case d == 1: // MadMiner returns a single score unprocessed
		return append(dst, t[0])
	case a.Sallino:
		return append(dst, h)
	case d == 2:
		if norm > 1e-6 {
			c, s := delta[0]/norm, delta[1]/norm
			// scores · [[c, −s], [s, c]]
			return append(dst, t[0]*c+t[1]*s, -t[0]*s+t[1]*c)
		}
		return append(dst, t[0], t[1])
	default:
		dst = append(dst, h)
		return append(dst, t...)
	}
}

func (a *AdaptiveSally) bins(dim int) []int {
	if len(a.Bins) > 0 {
		return a.Bins
	}
	switch {
	case a.Sallino || dim == 1:
		return []int{25}
	case dim == 2:
		return []int{15, 5}
	default:
		b := []int{12}
		for i := 0; i < dim; i++ {
			b = append(b, 5)
		}
		return b
	}
}

// Bind returns the likelihood; every evaluation re-bins the training
// sample at θ.
func (a *AdaptiveSally) Bind(d *Data) (LogLikelihood, error) {
	if d.Dim != a.Train.Dim {
		return nil, fmt.Errorf("limits: data have %d scores, training sample %d", d.Dim, a.Train.Dim)
	}
	np := a.NumParams()
	return func(params []float64) (float64, float64, error) {
		theta := params[:np]
		tr := a.Train
		var proc []float64
		var buf []float64
		for i := 0; i < tr.N; i++ {
			buf = a.process(buf, tr.X[i*tr.Dim:(i+1)*tr.Dim], theta)
			proc = append(proc, buf...)
		}
		pd := len(buf)
		bins := a.bins(tr.Dim)
		if len(bins) != pd {
			return 0, 0, fmt.Errorf("limits: %d bin numbers for %d processed scores", len(bins), pd)
		}
		w := tr.WeightsAt(nil, a.Morpher, theta)
		edges := make([][]float64, pd)
		col := make([]float64, tr.N)
		for ax := 0; ax < pd; ax++ {
			for i := range col {
				col[i] = proc[i*pd+ax]
			}
			e, err := AdaptiveEdges(col, w, bins[ax])
			if err != nil {
				return 0, 0, err
			}
			edges[ax] = e
		}
		tab, err := newTable(edges)
		if err != nil {
			return 0, 0, err
		}
		h := make([]float64, tab.nBins)
		for i := 0; i < tr.N; i++ {
			if k := tab.fillBin(proc[i*pd : (i+1)*pd]); k >= 0 {
				h[k] += w[i]
			}
		}
		logp := make([]float64, tab.nBins)
		tab.logDensity(logp, h)
		kin := 0.0
		for i, c := range d.Weight {
			buf = a.process(buf, d.X[i*d.Dim:(i+1)*d.Dim], theta)
			kin += c * logp[tab.evalBin(buf)]
		}
		if math.IsNaN(kin) {
			kin = math.Inf(-1)
		}
		rate := 0.0
		if a.Rate != nil {
			rate = a.Rate.logL(d.N, theta, nil)
		}
		return kin, rate, nil
	}, nil
}
