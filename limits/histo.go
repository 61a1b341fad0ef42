// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"fmt"
	"math"

	"github.com/goldmine-hep/goldmine/limits/internal/npmath"
)

// Binning of one histogram axis: N bins placed adaptively (weighted
// quantiles, MadMiner's Histo) or explicit Edges (outer edges included).
type Binning struct {
	N     int
	Edges []float64
}

// DefaultBins returns MadMiner's default number of bins per axis for d
// summary statistics: 25 for one, 8 for two, 5 for more.
func DefaultBins(d int) int {
	switch d {
	case 1:
		return 25
	case 2:
		return 8
	default:
		return 5
	}
}

// AdaptiveEdges returns the edges (outer ones included) of n bins with
// equal weight between the 0.1% and 99.9% weighted quantiles, with bins
// narrower than 1e-9 removed (MadMiner's Histo._adaptive_binning).
func AdaptiveEdges(values, weights []float64, n int) ([]float64, error) {
	if n < 1 {
		return nil, fmt.Errorf("limits: %d bins", n)
	}
	if len(values) == 0 {
		return nil, fmt.Errorf("limits: no events to determine the binning")
	}
	for i, v := range values {
		if math.IsNaN(v) {
			return nil, fmt.Errorf("limits: event %d: summary statistic is NaN", i)
		}
	}
	lo, hi := 0.1, 99.9 // percentiles, divided at run time as in MadMiner
	lo /= 100
	hi /= 100
	e := npmath.WeightedQuantile(values, weights, npmath.Linspace(lo, hi, n+1), true)
	out := e[:0:0]
	for i, v := range e {
		w := 1.0
		if i+1 < len(e) {
			w = e[i+1] - v
		}
		if w > 1e-9 {
			out = append(out, v)
		}
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("limits: degenerate binning %v", e)
	}
	return out, nil
}

// table is a histogram density with fixed edges, MadMiner's Histo.
type table struct {
	edges [][]float64
	shape []int
	nBins int
	vol   []float64
}

func newTable(edges [][]float64) (*table, error) {
	t := &table{edges: edges, nBins: 1}
	for a, e := range edges {
		if len(e) < 2 {
			return nil, fmt.Errorf("limits: axis %d has %d edges", a, len(e))
		}
		for i := 1; i < len(e); i++ {
			if !(e[i] > e[i-1]) {
				return nil, fmt.Errorf("limits: axis %d: edges not increasing at %d", a, i)
			}
		}
		t.shape = append(t.shape, len(e)-1)
		t.nBins *= len(e) - 1
	}
	// Cell volumes; the first bin counts at most twice as wide as the
	// second (MadMiner caps the last bin too, but its cap is a no-op).
	widths := make([][]float64, len(edges))
	for a, e := range edges {
		ee := append([]float64(nil), e...)
		if len(ee) > 2 {
			ee[0] = math.Max(ee[0], ee[1]-2*(ee[2]-ee[1]))
		}
		for i := 1; i < len(ee); i++ {
			widths[a] = append(widths[a], ee[i]-ee[i-1])
		}
	}
	t.vol = make([]float64, t.nBins)
	for k := range t.vol {
		v, rem := 1.0, k
		idx := make([]int, len(edges))
		for a := len(edges) - 1; a >= 0; a-- {
			idx[a] = rem % t.shape[a]
			rem /= t.shape[a]
		}
		for a := range edges {
			v *= widths[a][idx[a]]
		}
		t.vol[k] = v
	}
	return t, nil
}

// fillBin returns the bin of x as np.histogramdd fills it, or −1 outside.
func (t *table) fillBin(x []float64) int {
	k := 0
	for a, e := range t.edges {
		v := x[a]
		if !(v >= e[0] && v <= e[len(e)-1]) {
			return -1
		}
		i := npmath.SearchRight(e, v) - 1
		if v == e[len(e)-1] {
			i = len(e) - 2
		}
		k = k*t.shape[a] + i
	}
	return k
}

