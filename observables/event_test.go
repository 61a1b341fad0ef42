// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"math"
	"slices"
	"testing"
)

func pdgs(ps []Particle) []int {
	var ids []int
	for _, p := range ps {
		ids = append(ids, p.PDGID)
	}
	return ids
}

func sameP4(a, b Particle, tol float64) bool {
	return near(a.Px, b.Px, tol) && near(a.Py, b.Py, tol) && near(a.Pz, b.Pz, tol) && near(a.E, b.E, tol)
}

// buildMixed fills an event with one particle of every class, in an order
// that differs from the pT order.
func buildMixed(ev *Event) {
	ev.Reset()
	ev.AddLHESpin(2, -1, 0, 0, 500, 500, -1) // incoming: p_in only
	ev.AddLHE(23, 2, 1, 1, 1, 100)           // intermediate: ignored
	ev.AddLHE(11, 1, 10, 0, 0, 10)           // e-, pT 10
	ev.AddLHE(-13, 1, 0, 30, 0, 30)          // mu+, pT 30
	ev.AddLHE(-11, 1, 0, -20, 5, 0)          // e+, pT 20 (E set below)
	ev.AddLHE(5, 1, 40, 0, 10, 50)           // b, pT 40
	ev.AddLHE(21, 1, -5, 0, 0, 5)            // gluon, pT 5
	ev.AddLHE(22, 1, 0, 0, 8, 8)             // photon along the beam, pT 0
	ev.AddLHE(12, 1, -25, -7, 1, 30)         // neutrino, pT ~26
	ev.AddLHE(-16, 1, 3, 4, 0, 5)            // anti-nu_tau, pT 5
	ev.AddLHE(15, 1, 0, 2, 0, 3)             // tau-, pT 2
	ev.AddLHE(25, 1, -23, 1, 0, 130)         // Higgs: visible, in p only
	ev.AddLHE(1000022, 1, 5, 5, 5, 200)      // neutralino: invisible, in p only
	ev.PTruth[2].E = math.Sqrt(20*20 + 5*5)
}

func TestFinishLHEClassification(t *testing.T) {
	var ev Event
	buildMixed(&ev)
	ev.Finish()
	if want := []int{11, -13, -11, 5, 21, 22, 12, -16, 15, 25, 1000022}; !slices.Equal(pdgs(ev.P), want) {
		t.Errorf("p = %v, want file order %v", pdgs(ev.P), want)
	}
	if !slices.Equal(pdgs(ev.PTruth), pdgs(ev.P)) {
		t.Errorf("p_truth = %v", pdgs(ev.PTruth))
	}
	if len(ev.In) != 1 || ev.In[0].PDGID != 2 || ev.In[0].Status != -1 || ev.In[0].Helicity != -1 || ev.In[0].Pz != 500 {
		t.Errorf("p_in = %+v, want the incoming u quark with helicity -1", ev.In)
	}
	if ev.P[0].Helicity != 9 {
		t.Errorf("helicity of a particle added by AddLHE = %v, want 9 (unknown)", ev.P[0].Helicity)
	}
	for _, tc := range []struct {
		name string
		got  []Particle
		want []int
	}{
		{"e", ev.E, []int{-11, 11}},
		{"mu", ev.Mu, []int{-13}},
		{"l", ev.L, []int{-13, -11, 11}},
		{"tau", ev.Tau, []int{15}},
		{"a", ev.A, []int{22}},
		{"j", ev.J, []int{5, 21}},
		{"v", ev.V, []int{12, -16}},
	} {
		if !slices.Equal(pdgs(tc.got), tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, pdgs(tc.got), tc.want)
		}
	}
	if !ev.J[0].BTag || ev.J[1].BTag {
		t.Errorf("b tags %v %v", ev.J[0].BTag, ev.J[1].BTag)
	}
	// MET is minus the visible transverse sum: everything except the
	// neutrinos and the neutralino.
	var vis Particle
	ht := 0.0
	for _, p := range ev.P {
		switch p.PDGID {
		case 12, -16, 1000022:
		default:
			vis = vis.Add(p)
			ht += p.Pt()
		}
	}
	if !near(ev.MET.Px, -vis.Px, 1e-14) || !near(ev.MET.Py, -vis.Py, 1e-14) || ev.MET.Pz != 0 || !near(ev.MET.E, math.Hypot(vis.Px, vis.Py), 1e-14) {
		t.Errorf("MET %+v, want -(%v, %v)", ev.MET, vis.Px, vis.Py)
	}
	if !near(ev.HT, ht, 1e-14) || ev.Visible != vis {
		t.Errorf("HT %v visible %+v, want %v %+v", ev.HT, ev.Visible, ht, vis)
	}
	if all := vis.Add(ev.MET); ev.All != all {
		t.Errorf("all %+v, want %+v", ev.All, all)
	}
}

