// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// lheParticle is one particle line of an LHE event.
type lheParticle struct {
	pdg, status         int
	px, py, pz, e, spin float64
}

// readLHE is a throwaway LHE scanner for tests (the lhe package is written
// separately and must not be imported here): it returns the particle lines
// of the first n events of a gzipped LHE file.
func readLHE(t testing.TB, path string, n int) [][]lheParticle {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("LHE file absent: %v", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var evs [][]lheParticle
	in, header := false, false
	var cur []lheParticle
	for sc.Scan() && len(evs) < n {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "<event>":
			in, header, cur = true, true, nil
			continue
		case line == "</event>":
			evs = append(evs, cur)
			in = false
			continue
		case !in || strings.HasPrefix(line, "<") || strings.HasPrefix(line, "#"):
			if strings.HasPrefix(line, "<") {
				in = in && !strings.HasPrefix(line, "<rwgt>")
			}
			continue
		}
		if header {
			header = false
			continue
		}
		fs := strings.Fields(line)
		if len(fs) < 13 {
			t.Fatalf("bad particle line %q", line)
		}
		var p lheParticle
		p.pdg, _ = strconv.Atoi(fs[0])
		p.status, _ = strconv.Atoi(fs[1])
		vals := make([]float64, 4)
		for i := range vals {
			vals[i], err = strconv.ParseFloat(fs[6+i], 64)
			if err != nil {
				t.Fatalf("bad momentum in %q: %v", line, err)
			}
		}
		p.px, p.py, p.pz, p.e = vals[0], vals[1], vals[2], vals[3]
		if p.spin, err = strconv.ParseFloat(fs[12], 64); err != nil {
			t.Fatalf("bad spin in %q: %v", line, err)
		}
		cur = append(cur, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return evs
}

type zhReference struct {
	Dataset struct {
		Observables []string          `json:"observables"`
		Python      map[string]string `json:"observable_python_definitions"`
		Cut         string            `json:"cut"`
		First20     [][]float64       `json:"first20_observations"`
	} `json:"dataset"`
}

func loadZHReference(t testing.TB) (zhReference, string) {
	sh := repotest.Shared(t, "")
	b, err := os.ReadFile(filepath.Join(sh, "reference", "zh", "reference.json"))
	if err != nil {
		t.Skipf("reference absent: %v", err)
	}
	var ref zhReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref, sh
}

func fillLHE(ev *Event, ps []lheParticle) {
	ev.Reset()
	for _, p := range ps {
		ev.AddLHESpin(p.pdg, p.status, p.px, p.py, p.pz, p.e, p.spin)
	}
}

// TestZHWholeEventRecord reads the whole parton-level record of real MG5
// events through expressions: the incoming partons (p_in), their flavours
// and the helicities. Physics the record must obey checks that each
// column is the right one: four-momentum conservation between p_in and the
// final state, a quark and its antiquark in the initial state, opposite
// helicities of the massless fermions at each vector-boson vertex (q q̄ → Z*
// and Z → e⁺e⁻), helicity 0 for the Higgs boson.
func TestZHWholeEventRecord(t *testing.T) {
	sh := repotest.Shared(t, "")
	evs := readLHE(t, filepath.Join(sh, "data", "lhe", "zh_smeft_cHW_cHq3_5000ev.lhe.gz"), 5000)
	if len(evs) != 5000 {
		t.Fatalf("read %d events, want 5000", len(evs))
	}
	exprs := []string{
		"len(p_in)",
		"(p_in[0] + p_in[1] - p[0] - p[1] - p[2]).e",
		"(p_in[0] + p_in[1] - p[0] - p[1] - p[2]).p",
		"p_in[0].pt + p_in[1].pt",
		"p_in[0].pdgid + p_in[1].pdgid",
		"abs(p_in[0].pdgid) <= 5 and p_in[0].pdgid != 0",
		"p_in[0].helicity + p_in[1].helicity",
		"abs(p_in[0].helicity)",
		"e[0].helicity + e[1].helicity",
		"abs(e[0].helicity)",
		"[x for x in p if x.pdgid == 25][0].helicity",
		"p_in[0].pz > 0 and p_in[1].pz < 0",
	}
	want := []float64{2, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1}
	progs := make([]*Program, len(exprs))
	for i, src := range exprs {
		p, err := Compile("x", src)
		if err != nil {
			t.Fatal(err)
		}
		progs[i] = p
	}
	var ev Event
	flavours := map[int]int{}
	for i, ps := range evs {
		fillLHE(&ev, ps)
		ev.Finish()
		flavours[ev.In[0].PDGID]++
		for k, p := range progs {
			got, err := p.Eval(&ev, nil)
			if err != nil {
				t.Fatalf("event %d: %q: %v", i, exprs[k], err)
			}
			// Momenta are written with 11 significant digits.
			if math.Abs(got-want[k]) > 1e-6 {
				t.Fatalf("event %d: %q = %v, want %v", i, exprs[k], got, want[k])
			}
		}
	}
	// Both orderings (quark from beam 1 or beam 2) and several flavours.
	if len(flavours) < 4 || flavours[2] == 0 || flavours[-2] == 0 {
		t.Errorf("flavours of the beam-1 parton %v: want quarks and antiquarks of several flavours", flavours)
	}
	t.Logf("flavour of the beam-1 parton over %d events: %v", len(evs), flavours)
}

// TestZHReference evaluates MadMiner's seven definition strings, unchanged,
// on the first 20 events of the 30000-event ZH file.
// want: dataset.first20_observations of ../shared/reference/zh/reference.json
// (MadMiner LHEReader on the same file, no smearing, rows in file order).
func TestZHReference(t *testing.T) {
	ref, sh := loadZHReference(t)
	ds := ref.Dataset
	if len(ds.First20) != 20 || len(ds.Observables) != 7 {
		t.Fatalf("unexpected reference shape: %d rows, %d observables", len(ds.First20), len(ds.Observables))
	}
	progs := make([]*Program, len(ds.Observables))
	for i, name := range ds.Observables {
		src, ok := ds.Python[name]
		if !ok {
			t.Fatalf("no definition for %s", name)
		}
		p, err := Compile(name, src)
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		progs[i] = p
	}
	cut, err := (&Compiler{Vars: ds.Observables}).Compile("cut", ds.Cut)
	if err != nil {
		t.Fatal(err)
	}
	evs := readLHE(t, filepath.Join(sh, "data", "lhe", "zh_smeft_cHW_cHq3_30000ev.lhe.gz"), 20)
	if len(evs) != 20 {
		t.Fatalf("read %d events, want 20", len(evs))
	}
	var ev Event
	row := make([]float64, len(progs))
	for i, ps := range evs {
		fillLHE(&ev, ps)
		ev.Finish()
		for k, p := range progs {
			got, err := p.Eval(&ev, nil)
			if err != nil {
				t.Fatalf("event %d: %v", i, err)
			}
			row[k] = got
			want := ds.First20[i][k]
			if d := math.Abs(got - want); d > 1e-9*math.Abs(want) {
				t.Errorf("event %d %s = %.17g, want %.17g (rel diff %.2g)", i, ds.Observables[k], got, want, d/math.Abs(want))
			}
		}
		pass, err := cut.EvalBool(&ev, row)
		if err != nil || !pass {
			t.Errorf("event %d: cut %q = %v, %v; MadMiner kept every event", i, ds.Cut, pass, err)
		}
	}
}
