// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/partition"
)

// Config holds what every sample of a run shares.
type Config struct {
	// Morpher morphs the first Morpher.NumBasis() weight columns to any θ.
	// Without a morpher only benchmark points can be sampled and no joint
	// score is available.
	Morpher *morphing.Morpher

	// Benchmarks holds the parameter values of the benchmarks, in the order
	// of the weight columns (at least one row per morphing basis point).
	Benchmarks [][]float64

	// Split gives the validation and test fractions; nil means
	// partition.Default() (0.2, 0.2).
	Split *partition.Split

	// Seed seeds every random step: the same seed gives the same samples,
	// whatever the number of workers.
	Seed uint64

	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int

	// BatchSize is the number of events requested from the source per
	// batch; 0 means 65536. Memory is bounded by it and by the samples.
	BatchSize int

	// AllBenchmarks draws every sample from the events of every benchmark
	// (Request.AllBenchmarks does so for one sample). By default (false),
	// as in MadMiner, a parameter point is sampled only from the events
	// generated at the benchmark closest to it (plus background events).
	AllBenchmarks bool

	// MinNEff, if positive, is the smallest acceptable effective number of
	// events (see Result.NEff) at any sampling point of any sample
	// (Request.MinNEff sets it for one sample); below it Run fails before
	// drawing anything.
	MinNEff float64

	// Compat switches on MadMiner's conventions where goldmine differs;
	// the zero value is goldmine's (see Compat and MadMinerCompat).
	Compat Compat

	// Nuisance, if not nil, adds the nuisance parameters ν: Local and
	// Density samples then carry the joint score with respect to (θ, ν) at
	// the nominal ν = 0, t_ν = a_i − ∂_ν σ/σ, as MadMiner's
	// nuisance_score. Sampling itself is at ν = 0.
	Nuisance *morphing.NuisanceMorpher

	// Only, if not "", draws only the requested sample of that name, as
	// Run draws it among all the requests (the θ of every request are
	// still resolved, in order, for the random stream they share): one
	// job of a sampling stage cut into a job per sample. Run then returns
	// that sample alone.
	Only string

	// Chunk, with Only, draws only one contiguous range of that sample's
	// sampling points (see Chunk), unshuffled: one job of a sample with
	// many θ cut into Chunk.Count jobs, whose results Join puts together.
	// The zero value draws the whole sample.
	Chunk Chunk

	// Log receives progress and warnings; nil means silent.
	Log io.Writer
}

// Chunk selects the range Index of Count near-equal contiguous ranges of
// a sample's sampling points, in the order Run draws them: the points of
// the θ specification, for Ratio samples first with y = 0 and then again
// with y = 1.
type Chunk struct {
	Index, Count int
}

// ChunkInfo marks a Result that holds one chunk of a sample (drawn with
// Config.Chunk), unshuffled, with what Join needs to shuffle the joined
// sample as Run shuffles the whole.
type ChunkInfo struct {
	Index  int    `json:"index"`
	Count  int    `json:"count"`
	Seed   uint64 `json:"seed"`
	Stream uint64 `json:"stream"`
}

// Kind is the kind of sample, following MadMiner's SampleAugmenter.
type Kind int

const (
	Plain      Kind = iota // x ~ p(x|θ), θ: sample_train_plain
	Local                  // x ~ p(x|θ) with t(x,z|θ) at a single θ: sample_train_local (SALLY, SALLINO)
	Density                // x ~ p(x|θ), θ from a prior, t(x,z|θ): sample_train_density (NDE, SCANDAL)
	Ratio                  // x from θ0 (y=0) and θ1 (y=1), r(x,z|θ0,θ1), t(x,z|θ0), t(x,z|θ1): sample_train_ratio; with a list of θ1 the doubly parameterised sample
	TestSample             // x ~ p(x|θ) from the test partition: sample_test
)

