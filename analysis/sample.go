// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package analysis

import (
	"fmt"
	"iter"
	"math"
	"slices"

	"github.com/goldmine-hep/goldmine/delphes"
	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/internal/seed"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/observables"
	"github.com/goldmine-hep/goldmine/observables/delphescnv"
	"github.com/goldmine-hep/goldmine/observables/hepmccnv"
	"github.com/goldmine-hep/goldmine/observables/lhecnv"
	"github.com/goldmine-hep/goldmine/store"
	"github.com/goldmine-hep/goldmine/systematics"
)

// job is the analysis of one sample.
type job struct {
	cfg   *Config
	index int
	s     Sample
	setup *store.Setup
	nPhys int
	ns    *systematics.Model
	prop  *lhe.Proportionality
	res   *Result
	emit  func(x, w []float64, id int) error
	// perBenchmark is the number of signal samples of the sample's
	// benchmark.
	perBenchmark int

	x, w   []float64
	id     int
	procID int // process id (IDPRUP) of the event being processed
	counts observables.Counts
}

// normalise finishes the sample's tally (package lhe decides the rule
// from the file's declaration, the sample's EventNorm and the evidence)
// and sets the factors that turn the file's weights into pb per event in
// the events file: the rule's, times the k-factor, over the number of
// signal samples of the same benchmark. The tally's warnings join the
// result's.
func (j *job) normalise(ss *SampleResult, t *lhe.Tally) error {
	n, err := t.Result()
	if err != nil {
		return fmt.Errorf("analysis: sample %s: %w", j.s.Name, err)
	}
	ss.norm = n
	ss.EventNorm, ss.EventNormReason = string(n.Rule), n.Reason
	ss.XSecPB, ss.XSecErrPB = n.XSec, n.XSecErr
	if n.HasHeader {
		x, e := n.HeaderXSec, n.HeaderErr
		ss.HeaderXSecPB, ss.HeaderErrPB = &x, &e
	}
	ss.factor = j.s.KFactor
	if ss.factor == 0 {
		ss.factor = 1
	}
	if !j.s.Background && j.perBenchmark > 0 {
		ss.factor /= float64(j.perBenchmark)
	}
	ss.Scale = ss.scaleFor(j.procID)
	j.res.Warnings = append(j.res.Warnings, n.Warnings...)
	return nil
}

// hepmcTally starts the normalisation of a sample whose weights come from
// HepMC events: the header rule with HepMC3's GenCrossSection (set at the
// end with SetProcesses), as Rivet does; average where the file states
// no cross section.
func (j *job) hepmcTally(path, source string) (*lhe.Tally, error) {
	t, err := lhe.NewTally(path, lhe.Declaration{Default: lhe.NormHeader, DefaultSource: source}, j.s.EventNorm)
	if err != nil {
		return nil, fmt.Errorf("analysis: sample %s: %w", j.s.Name, err)
	}
	return t, nil
}

// lheOpen opens the LHE file of the sample with its reader options.
func (j *job) lheOpen(path string) (*lhe.Reader, error) {
	return lhe.Open(path, lhe.WithReadAhead(4), lhe.WithAllowTruncated(j.s.AllowTruncated), lhe.WithDropNonFinite(j.s.DropNonFinite))
}

// start prepares the per-sample buffers.
func (j *job) start() {
	j.x = make([]float64, len(j.cfg.ObservableNames))
	j.w = make([]float64, len(j.setup.Benchmarks))
	j.id = -1
	if !j.s.Background {
		j.id = slices.IndexFunc(j.setup.Benchmarks, func(b store.Benchmark) bool { return b.Name == j.s.SampledFrom })
	}
	j.counts = observables.Counts{}
}

