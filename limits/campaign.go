// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"fmt"
	"io"
	"math/rand/v2"
)

// The modes of ScanSpec.
const (
	ModeRate          = "rate"           // the number of events alone
	ModeHisto         = "histo"          // histograms of observables
	ModeSally         = "sally"          // histograms of an estimated score
	ModeSallino       = "sallino"        // histograms of the score projected on θ − θ_ref
	ModeAdaptiveSally = "adaptive-sally" // adaptive histograms of the score
	ModeML            = "ml"             // an estimated likelihood ratio or likelihood
)

// ScanSpec is one p-value scan of an event file.
type ScanSpec struct {
	Name string
	Mode string // one of the Mode constants
	// Columns are the observables of a histogram (indices into the
	// file's); ml takes all.
	Columns []int
	// Bins gives the number of bins per axis (histo, sally); nil means
	// DefaultBins adaptive bins.
	Bins []int
	// Statistic replaces the observables by a summary statistic, an
	// estimated score (sally, sallino, adaptive-sally).
	Statistic func(x []float64, n int) ([]float64, error)
	// LogRatio is the model of an ml scan; Density says that it is a
	// normalised density (a likelihood model), so that Normalize, which
	// normalises a ratio model at every θ on the test events, does not
	// apply; Theta1 is the ratio's reference hypothesis, if known.
	LogRatio  LogRatioFunc
	Density   bool
	Normalize bool
	Theta1    []float64
	// LogRatioGrid, if not nil, evaluates LogRatio at all grid points in
	// one pass over the events (see ML.LogRatioGrid).
	LogRatioGrid GridLogRatioFunc
	// IncludeRate adds the Poisson term of the number of events (always
	// for rate).
	IncludeRate bool
}

// EventSettings configures FromEvents.
type EventSettings struct {
	// Parameters names the parameters in the results.
	Parameters []string
	Luminosity float64
	ThetaTrue  []float64
	Grid       Grid
	// Split gives the training events (histograms) and the test events
	// (Asimov data, rates, normalisation).
	Split Split
	// Nuisance locates the nuisance benchmarks of the file; FixNuisance
	// fixes them at zero instead of profiling them.
	Nuisance    NuisanceBenchmarks
	FixNuisance bool
	// Observed, if not nil, returns the observed data of scan i in the
	// scan's columns or statistic, which then replace the Asimov data.
	Observed func(i int, columns []int) (*Data, error)
	// ToyPoints, if not empty, calibrates every scan at these points with
	// Toys pseudo-experiments each, seeded Seed + k for the k-th point.
	ToyPoints [][]float64
	Toys      int
	Seed      uint64
	// ToyBatches cuts the toys of each point into that many batches
	// (ToyBatchSizes), batch b drawn with ToyBatchRand(Seed + k, b), so
	// that batches computed as separate jobs (EventModels.ToyBatch) and
	// merged give the calibration of one run; 0 or 1 means one batch, the
	// generator of Calibrate.
	ToyBatches int
	// MergeChunks, if not nil, returns the chunks of scan i that were
	// computed elsewhere (ScanPoints); FromEvents then merges them
	// (MergeScan) instead of scanning the grid.
	MergeChunks func(i int) ([]*ScanChunk, error)
	// MergeToys, if not nil, returns the toy batches of scan i at toy
	// point k that were computed elsewhere (EventModels.ToyBatch);
	// FromEvents then merges them (MergeCalibration) instead of drawing
	// the toys.
	MergeToys func(i, k int) ([]*ToyBatch, error)
	// Progress receives progress lines; nil means silent.
	Progress io.Writer
	// MadMiner reproduces MadMiner's conventions for comparisons with its
	// numbers: the best fit is the best grid point and the Poisson term
	// rounds the observed number of events (set Split.MadMiner too for
	// its partition).
	MadMiner bool
}