func (k Kind) String() string {
	switch k {
	case Plain:
		return "plain"
	case Local:
		return "local"
	case Density:
		return "density"
	case Ratio:
		return "ratio"
	case TestSample:
		return "test"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Request asks for one sample.
type Request struct {
	Name  string
	Kind  Kind
	Theta ThetaSpec // θ (θ0 for Ratio)
	// Theta1 is the denominator hypothesis of a Ratio sample: one point, or
	// as many points as Theta (paired in order) for the doubly
	// parameterised sample.
	Theta1 ThetaSpec
	N      int
	// Nu and Nu1 give the nuisance parameters of the points of Theta and
	// Theta1; nil means the nominal ν = 0. They need Config.Nuisance.
	Nu, Nu1 *NuSpec
	// Partition defaults to partition.Train (partition.Test for
	// TestSample).
	Partition *partition.Partition
	// AllBenchmarks draws this sample's points from the events of every
	// benchmark instead of those generated at the closest benchmark (see
	// Config.AllBenchmarks, which does so for every sample).
	AllBenchmarks bool
	// MinNEff, if positive, is the smallest acceptable effective number of
	// events at this sample's points, in addition to Config.MinNEff.
	MinNEff float64
}

// Result is one drawn sample. Arrays are row-major with N rows.
type Result struct {
	Name      string
	Kind      Kind
	Partition partition.Partition
	N         int
	NObs      int
	NParams   int
	NTheta    int // columns of Theta0 and Theta1: NParams, plus the nuisance parameters when Request.Nu or Nu1 is set
	NScore    int // columns of TXZ0: NParams, plus the nuisance parameters for Local and Density samples with Config.Nuisance

	X      []float64 // N×NObs
	Theta0 []float64 // N×NTheta: θ (θ0 for Ratio), followed by ν if requested
	Theta1 []float64 // N×NTheta, Ratio only
	Y      []float64 // N, Ratio only
	RXZ    []float64 // N, Ratio only: r(x,z|θ0,θ1)
	TXZ0   []float64 // N×NScore: t(x,z|θ) (θ0 for Ratio); nil for Plain/Test
	TXZ1   []float64 // N×NParams, Ratio only: t(x,z|θ1)

	// Points lists the distinct sampling points with their cross section,
	// effective number of events and number of draws.
	Points []PointReport

	// NegativeEvents counts events met while sampling whose weight at the
	// sampling point was negative; they got probability 0 (see the package
	// documentation).
	NegativeEvents int
	// NegativeBlocks counts blocks of events whose summed weight at a
	// sampling point was negative and which were therefore never drawn from.
	NegativeBlocks int

	// Chunk is not nil for one chunk of a sample (Config.Chunk).
	Chunk *ChunkInfo
}

// PointReport summarises one sampling point of a Result.
type PointReport struct {
	Theta     []float64 `json:"theta"`
	Benchmark int       `json:"benchmark"`
	Xsec      float64   `json:"xsec_pb"`
	NEff      float64   `json:"n_eff"`
	Draws     int       `json:"n_samples"`
	Closest   int       `json:"sampled_from_benchmark"`
}

// Stats reports how often the source was traversed.
type Stats struct {
	Passes     int   // calls to Source.Read
	EventsRead int64 // events delivered by the source
}

type set struct {
	points   []Point
	all      bool    // sample from every benchmark's events
	minNEff  float64 // the request's minimum n_eff
	sampling int
	n        int
	row      int // first output row
	part     int // index into the partitions
	restrict int
	f        []float64   // per id factors
	w        [][]float64 // per point weight vectors (nW)
	g        [][]float64 // per point gradients (nP×nW), nil without morpher
	sigma    []float64
	dsigma   [][]float64
	dnu      [][]float64 // ∂σ/∂ν per point
	nuIdx    []int       // per point: index in the partition's ν points, or −1
	neff     float64
	res      *Result
	y        float64
	skip     bool // not drawn (Config.Only, Config.Chunk)

	negBlocks int
}

type target struct {
	set   int
	block int
	u     float64 // offset inside the block mass
	mass  float64 // clipped block mass at the sampling point
	row   int
}

type runner struct {
	cfg     *Config
	src     Source
	nW, nP  int
	nNu     int
	nObs    int
	split   partition.Split
	workers int
	batch   int
	parts   []*partStats
	partIDs []partition.Partition
	idIndex []map[int]int // per partition: sampling id → index in idList
}

// Run draws all requested samples from src with two streamed passes over the
// events: one to learn per-block, per-benchmark weight sums (from which the
// cross section and its gradient at any θ follow in O(number of benchmarks)),
// and one to pick the drawn events. The cost is O(N + n_samples), whatever the
// number of parameter points.
func Run(src Source, cfg *Config, reqs ...Request) (_ []*Result, stats Stats, err error) {
	r, err := newRunner(src, cfg)
	if err != nil {
		return nil, stats, err
	}
	counting := &CountingSource{Source: src}
	r.src = counting
	defer func() {
		stats.Passes = int(counting.Reads())
		stats.EventsRead = counting.EventsRead()
	}()

	if len(reqs) == 0 {
		return nil, stats, errors.New("sampling: no samples requested")
	}
	if cfg.Only != "" && !slices.ContainsFunc(reqs, func(rq Request) bool { return rq.Name == cfg.Only }) {
		return nil, stats, fmt.Errorf("sampling: no sample %q requested", cfg.Only)
	}
	chunked := cfg.Chunk != Chunk{}
	if chunked && (cfg.Only == "" || cfg.Chunk.Count < 1 || cfg.Chunk.Index < 0 || cfg.Chunk.Index >= cfg.Chunk.Count) {
		return nil, stats, fmt.Errorf("sampling: chunk %d of %d needs Only and 0 ≤ index < count", cfg.Chunk.Index, cfg.Chunk.Count)
	}
	// skip reports whether sample name is not drawn (Config.Only).
	skip := func(name string) bool { return cfg.Only != "" && name != cfg.Only }
	rnd := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))

	// Partitions needed.
	partIndex := map[partition.Partition]int{}
	reqPart := make([]int, len(reqs))
	for i, rq := range reqs {
		p := partition.Train
		if rq.Kind == TestSample {
			p = partition.Test
		}
		if rq.Partition != nil {
			p = *rq.Partition
		}
		k, ok := partIndex[p]
		if !ok {
			start, end, factor, err := cfg.Compat.bounds(src.NumEvents(), p, r.split)
			if err != nil {
				return nil, stats, fmt.Errorf("sampling: sample %q: %w", rq.Name, err)
			}
			k = len(r.parts)
			partIndex[p] = k
			ps := newPartStats(start, end, r.nW, cfg.Nuisance)
			ps.fixed = factor
			r.parts = append(r.parts, ps)
			r.partIDs = append(r.partIDs, p)
		}
		reqPart[i] = k
	}

	// Resolve θ before reading anything, so that bad requests fail early.
	var sets []*set
	var results []*Result
	total := 0
	for i, rq := range reqs {
		res, ss, err := r.plan(rq, rnd)
		if err != nil {
			return nil, stats, fmt.Errorf("sampling: sample %q: %w", rq.Name, err)
		}
		res.Partition = r.partIDs[reqPart[i]]
		total += res.N
		row := 0
		for _, s := range ss {
			s.part = reqPart[i]
			s.res = res
			s.all = rq.AllBenchmarks
			s.minNEff = max(cfg.MinNEff, rq.MinNEff)
			s.row = row
			row += s.n
			s.nuIdx = make([]int, len(s.points))
			for k, p := range s.points {
				s.nuIdx[k] = -1
				if p.Nu != nil {
					w, g := r.weights(p)
					s.nuIdx[k] = r.parts[s.part].addNuPoint(w, g, p.Nu, r.nP)
				}
			}
		}
		for _, s := range ss {
			s.skip = skip(rq.Name)
		}
		if chunked && !skip(rq.Name) {
			if err := chunk(res, ss, cfg.Chunk); err != nil {
				return nil, stats, fmt.Errorf("sampling: sample %q: %w", rq.Name, err)
			}
			res.Chunk = &ChunkInfo{Index: cfg.Chunk.Index, Count: cfg.Chunk.Count, Seed: cfg.Seed, Stream: uint64(i)}
		}
		results = append(results, res)
		sets = append(sets, ss...)
	}

	r.logf("sampling: pass 1 over %d events (%d partitions)\n", src.NumEvents(), len(r.parts))
	if err := collect(r.src, r.parts, r.batch, r.workers); err != nil {
		return nil, stats, err
	}
	for _, ps := range r.parts {
		m := make(map[int]int, len(ps.idList))
		for k, s := range ps.idList {
			m[s] = k
		}
		r.idIndex = append(r.idIndex, m)
	}
	for _, s := range sets {
		if s.skip {
			continue
		}
		if err := r.prepare(s); err != nil {
			return nil, stats, fmt.Errorf("sampling: sample %q, point %v: %w", s.res.Name, s.points[s.sampling].Theta, err)
		}
		if s.minNEff > 0 && s.neff < s.minNEff {
			return nil, stats, fmt.Errorf("sampling: sample %q: effective number of events %.1f at θ=%v is below the minimum %.1f", s.res.Name, s.neff, s.points[s.sampling].Theta, s.minNEff)
		}
	}
	var kept []*Result
	for _, res := range results {
		if !skip(res.Name) {
			r.report(res, sets)
			kept = append(kept, res)
		}
	}

	// Targets, grouped by partition and block.
	// Draws per set in parallel (each set has its own random stream), then
	// concatenated in set order.
	perSet := make([][]target, len(sets))
	errs := make([]error, len(sets))
	{
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(r.workers, len(sets)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mass := map[int][]float64{}
				for k := range next {
					s := sets[k]
					if s.skip {
						continue
					}
					if mass[s.part] == nil {
						mass[s.part] = make([]float64, r.parts[s.part].nBlocks)
					}
					perSet[k], errs[k] = r.draw(nil, mass[s.part], k, s)
				}
			}()
		}
		for k := range sets {
			next <- k
		}
		close(next)
		wg.Wait()
	}
	targets := make([][]target, len(r.parts))
	for k, s := range sets {
		if errs[k] != nil {
			return nil, stats, fmt.Errorf("sampling: sample %q: %w", s.res.Name, errs[k])
		}
		targets[s.part] = append(targets[s.part], perSet[k]...)
		perSet[k] = nil
	}
	for p := range targets {
		targets[p] = byBlock(targets[p], r.parts[p].nBlocks)
	}

	r.logf("sampling: pass 2, drawing %d samples\n", total)
	if err := r.pick(sets, targets); err != nil {
		return nil, stats, err
	}
	for _, s := range sets {
		s.res.NegativeBlocks += s.negBlocks
	}
	for i, res := range results {
		if skip(res.Name) {
			continue
		}
		if res.Chunk == nil {
			shuffle(res, shuffleRand(cfg.Seed, uint64(i)))
		}
		if res.NegativeEvents > 0 || res.NegativeBlocks > 0 {
			r.logf("sampling: warning: sample %q met %d events with negative weight (probability set to 0) and %d blocks with negative summed weight\n", res.Name, res.NegativeEvents, res.NegativeBlocks)
		}
	}
	return kept, stats, nil
}

