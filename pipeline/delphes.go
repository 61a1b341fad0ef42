// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/delphes"
	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/observables"
	"github.com/goldmine-hep/goldmine/observables/delphescnv"
	"github.com/goldmine-hep/goldmine/observables/hepmccnv"
	"github.com/goldmine-hep/goldmine/store"
	"github.com/goldmine-hep/goldmine/systematics"
)

// collectionsFor returns the Delphes collections the card's observables,
// cuts and efficiencies need.
func collectionsFor(c *cards.Card) ([]string, error) {
	var exprs []string
	for _, o := range c.Observables {
		exprs = append(exprs, o.Expr)
	}
	for _, x := range c.Cuts {
		exprs = append(exprs, x.Expr)
	}
	for _, x := range c.Efficiencies {
		exprs = append(exprs, x.Expr)
	}
	return delphescnv.Collections(exprs...)
}

// newHepMCWeights maps the named weights of a HepMC file to the physics
// benchmarks.
func newHepMCWeights(s cards.Sample, setup *store.Setup, nPhys int, r *hepmc.Reader, path string) (*hepmc.WeightMap, error) {
	if len(setup.Benchmarks) > nPhys {
		return nil, fmt.Errorf("pipeline: %s: sample %s: systematics need the weights of the LHE file (weights: lhe)", path, s.Name)
	}
	names := make([]string, nPhys)
	for b, bm := range setup.Benchmarks[:nPhys] {
		names[b] = bm.Name
	}
	m, err := hepmc.MapBenchmarks(r.WeightNames(), names, s.SampledFrom, s.Background)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", path, err)
	}
	return m, nil
}

// hepmcXSec returns the cross section and its error of a HepMC3
// GenCrossSection attribute ("σ err ..." in pb), or zeros.
func hepmcXSec(ev *hepmc.Event) (xsec, xerr float64) {
	v, ok := ev.Attributes["GenCrossSection"]
	if !ok {
		return 0, 0
	}
	f := strings.Fields(v)
	if len(f) == 0 {
		return 0, 0
	}
	if _, err := fmt.Sscan(f[0], &xsec); err != nil {
		return 0, 0
	}
	if len(f) > 1 {
		if _, err := fmt.Sscan(f[1], &xerr); err != nil {
			xerr = 0
		}
	}
	return xsec, xerr
}

// hepmcTally starts the normalisation of a sample whose weights come from
// HepMC events or Delphes: the header rule with HepMC3's GenCrossSection
// (set at the end, see hepmcDeclare), as Rivet does; average where the
// file states no cross section.
func hepmcTally(path string, s cards.Sample, source string) (*lhe.Tally, error) {
	return lhe.NewTally(path, lhe.Declaration{Default: lhe.NormHeader, DefaultSource: source}, s.EventNorm)
}

// sampleJob is what every per-sample analysis needs.
type sampleJob struct {
	c            *cards.Card
	e            *Env
	s            cards.Sample
	setup        *store.Setup
	nPhys        int
	ns           *systematics.Model
	an           *analysis
	perBenchmark map[string]int
	prog         *progress
	prop         *proportionality
	res          *AnalyseResult
	emit         func(x, w []float64, id int) error

	// Per-sample state of start and process.
	x, w   []float64
	id     int
	procID int // process id (IDPRUP) of the event being processed
	counts observables.Counts
}

// start prepares the per-sample buffers.
func (j *sampleJob) start() {
	j.x = make([]float64, len(j.an.names))
	j.w = make([]float64, len(j.setup.Benchmarks))
	j.id = j.samplingID()
	j.counts = observables.Counts{}
}

// finish records why events were dropped.
func (j *sampleJob) finish() { j.an.dropped(&j.counts, j.res.Dropped) }

// process runs the analysis on a finished event and, if the event is
// kept, fills its weights with fill (which reports a negative weight) and
// emits it. where names the event in errors; it is called only then.
func (j *sampleJob) process(ev *observables.Event, ss *SampleSummary, fill func(w []float64, eff float64) (bool, error), where func() string) error {
	x, eff, keep, err := j.an.Process(j.x, ev, &j.counts)
	j.x = x
	if err != nil {
		return fmt.Errorf("pipeline: %s: %w", where(), err)
	}
	if !keep {
		return nil
	}
	neg, err := fill(j.w, eff)
	if err != nil {
		return fmt.Errorf("pipeline: %s: %w", where(), err)
	}
	if neg {
		j.res.NegativeWeights++
	}
	j.prop.add(j.w[:j.nPhys])
	ss.Passed++
	return j.emit(x, j.w, j.id)
}

func (j *sampleJob) samplingID() int {
	if j.s.Background {
		return -1
	}
	return slices.IndexFunc(j.setup.Benchmarks, func(b store.Benchmark) bool { return b.Name == j.s.SampledFrom })
}