// finish records why events were dropped.
func (j *job) finish() {
	c := &j.counts
	for i, n := range c.ObsDropped {
		if n > 0 {
			j.res.Dropped["observable "+j.cfg.ObservableNames[i]+" not computable"] += n
		}
	}
	for i, n := range c.CutFail {
		if n > 0 {
			j.res.Dropped["cut "+j.cfg.CutNames[i]] += n
		}
	}
	for i, n := range c.EffFail {
		if n > 0 {
			j.res.Dropped["efficiency "+j.cfg.EfficiencyNames[i]+" zero"] += n
		}
	}
}

// read counts an event read.
func (j *job) read() {
	j.res.EventsRead++
	if j.cfg.Progress != nil {
		j.cfg.Progress(j.res.EventsRead)
	}
}

// pairer returns the Pairer of the sample's Delphes events with the LHE
// events of lr (delphes.Pairer: by the incoming partons and the weights
// named like LHE weights in the sample's HepMC file, if it has one).
// onDrop is called with each LHE event without a Delphes event, where the
// sample allows them.
func (j *job) pairer(lr *lhe.Reader, onDrop func(*lhe.Event)) (*delphes.Pairer, error) {
	opts := &delphes.PairOptions{AllowDropped: j.s.AllowDropped, Prefix: j.s.MaxEvents > 0, OnDrop: onDrop}
	if j.s.HepMC != "" {
		hr, err := hepmc.Open(j.s.HepMC)
		if err != nil {
			return nil, err
		}
		opts.WeightNames = hr.WeightNames()
		hr.Close()
	}
	return delphes.NewPairer(lr, opts), nil
}

// unpaired is the error of a weight file wpath that ended (with the
// reader's error err, if any) before Delphes entry entry of path.
func unpaired(err error, wpath, path string, entry int64) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("analysis: %s has fewer events than %s (Delphes entry %d has no partner): the files are not aligned", wpath, path, entry)
}

// take counts an event read for sample ss and reports whether it is
// analysed: not once the sample's MaxEvents are in.
func (j *job) take(ss *SampleResult) bool {
	j.read()
	if j.s.MaxEvents > 0 && ss.Events >= j.s.MaxEvents {
		return false
	}
	ss.Events++
	return true
}

// events yields the events of a reader, given by its Next and Event
// methods, that sample ss analyses (take), with the per-sample buffers
// made before the first (start) and the reasons for dropped events
// recorded after the last (finish). (The LHE reader's loop takes by the
// event's position in the file instead, dropped events included, to pair
// with the first MaxEvents of a Delphes file.)
func events[E any](j *job, ss *SampleResult, next func() bool, event func() E) iter.Seq[E] {
	return func(yield func(E) bool) {
		j.start()
		defer j.finish()
		for next() {
			e := event()
			if !j.take(ss) || !yield(e) {
				return
			}
		}
	}
}

// nonEmpty reports an error if sample ss has no events.
func (j *job) nonEmpty(ss *SampleResult) error {
	if ss.Events == 0 {
		return fmt.Errorf("analysis: %s: sample %s has no events", ss.File, j.s.Name)
	}
	return nil
}

// process runs the analysis on a finished event and, if the event is
// kept, fills its weights with fill (which reports a negative weight) and
// emits it. where names the event in errors; it is called only then.
func (j *job) process(ev *observables.Event, ss *SampleResult, fill func(w []float64, eff float64) (bool, error), where func() string) error {
	x, eff, keep, err := j.cfg.Analysis.Process(j.x, ev, &j.counts)
	j.x = x
	if err != nil {
		return fmt.Errorf("analysis: %s: %w", where(), err)
	}
	if !keep {
		return nil
	}
	neg, err := fill(j.w, eff)
	if err != nil {
		return fmt.Errorf("analysis: %s: %w", where(), err)
	}
	if neg {
		j.res.NegativeWeights++
	}
	j.prop.Add(j.w[:j.nPhys])
	ss.Passed++
	return j.emit(x, j.w, j.id)
}

func (j *job) benchmarkNames() []string {
	names := make([]string, j.nPhys)
	for b, bm := range j.setup.Benchmarks[:j.nPhys] {
		names[b] = bm.Name
	}
	return names
}