// shuffleRand returns the random stream that shuffles the sample of
// request i.
func shuffleRand(seed, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x51ed270b27c2f3a1+i))
}

// chunk keeps of the sets ss of res the range c, marking the others
// skipped, and resizes res to the rows of the range.
func chunk(res *Result, ss []*set, c Chunk) error {
	if c.Count > len(ss) {
		return fmt.Errorf("%d chunks of %d sampling points", c.Count, len(ss))
	}
	parts := spread(len(ss), c.Count)
	lo := 0
	for _, n := range parts[:c.Index] {
		lo += n
	}
	hi := lo + parts[c.Index]
	first, n := ss[lo].row, 0
	for k, s := range ss {
		if k < lo || k >= hi {
			s.skip = true
			continue
		}
		s.row -= first
		n += s.n
	}
	res.N = n
	for _, a := range res.arrays() {
		if *a.data != nil {
			*a.data = make([]float64, n*a.width)
		}
	}
	return nil
}

// Join joins the chunks of one sample, drawn by Run with Config.Chunk
// (Index 0 to Count−1, each once, in any order), into the sample that Run
// draws without chunks: the rows in chunk order, shuffled with the
// sample's random stream. The counts of negative weights add up and the
// sampling points follow one another.
func Join(chunks ...*Result) (*Result, error) {
	if len(chunks) == 0 {
		return nil, errors.New("sampling: no chunks to join")
	}
	c0 := chunks[0]
	if c0.Chunk == nil {
		return nil, fmt.Errorf("sampling: sample %q is not a chunk", c0.Name)
	}
	if len(chunks) != c0.Chunk.Count {
		return nil, fmt.Errorf("sampling: sample %q: %d chunks of %d", c0.Name, len(chunks), c0.Chunk.Count)
	}
	sorted := make([]*Result, len(chunks))
	for _, c := range chunks {
		switch {
		case c.Chunk == nil || c.Name != c0.Name || c.Kind != c0.Kind || c.Partition != c0.Partition ||
			c.NObs != c0.NObs || c.NParams != c0.NParams || c.NTheta != c0.NTheta || c.NScore != c0.NScore ||
			c.Chunk.Count != c0.Chunk.Count || c.Chunk.Seed != c0.Chunk.Seed || c.Chunk.Stream != c0.Chunk.Stream:
			return nil, fmt.Errorf("sampling: sample %q: chunks of different samples, layouts or seeds", c0.Name)
		case c.Chunk.Index < 0 || c.Chunk.Index >= len(sorted) || sorted[c.Chunk.Index] != nil:
			return nil, fmt.Errorf("sampling: sample %q: chunk %d of %d twice or out of range", c0.Name, c.Chunk.Index, c0.Chunk.Count)
		}
		sorted[c.Chunk.Index] = c
	}
	res := &Result{Name: c0.Name, Kind: c0.Kind, Partition: c0.Partition, NObs: c0.NObs, NParams: c0.NParams, NTheta: c0.NTheta, NScore: c0.NScore}
	for _, c := range sorted {
		res.N += c.N
		res.X = append(res.X, c.X...)
		res.Theta0 = append(res.Theta0, c.Theta0...)
		res.Theta1 = append(res.Theta1, c.Theta1...)
		res.Y = append(res.Y, c.Y...)
		res.RXZ = append(res.RXZ, c.RXZ...)
		res.TXZ0 = append(res.TXZ0, c.TXZ0...)
		res.TXZ1 = append(res.TXZ1, c.TXZ1...)
		res.Points = append(res.Points, c.Points...)
		res.NegativeEvents += c.NegativeEvents
		res.NegativeBlocks += c.NegativeBlocks
	}
	for _, a := range res.arrays() {
		if *a.data != nil && len(*a.data) != res.N*a.width {
			return nil, fmt.Errorf("sampling: sample %q: chunks with %d values for %d rows of width %d", res.Name, len(*a.data), res.N, a.width)
		}
	}
	shuffle(res, shuffleRand(c0.Chunk.Seed, c0.Chunk.Stream))
	return res, nil
}

