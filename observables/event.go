// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"math"
	"slices"
)

// Kind names an object collection of an Event.
type Kind int

// The collections of an Event.
const (
	KindP      Kind = iota // all final-state particles, file order
	KindPTruth             // unsmeared final-state particles, file order
	KindE                  // electrons
	KindMu                 // muons
	KindTau                // taus
	KindL                  // leptons (e and mu)
	KindA                  // photons
	KindJ                  // jets
	KindV                  // neutrinos
	KindIn                 // incoming particles (LHE status -1), file order
	numKinds
)

var kindNames = [numKinds]string{"p", "p_truth", "e", "mu", "tau", "l", "a", "j", "v", "p_in"}

// String returns the name of the collection in expressions.
func (k Kind) String() string {
	if k < 0 || k >= numKinds {
		return "unknown"
	}
	return kindNames[k]
}

// Event holds the physics objects of one collision event.
//
// An Event is meant to be reused: a reader calls Reset, adds the particles
// of the next event with AddLHE or AddObject, and calls Finish (or
// FinishWith) before observables are evaluated. An Event must not be used by
// several goroutines at once.
type Event struct {
	// Collections, filled by Finish; see the package documentation.
	P, PTruth, E, Mu, Tau, L, A, J, V []Particle
	// In holds the incoming particles of an LHE event (status -1), in
	// file order: for MG5 the parton of beam 1 (+z), then that of beam 2.
	// They are never smeared nor cut.
	In []Particle

	// MET is the missing transverse momentum (pz = 0, E = |pT|).
	MET Particle
	// Visible is the sum of the visible objects and All = Visible + MET.
	Visible, All Particle
	// HT is the scalar pT sum of the visible objects.
	HT float64

	// Weight is the event weight of the sampling benchmark.
	Weight float64
	// Event-level LHE information: the scale and the couplings.
	Scale, AlphaQED, AlphaQCD float64
	// NParticles is the number of particle lines of the LHE event.
	NParticles int

	lhe    bool // particles came through AddLHE
	metSet bool // MET set explicitly by SetMET
	lSet   bool // leptons added explicitly

	gen uint64 // incremented by Finish; lets expression environments rebind
	env *evalEnv
}

// Reset empties the event and keeps the allocated storage.
func (ev *Event) Reset() {
	ev.P = ev.P[:0]
	ev.PTruth = ev.PTruth[:0]
	ev.E = ev.E[:0]
	ev.Mu = ev.Mu[:0]
	ev.Tau = ev.Tau[:0]
	ev.L = ev.L[:0]
	ev.A = ev.A[:0]
	ev.J = ev.J[:0]
	ev.V = ev.V[:0]
	ev.In = ev.In[:0]
	ev.MET = Particle{}
	ev.Visible = Particle{}
	ev.All = Particle{}
	ev.HT = 0
	ev.Weight = 0
	ev.Scale, ev.AlphaQED, ev.AlphaQCD = 0, 0, 0
	ev.NParticles = 0
	ev.lhe, ev.metSet, ev.lSet = false, false, false
}

// AddLHE adds one particle line of an LHE event whose helicity is not
// known (for instance a generator record read from HepMC); it is
// AddLHESpin with spin 9, the Les Houches code for "unknown".
func (ev *Event) AddLHE(pdg, status int, px, py, pz, e float64) {
	ev.AddLHESpin(pdg, status, px, py, pz, e, 9)
}

// AddLHESpin adds one particle line of an LHE event with its SPINUP
// column (for MG5 the helicity, ±1 for fermions and photons, -1, 0 or 1
// for massive vector bosons, 0 for scalars; 9 if unknown). Final-state
// particles (status 1) go into the collections, as in MadMiner; incoming
// particles (status -1) into In (p_in); other lines are dropped. Finish
// sorts them into collections.
func (ev *Event) AddLHESpin(pdg, status int, px, py, pz, e, spin float64) {
	ev.lhe = true
	if status != 1 && status != -1 {
		return
	}
	p := NewParticle(pdg, px, py, pz, e)
	p.Status = status
	p.Helicity = spin
	if status == -1 {
		ev.In = append(ev.In, p)
		return
	}
	ev.PTruth = append(ev.PTruth, p)
}

// AddObject adds a reconstructed object (for instance a Delphes jet) to the
// collection k. Objects added this way are not reclassified by Finish;
// leptons are copied from e and mu unless some were added to KindL directly.
// It panics if k is not one of the Kind constants.
func (ev *Event) AddObject(k Kind, p Particle) {
	c := ev.collection(k)
	if c == nil {
		panic("observables: unknown collection kind")
	}
	if k == KindL {
		ev.lSet = true
	}
	*c = append(*c, p)
}

// collection returns a pointer to the collection k, nil if k is not one
// of the Kind constants.
func (ev *Event) collection(k Kind) *[]Particle {
	switch k {
	case KindP:
		return &ev.P
	case KindPTruth:
		return &ev.PTruth
	case KindE:
		return &ev.E
	case KindMu:
		return &ev.Mu
	case KindTau:
		return &ev.Tau
	case KindL:
		return &ev.L
	case KindA:
		return &ev.A
	case KindJ:
		return &ev.J
	case KindV:
		return &ev.V
	case KindIn:
		return &ev.In
	}
	return nil
}

// SetMET sets the missing transverse momentum (for instance from a Delphes
// MissingET branch) from its components; E is set to |pT|.
func (ev *Event) SetMET(px, py float64) {
	ev.metSet = true
	ev.MET = Particle{Px: px, Py: py, E: math.Hypot(px, py)}
}

