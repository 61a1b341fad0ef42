// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// exactCard writes cards/zh_exact.yaml with its madgraph section cut to one
// run of n SM events (seed) and returns the card's path.
func exactCard(t *testing.T, mg5, python string, n, seed int) string {
	t.Helper()
	root, card := readCard(t, "zh_exact.yaml")
	i, j := strings.Index(card, "madgraph:"), strings.Index(card, "# x is the whole")
	if i < 0 || j < i {
		t.Fatal("cards/zh_exact.yaml: sections not found")
	}
	mg := madgraphSection(root, mg5, python, "  cores_per_run: 2\n",
		fmt.Sprintf("    - {name: sm, benchmark: sm, events: %d, seed: %d}", n, seed), "  - {name: zh, madgraph_run: sm}")
	return writeTempCard(t, "zh_exact_small.yaml", card[:i]+mg+card[j:])
}

// TestRealMG5MorphingCheck is the suite's version of the truth check of
// the parton-level study (cards/zh_exact.yaml, studies/zh_exact): 3000 SM
// events from the real MG5, reweighted by MG5 to the morphing basis and to
// three points outside it. For every event and every check point, the
// weight MG5 computed there equals the morphing of the event's basis
// weights within the rounding of MG5's eight written digits (goldmine
// inspect). The same check fails with one morphing coefficient off by a
// relative 1e-6. The events carry the whole parton-level record: the
// incoming partons' momenta balance the final state's.
func TestRealMG5MorphingCheck(t *testing.T) {
	mg5, python := realMG5(t)
	card := exactCard(t, mg5, python, 3000, 5151)
	work := filepath.Join(t.TempDir(), "work")
	var gen generateJSON
	if err := json.Unmarshal(goldmineRun(t, "generate", card, "--workdir", work), &gen); err != nil {
		t.Fatal(err)
	}
	if len(gen.Runs) != 1 || gen.Runs[0].Status != "done" {
		t.Fatalf("runs %+v", gen.Runs)
	}
	goldmineRun(t, "setup", card, "--workdir", work)
	goldmineRun(t, "analyse", card, "--workdir", work)
	events := filepath.Join(work, "events.h5")

	var insp struct {
		MorphingCheck []sampling.MorphingCheck `json:"morphing_check"`
	}
	if err := json.Unmarshal(goldmineRun(t, "inspect", events), &insp); err != nil {
		t.Fatal(err)
	}
	if len(insp.MorphingCheck) != 3 {
		t.Fatalf("inspect checked %d points, want the card's three check points", len(insp.MorphingCheck))
	}
	for _, c := range insp.MorphingCheck {
		t.Log(c.String())
		if c.Events != 3000 || c.Exceeding != 0 {
			t.Errorf("%s: %d events, %d beyond the rounding of the written weights (max %.3g × the bound at event %d)", c.Name, c.Events, c.Exceeding, c.MaxExcess, c.MaxExcessEvent)
		}
	}

	ef, err := store.OpenEvents(events)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	h := ef.Header()
	cfg, err := sampling.ConfigFromHeader(h)
	if err != nil {
		t.Fatal(err)
	}
	points := sampling.CheckPointsFromHeader(h, cfg.Morpher)
	src := sampling.FromEventFile(ef)
	eps := morphing.WrittenPrecision(8)

	// One morphing coefficient off by 1e-6 must fail the check.
	bad := mat.DenseCopyOf(cfg.Morpher.Matrix())
	bad.Set(5, 1, bad.At(5, 1)*(1+1e-6))
	mBad, err := morphing.NewFromMatrix(h.Components, bad)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sampling.CheckMorphing(src, mBad, eps, points, 0)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, c := range res {
		if c.Exceeding > 0 {
			failed++
		}
		t.Logf("with M[5,1] off by 1e-6: %s", c.String())
	}
	if failed == 0 {
		t.Error("a morphing coefficient off by a relative 1e-6 passes the check: it cannot fail")
	}
	// A measurement: the basis with the full-precision values of
	// cards/zh_generate.yaml, which MG5 rounds to seven digits before
	// computing.
	full := [][]float64{{0, 0}, {-0.7546379162819874, 0.06772376860683327}, {-0.5342918055120081, 0.5096157022009227},
		{0.34974116832900015, -0.8561460703815711}, {0.9785293694716006, 0.5609138711486825}, {-0.5443482262188049, -0.9385143633006059}}
	mFull, err := morphing.New(h.Components, full)
	if err != nil {
		t.Fatal(err)
	}
	if res, err = sampling.CheckMorphing(src, mFull, eps, points, 0); err != nil {
		t.Fatal(err)
	}
	for _, c := range res {
		t.Logf("with the unrounded basis values: %s", c.String())
	}

	// The whole record: p_in balances e+ e- h, incoming q q̄ pairs.
	idx := map[string]int{}
	for i, n := range h.ObservableNames {
		idx[n] = i
	}
	nObs := len(h.ObservableNames)
	var worst float64
	err = ef.Read(0, ef.N(), 4096, func(b *store.Batch) error {
		for i := 0; i < b.N; i++ {
			x := b.X[i*nObs : (i+1)*nObs]
			v := func(n string) float64 { return x[idx[n]] }
			pz := v("pz_in1") + v("pz_in2") - v("pz_ep") - v("pz_em") - v("pz_h")
			e := math.Abs(v("pz_in1")) + math.Abs(v("pz_in2")) - v("e_ep") - v("e_em") - v("e_h")
			worst = math.Max(worst, math.Max(math.Abs(pz), math.Abs(e))/(v("e_ep")+v("e_em")+v("e_h")))
			if v("id_in1") != -v("id_in2") || v("id_in1") == 0 || math.Abs(v("id_in1")) > 5 || v("pz_in1") <= 0 || v("pz_in2") >= 0 {
				return fmt.Errorf("event %d: incoming %v, %v with pz %v, %v", b.Start+i, v("id_in1"), v("id_in2"), v("pz_in1"), v("pz_in2"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("four-momentum balance of p_in against e+ e- h: worst %.2g of the final-state energy", worst)
	if worst > 1e-8 {
		t.Errorf("p_in does not balance the final state: %.3g", worst)
	}
}

// TestZHExactCard prepares the job folder of cards/zh_exact.yaml (no MG5
// needed): eight SM runs of 40k events with distinct seeds, each
// reweighted to the five other basis points and the three check points,
// which lie inside the parameter ranges and away from the basis.
func TestZHExactCard(t *testing.T) {
	work := t.TempDir()
	if _, err := run(t, map[string]string{"MG5_AMC": "", "GOLDMINE_PYTHON": ""}, "generate", "../../cards/zh_exact.yaml", "--workdir", work, "--only-prepare", "--quiet"); err != nil {
		t.Fatal(err)
	}
	var runs struct {
		Runs []struct {
			Name            string   `json:"name"`
			SampleBenchmark string   `json:"sample_benchmark"`
			Weights         []string `json:"weights"`
		} `json:"runs"`
	}
	b, err := os.ReadFile(filepath.Join(work, "madgraph", "runs.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &runs); err != nil {
		t.Fatal(err)
	}
	want := append(append([]string(nil), basis...), "check_1", "check_2", "check_3")
	seeds, events := map[string]bool{}, 0
	for _, r := range runs.Runs {
		if r.SampleBenchmark != "sm" || strings.Join(r.Weights, " ") != strings.Join(want, " ") {
			t.Errorf("run %s: sampled at %s, reweighted to %v; want sm and %v", r.Name, r.SampleBenchmark, r.Weights, want)
		}
		rc, err := os.ReadFile(filepath.Join(work, "madgraph", "cards", r.Name, "run_card.dat"))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(rc), "\n") {
			f := strings.Fields(l)
			switch {
			case len(f) >= 3 && f[1] == "=" && f[2] == "iseed":
				seeds[f[0]] = true
			case len(f) >= 3 && f[1] == "=" && f[2] == "nevents":
				var n int
				fmt.Sscan(f[0], &n)
				events += n
			}
		}
	}
	if len(runs.Runs) != 8 || len(seeds) != 8 || events != 320000 {
		t.Errorf("%d runs, %d distinct seeds, %d events; want 8, 8, 320000", len(runs.Runs), len(seeds), events)
	}

	out, err := run(t, nil, "setup", "../../cards/zh_exact.yaml", "--workdir", work, "--quiet", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var setup struct{ Basis []string }
	if err := json.Unmarshal([]byte(out), &setup); err != nil {
		t.Fatal(err)
	}
	s, err := store.ReadSetup(filepath.Join(work, "setup.h5"))
	if err != nil {
		t.Fatal(err)
	}
	if len(setup.Basis) != 6 || len(s.Benchmarks) != 9 {
		t.Fatalf("basis %v, %d benchmarks; want 6 and 9", setup.Basis, len(s.Benchmarks))
	}
	for _, c := range s.Benchmarks[6:] {
		for p, v := range c.Values {
			if r := s.Parameters[p].Range; v <= r[0] || v >= r[1] {
				t.Errorf("check point %s: %s = %g outside (%g, %g)", c.Name, s.Parameters[p].Name, v, r[0], r[1])
			}
		}
		for _, bb := range s.Benchmarks[:6] {
			if d := math.Hypot(c.Values[0]-bb.Values[0], c.Values[1]-bb.Values[1]); d < 0.05 {
				t.Errorf("check point %s is %.3g from basis point %s", c.Name, d, bb.Name)
			}
		}
	}
}
