// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"slices"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/workflow"
)

// TestWorkflowGenerateShards: the generate rule of a card with MG5 runs
// is one job per MG5 job, with the resources of workflow.resources.generate,
// followed by the local check generate_merge; the analyse rule has a
// shard per job's sample, after it.
func TestWorkflowGenerateShards(t *testing.T) {
	c := jobsCard(t, `    - {name: sm, benchmark: sm, events: 4, jobs: 2}
    - {name: bkg, background: true, events: 6}`,
		`  - {name: zh, madgraph_run: sm}
  - {name: bg, madgraph_run: bkg}`)
	c.Workflow = &cards.Workflow{Partition: "short", Resources: map[string]cards.Resources{"generate": {Threads: 3, MemMB: 1500, Minutes: 90, Partition: "mg5"}}}
	env := NewEnv(c, t.TempDir(), nil, nil)
	w, err := Workflow(env, WorkflowOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rule := func(name string) *workflow.Rule {
		i := slices.IndexFunc(w.Rules, func(r workflow.Rule) bool { return r.Name == name })
		if i < 0 {
			t.Fatalf("no rule %s", name)
		}
		return &w.Rules[i]
	}
	ids := func(r *workflow.Rule) []string {
		var out []string
		for _, s := range r.Shards {
			out = append(out, s.ID)
		}
		return out
	}
	g := rule("generate")
	if got, want := ids(g), []string{"sm.j0", "sm.j1", "bkg"}; !slices.Equal(got, want) {
		t.Errorf("generate shards %v, want %v", got, want)
	}
	if g.Threads != 3 || g.MemMB != 1500 || g.Runtime != 90*time.Minute || g.Partition != "mg5" || g.Local {
		t.Errorf("generate resources: %d threads, %d MB, %v, partition %q, local %v", g.Threads, g.MemMB, g.Runtime, g.Partition, g.Local)
	}
	m := rule("generate_merge")
	if !m.Local || len(m.Shards) != 0 || !slices.ContainsFunc(m.Inputs, func(in workflow.Input) bool { return in.Rule == "generate" }) {
		t.Errorf("generate_merge: local %v, shards %v, inputs %+v", m.Local, m.Shards, m.Inputs)
	}
	a := rule("analyse")
	if got, want := ids(a), []string{"zh.j0", "zh.j1", "bg"}; !slices.Equal(got, want) {
		t.Errorf("analyse shards %v, want %v", got, want)
	}
	if !slices.ContainsFunc(a.Inputs, func(in workflow.Input) bool { return in.Rule == "generate_merge" }) {
		t.Errorf("analyse does not follow generate_merge: %+v", a.Inputs)
	}
	if _, err := w.Files(); err != nil {
		t.Errorf("workflow: %v", err)
	}
}
