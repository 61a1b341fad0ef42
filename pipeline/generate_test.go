// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/stage"
)

// TestGenerateIntoAnalyse runs a two-benchmark campaign with the stand-in
// mg5_aMC of package madgraph (it records the commands and writes a small
// valid LHE file with the requested reweighting weights) and analyses the
// generated events.
func TestGenerateIntoAnalyse(t *testing.T) {
	c := standInGenerateCard(t)
	env := NewEnv(c, t.TempDir(), nil, nil)
	if _, err := Setup(env); err != nil {
		t.Fatal(err)
	}

	// --only-prepare writes the scripts without running anything.
	prep, err := Generate(context.Background(), env, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(prep.RunAll); err != nil || !prep.Prepared {
		t.Fatalf("no run_all script: %v (%+v)", err, prep)
	}
	if _, err := Analyse(env); err == nil || !strings.Contains(err.Error(), "goldmine generate") {
		t.Errorf("analyse before the events exist: %v", err)
	}

	res, err := Generate(context.Background(), env, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Outputs) != 2 {
		t.Fatalf("%d outputs, want 2: %+v", len(res.Outputs), res)
	}
	ares, err := Analyse(env)
	if err != nil {
		t.Fatal(err)
	}
	_, x, w, ids := readAll(t, ares.File)
	if len(x) == 0 || len(x) > 4 {
		t.Fatalf("%d events from two runs of two events", len(x))
	}
	seen := map[int]int{}
	for _, id := range ids {
		seen[id]++
	}
	if seen[0] == 0 || seen[1] == 0 {
		t.Errorf("sampling benchmarks %v, want events from sm (0) and morphing_basis_vector_1 (1)", ids)
	}
	for i := range w {
		for b, v := range w[i] {
			if !(v > 0) {
				t.Errorf("event %d benchmark %d: weight %v", i, b, v)
			}
		}
	}
}

// standInGenerateCard writes cards/zh.yaml with a madgraph section of two
// runs of two events for the stand-in mg5_aMC of package madgraph.
func standInGenerateCard(t *testing.T) *cards.Card {
	return standInCard(t, "  parallel: 2\n", `    - {name: run_sm, benchmark: sm, events: 2}
    - {name: run_b1, benchmark: morphing_basis_vector_1, events: 2}`, `  - {name: sm, madgraph_run: run_sm}
  - {name: b1, madgraph_run: run_b1}`)
}

// standInCard writes cards/zh.yaml with a madgraph section for the
// stand-in mg5_aMC of package madgraph (every run writes its events of σ
// = 0.01 pb): the settings (YAML lines of the section), runs and samples
// (YAML list items).
func standInCard(t *testing.T, settings, runs, samples string) *cards.Card {
	t.Helper()
	root := repotest.Root(t)
	td := filepath.Join(root, "madgraph", "testdata")
	t.Setenv("MG5_AMC", "") // the card's stand-in, not a real MG5 from the environment
	t.Setenv("GOLDMINE_PYTHON", "")
	src, err := os.ReadFile(filepath.Join(root, "cards", "zh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	card := string(src)
	i, j := strings.Index(card, "samples:"), strings.Index(card, "# The five observables")
	card = card[:i] + fmt.Sprintf(`shuffle: false
madgraph:
  dir: %s
  proc_card: %s
  param_card_template: %s
  run_card: %s
%s  timeout: 1m
  runs:
%s
samples:
%s

`, filepath.Join(td, "fake_mg5_aMC"), filepath.Join(td, "proc_card.dat"), filepath.Join(td, "param_card_template.dat"), filepath.Join(td, "run_card.dat"), settings, runs, samples) + card[j:]
	return writeCard(t, card)
}

// TestGenerateFreshKey runs goldmine generate on a fresh work folder
// (it makes the setup first) and then asks whether generate is up to
// date, as goldmine run does: its key must have covered the setup it made.
func TestGenerateFreshKey(t *testing.T) {
	env := NewEnv(standInGenerateCard(t), t.TempDir(), nil, nil)
	if _, err := Generate(context.Background(), env, false); err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"setup", "generate"} {
		r, err := runUnit(context.Background(), env, st, false)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != stage.StatusUpToDate {
			t.Errorf("after goldmine generate on a fresh folder, %s is %q, want up to date", st, r.Status)
		}
	}
}
