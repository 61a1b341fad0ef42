// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/goldmine-hep/goldmine/internal/seed"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/observables"
	"github.com/goldmine-hep/goldmine/store"
	"github.com/goldmine-hep/goldmine/systematics"
)

// WeightSource selects where the weights of a Delphes sample come from.
type WeightSource string

// The weight sources of a Delphes sample.
const (
	WeightsLHE     WeightSource = "lhe"     // the LHE file the events came from
	WeightsHepMC   WeightSource = "hepmc"   // the HepMC file Delphes ran on
	WeightsDelphes WeightSource = "delphes" // the Delphes event weight (backgrounds without systematics)
)

// Sample is one input sample.
type Sample struct {
	Name string
	// The files: LHE alone, HepMC alone, or Delphes with the LHE or
	// HepMC file of its events (Weights says which gives the weights).
	LHE, HepMC, Delphes string
	Weights             WeightSource
	// DelphesTree is the tree of the Delphes file; "" means "Delphes".
	DelphesTree string

	// SampledFrom is the benchmark the events were generated at (its
	// weight is the event weight unless the file has one for it).
	// Every benchmark of a background sample takes the event weight.
	SampledFrom string
	Background  bool
	// Systematics lists the systematics whose variations the sample's
	// files carry.
	Systematics []string
	// MaxEvents reads at most that many events; 0 means all.
	MaxEvents int

	// EventNorm overrides the normalisation the file declares (see
	// lhe.NewTally); KFactor multiplies the weights (0 means 1).
	EventNorm string
	KFactor   float64
	// AllowTruncated and DropNonFinite are the LHE reader's options
	// (lhe.WithAllowTruncated, lhe.WithDropNonFinite).
	AllowTruncated, DropNonFinite bool
	// AllowDropped accepts LHE events without a Delphes event (dropped by
	// the shower or the detector simulation) when the weights come from
	// the LHE file; they count with zero weight. By default they are an
	// error.
	AllowDropped bool
}

// Config configures Run.
type Config struct {
	// Setup holds the parameters, the physics benchmarks and the morphing
	// of the events file; nuisance benchmarks are appended to it for the
	// variations of Systematics.
	Setup       store.Setup
	Systematics *systematics.Model // nil: no systematics

	Analysis *observables.Analysis
	// ObservableNames and ObservableDefinitions are written to the events
	// file; CutNames and EfficiencyNames name the reasons events are
	// dropped, one per cut and efficiency of Analysis.
	ObservableNames, ObservableDefinitions []string
	CutNames, EfficiencyNames              []string
	// Detector smears and selects the objects of generator-level events;
	// nil means none.
	Detector *observables.Detector
	// Collections are the Delphes collections to read
	// (delphescnv.Collections of the expressions).
	Collections []string

	Samples []Sample

	// Seed seeds the smearing ("analyse/smearing/NAME") and the shuffle
	// ("analyse/shuffle") through package seed.
	Seed    uint64
	Shuffle bool
	// SpillDir holds the temporary spill file; "" means the directory of
	// the output. For RunIn it is a folder inside the root.
	SpillDir string
	// Progress, if not nil, is called with the number of events read so
	// far, after every event.
	Progress func(events int)

	// Part, if not nil, analyses only one of the samples, as the whole
	// run would (with its share of the samples of its benchmark and the
	// setup of all of them), and writes a partial events file, unshuffled,
	// that names the sample and its events (store.Part): store.MergeEvents
	// of the parts of every sample, shuffled with the generator of the
	// whole run, gives the file of the whole run.
	Part *Part
}

// Part selects the sample of a partial run.
type Part struct {
	// Sample is the index of the sample in Config.Samples.
	Sample int
	// Job names the batch job that runs the part (store.Part.Job).
	Job string
}

// Result summarises a run.
type Result struct {
	File            string             `json:"file"`
	EventsRead      int                `json:"events_read"`
	EventsWritten   int                `json:"events_written"`
	Dropped         map[string]int     `json:"dropped"` // reason → events
	XSecPB          map[string]float64 `json:"xsec_pb"` // benchmark → Σ weights after cuts
	Benchmarks      []string           `json:"benchmarks"`
	NegativeWeights int                `json:"negative_weights"`
	Warnings        []string           `json:"warnings,omitempty"`
	Seconds         float64            `json:"seconds"`
	EventsPerSecond float64            `json:"events_per_second"`
	Samples         []SampleResult     `json:"samples"`
}

