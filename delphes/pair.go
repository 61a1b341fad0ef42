// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/lhe"
)

// PairParton is an incoming parton of the hard process.
type PairParton struct {
	PID int     // PDG id
	Pz  float64 // longitudinal momentum in GeV
}

// PairKey identifies an event along the chain LHE → shower → detector.
//
// Pythia 8 does not keep the LHE event number: main42 numbers the HepMC
// events it writes 0, 1, 2, ..., so an LHE event that yields no HepMC
// event (its shower failed ten times, or a user hook such as MLM matching
// vetoed it) shifts every later number by one without a trace. Delphes then copies the
// HepMC number into Event.Number. Neither number identifies the LHE
// event, and the weights do not either: unweighted MG5 events all have
// the same nominal weight.
//
// What does identify it is the hard process. Pythia 8 copies the two
// incoming partons of the LHE event (status -1) into its event record
// with status -21, written to HepMC as status 21 and kept by Delphes in
// its Particle branch. Their PDG ids and longitudinal momenta pz, which
// Pythia recomputes from x1, x2 and the beam energy, agree with the LHE
// values to about 1e-11 (HepMC3 text) or 1e-7 (Delphes' float32), while
// they are continuous and differ from event to event. PairKey holds
// them, with the event's named weights as a second check: a weight that
// the event and its LHE event both carry (HepMC's AUX_<id> for LHE
// weight <id>) must agree too, or the events come from different
// samples. Without partons on both sides, the weights alone pair the
// events; without those, only the order and the counts can be checked.
//
// A Delphes file need not have its Particle branch for this, which is
// most of its size and reading time: Delphes' HepMC readers copy HepMC's
// GenPdfInfo, which Pythia 8 fills with the PDG ids and momentum
// fractions x of the same two partons, into the Event branch (ID1, ID2,
// X1, X2). The Pairer turns those into pz with the beam energies of the
// LHE file (pz = x1·E1 and −x2·E2); in float32 they agree with the LHE
// pz to about 1e-7.
type PairKey struct {
	// In holds the two incoming partons of the hard process, the one
	// with the larger pz first, when HasIn.
	In    [2]PairParton
	HasIn bool
	// InX says that In holds momentum fractions with the sign of pz
	// (x1, −x2) instead of pz: the Pairer scales them by the beam
	// energies of the LHE file.
	InX bool
	// Weights are the event's weights in the order of
	// PairOptions.WeightNames (for LHE keys: of the LHE header).
	Weights []float64
}

// LHEKey returns the pairing key of an LHE event: its incoming partons
// (status -1). Its weights are set by the Pairer.
func LHEKey(ev *lhe.Event) PairKey {
	return partonKey(ev.Particles, nil, func(p *lhe.Particle) (int, float64, bool) { return p.PDGID, p.Pz, p.Status == -1 })
}

// HepMCKey returns the pairing key of a HepMC event written by Pythia 8:
// its particles of status 21 and its weights in file order.
func HepMCKey(ev *hepmc.Event) PairKey {
	return partonKey(ev.Particles, ev.Weights, func(p *hepmc.Particle) (int, float64, bool) { return p.PID, p.Pz, p.Status == 21 })
}

// DelphesKey returns the pairing key of a Delphes event: the status-21
// particles of its Particle collection (empty unless read) or else the
// incoming partons of its Event branch (ID1, X1, ID2, X2; see PairKey),
// and its Weight branch, which Delphes fills with the HepMC weights in
// order.
func DelphesKey(ev *Event) PairKey {
	k := partonKey(ev.Particles, ev.Weights, func(p *Particle) (int, float64, bool) { return p.PID, p.Pz, p.Status == 21 })
	if !k.HasIn && ev.ID1 != 0 && ev.ID2 != 0 && ev.X1 > 0 && ev.X2 > 0 {
		k.In = [2]PairParton{{PID: ev.ID1, Pz: ev.X1}, {PID: ev.ID2, Pz: -ev.X2}}
		k.HasIn, k.InX = true, true
	}
	return k
}

