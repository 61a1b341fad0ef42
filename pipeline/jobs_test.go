// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/madgraph"
	"github.com/goldmine-hep/goldmine/stage"
)

// jobsCard is standInCard with the given runs and samples.
func jobsCard(t *testing.T, runs, samples string) *cards.Card {
	t.Helper()
	return standInCard(t, "", runs, samples)
}

func shardIDs(t *testing.T, c *cards.Card, st string) []string {
	t.Helper()
	all, err := Shards(c, st)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range all {
		ids = append(ids, s.ID)
	}
	return ids
}

// setting returns the value of key in the run card settings of run.
func setting(r madgraph.Run, key string) string {
	for _, s := range r.RunCardSettings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// TestMadGraphJobs: a run of N jobs is N MG5 runs and N generate shards
// named RUN.jK with the events split (the first ones take the
// remainder) and seeds from (seed, "generate", ID); its samples are N
// analyse shards; a run of one job is as it was.
func TestMadGraphJobs(t *testing.T) {
	c := jobsCard(t, `    - {name: sm, benchmark: sm, events: 1001, seed: 1234}
    - {name: bkg, background: true, events: 7, jobs: 3}
    - {name: b1, benchmark: morphing_basis_vector_1, events: 10, jobs: 1}`,
		`  - {name: zh, madgraph_run: sm}
  - {name: bg, madgraph_run: bkg, max_events: 5, k_factor: 2}
  - {name: one, madgraph_run: b1}`)
	c.MadGraph.Runs[0].Jobs = 2
	env := NewEnv(c, t.TempDir(), nil, nil)
	env.Seed = 11

	if got, want := shardIDs(t, c, "generate"), []string{"sm.j0", "sm.j1", "bkg.j0", "bkg.j1", "bkg.j2", "b1"}; !slices.Equal(got, want) {
		t.Errorf("generate shards %v, want %v", got, want)
	}
	if got, want := shardIDs(t, c, "analyse"), []string{"zh.j0", "zh.j1", "bg.j0", "bg.j1", "bg.j2", "one"}; !slices.Equal(got, want) {
		t.Errorf("analyse shards %v, want %v", got, want)
	}

	runs := mgRuns(env)
	type want struct{ name, events, seed string }
	// The seeds: 1 + SplitMix64(seed + FNV-1a("generate#ID")) mod 9e8,
	// computed in Python with 64-bit masks: the run's seed 1234 for sm,
	// the campaign seed 11 for bkg; b1 has one job and no seed (MG5's).
	wants := []want{
		{"sm.j0", "501", "480227292"}, {"sm.j1", "500", "409336879"},
		{"bkg.j0", "3", "48336460"}, {"bkg.j1", "2", ""}, {"bkg.j2", "2", ""}, {"b1", "10", ""},
	}
	if len(runs) != len(wants) {
		t.Fatalf("%d MG5 runs, want %d", len(runs), len(wants))
	}
	seeds := map[string]string{}
	for i, w := range wants {
		r := runs[i]
		if r.Name != w.name || setting(r, "nevents") != w.events || (w.seed != "" && setting(r, "iseed") != w.seed) {
			t.Errorf("run %d: %s with nevents %q, iseed %q; want %s with %s, %s", i, r.Name, setting(r, "nevents"), setting(r, "iseed"), w.name, w.events, w.seed)
		}
		if s := setting(r, "iseed"); s != "" {
			if prev, ok := seeds[s]; ok {
				t.Errorf("runs %s and %s share the seed %s", prev, r.Name, s)
			}
			seeds[s] = r.Name
		}
	}
	if s := setting(runs[5], "iseed"); s != "" {
		t.Errorf("a run of one job without a seed got iseed %s, want MG5's own as before", s)
	}
	if setting(runs[3], "iseed") == "" {
		t.Errorf("bkg.j1 has no seed")
	}

	// The seeds depend on the seed and the job's name only: not on the
	// order of the runs.
	c2 := *c
	mg := *c.MadGraph
	mg.Runs = []cards.MadGraphRun{mg.Runs[2], mg.Runs[1], mg.Runs[0]}
	c2.MadGraph = &mg
	e2 := *env
	e2.Card = &c2
	for _, r := range mgRuns(&e2) {
		i := slices.IndexFunc(runs, func(x madgraph.Run) bool { return x.Name == r.Name })
		if setting(r, "iseed") != setting(runs[i], "iseed") {
			t.Errorf("run %s: seed %s with the runs reordered, %s before", r.Name, setting(r, "iseed"), setting(runs[i], "iseed"))
		}
	}
	// Another campaign seed gives bkg other seeds, and sm (its own
	// seed) the same.
	e2.Seed = 12
	for i, r := range mgRuns(&e2) {
		same := setting(r, "iseed") == setting(runs[slices.IndexFunc(runs, func(x madgraph.Run) bool { return x.Name == r.Name })], "iseed")
		if strings.HasPrefix(r.Name, "bkg") == same {
			t.Errorf("run %d %s: seed %s with campaign seed 12", i, r.Name, setting(r, "iseed"))
		}
	}

	// The samples: max_events split, the background's k-factor over 3.
	ss := expandSamples(c)
	for i, w := range []struct {
		name, run string
		max       int
		k         float64
	}{{"zh.j0", "sm.j0", 0, 1}, {"zh.j1", "sm.j1", 0, 1}, {"bg.j0", "bkg.j0", 2, 2.0 / 3}, {"bg.j1", "bkg.j1", 2, 2.0 / 3}, {"bg.j2", "bkg.j2", 1, 2.0 / 3}, {"one", "b1", 0, 1}} {
		s := ss[i]
		if s.Name != w.name || s.MadGraphRun != w.run || s.MaxEvents != w.max || math.Abs(s.KFactor-w.k) > 1e-15 {
			t.Errorf("sample %d: %s of %s, max %d, k %g; want %s of %s, %d, %g", i, s.Name, s.MadGraphRun, s.MaxEvents, s.KFactor, w.name, w.run, w.max, w.k)
		}
	}
}

// TestMadGraphJobsOneUnchanged: with jobs 1 (or none) the card's runs,
// samples, shards and unit key are those of a card without jobs.
func TestMadGraphJobsOneUnchanged(t *testing.T) {
	runs := "    - {name: run_sm, benchmark: sm, events: 2, seed: 5}\n    - {name: run_b1, benchmark: morphing_basis_vector_1, events: 2}"
	samples := "  - {name: sm, madgraph_run: run_sm}\n  - {name: b1, madgraph_run: run_b1}"
	c0 := jobsCard(t, runs, samples)
	c1 := jobsCard(t, strings.ReplaceAll(runs, "events: 2", "events: 2, jobs: 1"), samples)
	e0, e1 := NewEnv(c0, t.TempDir(), nil, nil), NewEnv(c1, t.TempDir(), nil, nil)
	r0, r1 := mgRuns(e0), mgRuns(e1)
	if fmt.Sprint(r0) != fmt.Sprint(r1) || r0[0].Name != "run_sm" || setting(r0[0], "iseed") != "5" || setting(r0[1], "iseed") != "" {
		t.Errorf("runs %+v with jobs: 1, %+v without", r1, r0)
	}
	if s0, s1 := expandSamples(c0), expandSamples(c1); fmt.Sprint(s0) != fmt.Sprint(s1) || fmt.Sprint(s0) != fmt.Sprint(c0.Samples) {
		t.Errorf("samples %+v with jobs: 1, %+v without, %+v in the card", s1, s0, c0.Samples)
	}
	if a, b := shardIDs(t, c0, "generate"), shardIDs(t, c0, "analyse"); !slices.Equal(a, []string{"run_sm", "run_b1"}) || !slices.Equal(b, []string{"sm", "b1"}) {
		t.Errorf("shards %v, %v", a, b)
	}
	// A card without jobs encodes as before jobs existed: its unit keys
	// did not change.
	enc, err := c0.EncodeSections("madgraph")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(enc), "Jobs") || strings.Contains(string(enc), "Cluster") {
		t.Errorf("the madgraph section of a card without jobs encodes them: %s", enc)
	}
}

