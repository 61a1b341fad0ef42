// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/workflow"
)

// TestExampleWorkflow: the workflow of cards/zh.yaml committed under
// examples/zh-workflow is what goldmine workflow writes today
// (GOLDMINE_UPDATE_EXAMPLES=1 rewrites it), so a reader sees a real one.
func TestExampleWorkflow(t *testing.T) {
	root := repotest.Root(t)
	dir := filepath.Join(root, "examples", "zh-workflow")
	e := NewEnv(loadCard(t, "cards/zh.yaml"), filepath.Join(dir, "work"), nil, nil)
	w, err := Workflow(e, WorkflowOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	files, err := w.Files()
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("GOLDMINE_UPDATE_EXAMPLES") == "1" {
		if _, err := workflow.Write(dir, w); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Name)))
		if err != nil {
			t.Fatalf("%v (GOLDMINE_UPDATE_EXAMPLES=1 go test -run TestExampleWorkflow ./pipeline writes it)", err)
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("examples/zh-workflow/%s is not what goldmine workflow writes (GOLDMINE_UPDATE_EXAMPLES=1 go test -run TestExampleWorkflow ./pipeline rewrites it)", f.Name)
		}
	}
}

// TestWorkflowRules: the rules and shards of the sharded card, their
// order of dependence, and workflow.resources over goldmine's defaults.
func TestWorkflowRules(t *testing.T) {
	c := loadCard(t, "cards/zh.yaml")
	c.Training[0].Ensemble = 3
	c.Limits.Toys = nil
	yes := true
	c.Workflow = &cards.Workflow{GridChunk: 7, Resources: map[string]cards.Resources{"train": {Minutes: 90, Local: &yes}}}
	dir := t.TempDir()
	c.Path = filepath.Join(dir, "card.yaml")
	w, err := Workflow(NewEnv(c, filepath.Join(dir, "work"), nil, nil), WorkflowOptions{Dir: filepath.Join(dir, "wf")})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	byName := map[string]workflow.Rule{}
	for _, r := range w.Rules {
		names = append(names, r.Name)
		byName[r.Name] = r
	}
	want := []string{"setup", "analyse", "merge", "augment", "augment_merge", "train", "assemble", "fisher", "limits", "limits_merge", "plots"}
	if !slices.Equal(names, want) {
		t.Fatalf("rules %v, want %v", names, want)
	}
	ids := func(r workflow.Rule) []string {
		var out []string
		for _, s := range r.Shards {
			out = append(out, s.ID)
		}
		return out
	}
	if got := ids(byName["train"]); !slices.Equal(got, []string{"sally.m0", "sally.m1", "sally.m2", "alices"}) {
		t.Errorf("train shards %v", got)
	}
	// 21×21 points in chunks of 7: 63 chunks for each of 4 scans.
	if n := len(byName["limits"].Shards); n != 4*63 {
		t.Errorf("%d limits shards, want %d", n, 4*63)
	}
	if got := ids(byName["analyse"]); !slices.Equal(got, []string{"zh"}) {
		t.Errorf("analyse shards %v", got)
	}
	if r := byName["train"]; r.Runtime != 90*time.Minute || !r.Local || r.MemMB != resources["train"].MemMB {
		t.Errorf("train: %v, local %v, %d MB; want the card's 90 min and local, the default memory", r.Runtime, r.Local, r.MemMB)
	}
	if r := byName["limits"]; r.Local || r.Runtime != time.Duration(resources["limits"].Minutes)*time.Minute {
		t.Errorf("limits: %v, local %v; want the defaults", r.Runtime, r.Local)
	}
	// Each rule reads the output of the one it follows.
	follows := map[string]string{"analyse": "setup", "merge": "analyse", "augment": "merge", "augment_merge": "augment", "train": "augment_merge",
		"assemble": "train", "fisher": "assemble", "limits": "assemble", "limits_merge": "limits"}
	for r, prev := range follows {
		if !slices.ContainsFunc(byName[r].Inputs, func(in workflow.Input) bool { return in.Rule == prev }) {
			t.Errorf("rule %s does not read the output of %s: %+v", r, prev, byName[r].Inputs)
		}
	}
	files, err := w.Files()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(files, func(f workflow.File) bool { return f.Name == "config.yaml" })
	for _, want := range []string{
		`"'goldmine' 'limits' '--shard' 'sally.p0.c62' '../card.yaml' '--workdir' '../work' '--quiet' '--record' 'done/limits/sally.p0.c62.json'"`,
		`"'goldmine' 'merge' '--stage' 'train' '../card.yaml'`,
	} {
		if !strings.Contains(string(files[i].Data), want) {
			t.Errorf("config.yaml has no command %s", want)
		}
	}
}
