// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/delphes"
	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/observables"
	"github.com/goldmine-hep/goldmine/observables/delphescnv"
	"github.com/goldmine-hep/goldmine/shower"
)

// TestChain takes the first 300 events of the bundled ZH sample (MG5
// with reweighting) through the real Pythia 8 and the real Delphes (CMS
// card) and checks goldmine's reading of the result: one Delphes event
// per LHE event, paired by the hard-process partons; leptons and MET
// filled; the weights those of the paired LHE events; and goldmine's
// objects and observables equal to what uproot reads, event by event.
func TestChain(t *testing.T) {
	const events = 300
	pythiaDir := repotest.Pythia8(t)
	delphesDir := repotest.Delphes(t)
	py := repotest.Python(t, "uproot")
	lhePath := filepath.Join(repotest.Root(t), "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	work := t.TempDir()

	start := time.Now()
	sres, err := shower.Run(context.Background(), shower.Config{
		Program: filepath.Join(pythiaDir, "bin", "main42"),
		Data:    filepath.Join(pythiaDir, "share", "Pythia8", "xmldoc"),
		Events:  events,
		Seed:    2026,
	}, lhePath, filepath.Join(work, "zh.hepmc"))
	if err != nil {
		t.Fatal(err)
	}
	tPythia := time.Since(start)
	start = time.Now()
	root := filepath.Join(work, "zh.root")
	if err := delphes.Run(context.Background(), delphes.RunConfig{Dir: delphesDir, Card: "cards/delphes_card_CMS.tcl", Seed: 2026}, sres.Output, root); err != nil {
		t.Fatal(err)
	}
	tDelphes := time.Since(start)
	t.Logf("%d events: Pythia 8 %v, Delphes (CMS card) %v", events, tPythia.Round(10*time.Millisecond), tDelphes.Round(10*time.Millisecond))

	hr, err := hepmc.Open(sres.Output)
	if err != nil {
		t.Fatal(err)
	}
	names := hr.WeightNames()
	hr.Close()

	// Pairing: the Delphes events against the LHE events, by the
	// incoming partons of the Particle branch and the weights.
	lr, err := lhe.Open(lhePath)
	if err != nil {
		t.Fatal(err)
	}
	defer lr.Close()
	dr, err := delphes.Open(root, delphes.Options{Collections: []string{"Event", "Weight", "Electron", "Muon", "Jet", "MissingET", "Particle"}})
	if err != nil {
		t.Fatal(err)
	}
	defer dr.Close()
	if dr.Entries() != events {
		t.Fatalf("%d Delphes events from %d LHE events", dr.Entries(), events)
	}
	p := delphes.NewPairer(lr, &delphes.PairOptions{WeightNames: names, Prefix: true})
	// The same pairing by the partons of the Event branch alone.
	lr2, err := lhe.Open(lhePath)
	if err != nil {
		t.Fatal(err)
	}
	defer lr2.Close()
	p2 := delphes.NewPairer(lr2, &delphes.PairOptions{Prefix: true})

	dump := uprootDump(t, py, root)
	if len(dump) != events {
		t.Fatalf("uproot reads %d events, want %d", len(dump), events)
	}
	progs := map[string]*observables.Program{}
	for name, src := range map[string]string{
		"pt_l1": "l[0].pt", "eta_l1": "l[0].eta", "pt_e1": "e[0].pt", "pt_mu1": "mu[0].pt",
		"pt_j1": "j[0].pt", "met_obs": "met.pt", "met_phi": "met.phi", "m_ll": "(l[0] + l[1]).m",
	} {
		if progs[name], err = observables.Compile(name, src); err != nil {
			t.Fatal(err)
		}
	}
	var ev observables.Event
	oneElectron, twoElectrons, withMET := 0, 0, 0
	for dr.Next() {
		de := dr.Event()
		i := int(de.Entry)
		le, err := p.Next(delphes.DelphesKey(de), "Delphes entry "+strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		if le.Index != i {
			t.Errorf("Delphes entry %d pairs with LHE event %d", i, le.Index)
		}
		k := delphes.DelphesKey(&delphes.Event{ID1: de.ID1, ID2: de.ID2, X1: de.X1, X2: de.X2})
		if le2, err := p2.Next(k, "Delphes entry "+strconv.Itoa(i)); err != nil || le2.Index != i {
			t.Fatalf("Delphes entry %d by its Event branch: %v", i, err)
		}
		// The weights: Delphes' float32 copies of the HepMC weights, which
		// are the nominal and reweighted weights of the paired LHE event.
		want := []float64{le.Weight}
		for _, n := range names[1:] {
			k, _ := lr.Header().WeightIndex(n[len("AUX_"):])
			want = append(want, le.Weights[k])
		}
		if len(de.Weights) != len(want) {
			t.Fatalf("entry %d: %d weights, want %d", i, len(de.Weights), len(want))
		}
		for k := range want {
			if float32(want[k]) != float32(de.Weights[k]) {
				t.Errorf("entry %d: weight %s = %v, LHE %v", i, names[k], de.Weights[k], want[k])
			}
		}
		if len(de.Electrons) >= 1 {
			oneElectron++
		}
		if len(de.Electrons) >= 2 {
			twoElectrons++
		}
		if len(de.MissingET) == 1 && de.MissingET[0].MET > 0 {
			withMET++
		}

		// Objects and observables against uproot.
		u := dump[i]
		if u.Entry != i || u.Number != de.Number || u.Weight != de.Weight || !slices.Equal(u.Weights, de.Weights) {
			t.Errorf("entry %d: event %d weight %v %v, uproot %+v", i, de.Number, de.Weight, de.Weights, u)
		}
		var e, mu, j [][4]float64
		for _, l := range de.Electrons {
			e = append(e, [4]float64{l.PT, l.Eta, l.Phi, float64(l.Charge)})
		}
		for _, l := range de.Muons {
			mu = append(mu, [4]float64{l.PT, l.Eta, l.Phi, float64(l.Charge)})
		}
		for _, x := range de.Jets {
			j = append(j, [4]float64{x.PT, x.Eta, x.Phi, x.Mass})
		}
		if !equalRows(e, u.E) || !equalRows(mu, u.Mu) || !equalRows(j, u.J) || de.MissingET[0].MET != u.MET[0] || de.MissingET[0].Phi != u.MET[1] {
			t.Errorf("entry %d: objects differ from uproot's:\n e %v\n   %v\n mu %v\n   %v\n j %v\n   %v", i, e, u.E, mu, u.Mu, j, u.J)
		}
		delphescnv.Fill(&ev, de)
		ev.Finish()
		for name, prog := range progs {
			got, err := prog.Eval(&ev, nil)
			want := u.Obs[name]
			switch {
			case want == nil:
				if !errors.Is(err, observables.ErrMissingObject) {
					t.Errorf("entry %d: %s = %v (%v), uproot: no such object", i, name, got, err)
				}
			case err != nil:
				t.Errorf("entry %d: %s: %v, uproot %v", i, name, err, *want)
			case math.Abs(got-*want) > 1e-6*math.Abs(*want)+1e-6:
				t.Errorf("entry %d: %s = %v, uproot %v", i, name, got, *want)
			}
		}
	}
	if err := dr.Err(); err != nil {
		t.Fatal(err)
	}
	rep, err := p.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "partons" || rep.Events != events || rep.Dropped != 0 || rep.Weights != 5 {
		t.Errorf("pairing %+v", rep)
	}
	if rep, err := p2.Finish(); err != nil || rep.Mode != "partons" || rep.Events != events {
		t.Errorf("pairing by the Event branch: %+v, %v", rep, err)
	}
	// The CMS card's electron efficiency and isolation keep both
	// electrons of Z → ee in about 30% of the events (uproot agrees).
	t.Logf("of %d events: %d with an electron, %d with two, %d with MET", events, oneElectron, twoElectrons, withMET)
	if oneElectron < events/2 || twoElectrons < events/5 || withMET != events {
		t.Errorf("of %d Z → ee events, %d have an electron, %d two, %d MET", events, oneElectron, twoElectrons, withMET)
	}
}

// uprootEvent is one line of testdata/uproot_dump.py.
type uprootEvent struct {
	Entry   int                 `json:"entry"`
	Number  int64               `json:"number"`
	Weight  float64             `json:"weight"`
	Weights []float64           `json:"weights"`
	E       [][]float64         `json:"e"`
	Mu      [][]float64         `json:"mu"`
	J       [][]float64         `json:"j"`
	MET     []float64           `json:"met"`
	Obs     map[string]*float64 `json:"-"`
}

func uprootDump(t *testing.T, py, path string) []uprootEvent {
	t.Helper()
	var evs []uprootEvent
	for _, l := range repotest.ScriptLines(t, py, filepath.Join("testdata", "uproot_dump.py"), path) {
		var u uprootEvent
		if err := json.Unmarshal(l, &u); err != nil {
			t.Fatal(err)
		}
		var all map[string]json.RawMessage
		if err := json.Unmarshal(l, &all); err != nil {
			t.Fatal(err)
		}
		u.Obs = map[string]*float64{}
		for _, name := range []string{"pt_l1", "eta_l1", "pt_e1", "pt_mu1", "pt_j1", "met_obs", "met_phi", "m_ll"} {
			var v *float64
			if err := json.Unmarshal(all[name], &v); err != nil {
				t.Fatalf("uproot dump: %s: %v", name, err)
			}
			u.Obs[name] = v
		}
		evs = append(evs, u)
	}
	return evs
}

func equalRows(a [][4]float64, b [][]float64) bool {
	return slices.EqualFunc(a, b, func(x [4]float64, y []float64) bool { return slices.Equal(x[:], y) })
}
