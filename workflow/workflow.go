// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/internal/quote"
)

// Workflow is a job graph and the settings of the batch systems it may run
// on.
type Workflow struct {
	// Name names the workflow in the files' headers; "" means "goldmine".
	Name string
	// Rules are the rules in the order they are written.
	Rules []Rule
	// Targets are the files that a plain `snakemake` run makes (the rule
	// all). Nil means every output of a rule that no other rule reads.
	Targets []string
	// Image is the container image of every rule (Snakemake's container
	// directive, used with --sdm apptainer and by REANA, which needs one);
	// "" writes no container directive.
	Image string

	Slurm    Slurm
	HTCondor HTCondor
	REANA    REANA
}

// Slurm configures the Slurm profiles.
type Slurm struct {
	// Partition is the partition of every rule that names none; "" leaves
	// the choice to the cluster's default partition.
	Partition string
	// Account is passed to sbatch --account; "" passes none.
	Account string
	// Jobs is the largest number of jobs submitted at once; 0 means 100.
	Jobs int
}

// HTCondor configures the HTCondor profile (CERN batch and similar).
type HTCondor struct {
	// Jobs is the largest number of jobs submitted at once; 0 means 100.
	Jobs int
}

// REANA configures reana.yaml and the REANA resources of the rules.
type REANA struct {
	// ComputeBackend is REANA's compute backend of every rule that is not
	// Local: "" (REANA's default, Kubernetes), "kubernetes",
	// "htcondorcern" or "slurmcern". With htcondorcern the rule's run time
	// becomes its HTCondor job flavour; with kubernetes its memory becomes
	// the container's memory limit.
	ComputeBackend string
}

// Rule is one step of the workflow: one job, or one job per shard.
type Rule struct {
	// Name names the rule: a lower-case letter, then lower-case letters,
	// digits and '_'.
	Name string
	// Doc is a one-line description, written as a comment.
	Doc string

	// Shards, if not nil, makes one job per shard; the rule's outputs
	// then hold the wildcard {shard}.
	Shards []Shard
	// ShardsFrom, if not "", names a checkpoint rule whose first output,
	// a directory, holds one file per shard, named ID + ShardSuffix: the
	// shards are known only once the checkpoint has run. Such a rule has
	// no Shards, and its command may refer only to its own files, its
	// shard id and its threads.
	ShardsFrom  string
	ShardSuffix string

	// Inputs are the files the rule reads (every job of it).
	Inputs []Input
	// Outputs are the files every job writes, relative to the workflow
	// folder, made of letters, digits, '_', '.', '-' and '/', and the
	// wildcard {shard} (required in each output of a sharded rule). An
	// output ending in '/' is a directory.
	Outputs []string
	// Command is the job's command, one element per argument (see Cmd).
	// It is run by bash; its standard output and error go to the job's log
	// file, logs/RULE/SHARD.log (logs/RULE.log without shards).
	Command []Arg

	// Threads is the number of cores a job uses; 0 means 1.
	Threads int
	// MemMB is the memory of a job in MB; 0 means 1000.
	MemMB int
	// Runtime is the wall time of a job, rounded up to whole minutes; 0
	// means one hour.
	Runtime time.Duration
	// Local runs the rule's jobs where Snakemake runs (localrules) instead
	// of submitting them, for jobs too short to wait in a queue.
	Local bool
	// Partition is the Slurm partition of the rule's jobs; "" means
	// Slurm.Partition.
	Partition string
	// Checkpoint makes the rule a Snakemake checkpoint: other rules take
	// their shards from its output directory (ShardsFrom).
	Checkpoint bool
}

// Shard is one job of a sharded rule.
type Shard struct {
	// ID names the shard: letters, digits, '_', '.' and '-', not starting
	// with '.' or '-'.
	ID string
	// Inputs are files that this shard reads and no rule makes (for
	// example its LHE file), after the rule's Inputs.
	Inputs []string
	// Values are the shard's own command arguments (ShardValue).
	Values []string
}

// Input is one input of a rule: a file that no rule makes, or the outputs
// of another rule.
type Input struct {
	// File is a file that no rule makes, absolute or relative to the
	// workflow folder. It may hold any character.
	File string
	// Rule names the rule that makes the input, Output the index of the
	// output among that rule's Outputs. If both rules have the same
	// shards, each job reads the output of the shard with its own id;
	// otherwise the input is that output of every shard (a gather).
	Rule   string
	Output int
}