// FromEvents computes the scans over the grid of s from the events of r:
// the training events fill the histograms, the test events give the
// Asimov data at θ_true (or the observed data replace them), the rate and
// the normalisation; nuisance parameters change the rate and, for
// histograms, every bin, and are profiled with their Gaussian
// constraints. The likelihoods are those of EventModels.
func FromEvents(r EventReader, m Morpher, scans []ScanSpec, s EventSettings) (*Output, error) {
	em, err := NewEventModels(r, m, s)
	if err != nil {
		return nil, err
	}
	set := em.Settings()
	out := &Output{Luminosity: s.Luminosity, ThetaTrue: s.ThetaTrue}
	for i, sc := range scans {
		b, err := em.Model(i, sc)
		if err != nil {
			return nil, err
		}
		var res *Result
		if s.MergeChunks != nil {
			var chunks []*ScanChunk
			if chunks, err = s.MergeChunks(i); err == nil {
				res, err = MergeScan(b.Model, b.Data, em.Points, chunks, set)
			}
		} else {
			res, err = Scan(b.Model, b.Data, em.Points, set)
		}
		if err != nil {
			return nil, fmt.Errorf("limits: scan %s: %w", sc.Name, err)
		}
		res.Name, res.Mode, res.Parameters = sc.Name, sc.Mode, s.Parameters
		for k, th := range s.ToyPoints {
			// The observed q is that of the data at the closest grid
			// point; the toys give the distribution of q there.
			qObs := res.Q[Nearest(em.Points, th)]
			var batches []*ToyBatch
			if s.MergeToys != nil {
				batches, err = s.MergeToys(i, k)
			} else {
				for batch := range em.NumToyBatches() {
					var tb *ToyBatch
					if tb, err = em.ToyBatch(b, k, batch); err != nil {
						break
					}
					batches = append(batches, tb)
				}
			}
			var cal *Calibration
			if err == nil {
				cal, err = MergeCalibration(batches, qObs, em.dof(b.Model))
			}
			if err != nil {
				return nil, fmt.Errorf("limits: scan %s: toys at %v: %w", sc.Name, th, err)
			}
			res.Calibrations = append(res.Calibrations, *cal)
		}
		out.Results = append(out.Results, res)
	}
	return out, nil
}

// EventModels builds the likelihoods of the scans of an event file, as
// FromEvents scans them, for other uses of the same likelihood (such as a
// Bayesian posterior).
type EventModels struct {
	r              EventReader
	m              Morpher
	s              EventSettings
	s0, e0, s1, e1 int
	f0, f1         float64
	effects        []Effect
	// Points are the points of the grid of the settings.
	Points [][]float64
}

// ScanModel is the likelihood of one scan with its data.
type ScanModel struct {
	Model Model
	// Data are the Asimov data at θ_true or the observed data.
	Data *Data
	// Test holds the test events in the scan's columns or statistic
	// (Asimov data, rate, normalisation, pseudo-data).
	Test *Sample
}

// NewEventModels returns the builder of the scans' likelihoods of the
// events of r with the settings s (ToyPoints, Toys and Seed are not used).
func NewEventModels(r EventReader, m Morpher, s EventSettings) (*EventModels, error) {
	n, _, _ := r.Shape()
	em := &EventModels{r: r, m: m, s: s}
	var err error
	if em.s0, em.e0, em.f0, err = s.Split.TrainRange(n); err != nil {
		return nil, err
	}
	if em.s1, em.e1, em.f1, err = s.Split.TestRange(n); err != nil {
		return nil, err
	}
	if em.Points, err = s.Grid.Points(); err != nil {
		return nil, err
	}
	if em.effects, err = RateEffects(r, em.s1, em.e1, s.Nuisance); err != nil {
		return nil, err
	}
	return em, nil
}

// NumToyBatches is the number of toy batches of each toy point.
func (em *EventModels) NumToyBatches() int { return max(em.s.ToyBatches, 1) }

// ToyBatch draws batch batch of the toys at toy point k of the settings
// (ToyPoints[k]) from the test events of b, with the generator of the
// batch, and computes q at the point for each, as FromEvents does: one
// job of a sharded calibration.
func (em *EventModels) ToyBatch(b *ScanModel, k, batch int) (*ToyBatch, error) {
	s := em.s
	if k < 0 || k >= len(s.ToyPoints) {
		return nil, fmt.Errorf("limits: toy point %d of %d", k, len(s.ToyPoints))
	}
	sizes := ToyBatchSizes(s.Toys, em.NumToyBatches())
	if batch < 0 || batch >= len(sizes) {
		return nil, fmt.Errorf("limits: toy batch %d of %d", batch, len(sizes))
	}
	th := s.ToyPoints[k]
	gen := func(rnd *rand.Rand) (*Data, error) { return PseudoData(em.m, b.Test, th, s.Luminosity, rnd) }
	return CalibrateBatch(b.Model, em.Points, Toys{Generate: gen, Theta: th, N: sizes[batch]}, batch,
		ToyBatchRand(s.Seed+uint64(k), batch), em.Settings())
}

// dof is the number of degrees of freedom of the asymptotic p-values of
// model, as Calibrate takes it.
func (em *EventModels) dof(model Model) int {
	if d := em.Settings().DoF; d > 0 {
		return d
	}
	return model.NumParams()
}

