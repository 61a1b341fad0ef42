// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhecnv

import (
	"math"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/observables"
)

// TestFillZH checks event 0 of the bundled ZH sample against its text:
//
//	6 1 +1.9031000e-02 2.55747500e+02 7.56146200e-03 1.10972500e-01
//	-11 1 ... +3.0563229328e+01 -1.1621750881e+01 -1.4889024430e+02 1.5243844964e+02
//	 11 1 ... -7.5384639661e+00 +6.1259121095e+01 -7.1136765303e+01 9.4180399947e+01
//	 25 1 ... (and two incoming partons and the Z, status 2)
func TestFillZH(t *testing.T) {
	r, err := lhe.Open(filepath.Join(repotest.Root(t), "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.Next() {
		t.Fatal(r.Err())
	}
	var ev observables.Event
	ev.AddLHE(22, 1, 1, 2, 3, 4) // left over from an earlier event
	Fill(&ev, r.Event())
	ev.FinishWith(nil, nil)
	if ev.Weight != 1.9031e-02 || ev.Scale != 255.7475 || ev.AlphaQED != 7.561462e-03 || ev.AlphaQCD != 0.1109725 || ev.NParticles != 6 {
		t.Errorf("event numbers: weight %v scale %v α %v %v particles %d", ev.Weight, ev.Scale, ev.AlphaQED, ev.AlphaQCD, ev.NParticles)
	}
	if len(ev.P) != 3 || len(ev.E) != 2 || len(ev.A) != 0 {
		t.Fatalf("%d final-state particles, %d electrons, %d photons; want 3, 2, 0", len(ev.P), len(ev.E), len(ev.A))
	}
	// Sorted by pT: the e⁻ (pT 61.7) before the e⁺ (pT 32.7).
	e1, e2 := ev.E[0], ev.E[1]
	if e1.PDGID != 11 || e2.PDGID != -11 {
		t.Errorf("electron ids %d %d, want 11 -11", e1.PDGID, e2.PDGID)
	}
	want := math.Hypot(-7.5384639661, 61.259121095)
	if !scalar.EqualWithinRel(e1.Pt(), want, 1e-12) {
		t.Errorf("leading electron pT %v, want %v", e1.Pt(), want)
	}
}
