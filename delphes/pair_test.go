// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/lhe"
)

// pairEvent is one synthetic event of both the LHE and the HepMC file.
type pairEvent struct {
	pid  [2]int
	pz   [2]float64 // of the LHE incoming partons, in LHE order
	w    [2]float64 // the reweighted weights w1, w2
	skip bool       // not in the HepMC file
}

func pairEvents(n int) []pairEvent {
	evs := make([]pairEvent, n)
	for i := range evs {
		evs[i] = pairEvent{
			pid: [2]int{2, -2},
			pz:  [2]float64{100 + 37.25*float64(i), -(80 + 11.5*float64(i*i%17))},
			w:   [2]float64{0.01 * float64(i+1), 0.02 + 0.001*float64(i%3)},
		}
	}
	return evs
}

// lheText writes an LHE file with weights w1 and w2 (unweighted: every
// nominal weight is the same).
func lheText(evs []pairEvent) string {
	var b strings.Builder
	b.WriteString("<LesHouchesEvents version=\"3.0\">\n<header>\n<initrwgt>\n<weightgroup name='mg_reweighting'>\n")
	b.WriteString("<weight id='w1'>set param_card a 1 1</weight>\n<weight id='w2'>set param_card a 1 2</weight>\n</weightgroup>\n</initrwgt>\n</header>\n")
	b.WriteString("<init>\n2212 2212 6.5e+03 6.5e+03 0 0 247000 247000 -4 1\n1.0e-02 1.0e-04 1.0e-02 1\n</init>\n")
	for _, e := range evs {
		b.WriteString("<event>\n 3 1 +1.0000000e-02 9.1e+01 7.5e-03 1.1e-01\n")
		for k := range 2 {
			fmt.Fprintf(&b, " %d -1 0 0 0 0 +0.0e+00 +0.0e+00 %+.10e %.10e 0.0e+00 0.0e+00 9.0e+00\n", e.pid[k], e.pz[k], abs(e.pz[k]))
		}
		b.WriteString(" 23 1 1 2 0 0 +1.0e+01 +2.0e+01 +3.0e+01 1.2e+02 9.1e+01 0.0e+00 9.0e+00\n")
		fmt.Fprintf(&b, "<rwgt>\n<wgt id='w1'> %+.7e </wgt>\n<wgt id='w2'> %+.7e </wgt>\n</rwgt>\n</event>\n", e.w[0], e.w[1])
	}
	b.WriteString("</LesHouchesEvents>\n")
	return b.String()
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// hepmcText writes the HepMC3 file Pythia 8 would write: numbered from 0,
// the partons with status 21 (the second first when swap), the weights
// named Weight, AUX_w1, AUX_w2.
func hepmcText(evs []pairEvent, swap bool, withPartons bool) string {
	var b strings.Builder
	b.WriteString("HepMC::Version 3.01.02\nHepMC::Asciiv3-START_EVENT_LISTING\nW Weight\\|AUX_w1\\|AUX_w2\n")
	n := 0
	for _, e := range evs {
		if e.skip {
			continue
		}
		fmt.Fprintf(&b, "E %d 1 4\nU GEV MM\nW 1.0e-02 %.16e %.16e\n", n, e.w[0], e.w[1])
		n++
		b.WriteString("P 1 0 2212 0 0 6.5e+03 6.5e+03 9.38e-01 4\nP 2 0 2212 0 0 -6.5e+03 6.5e+03 9.38e-01 4\n")
		order := []int{0, 1}
		if swap {
			order = []int{1, 0}
		}
		status := 21
		if !withPartons {
			status = 61
		}
		for j, k := range order {
			// Pythia recomputes pz from x1, x2: equal to ~1e-11.
			pz := e.pz[k] * (1 + 3e-12)
			fmt.Fprintf(&b, "P %d %d %d 0 0 %.16e %.16e 0 %d\n", 3+j, 1+k, e.pid[k], pz, abs(pz), status)
		}
	}
	b.WriteString("HepMC::Asciiv3-END_EVENT_LISTING\n")
	return b.String()
}

func pairReaders(t *testing.T, lheSrc, hepmcSrc string) (*lhe.Reader, *hepmc.Reader) {
	t.Helper()
	lr, err := lhe.NewReader(strings.NewReader(lheSrc), "t.lhe")
	if err != nil {
		t.Fatal(err)
	}
	hr, err := hepmc.NewReader(strings.NewReader(hepmcSrc), "t.hepmc")
	if err != nil {
		t.Fatal(err)
	}
	return lr, hr
}

func TestPairHepMC(t *testing.T) {
	base := pairEvents(8)
	mod := func(f func(evs []pairEvent) []pairEvent) []pairEvent { return f(slices.Clone(base)) }
	dropped3 := mod(func(e []pairEvent) []pairEvent { e[3].skip = true; return e })
	droppedLast := mod(func(e []pairEvent) []pairEvent { e[7].skip = true; return e })
	swapped := mod(func(e []pairEvent) []pairEvent { e[2], e[5] = e[5], e[2]; return e })
	badWeight := mod(func(e []pairEvent) []pairEvent { e[4].w[1] *= 1.001; return e })
	for _, tc := range []struct {
		name     string
		lhe      []pairEvent
		hepmc    string
		allow    bool
		mode     string
		dropped  []int
		events   int
		wantErr  string
		noWeight bool
	}{
		{name: "same", lhe: base, hepmc: hepmcText(base, false, true), mode: "partons", events: 8},
		{name: "swapped partons", lhe: base, hepmc: hepmcText(base, true, true), mode: "partons", events: 8},
		{name: "dropped", lhe: base, hepmc: hepmcText(dropped3, false, true),
			wantErr: "HepMC event 3 (line 25) was made from LHE event 4 (line LHE4), not from LHE event 3: the 1 LHE events 3 to 3 have no partner"},
		{name: "dropped allowed", lhe: base, hepmc: hepmcText(dropped3, false, true), allow: true, mode: "partons", events: 7, dropped: []int{3}},
		{name: "dropped last", lhe: base, hepmc: hepmcText(droppedLast, false, true),
			wantErr: "7 stream events but 8 LHE events: 1 LHE events have no partner (the first: [7])"},
		{name: "dropped last allowed", lhe: base, hepmc: hepmcText(droppedLast, false, true), allow: true, mode: "partons", events: 7, dropped: []int{7}},
		{name: "extra", lhe: base[:6], hepmc: hepmcText(base, false, true),
			wantErr: "HepMC event 6 (line 46) has no LHE event: the LHE file has only 6 events"},
		{name: "reordered", lhe: base, hepmc: hepmcText(swapped, false, true), allow: true,
			// HepMC event 2 pairs with LHE event 5, so event 3 matches
			// nothing after it.
			wantErr: "HepMC event 3 (line 25) (incoming [{2 " + fmt.Sprint(base[3].pz[0]*(1+3e-12)) + "} {-2 " + fmt.Sprint(base[3].pz[1]*(1+3e-12)) + "}]) matches no LHE event from event 6 (line LHE6) on"},
		{name: "other weights", lhe: base, hepmc: hepmcText(badWeight, false, true),
			wantErr: "HepMC event 4 (line 32) has the incoming partons of LHE event 4 (line LHE4) but weight AUX_w2 = 0.021020999999999998 where the LHE event has w2 = 0.021: a different sample"},
		{name: "weights only", lhe: base, hepmc: hepmcText(base, false, false), mode: "weights", events: 8},
		{name: "weights only, dropped", lhe: base, hepmc: hepmcText(dropped3, false, false), allow: true,
			wantErr: "HepMC event 3 (line 25): its weights differ from those of LHE event 3 (line LHE3), its partner by position, and without the hard-process partons"},
		{name: "position", lhe: base, hepmc: hepmcText(base, false, false), noWeight: true, mode: "position", events: 8},
		{name: "position, dropped", lhe: base, hepmc: hepmcText(dropped3, false, false), noWeight: true,
			wantErr: "7 stream events but 8 LHE events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := lheText(tc.lhe)
			lr, hr := pairReaders(t, text, tc.hepmc)
			for k := range tc.lhe {
				tc.wantErr = strings.ReplaceAll(tc.wantErr, fmt.Sprintf("line LHE%d)", k), fmt.Sprintf("line %d)", lineOf(text, "<event>", k)))
			}
			opts := &PairOptions{AllowDropped: tc.allow}
			if tc.noWeight {
				opts.WeightNames = []string{"Weight", "x1", "x2"}
			}
			rep, err := PairHepMC(lr, hr, opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rep.Mode != tc.mode || rep.Events != tc.events || rep.LHEEvents != len(tc.lhe) || rep.Dropped != len(tc.dropped) || !slices.Equal(rep.DroppedFirst, tc.dropped) {
				t.Errorf("report %+v, want mode %s, %d events, dropped %v", rep, tc.mode, tc.events, tc.dropped)
			}
			if wantW := 2; !tc.noWeight && rep.Weights != wantW {
				t.Errorf("%d weights compared, want %d", rep.Weights, wantW)
			}
		})
	}
}

// TestPairHepMCReal pairs the real Pythia 8 shower of the first ten ZH
// events with the LHE file they came from.
func TestPairHepMCReal(t *testing.T) {
	hpath := repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz")
	lpath := repotest.Shared(t, "data/lhe/zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	raw := repotest.ReadGzip(t, hpath)
	lheFirst := func(n int) string {
		// The first n events of the LHE file.
		head, events := repotest.LHEEvents(t, string(repotest.ReadGzip(t, lpath)), n)
		return repotest.LHEText(head, events...)
	}
	lr, hr := pairReaders(t, lheFirst(10), string(raw))
	rep, err := PairHepMC(lr, hr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "partons" || rep.Events != 10 || rep.Dropped != 0 || rep.Weights != 5 {
		t.Errorf("report %+v", rep)
	}

	// Against the whole LHE file, the 4990 events left over are an error,
	// or dropped events when allowed.
	open := func() (*lhe.Reader, *hepmc.Reader) {
		lr, err := lhe.Open(lpath)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { lr.Close() })
		hr, err := hepmc.NewReader(bytes.NewReader(raw), hpath)
		if err != nil {
			t.Fatal(err)
		}
		return lr, hr
	}
	lr, hr = open()
	if _, err := PairHepMC(lr, hr, nil); err == nil || !strings.Contains(err.Error(), "10 stream events but 5000 LHE events: 4990 LHE events have no partner (the first: [10 11 12 13 14])") {
		t.Errorf("whole LHE file: %v", err)
	}
	lr, hr = open()
	rep, err = PairHepMC(lr, hr, &PairOptions{AllowDropped: true})
	if err != nil || rep.Dropped != 4990 || len(rep.DroppedFirst) != 100 || rep.DroppedFirst[0] != 10 {
		t.Errorf("whole LHE file, dropped allowed: %+v, %v", rep, err)
	}

	// The shower lost the fourth event: the partons tell which.
	s := string(raw)
	e3 := strings.Index(s, "\nE 3 ")
	e4 := strings.Index(s, "\nE 4 ")
	cut := s[:e3] + s[e4:]
	lr, hr = pairReaders(t, lheFirst(10), cut)
	want := fmt.Sprintf("HepMC event 4 (line %d) was made from LHE event 4 (line %d), not from LHE event 3: the 1 LHE events 3 to 3 have no partner",
		lineOf(cut, "E ", 3), lineOf(lheFirst(10), "<event>", 4))
	if _, err := PairHepMC(lr, hr, nil); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("lost event: %v", err)
	}
	lr, hr = pairReaders(t, lheFirst(10), cut)
	if rep, err := PairHepMC(lr, hr, &PairOptions{AllowDropped: true}); err != nil || !slices.Equal(rep.DroppedFirst, []int{3}) {
		t.Errorf("lost event, allowed: %+v, %v", rep, err)
	}
}

// lineOf returns the line number of the k-th line (0-based) of text that
// starts with prefix.
func lineOf(text, prefix string, k int) int {
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			if k == 0 {
				return i + 1
			}
			k--
		}
	}
	return -1
}