// evalBin returns the bin used to evaluate the density at x: out-of-range
// values go to the first or last bin (MadMiner's Histo.log_likelihood).
func (t *table) evalBin(x []float64) int {
	k := 0
	for a, e := range t.edges {
		i := npmath.SearchRight(e, x[a]) - 1
		if i < 0 {
			i = 0
		}
		if i >= t.shape[a] {
			i = t.shape[a] - 1
		}
		k = k*t.shape[a] + i
	}
	return k
}

const histoEpsilon = 1e-12

// logDensity writes the log of the normalised density of counts h into
// dst: h/Σh + ε, renormalised, divided by the cell volume.
func (t *table) logDensity(dst, h []float64) {
	s := npmath.Sum(h)
	tmp := dst
	for k, v := range h {
		tmp[k] = v/s + histoEpsilon
	}
	s2 := npmath.Sum(tmp)
	for k := range tmp {
		tmp[k] = math.Log(tmp[k] / s2 / t.vol[k])
	}
}

// Histo is the histogram likelihood of modes histo and sally: a fixed
// binning of Dim summary statistics, filled with the weighted training
// events at each θ.
type Histo struct {
	morpher Morpher
	tab     *table
	w       []float64 // nBins×NBasis training sums
	nb      int
	rate    *RateTerm
	shape   [][]Effect
	nn      int
}

// HistoConfig configures NewHisto.
type HistoConfig struct {
	// Bins per axis; empty means DefaultBins(Dim) adaptive bins per axis.
	Bins []Binning
	// BinningThetas are the points whose mean weights place the adaptive
	// bins (MadMiner's fix_adaptive_binning="grid" uses the scan grid,
	// "center" its centre).
	BinningThetas [][]float64
	// Rate adds the Poisson term; nil omits it.
	Rate *RateTerm
	// NumNuisance is the number of nuisance parameters; Shape optionally
	// gives their effect on each bin, Shape[k][bin].
	NumNuisance int
	Shape       [][]Effect
}

// NewHisto builds the histogram likelihood from the training events.
func NewHisto(m Morpher, train *Sample, cfg HistoConfig) (*Histo, error) {
	if train.NBasis != m.NumBasis() {
		return nil, fmt.Errorf("limits: training sample has %d benchmarks, morpher %d", train.NBasis, m.NumBasis())
	}
	bins := cfg.Bins
	if len(bins) == 0 {
		bins = make([]Binning, train.Dim)
		for a := range bins {
			bins[a].N = DefaultBins(train.Dim)
		}
	}
	if len(bins) != train.Dim {
		return nil, fmt.Errorf("limits: %d binnings for %d summary statistics", len(bins), train.Dim)
	}
	var mean []float64
	edges := make([][]float64, train.Dim)
	col := make([]float64, train.N)
	for a, b := range bins {
		if b.N == 0 {
			edges[a] = append([]float64(nil), b.Edges...)
			continue
		}
		if mean == nil {
			if len(cfg.BinningThetas) == 0 {
				return nil, fmt.Errorf("limits: adaptive binning needs BinningThetas")
			}
			mean = make([]float64, train.N)
			w := make([]float64, train.N)
			for _, th := range cfg.BinningThetas {
				train.WeightsAt(w, m, th)
				for i, v := range w {
					mean[i] += v
				}
			}
			for i := range mean {
				mean[i] /= float64(len(cfg.BinningThetas))
			}
		}
		for i := range col {
			col[i] = train.X[i*train.Dim+a]
		}
		e, err := AdaptiveEdges(col, mean, b.N)
		if err != nil {
			return nil, fmt.Errorf("limits: axis %d: %w", a, err)
		}
		edges[a] = e
	}
	tab, err := newTable(edges)
	if err != nil {
		return nil, err
	}
	h := &Histo{morpher: m, tab: tab, nb: train.NBasis, rate: cfg.Rate, shape: cfg.Shape, nn: cfg.NumNuisance}
	if len(cfg.Shape) > cfg.NumNuisance {
		return nil, fmt.Errorf("limits: shape effects for %d nuisance parameters, model has %d", len(cfg.Shape), cfg.NumNuisance)
	}
	for k, s := range cfg.Shape {
		if len(s) != tab.nBins {
			return nil, fmt.Errorf("limits: nuisance %d: %d bin effects for %d bins", k, len(s), tab.nBins)
		}
	}
	h.w = make([]float64, tab.nBins*h.nb)
	for i := 0; i < train.N; i++ {
		x := train.X[i*train.Dim : (i+1)*train.Dim]
		for a, v := range x {
			if math.IsNaN(v) {
				return nil, fmt.Errorf("limits: training event %d: summary statistic %d is NaN", i, a)
			}
		}
		k := tab.fillBin(x)
		if k < 0 {
			continue
		}
		for b := 0; b < h.nb; b++ {
			h.w[k*h.nb+b] += train.W[i*h.nb+b]
		}
	}
	return h, nil
}

