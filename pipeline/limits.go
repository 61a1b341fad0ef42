// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"slices"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// nuisanceBenchmarks locates the reference and the ±1σ benchmarks of the
// nuisance parameters of an events file.
func nuisanceBenchmarks(h *store.EventsHeader) (limits.NuisanceBenchmarks, error) {
	ref, up, down, err := h.NuisanceBenchmarks()
	return limits.NuisanceBenchmarks{Ref: ref, Up: up, Down: down}, err
}

// limitsGrid maps a grid of the card (limits.grid, posterior.grid) to
// limits.Grid.
func limitsGrid(g *cards.Grid) limits.Grid {
	return limits.Grid{Ranges: g.Ranges, Resolutions: g.Resolutions}
}

// limitsAt computes the card's limit scans (limits.FromEvents) at
// limits.theta_true[0] and, when bands is set, the members' bands of its
// ensemble scans (memberBands).
func limitsAt(e *Env, bands bool) (*limits.Output, []*limits.Band, error) {
	c := e.Card
	lc := c.Limits
	if lc == nil {
		return nil, nil, fmt.Errorf("pipeline: %s: no limits section", c.Path)
	}
	if c.IsSimulator() {
		return limitsSimulator(e, bands)
	}
	f, m, p, err := openLimits(e)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	p.observe(p.scorers)
	res, err := limits.FromEvents(f, m, p.scans, p.set)
	if err != nil {
		return nil, nil, fmt.Errorf("pipeline: %w", err)
	}
	if !bands {
		return res, nil, nil
	}
	b, err := memberBands(e, f, m, p, res)
	return res, b, err
}

// openLimits opens the events file with its morpher and plans the limit
// scans of the card on it (planLimits); the caller closes the file.
func openLimits(e *Env) (*store.EventFile, *morphing.Morpher, *limitsPlan, error) {
	f, m, err := eventsMorpher(e)
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := planLimits(e, f.Header())
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	return f, m, p, nil
}

// withLimits returns e with the card's limits section restricted to the
// point theta, index point of limits.theta_true, and the scans given.
func (e *Env) withLimits(theta []float64, point int, scans []cards.LimitScan) *Env {
	c := *e.Card
	l := *c.Limits
	l.ThetaTrue, l.Scans = cards.Points{theta}, scans
	c.Limits = &l
	sub := *e
	sub.Card, sub.limitsPoint = &c, point
	return &sub
}

// limitsPlan is what the limits stage scans: the scans' specifications
// with their trained models, the settings and the observed events.
type limitsPlan struct {
	set   limits.EventSettings
	cards []cards.LimitScan
	scans []limits.ScanSpec
	// models holds the trained model of each scan (nil for rate and
	// histo), scorers that of the score-based scans only.
	models, scorers []*ml.Ensemble
	// obs holds the nObs observed events, row-major (nil: Asimov data).
	obs  []float64
	nObs int
}

// planLimits maps the limits section to the scans of limits.FromEvents on
// the events file with header h, at limits.theta_true[0], with
// limits.compat applied.
func planLimits(e *Env, h *store.EventsHeader) (*limitsPlan, error) {
	c := e.Card
	lc := c.Limits
	set := limits.EventSettings{Luminosity: lc.Luminosity, ThetaTrue: lc.ThetaTrue[0], FixNuisance: lc.Nuisance == "fix",
		Grid: limitsGrid(&lc.Grid), Split: limits.Split{Test: partition.DefaultTest},
		Seed: e.Seed, Progress: e.Log, Parameters: c.ParameterNames()}
	if c.Sampling != nil {
		set.Split.Test = c.Sampling.TestSplit
	}
	if t := lc.Toys; t != nil {
		set.ToyPoints, set.Toys, set.ToyBatches = t.Points, t.N, t.Batches
	}
	var err error
	if set.Nuisance, err = nuisanceBenchmarks(h); err != nil {
		return nil, err
	}
	p := &limitsPlan{set: set, cards: lc.Scans}
	for _, sc := range lc.Scans {
		spec := limits.ScanSpec{Name: sc.Name, Mode: string(sc.Mode), Bins: sc.Bins, IncludeRate: *sc.IncludeRate}
		var model, scores *ml.Ensemble
		for _, name := range sc.Observables {
			k := slices.Index(h.ObservableNames, name)
			if k < 0 {
				return nil, fmt.Errorf("pipeline: limits scan %s: observable %q is not in the events file", sc.Name, name)
			}
			spec.Columns = append(spec.Columns, k)
		}
		switch sc.Mode {
		case cards.ScanML:
			if model, err = loadModel(e, sc.Model); err != nil {
				return nil, err
			}
			fn, nObs, density, err := ensembleLogRatio(model, sc.Model)
			if err != nil {
				return nil, err
			}
			if nObs != len(h.ObservableNames) {
				return nil, fmt.Errorf("pipeline: limits scan %s: model %s takes %d observables, the events file has %d", sc.Name, sc.Model, nObs, len(h.ObservableNames))
			}
			spec.LogRatio, spec.Density, spec.Normalize, spec.Theta1 = fn, density, *sc.Normalize, modelTheta1(c, h, sc.Model)
			spec.LogRatioGrid = logRatioGrid(e, sc.Model)
		case cards.ScanSally, cards.ScanSallino, cards.ScanAdaptiveSally:
			if scores, _, err = scorers(e, sc.Model); err != nil {
				return nil, err
			}
			model, spec.Statistic = scores, scoreStatistic(scores)
		}
		p.scans, p.models, p.scorers = append(p.scans, spec), append(p.models, model), append(p.scorers, scores)
	}
	if lc.Observed != "" {
		// Observed data replace the Asimov data of every scan.
		path := c.ResolvePath(lc.Observed)
		shape, data, err := store.ReadNPY(path)
		if err != nil {
			return nil, err
		}
		if err := limits.CheckObserved(shape, data, h.ObservableNames); err != nil {
			return nil, fmt.Errorf("pipeline: %s: %w", path, err)
		}
		p.obs, p.nObs = data, shape[0]
	}
	if lc.Compat.MadMiner() {
		limits.MadMinerCompat.ApplyEvents(&p.set, p.scans)
	}
	if e.limitsParts {
		p.mergeParts(e, e.limitsShards)
	}
	return p, nil
}

// observe makes the observed events, if any, the data of the scans
// (limits.ObservedColumns) whose score models (for score-based scans, whose
// data are the events' estimated scores; nil otherwise) are scorers.
func (p *limitsPlan) observe(scorers []*ml.Ensemble) {
	p.set.Observed = nil
	if p.obs != nil {
		p.set.Observed = func(i int, cols []int) (*limits.Data, error) {
			var stat func([]float64, int) ([]float64, error)
			if scorers[i] != nil {
				stat = scoreStatistic(scorers[i])
			}
			return limits.ObservedColumns(p.obs, p.nObs, cols, stat)
		}
	}
}

// modelTheta1 returns the denominator hypothesis θ1 of the ratio model
// trained as name when the card's ratio sample for it has a single θ1
// (cards.Card.RatioTheta1), and nil otherwise.
func modelTheta1(c *cards.Card, h *store.EventsHeader, name string) []float64 {
	bench, point, ok := c.RatioTheta1(name)
	if !ok || bench == "" {
		return point
	}
	if i := slices.IndexFunc(h.Benchmarks, func(b store.Benchmark) bool { return b.Name == bench }); i >= 0 {
		return h.Benchmarks[i].Values
	}
	return nil
}
