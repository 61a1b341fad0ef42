// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphescnv

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/delphes"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/observables"
)

// TestFillCMS checks the objects of the shared CMS ttH Delphes file
// against the values uproot 5.3 reads from it (../shared/README.md).
func TestFillCMS(t *testing.T) {
	path := repotest.Shared(t, "data/root/delphes_cms_ttH_10ev.root")
	colls, err := Collections("j[0].pt", "met.pt", "e[0].pt", "mu[0].pt")
	if err != nil {
		t.Fatal(err)
	}
	r, err := delphes.Open(path, delphes.Options{Collections: colls})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := []struct {
		jet0, met float64
		jets      int
		weight    float64
	}{
		{152.45778, 14.869381, 10, 0.573798},
		{104.798615, 36.826237, -1, math.NaN()},
		{38.581448, 4.8888035, 7, math.NaN()},
	}
	var ev observables.Event
	for i := 0; i < len(want) && r.Next(); i++ {
		Fill(&ev, r.Event())
		ev.FinishWith(nil, nil)
		w := want[i]
		if !scalar.EqualWithinRel(ev.J[0].Pt(), w.jet0, 1e-6) {
			t.Errorf("event %d: leading jet pT %v, uproot %v", i, ev.J[0].Pt(), w.jet0)
		}
		if !scalar.EqualWithinRel(ev.MET.Pt(), w.met, 1e-6) {
			t.Errorf("event %d: MET %v, uproot %v", i, ev.MET.Pt(), w.met)
		}
		if w.jets >= 0 && len(ev.J) != w.jets {
			t.Errorf("event %d: %d jets, uproot %d", i, len(ev.J), w.jets)
		}
		if !math.IsNaN(w.weight) && !scalar.EqualWithinRel(ev.Weight, w.weight, 1e-6) {
			t.Errorf("event %d: weight %v, uproot %v", i, ev.Weight, w.weight)
		}
		if i == 0 && (len(ev.E) != 0 || len(ev.Mu) != 0) {
			t.Errorf("event 0: %d electrons and %d muons, uproot none", len(ev.E), len(ev.Mu))
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestFillLeptons(t *testing.T) {
	de := &delphes.Event{
		Electrons: []delphes.Lepton{{PT: 40, Eta: 0.5, Phi: 1, Charge: -1}},
		Muons:     []delphes.Lepton{{PT: 30, Eta: -1, Phi: -2, Charge: +1}},
		Jets:      []delphes.Jet{{PT: 50, Eta: 0, Phi: 0, Mass: 5, BTag: 1, TauTag: 2, Charge: -1}},
		MissingET: []delphes.MissingET{{MET: 20, Phi: math.Pi / 2}},
		Weight:    2,
	}
	var ev observables.Event
	Fill(&ev, de)
	ev.FinishWith(nil, nil)
	e, mu := ev.E[0], ev.Mu[0]
	// MadMiner's masses and the PDG sign convention: e⁻ is +11, μ⁺ is −13.
	if e.PDGID != 11 || !scalar.EqualWithinRel(e.M(), ElectronMass, 1e-6) {
		t.Errorf("electron id %d mass %v", e.PDGID, e.M())
	}
	if mu.PDGID != -13 || !scalar.EqualWithinRel(mu.M(), MuonMass, 1e-9) {
		t.Errorf("muon id %d mass %v", mu.PDGID, mu.M())
	}
	if j := ev.J[0]; !j.BTag || j.TauTag || j.Charge != -1 {
		t.Errorf("jet tags b %v τ %v charge %v, want the first working point of each", j.BTag, j.TauTag, j.Charge)
	}
	if !scalar.EqualWithinAbs(ev.MET.Px, 0, 1e-12) || !scalar.EqualWithinRel(ev.MET.Py, 20, 1e-12) {
		t.Errorf("MET (%v, %v), want (0, 20)", ev.MET.Px, ev.MET.Py)
	}
	if len(ev.L) != 2 || ev.Weight != 2 {
		t.Errorf("%d leptons, weight %v", len(ev.L), ev.Weight)
	}
}

func TestCollections(t *testing.T) {
	for _, tc := range []struct {
		exprs []string
		want  []string
	}{
		{[]string{"j[0].pt", "met.pt"}, []string{"Jet", "MissingET"}},
		{[]string{"(e[0] + e[1]).m", "mu[0].eta"}, []string{"Electron", "Muon"}},
		{[]string{"scale", "2 * pi"}, []string{}},
	} {
		got, err := Collections(tc.exprs...)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range tc.want {
			if !slices.Contains(got, c) {
				t.Errorf("Collections(%q) = %v, lacks %s", tc.exprs, got, c)
			}
		}
		if len(tc.want) == 0 && len(got) != 0 {
			t.Errorf("Collections(%q) = %v, want none", tc.exprs, got)
		}
	}
}

func TestPaired(t *testing.T) {
	for _, tc := range []struct {
		d, g float64
		want bool
	}{
		{0.573798, 0.573798, true},
		{0.5738, 0.573798, true}, // float32 rounding in the ROOT file
		{0.58, 0.573798, false},
		{0, 1, true},
		{1, 0, true},
		{-1, 1, false},
	} {
		if got := Paired(tc.d, tc.g); got != tc.want {
			t.Errorf("Paired(%v, %v) = %v, want %v", tc.d, tc.g, got, tc.want)
		}
	}
}