func newRunner(src Source, cfg *Config) (*runner, error) {
	if src == nil || cfg == nil {
		return nil, errors.New("sampling: source and config are required")
	}
	r := &runner{cfg: cfg, src: src, nW: src.NumWeights(), nObs: src.NumObservables()}
	if src.NumEvents() == 0 || r.nW == 0 {
		return nil, errors.New("sampling: source holds no weighted events")
	}
	if len(cfg.Benchmarks) == 0 {
		return nil, errors.New("sampling: benchmark values are required")
	}
	r.nP = len(cfg.Benchmarks[0])
	for b, th := range cfg.Benchmarks {
		if len(th) != r.nP {
			return nil, fmt.Errorf("sampling: benchmark %d has %d parameters, want %d", b, len(th), r.nP)
		}
	}
	if len(cfg.Benchmarks) > r.nW {
		return nil, fmt.Errorf("sampling: %d benchmarks but events carry %d weights", len(cfg.Benchmarks), r.nW)
	}
	if m := cfg.Morpher; m != nil {
		if m.NumParams() != r.nP {
			return nil, fmt.Errorf("sampling: morpher has %d parameters, benchmarks %d", m.NumParams(), r.nP)
		}
		if m.NumBasis() > r.nW {
			return nil, fmt.Errorf("sampling: morpher needs %d basis weights, events carry %d", m.NumBasis(), r.nW)
		}
	}
	if cfg.Nuisance != nil {
		r.nNu = cfg.Nuisance.NumNuisance()
	}
	r.split = partition.Default()
	if cfg.Split != nil {
		r.split = *cfg.Split
	}
	r.workers = cfg.Workers
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	r.batch = cfg.BatchSize
	if r.batch <= 0 {
		r.batch = 65536
	}
	return r, nil
}