// partonKey returns the key with the weights w and the particles of ps
// that in reports as incoming, given by PDG id and pz.
func partonKey[P any](ps []P, w []float64, in func(*P) (pid int, pz float64, ok bool)) PairKey {
	k := PairKey{Weights: w}
	n := 0
	for i := range ps {
		pid, pz, ok := in(&ps[i])
		if !ok {
			continue
		}
		if n < 2 {
			k.In[n] = PairParton{PID: pid, Pz: pz}
		}
		n++
	}
	k.setIn(n)
	return k
}

// setIn validates the n incoming partons found and orders them.
func (k *PairKey) setIn(n int) {
	k.HasIn = n == 2
	if !k.HasIn {
		k.In = [2]PairParton{}
		return
	}
	if k.In[1].Pz > k.In[0].Pz {
		k.In[0], k.In[1] = k.In[1], k.In[0]
	}
}

// PairOptions configures a Pairer. A nil *PairOptions means defaults.
type PairOptions struct {
	// RelTol is the relative tolerance of equal momenta and weights; 0
	// means 1e-6, enough for Delphes' float32 values.
	RelTol float64
	// WeightNames names the weights of the stream's keys, as in the
	// HepMC run information (for a Delphes file: of the HepMC file it
	// was made from). A name equal to an LHE weight id, or to AUX_ and
	// the id (Pythia 8's names), is compared with that LHE weight; other
	// names are not compared. nil compares no weights.
	WeightNames []string
	// AllowDropped accepts LHE events without a stream event, which the
	// shower or the detector simulation dropped, as long as the partons
	// (or, for events at the end, the weights) show which ones they are.
	// The default (false) makes them an error, so that event counts must
	// agree.
	AllowDropped bool
	// Prefix says that the stream was made from the first events of the
	// LHE file only: LHE events after the last paired one are not
	// dropped events, and Finish does not read them.
	Prefix bool
	// OnDrop, if not nil, is called with each dropped LHE event (when
	// AllowDropped), valid during the call.
	OnDrop func(ev *lhe.Event)
}

// PairReport summarises a pairing.
type PairReport struct {
	// Mode is how the events were paired: "partons" (incoming partons
	// and the named weights), "weights" (named weights only) or
	// "position" (nothing to compare: order and counts only).
	Mode string
	// Events is the number of paired stream events; LHEEvents the
	// number of LHE events read.
	Events, LHEEvents int
	// Weights is the number of weights compared per event.
	Weights int
	// Dropped is the number of LHE events without a stream event;
	// DroppedFirst lists the first of them (0-based LHE indices, at most
	// 100).
	Dropped      int
	DroppedFirst []int
}

// Pairer pairs a stream of showered or detector-level events with the
// LHE events they were made from, in step, without holding more than one
// event of each: the stream may lack events of the LHE file, but never
// reorders them.
type Pairer struct {
	lr   *lhe.Reader
	tol  float64
	opts PairOptions
	// lheIdx[i] is the LHE weight index compared with stream weight
	// wIdx[i].
	lheIdx, wIdx []int
	rep          PairReport
	lheKey       PairKey // key of the current LHE event
	pending      bool    // the current LHE event is read but unpaired
	done         bool    // the LHE file has ended
}

// NewPairer returns a Pairer reading the LHE events from lr.
func NewPairer(lr *lhe.Reader, opts *PairOptions) *Pairer {
	p := &Pairer{lr: lr, tol: 1e-6}
	if opts != nil {
		p.opts = *opts
		if opts.RelTol > 0 {
			p.tol = opts.RelTol
		}
	}
	for i, name := range p.opts.WeightNames {
		for _, id := range []string{name, strings.TrimPrefix(name, "AUX_")} {
			if j, ok := lr.Header().WeightIndex(id); ok {
				p.lheIdx = append(p.lheIdx, j)
				p.wIdx = append(p.wIdx, i)
				break
			}
		}
	}
	p.rep.Weights = len(p.lheIdx)
	return p
}

// errLHEEnd reports the end of the LHE file in readLHE.
var errLHEEnd = errors.New("end of the LHE file")