// Settings returns the scan settings of FromEvents.
func (em *EventModels) Settings() *Settings {
	s := em.s
	return &Settings{FixNuisance: s.FixNuisance, Progress: s.Progress, Bounds: s.Grid.Ranges, GridOnly: s.MadMiner}
}

// Model builds the likelihood of scan sc, the i-th (the index that
// EventSettings.Observed receives), with its data.
func (em *EventModels) Model(i int, sc ScanSpec) (*ScanModel, error) {
	r, m, s, effects := em.r, em.m, em.s, em.effects
	_, nObs, _ := r.Shape()
	nb := m.NumBasis()
	cols := sc.Columns
	switch sc.Mode {
	case ModeRate:
		cols = []int{0}
	case ModeML:
		cols = make([]int, nObs)
		for k := range cols {
			cols[k] = k
		}
	}
	spec := func(start, end int, factor float64) SampleSpec {
		return SampleSpec{Start: start, End: end, Columns: cols, Statistic: sc.Statistic, NBasis: nb, Factor: factor}
	}
	test, err := LoadSample(r, spec(em.s1, em.e1, em.f1))
	if err != nil {
		return nil, fmt.Errorf("limits: scan %s: %w", sc.Name, err)
	}
	var data *Data
	if s.Observed != nil {
		data, err = s.Observed(i, cols)
	} else {
		data, err = Asimov(m, test, s.ThetaTrue, s.Luminosity)
	}
	if err != nil {
		return nil, fmt.Errorf("limits: scan %s: %w", sc.Name, err)
	}
	var rate *RateTerm
	if sc.IncludeRate || sc.Mode == ModeRate {
		rate = &RateTerm{Morpher: m, Luminosity: s.Luminosity, Sigma: test.SumWeights(), Nuisance: effects, RoundObserved: s.MadMiner}
	}
	var model Model
	switch sc.Mode {
	case ModeRate:
		model = &Rate{Term: rate, Nuisance: len(effects)}
	case ModeHisto, ModeSally, ModeSallino, ModeAdaptiveSally:
		train, err := LoadSample(r, spec(em.s0, em.e0, em.f0))
		if err != nil {
			return nil, fmt.Errorf("limits: scan %s: %w", sc.Name, err)
		}
		if sc.Mode == ModeSallino || sc.Mode == ModeAdaptiveSally {
			model = &AdaptiveSally{Morpher: m, Train: train, ThetaRef: make([]float64, m.NumParams()),
				Sallino: sc.Mode == ModeSallino, Bins: sc.Bins, Rate: rate}
			break
		}
		if model, err = histoWithShape(r, m, train, sc.Bins, em.Points, rate, effects, s.Nuisance, em.s0, em.e0); err != nil {
			return nil, fmt.Errorf("limits: scan %s: %w", sc.Name, err)
		}
	case ModeML:
		lm := &ML{LogRatio: sc.LogRatio, LogRatioGrid: sc.LogRatioGrid, Params: m.NumParams(), Nuisance: len(effects), Rate: rate}
		if sc.Normalize && !sc.Density {
			// The reference is the test partition, events the
			// network never saw (for Asimov data the same events,
			// whose log r̂ are then evaluated once).
			lm.Norm = &Normalization{X: test.X, Theta1: sc.Theta1,
				Weights: func(dst, theta []float64) []float64 { return test.WeightsAt(dst, m, theta) }}
		}
		model = lm
	default:
		return nil, fmt.Errorf("limits: scan %s: unknown mode %q", sc.Name, sc.Mode)
	}
	return &ScanModel{Model: model, Data: data, Test: test}, nil
}

// histoWithShape builds the histogram likelihood of the training events
// and, with nuisance parameters, their effect on every bin, from the
// nuisance benchmarks' weights of the training events, with the binning
// kept.
func histoWithShape(r EventReader, m Morpher, train *Sample, bins []int, points [][]float64, rate *RateTerm,
	effects []Effect, nuis NuisanceBenchmarks, start, end int) (*Histo, error) {
	var binning []Binning
	for _, n := range bins {
		binning = append(binning, Binning{N: n})
	}
	hc := HistoConfig{Bins: binning, BinningThetas: points, Rate: rate, NumNuisance: len(effects)}
	h, err := NewHisto(m, train, hc)
	if err != nil || len(effects) == 0 {
		return h, err
	}
	if hc.Shape, err = ShapeEffects(r, h, train, start, end, nuis); err != nil {
		return nil, err
	}
	hc.Bins = nil
	for _, ed := range h.Edges() {
		hc.Bins = append(hc.Bins, Binning{Edges: ed})
	}
	return NewHisto(m, train, hc)
}