func (r *runner) logf(format string, args ...any) {
	if r.cfg.Log != nil {
		fmt.Fprintf(r.cfg.Log, format, args...)
	}
}

// split n into k nearly equal parts, the first n%k one larger.
func spread(n, k int) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = n / k
		if i < n%k {
			out[i]++
		}
	}
	return out
}

func (r *runner) plan(rq Request, rnd *rand.Rand) (*Result, []*set, error) {
	if rq.N <= 0 {
		return nil, nil, fmt.Errorf("%d samples requested", rq.N)
	}
	res := &Result{Name: rq.Name, Kind: rq.Kind, N: rq.N, NObs: r.nObs, NParams: r.nP, NTheta: r.nP, NScore: r.nP}
	if rq.Nu != nil || rq.Nu1 != nil {
		res.NTheta += r.nNu
	}
	if rq.Kind == Local || rq.Kind == Density {
		res.NScore += r.nNu
	}
	p0, err := rq.Theta.Resolve(r.cfg.Benchmarks, r.nP, rnd)
	if err != nil {
		return nil, nil, err
	}
	if err := rq.Nu.apply(p0, r.nNu, rnd); err != nil {
		return nil, nil, err
	}
	if rq.Nu1 != nil && rq.Kind != Ratio {
		return nil, nil, errors.New("ν1 is only for ratio samples")
	}
	needScore := rq.Kind == Local || rq.Kind == Density || rq.Kind == Ratio
	if needScore && r.cfg.Morpher == nil {
		return nil, nil, fmt.Errorf("%v samples need a morphing setup for the joint score", rq.Kind)
	}
	for _, p := range p0 {
		if p.Benchmark < 0 && r.cfg.Morpher == nil {
			return nil, nil, errors.New("morphing points need a morphing setup")
		}
	}
	res.X = make([]float64, rq.N*r.nObs)
	res.Theta0 = make([]float64, rq.N*res.NTheta)
	if needScore {
		res.TXZ0 = make([]float64, rq.N*res.NScore)
	}
	var sets []*set
	switch rq.Kind {
	case Local:
		if len(p0) != 1 {
			return nil, nil, fmt.Errorf("local samples need a single θ, got %d", len(p0))
		}
		fallthrough
	case Plain, Density, TestSample:
		if len(p0) > rq.N {
			return nil, nil, fmt.Errorf("%d parameter points for %d samples", len(p0), rq.N)
		}
		for k, n := range spread(rq.N, len(p0)) {
			sets = append(sets, &set{points: []Point{p0[k]}, n: n})
		}
	case Ratio:
		p1, err := rq.Theta1.Resolve(r.cfg.Benchmarks, r.nP, rnd)
		if err != nil {
			return nil, nil, fmt.Errorf("θ1: %w", err)
		}
		if err := rq.Nu1.apply(p1, r.nNu, rnd); err != nil {
			return nil, nil, err
		}
		switch {
		case len(p1) == 1:
			for len(p1) < len(p0) {
				p1 = append(p1, p1[0])
			}
		case len(p1) != len(p0):
			return nil, nil, fmt.Errorf("%d θ0 points and %d θ1 points: θ1 must be one point or pair with θ0", len(p0), len(p1))
		}
		if 2*len(p0) > rq.N {
			return nil, nil, fmt.Errorf("%d parameter pairs for %d samples", len(p0), rq.N)
		}
		res.Theta1 = make([]float64, rq.N*res.NTheta)
		res.Y = make([]float64, rq.N)
		res.RXZ = make([]float64, rq.N)
		res.TXZ1 = make([]float64, rq.N*r.nP)
		n0 := rq.N / 2
		for y, ny := range []int{n0, rq.N - n0} {
			for k, n := range spread(ny, len(p0)) {
				sets = append(sets, &set{points: []Point{p0[k], p1[k]}, sampling: y, n: n, y: float64(y)})
			}
		}
	default:
		return nil, nil, fmt.Errorf("unknown sample kind %v", rq.Kind)
	}
	return res, sets, nil
}

// weights returns the weight vector (over all weight columns) of a point and
// its gradient (nP×nW), or nil without morpher.
func (r *runner) weights(p Point) ([]float64, []float64) {
	w := make([]float64, r.nW)
	var g []float64
	m := r.cfg.Morpher
	if m != nil {
		g = make([]float64, r.nP*r.nW)
		gm := m.GradientsTo(nil, p.Theta)
		nb := m.NumBasis()
		for q := 0; q < r.nP; q++ {
			copy(g[q*r.nW:q*r.nW+nb], gm[q*nb:(q+1)*nb])
		}
	}
	if p.Benchmark >= 0 {
		w[p.Benchmark] = 1
	} else {
		m.WeightsTo(w[:m.NumBasis()], p.Theta)
	}
	return w, g
}

