// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/delphes"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/pipeline"
	"github.com/goldmine-hep/goldmine/stage"
	"github.com/goldmine-hep/goldmine/store"
)

// TestRealChain runs cards/zh_delphes.yaml as a user does, with 300
// events and the real programs: goldmine generate (MG5 with
// reweighting), goldmine shower (Pythia 8's main42) and goldmine analyse
// (DelphesHepMC3 with the CMS card, then the observables). It needs more
// than a minute, so it does not run under -short:
//
//	.ci/tools/setup.sh && . "$GOLDMINE_TOOLS/env.sh"   # Pythia 8, Delphes, uproot
//	GOLDMINE_REQUIRE_TOOLS=1 GOLDMINE_PYTHON=/usr/bin/python3 go test -run RealChain -timeout 30m -v ./cmd/goldmine
//
// .ci/run runs it with the RealMG5 tests. It checks that Pythia 8's and
// Delphes' events are paired with the LHE events by their partons, none
// dropped; that the Delphes file has as many events as the LHE file, with
// electrons and MET; that goldmine's observables equal those computed
// from uproot's reading of the same file
// (testdata/zh_delphes_observables.py), event by event, to float32
// precision, and are finite and physical (ordered momenta, a Z peak in
// m_ee); that each event's weights are those of the LHE event it was made
// from, times the sample's normalisation, and sum to the cross sections
// analyse reports; that goldmine run then finds every stage up to date;
// and that goldmine run in a fresh folder writes the same events, every
// program being seeded from the card.
func TestRealChain(t *testing.T) {
	const events = 300
	mg5, python := realMG5(t)
	pythia := repotest.Pythia8(t)
	delphesDir := repotest.Delphes(t)
	py := repotest.Python(t, "uproot")

	root, card := readCard(t, "zh_delphes.yaml")
	i := strings.Index(card, "madgraph:")
	j := strings.Index(card, "# Pythia 8's example main42")
	k := strings.Index(card, "samples:\n")
	l := strings.Index(card, "# In MadMiner's Delphes syntax")
	m := strings.Index(card, "sampling:")
	if i < 0 || j < i || k < j || l < k || m < l {
		t.Fatal("cards/zh_delphes.yaml: sections not found")
	}
	card = card[:i] + card[j:k] +
		madgraphSection(root, mg5, python, "", "    - {name: sm, benchmark: sm, events: 300, seed: 2026}", "  - {name: zh, madgraph_run: sm}") +
		"shuffle: false\n" + card[l:m]
	cardPath := writeTempCard(t, "zh_delphes_small.yaml", card)
	work := filepath.Join(t.TempDir(), "work")
	// The card as shipped finds Pythia 8 and Delphes through the
	// environment, and Pythia's data files beside main42.
	env := []string{"MG5_AMC=", "GOLDMINE_PYTHON=", "GOLDMINE_PYTHIA8=" + pythia, "GOLDMINE_DELPHES=" + delphesDir, "PYTHIA8DATA="}
	step := func(args ...string) (stdout []byte, stderr string) {
		t.Helper()
		start := time.Now()
		cmd, out, errb := goldmine(t, env, append(args, cardPath, "--workdir", work, "--json")...)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("goldmine %s: %v\n%s", strings.Join(args, " "), err, errb)
		}
		t.Logf("goldmine %s: %v", strings.Join(args, " "), time.Since(start).Round(100*time.Millisecond))
		return out.Bytes(), errb.String()
	}

	var gen generateJSON
	out, _ := step("generate")
	if err := json.Unmarshal(out, &gen); err != nil {
		t.Fatal(err)
	}
	if len(gen.Runs) != 1 || gen.Runs[0].Status != "done" {
		t.Fatalf("generate: %+v", gen.Runs)
	}
	lhePath := gen.Runs[0].LHE

	var sh pipeline.ShowerResult
	out, progress := step("shower")
	if err := json.Unmarshal(out, &sh); err != nil {
		t.Fatal(err)
	}
	if len(sh.Samples) != 1 || sh.Samples[0].Events != events || sh.Samples[0].LHEEvents != events || sh.Samples[0].Pairing != "partons" {
		t.Fatalf("shower: %+v", sh.Samples)
	}
	for _, w := range []string{"shower: sample zh (1 of 1): Pythia 8 on", "events", "shower: unweighted_events.lhe.gz: done after"} {
		if !strings.Contains(progress, w) {
			t.Errorf("shower progress lacks %q:\n%s", w, progress)
		}
	}
	t.Logf("Pythia 8 on %d events: %.1fs (seed %d)", events, sh.Samples[0].Seconds, sh.Samples[0].Seed)

	var an pipeline.AnalyseResult
	out, progress = step("analyse")
	if err := json.Unmarshal(out, &an); err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`delphes: sample zh: done after ([0-9.]+s)`).FindStringSubmatch(progress); m != nil {
		t.Logf("Delphes (CMS card) on %d events: %s", events, m[1])
	} else {
		t.Errorf("analyse progress lacks the Delphes lines:\n%s", progress)
	}
	for _, w := range an.Warnings {
		t.Logf("analyse warning: %s", w)
	}
	if len(an.Samples) != 1 || an.Samples[0].Pairing != "partons" || an.Samples[0].Dropped != 0 || an.EventsRead != events {
		t.Fatalf("analyse: %+v", an)
	}

	// The Delphes file: one event per LHE event, electrons and MET.
	rootPath := filepath.Join(work, "delphes", "zh.root")
	tr, err := delphes.OpenTree(rootPath, delphes.DefaultTree)
	if err != nil {
		t.Fatal(err)
	}
	if n := tr.Entries(); n != events {
		t.Errorf("the Delphes file has %d events, the LHE file %d", n, events)
	}
	tr.Close()
	ref := uprootObservables(t, py, rootPath)
	if len(ref) != events {
		t.Fatalf("uproot reads %d events", len(ref))
	}
	withE, twoE, withMET, pass := 0, 0, 0, 0
	for _, r := range ref {
		if r.NE >= 1 {
			withE++
		}
		if r.NE >= 2 {
			twoE++
		}
		if r.MET > 0 {
			withMET++
		}
		if r.Pass {
			pass++
		}
	}
	t.Logf("of %d Delphes events: %d with an electron, %d with two, %d with MET > 0, %d pass the card", events, withE, twoE, withMET, pass)
	if withE < events/2 || twoE < events/5 || withMET != events {
		t.Errorf("of %d Z → ee events, %d have an electron, %d two, %d MET", events, withE, twoE, withMET)
	}
	if an.EventsWritten != pass {
		t.Errorf("goldmine wrote %d events, %d pass by uproot's reading", an.EventsWritten, pass)
	}

	// Observables and weights, row by row (no shuffle): row r is the
	// r-th Delphes entry that passes, made from the LHE event of the same
	// index (the pairing found no drop).
	f, err := store.OpenEvents(filepath.Join(work, "events.h5"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := f.Header()
	n, nObs, nW := f.Shape()
	if nObs != 10 || nW != 6 || n != pass {
		t.Fatalf("events file: %d events, %d observables, %d weights", n, nObs, nW)
	}
	lr, err := lhe.Open(lhePath)
	if err != nil {
		t.Fatal(err)
	}
	defer lr.Close()
	idx := make([]int, nW) // LHE weight index of each benchmark, -1 for the event weight
	for b, bm := range h.Benchmarks {
		idx[b] = -1
		if bm.Name != "sm" {
			var ok bool
			if idx[b], ok = lr.Header().WeightIndex(bm.Name); !ok {
				t.Fatalf("the LHE file has no weight %s", bm.Name)
			}
		}
	}
	col := make(map[string]int)
	for o, name := range h.ObservableNames {
		col[name] = o
	}
	entry, lheAt := 0, -1
	worst := 0.0
	var mee []float64
	sumW := make([]float64, nW)
	err = f.ReadRows(0, n, func(start, rows int, x, w []float64) error {
		for r := range rows {
			for !ref[entry].Pass {
				entry++
			}
			for lheAt < entry {
				if !lr.Next() {
					t.Fatalf("the LHE file ends before event %d", entry)
				}
				lheAt++
			}
			le := lr.Event()
			physical(t, start+r, x[r*nObs:(r+1)*nObs], col)
			mee = append(mee, x[r*nObs+col["m_ee"]])
			for o := range nObs {
				got, want := x[r*nObs+o], *ref[entry].Obs[o]
				d := math.Abs(got-want) / math.Max(math.Abs(want), 1)
				worst = math.Max(worst, d)
				if d > 2e-6 {
					t.Errorf("row %d (Delphes entry %d): %s = %v, uproot %v", start+r, entry, h.ObservableNames[o], got, want)
				}
			}
			for b := range nW {
				lw := le.Weight
				if idx[b] >= 0 {
					lw = le.Weights[idx[b]]
				}
				sumW[b] += w[r*nW+b]
				if !(w[r*nW+b] > 0) || math.IsInf(w[r*nW+b], 0) {
					t.Errorf("row %d: weight %s = %v, want finite and positive", start+r, h.Benchmarks[b].Name, w[r*nW+b])
				}
				if want := lw * an.Samples[0].Scale; math.Abs(w[r*nW+b]-want) > 1e-12*math.Abs(want) {
					t.Errorf("row %d (Delphes entry %d): weight %s = %v, LHE event %d gives %v", start+r, entry, h.Benchmarks[b].Name, w[r*nW+b], le.Index, want)
				}
			}
			entry++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d events: observables within %.2g (relative) of uproot's, weights those of the paired LHE events", n, worst)
	for b, bm := range h.Benchmarks {
		if got := an.XSecPB[bm.Name]; math.Abs(got-sumW[b]) > 1e-9*sumW[b] {
			t.Errorf("analyse reports σ(%s) = %v pb after cuts, the events' weights sum to %v", bm.Name, got, sumW[b])
		}
	}

	// The Z peak of the Delphes electrons: the CMS card smears the
	// electron energies by a few per cent, so the median m_ee lies within
	// a couple of GeV of the Z mass and most events within 10 GeV of it.
	// A wrong energy or pz (sinh eta) of the electrons would move it.
	sort.Float64s(mee)
	near := 0
	for _, m := range mee {
		if math.Abs(m-mZ) < 10 {
			near++
		}
	}
	med := mee[len(mee)/2]
	t.Logf("m_ee of the Delphes electrons: median %.2f GeV, %d of %d within 10 GeV of the Z mass", med, near, len(mee))
	if math.Abs(med-mZ) > 3 || near < len(mee)*7/10 {
		t.Errorf("no Z peak: median m_ee %.2f GeV, %d of %d events within 10 GeV of %.4g GeV", med, near, len(mee), mZ)
	}

	// --quiet silences the progress.
	cmd, _, errb := goldmine(t, env, "shower", cardPath, "--workdir", work, "--quiet")
	if err := cmd.Wait(); err != nil || errb.Len() != 0 {
		t.Errorf("goldmine shower --quiet: %v, stderr %q", err, errb)
	}

	// goldmine run after the single stages finds them up to date; in a
	// fresh folder it runs the whole chain again and, every program being
	// seeded from the card, writes the same events.
	runIn := func(dir string) map[string]string {
		t.Helper()
		start := time.Now()
		cmd, out, errb := goldmine(t, env, "run", cardPath, "--workdir", dir, "--json")
		if err := cmd.Wait(); err != nil {
			t.Fatalf("goldmine run: %v\n%s", err, errb)
		}
		t.Logf("goldmine run: %v", time.Since(start).Round(100*time.Millisecond))
		var rr pipeline.RunResult
		if err := json.Unmarshal(out.Bytes(), &rr); err != nil {
			t.Fatal(err)
		}
		st := make(map[string]string)
		for _, s := range rr.Stages {
			st[s.Name] = s.Status
		}
		return st
	}
	st := runIn(work)
	for _, name := range []string{"generate", "shower", "analyse"} {
		if st[name] != stage.StatusUpToDate {
			t.Errorf("goldmine run after the stages: %s %q, want up to date (all: %v)", name, st[name], st)
		}
	}
	work2 := filepath.Join(t.TempDir(), "work")
	st = runIn(work2)
	for _, name := range []string{"generate", "shower", "analyse"} {
		if st[name] != stage.StatusRan {
			t.Errorf("goldmine run in a fresh folder: %s %q, want ran (all: %v)", name, st[name], st)
		}
	}
	x1, w1 := readEvents(t, filepath.Join(work, "events.h5"))
	x2, w2 := readEvents(t, filepath.Join(work2, "events.h5"))
	if !slices.Equal(x1, x2) || !slices.Equal(w1, w2) {
		t.Errorf("goldmine run from scratch wrote other events (%d and %d values): not reproducible from the card's seeds", len(x1)+len(w1), len(x2)+len(w2))
	}
}

// readEvents returns the observables and weights of an events file.
func readEvents(t *testing.T, path string) (x, w []float64) {
	t.Helper()
	f, err := store.OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, _, _ := f.Shape()
	err = f.ReadRows(0, n, func(_, _ int, xb, wb []float64) error {
		x = append(x, xb...)
		w = append(w, wb...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return x, w
}

// mZ is the Z mass in GeV (MG5's param card of the study).
const mZ = 91.1876

// physical checks one row of the chain's observables: finite, momenta
// positive, the electrons by decreasing pT and within the leptons, the
// azimuthal difference within [-pi, pi], the jet count a whole number.
func physical(t *testing.T, row int, x []float64, col map[string]int) {
	t.Helper()
	v := func(name string) float64 { return x[col[name]] }
	for name, o := range col {
		if math.IsNaN(x[o]) || math.IsInf(x[o], 0) {
			t.Errorf("row %d: %s = %v", row, name, x[o])
		}
	}
	for _, name := range []string{"pt_z", "m_ee", "pt_e2"} {
		if !(v(name) > 0) {
			t.Errorf("row %d: %s = %v, want > 0", row, name, v(name))
		}
	}
	if !(v("pt_e1") >= v("pt_e2")) || !(v("pt_l1") >= v("pt_e1")) {
		t.Errorf("row %d: pt_e1 %v, pt_e2 %v, pt_l1 %v: not ordered", row, v("pt_e1"), v("pt_e2"), v("pt_l1"))
	}
	if !(v("met") >= 0) || !(v("pt_j1") >= 0) || math.Abs(v("dphi_ee")) > math.Pi {
		t.Errorf("row %d: met %v, pt_j1 %v, dphi_ee %v", row, v("met"), v("pt_j1"), v("dphi_ee"))
	}
	if n := v("n_j"); n < 0 || n != math.Trunc(n) || (n == 0) != (v("pt_j1") == 0) {
		t.Errorf("row %d: n_j %v with pt_j1 %v", row, n, v("pt_j1"))
	}
}

// uprootRow is one line of testdata/zh_delphes_observables.py.
type uprootRow struct {
	Entry int        `json:"entry"`
	NE    int        `json:"n_e"`
	NMu   int        `json:"n_mu"`
	MET   float64    `json:"met"`
	Obs   []*float64 `json:"obs"`
	Pass  bool       `json:"pass"`
}

func uprootObservables(t *testing.T, py, path string) []uprootRow {
	t.Helper()
	var rows []uprootRow
	for _, l := range repotest.ScriptLines(t, py, filepath.Join("testdata", "zh_delphes_observables.py"), path) {
		var r uprootRow
		if err := json.Unmarshal(l, &r); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	return rows
}
