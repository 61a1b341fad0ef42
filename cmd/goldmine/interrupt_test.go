// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestMain lets the test binary stand in for the goldmine command: with
// GOLDMINE_TEST_AS_MAIN=1 it runs main, so that tests can start goldmine
// as a process and send it signals.
func TestMain(m *testing.M) {
	if os.Getenv("GOLDMINE_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// goldmine starts the goldmine command (this test binary as main) with the
// extra environment env; its output goes to the returned buffers.
func goldmine(t *testing.T, env []string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "GOLDMINE_TEST_AS_MAIN=1"), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out, &errb
}

// processesOf lists the processes whose environment names the job folder
// (every script and MG5 process of a run carries GOLDMINE_WORKDIR), from
// /proc; it skips the test where /proc cannot be read.
func processesOf(t *testing.T, workdir string) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	want := []byte("GOLDMINE_WORKDIR=" + workdir + "\x00")
	var found []string
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !bytes.Contains(env, want) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && len(stat) > i+2 && stat[i+2] == 'Z' {
			continue // a zombie waiting for its parent: not running
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		found = append(found, e.Name()+": "+strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return found
}

// waitFor polls cond every 50 ms for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// interruptAndResume interrupts goldmine generate on card once ready
// reports that MG5 is busy, checks that no process of the job folder is
// left and that the run is left incomplete, then generates again with
// env2 and returns the statuses of the second generate.
func interruptAndResume(t *testing.T, card, workdir string, env1, env2 []string, ready func() bool, readyWithin time.Duration, sig syscall.Signal) map[string]string {
	t.Helper()
	jobs := filepath.Join(workdir, "madgraph")
	cmd, _, stderr := goldmine(t, env1, "generate", card, "--workdir", workdir)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if !waitFor(readyWithin, ready) {
		_ = cmd.Process.Kill()
		t.Fatalf("MG5 did not get busy within %v:\n%s", readyWithin, stderr)
	}
	start := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("goldmine did not end within 60 s of %v:\n%s", sig, stderr)
	}
	t.Logf("goldmine ended %v after %v: %v", time.Since(start).Round(time.Millisecond), sig, err)
	if err == nil {
		t.Errorf("goldmine generate exited 0 after %v", sig)
	}
	if msg := stderr.String(); !strings.Contains(msg, "interrupted") || !strings.Contains(msg, "not finished") {
		t.Errorf("stderr does not say the run was interrupted:\n%s", msg)
	}
	if left := processesOf(t, jobs); len(left) > 0 {
		t.Errorf("processes of the job folder left after %v:\n%s", sig, strings.Join(left, "\n"))
	}

	// The interrupted run is incomplete: analyse refuses it.
	cmd2, out, stderr2 := goldmine(t, env2, "generate", card, "--workdir", workdir, "--json", "--quiet")
	if err := cmd2.Wait(); err != nil {
		t.Fatalf("second generate: %v\n%s", err, stderr2)
	}
	var res struct {
		Runs []struct {
			Name   string
			Status string
			LHE    string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	status := map[string]string{}
	for _, r := range res.Runs {
		status[r.Name] = r.Status
		if r.LHE == "" {
			t.Errorf("run %s has no events after the second generate", r.Name)
		}
	}
	return status
}

// TestInterruptGenerate sends SIGINT (and, in a second round, SIGTERM) to
// goldmine generate while the stand-in MG5 hangs in the second run: no
// process of the job folder may be left, and the next generate keeps the
// finished run and redoes the interrupted one.
func TestInterruptGenerate(t *testing.T) {
	for _, tool := range []string{"bash", "gzip", "awk", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the stand-in MG5 needs %s", tool)
		}
	}
	root := repotest.Root(t)
	td := filepath.Join(root, "madgraph", "testdata")
	src, err := os.ReadFile(filepath.Join(root, "cards", "zh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			card := string(src)
			i, j := strings.Index(card, "samples:"), strings.Index(card, "# The five observables")
			card = card[:i] + fmt.Sprintf(`madgraph:
  dir: %s
  proc_card: %s
  param_card_template: %s
  run_card: %s
  runs:
    - {name: first, benchmark: sm, events: 2}
    - {name: hangs, benchmark: morphing_basis_vector_1, events: 2}
samples:
  - {name: a, madgraph_run: first}
  - {name: b, madgraph_run: hangs}

`, filepath.Join(td, "fake_mg5_aMC"), filepath.Join(td, "proc_card.dat"), filepath.Join(td, "param_card_template.dat"), filepath.Join(td, "run_card.dat")) + card[j:]
			dir := t.TempDir()
			path := filepath.Join(dir, "card.yaml")
			if err := os.WriteFile(path, []byte(card), 0o644); err != nil {
				t.Fatal(err)
			}
			workdir := filepath.Join(dir, "work")
			clean := []string{"MG5_AMC=", "GOLDMINE_PYTHON=", "FAKE_MG5_RECORD=", "FAKE_MG5_SLEEP=", "FAKE_MG5_FAIL=", "FAKE_MG5_NOEVENTS=", "FAKE_MG5_NORWGT="}
			hang := append(clean, "FAKE_MG5_HANG=hangs")
			noHang := append(clean, "FAKE_MG5_HANG=")
			busy := func() bool {
				// The stand-in writes its timeline only with a record
				// folder; the hanging launch shows as its sleep.
				for _, p := range processesOf(t, filepath.Join(workdir, "madgraph")) {
					if strings.Contains(p, "sleep 600") {
						return true
					}
				}
				return false
			}
			status := interruptAndResume(t, path, workdir, hang, noHang, busy, 60*time.Second, sig)
			if status["first"] != "complete" || status["hangs"] != "done" {
				t.Errorf("second generate: statuses %v, want first complete (kept) and hangs done (redone)", status)
			}
		})
	}
}