// FileInput returns the input of a file that no rule makes.
func FileInput(path string) Input { return Input{File: path} }

// RuleInput returns the input made by output k of the named rule.
func RuleInput(rule string, k int) Input { return Input{Rule: rule, Output: k} }

var (
	ruleName  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	shardID   = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)
	pathChars = regexp.MustCompile(`^[A-Za-z0-9_./-]+$`)
	token     = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
)

// shardPattern is the Python regular expression of shard ids, as
// wildcard_constraints and as the check of ids found by a checkpoint.
const shardPattern = `[A-Za-z0-9_][A-Za-z0-9_.-]*`

const maxShardID = 128

// Python keywords and Snakemake's own names that a rule must not take.
var reserved = map[string]bool{
	"all": true, "and": true, "as": true, "assert": true, "async": true, "await": true,
	"break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true, "global": true,
	"if": true, "import": true, "in": true, "is": true, "lambda": true, "nonlocal": true,
	"not": true, "or": true, "pass": true, "raise": true, "return": true, "try": true,
	"while": true, "with": true, "yield": true, "rules": true, "checkpoints": true,
	"config": true, "workflow": true, "input": true, "output": true, "shell": true,
}

func (r *Rule) threads() int { return max(r.Threads, 1) }
func (r *Rule) memMB() int {
	if r.MemMB <= 0 {
		return 1000
	}
	return r.MemMB
}

// minutes returns the run time in whole minutes, rounded up.
func (r *Rule) minutes() int {
	if r.Runtime <= 0 {
		return 60
	}
	return int((r.Runtime + time.Minute - 1) / time.Minute)
}

func (r *Rule) sharded() bool { return r.Shards != nil || r.ShardsFrom != "" }

// logPath is the log file pattern of the rule's jobs.
func (r *Rule) logPath() string {
	if r.sharded() {
		return "logs/" + r.Name + "/{shard}.log"
	}
	return "logs/" + r.Name + ".log"
}

// checkValue checks a free-form value for the quoting helpers.
func checkValue(what, v string) error {
	if err := quote.Check(v); err != nil {
		return fmt.Errorf("workflow: %s %q: %w", what, v, err)
	}
	return nil
}

// checkOutput checks an output pattern.
func checkOutput(r *Rule, k int, p string) error {
	bad := func(why string) error {
		return fmt.Errorf("workflow: rule %s: output %d %q: %s", r.Name, k, p, why)
	}
	rest := strings.ReplaceAll(p, "{shard}", "s")
	switch {
	case p == "":
		return bad("empty")
	case !pathChars.MatchString(rest):
		return bad("only letters, digits, '_', '.', '-', '/' and {shard} are allowed")
	case strings.HasPrefix(p, "/"):
		return bad("outputs are relative to the workflow folder")
	case r.sharded() && !strings.Contains(p, "{shard}"):
		return bad("a sharded rule's outputs must hold {shard}")
	case !r.sharded() && strings.Contains(p, "{shard}"):
		return bad("the rule has no shards")
	}
	for _, part := range strings.Split(strings.TrimSuffix(p, "/"), "/") {
		if part == "" || part == "." || part == ".." || strings.HasPrefix(part, ".") {
			return bad("no empty, '.', '..' or hidden path elements")
		}
	}
	if strings.HasPrefix(p, "logs/") || p == "logs/" {
		return bad("logs/ holds the job logs")
	}
	return nil
}

