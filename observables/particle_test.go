// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func near(a, b, tol float64) bool { return scalar.EqualWithinAbsOrRel(a, b, tol, tol) }

func TestParticleKinematics(t *testing.T) {
	// Hand-made cases with closed-form answers.
	p := Particle{Px: 3, Py: 4, Pz: 12, E: 13}
	if got := p.Pt(); got != 5 {
		t.Errorf("Pt = %v, want 5", got)
	}
	if got := p.P(); got != 13 {
		t.Errorf("P = %v, want 13", got)
	}
	if got := p.M(); got != 0 {
		t.Errorf("M of a light-like vector = %v, want 0", got)
	}
	// η = asinh(pz/pT) = asinh(12/5) = ln(12/5 + 13/5) = ln 5.
	if got := p.Eta(); !near(got, math.Log(5), 1e-15) {
		t.Errorf("Eta = %v, want ln 5 = %v", got, math.Log(5))
	}
	// For a light-like vector the rapidity equals the pseudorapidity.
	if got := p.Rapidity(); !near(got, math.Log(5), 1e-14) {
		t.Errorf("Rapidity = %v, want %v", got, math.Log(5))
	}
	if got := p.Phi(); !near(got, math.Atan(4.0/3), 1e-15) {
		t.Errorf("Phi = %v, want atan(4/3)", got)
	}
	if got, want := p.Theta(), math.Acos(12.0/13); !near(got, want, 1e-15) {
		t.Errorf("Theta = %v, want %v", got, want)
	}
	// Massive: E² = 13² + 5², so m = 5 and mT = sqrt(E²-pz²) = sqrt(194-144).
	q := Particle{Px: 3, Py: 4, Pz: 12, E: math.Sqrt(194)}
	if got := q.M(); !near(got, 5, 1e-14) {
		t.Errorf("M = %v, want 5", got)
	}
	if got := q.Mt(); !near(got, math.Sqrt(50), 1e-14) {
		t.Errorf("Mt = %v, want sqrt(50)", got)
	}
	if got, want := q.Rapidity(), 0.5*math.Log((math.Sqrt(194)+12)/(math.Sqrt(194)-12)); !near(got, want, 1e-14) {
		t.Errorf("Rapidity = %v, want %v", got, want)
	}
	// Space-like: m² = 1 - 169 < 0 gives m = -sqrt(168), as scikit-hep vector.
	s := Particle{Px: 3, Py: 4, Pz: 12, E: 1}
	if got := s.M(); !near(got, -math.Sqrt(168), 1e-14) {
		t.Errorf("space-like M = %v, want %v", got, -math.Sqrt(168))
	}
	// Along the beam: η = ±Inf; in the transverse plane η = 0.
	if got := (Particle{Pz: 5, E: 5}).Eta(); !math.IsInf(got, 1) {
		t.Errorf("Eta along +z = %v, want +Inf", got)
	}
	if got := (Particle{Px: 1, E: 1}).Eta(); got != 0 {
		t.Errorf("Eta at pz=0 = %v, want 0", got)
	}
}

func TestParticleConstructorsRoundTrip(t *testing.T) {
	for _, tc := range []struct{ pt, eta, phi, m float64 }{
		{50, 0, 0, 0},
		{25.5, 1.7, -2.9, 4.18},
		{300, -3.2, 3.1, 125},
		{1e-3, 0.3, 1, 0.000511},
	} {
		p := NewPtEtaPhiM(11, tc.pt, tc.eta, tc.phi, tc.m)
		if !near(p.Pt(), tc.pt, 1e-13) || !near(p.Eta(), tc.eta, 1e-12) || !near(p.Phi(), tc.phi, 1e-13) {
			t.Errorf("%+v: got pt %v eta %v phi %v", tc, p.Pt(), p.Eta(), p.Phi())
		}
		if tc.m > 1e-2 && !near(p.M(), tc.m, 1e-9) {
			t.Errorf("%+v: M = %v", tc, p.M())
		}
		e := math.Sqrt(math.Pow(tc.pt*math.Cosh(tc.eta), 2) + tc.m*tc.m)
		q := NewPtEtaPhiE(11, tc.pt, tc.eta, tc.phi, e)
		if !near(q.E, p.E, 1e-14) || !near(q.Pz, p.Pz, 1e-14) {
			t.Errorf("%+v: PtEtaPhiE %+v differs from PtEtaPhiM %+v", tc, q, p)
		}
	}
}