func TestPairKeys(t *testing.T) {
	// LHE: status -1 partons; HepMC and Delphes: status 21; not two of
	// them: no key.
	le := &lhe.Event{Particles: []lhe.Particle{{PDGID: 1, Status: -1, Pz: -5}, {PDGID: 21, Status: -1, Pz: 7}, {PDGID: 23, Status: 2, Pz: 100}}}
	want := PairKey{In: [2]PairParton{{21, 7}, {1, -5}}, HasIn: true}
	if k := LHEKey(le); k.In != want.In || !k.HasIn {
		t.Errorf("LHE key %+v", k)
	}
	he := &hepmc.Event{Weights: []float64{1, 2}, Particles: []hepmc.Particle{{PID: 2212, Status: 4, Pz: 6500}, {PID: 1, Status: 21, Pz: -5}, {PID: 21, Status: 21, Pz: 7}, {PID: 21, Status: 61, Pz: 3}}}
	if k := HepMCKey(he); k.In != want.In || !k.HasIn || !slices.Equal(k.Weights, []float64{1, 2}) {
		t.Errorf("HepMC key %+v", k)
	}
	de := &Event{Weights: []float64{3}, Particles: []Particle{{PID: 21, Status: 21, Pz: 7}, {PID: 1, Status: 21, Pz: -5}}}
	if k := DelphesKey(de); k.In != want.In || !k.HasIn || !slices.Equal(k.Weights, []float64{3}) {
		t.Errorf("Delphes key %+v", k)
	}
	he.Particles = append(he.Particles, hepmc.Particle{PID: 3, Status: 21, Pz: 1})
	if k := HepMCKey(he); k.HasIn {
		t.Errorf("three status-21 particles give key %+v", k)
	}
	if k := DelphesKey(&Event{}); k.HasIn {
		t.Errorf("no particles give key %+v", k)
	}
}