// readLHE makes the next LHE event current.
func (p *Pairer) readLHE() error {
	if p.done {
		return errLHEEnd
	}
	if !p.lr.Next() {
		p.done = true
		if err := p.lr.Err(); err != nil {
			return err
		}
		return errLHEEnd
	}
	ev := p.lr.Event()
	p.rep.LHEEvents++
	p.lheKey = LHEKey(ev)
	p.lheKey.Weights = p.lheKey.Weights[:0]
	for _, j := range p.lheIdx {
		p.lheKey.Weights = append(p.lheKey.Weights, ev.Weights[j])
	}
	p.pending = true
	return nil
}

func (p *Pairer) close(a, b float64) bool {
	d := math.Abs(a - b)
	return d <= p.tol*math.Max(math.Abs(a), math.Abs(b)) || d < 1e-300
}

func (p *Pairer) samePartons(a, b *PairKey) bool {
	for i := range a.In {
		if a.In[i].PID != b.In[i].PID || !p.close(a.In[i].Pz, b.In[i].Pz) {
			return false
		}
	}
	return true
}

// weightDiff returns the index (into lheIdx) of the first compared
// weight that differs between stream key k and LHE key l, or -1.
func (p *Pairer) weightDiff(k, l *PairKey) int {
	for i, wi := range p.wIdx {
		if !p.close(k.Weights[wi], l.Weights[i]) {
			return i
		}
	}
	return -1
}

// Next returns the LHE event that the next stream event, with key k, was
// made from. where names that event in errors (e.g. "HepMC event 12
// (line 3456)"). The returned event is valid until the next call.
func (p *Pairer) Next(k PairKey, where string) (*lhe.Event, error) {
	i := p.rep.Events
	for _, wi := range p.wIdx {
		if wi >= len(k.Weights) {
			return nil, fmt.Errorf("delphes: pair: %s has %d weights, but %d are named", where, len(k.Weights), len(p.opts.WeightNames))
		}
	}
	if k.InX {
		// Momentum fractions x1 and −x2 of beams 1 and 2: pz.
		e := p.lr.Header().Init.Energies
		k.In[0].Pz *= e[0]
		k.In[1].Pz *= e[1]
		k.InX = false
		k.setIn(2)
	}
	if !p.pending {
		if err := p.readLHE(); err == errLHEEnd {
			return nil, fmt.Errorf("delphes: pair: %s has no LHE event: the LHE file has only %d events", where, p.rep.LHEEvents)
		} else if err != nil {
			return nil, err
		}
	}
	ev := p.lr.Event()
	mode := "position"
	switch {
	case k.HasIn && p.lheKey.HasIn:
		mode = "partons"
	case len(p.wIdx) > 0:
		mode = "weights"
	}
	if i == 0 {
		p.rep.Mode = mode
	} else if mode != p.rep.Mode {
		return nil, fmt.Errorf("delphes: pair: %s and LHE event %d (line %d) can only be paired by %s, the events before them were paired by %s", where, ev.Index, ev.Line, mode, p.rep.Mode)
	}

	match := func() bool {
		switch mode {
		case "partons":
			return p.samePartons(&k, &p.lheKey)
		case "weights":
			return p.weightDiff(&k, &p.lheKey) < 0
		}
		return true
	}
	first, firstLine := ev.Index, ev.Line
	for !match() {
		if mode != "partons" {
			return nil, fmt.Errorf("delphes: pair: %s: its weights differ from those of LHE event %d (line %d), its partner by position, and without the hard-process partons on both sides dropped events cannot be found", where, ev.Index, ev.Line)
		}
		if p.opts.AllowDropped {
			p.drop(ev)
		}
		p.pending = false
		if err := p.readLHE(); err == errLHEEnd {
			return nil, fmt.Errorf("delphes: pair: %s (incoming %v) matches no LHE event from event %d (line %d) on: reordered events, or a different LHE file", where, k.In, first, firstLine)
		} else if err != nil {
			return nil, err
		}
		ev = p.lr.Event()
	}
	if ev.Index > first && !p.opts.AllowDropped {
		return nil, fmt.Errorf("delphes: pair: %s was made from LHE event %d (line %d), not from LHE event %d: the %d LHE events %d to %d have no partner (dropped by the shower or the detector simulation)", where, ev.Index, ev.Line, first, ev.Index-first, first, ev.Index-1)
	}
	if mode == "partons" {
		if d := p.weightDiff(&k, &p.lheKey); d >= 0 {
			return nil, fmt.Errorf("delphes: pair: %s has the incoming partons of LHE event %d (line %d) but weight %s = %g where the LHE event has %s = %g: a different sample or reweighting",
				where, ev.Index, ev.Line, p.opts.WeightNames[p.wIdx[d]], k.Weights[p.wIdx[d]], p.lr.Header().Weights[p.lheIdx[d]].ID, p.lheKey.Weights[d])
		}
	}
	p.pending = false
	p.rep.Events++
	return ev, nil
}

