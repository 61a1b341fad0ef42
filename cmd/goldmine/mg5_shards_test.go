// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/quote"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestRealMG5GenerateShardsSlurm runs a run of two MG5 jobs of the SM
// (jobs: 2, 300 events each) as two generate shards, each a Slurm job
// (goldmine generate --shard submitted with sbatch, at once, on the
// one-node cluster), with the real MG5; then goldmine merge --stage
// generate and goldmine analyse. The two jobs have their own seeds (their
// cross sections differ) and the analysed events file counts the SM cross
// section once: σ(sm) is the mean of the two jobs' (to 1e-6) and agrees
// with each job's within three MG5 errors; twice it would be some hundred
// errors away. It needs the real MG5 (see mg5_test.go) and a Slurm
// cluster (../shared/tools/slurm_local.sh; SLURM_CONF from its env):
//
//	GOLDMINE_REQUIRE_TOOLS=1 go test -run RealMG5GenerateShards -timeout 30m -v ./cmd/goldmine
func TestRealMG5GenerateShardsSlurm(t *testing.T) {
	mg5, python := realMG5(t)
	slurm := repotest.SlurmEnv(t)
	card := mg5Card(t, mg5, python, "", "    - {name: sm, benchmark: sm, events: 600, seed: 4321, jobs: 2}", "  - {name: zh, madgraph_run: sm}")
	work := filepath.Join(t.TempDir(), "work")
	goldmineRun(t, "setup", card, "--workdir", work)

	// Each shard is a Slurm job of this test binary as goldmine.
	dir := t.TempDir()
	env := append(append(os.Environ(), "GOLDMINE_TEST_AS_MAIN=1", "MG5_AMC=", "GOLDMINE_PYTHON="), slurm...)
	shards := []string{"sm.j0", "sm.j1"}
	var wg sync.WaitGroup
	outs := make([]string, len(shards))
	errs := make([]error, len(shards))
	start := time.Now()
	for i, id := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := quote.ShellJoin([]string{"nice", "-n", "10", os.Args[0], "generate", card, "--workdir", work, "--shard", id, "--quiet", "--record", "done/" + id + ".json"})
			sb := exec.Command("sbatch", "--wait", "--chdir", dir, "--output", filepath.Join(dir, id+".out"), "--job-name", "gen-"+id, "--wrap", cmd)
			sb.Env = env
			out, err := sb.CombinedOutput()
			outs[i], errs[i] = string(out), err
		}()
	}
	wg.Wait()
	t.Logf("two generate shards through Slurm: %v", time.Since(start).Round(time.Second))
	for i, id := range shards {
		if errs[i] != nil {
			log, _ := os.ReadFile(filepath.Join(dir, id+".out"))
			t.Fatalf("sbatch of shard %s: %v\n%s\n%s", id, errs[i], outs[i], log)
		}
	}
	type rec struct {
		Job    string
		Result struct{ Outputs []string }
	}
	lhe := make([]string, len(shards))
	for i, id := range shards {
		b, err := os.ReadFile(filepath.Join(dir, "done", id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var r rec
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(r.Job, "slurm:") {
			t.Errorf("shard %s ran as job %q, want a Slurm job", id, r.Job)
		}
		m, err := filepath.Glob(filepath.Join(work, "madgraph", "runs", id, "Events", "run_*", "unweighted_events.lhe.gz"))
		if err != nil || len(m) != 1 {
			t.Fatalf("shard %s: event files %v (%v)", id, m, err)
		}
		lhe[i] = m[0]
	}
	a, b := xsecOf(t, lhe[0], basis), xsecOf(t, lhe[1], basis)
	if a.Events != 300 || b.Events != 300 {
		t.Errorf("%d and %d events, want 300 each (600 split in two)", a.Events, b.Events)
	}
	ae, be := math.Max(a.XSecErr, a.HeaderErr), math.Max(b.XSecErr, b.HeaderErr)
	t.Logf("σ(SM): job 0 %.6g ± %.2g pb, job 1 %.6g ± %.2g pb", a.XSec, ae, b.XSec, be)
	if a.XSec == b.XSec {
		t.Errorf("the two jobs gave the same cross section %g: do they have their own seeds?", a.XSec)
	}

	goldmineRun(t, "merge", card, "--workdir", work, "--stage", "generate")
	var an struct {
		EventsWritten int                `json:"events_written"`
		XSecPB        map[string]float64 `json:"xsec_pb"`
	}
	if err := json.Unmarshal(goldmineRun(t, "analyse", card, "--workdir", work), &an); err != nil {
		t.Fatal(err)
	}
	if an.EventsWritten != 600 {
		t.Errorf("%d events written, want 600 (the cuts of the card keep all)", an.EventsWritten)
	}
	got := an.XSecPB["sm"]
	if want := (a.XSec + b.XSec) / 2; math.Abs(got-want) > 1e-6*want {
		t.Errorf("σ(sm) in events.h5 = %.8g pb, want the mean of the jobs' %.8g pb", got, want)
	}
	for i, j := range []struct{ x, e float64 }{{a.XSec, ae}, {b.XSec, be}} {
		if d := math.Abs(got - j.x); d > 3*math.Hypot(j.e, math.Max(ae, be)) {
			t.Errorf("σ(sm) in events.h5 = %.6g pb, %.3g from job %d's %.6g ± %.2g pb: more than three errors (counted twice?)", got, d, i, j.x, j.e)
		}
	}
}
