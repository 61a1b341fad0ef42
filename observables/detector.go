// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// Source provides standard normal random numbers. *rand.Rand of math/rand/v2
// implements it; seed it for reproducible smearing.
type Source interface {
	NormFloat64() float64
}

// Resolution is a Gaussian measurement error with standard deviation
// Abs + Rel·|X| for a true value X. Derived marks a quantity that is not
// smeared but computed from the on-shell condition (MadMiner's None); only
// the energy or the pT of a particle may be derived, not both.
type Resolution struct {
	Abs, Rel float64
	Derived  bool
}

func (r Resolution) zero() bool { return !r.Derived && r.Abs == 0 && r.Rel == 0 }

// sigma returns the standard deviation for the true value x.
func (r Resolution) sigma(x float64) float64 { return r.Abs + r.Rel*math.Abs(x) }

// Smearing holds the resolutions of one particle type, as in MadMiner's
// LHEReader.set_smearing.
type Smearing struct {
	E, Pt, Eta, Phi Resolution
}

// ObjectCut is an object acceptance: objects with pT < PtMin or |η| > EtaMax are
// removed. A zero field means no requirement.
type ObjectCut struct {
	PtMin, EtaMax float64
}

func (c ObjectCut) accepts(p Particle) bool {
	if c.PtMin > 0 && p.Pt() < c.PtMin {
		return false
	}
	if c.EtaMax > 0 && math.Abs(p.Eta()) > c.EtaMax {
		return false
	}
	return true
}

// Acceptance holds the object acceptance per object type, as in MadMiner's
// DelphesReader.set_acceptance.
type Acceptance struct {
	E, Mu, A, J ObjectCut
}

// accepts applies the cut for the collection an LHE particle goes to.
func (a Acceptance) accepts(p Particle) bool {
	abs := p.PDGID
	if abs < 0 {
		abs = -abs
	}
	switch {
	case abs == 11:
		return a.E.accepts(p)
	case abs == 13:
		return a.Mu.accepts(p)
	case abs == 22:
		return a.A.accepts(p)
	case (abs >= 1 && abs <= 6) || abs == 9 || abs == 21:
		return a.J.accepts(p)
	}
	return true
}

func filterCut(ps []Particle, c ObjectCut) []Particle {
	if c == (ObjectCut{}) {
		return ps
	}
	n := 0
	for _, p := range ps {
		if c.accepts(p) {
			ps[n] = p
			n++
		}
	}
	return ps[:n]
}

// Detector is a simple detector model: Gaussian smearing per PDG id, noise on
// the missing transverse momentum and object acceptance. The zero value does
// nothing.
type Detector struct {
	// Smearing maps signed PDG ids to resolutions. Particles without an
	// entry are not smeared.
	Smearing map[int]Smearing
	// METNoise adds Gaussian noise with standard deviation
	// METNoise.Abs + METNoise.Rel·HT to each of the x and y components of the
	// missing transverse momentum (MadMiner's set_met_noise).
	METNoise Resolution
	// Acceptance removes objects outside the acceptance before observables
	// are evaluated.
	Acceptance Acceptance
}

// SetSmearing sets the resolutions s for the given PDG ids, or, when pdgs is
// empty, for every visible Standard Model particle (IsVisible), as MadMiner's
// set_smearing(pdgids=None).
func (d *Detector) SetSmearing(s Smearing, pdgs ...int) {
	if d.Smearing == nil {
		d.Smearing = make(map[int]Smearing)
	}
	if len(pdgs) == 0 {
		for a := 1; a <= 25; a++ {
			if IsVisible(a) {
				d.Smearing[a] = s
				d.Smearing[-a] = s
			}
		}
		return
	}
	for _, id := range pdgs {
		d.Smearing[id] = s
	}
}

// Validate reports an error for a configuration that cannot be applied.
func (d *Detector) Validate() error {
	for _, id := range slices.Sorted(maps.Keys(d.Smearing)) {
		s := d.Smearing[id]
		if s.E.Derived && s.Pt.Derived {
			return fmt.Errorf("observables: smearing for PDG id %d: cannot derive both pT and energy from the on-shell condition", id)
		}
		for _, r := range [...]Resolution{s.E, s.Pt, s.Eta, s.Phi} {
			if r.Abs < 0 || r.Rel < 0 || math.IsNaN(r.Abs) || math.IsNaN(r.Rel) {
				return fmt.Errorf("observables: smearing for PDG id %d: negative or NaN resolution %+v", id, r)
			}
		}
		if s.Eta.Derived || s.Phi.Derived {
			return fmt.Errorf("observables: smearing for PDG id %d: only energy or pT can be derived", id)
		}
	}
	if d.METNoise.Abs < 0 || d.METNoise.Rel < 0 || d.METNoise.Derived {
		return fmt.Errorf("observables: invalid MET noise %+v", d.METNoise)
	}
	return nil
}

// maxRedraws bounds the redrawing of non-positive smeared energies and
// transverse momenta; after that many draws the true value is kept.
const maxRedraws = 1000

// smearPositive draws x + N(0, σ) until the result exceeds min.
func smearPositive(x float64, r Resolution, min float64, src Source) float64 {
	sd := r.sigma(x)
	if sd <= 0 {
		return x
	}
	for range maxRedraws {
		y := x + sd*src.NormFloat64()
		if y > min {
			return y
		}
	}
	return x
}

func smearValue(x float64, r Resolution, src Source) float64 {
	sd := r.sigma(x)
	if sd <= 0 {
		return x
	}
	return x + sd*src.NormFloat64()
}

// smear returns the smeared particle, following MadMiner's _smear_particles:
// E, pT, η and φ are smeared independently, and a derived E or pT is
// computed from the on-shell condition with the true mass. Particles with
// zero pT are not smeared.
func (d *Detector) smear(p Particle, src Source) Particle {
	s, ok := d.Smearing[p.PDGID]
	if !ok || (s.E.zero() && s.Pt.zero() && s.Eta.zero() && s.Phi.zero()) {
		return p
	}
	if p.Px == 0 && p.Py == 0 {
		// Along the beam η is infinite and the (pT, η, φ) parametrisation
		// breaks down; such particles are left as they are.
		return p
	}
	m := p.M()
	minE := 0.0
	if s.Pt.Derived {
		minE = m
	}
	var e, pt float64
	if !s.E.Derived {
		e = smearPositive(p.E, s.E, minE, src)
	}
	if !s.Pt.Derived {
		pt = smearPositive(p.Pt(), s.Pt, 0, src)
	}
	eta := smearValue(p.Eta(), s.Eta, src)
	phi := smearValue(p.Phi(), s.Phi, src)

	var q Particle
	switch {
	case s.E.Derived:
		q = NewPtEtaPhiM(p.PDGID, pt, eta, phi, m)
	case s.Pt.Derived:
		pt = 0
		if e > m {
			pt = math.Sqrt(e*e-m*m) / math.Cosh(eta)
		}
		q = NewPtEtaPhiE(p.PDGID, pt, eta, phi, e)
	default:
		q = NewPtEtaPhiE(p.PDGID, pt, eta, phi, e)
	}
	q.Status, q.Helicity = p.Status, p.Helicity
	return q
}

// metNoise adds the MET noise to (mx, my).
func (d *Detector) metNoise(mx, my, ht float64, src Source) (float64, float64) {
	sd := d.METNoise.Abs + d.METNoise.Rel*ht
	if sd <= 0 {
		return mx, my
	}
	mx += sd * src.NormFloat64()
	my += sd * src.NormFloat64()
	return mx, my
}
