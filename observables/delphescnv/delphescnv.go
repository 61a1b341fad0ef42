// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package delphescnv turns Delphes events (package delphes) into
// observables events, as MadMiner's DelphesReader does, and says which
// Delphes collections a set of observable expressions needs.
package delphescnv

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/goldmine-hep/goldmine/delphes"
	"github.com/goldmine-hep/goldmine/observables"
)

// Masses MadMiner gives reconstructed leptons (GeV).
const (
	ElectronMass = 0.000511
	MuonMass     = 0.105658
)

// Fill resets dst and adds the objects of a Delphes event, as MadMiner's
// Delphes reader does: electrons and muons with their masses and the PDG
// sign of their charge (e⁻ is 11), photons, jets with their charge and
// the first working point of their b- and τ-tags, the missing transverse
// energy from its magnitude and direction, and the generator's
// final-state particles as p (and p_truth). The event weight is Delphes'.
// The caller finishes dst (observables.Event.FinishWith).
func Fill(dst *observables.Event, de *delphes.Event) {
	dst.Reset()
	for _, l := range de.Electrons {
		dst.AddObject(observables.KindE, observables.NewPtEtaPhiM(-11*l.Charge, l.PT, l.Eta, l.Phi, ElectronMass))
	}
	for _, l := range de.Muons {
		dst.AddObject(observables.KindMu, observables.NewPtEtaPhiM(-13*l.Charge, l.PT, l.Eta, l.Phi, MuonMass))
	}
	for _, a := range de.Photons {
		dst.AddObject(observables.KindA, observables.NewPtEtaPhiM(22, a.PT, a.Eta, a.Phi, 0))
	}
	for _, j := range de.Jets {
		p := observables.NewPtEtaPhiM(0, j.PT, j.Eta, j.Phi, j.Mass)
		p.Charge = float64(j.Charge)
		p.BTag, p.TauTag = j.BTagged(0), j.TauTagged(0)
		dst.AddObject(observables.KindJ, p)
	}
	if len(de.MissingET) > 0 {
		m := de.MissingET[0]
		s, c := math.Sincos(m.Phi)
		dst.SetMET(m.MET*c, m.MET*s)
	}
	for _, gp := range de.Particles {
		if gp.Status != 1 {
			continue
		}
		p := observables.NewParticle(gp.PID, gp.Px, gp.Py, gp.Pz, gp.E)
		p.Status = gp.Status
		dst.AddObject(observables.KindP, p)
		dst.AddObject(observables.KindPTruth, p)
	}
	dst.Weight = de.Weight
}

// objectNames are the identifiers of observable expressions that name
// event objects.
var objectNames = []string{"e", "mu", "l", "a", "j", "met", "visible", "all", "p", "ht"}

// Collections returns the Delphes collections (delphes.Options.Collections)
// that the objects named in the expressions need, so that nothing else is
// decoded.
func Collections(exprs ...string) ([]string, error) {
	used := map[string]bool{}
	for _, src := range exprs {
		for _, f := range strings.FieldsFunc(src, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.') }) {
			head, _, _ := strings.Cut(f, ".")
			if slices.Contains(objectNames, head) {
				used[head] = true
			}
		}
	}
	var objs []string
	for _, o := range objectNames {
		if used[o] {
			objs = append(objs, o)
		}
	}
	return delphes.CollectionsFor(objs...)
}

// Paired reports whether a Delphes event of weight delphesWeight can be
// the detector simulation of a generator event of weight generatorWeight.
// Delphes copies the generator's event weight, so a different one means
// the files are paired wrongly (merged, or different files); a zero on
// either side carries no evidence.
func Paired(delphesWeight, generatorWeight float64) bool {
	return delphesWeight == 0 || generatorWeight == 0 ||
		math.Abs(delphesWeight-generatorWeight) <= 1e-4*math.Abs(generatorWeight)
}