// TestGenerateShardsXSecOnce runs a signal run of 2 jobs and a background
// run of 3 jobs as generate shards on the stand-in MG5 (σ = 0.01 pb for
// every run), then analyses: the events file has each cross section
// once (σ(sm) = 0.01 + 0.01 pb, as for the same card without jobs), not
// 2× the signal nor 3× the background. goldmine run then finds generate
// up to date after the merge.
func TestGenerateShardsXSecOnce(t *testing.T) {
	ctx := context.Background()
	xsec := func(jobs bool) (float64, *Env) {
		j2, j3 := "", ""
		if jobs {
			j2, j3 = ", jobs: 2", ", jobs: 3"
		}
		c := jobsCard(t, `    - {name: sm, benchmark: sm, events: 4`+j2+`}
    - {name: bkg, background: true, events: 6`+j3+`}`,
			`  - {name: zh, madgraph_run: sm}
  - {name: bg, madgraph_run: bkg}`)
		env := NewEnv(c, t.TempDir(), nil, nil)
		if _, err := Setup(env); err != nil {
			t.Fatal(err)
		}
		ids := shardIDs(t, c, "generate")
		for _, id := range slices.Backward(ids) { // any order
			if _, err := RunShard(ctx, env, "generate", id); err != nil {
				t.Fatalf("generate shard %s: %v", id, err)
			}
		}
		if _, err := Merge(ctx, env, "generate"); err != nil {
			t.Fatal(err)
		}
		r, err := runUnit(ctx, env, "generate", false)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != stage.StatusUpToDate {
			t.Errorf("after the generate shards and their merge, generate is %q, want up to date", r.Status)
		}
		a, err := Analyse(env)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Samples) != len(ids) {
			t.Errorf("%d samples analysed, want %d", len(a.Samples), len(ids))
		}
		// The analyse shards, one per job's sample, and their merge give
		// the events of the whole analyse.
		sum := func() (s float64) {
			_, _, w, _ := readAll(t, env.Path("events.h5"))
			for _, r := range w {
				s += r[0]
			}
			return s
		}
		whole := sum()
		if math.Abs(whole-a.XSecPB["sm"]) > 1e-12 {
			t.Errorf("Σw(sm) = %g, analyse says σ(sm) = %g", whole, a.XSecPB["sm"])
		}
		for _, id := range shardIDs(t, c, "analyse") {
			if _, err := RunShard(ctx, env, "analyse", id); err != nil {
				t.Fatalf("analyse shard %s: %v", id, err)
			}
		}
		if _, err := Merge(ctx, env, "analyse"); err != nil {
			t.Fatal(err)
		}
		if merged := sum(); math.Abs(merged-whole) > 1e-12*whole {
			t.Errorf("Σw(sm) of the merged analyse shards %.15g, of analyse %.15g", merged, whole)
		}
		return a.XSecPB["sm"], env
	}
	one, _ := xsec(false)
	got, env := xsec(true)
	if want := 0.02; math.Abs(one-want) > 1e-12 || math.Abs(got-want) > 1e-12 {
		t.Errorf("σ(sm) in events.h5: %.12g pb with jobs, %.12g pb without; want %g pb (0.01 signal + 0.01 background)", got, one, want)
	}

	// A merge before every shard ran names what is missing.
	os.RemoveAll(filepath.Join(env.mgWorkDir(), "runs", "bkg.j1"))
	if _, err := Merge(ctx, env, "generate"); err == nil || !strings.Contains(err.Error(), "bkg.j1") {
		t.Errorf("merge with bkg.j1 missing: %v", err)
	}
}