// validate checks the workflow and returns the rules by name.
func (w *Workflow) validate() (map[string]*Rule, error) {
	if err := checkValue("workflow name", w.Name); err != nil {
		return nil, err
	}
	if err := checkValue("image", w.Image); err != nil {
		return nil, err
	}
	if strings.ContainsAny(w.Image, " \t\n\r") {
		return nil, fmt.Errorf("workflow: image %q: no white space", w.Image)
	}
	for _, v := range []struct{ what, v string }{
		{"Slurm partition", w.Slurm.Partition}, {"Slurm account", w.Slurm.Account},
	} {
		if v.v != "" && !token.MatchString(v.v) {
			return nil, fmt.Errorf("workflow: %s %q: only letters, digits, '_', '.' and '-'", v.what, v.v)
		}
	}
	switch w.REANA.ComputeBackend {
	case "", "kubernetes", "htcondorcern", "slurmcern":
	default:
		return nil, fmt.Errorf("workflow: REANA compute backend %q: want kubernetes, htcondorcern or slurmcern", w.REANA.ComputeBackend)
	}
	if len(w.Rules) == 0 {
		return nil, fmt.Errorf("workflow: no rules")
	}
	rules := make(map[string]*Rule)
	outputs := make(map[string]string)
	for i := range w.Rules {
		r := &w.Rules[i]
		if !ruleName.MatchString(r.Name) || reserved[r.Name] {
			return nil, fmt.Errorf("workflow: rule %d: name %q: want a lower-case letter, then lower-case letters, digits and '_', not a Python or Snakemake keyword", i, r.Name)
		}
		if rules[r.Name] != nil {
			return nil, fmt.Errorf("workflow: rule %s is defined twice", r.Name)
		}
		rules[r.Name] = r
		if err := checkValue("rule "+r.Name+": doc", r.Doc); err != nil {
			return nil, err
		}
		if strings.ContainsAny(r.Doc, "\n\r") {
			return nil, fmt.Errorf("workflow: rule %s: doc: one line only", r.Name)
		}
		if r.Partition != "" && !token.MatchString(r.Partition) {
			return nil, fmt.Errorf("workflow: rule %s: partition %q: only letters, digits, '_', '.' and '-'", r.Name, r.Partition)
		}
		if r.Threads < 0 || r.MemMB < 0 || r.Runtime < 0 {
			return nil, fmt.Errorf("workflow: rule %s: negative threads, memory or run time", r.Name)
		}
		if _, err := flavour(r.minutes()); err != nil {
			return nil, fmt.Errorf("workflow: rule %s: %w", r.Name, err)
		}
		if r.Shards != nil && r.ShardsFrom != "" {
			return nil, fmt.Errorf("workflow: rule %s: both shards and shards_from", r.Name)
		}
		if r.Shards != nil && len(r.Shards) == 0 {
			return nil, fmt.Errorf("workflow: rule %s: an empty shard list", r.Name)
		}
		seen := make(map[string]bool)
		for _, s := range r.Shards {
			if !shardID.MatchString(s.ID) || len(s.ID) > maxShardID {
				return nil, fmt.Errorf("workflow: rule %s: shard id %q: want letters, digits, '_', '.' and '-', not starting with '.' or '-', at most %d characters", r.Name, s.ID, maxShardID)
			}
			if seen[s.ID] {
				return nil, fmt.Errorf("workflow: rule %s: shard %s is listed twice", r.Name, s.ID)
			}
			seen[s.ID] = true
			for _, f := range s.Inputs {
				if err := checkValue("rule "+r.Name+": shard "+s.ID+": input", f); err != nil {
					return nil, err
				}
				if f == "" {
					return nil, fmt.Errorf("workflow: rule %s: shard %s: an empty input path", r.Name, s.ID)
				}
			}
			for _, v := range s.Values {
				if err := checkValue("rule "+r.Name+": shard "+s.ID+": value", v); err != nil {
					return nil, err
				}
			}
		}
		if r.ShardsFrom != "" && (r.ShardSuffix == "" || !pathChars.MatchString(r.ShardSuffix) || strings.Contains(r.ShardSuffix, "/")) {
			return nil, fmt.Errorf("workflow: rule %s: shard suffix %q: want a file name ending such as .json", r.Name, r.ShardSuffix)
		}
		if len(r.Outputs) == 0 {
			return nil, fmt.Errorf("workflow: rule %s has no outputs", r.Name)
		}
		for k, p := range r.Outputs {
			if err := checkOutput(r, k, p); err != nil {
				return nil, err
			}
			if prev, ok := outputs[p]; ok {
				return nil, fmt.Errorf("workflow: output %s of rule %s is also an output of rule %s", p, r.Name, prev)
			}
			outputs[p] = r.Name
		}
		if r.Checkpoint && (r.sharded() || !strings.HasSuffix(r.Outputs[0], "/")) {
			return nil, fmt.Errorf("workflow: checkpoint %s: a checkpoint has no shards and its first output is a directory (ending in '/')", r.Name)
		}
		if len(r.Command) == 0 {
			return nil, fmt.Errorf("workflow: rule %s has no command", r.Name)
		}
	}
	// Second pass: references between rules.
	for i := range w.Rules {
		r := &w.Rules[i]
		if r.ShardsFrom != "" {
			cp := rules[r.ShardsFrom]
			if cp == nil || !cp.Checkpoint {
				return nil, fmt.Errorf("workflow: rule %s: shards from %q, which is not a checkpoint of the workflow", r.Name, r.ShardsFrom)
			}
		}
		for k, in := range r.Inputs {
			switch {
			case in.File != "" && in.Rule != "":
				return nil, fmt.Errorf("workflow: rule %s: input %d names both a file and a rule", r.Name, k)
			case in.File != "":
				if err := checkValue("rule "+r.Name+": input", in.File); err != nil {
					return nil, err
				}
			case in.Rule != "":
				src := rules[in.Rule]
				if src == nil {
					return nil, fmt.Errorf("workflow: rule %s: input %d: no rule %q", r.Name, k, in.Rule)
				}
				if in.Output < 0 || in.Output >= len(src.Outputs) {
					return nil, fmt.Errorf("workflow: rule %s: input %d: rule %s has no output %d", r.Name, k, in.Rule, in.Output)
				}
				if src == r {
					return nil, fmt.Errorf("workflow: rule %s reads its own output", r.Name)
				}
				if src.Checkpoint && in.Output == 0 && r.ShardsFrom != src.Name {
					return nil, fmt.Errorf("workflow: rule %s: input %d: the directory of checkpoint %s is read through shards_from", r.Name, k, src.Name)
				}
				if r.ShardsFrom != "" && sameShards(r, src) {
					return nil, fmt.Errorf("workflow: rule %s: input %d: per-shard inputs of a rule with shards from a checkpoint are its checkpoint file", r.Name, k)
				}
			default:
				return nil, fmt.Errorf("workflow: rule %s: input %d names neither a file nor a rule", r.Name, k)
			}
		}
		if err := checkCommand(r); err != nil {
			return nil, err
		}
	}
	if err := acyclic(w.Rules, rules); err != nil {
		return nil, err
	}
	for _, t := range w.Targets {
		if _, ok := outputs[t]; !ok {
			return nil, fmt.Errorf("workflow: target %q is no rule's output", t)
		}
		if strings.Contains(t, "{shard}") {
			return nil, fmt.Errorf("workflow: target %q: targets name files, not patterns", t)
		}
	}
	return rules, nil
}

