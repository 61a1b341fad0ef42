// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package lhecnv turns LHE events (package lhe) into observables events,
// as MadMiner's LHEReader does: the final-state particles of the event
// with its weight, scale and couplings.
package lhecnv

import (
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/observables"
)

// Fill resets dst and adds the particles and event numbers of ev. The
// caller finishes dst (observables.Event.FinishWith) to build the
// collections.
func Fill(dst *observables.Event, ev *lhe.Event) {
	dst.Reset()
	for _, p := range ev.Particles {
		dst.AddLHESpin(p.PDGID, p.Status, p.Px, p.Py, p.Pz, p.E, p.Spin)
	}
	dst.Weight, dst.Scale, dst.AlphaQED, dst.AlphaQCD = ev.Weight, ev.Scale, ev.AQED, ev.AQCD
	dst.NParticles = len(ev.Particles)
}