// drop counts the LHE event ev as dropped.
func (p *Pairer) drop(ev *lhe.Event) {
	p.rep.Dropped++
	if len(p.rep.DroppedFirst) < 100 {
		p.rep.DroppedFirst = append(p.rep.DroppedFirst, ev.Index)
	}
	if p.opts.OnDrop != nil {
		p.opts.OnDrop(ev)
	}
}

// Finish is called at the end of the stream. It reads the rest of the
// LHE file: LHE events left over are an error unless AllowDropped.
func (p *Pairer) Finish() (*PairReport, error) {
	if p.pending && !p.opts.Prefix {
		p.pending = false
		p.drop(p.lr.Event())
	}
	for !p.opts.Prefix {
		err := p.readLHE()
		if err == errLHEEnd {
			break
		}
		if err != nil {
			return nil, err
		}
		p.pending = false
		p.drop(p.lr.Event())
	}
	rep := p.rep
	if rep.Mode == "" {
		rep.Mode = "position"
	}
	switch {
	case rep.Dropped > 0 && !p.opts.AllowDropped:
		return &rep, fmt.Errorf("delphes: pair: %d stream events but %d LHE events: %d LHE events have no partner (the first: %v)", rep.Events, rep.LHEEvents, rep.Dropped, rep.DroppedFirst[:min(len(rep.DroppedFirst), 5)])
	case rep.Dropped > 0 && rep.Mode == "position":
		return &rep, fmt.Errorf("delphes: pair: %d stream events but %d LHE events, and neither incoming partons nor weights to tell which LHE events have no partner", rep.Events, rep.LHEEvents)
	}
	return &rep, nil
}

// PairHepMC pairs every event of the HepMC file read by hr with the LHE
// event of lr it was showered from (see Pairer), comparing the HepMC
// weights named like LHE weights (AUX_<id>) with them. Both readers are
// read to their end.
func PairHepMC(lr *lhe.Reader, hr *hepmc.Reader, opts *PairOptions) (*PairReport, error) {
	o := PairOptions{}
	if opts != nil {
		o = *opts
	}
	if o.WeightNames == nil {
		o.WeightNames = hr.WeightNames()
	}
	p := NewPairer(lr, &o)
	for hr.Next() {
		ev := hr.Event()
		if _, err := p.Next(HepMCKey(ev), fmt.Sprintf("HepMC event %d (line %d)", ev.Number, ev.Line)); err != nil {
			return nil, err
		}
	}
	if err := hr.Err(); err != nil {
		return nil, err
	}
	return p.Finish()
}

// PairDelphes pairs every event of the Delphes file read by dr with the
// LHE event of lr it was made from (see Pairer). dr should be opened
// with Options.PairKey, so that it reads the hard-process partons (from
// the Event branch, or else the Particle collection) and the weights;
// without partons only the weights (opts.WeightNames: the names of the
// HepMC file's weights) or the counts are compared. Both readers are read
// to their end.
func PairDelphes(lr *lhe.Reader, dr *Reader, opts *PairOptions) (*PairReport, error) {
	p := NewPairer(lr, opts)
	for dr.Next() {
		ev := dr.Event()
		if _, err := p.Next(DelphesKey(ev), fmt.Sprintf("Delphes entry %d (event number %d)", ev.Entry, ev.Number)); err != nil {
			return nil, err
		}
	}
	if err := dr.Err(); err != nil {
		return nil, err
	}
	return p.Finish()
}