// SetMETPolar sets the missing transverse momentum from its magnitude and
// azimuth, as Delphes stores it (MissingET.MET, MissingET.Phi).
func (ev *Event) SetMETPolar(met, phi float64) {
	s, c := math.Sincos(phi)
	ev.metSet = true
	ev.MET = Particle{Px: met * c, Py: met * s, E: math.Abs(met)}
}

// Collection returns the collection k.
func (ev *Event) Collection(k Kind) []Particle {
	if c := ev.collection(k); c != nil {
		return *c
	}
	return nil
}

// Finish builds the collections without smearing or acceptance cuts. It is
// FinishWith(nil, nil).
func (ev *Event) Finish() {
	ev.FinishWith(nil, nil)
}

// IsVisible reports whether MadMiner counts a particle with this PDG id as
// visible for the missing-momentum and HT sums: every Standard Model quark,
// charged lepton, gauge boson and the Higgs boson, but no neutrino.
func IsVisible(pdg int) bool {
	a := pdg
	if a < 0 {
		a = -a
	}
	switch {
	case a >= 1 && a <= 6:
		return true
	case a == 11 || a == 13 || a == 15:
		return true
	case a >= 21 && a <= 25:
		return true
	}
	return false
}

// classify appends an LHE particle to its collections, as MadMiner's
// _get_objects does.
func (ev *Event) classify(p Particle) {
	a := p.PDGID
	if a < 0 {
		a = -a
	}
	switch {
	case (a >= 1 && a <= 6) || a == 9 || a == 21:
		ev.J = append(ev.J, p)
	case a == 11:
		ev.E = append(ev.E, p)
		ev.L = append(ev.L, p)
	case a == 13:
		ev.Mu = append(ev.Mu, p)
		ev.L = append(ev.L, p)
	case a == 15:
		ev.Tau = append(ev.Tau, p)
	case a == 22:
		ev.A = append(ev.A, p)
	case a == 12 || a == 14 || a == 16:
		ev.V = append(ev.V, p)
	}
}

func byPtDesc(a, b Particle) int {
	pa, pb := a.Pt2(), b.Pt2()
	switch {
	case pa > pb:
		return -1
	case pa < pb:
		return 1
	}
	return 0
}

// FinishWith builds the collections, applying the detector model d (nil
// means none) with random numbers from src (which may be nil only when d
// does not smear).
//
// For LHE events (AddLHE) it smears the final-state particles into P (PTruth
// keeps the originals), sorts them into collections, and computes MET, HT,
// Visible and All from the visible particles, as MadMiner's LHE reader does.
// For reconstructed objects (AddObject) it builds L from E and Mu if needed,
// and Visible = Σ e, mu, a, j and All = Visible + MET, as MadMiner's Delphes
// reader does. In both cases the acceptance cuts of d are applied to e, mu,
// a and j (and l), and every collection except P and PTruth is sorted by
// descending pT (stably, so ties keep their order).
func (ev *Event) FinishWith(d *Detector, src Source) {
	ev.gen++
	if ev.lhe {
		ev.finishLHE(d, src)
	} else {
		ev.finishObjects(d)
	}
	for _, c := range [...][]Particle{ev.E, ev.Mu, ev.Tau, ev.L, ev.A, ev.J, ev.V} {
		slices.SortStableFunc(c, byPtDesc)
	}
}

func (ev *Event) finishLHE(d *Detector, src Source) {
	ev.P = ev.P[:0]
	ev.E, ev.Mu, ev.Tau, ev.L = ev.E[:0], ev.Mu[:0], ev.Tau[:0], ev.L[:0]
	ev.A, ev.J, ev.V = ev.A[:0], ev.J[:0], ev.V[:0]
	for _, p := range ev.PTruth {
		if d != nil {
			p = d.smear(p, src)
		}
		ev.P = append(ev.P, p)
	}
	var vis Particle
	ht := 0.0
	for _, p := range ev.P {
		if d != nil && !d.Acceptance.accepts(p) {
			continue
		}
		ev.classify(p)
	}
	for _, p := range ev.P {
		if IsVisible(p.PDGID) {
			vis = vis.Add(p)
			ht += p.Pt()
		}
	}
	ev.Visible = vis
	ev.HT = ht
	if !ev.metSet {
		mx, my := -vis.Px, -vis.Py
		if d != nil {
			mx, my = d.metNoise(mx, my, ht, src)
		}
		ev.MET = Particle{Px: mx, Py: my, E: math.Hypot(mx, my)}
	}
	ev.All = vis.Add(ev.MET)
}

func (ev *Event) finishObjects(d *Detector) {
	if d != nil {
		acc := d.Acceptance
		ev.E = filterCut(ev.E, acc.E)
		ev.Mu = filterCut(ev.Mu, acc.Mu)
		ev.A = filterCut(ev.A, acc.A)
		ev.J = filterCut(ev.J, acc.J)
		if ev.lSet {
			n := 0
			for _, p := range ev.L {
				if acc.accepts(p) {
					ev.L[n] = p
					n++
				}
			}
			ev.L = ev.L[:n]
		}
	}
	if !ev.lSet {
		ev.L = append(ev.L[:0], ev.E...)
		ev.L = append(ev.L, ev.Mu...)
	}
	var vis Particle
	ht := 0.0
	for _, c := range [...][]Particle{ev.E, ev.J, ev.Mu, ev.A} {
		for _, p := range c {
			vis = vis.Add(p)
			ht += p.Pt()
		}
	}
	ev.Visible = vis
	ev.HT = ht
	ev.All = vis.Add(ev.MET)
}
