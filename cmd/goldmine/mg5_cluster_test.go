// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestRealMG5ClusterSlurm generates 1000 SM events with the real MG5 in
// its cluster mode (madgraph.cluster: {type: slurm}): MG5 itself submits
// the survey and refine jobs with sbatch to the one-node Slurm cluster and
// polls them with squeue. goldmine generate succeeds; the jobs went through
// Slurm: scontrol lists completed jobs (MinJobAge of slurm_local.sh keeps
// them ten minutes), none of them there before, working in the run's
// folder, all with exit code 0, among them survey jobs (survey.sh) and
// refine jobs (ajob*; 1000 events need a refine, 300 do not); and the SM
// cross section agrees with the 5000-event shared sample's within three
// combined MC errors. MG5 polls every 30 s (cluster_status_update's
// default), so the run takes some 80 s. It needs
// the real MG5 (see mg5_test.go) and a Slurm cluster
// (../shared/tools/slurm_local.sh; SLURM_CONF from its env):
//
//	GOLDMINE_REQUIRE_TOOLS=1 go test -run RealMG5ClusterSlurm -timeout 30m -v ./cmd/goldmine
func TestRealMG5ClusterSlurm(t *testing.T) {
	mg5, python := realMG5(t)
	slurm := repotest.SlurmEnv(t)
	scontrol := repotest.LookPath(t, "scontrol", "lists the jobs MG5 submitted (Debian slurm-client)")
	ref := repotest.Shared(t, "data/lhe/zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	card := mg5Card(t, mg5, python, "  cluster: {type: slurm}\n", "    - {name: sm, benchmark: sm, events: 1000, seed: 4321}", "  - {name: zh, madgraph_run: sm}")
	work := filepath.Join(t.TempDir(), "work")

	before := slurmJobs(t, scontrol)
	start := time.Now()
	cmd, out, stderr := goldmine(t, append([]string{"MG5_AMC=", "GOLDMINE_PYTHON="}, slurm...), "generate", card, "--workdir", work, "--json")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("goldmine generate: %v\n%s", err, stderr)
	}
	t.Logf("generate in MG5's Slurm cluster mode (1000 events): %v", time.Since(start).Round(time.Second))
	var gen generateJSON
	if err := json.Unmarshal(out.Bytes(), &gen); err != nil {
		t.Fatal(err)
	}
	if len(gen.Runs) != 1 || gen.Runs[0].Status != "done" {
		t.Fatalf("runs %+v", gen.Runs)
	}

	// The Slurm jobs of this run: new ones, working in the run's folder.
	run := filepath.Join(work, "madgraph", "runs", "sm") + string(filepath.Separator)
	var jobs []map[string]string
	var survey, refine int
	for id, j := range slurmJobs(t, scontrol) {
		if _, ok := before[id]; ok || !strings.HasPrefix(j["WorkDir"]+string(filepath.Separator), run) {
			continue
		}
		jobs = append(jobs, j)
		switch prog := filepath.Base(j["Command"]); {
		case prog == "survey.sh":
			survey++
		case strings.HasPrefix(prog, "ajob"):
			refine++
		}
		if j["JobState"] != "COMPLETED" || j["ExitCode"] != "0:0" {
			t.Errorf("Slurm job %s (%s in %s): %s, exit code %s", id, j["Command"], j["WorkDir"], j["JobState"], j["ExitCode"])
		}
	}
	t.Logf("%d Slurm jobs of MG5 in %s: %d survey, %d refine", len(jobs), run, survey, refine)
	if survey == 0 || refine == 0 {
		t.Fatalf("%d survey and %d refine jobs went through Slurm in %s (%d jobs in all), want some of each: did MG5 run them itself?", survey, refine, run, len(jobs))
	}

	got, want := xsecOf(t, gen.Runs[0].LHE, basis), xsecOf(t, ref, basis)
	if got.Events != 1000 {
		t.Errorf("%d events, want 1000", got.Events)
	}
	ge, we := math.Max(got.XSecErr, got.HeaderErr), math.Max(want.XSecErr, want.HeaderErr)
	diff, tol := math.Abs(got.XSec-want.XSec), 3*math.Hypot(ge, we)
	t.Logf("σ(SM): %.6g ± %.2g pb in cluster mode, %.6g ± %.2g pb in the shared sample: %.2f combined errors apart", got.XSec, ge, want.XSec, we, diff/math.Hypot(ge, we))
	if diff > tol || ge == 0 {
		t.Errorf("σ(SM) = %.6g ± %.2g pb, shared sample %.6g ± %.2g pb: %.3g apart, more than three combined errors (%.3g)", got.XSec, ge, want.XSec, we, diff, tol)
	}
}

// slurmJobs returns the jobs slurmctld knows (running ones and those
// finished less than MinJobAge ago) by id, each as its scontrol fields.
func slurmJobs(t *testing.T, scontrol string) map[string]map[string]string {
	t.Helper()
	out, err := exec.Command(scontrol, "show", "job", "-o").CombinedOutput()
	if err != nil {
		t.Fatalf("scontrol show job: %v\n%s", err, out)
	}
	jobs := make(map[string]map[string]string)
	for _, line := range strings.Split(string(out), "\n") {
		j := make(map[string]string)
		for _, f := range strings.Fields(line) {
			if k, v, ok := strings.Cut(f, "="); ok {
				j[k] = v
			}
		}
		if id := j["JobId"]; id != "" {
			jobs[id] = j
		}
	}
	return jobs
}
