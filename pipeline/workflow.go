// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"cmp"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/workflow"
)

// WorkflowOptions says how the jobs of a workflow call goldmine.
type WorkflowOptions struct {
	// Program is the goldmine executable of the jobs; "" means goldmine
	// (looked up in PATH where the job runs).
	Program string
	// Dir is the workflow folder, where Snakemake runs the jobs: the
	// card, the working directory and the input files are named relative
	// to it when they are inside it, else by their absolute paths.
	Dir string
	// Seed, if not nil, is passed to every job (--seed).
	Seed *uint64
}

// resources are goldmine's defaults for the jobs of each workflow stage
// (cards.WorkflowStages); workflow.resources overrides them.
var resources = map[string]cards.Resources{
	"setup":          {Threads: 1, MemMB: 1000, Minutes: 10},
	"generate":       {Threads: 4, MemMB: 4000, Minutes: 24 * 60},
	"generate_merge": {Threads: 1, MemMB: 1000, Minutes: 10},
	"shower":         {Threads: 1, MemMB: 2000, Minutes: 12 * 60},
	"analyse":        {Threads: 1, MemMB: 2000, Minutes: 120},
	"merge":          {Threads: 1, MemMB: 2000, Minutes: 60},
	"augment":        {Threads: 2, MemMB: 4000, Minutes: 120},
	"augment_merge":  {Threads: 1, MemMB: 1000, Minutes: 30},
	"train":          {Threads: 2, MemMB: 4000, Minutes: 6 * 60},
	"assemble":       {Threads: 1, MemMB: 1000, Minutes: 10},
	"fisher":         {Threads: 2, MemMB: 4000, Minutes: 60},
	"limits":         {Threads: 1, MemMB: 2000, Minutes: 120},
	"limits_merge":   {Threads: 1, MemMB: 4000, Minutes: 120},
	"posterior":      {Threads: 2, MemMB: 4000, Minutes: 120},
	"plots":          {Threads: 1, MemMB: 2000, Minutes: 30},
}

// localByDefault are the stages whose jobs are too short to wait in a
// batch queue: Snakemake runs them itself.
var localByDefault = map[string]bool{"setup": true, "generate_merge": true, "augment_merge": true, "assemble": true, "plots": true}

