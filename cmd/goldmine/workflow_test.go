// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/quote"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// runGoldmine runs the goldmine command (this test binary as main) to
// the end and fails the test if it fails.
func runGoldmine(t *testing.T, args ...string) string {
	t.Helper()
	cmd, out, errb := goldmine(t, nil, args...)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("goldmine %s: %v\n%s", strings.Join(args, " "), err, errb)
	}
	return out.String()
}

// TestWorkflowSnakemakeSlurm takes the card of the sharded tests (4
// analyse shards, 4 augment shards (one sample in 3 θ chunks), 2 estimators × 2
// members, 2 grid chunks and a toy
// batch for each of 3 scans) through goldmine workflow and runs it with
// snakemake --cores 2 and through the one-node Slurm cluster: both give
// fisher.json, limits.json and limits_members.json of goldmine run to
// 1e-12, every job that is not a local rule ran as a Slurm job of its own
// (the job id in its record), a rerun has nothing to do. Locally a shard
// made to fail first (its LHE file damaged) stops the run with an error
// and leaves neither its record nor its folder; the rerun with the file
// repaired completes.
func TestWorkflowSnakemakeSlurm(t *testing.T) {
	sms := repotest.Snakemakes(t)
	slurm := repotest.SlurmEnv(t)
	card := repotest.ShardedCard(t)
	dir := filepath.Dir(card)
	// The jobs run this test binary as goldmine.
	prog := filepath.Join(dir, "goldmine")
	script := "#!/bin/sh\nGOLDMINE_TEST_AS_MAIN=1 exec " + quote.Shell(os.Args[0]) + " \"$@\"\n"
	if err := os.WriteFile(prog, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	runGoldmine(t, "run", card, "--workdir", filepath.Join(dir, "whole"), "--quiet")
	t.Logf("goldmine run: %.0f s", time.Since(start).Seconds())

	sm := sms[len(sms)-1] // the newest: its Slurm executor
	type variant struct {
		name string
		args []string
		env  []string
		fail string // a sample whose shard fails first
	}
	variants := []variant{
		{name: "local", args: []string{"--cores", "2"}, fail: "zh_2"},
		{name: "slurm", args: []string{"--profile", "profiles/slurm"}, env: slurm},
	}
	if sm.Major >= 8 {
		variants[1].args = append(variants[1].args, "--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "2")
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			wf, work := filepath.Join(dir, "wf-"+v.name), filepath.Join(dir, "work-"+v.name)
			runGoldmine(t, "workflow", card, "--out", wf, "--workdir", work, "--goldmine", prog, "--quiet")
			run := func(args ...string) (string, error) {
				return sm.Run(t, wf, v.env, 5*time.Minute, append(append([]string(nil), v.args...), args...)...)
			}
			start := time.Now()
			if v.fail != "" {
				lhe := filepath.Join(dir, "parts", v.fail+".lhe")
				good, err := os.ReadFile(lhe)
				if err != nil {
					t.Fatal(err)
				}
				bad := strings.Replace(string(good), "<event>", "<event>\nnot an event\n", 1)
				if err := os.WriteFile(lhe, []byte(bad), 0o644); err != nil {
					t.Fatal(err)
				}
				out, err := run()
				if err == nil {
					t.Fatalf("snakemake with a damaged %s succeeded:\n%s", lhe, out)
				}
				for _, p := range []string{filepath.Join(wf, "done", "analyse", v.fail+".json"), filepath.Join(work, "shards", "analyse", v.fail)} {
					if _, err := os.Stat(p); err == nil {
						t.Errorf("the failed shard left %s", p)
					}
				}
				if err := os.WriteFile(lhe, good, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if out, err := run(); err != nil {
				t.Fatalf("snakemake %v: %v\n%s", v.args, err, out)
			}
			t.Logf("Snakemake %d, %s: %.0f s", sm.Major, v.name, time.Since(start).Seconds())
			for _, f := range []string{"fisher.json", "limits.json", "limits_members.json"} {
				repotest.CompareJSON(t, f, filepath.Join(dir, "whole", f), filepath.Join(work, f), filepath.Join(dir, "whole"), work, 1e-12)
			}
			jobs := map[string]string{}
			n := 0
			filepath.WalkDir(filepath.Join(wf, "done"), func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				n++
				var rec Record
				b, err := os.ReadFile(p)
				if err == nil {
					err = json.Unmarshal(b, &rec)
				}
				if err != nil {
					t.Errorf("%s: %v", p, err)
					return nil
				}
				rule := strings.TrimSuffix(filepath.Base(p), ".json")
				if d := filepath.Base(filepath.Dir(p)); d != "done" {
					rule = d
				}
				local := rule == "setup" || rule == "augment_merge" || rule == "assemble" || rule == "plots"
				switch {
				case v.name == "local" || local:
					if rec.Job != "" {
						t.Errorf("%s ran in batch job %s", p, rec.Job)
					}
				case !strings.HasPrefix(rec.Job, "slurm:"):
					t.Errorf("%s did not run as a Slurm job (job %q)", p, rec.Job)
				case jobs[rec.Job] != "":
					t.Errorf("%s and %s ran in the same Slurm job %s", p, jobs[rec.Job], rec.Job)
				default:
					jobs[rec.Job] = p
				}
				return nil
			})
			t.Logf("%d job records, %d Slurm jobs", n, len(jobs))
			if n != 28 {
				t.Errorf("%d job records, want 28", n)
			}
			if out, err := run("-n"); err != nil || !strings.Contains(out, "Nothing to be done") {
				t.Errorf("rerun is not empty: %v\n%s", err, out)
			}
		})
	}
}
