// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/store"
)

// smallCard is a quick campaign with every stage of goldmine run on the
// bundled ZH events, unpacked into dir so that the test can edit them: a
// plain LHE file, a few hundred samples, a one-epoch network.
func smallCard(t *testing.T, dir string, edit func(string) string) (*cards.Card, string) {
	t.Helper()
	lhePath := filepath.Join(dir, "zh.lhe")
	raw := repotest.ReadGzip(t, repotest.BundledZH(t))
	if err := os.WriteFile(lhePath, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	src := `workdir: w
seed: 5
parameters:
  - {name: cHW, lha_block: smeft, lha_id: 7, morphing_max_power: 2, range: [-1, 1]}
  - {name: cHq3, lha_block: smeft, lha_id: 25, morphing_max_power: 2, range: [-1, 1]}
` + repotest.ZHBasis + `samples:
  - {name: zh, lhe: zh.lhe, sampled_from: sm}
observables:
  - {name: pt_z, expr: "(e[0] + e[1]).pt", required: true}
  - {name: dphi_ee, expr: "e[0].deltaphi(e[1])", required: true}
sampling:
  samples:
    - {name: sally, method: local, theta: {benchmark: sm}, n_samples: 300}
training:
  - {name: sally, method: sally, sample: sally, hidden: [4], epochs: 1}
fisher:
  theta: [0, 0]
  items:
    - {name: rate, kind: rate}
    - {name: pt_z, kind: histo, observables: [pt_z], bins: [4]}
    - {name: sally, kind: sally, model: sally}
limits:
  theta_true: [0, 0]
  grid: {ranges: [[-0.5, 0.5], [-0.5, 0.5]], resolutions: [3]}
  scans:
    - {name: rate, mode: rate}
plots:
  formats: [png]
`
	if edit != nil {
		src = edit(src)
	}
	path := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := cards.Load(path, CardOptions())
	if err != nil {
		t.Fatal(err)
	}
	return c, lhePath
}

func statuses(r *RunResult) map[string]string {
	m := make(map[string]string)
	for _, s := range r.Stages {
		m[s.Name] = s.Status
	}
	return m
}

// checkStatuses checks the status of every stage of a run: the stages in
// ran ran, the others of the card are up to date.
func checkStatuses(t *testing.T, what string, r *RunResult, ran ...string) {
	t.Helper()
	for name, s := range statuses(r) {
		want := "up to date"
		switch {
		case s == "not in card":
			continue
		case strings.Contains(" "+strings.Join(ran, " ")+" ", " "+name+" "):
			want = "ran"
		}
		if s != want {
			t.Errorf("%s: stage %s %s, want %s (all: %v)", what, name, s, want, statuses(r))
		}
	}
}

func TestRunUpToDate(t *testing.T) {
	dir := t.TempDir()
	c, lhePath := smallCard(t, dir, nil)
	ctx := context.Background()
	env := NewEnv(c, filepath.Join(dir, "w"), nil, nil)
	all := []string{"setup", "analyse", "augment", "train", "fisher", "limits", "plots"}
	r, err := Run(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	checkStatuses(t, "first run", r, all...)
	if r, err = Run(ctx, env); err != nil {
		t.Fatal(err)
	}
	checkStatuses(t, "second run", r)

	// Editing only the plots section reruns only plots.
	c2, _ := smallCard(t, dir, func(s string) string { return strings.Replace(s, "formats: [png]", "formats: [png, pdf]", 1) })
	env = NewEnv(c2, env.Workdir, nil, nil)
	if r, err = Run(ctx, env); err != nil {
		t.Fatal(err)
	}
	checkStatuses(t, "after editing plots", r, "plots")
	if _, err := os.Stat(filepath.Join(env.Workdir, "plots", "pvalues.pdf")); err != nil {
		t.Errorf("plots did not rerun with the new format: %v", err)
	}

	// Editing the limits section reruns limits and plots, which reads
	// limits.json.
	c3, _ := smallCard(t, dir, func(s string) string {
		return strings.Replace(strings.Replace(s, "formats: [png]", "formats: [png, pdf]", 1), "resolutions: [3]", "resolutions: [4]", 1)
	})
	env = NewEnv(c3, env.Workdir, nil, nil)
	if r, err = Run(ctx, env); err != nil {
		t.Fatal(err)
	}
	checkStatuses(t, "after editing limits", r, "limits", "plots")

	// An LHE file edited in place, with its size and modification time
	// kept, reruns analyse and everything after it.
	st, err := os.Stat(lhePath)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(lhePath)
	if err != nil {
		t.Fatal(err)
	}
	// The weight of the first event's first reweighting benchmark.
	old := []byte("<wgt id='morphing_basis_vector_1'> +1.2515099e-02 </wgt>")
	i := bytes.Index(raw, old)
	if i < 0 {
		t.Fatal("first event's weight not found")
	}
	copy(raw[i:], "<wgt id='morphing_basis_vector_1'> +1.2515199e-02 </wgt>")
	if err := os.WriteFile(lhePath, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(lhePath, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if st2, _ := os.Stat(lhePath); st2.Size() != st.Size() || !st2.ModTime().Equal(st.ModTime()) {
		t.Fatalf("size or time changed: %v %v, %v %v", st.Size(), st.ModTime(), st2.Size(), st2.ModTime())
	}
	if r, err = Run(ctx, env); err != nil {
		t.Fatal(err)
	}
	checkStatuses(t, "after editing the LHE file in place", r, "analyse", "augment", "train", "fisher", "limits", "plots")

	// A different seed changes every unit's key.
	seed := uint64(6)
	if r, err = Run(ctx, NewEnv(c3, env.Workdir, &seed, nil)); err != nil {
		t.Fatal(err)
	}
	checkStatuses(t, "with another seed", r, all...)

	// A single-stage command runs its unit whatever its record, and
	// records it, so that the next run skips it.
	env = NewEnv(c3, env.Workdir, &seed, nil)
	if _, err := Plots(env); err != nil {
		t.Fatal(err)
	}
	if r, err = Run(ctx, env); err != nil {
		t.Fatal(err)
	}
	checkStatuses(t, "after goldmine plot", r)
}

// TestInputsKeyed checks that the files of HepMC, Delphes and observed
// data are inputs of their units: editing one changes the unit's key.
func TestInputsKeyed(t *testing.T) {
	dir := t.TempDir()
	cp := func(rel, name string) string {
		b, err := os.ReadFile(repotest.Shared(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hepmcPath := cp("data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz", "shower.hepmc3.gz")
	rootPath := cp("data/root/delphes_cms_ttH_10ev.root", "cms.root")
	obsPath := filepath.Join(dir, "observed.npy")
	if err := store.WriteNPY(obsPath, []int{2, 2}, []float64{50, 1, 60, 2}, store.Float64); err != nil {
		t.Fatal(err)
	}
	c, _ := smallCard(t, dir, func(s string) string {
		s = strings.Replace(s, "  - {name: zh, lhe: zh.lhe, sampled_from: sm}\n",
			"  - {name: zh, lhe: zh.lhe, sampled_from: sm}\n  - {name: shower, hepmc: shower.hepmc3.gz, sampled_from: sm}\n  - {name: cms, delphes: cms.root, background: true, weights: delphes}\n", 1)
		return strings.Replace(s, "  theta_true: [0, 0]\n", "  theta_true: [0, 0]\n  observed: observed.npy\n", 1)
	})
	env := NewEnv(c, filepath.Join(dir, "w"), nil, nil)
	key := func(st string) string {
		u, err := NewUnit(env, st)
		if err != nil {
			t.Fatal(err)
		}
		k, _, err := env.runner().Key(u)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	for _, tc := range []struct {
		file  string
		stage string
	}{
		{hepmcPath, "analyse"},
		{rootPath, "analyse"},
		{obsPath, "limits"},
	} {
		before := key(tc.stage)
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(tc.file)
		b[len(b)-1] ^= 1 // same size
		if err := os.WriteFile(tc.file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(tc.file, st.ModTime(), st.ModTime())
		if key(tc.stage) == before {
			t.Errorf("editing %s did not change the key of %s", filepath.Base(tc.file), tc.stage)
		}
		if a, b := key("fisher"), key("fisher"); tc.stage == "analyse" && a != b {
			t.Error("keys are not reproducible")
		}
	}
}

// TestCardKindsAreWired: every Fisher kind a card accepts is one that
// fisher.FromEvents computes, so that no card reaches a stage with a kind
// the stage does not know.
func TestCardKindsAreWired(t *testing.T) {
	for _, k := range cards.FisherKinds() {
		if !slices.Contains(fisher.Kinds(), fisher.Kind(k)) {
			t.Errorf("card kind %s is not a fisher.Kind", k)
		}
	}
	if len(cards.FisherKinds()) != len(fisher.Kinds()) {
		t.Errorf("cards offer %v, fisher computes %v", cards.FisherKinds(), fisher.Kinds())
	}
}
