// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestCheckpoint runs a workflow whose shard count depends on data: the
// checkpoint writes three chunk files, one job runs per chunk, and a
// gather reads them all.
func TestCheckpoint(t *testing.T) {
	sms := repotest.Snakemakes(t)
	dir := t.TempDir()
	standin := writeStandIn(t, dir)
	w := &Workflow{Rules: []Rule{
		{
			Name: "split", Checkpoint: true, Outputs: []string{"chunks/"}, Local: true,
			Command: Cmd("bash", "-c", `mkdir -p "$1" && for i in $(seq "$2"); do echo "$i" > "$1/c$i.json"; done`, "split", Out(0), "3"),
		},
		{
			Name: "process", ShardsFrom: "split", ShardSuffix: ".json", Outputs: []string{"processed/{shard}.txt"},
			Command: Cmd(standin, Out(0), ShardID, ShardIn(0), Join(Text("-t"), Threads)),
		},
		{
			Name: "collect", Inputs: []Input{RuleInput("process", 0)}, Outputs: []string{"collected.txt"},
			Command: Cmd(standin, Out(0), "collect", In(0)),
		},
	}}
	if _, err := Write(dir, w); err != nil {
		t.Fatal(err)
	}
	for _, sm := range sms {
		t.Run(fmt.Sprint("snakemake", sm.Major), func(t *testing.T) {
			for _, d := range []string{"chunks", "processed", "logs", ".snakemake", "collected.txt"} {
				os.RemoveAll(filepath.Join(dir, d))
			}
			if out, err := sm.Run(t, dir, nil, 2*time.Minute, "-n", "--cores", "2"); err != nil {
				t.Fatalf("snakemake -n: %v\n%s", err, out)
			}
			if out, err := sm.Run(t, dir, nil, 2*time.Minute, "--cores", "2"); err != nil {
				t.Fatalf("snakemake: %v\n%s", err, out)
			}
			var files []string
			for i := 1; i <= 3; i++ {
				id := fmt.Sprint("c", i)
				p := "processed/" + id + ".txt"
				files = append(files, p)
				r := readRecord(t, filepath.Join(dir, p))
				if want := []string{id, "chunks/" + id + ".json", "-t1"}; !reflect.DeepEqual(r.args, want) {
					t.Errorf("%s: args %q, want %q", p, r.args, want)
				}
			}
			r := readRecord(t, filepath.Join(dir, "collected.txt"))
			if want := append([]string{"collect"}, files...); !reflect.DeepEqual(r.args, want) {
				t.Errorf("collected.txt: args %q, want %q", r.args, want)
			}
			if out, err := sm.Run(t, dir, nil, 2*time.Minute, "-n", "--cores", "2"); err != nil || !strings.Contains(out, "Nothing to be done") {
				t.Errorf("second run is not empty: %v\n%s", err, out)
			}
		})
	}
}

// shardWorkflow is the stand-in graph of the cluster tests: n shards,
// each writing its record, and a merge that reads them all.
func shardWorkflow(standin string, n int, slurm bool) *Workflow {
	an := Rule{
		Name: "analyse", Doc: "one partial file per shard", Outputs: []string{"partial/{shard}.txt"},
		Command: Cmd(standin, Out(0), ShardID, Join(Text("--threads="), Threads)),
		MemMB:   200, Runtime: 5 * time.Minute,
	}
	for i := 0; i < n; i++ {
		an.Shards = append(an.Shards, Shard{ID: fmt.Sprint("s", i)})
	}
	merge := Rule{
		Name: "merge", Doc: "the merged file", Inputs: []Input{RuleInput("analyse", 0)}, Outputs: []string{"merged.txt"},
		Command: Cmd(standin, Out(0), "merge", In(0)), MemMB: 200, Runtime: 5 * time.Minute,
	}
	if slurm {
		return &Workflow{Rules: []Rule{an, merge}, Slurm: Slurm{Jobs: 8}}
	}
	return &Workflow{Rules: []Rule{an, merge}}
}

// checkFailAndRerun makes shard s1 fail: the run must exit non-zero and
// leave no output for it (not even the half file the stand-in writes);
// the rerun must make it and leave the shards that had finished alone.
// run runs Snakemake with the given extra arguments.
func checkFailAndRerun(t *testing.T, dir string, n int, run func(args ...string) (string, error)) {
	t.Helper()
	for _, d := range []string{"partial", "logs", "merged.txt"} {
		os.RemoveAll(filepath.Join(dir, d))
	}
	fail := filepath.Join(dir, "fail-s1")
	if err := os.WriteFile(fail, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run()
	if err == nil {
		t.Fatalf("a run with a failing shard exited 0\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "partial/s1.txt")); err == nil {
		t.Fatalf("the failed shard left partial/s1.txt\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "merged.txt")); err == nil {
		t.Fatal("the merge ran although a shard failed")
	}
	before := map[string]time.Time{}
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprint("partial/s", i, ".txt"))
		if fi, err := os.Stat(p); err == nil {
			before[p] = fi.ModTime()
		}
	}
	os.Remove(fail)
	if out, err := run(); err != nil {
		t.Fatalf("rerun after the failure: %v\n%s", err, out)
	}
	for p, mt := range before {
		fi, err := os.Stat(p)
		if err != nil || !fi.ModTime().Equal(mt) {
			t.Errorf("%s, complete before the rerun, was made again", p)
		}
	}
	readRecord(t, filepath.Join(dir, "partial/s1.txt"))
	readRecord(t, filepath.Join(dir, "merged.txt"))
}

func TestFailureLocal(t *testing.T) {
	sms := repotest.Snakemakes(t)
	for _, sm := range sms {
		t.Run(fmt.Sprint("snakemake", sm.Major), func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Write(dir, shardWorkflow(writeStandIn(t, dir), 4, false)); err != nil {
				t.Fatal(err)
			}
			checkFailAndRerun(t, dir, 4, func(args ...string) (string, error) {
				return sm.Run(t, dir, nil, 2*time.Minute, append([]string{"--profile", "profiles/local", "--cores", "2"}, args...)...)
			})
		})
	}
}