// lheWeights maps the weights of an LHE file to the benchmarks of the
// events file: the physics benchmarks, then the systematic variations.
func (j *job) lheWeights(h *lhe.Header, path string) (*lhe.WeightMap, error) {
	m, err := lhe.MapBenchmarks(h, j.benchmarkNames(), j.s.SampledFrom, j.s.Background)
	if err != nil {
		return nil, fmt.Errorf("analysis: %s: sample %s: %w", path, j.s.Name, err)
	}
	src, fac, err := j.ns.Sources(h, j.s.Systematics)
	if err != nil {
		return nil, fmt.Errorf("analysis: %s: sample %s: %w", path, j.s.Name, err)
	}
	for i, v := range j.ns.Variations {
		m.Add(v.Benchmark, src[i], fac[i])
	}
	return m, nil
}

// hepmcWeights maps the named weights of a HepMC file to the physics
// benchmarks.
func (j *job) hepmcWeights(r *hepmc.Reader, path string) (*hepmc.WeightMap, error) {
	if len(j.setup.Benchmarks) > j.nPhys {
		return nil, fmt.Errorf("analysis: %s: sample %s: systematics need the weights of the LHE file", path, j.s.Name)
	}
	m, err := hepmc.MapBenchmarks(r.WeightNames(), j.benchmarkNames(), j.s.SampledFrom, j.s.Background)
	if err != nil {
		return nil, fmt.Errorf("analysis: %s: %w", path, err)
	}
	return m, nil
}

