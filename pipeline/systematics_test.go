// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// ppjjCard reads the MG5 p p > j j sample with 145 systematics weights as
// a background with a scale and a PDF systematic, as MadMiner did for
// ../shared/data/madminer/ppjj_scale_nuisance_1000ev.h5.
func ppjjCard(t *testing.T, systematics string) *cards.Card {
	t.Helper()
	src := fmt.Sprintf("seed: 3\nshuffle: false\n"+oneParamSetup+`systematics:
  - {name: mu_scale, type: scale, scale: mu, factors: [0.5, 2.0]}
  - {name: pdf_nnpdf, type: pdf, pdf: NNPDF23_lo_as_0130_qed, members: 100}
  - {name: lumi, type: norm, value: 0.1}
samples:
  - {name: ppjj, lhe: %s, background: true, systematics: [%s]}
observables:
  - {name: pt_j1, expr: "j[0].pt", required: true}
  - {name: pt_j2, expr: "j[1].pt", required: true}
  - {name: m_jj, expr: "(j[0] + j[1]).m", required: true}
`, repotest.Shared(t, "data/lhe/ppjj_145syst_1000ev.lhe.gz"), systematics)
	return writeCard(t, src)
}

func TestAnalyseScaleAndPDFNuisance(t *testing.T) {
	ref := repotest.Shared(t, "data/madminer/ppjj_scale_nuisance_1000ev.h5")
	env := NewEnv(ppjjCard(t, "mu_scale, pdf_nnpdf, lumi"), t.TempDir(), nil, nil)
	res := analysed(t, env)
	gh, gx, gw, _ := readAll(t, res.File)
	wh, wx, ww, _ := readAll(t, ref)

	// Names as MadMiner gives them.
	col := func(names []string, want string) int {
		for i, n := range names {
			if n == want {
				return i
			}
		}
		t.Fatalf("no benchmark %s in %v", want, names)
		return -1
	}
	var gnames, wnames []string
	for _, b := range gh.Benchmarks {
		gnames = append(gnames, b.Name)
	}
	for _, b := range wh.Benchmarks {
		wnames = append(wnames, b.Name)
	}
	if len(gh.NuisanceParameters) != 1+100+1 {
		t.Errorf("%d nuisance parameters, want 102", len(gh.NuisanceParameters))
	}
	np := gh.NuisanceParameters[0]
	wnp := wh.NuisanceParameters[0]
	if np != wnp {
		t.Errorf("scale nuisance parameter: got %+v, MadMiner %+v", np, wnp)
	}
	for i, s := range wh.Systematics {
		g := gh.Systematics[i]
		if g.Name != s.Name || g.Type != s.Type || g.Scale != s.Scale || g.Value != s.Value {
			t.Errorf("systematic %d: got %+v, MadMiner %+v", i, g, s)
		}
	}

	// MadMiner shuffled its rows: pair events by their observables.
	key := func(x []float64) string { return fmt.Sprintf("%.9g %.9g %.9g", x[0], x[1], x[2]) }
	wrow := make(map[string]int)
	for i, x := range wx {
		wrow[key(x)] = i
	}
	pairs := []struct{ ours, theirs string }{
		{"sm", "sm"},
		{"mu_scale_nuisance_param_0_benchmark_0", "mu_scale_nuisance_param_0_benchmark_0"},
		{"mu_scale_nuisance_param_0_benchmark_1", "mu_scale_nuisance_param_0_benchmark_1"},
	}
	matched := 0
	for i, x := range gx {
		j, ok := wrow[key(x)]
		if !ok {
			continue
		}
		matched++
		for _, p := range pairs {
			g, w := gw[i][col(gnames, p.ours)], ww[j][col(wnames, p.theirs)]
			if !scalar.EqualWithinAbsOrRel(g, w, 0, 1e-12) {
				t.Errorf("event %d %s: got %.15g, MadMiner %.15g", i, p.ours, g, w)
			}
		}
		// The norm variation is the nominal weight times 1.1.
		n := gw[i][col(gnames, "lumi_nuisance_param_0_benchmark_0")]
		if !scalar.EqualWithinAbsOrRel(n, 1.1*gw[i][0], 0, 1e-15) {
			t.Errorf("event %d: norm variation %g, want %g", i, n, 1.1*gw[i][0])
		}
	}
	if matched != len(wx) {
		t.Errorf("paired %d of MadMiner's %d events", matched, len(wx))
	}

	// The PDF members: independent check of member 1 and 100 of event 0
	// against the <wgt> ids 46 and 145 of the file (PDF=247001, 247100),
	// read with a plain text scan.
	raw := rawWeights(t, repotest.Shared(t, "data/lhe/ppjj_145syst_1000ev.lhe.gz"), 0)
	for _, m := range []struct {
		member int
		id     string
	}{{1, "46"}, {100, "145"}} {
		name := fmt.Sprintf("pdf_nnpdf_nuisance_param_%d_benchmark_0", m.member-1)
		g := gw[0][col(gnames, name)]
		if !scalar.EqualWithinAbsOrRel(g, raw[m.id]/1000, 0, 1e-12) {
			t.Errorf("%s: got %g, want wgt id %s / 1000 = %g", name, g, m.id, raw[m.id]/1000)
		}
	}
}

func TestAnalyseMissingVariationIsAnError(t *testing.T) {
	c := ppjjCard(t, "mu_scale")
	c.Systematics[0].Factors = []float64{0.25, 4}
	env := NewEnv(c, t.TempDir(), nil, nil)
	if _, err := Setup(env); err != nil {
		t.Fatal(err)
	}
	_, err := Analyse(env)
	if err == nil || !strings.Contains(err.Error(), "ppjj_145syst_1000ev.lhe.gz") || !strings.Contains(err.Error(), "MUR=4") {
		t.Errorf("got %v, want an error naming the file and the missing variation", err)
	}
}

// rawWeights returns the <wgt id=...> values of event n of an LHE file,
// read with a plain scan independent of package lhe.
func rawWeights(t *testing.T, path string, n int) map[string]float64 {
	t.Helper()
	text := gunzip(t, path)
	events := strings.Split(text, "<event")
	out := make(map[string]float64)
	ev := events[n+1]
	for _, part := range strings.Split(ev, "<wgt id='")[1:] {
		id := part[:strings.IndexByte(part, '\'')]
		val := part[strings.IndexByte(part, '>')+1 : strings.Index(part, "</wgt>")]
		var x float64
		if _, err := fmt.Sscan(strings.TrimSpace(val), &x); err != nil {
			t.Fatal(err)
		}
		out[id] = x
	}
	if len(out) == 0 {
		t.Fatal("no weights found")
	}
	return out
}

func gunzip(t *testing.T, path string) string {
	t.Helper()
	return string(repotest.ReadGzip(t, path))
}