// Workflow returns the Snakemake workflow of the card of e (package
// workflow): a rule per stage of goldmine run, the generate, analyse,
// train and limits stages cut into their shards (Shards) and merged (for
// generate: checked), every job a
// goldmine command on the card that records what it did in
// done/RULE/SHARD.json (--record), the only output Snakemake sees. The
// shard lists come from the card alone.
func Workflow(e *Env, o WorkflowOptions) (*workflow.Workflow, error) {
	c := e.Card
	prog := o.Program
	if prog == "" {
		prog = "goldmine"
	}
	w := &workflow.Workflow{Name: strings.TrimSuffix(filepath.Base(c.Path), filepath.Ext(c.Path))}
	if wc := c.Workflow; wc != nil {
		w.Image = wc.Image
		w.Slurm.Partition, w.Slurm.Account = wc.Partition, wc.Account
		w.REANA.ComputeBackend = wc.REANABackend
	}
	path := func(p string) (string, error) { return workflow.RelPath(o.Dir, p) }
	card, err := path(c.Path)
	if err != nil {
		return nil, err
	}
	workdir, err := path(e.Workdir)
	if err != nil {
		return nil, err
	}
	cardInput := workflow.FileInput(card)
	// command is goldmine ARGS… CARD with the common flags.
	command := func(args ...any) []workflow.Arg {
		all := append([]any{prog}, args...)
		all = append(all, card, "--workdir", workdir, "--quiet", "--record", workflow.Out(0))
		if o.Seed != nil {
			all = append(all, "--seed", strconv.FormatUint(*o.Seed, 10))
		}
		return workflow.Cmd(all...)
	}
	rule := func(st, name, doc string, in []workflow.Input, args ...any) workflow.Rule {
		r := resources[st]
		local := localByDefault[st]
		if wc := c.Workflow; wc != nil {
			if x, ok := wc.Resources[st]; ok {
				r.Threads, r.MemMB, r.Minutes = cmp.Or(x.Threads, r.Threads), cmp.Or(x.MemMB, r.MemMB), cmp.Or(x.Minutes, r.Minutes)
				r.Partition = x.Partition
				if x.Local != nil {
					local = *x.Local
				}
			}
		}
		return workflow.Rule{Name: name, Doc: doc, Inputs: append([]workflow.Input{cardInput}, in...),
			Outputs: []string{"done/" + name + ".json"}, Command: command(args...),
			Threads: r.Threads, MemMB: r.MemMB, Runtime: time.Duration(r.Minutes) * time.Minute, Local: local, Partition: r.Partition}
	}
	add := func(r workflow.Rule) { w.Rules = append(w.Rules, r) }
	// last is the input of the rule that comes next: the output of the
	// rule before it.
	var last []workflow.Input
	after := func(name string) { last = []workflow.Input{workflow.RuleInput(name, 0)} }
	// sharded adds r, the rule of stage st, as one job per shard (with
	// the shard's inputs, if inputs is not nil) and the rule merge that
	// merges the shards, the rule before the next.
	sharded := func(r workflow.Rule, st string, inputs func(s *Shard) ([]string, error), merge, mergeDoc string) error {
		all, err := Shards(c, st)
		if err != nil {
			return err
		}
		for i := range all {
			s := workflow.Shard{ID: all[i].ID}
			if inputs != nil {
				if s.Inputs, err = inputs(&all[i]); err != nil {
					return err
				}
			}
			r.Shards = append(r.Shards, s)
		}
		r.Outputs = []string{"done/" + r.Name + "/{shard}.json"}
		r.Command = command(st, "--shard", workflow.ShardID)
		add(r)
		add(rule(merge, merge, mergeDoc, []workflow.Input{workflow.RuleInput(r.Name, 0)}, "merge", "--stage", st))
		after(merge)
		return nil
	}

	events := !c.IsSimulator()
	if events {
		var in []workflow.Input
		for _, b := range c.Benchmarks {
			if b.FromLHE != "" {
				p, err := path(c.ResolvePath(b.FromLHE))
				if err != nil {
					return nil, err
				}
				in = append(in, workflow.FileInput(p))
			}
		}
		add(rule("setup", "setup", "the morphing setup, WORKDIR/setup.h5", in, "setup"))
		after("setup")
		if inCard(c, "generate") {
			// One job per MG5 job of the card, then a check that they
			// all made their events, which records the generate unit.
			if err := sharded(rule("generate", "generate", "one MG5 run (or job of a run) of the card, WORKDIR/madgraph/runs/ID", last, "generate"), "generate", nil,
				"generate_merge", "the check that every MG5 run is complete"); err != nil {
				return nil, err
			}
		}
		if inCard(c, "shower") {
			add(rule("shower", "shower", "Pythia 8 on the samples' LHE files", last, "shower"))
			after("shower")
		}
		if inCard(c, "analyse") {
			samples := expandSamples(c)
			r := rule("analyse", "analyse", "observables and weights of one sample into WORKDIR/shards/analyse/SAMPLE", last, "analyse")
			if len(madMinerFiles(c)) == 0 {
				err := sharded(r, "analyse", func(s *Shard) ([]string, error) {
					var files []string
					sm := samples[s.sample]
					for _, p := range []string{sm.LHE, sm.HepMC, sm.Delphes} {
						if p != "" {
							jp, err := path(c.ResolvePath(p))
							if err != nil {
								return nil, err
							}
							files = append(files, jp)
						}
					}
					return files, nil
				}, "merge", "the samples' events merged and shuffled into WORKDIR/events.h5")
				if err != nil {
					return nil, err
				}
			} else {
				add(r)
				after("analyse")
			}
		}
	}
	sampled := last
	if inCard(c, "augment") {
		r := rule("augment", "augment", "the training and test samples, WORKDIR/samples", last, "augment")
		if events {
			r.Doc = "one training or test sample into WORKDIR/shards/augment/NAME"
			if err := sharded(r, "augment", nil, "augment_merge", "the samples copied into WORKDIR/samples"); err != nil {
				return nil, err
			}
		} else {
			add(r)
			after("augment")
		}
		sampled = last
	}
	trained := sampled
	if inCard(c, "train") {
		if err := sharded(rule("train", "train", "one estimator or ensemble member", sampled, "train"), "train", nil,
			"assemble", "the ensembles from their members, WORKDIR/models"); err != nil {
			return nil, err
		}
		trained = last
	}
	var results []workflow.Input
	if inCard(c, "fisher") {
		add(rule("fisher", "fisher", "the Fisher information, WORKDIR/fisher.json", trained, "fisher"))
		results = append(results, workflow.RuleInput("fisher", 0))
	}
	if inCard(c, "limits") {
		if events {
			if err := sharded(rule("limits", "limits", "one grid chunk or toy batch of a limit scan", trained, "limits"), "limits", nil,
				"limits_merge", "the limit scans from their chunks and toy batches, WORKDIR/limits.json"); err != nil {
				return nil, err
			}
			results = append(results, workflow.RuleInput("limits_merge", 0))
		} else {
			add(rule("limits", "limits", "the limit scans, WORKDIR/limits.json", trained, "limits"))
			results = append(results, workflow.RuleInput("limits", 0))
		}
	}
	if inCard(c, "posterior") {
		add(rule("posterior", "posterior", "the posteriors, WORKDIR/posterior", trained, "posterior"))
		results = append(results, workflow.RuleInput("posterior", 0))
	}
	if len(results) == 0 {
		results = trained
	}
	add(rule("plots", "plots", "the figures and WORKDIR/report.md", results, "plot"))
	return w, nil
}
