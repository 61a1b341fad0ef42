// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import "math"

// Particle is a four-momentum (in GeV) with the particle-level information
// MadMiner attaches to it. The zero value is a null vector.
//
// Methods have value receivers and do not modify the particle.
type Particle struct {
	Px, Py, Pz, E float64

	PDGID  int     // PDG id; 0 for sums of particles
	Charge float64 // electric charge in units of e
	Status int     // generator status code (1 for final state, -1 incoming)
	// Helicity is the LHE SPINUP column: for MG5 the helicity (±1 for
	// fermions, -1, 0, 1 for massive vector bosons, 0 for scalars), 9 if
	// unknown. Sums of particles and reconstructed objects have 0.
	Helicity float64

	BTag, TauTag, TopTag bool
}

// NewParticle returns the particle with the given PDG id and momentum. Its
// charge and tags are set from the PDG id as MadMiner's set_pdgid does.
func NewParticle(pdg int, px, py, pz, e float64) Particle {
	p := Particle{Px: px, Py: py, Pz: pz, E: e}
	p.SetPDGID(pdg)
	return p
}

// NewPtEtaPhiE returns the particle with the given transverse momentum,
// pseudorapidity, azimuth and energy.
func NewPtEtaPhiE(pdg int, pt, eta, phi, e float64) Particle {
	s, c := math.Sincos(phi)
	return NewParticle(pdg, pt*c, pt*s, pt*math.Sinh(eta), e)
}

// NewPtEtaPhiM returns the particle with the given transverse momentum,
// pseudorapidity, azimuth and mass. A negative m stands for a negative m²,
// as in M.
func NewPtEtaPhiM(pdg int, pt, eta, phi, m float64) Particle {
	s, c := math.Sincos(phi)
	pz := pt * math.Sinh(eta)
	p2 := pt*pt + pz*pz
	return NewParticle(pdg, pt*c, pt*s, pz, math.Sqrt(math.Max(0, p2+m*math.Abs(m))))
}

// SetPDGID sets the PDG id, the charge and the b, τ and top tags.
func (p *Particle) SetPDGID(pdg int) {
	p.PDGID = pdg
	p.Charge = PDGCharge(pdg)
	a := pdg
	if a < 0 {
		a = -a
	}
	p.BTag = a == 5
	p.TopTag = a == 6
	p.TauTag = a == 15
}

// Pt returns the transverse momentum sqrt(px²+py²).
func (p Particle) Pt() float64 { return math.Sqrt(p.Px*p.Px + p.Py*p.Py) }

// Pt2 returns px²+py².
func (p Particle) Pt2() float64 { return p.Px*p.Px + p.Py*p.Py }

// P returns the magnitude of the three-momentum.
func (p Particle) P() float64 { return math.Sqrt(p.Px*p.Px + p.Py*p.Py + p.Pz*p.Pz) }

// M2 returns the squared invariant mass E²-|p|².
func (p Particle) M2() float64 { return p.E*p.E - (p.Px*p.Px + p.Py*p.Py + p.Pz*p.Pz) }

// M returns the invariant mass. For space-like vectors (m² < 0) it returns
// -sqrt(-m²), as scikit-hep vector does.
func (p Particle) M() float64 {
	m2 := p.M2()
	return math.Copysign(math.Sqrt(math.Abs(m2)), m2)
}

// Eta returns the pseudorapidity asinh(pz/pT). It is 0 when pz is 0 and ±Inf
// along the beam axis.
func (p Particle) Eta() float64 {
	if p.Pz == 0 {
		return 0
	}
	return math.Asinh(p.Pz / p.Pt())
}

// Phi returns the azimuth atan2(py, px) in (-π, π].
func (p Particle) Phi() float64 { return math.Atan2(p.Py, p.Px) }

// Theta returns the polar angle in [0, π].
func (p Particle) Theta() float64 { return math.Atan2(p.Pt(), p.Pz) }

// Rapidity returns ½ ln((E+pz)/(E-pz)); 0 when pz is 0.
func (p Particle) Rapidity() float64 {
	if p.Pz == 0 {
		return 0
	}
	return 0.5 * math.Log((p.E+p.Pz)/(p.E-p.Pz))
}

// Et returns the transverse energy E pT/|p|.
func (p Particle) Et() float64 {
	pm := p.P()
	if pm == 0 {
		return 0
	}
	return p.E * p.Pt() / pm
}

// Mt returns the transverse mass sqrt(E²-pz²), signed like M.
func (p Particle) Mt() float64 {
	mt2 := p.E*p.E - p.Pz*p.Pz
	return math.Copysign(math.Sqrt(math.Abs(mt2)), mt2)
}

// Beta returns |p|/E.
func (p Particle) Beta() float64 { return p.P() / p.E }

// Gamma returns E/m.
func (p Particle) Gamma() float64 { return p.E / p.M() }