// TestClusterModeFromCard: the madgraph.cluster section of a card
// reaches each run's me5_configuration.txt, read as MG5 reads it
// ("key = value", what follows '#' dropped, the last value kept).
func TestClusterModeFromCard(t *testing.T) {
	c := jobsCard(t, "    - {name: sm, benchmark: sm, events: 2}", "  - {name: zh, madgraph_run: sm}")
	c.MadGraph.Cluster = &cards.MadGraphCluster{Type: "condor", Queue: "workday", NbCore: 2}
	env := NewEnv(c, t.TempDir(), nil, nil)
	if _, err := Generate(context.Background(), env, false); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(env.mgWorkDir(), "runs", "sm", "Cards", "me5_configuration.txt"))
	if err != nil {
		t.Fatal(err)
	}
	opts := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k := strings.IndexByte(line, '#'); k >= 0 {
			line = line[:k]
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			opts[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	for k, want := range map[string]string{"run_mode": "1", "cluster_type": "condor", "cluster_queue": "workday", "nb_core": "2"} {
		if opts[k] != want {
			t.Errorf("%s = %q, want %q", k, opts[k], want)
		}
	}
}

// TestGenerateRelativeWorkdir: with a working directory relative to the
// current folder (as goldmine workflow names it) and a card elsewhere,
// the samples of MadGraph runs find the runs' LHE files.
func TestGenerateRelativeWorkdir(t *testing.T) {
	c := jobsCard(t, "    - {name: sm, benchmark: sm, events: 4, jobs: 2}", "  - {name: zh, madgraph_run: sm}")
	t.Chdir(t.TempDir())
	env := NewEnv(c, "work", nil, nil)
	if _, err := Generate(context.Background(), env, false); err != nil {
		t.Fatal(err)
	}
	if _, err := Analyse(env); err != nil {
		t.Fatalf("analyse in a relative working directory: %v", err)
	}
}
