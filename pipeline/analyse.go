// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/observables"
	"github.com/goldmine-hep/goldmine/observables/lhecnv"
	"github.com/goldmine-hep/goldmine/store"
	"github.com/goldmine-hep/goldmine/systematics"
)

// AnalyseResult summarises goldmine analyse.
type AnalyseResult struct {
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
	Samples         []SampleSummary    `json:"samples"`
}

// SampleSummary describes one input sample.
type SampleSummary struct {
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

	norm   *lhe.Normalization
	factor float64 // k-factor over the number of samples of the benchmark
}

// scaleFor is the factor that turns the weights of an event of process
// procID into pb in the events file.
func (ss *SampleSummary) scaleFor(procID int) float64 {
	return ss.norm.Scale(procID) * ss.factor
}

// analysis is the compiled analysis of a card.
type analysis struct {
	*observables.Analysis
	names, defs, cutNames, effNames []string
	det                             *observables.Detector
}

func compileAnalysis(c *cards.Card) (*analysis, error) {
	a := &analysis{}
	var obs []observables.Observable
	for _, o := range c.Observables {
		def := math.NaN()
		if o.Default != nil {
			def = *o.Default
		}
		obs = append(obs, observables.Observable{Name: o.Name, Definition: o.Expr, Required: *o.Required, Default: def})
		a.names = append(a.names, o.Name)
		a.defs = append(a.defs, o.Expr)
	}
	if len(obs) == 0 {
		return nil, fmt.Errorf("pipeline: %s: no observables: the events file needs at least one", c.Path)
	}
	var cuts []observables.Cut
	for i, cut := range c.Cuts {
		cuts = append(cuts, observables.Cut{Definition: cut.Expr, PassIfUndefined: cut.PassIfNotComputable})
		name := cut.Name
		if name == "" {
			name = fmt.Sprintf("%d (%s)", i, cut.Expr)
		}
		a.cutNames = append(a.cutNames, name)
	}
	var effs []observables.Efficiency
	for i, e := range c.Efficiencies {
		effs = append(effs, observables.Efficiency{Definition: e.Expr, ValueIfUndefined: e.Default})
		name := e.Name
		if name == "" {
			name = fmt.Sprintf("%d (%s)", i, e.Expr)
		}
		a.effNames = append(a.effNames, name)
	}
	an, err := observables.NewAnalysis(obs, cuts, effs)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", c.Path, err)
	}
	a.Analysis = an
	det, err := detector(c)
	if err != nil {
		return nil, err
	}
	a.det = det
	return a, nil
}

// dropped turns the analysis counts into reasons.
func (a *analysis) dropped(c *observables.Counts, dst map[string]int) {
	for i, n := range c.ObsDropped {
		if n > 0 {
			dst["observable "+a.names[i]+" not computable"] += n
		}
	}
	for i, n := range c.CutFail {
		if n > 0 {
			dst["cut "+a.cutNames[i]] += n
		}
	}
	for i, n := range c.EffFail {
		if n > 0 {
			dst["efficiency "+a.effNames[i]+" zero"] += n
		}
	}
}

func resolution(r *cards.Resolution) observables.Resolution {
	if r == nil {
		return observables.Resolution{}
	}
	return observables.Resolution{Abs: r.Absolute, Rel: r.Relative}
}

// detector maps the card's smearing and acceptance to observables.Detector;
// nil when there is neither.
func detector(c *cards.Card) (*observables.Detector, error) {
	if c.Smearing == nil && len(c.Acceptance) == 0 {
		return nil, nil
	}
	d := &observables.Detector{}
	if s := c.Smearing; s != nil {
		for _, o := range s.Objects {
			sm := observables.Smearing{E: resolution(o.Energy), Pt: resolution(o.Pt), Eta: resolution(o.Eta), Phi: resolution(o.Phi)}
			// MadMiner's on-shell derivation: an unsmeared energy with a
			// smeared pT is derived, and vice versa.
			if o.Energy == nil && o.Pt != nil {
				sm.E.Derived = true
			} else if o.Pt == nil && o.Energy != nil {
				sm.Pt.Derived = true
			}
			d.SetSmearing(sm, o.PDGIDs...)
		}
		if s.METNoise != nil {
			d.METNoise = resolution(s.METNoise)
		}
	}
	for _, acc := range c.Acceptance {
		cut := observables.ObjectCut{PtMin: acc.PtMin, EtaMax: acc.EtaMax}
		switch acc.Object {
		case "e":
			d.Acceptance.E = cut
		case "mu":
			d.Acceptance.Mu = cut
		case "a":
			d.Acceptance.A = cut
		case "j":
			d.Acceptance.J = cut
		}
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("pipeline: %s: smearing: %w", c.Path, err)
	}
	return d, nil
}