// DeltaPhi returns the signed azimuthal difference φ(p)-φ(q) wrapped into
// [-π, π) as ((Δφ + π) mod 2π) - π with a non-negative modulus, the
// convention of scikit-hep vector used by MadMiner.
func (p Particle) DeltaPhi(q Particle) float64 {
	return wrapPhi(p.Phi() - q.Phi())
}

func wrapPhi(d float64) float64 {
	const twoPi = 2 * math.Pi
	r := math.Mod(d+math.Pi, twoPi)
	if r < 0 {
		r += twoPi
	}
	return r - math.Pi
}

// DeltaEta returns η(p)-η(q).
func (p Particle) DeltaEta(q Particle) float64 { return p.Eta() - q.Eta() }

// DeltaRapidity returns y(p)-y(q).
func (p Particle) DeltaRapidity(q Particle) float64 { return p.Rapidity() - q.Rapidity() }

// DeltaR returns sqrt(Δη²+Δφ²) with pseudorapidities.
func (p Particle) DeltaR(q Particle) float64 {
	return math.Hypot(p.DeltaEta(q), p.DeltaPhi(q))
}

// DeltaRRapidity returns sqrt(Δy²+Δφ²) with rapidities.
func (p Particle) DeltaRRapidity(q Particle) float64 {
	return math.Hypot(p.DeltaRapidity(q), p.DeltaPhi(q))
}

// Add returns the four-vector sum p+q. As in MadMiner, the sum has PDG id 0,
// the summed charge, status 0, and each tag set if either input has it.
func (p Particle) Add(q Particle) Particle {
	return Particle{
		Px: p.Px + q.Px, Py: p.Py + q.Py, Pz: p.Pz + q.Pz, E: p.E + q.E,
		Charge: p.Charge + q.Charge,
		BTag:   p.BTag || q.BTag, TauTag: p.TauTag || q.TauTag, TopTag: p.TopTag || q.TopTag,
	}
}

// Sub returns the four-vector difference p-q, with the charge difference and
// the tags of either input.
func (p Particle) Sub(q Particle) Particle {
	return Particle{
		Px: p.Px - q.Px, Py: p.Py - q.Py, Pz: p.Pz - q.Pz, E: p.E - q.E,
		Charge: p.Charge - q.Charge,
		BTag:   p.BTag || q.BTag, TauTag: p.TauTag || q.TauTag, TopTag: p.TopTag || q.TopTag,
	}
}

// Scale returns the four-vector multiplied by f.
func (p Particle) Scale(f float64) Particle {
	p.Px *= f
	p.Py *= f
	p.Pz *= f
	p.E *= f
	return p
}

// Boost returns p boosted by the velocity (bx, by, bz), in units of c.
// It returns p unchanged when the velocity is zero.
func (p Particle) Boost(bx, by, bz float64) Particle {
	b2 := bx*bx + by*by + bz*bz
	if b2 == 0 {
		return p
	}
	g := 1 / math.Sqrt(1-b2)
	bp := bx*p.Px + by*p.Py + bz*p.Pz
	g2 := (g - 1) / b2
	f := g2*bp + g*p.E
	p.Px += f * bx
	p.Py += f * by
	p.Pz += f * bz
	p.E = g * (p.E + bp)
	return p
}

// BoostToRestFrame returns p in the rest frame of q.
func (p Particle) BoostToRestFrame(q Particle) Particle {
	return p.Boost(-q.Px/q.E, -q.Py/q.E, -q.Pz/q.E)
}

// CosTheta returns the cosine of the polar angle, pz/|p|, and 1 for a
// particle at rest (scikit-hep vector's costheta).
func (p Particle) CosTheta() float64 {
	m := p.P()
	if m == 0 {
		return 1
	}
	return p.Pz / m
}

// DeltaAngle returns the angle in [0, π] between the momenta of p and q
// (scikit-hep vector's deltaangle), computed as atan2(|p×q|, p·q), which
// keeps its precision near 0 and π.
func (p Particle) DeltaAngle(q Particle) float64 {
	c := p.Cross(q)
	return math.Atan2(c.P(), p.Px*q.Px+p.Py*q.Py+p.Pz*q.Pz)
}

// Cross returns the cross product of the momenta of p and q as a spatial
// vector: its E is 0 and its other fields are those of the zero Particle.
// Its direction and magnitude (px, py, pz, p, theta, phi, deltaangle) are
// meaningful; boosting it is not.
func (p Particle) Cross(q Particle) Particle {
	return Particle{Px: p.Py*q.Pz - p.Pz*q.Py, Py: p.Pz*q.Px - p.Px*q.Pz, Pz: p.Px*q.Py - p.Py*q.Px}
}

// PDGCharge returns the electric charge of the Standard Model particle with
// the given PDG id, and 0 for ids it does not know.
func PDGCharge(pdg int) float64 {
	sign := 1.0
	a := pdg
	if a < 0 {
		a, sign = -a, -1
	}
	switch a {
	case 1, 3, 5, 7:
		return -sign / 3
	case 2, 4, 6, 8:
		return 2 * sign / 3
	case 11, 13, 15, 17:
		return -sign
	case 24, 37:
		return sign
	}
	return 0
}