// closest returns the sampling id of the benchmark closest to theta among
// those with events, or −2 when sampling is not restricted (all).
func (r *runner) closest(ps *partStats, theta []float64, all bool) int {
	if all || r.cfg.AllBenchmarks || !ps.hasIDs {
		return -2
	}
	best, bestD := -2, math.Inf(1)
	for _, s := range ps.idList {
		if s < 0 || s >= len(r.cfg.Benchmarks) || ps.ids[s].total == 0 {
			continue
		}
		var d float64
		for p, v := range theta {
			x := v - r.cfg.Benchmarks[s][p]
			d += x * x
		}
		if d < bestD {
			best, bestD = s, d
		}
	}
	return best
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// xsec returns σ, ∇σ and Σ_i dσ_i² at the weight vector w (gradient g) over
// the ids with factors f.
func (r *runner) xsec(ps *partStats, f, w, g []float64) (sigma float64, grad, dnu []float64, sq float64) {
	if g != nil {
		grad = make([]float64, r.nP)
	}
	dnu = make([]float64, ps.nNu)
	for k, s := range ps.idList {
		if f[k] == 0 {
			continue
		}
		st := ps.ids[s]
		sums := st.sum
		sigma += f[k] * dot(w, sums)
		for q := range grad {
			grad[q] += f[k] * dot(g[q*r.nW:(q+1)*r.nW], sums)
		}
		for x, v := range w {
			for q := range dnu {
				dnu[q] += f[k] * v * st.na[x*ps.nNu+q]
			}
		}
		var qf float64
		for x, v := range w {
			if v != 0 {
				qf += v * dot(st.sq[x*r.nW:(x+1)*r.nW], w)
			}
		}
		sq += f[k] * f[k] * qf
	}
	return sigma, grad, dnu, sq
}

// nuXsec returns σ, ∇_θσ, ∇_νσ and Σ_i dσ_i² of the ν point q over the ids
// with factors f.
func (r *runner) nuXsec(ps *partStats, f []float64, q int) (sigma float64, grad, dnu []float64, sq float64) {
	if r.cfg.Morpher != nil {
		grad = make([]float64, r.nP)
	}
	dnu = make([]float64, ps.nNu)
	for k, s := range ps.idList {
		if f[k] == 0 {
			continue
		}
		acc := ps.nuPts[q].ids[s].acc
		sigma += f[k] * acc[0]
		for p := range grad {
			grad[p] += f[k] * acc[1+p]
		}
		for x := range dnu {
			dnu[x] += f[k] * acc[1+r.nP+x]
		}
		sq += f[k] * f[k] * acc[len(acc)-1]
	}
	return sigma, grad, dnu, sq
}

func (r *runner) prepare(s *set) error {
	ps := r.parts[s.part]
	s.restrict = r.closest(ps, s.points[s.sampling].Theta, s.all)
	if s.restrict >= 0 && ps.ids[s.restrict].inPart == 0 {
		return fmt.Errorf("the closest benchmark %d has no events in the %v partition (set AllBenchmarks to use all samples)", s.restrict, r.partIDs[s.part])
	}
	s.f = ps.factors(s.restrict)
	s.w = make([][]float64, len(s.points))
	s.g = make([][]float64, len(s.points))
	s.sigma = make([]float64, len(s.points))
	s.dsigma = make([][]float64, len(s.points))
	s.dnu = make([][]float64, len(s.points))
	for i, p := range s.points {
		s.w[i], s.g[i] = r.weights(p)
		var sq float64
		if q := s.nuIdx[i]; q >= 0 {
			s.sigma[i], s.dsigma[i], s.dnu[i], sq = r.nuXsec(ps, s.f, q)
		} else {
			s.sigma[i], s.dsigma[i], s.dnu[i], sq = r.xsec(ps, s.f, s.w[i], s.g[i])
		}
		if i == s.sampling {
			s.neff = s.sigma[i] * s.sigma[i] / sq
		}
		if !(s.sigma[i] > 0) {
			return fmt.Errorf("cross section %v pb at θ=%v is not positive", s.sigma[i], p.Theta)
		}
	}
	return nil
}

func (r *runner) report(res *Result, sets []*set) {
	for _, s := range sets {
		if s.res != res || s.skip {
			continue
		}
		p := s.points[s.sampling]
		res.Points = append(res.Points, PointReport{
			Theta: p.Theta, Benchmark: p.Benchmark, Xsec: s.sigma[s.sampling],
			NEff: s.neff, Draws: s.n, Closest: s.restrict,
		})
	}
}

// draw appends the targets of set k: s.n sorted uniform variates over the
// clipped block masses at the sampling point, made from exponential spacings
// so that no sort is needed. mass is scratch space of one float per block.
func (r *runner) draw(dst []target, mass []float64, k int, s *set) ([]target, error) {
	ps := r.parts[s.part]
	w := s.w[s.sampling]
	for j := range mass {
		mass[j] = 0
	}
	for x, sid := range ps.idList {
		if s.f[x] == 0 {
			continue
		}
		if q := s.nuIdx[s.sampling]; q >= 0 {
			for j, m := range ps.nuPts[q].ids[sid].bmass {
				mass[j] += s.f[x] * m
			}
			continue
		}
		bs := ps.ids[sid].bsum
		for j := range mass {
			mass[j] += s.f[x] * dot(w, bs[j*r.nW:(j+1)*r.nW])
		}
	}
	var total float64
	for j, m := range mass {
		if m < 0 {
			s.negBlocks++
			mass[j] = 0
		}
		total += mass[j]
	}
	if !(total > 0) {
		return dst, fmt.Errorf("no positive event weight at θ=%v", s.points[s.sampling].Theta)
	}
	rnd := rand.New(rand.NewPCG(r.cfg.Seed, uint64(k)+1))
	var sum float64
	e := make([]float64, s.n+1)
	for i := range e {
		e[i] = rnd.ExpFloat64()
		sum += e[i]
	}
	j, cum := 0, 0.0 // cumulative mass before block j
	acc := 0.0
	for i := 0; i < s.n; i++ {
		acc += e[i]
		u := acc / sum * total
		for j < len(mass)-1 && (mass[j] == 0 || u >= cum+mass[j]) {
			cum += mass[j]
			j++
		}
		off := u - cum
		if off >= mass[j] {
			off = math.Nextafter(mass[j], 0)
		}
		if off < 0 {
			off = 0
		}
		dst = append(dst, target{set: k, block: j, u: off, mass: mass[j], row: s.row + i})
	}
	return dst, nil
}

// byBlock sorts targets by block with a stable counting sort.
func byBlock(tg []target, nBlocks int) []target {
	start := make([]int, nBlocks+1)
	for _, t := range tg {
		start[t.block+1]++
	}
	for j := 1; j <= nBlocks; j++ {
		start[j] += start[j-1]
	}
	out := make([]target, len(tg))
	for _, t := range tg {
		out[start[t.block]] = t
		start[t.block]++
	}
	return out
}

// blockBuf holds the events of one block during pass 2.
type blockBuf struct {
	part  int
	block int
	start int // event index of the first event
	n     int
	x     []float64
	w     []float64
	ids   []int
	tg    []target
}

func (r *runner) pick(sets []*set, targets [][]target) error {
	// Range to read: union of the partitions that have targets.
	lo, hi := math.MaxInt, -1
	for p, ps := range r.parts {
		if len(targets[p]) > 0 {
			lo, hi = min(lo, ps.start), max(hi, ps.end)
		}
	}
	if hi < 0 {
		return nil
	}
	cur := make([]*blockBuf, len(r.parts))
	next := make([]int, len(r.parts)) // next target index per partition
	var queue, free []*blockBuf
	var mu sync.Mutex
	var negEvents = make(map[*Result]int)
	var perr error
	flush := func() {
		var wg sync.WaitGroup
		ch := make(chan *blockBuf)
		for range min(r.workers, len(queue)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for bb := range ch {
					neg, err := r.process(sets, bb)
					mu.Lock()
					for res, n := range neg {
						negEvents[res] += n
					}
					if err != nil && perr == nil {
						perr = err
					}
					mu.Unlock()
				}
			}()
		}
		for _, bb := range queue {
			ch <- bb
		}
		close(ch)
		wg.Wait()
		free = append(free, queue...)
		queue = queue[:0]
	}
	finish := func(p int) {
		bb := cur[p]
		cur[p] = nil
		if bb == nil {
			return
		}
		tg := targets[p]
		i := next[p]
		for i < len(tg) && tg[i].block == bb.block {
			i++
		}
		bb.tg = tg[next[p]:i]
		next[p] = i
		if len(bb.tg) > 0 {
			queue = append(queue, bb)
		}
	}
	err := r.src.Read(lo, hi, r.batch, func(b *Batch) error {
		for i := 0; i < b.Len; i++ {
			ev := b.Start + i
			for p, ps := range r.parts {
				if ev < ps.start || ev >= ps.end || len(targets[p]) == 0 {
					continue
				}
				j := (ev - ps.start) / blockSize
				if cur[p] != nil && cur[p].block != j {
					finish(p)
				}
				if cur[p] == nil {
					// Skip blocks without targets cheaply.
					if next[p] >= len(targets[p]) || targets[p][next[p]].block != j {
						continue
					}
					var bb *blockBuf
					if len(free) > 0 {
						bb = free[len(free)-1]
						free = free[:len(free)-1]
					} else {
						bb = &blockBuf{
							x:   make([]float64, 0, blockSize*r.nObs),
							w:   make([]float64, 0, blockSize*r.nW),
							ids: make([]int, 0, blockSize),
						}
					}
					bb.part, bb.block, bb.start, bb.n = p, j, ps.start+j*blockSize, 0
					bb.x, bb.w, bb.ids = bb.x[:0], bb.w[:0], bb.ids[:0]
					cur[p] = bb
				}
				bb := cur[p]
				bb.n++
				bb.x = append(bb.x, b.X[i*r.nObs:(i+1)*r.nObs]...)
				bb.w = append(bb.w, b.W[i*r.nW:(i+1)*r.nW]...)
				id := 0
				if b.SamplingIDs != nil {
					id = b.SamplingIDs[i]
				}
				bb.ids = append(bb.ids, id)
				if ev == min(ps.end, bb.start+blockSize)-1 {
					finish(p)
				}
			}
		}
		if len(queue) >= 4*r.workers {
			flush()
		}
		return perr
	})
	if err != nil {
		return err
	}
	for p := range cur {
		finish(p)
	}
	flush()
	if perr != nil {
		return perr
	}
	for p := range targets {
		if next[p] != len(targets[p]) {
			return fmt.Errorf("sampling: internal error: %d of %d targets of partition %v not reached", len(targets[p])-next[p], len(targets[p]), r.partIDs[p])
		}
	}
	for res, n := range negEvents {
		res.NegativeEvents += n
	}
	return nil
}