// TestPairDelphesEventBranch pairs a real Delphes file that has no
// Particle branch (DelphesHepMC3 on the Pythia 8 shower of the first ten
// ZH events) with the LHE events by the partons of its Event branch
// (GenPdfInfo) and its weights; an LHE event without a Delphes event,
// and two swapped LHE events, are caught.
func TestPairDelphesEventBranch(t *testing.T) {
	lpath := repotest.Shared(t, "data/lhe/zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	hpath := repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz")
	hr, err := hepmc.NewReader(bytes.NewReader(repotest.ReadGzip(t, hpath)), hpath)
	if err != nil {
		t.Fatal(err)
	}
	names := hr.WeightNames()
	head, events := repotest.LHEEvents(t, string(repotest.ReadGzip(t, lpath)), 12)
	lheOf := func(evs ...string) *lhe.Reader {
		lr, err := lhe.NewReader(strings.NewReader(repotest.LHEText(head, evs...)), "zh.lhe")
		if err != nil {
			t.Fatal(err)
		}
		return lr
	}
	pair := func(lr *lhe.Reader, opts PairOptions) (*PairReport, error) {
		t.Helper()
		dr, err := Open(eventOnly10, Options{Collections: []string{}, PairKey: true})
		if err != nil {
			t.Fatal(err)
		}
		defer dr.Close()
		if got := dr.Collections(); !slices.Equal(got, []string{"Event", "Weight"}) {
			t.Errorf("collections read for pairing: %v", got)
		}
		opts.WeightNames = names
		return PairDelphes(lr, dr, &opts)
	}

	rep, err := pair(lheOf(events[:10]...), PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "partons" || rep.Events != 10 || rep.Dropped != 0 || rep.Weights != 5 {
		t.Errorf("report %+v", rep)
	}

	// An LHE event (the 11th of the file) inserted after the third: the
	// Delphes file lacks it.
	extra := slices.Concat(events[:3], events[10:11], events[3:10])
	if _, err := pair(lheOf(extra...), PairOptions{}); err == nil || !strings.Contains(err.Error(), "Delphes entry 3 (event number 3) was made from LHE event 4") ||
		!strings.Contains(err.Error(), "the 1 LHE events 3 to 3 have no partner") {
		t.Errorf("an LHE event without a Delphes event: %v", err)
	}
	var dropped []int
	rep, err = pair(lheOf(extra...), PairOptions{AllowDropped: true, OnDrop: func(ev *lhe.Event) { dropped = append(dropped, ev.Index) }})
	if err != nil || rep.Dropped != 1 || rep.Events != 10 || !slices.Equal(dropped, []int{3}) {
		t.Errorf("an LHE event without a Delphes event, allowed: %+v, %v, OnDrop %v", rep, err, dropped)
	}
	// Dropped at the end.
	dropped = nil
	rep, err = pair(lheOf(events[:12]...), PairOptions{AllowDropped: true, OnDrop: func(ev *lhe.Event) { dropped = append(dropped, ev.Index) }})
	if err != nil || rep.Dropped != 2 || !slices.Equal(dropped, []int{10, 11}) {
		t.Errorf("two LHE events left over, allowed: %+v, %v, OnDrop %v", rep, err, dropped)
	}

	// Swapped events are found even when drops are allowed.
	swapped := slices.Concat(events[:4], events[5:6], events[4:5], events[6:10])
	for _, allow := range []bool{false, true} {
		if _, err := pair(lheOf(swapped...), PairOptions{AllowDropped: allow}); err == nil || !strings.Contains(err.Error(), "Delphes entry") {
			t.Errorf("swapped LHE events (drops allowed: %v): %v", allow, err)
		}
	}

	// Another sample's weights with the same partons: the weights tell.
	other := slices.Clone(events[:10])
	other[6] = strings.Replace(other[6], "<wgt id='morphing_basis_vector_2'> +2.19", "<wgt id='morphing_basis_vector_2'> +3.19", 1)
	if _, err := pair(lheOf(other...), PairOptions{}); err == nil || !strings.Contains(err.Error(), "Delphes entry 6 (event number 6) has the incoming partons of LHE event 6") {
		t.Errorf("a changed weight: %v", err)
	}
}

// TestPairMomentumFractions: a key of momentum fractions (Delphes' Event
// branch) is scaled by the LHE file's beam energies, each by its own beam.
func TestPairMomentumFractions(t *testing.T) {
	evs := pairEvents(3)
	src := strings.Replace(lheText(evs), "2212 2212 6.5e+03 6.5e+03", "2212 2212 2.0e+03 6.5e+03", 1)
	for _, swap := range []bool{false, true} {
		lr, err := lhe.NewReader(strings.NewReader(src), "t.lhe")
		if err != nil {
			t.Fatal(err)
		}
		p := NewPairer(lr, nil)
		e1, e2 := 2000.0, 6500.0
		if swap {
			e1, e2 = e2, e1
		}
		var err1 error
		for i, e := range evs {
			de := &Event{ID1: e.pid[0], ID2: e.pid[1], X1: e.pz[0] / e1, X2: -e.pz[1] / e2}
			k := DelphesKey(de)
			if !k.HasIn || !k.InX {
				t.Fatalf("event %d: key %+v from the Event branch", i, k)
			}
			if _, err := p.Next(k, fmt.Sprint("event ", i)); err != nil {
				err1 = err
				break
			}
		}
		if swap != (err1 != nil) {
			t.Errorf("beam energies swapped %v: error %v", swap, err1)
		}
	}
}
