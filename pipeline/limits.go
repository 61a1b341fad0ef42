// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"math"
	"slices"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/npy"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// observedData selects the columns a scan uses from the observed events
// (all observables, row-major n × nObs), or their estimated scores for
// score-based scans.
func observedData(obs []float64, n int, cols []int, en *ml.Ensemble) (*limits.Data, error) {
	if n <= 0 || len(obs)%n != 0 {
		return nil, fmt.Errorf("pipeline: %d observed values for %d events", len(obs), n)
	}
	nObs := len(obs) / n
	if en != nil {
		mean, err := en.ScoreRows(nil, obs)
		if err != nil {
			return nil, err
		}
		return limits.Observed(mean, len(mean)/n), nil
	}
	x := make([]float64, 0, n*len(cols))
	for i := 0; i < n; i++ {
		for _, k := range cols {
			x = append(x, obs[i*nObs+k])
		}
	}
	return limits.Observed(x, len(cols)), nil
}

// nuisanceBenchmarks locates the reference and the ±1σ benchmarks of the
// nuisance parameters of an events file.
func nuisanceBenchmarks(h *store.EventsHeader) (limits.NuisanceBenchmarks, error) {
	ref, up, down, err := h.NuisanceBenchmarks()
	return limits.NuisanceBenchmarks{Ref: ref, Up: up, Down: down}, err
}

// limitsAt computes the card's limit scans (limits.FromEvents) at
// limits.theta_true[0].
func limitsAt(e *Env) (*limits.Output, error) {
	c := e.Card
	lc := c.Limits
	if lc == nil {
		return nil, fmt.Errorf("pipeline: %s: no limits section", c.Path)
	}
	if c.IsSimulator() {
		return limitsSimulator(e)
	}
	f, m, err := eventsMorpher(e)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := f.Header()
	set := limits.EventSettings{Luminosity: lc.Luminosity, ThetaTrue: lc.ThetaTrue[0], FixNuisance: lc.Nuisance == "fix",
		Grid: limits.Grid{Ranges: lc.Grid.Ranges, Resolutions: lc.Grid.Resolutions}, Split: limits.Split{Test: partition.DefaultTest},
		Seed: e.Seed, Progress: e.Log, Parameters: c.ParameterNames()}
	if c.Sampling != nil {
		set.Split.Test = c.Sampling.TestSplit
	}
	if t := lc.Toys; t != nil {
		set.ToyPoints, set.Toys = t.Points, t.N
	}
	if set.Nuisance, err = nuisanceBenchmarks(h); err != nil {
		return nil, err
	}
	var scans []limits.ScanSpec
	var models []*ml.Ensemble // score models, for the observed data
	for _, sc := range lc.Scans {
		spec := limits.ScanSpec{Name: sc.Name, Mode: string(sc.Mode), Bins: sc.Bins, IncludeRate: *sc.IncludeRate}
		var scores *ml.Ensemble
		for _, name := range sc.Observables {
			k := slices.Index(h.ObservableNames, name)
			if k < 0 {
				return nil, fmt.Errorf("pipeline: limits scan %s: observable %q is not in the events file", sc.Name, name)
			}
			spec.Columns = append(spec.Columns, k)
		}
		switch sc.Mode {
		case cards.ScanML:
			fn, nObs, density, err := logRatio(e, sc.Model)
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
			spec.Statistic = scoreStatistic(scores)
		}
		scans, models = append(scans, spec), append(models, scores)
	}
	if lc.Observed != "" {
		// Observed data replace the Asimov data of every scan.
		path := c.ResolvePath(lc.Observed)
		shape, data, err := store.ReadNPY(path)
		if err != nil {
			return nil, err
		}
		if len(shape) != 2 || shape[1] != len(h.ObservableNames) || shape[0] == 0 {
			return nil, fmt.Errorf("pipeline: %s: observed events of shape %s, want (n, %d) with n > 0, the observables in the order %v", path, npy.ShapeString(shape), len(h.ObservableNames), h.ObservableNames)
		}
		for i, v := range data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("pipeline: %s: observed event %d: %s is %v", path, i/shape[1], h.ObservableNames[i%shape[1]], v)
			}
		}
		set.Observed = func(i int, cols []int) (*limits.Data, error) { return observedData(data, shape[0], cols, models[i]) }
	}
	if lc.Compat.MadMiner() {
		limits.MadMinerCompat.ApplyEvents(&set, scans)
	}
	res, err := limits.FromEvents(f, m, scans, set)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	return res, nil
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