// delphesFile returns the Delphes file of the sample, running Delphes on
// its HepMC file first when the card has a delphes section and the sample
// names no ROOT file.
func (j *sampleJob) delphesFile() (string, error) {
	if j.s.Delphes != "" {
		return j.c.ResolvePath(j.s.Delphes), nil
	}
	d := j.c.Delphes
	out := j.e.Path("delphes", j.s.Name+".root")
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", err
	}
	cfg := delphes.RunConfig{Dir: j.c.ResolvePath(d.Dir), Card: d.Card, LogFile: j.e.Path("logs", "delphes_"+j.s.Name+".log")}
	if err := os.MkdirAll(j.e.Path("logs"), 0o755); err != nil {
		return "", err
	}
	j.e.logf("delphes: running on %s (log %s)\n", j.s.HepMC, cfg.LogFile)
	if err := delphes.Run(context.Background(), cfg, j.c.ResolvePath(j.s.HepMC), out); err != nil {
		return "", fmt.Errorf("pipeline: sample %s: %w", j.s.Name, err)
	}
	return out, nil
}

// analyseDelphes analyses a detector-level sample: objects from a Delphes
// file, weights from the LHE or HepMC file the events came from (read in
// step, event by event, and checked against the Delphes event weight), or
// the Delphes event weight itself for backgrounds.
func analyseDelphes(j *sampleJob) (*SampleSummary, error) {
	path, err := j.delphesFile()
	if err != nil {
		return nil, err
	}
	colls, err := collectionsFor(j.c)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", j.c.Path, err)
	}
	var tree string
	if j.c.Delphes != nil {
		tree = j.c.Delphes.Tree
	}
	dr, err := delphes.Open(path, delphes.Options{Tree: tree, Collections: colls})
	if err != nil {
		return nil, err
	}
	defer dr.Close()
	ss := &SampleSummary{Name: j.s.Name, File: path, SampledFrom: j.s.SampledFrom}

	// The weight source, read in step with the Delphes events.
	var (
		lr     *lhe.Reader
		lw     *lheWeights
		hr     *hepmc.Reader
		hw     *hepmc.WeightMap
		wpath  string
		header *lhe.Header
	)
	switch j.s.Weights {
	case "lhe":
		wpath = j.c.ResolvePath(j.s.LHE)
		if lr, err = lhe.Open(wpath, lheOptions(j.s)...); err != nil {
			return nil, err
		}
		defer lr.Close()
		header = lr.Header()
		if lw, err = newLHEWeights(j.c, j.s, j.setup, j.nPhys, j.ns, header, wpath); err != nil {
			return nil, err
		}
	case "hepmc":
		wpath = j.c.ResolvePath(j.s.HepMC)
		if hr, err = hepmc.Open(wpath); err != nil {
			return nil, err
		}
		defer hr.Close()
		if hw, err = newHepMCWeights(j.s, j.setup, j.nPhys, hr, wpath); err != nil {
			return nil, err
		}
	case "delphes":
		if !j.s.Background || len(j.setup.Benchmarks) > j.nPhys {
			return nil, fmt.Errorf("pipeline: %s: sample %s: the Delphes event weight serves only background samples without systematics; name the LHE or HepMC file of the events", path, j.s.Name)
		}
	}

	var tally *lhe.Tally
	if header != nil {
		tally, err = lhe.NewTally(wpath, header.Declaration(), j.s.EventNorm)
	} else if hr != nil {
		tally, err = hepmcTally(path, j.s, "HepMC3 GenCrossSection")
	} else {
		// The Delphes event weight alone says nothing about its
		// normalisation: the weights are used as they are.
		tally, err = lhe.NewTally(path, lhe.Declaration{Default: lhe.NormSum, DefaultSource: "Delphes event weight, no cross section in the file"}, j.s.EventNorm)
	}
	if err != nil {
		return nil, fmt.Errorf("pipeline: sample %s: %w", j.s.Name, err)
	}
	var ev observables.Event
	var xsec []lhe.Process
	j.start()
	defer j.finish()
	for dr.Next() {
		de := dr.Event()
		j.res.EventsRead++
		j.prog.tick(1)
		if j.s.MaxEvents > 0 && ss.Events >= j.s.MaxEvents {
			break
		}
		ss.Events++
		// The weights of this event, from the source in step.
		var nominal float64
		var fillW func(w []float64, eff float64) (bool, error)
		switch {
		case lr != nil:
			if !lr.Next() {
				if err := lr.Err(); err != nil {
					return nil, err
				}
				return nil, fmt.Errorf("pipeline: %s has fewer events than %s (Delphes entry %d has no partner): the files are not aligned", wpath, path, de.Entry)
			}
			le := lr.Event()
			nominal = le.Weight
			j.procID = le.ProcID
			fillW = func(w []float64, eff float64) (bool, error) { return lw.fill(w, le, eff) }
		case hr != nil:
			if !hr.Next() {
				if err := hr.Err(); err != nil {
					return nil, err
				}
				return nil, fmt.Errorf("pipeline: %s has fewer events than %s (Delphes entry %d has no partner): the files are not aligned", wpath, path, de.Entry)
			}
			he := hr.Event()
			if len(he.Weights) > 0 {
				nominal = he.Weights[0]
			}
			if x, e := hepmcXSec(he); x > 0 {
				xsec = []lhe.Process{{XSec: x, XErr: e}}
			}
			fillW = func(w []float64, eff float64) (bool, error) { return hw.Fill(w, he, eff) }
		default:
			nominal = de.Weight
			fillW = func(w []float64, eff float64) (bool, error) {
				for b := range w {
					w[b] = de.Weight * eff
				}
				return de.Weight < 0, nil
			}
		}
		// Delphes copies the generator's event weight: a different one
		// means the events are paired wrongly (merging or a different
		// file), which would mix up every weight.
		if !delphescnv.Paired(de.Weight, nominal) {
			return nil, fmt.Errorf("pipeline: %s entry %d has weight %g but the paired event of %s has %g: the files are not aligned", path, de.Entry, de.Weight, wpath, nominal)
		}
		tally.Add(j.procID, nominal)
		delphescnv.Fill(&ev, de)
		ev.FinishWith(j.an.det, nil)
		err := j.process(&ev, ss, fillW, func() string { return fmt.Sprintf("%s: entry %d (weights from %s)", path, de.Entry, wpath) })
		if err != nil {
			return nil, err
		}
	}
	if err := dr.Err(); err != nil {
		return nil, err
	}
	if ss.Events == 0 {
		return nil, fmt.Errorf("pipeline: %s: sample %s has no events", path, j.s.Name)
	}
	// Every event of the weight file must have been paired.
	if lr != nil && j.s.MaxEvents == 0 {
		if lr.Next() {
			return nil, fmt.Errorf("pipeline: %s has more events than %s (%d): events were lost between generation and detector simulation, so the files cannot be paired by position", wpath, path, ss.Events)
		}
		if err := lr.Err(); err != nil {
			return nil, err
		}
		j.res.Warnings = append(j.res.Warnings, lr.Warnings()...)
	}
	if hr != nil && j.s.MaxEvents == 0 && hr.Next() {
		return nil, fmt.Errorf("pipeline: %s has more events than %s (%d): the files cannot be paired by position", wpath, path, ss.Events)
	}
	if header == nil {
		tally.SetProcesses(xsec)
	}
	if err := j.normalise(ss, tally); err != nil {
		return nil, err
	}
	if lw != nil {
		j.res.Warnings = append(j.res.Warnings, lw.warnings(wpath)...)
	}
	return ss, nil
}

