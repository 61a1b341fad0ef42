// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// LogRatioFunc writes log r̂(x_i|θ) for the events x (n×dim, row-major) into
// dst (len n). params holds θ followed by the nuisance parameters, if any;
// an estimator that does not know about them ignores the tail. Any
// θ-independent reference density cancels in the likelihood ratio, so a
// log-likelihood works as well as a log-ratio.
type LogRatioFunc func(dst, x, params []float64) error

// GridLogRatioFunc evaluates log r̂ for the events x (n×dim, row-major) at
// every physics parameter point thetas[i] in one pass over the events: it
// calls fn(i, lo, v) with v[k] = log r̂(x_{lo+k}|θ_i) for consecutive
// blocks of events, all points of a block before the next block (v may be
// reused after fn returns). Its values must be those of the model's
// LogRatioFunc at (θ_i, ν) for every ν: the estimator ignores nuisance
// parameters. ml's ParameterizedRatioEstimator and Ensemble provide one
// (LogRatioGridRows).
type GridLogRatioFunc func(x []float64, thetas [][]float64, fn func(i, lo int, v []float64) error) error

// ML is the likelihood of mode ml: the kinematic term Σ_i c_i log r̂(x_i|θ)
// from a neural ratio or likelihood estimator (or an ensemble mean) given as
// a callback, plus the optional Poisson rate term.
type ML struct {
	LogRatio LogRatioFunc
	// LogRatioGrid, if not nil, is the same estimator evaluated at many
	// points at once: Scan then computes the kinematic term (and the
	// normalisation, if Norm has Theta1) of all its grid points in one pass
	// over the events and evaluates LogRatio only away from the grid (best
	// fit). The scan's result is the same.
	LogRatioGrid GridLogRatioFunc
	Params       int       // number of physics parameters
	Nuisance     int       // number of nuisance parameters
	Rate         *RateTerm // nil: kinematics only
	// Norm, if not nil, normalises the estimated ratio at every θ (see
	// Normalization); nil uses log r̂ as it is, as MadMiner does.
	Norm *Normalization
}

// Normalization turns an estimated ratio r̂(x|θ,θ1) into a normalised
// density p̂(x|θ) = r̂(x|θ,θ1) p(x|θ1)/Z(θ). The true ratio has
// Z(θ) = E_θ1[r(x|θ,θ1)] = 1 at every θ; a trained network misses this by
// a θ-dependent factor, and with N expected events that factor moves
// log L by N log Z(θ), which for small differences between hypotheses
// can exceed the kinematic information itself and bias the best fit.
// Z is estimated on reference events, weighted simulated events (for
// expected limits they may be the events of the Asimov data themselves,
// whose log r̂ are then computed once):
//
//	Z(θ) = Σ_i w_i(θ1) r̂(x_i|θ) / Σ_i w_i(θ1)         if Theta1 is known,
//	Z(θ) = [Σ_i w_i(θ) / r̂(x_i|θ) / Σ_i w_i(θ)]⁻¹    otherwise,
//
// the second from E_θ[1/r] = 1. The kinematic term becomes
// Σ_i c_i [log r̂(x_i|θ) − log Z(θ)]. Nuisance parameters do not enter the
// reference weights.
type Normalization struct {
	X []float64 // reference events, row-major with the data's Dim columns
	// Weights writes the weights of the reference events at the physics
	// parameters theta into dst (allocating if dst is nil) and returns it.
	Weights func(dst, theta []float64) []float64
	// Theta1 is the denominator hypothesis of r̂; nil if not known.
	Theta1 []float64
}