// SampleResult describes one input sample.
type SampleResult struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Events int    `json:"events"`
	Passed int    `json:"passed"`
	// EventNorm is the normalisation rule applied (package lhe: average,
	// sum, bias, header) and EventNormReason why.
	EventNorm       string `json:"event_norm"`
	EventNormReason string `json:"event_norm_reason"`
	// XSecPB is the sample's cross section before cuts and k-factor, with
	// its statistical error; HeaderXSecPB the one the file states, if any.
	XSecPB       float64  `json:"xsec_pb"`
	XSecErrPB    float64  `json:"xsec_err_pb"`
	HeaderXSecPB *float64 `json:"header_xsec_pb,omitempty"`
	HeaderErrPB  *float64 `json:"header_xsec_err_pb,omitempty"`
	// Scale is the factor applied to the file's weights (for the last
	// event's process, where processes have factors of their own).
	Scale       float64 `json:"weight_scale"`
	SampledFrom string  `json:"sampled_from,omitempty"`
	// Pairing is how the Delphes events were paired with their LHE
	// events (delphes.PairReport.Mode), Dropped the number of LHE events
	// without a Delphes event.
	Pairing string `json:"pairing,omitempty"`
	Dropped int    `json:"dropped_events,omitempty"`

	norm   *lhe.Normalization
	factor float64 // k-factor over the number of samples of the benchmark
}

// scaleFor is the factor that turns the weights of an event of process
// procID into pb in the events file.
func (ss *SampleResult) scaleFor(procID int) float64 {
	return ss.norm.Scale(procID) * ss.factor
}

// Run analyses the samples of cfg and writes the events file out. Each
// sample's weights are normalised by lhe.Tally from the file's own
// declaration (the card may override it), times its k-factor, over the
// number of signal samples of its benchmark.
func Run(out string, cfg *Config) (*Result, error) {
	spillDir := cfg.SpillDir
	if spillDir == "" {
		spillDir = filepath.Dir(out)
	}
	return run(cfg, out, func(width int) (*store.Spill, error) { return store.NewSpill(spillDir, width) },
		func(h *store.EventsHeader) (*store.EventWriter, error) {
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return nil, fmt.Errorf("analysis: could not create output directory: %w", err)
			}
			return store.CreateEvents(out, h)
		})
}

// RunIn is Run with the events file out, and the spill file, inside root:
// every write goes through root.
func RunIn(root *os.Root, out string, cfg *Config) (*Result, error) {
	spillDir := cfg.SpillDir
	if spillDir == "" {
		spillDir = filepath.Dir(out)
	}
	return run(cfg, filepath.Join(root.Name(), out), func(width int) (*store.Spill, error) { return store.NewSpillIn(root, spillDir, width) },
		func(h *store.EventsHeader) (*store.EventWriter, error) {
			if err := root.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return nil, fmt.Errorf("analysis: could not create output directory: %w", err)
			}
			return store.CreateEventsIn(root, out, h)
		})
}