// Analyse reads the card's samples, evaluates observables, cuts and
// efficiencies, attaches one weight per benchmark and writes
// WORKDIR/events.h5.
func Analyse(e *Env) (*AnalyseResult, error) {
	c := e.Card
	setup, err := store.ReadSetup(e.Path("setup.h5"))
	if err != nil {
		return nil, inputErr(err, "analyse needs the setup", "setup")
	}
	if err := resolveMadGraphSamples(e); err != nil {
		return nil, err
	}
	an, err := compileAnalysis(c)
	if err != nil {
		return nil, err
	}
	if len(c.Samples) == 0 {
		return nil, fmt.Errorf("pipeline: %s: no samples to analyse", c.Path)
	}
	ns, err := buildNuisance(c)
	if err != nil {
		return nil, err
	}
	// The events file holds the physics benchmarks and, after them, one
	// nuisance benchmark per systematic variation.
	nPhys := len(setup.Benchmarks)
	if len(ns.Variations) > 0 {
		ref := ""
		for _, s := range c.Samples {
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
	nObs, nBench := len(an.names), len(setup.Benchmarks)
	res := &AnalyseResult{Dropped: make(map[string]int), XSecPB: make(map[string]float64)}
	for _, b := range setup.Benchmarks {
		res.Benchmarks = append(res.Benchmarks, b.Name)
	}

	// Signal samples of the same benchmark each estimate the same cross
	// section: their weights are averaged. Background samples add.
	perBenchmark := make(map[string]int)
	for _, s := range c.Samples {
		if !s.Background {
			perBenchmark[s.SampledFrom]++
		}
	}

	// Spilled rows: observables, raw weights, sampling id, sample index.
	// The per-sample normalisation (event_norm needs the event count) is
	// applied when the rows leave the spill, so each file is read once.
	spill, err := store.NewSpill(e.Workdir, nObs+nBench+3)
	if err != nil {
		return nil, err
	}
	defer spill.Close()

	start := time.Now()
	prog := newProgress(e.Log, "analyse")
	prop := newProportionality(nPhys)
	row := make([]float64, nObs+nBench+3)
	for si, s := range c.Samples {
		job := &sampleJob{c: c, e: e, s: s, setup: setup, nPhys: nPhys, ns: ns, an: an, perBenchmark: perBenchmark,
			prog: prog, prop: prop, res: res}
		// Each row carries its sample and process, whose normalisation is
		// known only at the end of the file.
		job.emit = func(x, w []float64, id int) error {
			copy(row, x)
			copy(row[nObs:], w)
			row[nObs+nBench] = float64(id)
			row[nObs+nBench+1] = float64(si)
			row[nObs+nBench+2] = float64(job.procID)
			return spill.Write(row)
		}
		var ss *SampleSummary
		switch {
		case s.Simulator != nil:
			return nil, fmt.Errorf("pipeline: %s: sample %s: simulator samples are not supported by analyse yet", c.Path, s.Name)
		case s.Delphes != "" || (s.HepMC != "" && c.Delphes != nil):
			ss, err = analyseDelphes(job)
		case s.HepMC != "" && s.LHE == "":
			ss, err = analyseHepMC(job)
		default:
			ss, err = analyseLHE(job)
		}
		if err != nil {
			return nil, err
		}
		res.Samples = append(res.Samples, *ss)
	}
	prog.done()
	if spill.Len() == 0 {
		return nil, fmt.Errorf("pipeline: %s: no event passed the analysis (%v)", c.Path, res.Dropped)
	}
	if prop.proportional() {
		res.Warnings = append(res.Warnings, "all benchmark weights are proportional to each other: the events carry no θ dependence beyond the rate and the score is zero everywhere (were the EFT couplings bound to the decay only?)")
	}
	if res.NegativeWeights > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d events have negative weights; they are kept (MadMiner zeroes them silently)", res.NegativeWeights))
	}

	h := &store.EventsHeader{Setup: *setup, ObservableNames: an.names, ObservableDefinitions: an.defs, NuisanceParameters: ns.Parameters}
	if err := os.MkdirAll(e.Workdir, 0o755); err != nil {
		return nil, err
	}
	res.File = e.Path("events.h5")
	w, err := store.CreateEvents(res.File, h)
	if err != nil {
		return nil, err
	}
	var rnd *rand.Rand
	if *c.Shuffle {
		rnd = e.rng("analyse/shuffle")
	}
	err = spill.Shuffled(rnd, func(row []float64) error {
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
	for _, wmsg := range res.Warnings {
		e.logf("warning: %s\n", wmsg)
	}
	return res, nil
}

func analyseLHE(j *sampleJob) (*SampleSummary, error) {
	c, s := j.c, j.s
	path := c.ResolvePath(s.LHE)
	r, err := lhe.Open(path, lheOptions(s)...)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	h := r.Header()
	ss := &SampleSummary{Name: s.Name, File: path, SampledFrom: s.SampledFrom}
	lw, err := newLHEWeights(c, s, j.setup, j.nPhys, j.ns, h, path)
	if err != nil {
		return nil, err
	}
	tally, err := lhe.NewTally(path, h.Declaration(), s.EventNorm)
	if err != nil {
		return nil, fmt.Errorf("pipeline: sample %s: %w", s.Name, err)
	}
	src := j.e.rng("analyse/smearing/" + s.Name)
	var ev observables.Event
	j.start()
	defer j.finish()
	// Parsing runs in its own goroutine, a batch of events ahead of the
	// analysis (and decompression in another, with read-ahead), so the
	// three stages use the cores while the events stay in file order.
	events := readAhead(r)
	defer events.stop()
	for le := range events.next {
		j.res.EventsRead++
		j.prog.tick(1)
		if s.MaxEvents > 0 && le.Index >= s.MaxEvents {
			break
		}
		ss.Events++
		tally.Add(le.ProcID, le.Weight)
		j.procID = le.ProcID
		lhecnv.Fill(&ev, le)
		ev.FinishWith(j.an.det, src)
		err := j.process(&ev, ss, func(w []float64, eff float64) (bool, error) { return lw.fill(w, le, eff) },
			func() string { return fmt.Sprintf("%s: event %d (line %d)", path, le.Index, le.Line) })
		if err != nil {
			return nil, err
		}
	}
	events.stop()
	if err := r.Err(); err != nil {
		return nil, err
	}
	j.res.Warnings = append(j.res.Warnings, r.Warnings()...)
	if ss.Events == 0 {
		return nil, fmt.Errorf("pipeline: %s: sample %s has no events", path, s.Name)
	}
	if sumW := tally.SumW(); sumW == 0 || math.IsNaN(sumW) || math.IsInf(sumW, 0) {
		return nil, fmt.Errorf("pipeline: %s: sample %s: the event weights (XWGTUP) of its %d events sum to %v, so its cross section is not a positive finite number", path, s.Name, ss.Events, sumW)
	}
	if err := j.normalise(ss, tally); err != nil {
		return nil, err
	}
	j.res.Warnings = append(j.res.Warnings, lw.warnings(path)...)
	return ss, nil
}

// lheOptions returns the reader options of sample s.
func lheOptions(s cards.Sample) []lhe.Option {
	return []lhe.Option{lhe.WithReadAhead(4), lhe.WithAllowTruncated(s.AllowTruncated), lhe.WithDropNonFinite(s.DropNonFinite)}
}

// normalise finishes the sample's tally (package lhe decides the rule
// from the file's declaration, the card's event_norm and the evidence) and
// sets the factors that turn the file's weights into pb per event in the
// events file: the rule's, times the k-factor, over the number of signal
// samples of the same benchmark. The tally's warnings join the result's.
func (j *sampleJob) normalise(ss *SampleSummary, t *lhe.Tally) error {
	n, err := t.Result()
	if err != nil {
		return fmt.Errorf("pipeline: sample %s: %w", j.s.Name, err)
	}
	ss.norm = n
	ss.EventNorm, ss.EventNormReason = string(n.Rule), n.Reason
	ss.XSecPB, ss.XSecErrPB = n.XSec, n.XSecErr
	if n.HasHeader {
		x, e := n.HeaderXSec, n.HeaderErr
		ss.HeaderXSecPB, ss.HeaderErrPB = &x, &e
	}
	ss.factor = j.s.KFactor
	if !j.s.Background {
		ss.factor /= float64(j.perBenchmark[j.s.SampledFrom])
	}
	ss.Scale = ss.scaleFor(j.procID)
	j.res.Warnings = append(j.res.Warnings, n.Warnings...)
	return nil
}

func weightIDs(h *lhe.Header) string {
	if len(h.Weights) == 0 {
		return "none"
	}
	ids := make([]string, 0, len(h.Weights))
	for _, w := range h.Weights {
		ids = append(ids, w.ID)
	}
	if len(ids) > 12 {
		ids = append(ids[:12], "...")
	}
	return strings.Join(ids, ", ")
}

// proportionality detects benchmark weights that are all proportional to
// the first benchmark's (no θ dependence of the shapes).
type proportionality struct {
	ratio []float64 // first seen w_b/w_0
	prop  []bool
	seen  bool
}

func newProportionality(n int) *proportionality {
	p := &proportionality{ratio: make([]float64, n), prop: make([]bool, n)}
	for i := range p.prop {
		p.prop[i] = true
	}
	return p
}

func (p *proportionality) add(w []float64) {
	if w[0] == 0 {
		return
	}
	for b := 1; b < len(w); b++ {
		r := w[b] / w[0]
		if !p.seen {
			p.ratio[b] = r
			continue
		}
		if math.Abs(r-p.ratio[b]) > 1e-9*math.Max(1, math.Abs(p.ratio[b])) {
			p.prop[b] = false
		}
	}
	p.seen = true
}

func (p *proportionality) proportional() bool {
	return p.seen && len(p.prop) > 1 && !slices.Contains(p.prop[1:], false)
}

// lheWeights maps the weights of an LHE event to the benchmarks of the
// events file: physics benchmarks from <wgt> ids matching their names (the
// sampling benchmark from XWGTUP unless it has its own id; every benchmark
// of a background sample from XWGTUP), then the systematic variations.
type lheWeights struct {
	names  []string
	nPhys  int
	source []int // per physics benchmark: index into Event.Weights, -1 for XWGTUP
	varSrc []int // per variation: index into Event.Weights, -1 for nominal
	varFac []float64
	id     int // sampling benchmark, -1 for background

	// nominal is the index in Event.Weights of the weight that repeats
	// the nominal among the variations (-1: none). Variations from the
	// file are used relative to it: nominal weight · w_var / w_nominal.
	nominal   int
	nominalID string
	// Events whose weight block's nominal differs from XWGTUP, the first
	// of them, and those whose block nominal is zero.
	nomOff, nomZero int
	firstOff        struct {
		index       int
		xwgtup, nom float64
	}
}

func newLHEWeights(c *cards.Card, s cards.Sample, setup *store.Setup, nPhys int, ns *systematics.Model, h *lhe.Header, path string) (*lheWeights, error) {
	lw := &lheWeights{nPhys: nPhys, source: make([]int, nPhys), id: -1}
	for _, bm := range setup.Benchmarks {
		lw.names = append(lw.names, bm.Name)
	}
	for b, bm := range setup.Benchmarks[:nPhys] {
		lw.source[b] = -1
		if s.Background {
			continue
		}
		if bm.Name == s.SampledFrom {
			lw.id = b
		}
		if k, ok := h.WeightIndex(bm.Name); ok {
			lw.source[b] = k
		} else if bm.Name != s.SampledFrom {
			return nil, fmt.Errorf("pipeline: %s: benchmark %q has no weight in the file (weight ids: %s)", path, bm.Name, weightIDs(h))
		}
	}
	if !s.Background && lw.id < 0 {
		return nil, fmt.Errorf("pipeline: %s: sample %s: sampling benchmark %q is not in the setup", path, s.Name, s.SampledFrom)
	}
	var err error
	lw.varSrc, lw.varFac, err = ns.Sources(h, s.Systematics)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: sample %s: %w", path, s.Name, err)
	}
	lw.nominal = -1
	if slices.ContainsFunc(lw.varSrc, func(k int) bool { return k >= 0 }) {
		if k, ok := h.NominalWeight(); ok {
			lw.nominal, lw.nominalID = k, h.Weights[k].ID
		}
	}
	return lw, nil
}

// warnings reports, after the sample, weight blocks whose nominal is in
// another normalisation than XWGTUP.
func (lw *lheWeights) warnings(path string) []string {
	var ws []string
	if lw.nomOff > 0 {
		f := lw.firstOff
		ws = append(ws, fmt.Sprintf("%s: in %d of the events kept the nominal weight %q of the variation block differs from XWGTUP (event %d: XWGTUP %g, %q %g): the scale and PDF variations are taken relative to %q and scaled to XWGTUP, event by event",
			path, lw.nomOff, lw.nominalID, f.index, f.xwgtup, lw.nominalID, f.nom, lw.nominalID))
	}
	if lw.nomZero > 0 {
		ws = append(ws, fmt.Sprintf("%s: %d events have a nominal variation weight of 0: their variations are used as they are", path, lw.nomZero))
	}
	return ws
}

// reference is the nominal weight of the reference (sampling) benchmark:
// its own weight if the file has one, else XWGTUP.
func (lw *lheWeights) reference(le *lhe.Event) float64 {
	if lw.id >= 0 && lw.source[lw.id] >= 0 {
		return le.Weights[lw.source[lw.id]]
	}
	return le.Weight
}

// check records whether the variation block's nominal of event le is in
// XWGTUP's normalisation (within the rounding of printed weights).
func (lw *lheWeights) check(le *lhe.Event) {
	if lw.nominal < 0 {
		return
	}
	nom := le.Weights[lw.nominal]
	if nom == 0 {
		if le.Weight != 0 {
			lw.nomZero++
		}
		return
	}
	if math.Abs(nom-le.Weight) > 2e-3*math.Max(math.Abs(nom), math.Abs(le.Weight)) {
		if lw.nomOff == 0 {
			lw.firstOff.index, lw.firstOff.xwgtup, lw.firstOff.nom = le.Index, le.Weight, nom
		}
		lw.nomOff++
	}
}

// fill writes the weights of event le times eff into w and reports whether
// one is negative. Non-finite weights are an error naming the benchmark.
func (lw *lheWeights) fill(w []float64, le *lhe.Event, eff float64) (neg bool, err error) {
	lw.check(le)
	for b := range w {
		var raw float64
		switch {
		case b < lw.nPhys && lw.source[b] >= 0:
			raw = le.Weights[lw.source[b]]
		case b < lw.nPhys:
			raw = le.Weight
		case lw.varSrc[b-lw.nPhys] >= 0:
			k := lw.varSrc[b-lw.nPhys]
			raw = le.Weights[k]
			if lw.nominal >= 0 && k != lw.nominal {
				if nom := le.Weights[lw.nominal]; nom != 0 {
					raw *= lw.reference(le) / nom
				}
			}
		default:
			// No variation in this sample: the nominal weight of the
			// reference benchmark, times a norm factor.
			raw = lw.reference(le) * lw.varFac[b-lw.nPhys]
		}
		if math.IsNaN(raw) || math.IsInf(raw, 0) {
			return false, fmt.Errorf("weight of benchmark %q is %v", lw.names[b], raw)
		}
		w[b] = raw * eff
		neg = neg || w[b] < 0
	}
	return neg, nil
}

// lheBatch is a batch of parsed events handed from the reading goroutine
// to the analysis.
type lheBatch struct {
	ev []lhe.Event
	n  int
}

// eventStream yields the events of a reader in file order, parsed by a
// goroutine one batch ahead of the consumer.
type eventStream struct {
	next    <-chan *lhe.Event // closed at the end of the file or on an error
	done    chan struct{}
	stopped bool
	wg      sync.WaitGroup
}

const lheBatchSize = 256

func readAhead(r *lhe.Reader) *eventStream {
	batches := make(chan *lheBatch, 1)
	free := make(chan *lheBatch, 4)
	for i := 0; i < 4; i++ {
		free <- &lheBatch{ev: make([]lhe.Event, lheBatchSize)}
	}
	next := make(chan *lhe.Event)
	es := &eventStream{next: next, done: make(chan struct{})}
	es.wg.Add(2)
	// The reader: fills free batches.
	go func() {
		defer es.wg.Done()
		defer close(batches)
		for {
			var b *lheBatch
			select {
			case b = <-free:
			case <-es.done:
				return
			}
			b.n = r.ReadBatch(b.ev)
			if b.n == 0 {
				return
			}
			select {
			case batches <- b:
			case <-es.done:
				return
			}
			if b.n < len(b.ev) {
				return
			}
		}
	}()
	// The dispatcher: hands out the events of each batch in order. A batch
	// goes back to the reader only when the consumer has taken the first
	// event of the following batch, that is, when it is done with the
	// batch's last event.
	go func() {
		defer es.wg.Done()
		defer close(next)
		var prev *lheBatch
		for b := range batches {
			for i := 0; i < b.n; i++ {
				select {
				case next <- &b.ev[i]:
				case <-es.done:
					return
				}
				if prev != nil {
					free <- prev
					prev = nil
				}
			}
			prev = b
		}
	}()
	return es
}

// stop ends the goroutines (idempotent) and waits for both, so that the
// reader is no longer in use.
func (es *eventStream) stop() {
	if !es.stopped {
		es.stopped = true
		close(es.done)
	}
	es.wg.Wait()
}