// process resolves the targets of one block.
func (r *runner) process(sets []*set, bb *blockBuf) (map[*Result]int, error) {
	idx := r.idIndex[bb.part]
	neg := map[*Result]int{}
	cum := make([]float64, bb.n)
	tg := bb.tg // in set order: byBlock is stable and sets were drawn in order
	for a := 0; a < len(tg); {
		k := tg[a].set
		e := a
		for e < len(tg) && tg[e].set == k {
			e++
		}
		s := sets[k]
		w := s.w[s.sampling]
		nu := s.points[s.sampling].Nu
		var c float64
		last := -1
		for i := 0; i < bb.n; i++ {
			f := s.f[idx[bb.ids[i]]]
			d := 0.0
			if f != 0 {
				we := bb.w[i*r.nW : (i+1)*r.nW]
				d = f * dot(w, we)
				if nu != nil {
					d *= r.factor(we, nu)
				}
			}
			if d < 0 {
				neg[s.res]++
				d = 0
			}
			if d > 0 {
				last = i
			}
			c += d
			cum[i] = c
		}
		if last < 0 {
			return neg, fmt.Errorf("sampling: events [%d, %d): summed weight %g at θ=%v rounds to positive but no event has a positive weight", bb.start, bb.start+bb.n, tg[a].mass, s.points[s.sampling].Theta)
		}
		for _, t := range tg[a:e] {
			u := t.u * c / t.mass
			i := sort.Search(bb.n, func(i int) bool { return cum[i] > u })
			if i >= bb.n {
				i = last
			}
			r.fill(s, bb, i, t.row)
		}
		a = e
	}
	return neg, nil
}

