// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/npy"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// LimitsResult is the content of limits.json.
type LimitsResult struct {
	limits.Output
	File string `json:"file"`
	// Observed is true when the scans use observed events instead of
	// Asimov data.
	Observed bool `json:"observed"`
}

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
	idx := func(name string) int {
		if name == "" {
			return -1
		}
		return slices.IndexFunc(h.Benchmarks, func(b store.Benchmark) bool { return b.Name == name })
	}
	nb := limits.NuisanceBenchmarks{Ref: max(0, slices.IndexFunc(h.Benchmarks, func(b store.Benchmark) bool { return b.IsReference }))}
	for _, np := range h.NuisanceParameters {
		up := idx(np.BenchmarkPositive)
		if up < 0 {
			return nb, fmt.Errorf("pipeline: nuisance parameter %s: benchmark %q not in the events file", np.Name, np.BenchmarkPositive)
		}
		nb.Up, nb.Down = append(nb.Up, up), append(nb.Down, idx(np.BenchmarkNegative))
	}
	return nb, nil
}

// limitsStage computes the card's expected-limit scans on the test partition
// and writes WORKDIR/limits.json.
func limitsStage(e *Env) (*LimitsResult, error) {
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
	nb := m.NumBasis()
	split := limits.Split{Test: partition.DefaultTest}
	if c.Sampling != nil {
		split.Test = c.Sampling.TestSplit
	}
	s0, e0, f0, err := split.TrainRange(f.N())
	if err != nil {
		return nil, err
	}
	s1, e1, f1, err := split.TestRange(f.N())
	if err != nil {
		return nil, err
	}
	params := make([]string, len(c.Parameters))
	for i, p := range c.Parameters {
		params[i] = p.Name
	}
	points, err := limits.Grid{Ranges: lc.Grid.Ranges, Resolutions: lc.Grid.Resolutions}.Points()
	if err != nil {
		return nil, err
	}
	nuis, err := nuisanceBenchmarks(h)
	if err != nil {
		return nil, err
	}
	effects, err := limits.RateEffects(f, s1, e1, nuis)
	if err != nil {
		return nil, err
	}
	set := &limits.Settings{FixNuisance: lc.Nuisance == "fix", Progress: e.Log, Bounds: lc.Grid.Ranges}

	// Observed data replace the Asimov data of every scan.
	var obs []float64
	var obsN int
	if lc.Observed != "" {
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
		obs, obsN = data, shape[0]
	}
	out := &LimitsResult{File: e.Path("limits.json"), Observed: lc.Observed != ""}
	out.Luminosity, out.ThetaTrue = lc.Luminosity, lc.ThetaTrue
	for _, sc := range lc.Scans {
		var cols []int
		var (
			mlFn      limits.LogRatioFunc
			mlDensity bool // a likelihood estimator: normalised already
		)
		for _, name := range sc.Observables {
			k := slices.Index(h.ObservableNames, name)
			if k < 0 {
				return nil, fmt.Errorf("pipeline: limits scan %s: observable %q is not in the events file", sc.Name, name)
			}
			cols = append(cols, k)
		}
		var train, test *limits.Sample
		var scores *ml.Ensemble
		switch sc.Mode {
		case "rate":
			cols = []int{0}
		case "ml":
			fn, nObs, density, err := logRatio(e, sc.Model)
			if err != nil {
				return nil, err
			}
			if nObs != len(h.ObservableNames) {
				return nil, fmt.Errorf("pipeline: limits scan %s: model %s takes %d observables, the events file has %d", sc.Name, sc.Model, nObs, len(h.ObservableNames))
			}
			cols = make([]int, nObs)
			for k := range cols {
				cols[k] = k
			}
			mlFn, mlDensity = fn, density
		case "sally", "sallino", "adaptive-sally":
			if scores, _, err = scorers(e, sc.Model); err != nil {
				return nil, err
			}
			stat := scoreStatistic(scores)
			if train, err = limits.LoadSample(f, limits.SampleSpec{Start: s0, End: e0, Statistic: stat, NBasis: nb, Factor: f0}); err != nil {
				return nil, err
			}
			if test, err = limits.LoadSample(f, limits.SampleSpec{Start: s1, End: e1, Statistic: stat, NBasis: nb, Factor: f1}); err != nil {
				return nil, err
			}
		}
		if test == nil {
			if test, err = limits.LoadSample(f, limits.SampleSpec{Start: s1, End: e1, Columns: cols, NBasis: nb, Factor: f1}); err != nil {
				return nil, err
			}
		}
		var asimov *limits.Data
		if obs != nil {
			asimov, err = observedData(obs, obsN, cols, scores)
		} else {
			asimov, err = limits.Asimov(m, test, lc.ThetaTrue, lc.Luminosity)
		}
		if err != nil {
			return nil, fmt.Errorf("pipeline: limits scan %s: %w", sc.Name, err)
		}
		var rate *limits.RateTerm
		if *sc.IncludeRate || sc.Mode == "rate" {
			rate = &limits.RateTerm{Morpher: m, Luminosity: lc.Luminosity, Sigma: test.SumWeights(), Nuisance: effects}
		}
		var model limits.Model
		var bins []limits.Binning
		for _, n := range sc.Bins {
			bins = append(bins, limits.Binning{N: n})
		}
		switch sc.Mode {
		case "rate":
			model = &limits.Rate{Term: rate, Nuisance: len(effects)}
		case "histo", "sally":
			if train == nil {
				if train, err = limits.LoadSample(f, limits.SampleSpec{Start: s0, End: e0, Columns: cols, NBasis: nb, Factor: f0}); err != nil {
					return nil, err
				}
			}
			hc := limits.HistoConfig{Bins: bins, BinningThetas: points, Rate: rate, NumNuisance: len(effects)}
			var h *limits.Histo
			h, err = limits.NewHisto(m, train, hc)
			if err == nil && len(effects) > 0 {
				// Nuisance parameters also change the shape: their effect
				// on every bin, from the nuisance benchmarks' weights of
				// the training events, with the binning kept.
				if hc.Shape, err = limits.ShapeEffects(f, h, train, s0, e0, nuis); err == nil {
					hc.Bins = nil
					for _, ed := range h.Edges() {
						hc.Bins = append(hc.Bins, limits.Binning{Edges: ed})
					}
					h, err = limits.NewHisto(m, train, hc)
				}
			}
			model = h
		case "sallino", "adaptive-sally":
			ref := make([]float64, len(c.Parameters))
			model = &limits.AdaptiveSally{Morpher: m, Train: train, ThetaRef: ref, Sallino: sc.Mode == "sallino", Bins: sc.Bins, Rate: rate}
		case "ml":
			lm := &limits.ML{LogRatio: mlFn, Params: len(c.Parameters), Nuisance: len(effects), Rate: rate}
			if *sc.Normalize && !mlDensity {
				// The reference is the test partition, events the
				// network never saw (for Asimov data the same events,
				// whose log r̂ are then evaluated once).
				ref := test
				lm.Norm = &limits.Normalization{X: ref.X, Theta1: modelTheta1(c, h, sc.Model),
					Weights: func(dst, theta []float64) []float64 { return ref.WeightsAt(dst, m, theta) }}
			}
			model = lm
		}
		if err != nil {
			return nil, fmt.Errorf("pipeline: limits scan %s: %w", sc.Name, err)
		}
		res, err := limits.Scan(model, asimov, points, set)
		if err != nil {
			return nil, fmt.Errorf("pipeline: limits scan %s: %w", sc.Name, err)
		}
		res.Name, res.Mode, res.Parameters = sc.Name, string(sc.Mode), params
		if t := lc.Toys; t != nil {
			for k, th := range t.Points {
				// Pseudo-experiments generated at the tested point give
				// the distribution of q there; the observed q is that of
				// the Asimov data at the closest grid point.
				gen := func(rnd *rand.Rand) (*limits.Data, error) {
					return limits.PseudoData(m, test, th, lc.Luminosity, rnd)
				}
				cal, err := limits.Calibrate(model, points, limits.Toys{Generate: gen, Theta: th,
					QObserved: res.Q[limits.Nearest(points, th)], N: t.N, Seed: e.Seed + uint64(k)}, set)
				if err != nil {
					return nil, fmt.Errorf("pipeline: limits scan %s: toys at %v: %w", sc.Name, th, err)
				}
				res.Calibrations = append(res.Calibrations, *cal)
			}
		}
		out.Results = append(out.Results, res)
	}
	if err := store.WriteFileAtomic(out.File, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// PrintLimits writes a human summary.
func PrintLimits(w io.Writer, r *LimitsResult) {
	fmt.Fprintf(w, "wrote %s\n", r.File)
	for _, res := range r.Results {
		fmt.Fprintf(w, "%-8s best fit %v (log L %.4f), %d grid points", res.Label(), res.BestFit, res.BestLogLikelihood, len(res.Points))
		n68, n95 := res.Inside()
		fmt.Fprintf(w, ", %d inside 68%% CL, %d inside 95%% CL\n", n68, n95)
		for _, cal := range res.Calibrations {
			fmt.Fprintf(w, "  toys: q_obs %.3f, p asymptotic %.4f, p toys %.4f ± %.4f\n", cal.QObserved, cal.PAsymptotic, cal.PToys, cal.PToysError)
		}
	}
}

// modelTheta1 returns the denominator hypothesis θ1 of the ratio model
// trained as name when the card's ratio sample for it has a single θ1
// (a benchmark or a point), and nil otherwise.
func modelTheta1(c *cards.Card, h *store.EventsHeader, name string) []float64 {
	ti := slices.IndexFunc(c.Training, func(t cards.Training) bool { return t.Name == name })
	if ti < 0 || c.Sampling == nil {
		return nil
	}
	si := slices.IndexFunc(c.Sampling.Samples, func(s cards.SampleSpec) bool { return s.Name == c.Training[ti].Sample })
	if si < 0 || c.Sampling.Samples[si].Method != "ratio" || c.Sampling.Samples[si].Theta1 == nil {
		return nil
	}
	t := c.Sampling.Samples[si].Theta1
	bench := func(name string) []float64 {
		i := slices.IndexFunc(h.Benchmarks, func(b store.Benchmark) bool { return b.Name == name })
		if i < 0 {
			return nil
		}
		return h.Benchmarks[i].Values
	}
	switch {
	case t.Benchmark != "":
		return bench(t.Benchmark)
	case len(t.Benchmarks) == 1:
		return bench(t.Benchmarks[0])
	case t.Point != nil:
		return t.Point
	case len(t.Points) == 1:
		return t.Points[0]
	}
	return nil
}