func TestDeltaPhi(t *testing.T) {
	at := func(phi float64) Particle { return NewPtEtaPhiM(0, 10, 0, phi, 0) }
	for _, tc := range []struct{ phi1, phi2, want float64 }{
		{0.5, 0.2, 0.3},
		{0.2, 0.5, -0.3},
		{3, -3, 6 - 2*math.Pi},                // wraps below π
		{-3, 3, -6 + 2*math.Pi},               // and above -π
		{math.Pi / 2, -math.Pi / 2, -math.Pi}, // exactly π maps to -π: the interval is [-π, π)
		{0, 0, 0},
	} {
		got := at(tc.phi1).DeltaPhi(at(tc.phi2))
		if !near(got, tc.want, 1e-12) {
			t.Errorf("DeltaPhi(%v, %v) = %v, want %v", tc.phi1, tc.phi2, got, tc.want)
		}
		if got < -math.Pi || got >= math.Pi {
			t.Errorf("DeltaPhi(%v, %v) = %v outside [-π, π)", tc.phi1, tc.phi2, got)
		}
	}
	// wrapPhi on exact values: the non-negative modulus of Python.
	for _, tc := range []struct{ d, want float64 }{
		{math.Pi, -math.Pi}, {-math.Pi, -math.Pi}, {3 * math.Pi, -math.Pi}, {-2.5 * math.Pi, -0.5 * math.Pi},
	} {
		if got := wrapPhi(tc.d); !near(got, tc.want, 1e-12) {
			t.Errorf("wrapPhi(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
	// ΔR = sqrt(Δη² + Δφ²).
	p := NewPtEtaPhiM(0, 10, 1.0, 3.0, 0)
	q := NewPtEtaPhiM(0, 20, -0.5, -3.0, 0)
	want := math.Hypot(1.5, 6-2*math.Pi)
	if got := p.DeltaR(q); !near(got, want, 1e-12) {
		t.Errorf("DeltaR = %v, want %v", got, want)
	}
}

func TestAddAndTags(t *testing.T) {
	b := NewParticle(5, 1, 2, 3, 10)
	lep := NewParticle(-11, -1, 0, 1, 2)
	if !b.BTag || b.TauTag || b.TopTag || b.Charge != -1.0/3 {
		t.Errorf("b quark: %+v", b)
	}
	if lep.Charge != 1 {
		t.Errorf("positron charge %v, want +1", lep.Charge)
	}
	s := b.Add(lep)
	if s.Px != 0 || s.Py != 2 || s.Pz != 4 || s.E != 12 || s.PDGID != 0 || !s.BTag || !near(s.Charge, 2.0/3, 1e-15) {
		t.Errorf("sum %+v", s)
	}
	d := s.Sub(lep)
	if d.Px != b.Px || d.Py != b.Py || d.Pz != b.Pz || d.E != b.E {
		t.Errorf("(b+l)-l = %+v, want %+v", d, b)
	}
	for pdg, want := range map[int]float64{2: 2.0 / 3, -2: -2.0 / 3, 1: -1.0 / 3, 13: -1, -15: 1, 24: 1, -24: -1, 22: 0, 12: 0, 21: 0, 1000022: 0} {
		if got := PDGCharge(pdg); !near(got, want, 1e-15) {
			t.Errorf("PDGCharge(%d) = %v, want %v", pdg, got, want)
		}
	}
	if tp := NewParticle(-6, 0, 0, 0, 173); !tp.TopTag {
		t.Error("anti-top has no top tag")
	}
	if ta := NewParticle(15, 0, 0, 0, 2); !ta.TauTag {
		t.Error("tau has no tau tag")
	}
}

func TestBoost(t *testing.T) {
	// A particle at rest boosted with β along x: E = γm, px = γβm.
	const m, beta = 3.0, 0.6
	g := 1 / math.Sqrt(1-beta*beta)
	r := Particle{E: m}.Boost(beta, 0, 0)
	if !near(r.E, g*m, 1e-14) || !near(r.Px, g*beta*m, 1e-14) || r.Py != 0 || r.Pz != 0 {
		t.Errorf("boosted rest particle %+v, want E %v px %v", r, g*m, g*beta*m)
	}
	// Boosting a system into its own rest frame leaves (m, 0, 0, 0), and
	// boosts keep invariant masses.
	sys := Particle{Px: 10, Py: -20, Pz: 35, E: 80}
	rest := sys.BoostToRestFrame(sys)
	if !near(rest.E, sys.M(), 1e-12) || math.Abs(rest.Px) > 1e-12 || math.Abs(rest.Py) > 1e-12 || math.Abs(rest.Pz) > 1e-12 {
		t.Errorf("rest frame %+v, want (%v, 0, 0, 0)", rest, sys.M())
	}
	q := Particle{Px: 1, Py: 2, Pz: 3, E: 10}
	if got := q.BoostToRestFrame(sys).M(); !near(got, q.M(), 1e-12) {
		t.Errorf("mass after boost %v, want %v", got, q.M())
	}
}