// factor returns the nuisance factor exp(Σ a ν + b ν²) of an event. The
// coefficients were checked for every event of the partition in pass 1.
func (r *runner) factor(we, nu []float64) float64 {
	if nu == nil {
		return 1
	}
	a, b, _ := r.cfg.Nuisance.CoefficientsTo(nil, nil, we)
	return nuFactor(a, b, nu)
}

// fill writes one drawn event into its output row.
func (r *runner) fill(s *set, bb *blockBuf, i, row int) {
	res := s.res
	copy(res.X[row*r.nObs:(row+1)*r.nObs], bb.x[i*r.nObs:(i+1)*r.nObs])
	we := bb.w[i*r.nW : (i+1)*r.nW]
	nt := res.NTheta
	putTheta := func(dst []float64, p Point) {
		copy(dst, p.Theta)
		copy(dst[r.nP:], p.Nu) // nominal ν stays 0
	}
	putTheta(res.Theta0[row*nt:(row+1)*nt], s.points[0])
	// t = ∇dσ_i/dσ_i − ∇σ/σ; the nuisance factor cancels in the θ part.
	score := func(dst []float64, pt int) {
		d := dot(s.w[pt], we)
		for q := 0; q < r.nP; q++ {
			dst[q] = dot(s.g[pt][q*r.nW:(q+1)*r.nW], we)/d - s.dsigma[pt][q]/s.sigma[pt]
		}
		if len(dst) > r.nP {
			a, b, _ := r.cfg.Nuisance.CoefficientsTo(nil, nil, we)
			nu := s.points[pt].Nu
			for k := range a {
				v := 0.0
				if nu != nil {
					v = nu[k]
				}
				dst[r.nP+k] = a[k] + 2*b[k]*v - s.dnu[pt][k]/s.sigma[pt]
			}
		}
	}
	if res.TXZ0 != nil {
		score(res.TXZ0[row*res.NScore:(row+1)*res.NScore], 0)
	}
	if res.Kind == Ratio {
		putTheta(res.Theta1[row*nt:(row+1)*nt], s.points[1])
		res.Y[row] = s.y
		d0 := dot(s.w[0], we) * r.factor(we, s.points[0].Nu)
		d1 := dot(s.w[1], we) * r.factor(we, s.points[1].Nu)
		res.RXZ[row] = (d0 / s.sigma[0]) / (d1 / s.sigma[1])
		score(res.TXZ1[row*r.nP:(row+1)*r.nP], 1)
	}
}

// shuffle permutes the rows of a result.
func shuffle(res *Result, rnd *rand.Rand) {
	perm := rnd.Perm(res.N)
	for _, a := range res.arrays() {
		if *a.data == nil {
			continue
		}
		src, w := *a.data, a.width
		b := make([]float64, len(src))
		for to, from := range perm {
			copy(b[to*w:(to+1)*w], src[from*w:(from+1)*w])
		}
		copy(src, b)
	}
}

// column is one per-sample array of a Result with its row width.
type column struct {
	data  *[]float64
	width int
}

// arrays returns the per-sample arrays of res (nil where the kind has
// none), in the order of the Result's fields.
func (res *Result) arrays() []column {
	return []column{
		{&res.X, res.NObs}, {&res.Theta0, res.NTheta}, {&res.Theta1, res.NTheta}, {&res.Y, 1},
		{&res.RXZ, 1}, {&res.TXZ0, res.NScore}, {&res.TXZ1, res.NParams},
	}
}
