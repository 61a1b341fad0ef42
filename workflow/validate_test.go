// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	base := func() *Workflow {
		return &Workflow{Rules: []Rule{
			{Name: "gen", Shards: []Shard{{ID: "a"}, {ID: "b"}}, Outputs: []string{"gen/{shard}.h5"}, Command: Cmd("x", Out(0))},
			{Name: "merge", Inputs: []Input{RuleInput("gen", 0)}, Outputs: []string{"merged.h5"}, Command: Cmd("x", In(0))},
		}}
	}
	if _, err := base().Files(); err != nil {
		t.Fatalf("valid workflow: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(w *Workflow)
		want string
	}{
		{"rule name", func(w *Workflow) { w.Rules[0].Name = "Gen-1" }, "name"},
		{"keyword", func(w *Workflow) { w.Rules[0].Name = "lambda" }, "keyword"},
		{"all", func(w *Workflow) { w.Rules[0].Name = "all" }, "keyword"},
		{"twice", func(w *Workflow) { w.Rules[1].Name = "gen" }, "twice"},
		{"shard id", func(w *Workflow) { w.Rules[0].Shards[0].ID = "../x" }, "shard id"},
		{"shard dot", func(w *Workflow) { w.Rules[0].Shards[0].ID = ".x" }, "shard id"},
		{"shard long", func(w *Workflow) { w.Rules[0].Shards[0].ID = strings.Repeat("x", 300) }, "shard id"},
		{"shard twice", func(w *Workflow) { w.Rules[0].Shards[1].ID = "a" }, "twice"},
		{"empty shards", func(w *Workflow) { w.Rules[0].Shards = []Shard{} }, "empty shard list"},
		{"output chars", func(w *Workflow) { w.Rules[1].Outputs[0] = "merged file.h5" }, "only letters"},
		{"output brace", func(w *Workflow) { w.Rules[1].Outputs[0] = "m{x}.h5" }, "only letters"},
		{"output abs", func(w *Workflow) { w.Rules[1].Outputs[0] = "/tmp/m.h5" }, "relative"},
		{"output dotdot", func(w *Workflow) { w.Rules[1].Outputs[0] = "../m.h5" }, "'..'"},
		{"output hidden", func(w *Workflow) { w.Rules[1].Outputs[0] = "a/.m.h5" }, "hidden"},
		{"output logs", func(w *Workflow) { w.Rules[1].Outputs[0] = "logs/m.h5" }, "logs/"},
		{"output no shard", func(w *Workflow) { w.Rules[0].Outputs[0] = "gen/x.h5" }, "must hold {shard}"},
		{"output shard", func(w *Workflow) { w.Rules[1].Outputs[0] = "m{shard}.h5" }, "no shards"},
		{"output twice", func(w *Workflow) { w.Rules[1].Outputs[0] = "gen/{shard}.h5"; w.Rules[1].Shards = w.Rules[0].Shards }, "also an output"},
		{"no outputs", func(w *Workflow) { w.Rules[1].Outputs = nil }, "no outputs"},
		{"no command", func(w *Workflow) { w.Rules[1].Command = nil }, "no command"},
		{"bad input rule", func(w *Workflow) { w.Rules[1].Inputs[0].Rule = "nope" }, "no rule"},
		{"bad input output", func(w *Workflow) { w.Rules[1].Inputs[0].Output = 3 }, "no output 3"},
		{"input both", func(w *Workflow) { w.Rules[1].Inputs[0].File = "f" }, "both"},
		{"input neither", func(w *Workflow) { w.Rules[1].Inputs[0] = Input{} }, "neither"},
		{"own output", func(w *Workflow) { w.Rules[1].Inputs[0] = RuleInput("merge", 0) }, "own output"},
		{"cycle", func(w *Workflow) { w.Rules[0].Inputs = []Input{RuleInput("merge", 0)} }, "cycle"},
		{"bad utf8", func(w *Workflow) { w.Rules[1].Command = Cmd("x\xff") }, "UTF-8"},
		{"nul", func(w *Workflow) { w.Rules[1].Inputs = append(w.Rules[1].Inputs, FileInput("a\x00b")) }, "NUL"},
		{"doc newline", func(w *Workflow) { w.Rules[0].Doc = "a\nb" }, "one line"},
		{"ref input", func(w *Workflow) { w.Rules[1].Command = Cmd(In(4)) }, "no input 4"},
		{"ref output", func(w *Workflow) { w.Rules[1].Command = Cmd(Out(1)) }, "no output 1"},
		{"ref shard", func(w *Workflow) { w.Rules[1].Command = Cmd(ShardID) }, "no shards"},
		{"ref shard value", func(w *Workflow) { w.Rules[0].Command = Cmd(ShardValue(0)) }, "no value 0"},
		{"ref shard input", func(w *Workflow) { w.Rules[0].Command = Cmd(ShardIn(0)) }, "no input 0"},
		{"gather joined", func(w *Workflow) { w.Rules[1].Command = Cmd(Join(Text("--in="), In(0))) }, "argument of its own"},
		{"empty arg", func(w *Workflow) { w.Rules[1].Command = []Arg{{}} }, "empty"},
		{"partition", func(w *Workflow) { w.Rules[0].Partition = "a b" }, "partition"},
		{"account", func(w *Workflow) { w.Slurm.Account = "$(x)" }, "account"},
		{"partition missing", func(w *Workflow) { w.Rules[0].Partition = "gpu" }, "no Slurm partition"},
		{"runtime", func(w *Workflow) { w.Rules[0].Runtime = 8 * 24 * time.Hour }, "flavour"},
		{"negative", func(w *Workflow) { w.Rules[0].MemMB = -1 }, "negative"},
		{"backend", func(w *Workflow) { w.REANA.ComputeBackend = "cloud" }, "compute backend"},
		{"image", func(w *Workflow) { w.Image = "a b" }, "white space"},
		{"target", func(w *Workflow) { w.Targets = []string{"nope"} }, "no rule's output"},
		{"shards from", func(w *Workflow) {
			w.Rules[1].ShardsFrom = "gen"
			w.Rules[1].ShardSuffix = ".x"
			w.Rules[1].Outputs[0] = "m/{shard}"
		}, "not a checkpoint"},
		{"checkpoint", func(w *Workflow) { w.Rules[1].Checkpoint = true }, "directory"},
		{"no rules", func(w *Workflow) { w.Rules = nil }, "no rules"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := base()
			tc.edit(w)
			_, err := w.Files()
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "workflow: ") {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestFlavour(t *testing.T) {
	for _, tc := range []struct {
		minutes int
		want    string
	}{
		{1, "espresso"}, {20, "espresso"}, {21, "microcentury"}, {60, "microcentury"},
		{61, "longlunch"}, {121, "workday"}, {8 * 60, "workday"}, {8*60 + 1, "tomorrow"},
		{24*60 + 1, "testmatch"}, {3*24*60 + 1, "nextweek"}, {7 * 24 * 60, "nextweek"},
	} {
		got, err := flavour(tc.minutes)
		if err != nil || got != tc.want {
			t.Errorf("flavour(%d) = %q, %v, want %q", tc.minutes, got, err, tc.want)
		}
	}
	r := Rule{Runtime: 61 * time.Second}
	if r.minutes() != 2 {
		t.Errorf("61 s rounds to %d minutes, want 2", r.minutes())
	}
}

// TestResources checks what reaches the Snakefile and profiles for the
// resources and placement of rules.
func TestResources(t *testing.T) {
	w := &Workflow{
		Slurm: Slurm{Partition: "short", Account: "cms_x"},
		REANA: REANA{ComputeBackend: "htcondorcern"},
		Rules: []Rule{
			{Name: "train", Outputs: []string{"m.json"}, Command: Cmd("x"), Threads: 4, MemMB: 8000, Runtime: 3 * time.Hour, Partition: "gpu"},
			{Name: "plot", Inputs: []Input{RuleInput("train", 0)}, Outputs: []string{"p.png"}, Command: Cmd("x"), Local: true},
		},
	}
	files, err := w.Files()
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) string {
		for _, f := range files {
			if f.Name == name {
				return string(f.Data)
			}
		}
		t.Fatalf("no file %s", name)
		return ""
	}
	snake := get("Snakefile")
	for _, want := range []string{
		"localrules: all, plot\n",
		"    threads: 4\n    resources: mem_mb=8000, runtime=180, slurm_partition=\"gpu\", compute_backend=\"htcondorcern\", htcondor_max_runtime=\"workday\"\n",
		"    threads: 1\n    resources: mem_mb=1000, runtime=60\n",
	} {
		if !strings.Contains(snake, want) {
			t.Errorf("Snakefile lacks %q", want)
		}
	}
	for name, wants := range map[string][]string{
		"profiles/slurm/config.yaml":        {"--partition={resources.slurm_partition} --account=cms_x\"", "cluster-status: \"profiles/slurm/status.sh\""},
		"profiles/slurm/config.v8+.yaml":    {"executor: slurm", "slurm_account: \"\\\"cms_x\\\"\""},
		"profiles/htcondor/config.v8+.yaml": {"\"train\":\n    request_memory: 8000\n    classad_JobFlavour: \"\\\"workday\\\"\"\n"},
	} {
		got := get(name)
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, got)
			}
		}
	}
	if strings.Contains(get("profiles/htcondor/config.v8+.yaml"), "\"plot\"") {
		t.Error("a local rule has HTCondor resources")
	}
}