// sameShards reports whether a job of r reads the output of the shard of
// src with its own id (both sharded alike) rather than of every shard.
func sameShards(r, src *Rule) bool {
	if r.ShardsFrom != "" || src.ShardsFrom != "" {
		return r.ShardsFrom != "" && r.ShardsFrom == src.ShardsFrom
	}
	if r.Shards == nil || src.Shards == nil || len(r.Shards) != len(src.Shards) {
		return false
	}
	for i := range r.Shards {
		if r.Shards[i].ID != src.Shards[i].ID {
			return false
		}
	}
	return true
}

// acyclic refuses rules that read, directly or not, their own outputs.
func acyclic(list []Rule, rules map[string]*Rule) error {
	const (
		unseen = iota
		active
		done
	)
	state := make(map[string]int)
	var visit func(r *Rule, path []string) error
	visit = func(r *Rule, path []string) error {
		switch state[r.Name] {
		case active:
			return fmt.Errorf("workflow: rules form a cycle: %s", strings.Join(append(path, r.Name), " → "))
		case done:
			return nil
		}
		state[r.Name] = active
		deps := []string{}
		for _, in := range r.Inputs {
			if in.Rule != "" {
				deps = append(deps, in.Rule)
			}
		}
		if r.ShardsFrom != "" {
			deps = append(deps, r.ShardsFrom)
		}
		for _, d := range deps {
			if err := visit(rules[d], append(path, r.Name)); err != nil {
				return err
			}
		}
		state[r.Name] = done
		return nil
	}
	for i := range list {
		if err := visit(&list[i], nil); err != nil {
			return err
		}
	}
	return nil
}
