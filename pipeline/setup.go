// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/seed"
	"github.com/goldmine-hep/goldmine/internal/workdir"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/store"
)

// Env is what every stage needs besides the card: the working
// directory (Workdir, Path, Root, Lock, LockSub, SubBusy, Close and the
// other methods of package internal/workdir), the seed and the log.
type Env struct {
	*workdir.Dir

	Card *cards.Card
	Seed uint64    // campaign seed (card seed unless overridden)
	Log  io.Writer // progress; nil means quiet

	// Report, if not nil, is called by Run with the result of each stage
	// it ran (a *SetupResult, *AnalyseResult, ...).
	Report func(result any)

	// Strict makes the fisher and limits stages fail when they skip an
	// item or scan that cannot be computed (goldmine --strict); by default
	// they compute the others and name the skipped in their result.
	Strict bool

	// limitsParts makes the limits stage merge the grid chunks and toy
	// batches of its shards, limitsShards, instead of computing them;
	// limitsPoint is the index in limits.theta_true of the point being
	// computed.
	limitsParts  bool
	limitsShards []Shard
	limitsPoint  int
}

// NewEnv returns the environment of card c. The working directory dir and
// seed override the card's when not empty/nil.
func NewEnv(c *cards.Card, dir string, seed *uint64, log io.Writer) *Env {
	if dir == "" {
		dir = c.Workdir
	}
	e := &Env{Dir: workdir.New(dir), Card: c, Seed: *c.Seed, Log: log}
	if seed != nil {
		e.Seed = *seed
	}
	return e
}

func (e *Env) logf(format string, args ...any) {
	if e.Log != nil {
		fmt.Fprintf(e.Log, format, args...)
	}
}

// rng returns the reproducible source of the named random step
// (seed.Rand).
func (e *Env) rng(step string) *rand.Rand { return seed.Rand(e.Seed, step) }

// SetupResult summarises the morphing setup.
type SetupResult struct {
	File       string      `json:"file"`
	Parameters []string    `json:"parameters"`
	Benchmarks []string    `json:"benchmarks"`
	Basis      []string    `json:"basis"`
	Components [][]int     `json:"components"`
	Values     [][]float64 `json:"benchmark_values"`
	Cond       float64     `json:"condition_number"`
	// MeanSquaredWeights is mean Σ_b w_b(θ)² over θ drawn uniformly in the
	// parameter ranges (MadMiner's basis objective).
	MeanSquaredWeights float64 `json:"mean_squared_weights"`
	// RandomMeanSquaredWeights is the objective of the best of the random
	// bases drawn with the same seed (MadMiner's search), when the basis was
	// optimised.
	RandomMeanSquaredWeights float64 `json:"random_mean_squared_weights,omitempty"`
}

type benchmark = morphing.Benchmark

// setup builds the morphing setup of the card and writes WORKDIR/setup.h5.
func setup(e *Env) (*SetupResult, error) {
	build := BuildSetup
	if files := madMinerFiles(e.Card); len(files) > 0 {
		build = func(e *Env) (*store.Setup, *SetupResult, error) { return fileSetup(e, files) }
	}
	s, res, err := build(e)
	if err != nil {
		return nil, err
	}
	root, err := e.Root()
	if err != nil {
		return nil, err
	}
	res.File = e.Path("setup.h5")
	if err := store.WriteSetupIn(root, "setup.h5", s); err != nil {
		return nil, err
	}
	return res, nil
}