// run is Run with the spill and the events file made by newSpill and
// create; out names the events file in the result.
func run(cfg *Config, out string, newSpill func(width int) (*store.Spill, error), create func(h *store.EventsHeader) (*store.EventWriter, error)) (*Result, error) {
	if len(cfg.Samples) == 0 {
		return nil, fmt.Errorf("analysis: no samples")
	}
	if cfg.Part != nil && (cfg.Part.Sample < 0 || cfg.Part.Sample >= len(cfg.Samples)) {
		return nil, fmt.Errorf("analysis: part of sample %d of %d", cfg.Part.Sample, len(cfg.Samples))
	}
	if cfg.Analysis == nil || len(cfg.ObservableNames) == 0 {
		return nil, fmt.Errorf("analysis: no observables: the events file needs at least one")
	}
	setup := cfg.Setup
	setup.Benchmarks = slices.Clone(setup.Benchmarks)
	ns := cfg.Systematics
	if ns == nil {
		ns = &systematics.Model{}
	}
	nPhys := len(setup.Benchmarks)
	if len(ns.Variations) > 0 {
		addNuisanceBenchmarks(&setup, ns, cfg.Samples)
	}
	nObs, nBench := len(cfg.ObservableNames), len(setup.Benchmarks)
	res := &Result{Dropped: make(map[string]int), XSecPB: make(map[string]float64)}
	for _, b := range setup.Benchmarks {
		res.Benchmarks = append(res.Benchmarks, b.Name)
	}

	// Signal samples of the same benchmark each estimate the same cross
	// section: their weights are averaged. Background samples add.
	perBenchmark := make(map[string]int)
	for _, s := range cfg.Samples {
		if !s.Background {
			perBenchmark[s.SampledFrom]++
		}
	}

	// Spilled rows: observables, raw weights, sampling id, sample index
	// and process id. The per-sample normalisation (it needs the whole
	// file) is applied when the rows leave the spill, so each file is
	// read once.
	spill, err := newSpill(nObs + nBench + 3)
	if err != nil {
		return nil, err
	}
	defer spill.Close()

	start := time.Now()
	prop := &lhe.Proportionality{}
	row := make([]float64, nObs+nBench+3)
	for si, s := range cfg.Samples {
		if cfg.Part != nil && si != cfg.Part.Sample {
			continue
		}
		slot := float64(len(res.Samples)) // the sample's index in res.Samples
		j := &job{cfg: cfg, index: si, s: s, setup: &setup, nPhys: nPhys, ns: ns, prop: prop, res: res, perBenchmark: perBenchmark[s.SampledFrom]}
		j.emit = func(x, w []float64, id int) error {
			copy(row, x)
			copy(row[nObs:], w)
			row[nObs+nBench] = float64(id)
			row[nObs+nBench+1] = slot
			row[nObs+nBench+2] = float64(j.procID)
			return spill.Write(row)
		}
		var ss *SampleResult
		switch {
		case s.Delphes != "":
			ss, err = j.delphes()
		case s.HepMC != "" && s.LHE == "":
			ss, err = j.hepmc()
		case s.LHE != "":
			ss, err = j.lhe()
		default:
			err = fmt.Errorf("analysis: sample %s has no file", s.Name)
		}
		if err != nil {
			return nil, err
		}
		res.Samples = append(res.Samples, *ss)
	}
	if spill.Len() == 0 {
		return nil, fmt.Errorf("analysis: no event passed the analysis (%v)", res.Dropped)
	}
	if prop.Proportional() {
		res.Warnings = append(res.Warnings, "all benchmark weights are proportional to each other: the events carry no θ dependence beyond the rate and the score is zero everywhere (were the EFT couplings bound to the decay only?)")
	}
	if res.NegativeWeights > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d events have negative weights; they are kept (MadMiner zeroes them silently)", res.NegativeWeights))
	}

	h := &store.EventsHeader{Setup: setup, ObservableNames: cfg.ObservableNames, ObservableDefinitions: cfg.ObservableDefinitions, NuisanceParameters: ns.Parameters}
	if cfg.Part != nil {
		ss := res.Samples[0]
		h.Part = &store.Part{Sample: ss.Name, Events: int64(ss.Events), Job: cfg.Part.Job}
	}
	res.File = out
	w, err := create(h)
	if err != nil {
		return nil, err
	}
	shuffle := seed.Rand(cfg.Seed, "analyse/shuffle")
	if !cfg.Shuffle || cfg.Part != nil {
		shuffle = nil
	}
	err = spill.Shuffled(shuffle, func(row []float64) error {
		scale := res.Samples[int(row[nObs+nBench+1])].scaleFor(int(row[nObs+nBench+2]))
		for b := 0; b < nBench; b++ {
			row[nObs+b] *= scale
			res.XSecPB[setup.Benchmarks[b].Name] += row[nObs+b]
		}
		return w.Write(row[:nObs], row[nObs:nObs+nBench], int(row[nObs+nBench]))
	})
	if err != nil {
		w.Abort()
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	res.EventsWritten = spill.Len()
	res.Seconds = time.Since(start).Seconds()
	res.EventsPerSecond = float64(res.EventsRead) / res.Seconds
	return res, nil
}

// addNuisanceBenchmarks marks the reference benchmark (the sampling
// benchmark of the first signal sample, else the first benchmark) and
// appends one nuisance benchmark per variation, at the reference's values.
func addNuisanceBenchmarks(setup *store.Setup, ns *systematics.Model, samples []Sample) {
	ref := ""
	for _, s := range samples {
		if !s.Background {
			ref = s.SampledFrom
			break
		}
	}
	var refValues []float64
	for i := range setup.Benchmarks {
		if setup.Benchmarks[i].Name == ref || (ref == "" && i == 0) {
			setup.Benchmarks[i].IsReference = true
			refValues = setup.Benchmarks[i].Values
		}
	}
	for _, v := range ns.Variations {
		setup.Benchmarks = append(setup.Benchmarks, store.Benchmark{Name: v.Benchmark, Values: refValues, IsNuisance: true})
	}
	setup.Systematics = ns.Systematics
}
