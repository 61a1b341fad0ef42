// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// smallCard writes a small ZH campaign (the bundled sample, a SALLY model
// trained for a few epochs, Fisher information and limit scans) into dir
// and returns its path.
func smallCard(t *testing.T, dir string) string {
	t.Helper()
	lhe := filepath.Join(repotest.Root(t), "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	text := fmt.Sprintf(`workdir: /nonexistent/goldmine-test-work-use-the-flag
seed: 7
%ssamples:
  - {name: zh, lhe: %s, sampled_from: sm}
observables:
  - {name: pt_z, expr: "(e[0] + e[1]).pt", required: true}
  - {name: m_zh, expr: "(p[0] + p[1] + p[2]).m", required: true}
  - {name: dphi_ee, expr: "e[0].deltaphi(e[1])", required: true}
sampling:
  samples:
    - {name: sally, method: local, theta: {benchmark: sm}, n_samples: 10000}
training:
  - {name: sally, method: sally, sample: sally, hidden: [32], epochs: 20}
fisher:
  items:
    - {name: truth, kind: truth}
    - {name: rate, kind: rate}
    - {name: sally, kind: sally, model: sally}
limits:
  theta_true: [0, 0]
  grid: {ranges: [[-0.5, 0.5], [-0.5, 0.5]], resolutions: [7]}
  scans:
    - {name: rate, mode: rate}
    - {name: sally, mode: sally, model: sally}
plots:
  formats: [png]
`, zhSetup, lhe)
	path := filepath.Join(dir, "card.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// zhSetup is the parameters, benchmarks and morphing of the small cards.
const zhSetup = `parameters:
  - {name: cHW, lha_block: smeft, lha_id: 7, morphing_max_power: 2, range: [-1, 1]}
  - {name: cHq3, lha_block: smeft, lha_id: 25, morphing_max_power: 2, range: [-1, 1]}
` + repotest.ZHBasis

// analysed writes smallCard into a new folder and runs setup and analyse
// into its work folder; it returns the card and the work folder.
func analysed(t *testing.T) (card, work string) {
	t.Helper()
	dir := t.TempDir()
	card = smallCard(t, dir)
	work = filepath.Join(dir, "work")
	for _, st := range []string{"setup", "analyse"} {
		if out, err := run(t, nil, st, card, "--workdir", work, "--quiet"); err != nil {
			t.Fatalf("%s: %v\n%s", st, err, out)
		}
	}
	return card, work
}

// plant makes WORK/name a symbolic link to a new, empty folder outside
// and returns that folder.
func plant(t *testing.T, work, name string) string {
	t.Helper()
	outside := filepath.Join(t.TempDir(), "outside-"+name)
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(work, name))
	if err := os.Symlink(outside, filepath.Join(work, name)); err != nil {
		t.Fatal(err)
	}
	return outside
}

func empty(t *testing.T, dir string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) > 0 {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Errorf("goldmine wrote into %s: %v", dir, names)
	}
}

// TestPlantedSymlinks plants a symbolic link to a folder outside the
// workdir as WORKDIR/samples, WORKDIR/models and WORKDIR/plots: augment,
// train and plot refuse to write through it, and nothing appears outside.
func TestPlantedSymlinks(t *testing.T) {
	card, work := analysed(t)
	dir := filepath.Dir(work)
	for _, tc := range []struct {
		folder string
		before []string // stages run normally first
		stage  string
	}{
		{"samples", nil, "augment"},
		{"models", []string{"augment"}, "train"},
		{"plots", []string{"train", "fisher", "limits"}, "plot"},
	} {
		for _, st := range tc.before {
			if out, err := run(t, nil, st, card, "--workdir", work, "--quiet"); err != nil {
				t.Fatalf("%s: %v\n%s", st, err, out)
			}
		}
		saved := filepath.Join(dir, "saved-"+tc.folder)
		os.Rename(filepath.Join(work, tc.folder), saved)
		outside := plant(t, work, tc.folder)
		_, err := run(t, nil, tc.stage, card, "--workdir", work, "--quiet")
		if err == nil || !strings.Contains(err.Error(), "escapes") {
			t.Errorf("%s with %s a link outside: error %v, want a refusal", tc.stage, tc.folder, err)
		}
		t.Logf("%s: %v", tc.stage, err)
		empty(t, outside)
		os.Remove(filepath.Join(work, tc.folder))
		os.Rename(saved, filepath.Join(work, tc.folder))
	}
}

// TestTwoRuns starts two goldmine run at once on one workdir: one runs to
// completion with the numbers of a single run (fisher.json and
// limits.json as a run alone in another workdir writes them), the other
// exits at once naming the holder of the workdir's lock. Then a run killed
// with SIGKILL in training is run again (killAndRerun).
func TestTwoRuns(t *testing.T) {
	dir := t.TempDir()
	card := smallCard(t, dir)
	alone, shared := filepath.Join(dir, "alone"), filepath.Join(dir, "shared")
	start := time.Now()
	if out, err := run(t, nil, "run", card, "--workdir", alone, "--quiet"); err != nil {
		t.Fatalf("run alone: %v\n%s", err, out)
	}
	single := time.Since(start)
	t.Logf("one run alone: %v", single.Round(time.Millisecond))

	type proc struct {
		cmd    *exec.Cmd
		stderr *bytes.Buffer
		err    error
		took   time.Duration
	}
	var ps [2]*proc
	done := make(chan int, 2)
	for i := range ps {
		cmd, _, stderr := goldmine(t, nil, "run", card, "--workdir", shared, "--quiet")
		ps[i] = &proc{cmd: cmd, stderr: stderr}
		go func(i int, began time.Time) {
			ps[i].err = ps[i].cmd.Wait()
			ps[i].took = time.Since(began)
			done <- i
		}(i, time.Now())
	}
	for range ps {
		select {
		case <-done:
		case <-time.After(10 * time.Minute):
			for _, p := range ps {
				p.cmd.Process.Kill()
			}
			t.Fatal("the runs did not end within 10 minutes")
		}
	}
	win, lose := ps[0], ps[1]
	if win.err != nil {
		win, lose = lose, win
	}
	if win.err != nil || lose.err == nil {
		t.Fatalf("want one run to succeed and one to fail: %v (%s), %v (%s)", ps[0].err, ps[0].stderr, ps[1].err, ps[1].stderr)
	}
	var ee *exec.ExitError
	if !errors.As(lose.err, &ee) {
		t.Fatalf("loser: %v", lose.err)
	}
	msg := lose.stderr.String()
	t.Logf("winner took %v; loser took %v and said: %s", win.took.Round(time.Millisecond), lose.took.Round(time.Millisecond), strings.TrimSpace(msg))
	for _, want := range []string{"in use by pid " + strconv.Itoa(win.cmd.Process.Pid), shared, "run " + card} {
		if !strings.Contains(msg, want) {
			t.Errorf("the loser's message does not name %q:\n%s", want, msg)
		}
	}
	if strings.Count(strings.TrimSpace(msg), "\n") > 0 || strings.Contains(msg, "goroutine") {
		t.Errorf("the loser's message is not one line:\n%s", msg)
	}
	if lose.took > 5*time.Second || lose.took > win.took/2 {
		t.Errorf("the loser took %v (the winner %v), want it to exit at once", lose.took, win.took)
	}
	for _, f := range []string{"fisher.json", "limits.json"} {
		a, err := os.ReadFile(filepath.Join(alone, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(shared, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(bytes.ReplaceAll(a, []byte(alone), []byte(shared)), b) {
			t.Errorf("%s of the shared workdir differs from a single run's", f)
		}
	}
	if b, err := os.ReadFile(filepath.Join(shared, ".goldmine", "lock")); err != nil || len(b) != 0 {
		t.Errorf("lock file after the runs: %q, %v; want it empty (released)", b, err)
	}

	killAndRerun(t, card, filepath.Join(dir, "killed"), alone)
}

// killAndRerun starts goldmine run in work, kills it with SIGKILL once
// augment has finished (in training, before its record), and runs again:
// the second run takes over the lock the dead one left, with a warning
// naming it, and writes fisher.json and limits.json equal to those of the
// uninterrupted run in alone.
func killAndRerun(t *testing.T, card, work, alone string) {
	t.Helper()
	cmd, _, stderr := goldmine(t, nil, "run", card, "--workdir", work, "--quiet")
	units := filepath.Join(work, ".goldmine", "units")
	deadline := time.Now().Add(5 * time.Minute)
	for {
		if _, err := os.Stat(filepath.Join(units, "augment.json")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("goldmine run did not reach training: %s", stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	_, trained := os.Stat(filepath.Join(units, "train.json"))
	t.Logf("killed with SIGKILL after augment (train finished: %v)", trained == nil)
	rec, err := os.ReadFile(filepath.Join(work, ".goldmine", "lock"))
	if err != nil || !bytes.Contains(rec, []byte(`"pid":`+strconv.Itoa(cmd.Process.Pid))) {
		t.Fatalf("the killed run left no lock record: %q, %v", rec, err)
	}
	again, _, stderr2 := goldmine(t, nil, "run", card, "--workdir", work, "--quiet")
	if err := again.Wait(); err != nil {
		t.Fatalf("run after kill -9: %v\n%s", err, stderr2)
	}
	msg := stderr2.String()
	if !strings.Contains(msg, "took over the lock") || !strings.Contains(msg, "pid "+strconv.Itoa(cmd.Process.Pid)) || !strings.Contains(msg, "no longer runs") {
		t.Errorf("no warning naming the dead holder:\n%s", msg)
	}
	for _, f := range []string{"fisher.json", "limits.json"} {
		a, err := os.ReadFile(filepath.Join(alone, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(work, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(bytes.ReplaceAll(a, []byte(alone), []byte(work)), b) {
			t.Errorf("%s after kill -9 and a rerun differs from an uninterrupted run's", f)
		}
	}
}
