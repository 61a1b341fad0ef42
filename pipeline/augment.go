// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// AugmentResult summarises goldmine augment.
type AugmentResult struct {
	Samples []*sampling.Manifest `json:"samples"`
	Passes  int                  `json:"passes_over_events"`
	Dir     string               `json:"dir"`
}

// samplingKind returns the kind of sample of a card sampling method.
func samplingKind(method string) sampling.Kind {
	switch method {
	case "local":
		return sampling.Local
	case "density":
		return sampling.Density
	case "ratio", "double_ratio":
		return sampling.Ratio
	case "test":
		return sampling.TestSample
	}
	return sampling.Plain
}

// thetaSpec maps a card θ specification to the sampler's, with the
// benchmarks named as in benchmarks.
func thetaSpec(benchmarks []string, t *cards.ThetaSpec) (sampling.ThetaSpec, error) {
	bench := func(name string) (int, error) {
		i := slices.Index(benchmarks, name)
		if i < 0 {
			return 0, fmt.Errorf("unknown benchmark %q", name)
		}
		return i, nil
	}
	switch {
	case t.Benchmark != "":
		i, err := bench(t.Benchmark)
		return sampling.Benchmark(i), err
	case t.Benchmarks != nil:
		var idx []int
		for _, name := range t.Benchmarks {
			i, err := bench(name)
			if err != nil {
				return sampling.ThetaSpec{}, err
			}
			idx = append(idx, i)
		}
		return sampling.Benchmarks(idx...), nil
	case t.Point != nil:
		return sampling.MorphingPoint(t.Point...), nil
	case t.Points != nil:
		return sampling.MorphingPoints(t.Points), nil
	case t.Random != nil:
		var priors []sampling.Prior
		for _, p := range t.Random.Priors {
			if p.Kind == "flat" {
				priors = append(priors, sampling.Prior{Kind: sampling.Flat, A: p.Range[0], B: p.Range[1]})
			} else {
				priors = append(priors, sampling.Prior{Kind: sampling.Gaussian, A: p.Mean, B: p.Std})
			}
		}
		return sampling.RandomMorphingPoints(t.Random.N, priors...), nil
	}
	return sampling.ThetaSpec{}, fmt.Errorf("empty θ specification")
}

// openSampling opens the events file for a stage that samples it (what
// names its need in errors) with the sampling configuration of its
// header (sampling.ConfigFromHeader); the caller closes the file.
func openSampling(e *Env, what string) (*store.EventFile, *sampling.Config, error) {
	f, err := store.OpenEvents(e.Path("events.h5"))
	if err != nil {
		return nil, nil, inputErr(err, what, "analyse")
	}
	cfg, err := sampling.ConfigFromHeader(f.Header())
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, cfg, nil
}

// nuisanceMorpher returns the nuisance morpher of an events file, or nil.
func nuisanceMorpher(h *store.EventsHeader) (*morphing.NuisanceMorpher, error) {
	if len(h.NuisanceParameters) == 0 {
		return nil, nil
	}
	nb, err := nuisanceBenchmarks(h)
	if err != nil {
		return nil, err
	}
	return morphing.NewNuisanceMorpher(nb.Ref, nb.Up, nb.Down)
}

// augment draws the card's training and test samples from the events file
// (two passes over the events for all samples and parameter points) and
// writes them to WORKDIR/samples/NAME/ as MadMiner-named .npy files with a
// manifest.
func augment(e *Env) (*AugmentResult, error) { return augmentInto(e, "", sampling.Chunk{}, "samples") }

// augmentInto is augment into the folder dir of the working directory
// (dir/NAME/); with only not "", of that sample alone, as augment draws
// it (sampling.Config.Only), and of the chunk ch of its θ points
// (sampling.Config.Chunk, written in float64 for the join): the job of an
// augment shard.
func augmentInto(e *Env, only string, ch sampling.Chunk, dir string) (*AugmentResult, error) {
	c := e.Card
	if c.Sampling == nil || len(c.Sampling.Samples) == 0 {
		return nil, fmt.Errorf("pipeline: %s: no sampling section", c.Path)
	}
	if c.IsSimulator() {
		return augmentSimulator(e)
	}
	f, cfg, err := openSampling(e, "augment needs the events file")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := f.Header()
	if cfg.Nuisance, err = nuisanceMorpher(h); err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", e.Path("events.h5"), err)
	}
	sc := c.Sampling
	cfg.Split = &partition.Split{Validation: sc.ValidationSplit, Test: sc.TestSplit}
	if sc.Compat.MadMiner() {
		cfg.Compat = sampling.MadMinerCompat
	}
	cfg.Seed, cfg.Only, cfg.Chunk = e.Seed, only, ch
	cfg.Log = e.Log
	var names []string
	for _, b := range h.Benchmarks {
		names = append(names, b.Name)
	}
	var reqs []sampling.Request
	for _, sp := range sc.Samples {
		r := sampling.Request{Name: sp.Name, Kind: samplingKind(sp.Method), N: sp.N}
		th := sp.Theta
		if th == nil {
			th = sp.Theta0
		}
		if r.Theta, err = thetaSpec(names, th); err != nil {
			return nil, fmt.Errorf("pipeline: %s: sampling sample %s: %w", c.Path, sp.Name, err)
		}
		if sp.Theta1 != nil {
			if r.Theta1, err = thetaSpec(names, sp.Theta1); err != nil {
				return nil, fmt.Errorf("pipeline: %s: sampling sample %s: theta1: %w", c.Path, sp.Name, err)
			}
		}
		if sp.Nu != nil && sp.Nu.Kind == "random" {
			r.Nu = &sampling.NuSpec{Random: true}
			if sp.Theta1 != nil {
				r.Nu1 = &sampling.NuSpec{Random: true}
			}
		}
		if sp.Partition != "" {
			p, err := partition.Parse(sp.Partition)
			if err != nil {
				return nil, fmt.Errorf("pipeline: %s: sampling sample %s: %w", c.Path, sp.Name, err)
			}
			r.Partition = &p
		}
		// Per sample: one sample's setting must not change another's.
		r.AllBenchmarks = !*sp.SampleOnlyFromClosestBenchmark
		r.MinNEff = sp.MinNEff
		reqs = append(reqs, r)
	}
	results, stats, err := sampling.Run(sampling.FromEventFile(f), cfg, reqs...)
	if err != nil {
		return nil, fmt.Errorf("pipeline: augment: %w", err)
	}
	root, err := e.Root()
	if err != nil {
		return nil, err
	}
	out := &AugmentResult{Passes: stats.Passes, Dir: e.Path(dir)}
	for _, res := range results {
		m, err := sampling.WriteIn(root, filepath.Join(dir, res.Name), res, &sampling.WriteSettings{Seed: cfg.Seed, Stats: stats, Float64: sc.Float64 || res.Chunk != nil})
		if err != nil {
			return nil, err
		}
		out.Samples = append(out.Samples, m)
	}
	return out, nil
}
