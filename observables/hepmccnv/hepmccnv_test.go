// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package hepmccnv

import (
	"testing"

	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/observables"
)

// TestFillShower reads the Pythia 8 shower of the ZH sample: its events
// keep the two electrons of the Z decay and carry the LHE event weight
// (event 0: 1.9031e-02, the XWGTUP of the bundled LHE file's event 0).
func TestFillShower(t *testing.T) {
	r, err := hepmc.Open(repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ev observables.Event
	n := 0
	for r.Next() {
		he := r.Event()
		Fill(&ev, he)
		ev.FinishWith(nil, nil)
		if ev.Weight != he.Weights[0] {
			t.Errorf("event %d: weight %v, want the nominal %v", n, ev.Weight, he.Weights[0])
		}
		if n == 0 && ev.Weight != 1.9031e-02 {
			t.Errorf("event 0: weight %v, want 1.9031e-02", ev.Weight)
		}
		final := 0
		for _, p := range he.Particles {
			if p.Status == 1 {
				final++
			}
		}
		if len(ev.P) != final {
			t.Errorf("event %d: %d final-state particles, the file has %d", n, len(ev.P), final)
		}
		if len(ev.E) < 2 {
			t.Errorf("event %d: %d electrons, want the two of the Z decay", n, len(ev.E))
		}
		n++
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 10 {
		t.Errorf("%d events, want 10", n)
	}
}