func (j *job) lhe() (*SampleResult, error) {
	path := j.s.LHE
	r, err := j.lheOpen(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	h := r.Header()
	ss := &SampleResult{Name: j.s.Name, File: path, SampledFrom: j.s.SampledFrom}
	lw, err := j.lheWeights(h, path)
	if err != nil {
		return nil, err
	}
	tally, err := lhe.NewTally(path, h.Declaration(), j.s.EventNorm)
	if err != nil {
		return nil, fmt.Errorf("analysis: sample %s: %w", j.s.Name, err)
	}
	src := seed.Rand(j.cfg.Seed, "analyse/smearing/"+j.s.Name)
	var ev observables.Event
	j.start()
	defer j.finish()
	for r.Next() {
		le := r.Event()
		j.read()
		if j.s.MaxEvents > 0 && le.Index >= j.s.MaxEvents {
			break
		}
		ss.Events++
		tally.Add(le.ProcID, le.Weight)
		j.procID = le.ProcID
		lhecnv.Fill(&ev, le)
		ev.FinishWith(j.cfg.Detector, src)
		err := j.process(&ev, ss, func(w []float64, eff float64) (bool, error) { return lw.Fill(w, le, eff) },
			func() string { return fmt.Sprintf("%s: event %d (line %d)", path, le.Index, le.Line) })
		if err != nil {
			return nil, err
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	j.res.Warnings = append(j.res.Warnings, r.Warnings()...)
	if err := j.nonEmpty(ss); err != nil {
		return nil, err
	}
	if sumW := tally.SumW(); sumW == 0 || math.IsNaN(sumW) || math.IsInf(sumW, 0) {
		return nil, fmt.Errorf("analysis: %s: sample %s: the event weights (XWGTUP) of its %d events sum to %v, so its cross section is not a positive finite number", path, j.s.Name, ss.Events, sumW)
	}
	if err := j.normalise(ss, tally); err != nil {
		return nil, err
	}
	j.res.Warnings = append(j.res.Warnings, lw.Warnings(path)...)
	return ss, nil
}

// hepmc analyses a HepMC sample at generator level: the final-state
// particles of each event with its named weights.
func (j *job) hepmc() (*SampleResult, error) {
	path := j.s.HepMC
	hr, err := hepmc.Open(path)
	if err != nil {
		return nil, err
	}
	defer hr.Close()
	hw, err := j.hepmcWeights(hr, path)
	if err != nil {
		return nil, err
	}
	ss := &SampleResult{Name: j.s.Name, File: path, SampledFrom: j.s.SampledFrom}
	src := seed.Rand(j.cfg.Seed, "analyse/smearing/"+j.s.Name)
	tally, err := j.hepmcTally(path, "HepMC3 GenCrossSection")
	if err != nil {
		return nil, err
	}
	var ev observables.Event
	var xsec []lhe.Process
	for he := range events(j, ss, hr.Next, hr.Event) {
		hepmccnv.Fill(&ev, he)
		tally.Add(0, ev.Weight)
		if x, e := he.CrossSection(); x > 0 {
			xsec = []lhe.Process{{XSec: x, XErr: e}}
		}
		ev.FinishWith(j.cfg.Detector, src)
		err := j.process(&ev, ss, func(w []float64, eff float64) (bool, error) { return hw.Fill(w, he, eff) },
			func() string { return fmt.Sprintf("%s: event %d (line %d)", path, he.Number, he.Line) })
		if err != nil {
			return nil, err
		}
	}
	if err := hr.Err(); err != nil {
		return nil, err
	}
	if err := j.nonEmpty(ss); err != nil {
		return nil, err
	}
	tally.SetProcesses(xsec)
	if err := j.normalise(ss, tally); err != nil {
		return nil, err
	}
	return ss, nil
}

// delphes analyses a detector-level sample: objects from a Delphes file,
// weights from the LHE or HepMC file the events came from (read in step,
// event by event, and checked against the Delphes event weight), or the
// Delphes event weight itself for backgrounds.
func (j *job) delphes() (*SampleResult, error) {
	path := j.s.Delphes
	pairLHE := j.s.Weights == WeightsLHE
	dr, err := delphes.Open(path, delphes.Options{Tree: j.s.DelphesTree, Collections: j.cfg.Collections, PairKey: pairLHE})
	if err != nil {
		return nil, err
	}
	defer dr.Close()
	ss := &SampleResult{Name: j.s.Name, File: path, SampledFrom: j.s.SampledFrom}

	// The weight source, read in step with the Delphes events.
	var (
		lr     *lhe.Reader
		pairer *delphes.Pairer
		lw     *lhe.WeightMap
		hr     *hepmc.Reader
		hw     *hepmc.WeightMap
		wpath  string
		header *lhe.Header
		tally  *lhe.Tally
	)
	switch j.s.Weights {
	case WeightsLHE:
		wpath = j.s.LHE
		if lr, err = j.lheOpen(wpath); err != nil {
			return nil, err
		}
		defer lr.Close()
		header = lr.Header()
		if lw, err = j.lheWeights(header, wpath); err != nil {
			return nil, err
		}
		if pairer, err = j.pairer(lr, func(le *lhe.Event) { tally.Add(le.ProcID, 0) }); err != nil {
			return nil, err
		}
	case WeightsHepMC:
		wpath = j.s.HepMC
		if hr, err = hepmc.Open(wpath); err != nil {
			return nil, err
		}
		defer hr.Close()
		if hw, err = j.hepmcWeights(hr, wpath); err != nil {
			return nil, err
		}
	case WeightsDelphes:
		if !j.s.Background || len(j.setup.Benchmarks) > j.nPhys {
			return nil, fmt.Errorf("analysis: %s: sample %s: the Delphes event weight serves only background samples without systematics; name the LHE or HepMC file of the events", path, j.s.Name)
		}
	default:
		return nil, fmt.Errorf("analysis: %s: sample %s: unknown weight source %q", path, j.s.Name, j.s.Weights)
	}

	switch {
	case header != nil:
		if tally, err = lhe.NewTally(wpath, header.Declaration(), j.s.EventNorm); err != nil {
			err = fmt.Errorf("analysis: sample %s: %w", j.s.Name, err)
		}
	case hr != nil:
		tally, err = j.hepmcTally(path, "HepMC3 GenCrossSection")
	default:
		// The Delphes event weight alone says nothing about its
		// normalisation: the weights are used as they are.
		if tally, err = lhe.NewTally(path, lhe.Declaration{Default: lhe.NormSum, DefaultSource: "Delphes event weight, no cross section in the file"}, j.s.EventNorm); err != nil {
			err = fmt.Errorf("analysis: sample %s: %w", j.s.Name, err)
		}
	}
	if err != nil {
		return nil, err
	}
	var ev observables.Event
	var xsec []lhe.Process
	for de := range events(j, ss, dr.Next, dr.Event) {
		// The weights of this event, from the source in step.
		var nominal float64
		var fillW func(w []float64, eff float64) (bool, error)
		switch {
		case lr != nil:
			le, err := pairer.Next(delphes.DelphesKey(de), fmt.Sprintf("%s entry %d (event number %d)", path, de.Entry, de.Number))
			if err != nil {
				return nil, fmt.Errorf("analysis: sample %s: %w", j.s.Name, err)
			}
			nominal = le.Weight
			j.procID = le.ProcID
			fillW = func(w []float64, eff float64) (bool, error) { return lw.Fill(w, le, eff) }
		case hr != nil:
			if !hr.Next() {
				return nil, unpaired(hr.Err(), wpath, path, de.Entry)
			}
			he := hr.Event()
			if len(he.Weights) > 0 {
				nominal = he.Weights[0]
			}
			if x, e := he.CrossSection(); x > 0 {
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
		if !delphescnv.Paired(de.Weight, nominal) {
			return nil, fmt.Errorf("analysis: %s entry %d has weight %g but the paired event of %s has %g: the files are not aligned", path, de.Entry, de.Weight, wpath, nominal)
		}
		tally.Add(j.procID, nominal)
		delphescnv.Fill(&ev, de)
		ev.FinishWith(j.cfg.Detector, nil)
		err := j.process(&ev, ss, fillW, func() string { return fmt.Sprintf("%s: entry %d (weights from %s)", path, de.Entry, wpath) })
		if err != nil {
			return nil, err
		}
	}
	if err := dr.Err(); err != nil {
		return nil, err
	}
	if err := j.nonEmpty(ss); err != nil {
		return nil, err
	}
	// Every event of the LHE file must have been paired, or, where the
	// sample allows it, counted as dropped: with zero weight, as an event
	// the shower vetoed.
	if pairer != nil {
		rep, err := pairer.Finish()
		if err != nil {
			return nil, fmt.Errorf("analysis: sample %s: %s and %s: %w", j.s.Name, path, wpath, err)
		}
		ss.Pairing, ss.Dropped = rep.Mode, rep.Dropped
		if rep.Dropped > 0 {
			j.res.Warnings = append(j.res.Warnings, fmt.Sprintf("sample %s: %d of the %d LHE events of %s have no event in %s (dropped by the shower or the detector simulation; the first: %v); they count with zero weight",
				j.s.Name, rep.Dropped, rep.LHEEvents, wpath, path, rep.DroppedFirst[:min(len(rep.DroppedFirst), 5)]))
		}
		if rep.Mode == "position" {
			j.res.Warnings = append(j.res.Warnings, fmt.Sprintf("sample %s: %s has neither the incoming partons nor named weights to pair its events with those of %s: paired by position, with equal counts", j.s.Name, path, wpath))
		}
		j.res.Warnings = append(j.res.Warnings, lr.Warnings()...)
	}
	if hr != nil && j.s.MaxEvents == 0 && hr.Next() {
		return nil, fmt.Errorf("analysis: %s has more events than %s (%d): the files cannot be paired by position", wpath, path, ss.Events)
	}
	if header == nil {
		tally.SetProcesses(xsec)
	}
	if err := j.normalise(ss, tally); err != nil {
		return nil, err
	}
	if lw != nil {
		j.res.Warnings = append(j.res.Warnings, lw.Warnings(wpath)...)
	}
	return ss, nil
}