// With momentum balance in the transverse plane, MET equals the transverse
// momentum of the invisible particles.
func TestMETBalancesInvisibles(t *testing.T) {
	var ev Event
	ev.Reset()
	ev.AddLHE(11, 1, 30, 10, 5, 40)
	ev.AddLHE(-12, 1, -10, 25, 3, 30)
	ev.AddLHE(1, 1, -20, -35, 100, 120)
	ev.Finish()
	if !near(ev.MET.Px, -10, 1e-14) || !near(ev.MET.Py, 25, 1e-14) {
		t.Errorf("MET (%v, %v), want the neutrino's (-10, 25)", ev.MET.Px, ev.MET.Py)
	}
}

func TestFinishObjects(t *testing.T) {
	var ev Event
	ev.Reset()
	ev.AddObject(KindJ, NewPtEtaPhiM(0, 30, 0.5, 0, 5))
	ev.AddObject(KindJ, NewPtEtaPhiM(0, 90, 3.0, 1, 5)) // outside |η| < 2.5
	ev.AddObject(KindJ, NewPtEtaPhiM(0, 60, -1, 2, 5))
	ev.AddObject(KindJ, NewPtEtaPhiM(0, 15, 0, 2, 5)) // below 20 GeV
	ev.AddObject(KindE, NewPtEtaPhiM(11, 25, 0.1, 0.3, 0.000511))
	ev.AddObject(KindMu, NewPtEtaPhiM(-13, 40, 0.2, -0.3, 0.105))
	ev.AddObject(KindMu, NewPtEtaPhiM(13, 8, 0.2, -0.3, 0.105)) // below 10 GeV
	ev.AddObject(KindA, NewPtEtaPhiM(22, 12, 1.2, 1.3, 0))
	ev.SetMET(3, -4)
	d := &Detector{Acceptance: Acceptance{
		J:  ObjectCut{PtMin: 20, EtaMax: 2.5},
		Mu: ObjectCut{PtMin: 10},
	}}
	ev.FinishWith(d, nil)
	if len(ev.J) != 2 || !near(ev.J[0].Pt(), 60, 1e-12) || !near(ev.J[1].Pt(), 30, 1e-12) {
		t.Errorf("jets after acceptance: %v", ev.J)
	}
	if len(ev.Mu) != 1 || len(ev.E) != 1 || len(ev.A) != 1 {
		t.Errorf("mu %d e %d a %d", len(ev.Mu), len(ev.E), len(ev.A))
	}
	if want := []int{-13, 11}; !slices.Equal(pdgs(ev.L), want) {
		t.Errorf("l = %v, want %v", pdgs(ev.L), want)
	}
	if ev.MET.E != 5 || ev.MET.Px != 3 {
		t.Errorf("MET %+v", ev.MET)
	}
	var ev2 Event
	ev2.SetMETPolar(5, math.Atan2(-4, 3))
	if !near(ev2.MET.Px, 3, 1e-15) || !near(ev2.MET.Py, -4, 1e-15) || ev2.MET.E != 5 {
		t.Errorf("SetMETPolar: %+v", ev2.MET)
	}
	var vis Particle
	for _, c := range [][]Particle{ev.E, ev.J, ev.Mu, ev.A} {
		for _, p := range c {
			vis = vis.Add(p)
		}
	}
	all := vis.Add(ev.MET)
	if !sameP4(ev.Visible, vis, 1e-13) || !sameP4(ev.All, all, 1e-13) {
		t.Errorf("visible %+v all %+v", ev.Visible, ev.All)
	}
}

// The expression environment caches collection views between events; a
// reused Event with the same multiplicities must still give new values.
func TestEventReuseRebinds(t *testing.T) {
	p, err := Compile("pt", "(e[0] + e[1]).pt + len(p)")
	if err != nil {
		t.Fatal(err)
	}
	var ev Event
	for i := 1; i <= 5; i++ {
		ev.Reset()
		x := float64(i)
		ev.AddLHE(11, 1, x, 0, 0, x)
		ev.AddLHE(-11, 1, 0, 2*x, 0, 2*x)
		if i%2 == 0 {
			ev.AddLHE(22, 1, 1, 1, 0, math.Sqrt2)
		}
		ev.Finish()
		got, err := p.Eval(&ev, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := math.Hypot(x, 2*x) + float64(len(ev.P))
		if !near(got, want, 1e-14) {
			t.Errorf("event %d: %v, want %v", i, got, want)
		}
	}
}

// A copied Event must not evaluate on the environment of the original.
func TestEventCopy(t *testing.T) {
	p, err := Compile("pt", "e[0].pt")
	if err != nil {
		t.Fatal(err)
	}
	var a Event
	a.Reset()
	a.AddLHE(11, 1, 10, 0, 0, 10)
	a.Finish()
	if v, _ := p.Eval(&a, nil); v != 10 {
		t.Fatalf("original: %v", v)
	}
	b := a
	b.E = []Particle{NewParticle(11, 0, 20, 0, 20)}
	b.gen++
	if v, _ := p.Eval(&b, nil); v != 20 {
		t.Errorf("copy evaluated to %v, want 20", v)
	}
	if v, _ := p.Eval(&a, nil); v != 10 {
		t.Errorf("original evaluated to %v after the copy, want 10", v)
	}
}