// BuildSetup computes the morphing setup of the card without writing it.
func BuildSetup(e *Env) (*store.Setup, *SetupResult, error) {
	c := e.Card
	bms, err := resolveBenchmarks(c)
	if err != nil {
		return nil, nil, err
	}
	maxPowers := make([]int, len(c.Parameters))
	ranges := make([][2]float64, len(c.Parameters))
	for i, p := range c.Parameters {
		maxPowers[i] = p.MorphingMaxPower
		ranges[i] = p.Range
	}
	overall := c.Morphing.MaxOverallPower
	if overall == 0 {
		overall = -1
	}
	comps := morphing.Components(maxPowers, overall)
	opt := c.Morphing.Optimize
	if opt == nil {
		opt = &cards.MorphingOptimize{Starts: cards.DefaultOptimizeStarts, TestPoints: cards.DefaultOptimizeTestPoints, Objective: "weights"}
		for _, b := range bms {
			opt.Keep = append(opt.Keep, b.Name)
		}
	}
	if len(c.Morphing.Basis) == 0 && opt.Objective == "xsec" {
		return nil, nil, fmt.Errorf("pipeline: %s: morphing.optimize.objective xsec needs cross sections from an analysed sample; run setup with objective weights first", c.Path)
	}
	ch, err := morphing.ChooseBasis(bms, &morphing.Choice{
		Components: comps, Basis: c.Morphing.Basis,
		Keep: opt.Keep, Ranges: ranges, TestPoints: opt.TestPoints, RandomBases: opt.Starts,
	}, rand.NewPCG(e.Seed, 0x6d6f727068))
	if err != nil {
		return nil, nil, fmt.Errorf("pipeline: %s: %w", c.Path, err)
	}
	ns, err := buildNuisance(c)
	if err != nil {
		return nil, nil, err
	}
	s := &store.Setup{Parameters: storeParameters(c), Components: comps, MorphingMatrix: ch.Morpher.Matrix(), Systematics: ns.Systematics}
	// Basis benchmarks first (the store's convention), then the others.
	for _, b := range ch.Benchmarks {
		s.Benchmarks = append(s.Benchmarks, store.Benchmark{Name: b.Name, Values: b.Values})
	}
	res := newSetupResult(e, s, ch.Morpher)
	res.RandomMeanSquaredWeights = ch.RandomObjective
	return s, res, nil
}

// newSetupResult summarises the setup s with morpher m.
func newSetupResult(e *Env, s *store.Setup, m *morphing.Morpher) *SetupResult {
	c := e.Card
	ranges := make([][2]float64, len(c.Parameters))
	for i, p := range c.Parameters {
		ranges[i] = p.Range
	}
	thetas := morphing.UniformThetas(cards.DefaultOptimizeTestPoints, ranges, e.rng("setup/test-points"))
	res := &SetupResult{Parameters: c.ParameterNames(), Components: s.Components, Cond: m.Cond(), MeanSquaredWeights: m.MeanSquaredWeights(thetas)}
	for i, b := range s.Benchmarks {
		res.Benchmarks = append(res.Benchmarks, b.Name)
		res.Values = append(res.Values, b.Values)
		if i < m.NumBasis() {
			res.Basis = append(res.Basis, b.Name)
		}
	}
	return res
}

// resolveBenchmarks returns the explicit benchmarks of the card and those
// imported from LHE headers, in card order.
func resolveBenchmarks(c *cards.Card) ([]benchmark, error) {
	var out []benchmark
	seen := make(map[string]string)
	add := func(b benchmark, where string) error {
		if prev, dup := seen[b.Name]; dup {
			return fmt.Errorf("pipeline: %s: benchmark %q defined twice (%s and %s)", c.Path, b.Name, prev, where)
		}
		seen[b.Name] = where
		out = append(out, b)
		return nil
	}
	for i, b := range c.Benchmarks {
		if b.FromLHE == "" {
			if err := add(benchmark{Name: b.Name, Values: c.BenchmarkValues(b)}, fmt.Sprintf("benchmarks[%d]", i)); err != nil {
				return nil, err
			}
			continue
		}
		imported, err := importBenchmarks(c, c.ResolvePath(b.FromLHE), b.Only)
		if err != nil {
			return nil, err
		}
		for _, ib := range imported {
			if err := add(ib, b.FromLHE); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pipeline: %s: no benchmarks", c.Path)
	}
	return out, nil
}