// Edges returns the bin edges of each axis.
func (h *Histo) Edges() [][]float64 { return h.tab.edges }

// NumBins returns the number of bins (the product over axes).
func (h *Histo) NumBins() int { return h.tab.nBins }

// Bin returns the bin that a training event with summary statistics x
// fills (the index of HistoConfig.Shape), or −1 outside the binning.
func (h *Histo) Bin(x []float64) int { return h.tab.fillBin(x) }

// Density returns the normalised histogram density at θ (ν = 0) per bin.
func (h *Histo) Density(theta []float64) []float64 {
	c := h.contents(theta, nil)
	out := make([]float64, len(c))
	h.tab.logDensity(out, c)
	for k, v := range out {
		out[k] = math.Exp(v)
	}
	return out
}

func (h *Histo) contents(theta, nu []float64) []float64 {
	wb := h.morpher.WeightsTo(nil, theta)
	c := make([]float64, h.tab.nBins)
	for k := range c {
		s := 0.0
		for b, w := range wb {
			s += w * h.w[k*h.nb+b]
		}
		if nu != nil {
			e := 0.0
			for n, sh := range h.shape {
				e += sh[k].A*nu[n] + sh[k].B*nu[n]*nu[n]
			}
			s *= math.Exp(e)
		}
		c[k] = s
	}
	return c
}

// NumParams returns the number of physics parameters.
func (h *Histo) NumParams() int { return h.morpher.NumParams() }

// NumNuisance returns the number of nuisance parameters.
func (h *Histo) NumNuisance() int { return h.nn }

// Smooth is true: with fixed bins the likelihood is smooth in θ.
func (h *Histo) Smooth() bool { return true }

// Bind bins the data.
func (h *Histo) Bind(d *Data) (LogLikelihood, error) {
	if d.Dim != len(h.tab.edges) {
		return nil, fmt.Errorf("limits: data have %d summary statistics, histogram %d", d.Dim, len(h.tab.edges))
	}
	counts := make([]float64, h.tab.nBins)
	for i, c := range d.Weight {
		x := d.X[i*d.Dim : (i+1)*d.Dim]
		for a, v := range x {
			if math.IsNaN(v) {
				return nil, fmt.Errorf("limits: data event %d: summary statistic %d is NaN", i, a)
			}
		}
		counts[h.tab.evalBin(x)] += c
	}
	np := h.NumParams()
	logp := make([]float64, h.tab.nBins)
	return func(params []float64) (float64, float64, error) {
		theta, nu := params[:np], params[np:]
		var nuArg []float64
		if len(h.shape) > 0 {
			nuArg = nu
		}
		h.tab.logDensity(logp, h.contents(theta, nuArg))
		kin := 0.0
		for k, c := range counts {
			if c != 0 {
				kin += c * logp[k]
			}
		}
		return h.rate.parts(kin, d.N, theta, nu)
	}, nil
}

// Rate is the rate-only likelihood (mode rate).
type Rate struct {
	Term     *RateTerm
	Nuisance int // number of nuisance parameters
}

// NumParams returns the number of physics parameters.
func (r *Rate) NumParams() int { return r.Term.Morpher.NumParams() }

// NumNuisance returns the number of nuisance parameters.
func (r *Rate) NumNuisance() int { return r.Nuisance }

// Smooth is true.
func (r *Rate) Smooth() bool { return true }

// Bind uses only the number of observed events.
func (r *Rate) Bind(d *Data) (LogLikelihood, error) {
	np := r.NumParams()
	return func(params []float64) (float64, float64, error) {
		return 0, r.Term.logL(d.N, params[:np], params[np:]), nil
	}, nil
}