// analyseHepMC analyses a HepMC sample at generator level: the final-state
// particles of each event with its named weights.
func analyseHepMC(j *sampleJob) (*SampleSummary, error) {
	path := j.c.ResolvePath(j.s.HepMC)
	hr, err := hepmc.Open(path)
	if err != nil {
		return nil, err
	}
	defer hr.Close()
	hw, err := newHepMCWeights(j.s, j.setup, j.nPhys, hr, path)
	if err != nil {
		return nil, err
	}
	ss := &SampleSummary{Name: j.s.Name, File: path, SampledFrom: j.s.SampledFrom}
	src := j.e.rng("analyse/smearing/" + j.s.Name)
	tally, err := hepmcTally(path, j.s, "HepMC3 GenCrossSection")
	if err != nil {
		return nil, fmt.Errorf("pipeline: sample %s: %w", j.s.Name, err)
	}
	var ev observables.Event
	var xsec []lhe.Process
	j.start()
	defer j.finish()
	for hr.Next() {
		he := hr.Event()
		j.res.EventsRead++
		j.prog.tick(1)
		if j.s.MaxEvents > 0 && ss.Events >= j.s.MaxEvents {
			break
		}
		ss.Events++
		hepmccnv.Fill(&ev, he)
		tally.Add(0, ev.Weight)
		if x, e := hepmcXSec(he); x > 0 {
			xsec = []lhe.Process{{XSec: x, XErr: e}}
		}
		ev.FinishWith(j.an.det, src)
		err := j.process(&ev, ss, func(w []float64, eff float64) (bool, error) { return hw.Fill(w, he, eff) },
			func() string { return fmt.Sprintf("%s: event %d (line %d)", path, he.Number, he.Line) })
		if err != nil {
			return nil, err
		}
	}
	if err := hr.Err(); err != nil {
		return nil, err
	}
	if ss.Events == 0 {
		return nil, fmt.Errorf("pipeline: %s: sample %s has no events", path, j.s.Name)
	}
	tally.SetProcesses(xsec)
	if err := j.normalise(ss, tally); err != nil {
		return nil, err
	}
	return ss, nil
}
