// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// A MadMiner user's observables load from a card unchanged and give
// MadMiner's numbers on real events: the definition strings of
// dataset.observable_python_definitions of ../shared/reference/zh
// (copied from the JSON, in MadMiner's order), its cut, an observable
// named met (an event object's name) defined as met.pt, and an efficiency
// written with Python's arithmetic on booleans, 1. * (e[0].pt > 50).
// Analysed from the 30000-event LHE file, the observables equal MadMiner's
// (zh30k_lhe_data.h5, the same events in LHE order) to 1e-9, met is the
// missing transverse momentum of a final state without neutrinos (zero to
// the LHE file's rounding), and the events and weights are MadMiner's
// with the efficiency applied by MadMiner's own pt_e1 (an event of
// efficiency 0 is dropped).
func TestMadMinerObservablesFromReference(t *testing.T) {
	var ref struct {
		Dataset struct {
			Observables []string          `json:"observables"`
			Python      map[string]string `json:"observable_python_definitions"`
			Cut         string            `json:"cut"`
		} `json:"dataset"`
	}
	readResult(t, repotest.Shared(t, "reference/zh/reference.json"), &ref)
	var card strings.Builder
	fmt.Fprintf(&card, `seed: 1
shuffle: false
parameters:
  - {name: cHW, lha_block: smeft, lha_id: 7, range: [-1, 1]}
  - {name: cHq3, lha_block: smeft, lha_id: 25, range: [-1, 1]}
%ssamples:
  - {name: zh, lhe: %s, sampled_from: sm}
observables:
`, repotest.ZHBasis, repotest.Shared(t, "data/lhe/zh_smeft_cHW_cHq3_30000ev.lhe.gz"))
	for _, name := range ref.Dataset.Observables {
		def, ok := ref.Dataset.Python[name]
		if !ok {
			t.Fatalf("reference: no Python definition of %s", name)
		}
		fmt.Fprintf(&card, "  - {name: %s, expr: %s, required: true}\n", name, strconv.Quote(def))
	}
	fmt.Fprintf(&card, "  - {name: met, expr: \"met.pt\"}\ncuts:\n  - {expr: %s}\nefficiencies:\n  - {expr: \"1. * (e[0].pt > 50)\"}\n", strconv.Quote(ref.Dataset.Cut))

	env := NewEnv(writeCard(t, card.String()), t.TempDir(), nil, nil)
	if got := env.Card.Observables[len(ref.Dataset.Observables)]; got.Name != "met" || got.Expr != "met.pt" {
		t.Fatalf("observable met loaded as %+v", got)
	}
	for i, name := range ref.Dataset.Observables {
		if o := env.Card.Observables[i]; o.Name != name || o.Expr != ref.Dataset.Python[name] {
			t.Errorf("observable %d loaded as %s = %q, MadMiner's %s = %q", i, o.Name, o.Expr, name, ref.Dataset.Python[name])
		}
	}
	res := analysed(t, env)
	gh, gx, gw, _ := readAll(t, res.File)
	mh, mx, mw, _ := readAll(t, repotest.Shared(t, "data/madminer/zh30k_lhe_data.h5"))
	nObs := len(ref.Dataset.Observables)
	if len(gh.ObservableNames) != nObs+1 || gh.ObservableNames[nObs] != "met" {
		t.Fatalf("observables %v, want MadMiner's and met", gh.ObservableNames)
	}
	e1 := -1
	for k, name := range mh.ObservableNames {
		if name == "pt_e1" {
			e1 = k
		}
		if gh.ObservableNames[k] != name {
			t.Fatalf("observable %d is %s, MadMiner's %s", k, gh.ObservableNames[k], name)
		}
	}
	// The events the efficiency keeps, by MadMiner's own pt_e1.
	var keep []int
	for i := range mx {
		if mx[i][e1] > 50 {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 || len(keep) == len(mx) {
		t.Fatalf("the efficiency keeps %d of %d events: the test does not test it", len(keep), len(mx))
	}
	if len(gx) != len(keep) {
		t.Fatalf("%d events after the cut and the efficiency, want the %d of MadMiner's %d with pt_e1 > 50", len(gx), len(keep), len(mx))
	}
	bad := 0
	report := func(format string, args ...any) {
		if bad++; bad <= 10 {
			t.Errorf(format, args...)
		}
	}
	for g, i := range keep {
		for k := range mx[i] {
			if !(math.Abs(gx[g][k]-mx[i][k]) <= 1e-9*math.Max(1, math.Abs(mx[i][k]))) {
				report("event %d (MadMiner's %d): %s = %.12g, MadMiner %.12g", g, i, mh.ObservableNames[k], gx[g][k], mx[i][k])
			}
		}
		if met := gx[g][nObs]; !(met >= 0 && met < 1e-3) {
			report("event %d: met = %g GeV in a final state without neutrinos", g, met)
		}
		for b := range mw[i] {
			if !(math.Abs(gw[g][b]-mw[i][b]) <= 1e-12*math.Abs(mw[i][b])) {
				report("event %d (MadMiner's %d): weight %d = %.17g, MadMiner %.17g", g, i, b, gw[g][b], mw[i][b])
			}
		}
	}
}
