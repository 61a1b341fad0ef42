// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package hepmccnv turns HepMC events (package delphes/hepmc) into
// observables events: the final-state particles at generator level, with
// the first (nominal) weight as the event weight.
package hepmccnv

import (
	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/observables"
)

// Fill resets dst and adds the particles and the nominal weight of ev.
// The caller finishes dst (observables.Event.FinishWith).
func Fill(dst *observables.Event, ev *hepmc.Event) {
	dst.Reset()
	for _, p := range ev.Particles {
		dst.AddLHE(p.PID, p.Status, p.Px, p.Py, p.Pz, p.E)
	}
	if len(ev.Weights) > 0 {
		dst.Weight = ev.Weights[0]
	}
}