// logNorm returns log Z(θ) for the log-ratios lr of the reference events at
// params; w1 holds the weights at Theta1 (nil if unknown) and w is scratch.
func (n *Normalization) logNorm(lr, w1, w, params []float64, np int) (float64, []float64, error) {
	var num, den float64
	if w1 != nil {
		for i, v := range lr {
			num += w1[i] * math.Exp(v)
			den += w1[i]
		}
	} else {
		if w = n.Weights(w, params[:np]); len(w) != len(lr) {
			return 0, w, fmt.Errorf("limits: normalisation: %d weights at %v for %d reference events", len(w), params[:np], len(lr))
		}
		for i, v := range lr {
			num += w[i]
			den += w[i] * math.Exp(-v)
		}
	}
	z := math.Log(num / den)
	if math.IsNaN(z) || math.IsInf(z, 0) {
		return 0, w, fmt.Errorf("limits: normalisation of r̂ at %v is %v (%d reference events)", params, z, len(lr))
	}
	return z, w, nil
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
	var (
		ref, w1, wScratch []float64
		nRef              int
		refIsData         bool // the reference events are the data: one evaluation serves both
	)
	if n := m.Norm; n != nil {
		if n.Weights == nil || d.Dim == 0 || len(n.X) == 0 || len(n.X)%d.Dim != 0 {
			return nil, fmt.Errorf("limits: normalisation needs reference events with %d columns and their weights", d.Dim)
		}
		nRef = len(n.X) / d.Dim
		ref = make([]float64, nRef)
		if refIsData = slices.Equal(n.X, d.X); refIsData {
			ref = buf
		}
		if n.Theta1 != nil {
			w1 = n.Weights(nil, n.Theta1)
			if len(w1) != nRef {
				return nil, fmt.Errorf("limits: normalisation: %d weights for %d reference events", len(w1), nRef)
			}
		}
	}
	return func(params []float64) (float64, float64, error) {
		if err := m.LogRatio(buf, d.X, params); err != nil {
			return 0, 0, fmt.Errorf("limits: log r̂ at %v: %w", params, err)
		}
		kin, sum := 0.0, 0.0
		for i, c := range d.Weight {
			v := buf[i]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("limits: log r̂ of event %d at %v is %v", i, params, v)
			}
			kin += c * v
			sum += c
		}
		if m.Norm != nil {
			if !refIsData {
				if err := m.LogRatio(ref, m.Norm.X, params); err != nil {
					return 0, 0, fmt.Errorf("limits: log r̂ of the reference events at %v: %w", params, err)
				}
			}
			var z float64
			var err error
			if z, wScratch, err = m.Norm.logNorm(ref, w1, wScratch, params, m.Params); err != nil {
				return 0, 0, err
			}
			kin -= sum * z
		}
		rate := 0.0
		if m.Rate != nil {
			rate = m.Rate.logL(d.N, params[:m.Params], params[m.Params:])
		}
		return kin, rate, nil
	}, nil
}

// bindPoints binds the likelihood to the data with the kinematic term of
// every point precomputed by LogRatioGrid in one pass over the events (a
// second over the reference events of a separate normalisation sample),
// in the same order of summation as Bind, so that the values at the points
// are those of Bind. Elsewhere, and without LogRatioGrid or with a
// normalisation whose weights change with θ (Theta1 unknown), it is Bind.
func (m *ML) bindPoints(d *Data, points [][]float64) (LogLikelihood, error) {
	ll, err := m.Bind(d)
	if err != nil || m.LogRatioGrid == nil || (m.Norm != nil && m.Norm.Theta1 == nil) || len(points) == 0 {
		return ll, err
	}
	np := m.Params
	thetas := make([][]float64, len(points))
	index := make(map[string]int, len(points))
	for i, p := range points {
		if len(p) < np {
			return nil, fmt.Errorf("limits: point %d has %d parameters, model %d", i, len(p), np)
		}
		thetas[i] = p[:np]
		index[pointKey(p[:np])] = i
	}
	kin := make([]float64, len(points))
	sum := 0.0
	for _, c := range d.Weight {
		sum += c
	}
	var (
		w1, num   []float64
		refIsData bool
	)
	if n := m.Norm; n != nil {
		w1 = n.Weights(nil, n.Theta1)
		num = make([]float64, len(points))
		refIsData = slices.Equal(n.X, d.X)
	}
	err = m.LogRatioGrid(d.X, thetas, func(i, lo int, v []float64) error {
		for k, y := range v {
			if math.IsNaN(y) || math.IsInf(y, 0) {
				return fmt.Errorf("limits: log r̂ of event %d at %v is %v", lo+k, thetas[i], y)
			}
			kin[i] += d.Weight[lo+k] * y
			if refIsData {
				num[i] += w1[lo+k] * math.Exp(y)
			}
		}
		return nil
	})
	if err == nil && m.Norm != nil && !refIsData {
		err = m.LogRatioGrid(m.Norm.X, thetas, func(i, lo int, v []float64) error {
			for k, y := range v {
				num[i] += w1[lo+k] * math.Exp(y)
			}
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	if m.Norm != nil {
		den := 0.0
		for _, w := range w1 {
			den += w
		}
		for i := range kin {
			z := math.Log(num[i] / den)
			if math.IsNaN(z) || math.IsInf(z, 0) {
				return nil, fmt.Errorf("limits: normalisation of r̂ at %v is %v (%d reference events)", thetas[i], z, len(w1))
			}
			kin[i] -= sum * z
		}
	}
	return func(params []float64) (float64, float64, error) {
		i, ok := index[pointKey(params[:np])]
		if !ok {
			return ll(params)
		}
		rate := 0.0
		if m.Rate != nil {
			rate = m.Rate.logL(d.N, params[:np], params[np:])
		}
		return kin[i], rate, nil
	}, nil
}

// pointKey is the exact bit pattern of a parameter point.
func pointKey(p []float64) string {
	b := make([]byte, 0, 8*len(p))
	for _, v := range p {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return string(b)
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
		return a.Rate.parts(kin, d.N, theta, nil)
	}, nil
}
