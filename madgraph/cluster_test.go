// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// me5Options reads a me5_configuration.txt as MG5_aMC 3.5 does
// (common_run_interface.set_configuration): a line at a time, what
// follows '#' dropped, "key = value" split at '=', both sides stripped,
// the last value of a key kept.
func me5Options(t *testing.T, path string) map[string]string {
	t.Helper()
	opts := map[string]string{}
	for _, line := range strings.Split(readFile(t, path), "\n") {
		if k := strings.IndexByte(line, '#'); k >= 0 {
			line = line[:k]
		}
		f := strings.Split(line, "=")
		if len(f) != 2 {
			continue
		}
		opts[strings.TrimSpace(f[0])] = strings.TrimSpace(f[1])
	}
	return opts
}

// TestClusterMode runs a run with MG5's cluster mode on the stand-in MG5:
// the run's me5_configuration.txt, read as MG5 reads it, asks for the
// cluster with the card's type, queue and cores, and a run without it
// keeps MG5's own mode.
func TestClusterMode(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.CoresPerRun = 0
	cfg.Cluster = &Cluster{Type: "slurm", Queue: "long.q", NbCore: 3}
	cfg.Runs = cfg.Runs[:1]
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	opts := me5Options(t, filepath.Join(res.Plan.Runs[0].Dir, "Cards", "me5_configuration.txt"))
	for k, want := range map[string]string{"run_mode": "1", "cluster_type": "slurm", "cluster_queue": "long.q", "nb_core": "3", "automatic_html_opening": "False"} {
		if opts[k] != want {
			t.Errorf("me5_configuration.txt: %s = %q, want %q", k, opts[k], want)
		}
	}

	cfg = testConfig(t, t.TempDir())
	cfg.CoresPerRun = 0
	cfg.Runs = cfg.Runs[:1]
	res, err = Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	opts = me5Options(t, filepath.Join(res.Plan.Runs[0].Dir, "Cards", "me5_configuration.txt"))
	for _, k := range []string{"run_mode", "cluster_type", "cluster_queue", "nb_core"} {
		if v, ok := opts[k]; ok {
			t.Errorf("without cluster mode, me5_configuration.txt sets %s = %q", k, v)
		}
	}
}

// TestClusterModeRejected: values MG5 would read otherwise, or that
// would add a setting of their own, are refused before anything is
// written.
func TestClusterModeRejected(t *testing.T) {
	for _, tc := range []struct {
		c     Cluster
		cores int
		want  string
	}{
		{Cluster{Type: "torque"}, 0, `cluster type "torque"`},
		{Cluster{Type: ""}, 0, "cluster type"},
		{Cluster{Type: "slurm", Queue: "short\nrun_mode = 0"}, 0, "no quoting"},
		{Cluster{Type: "slurm", Queue: "a#b"}, 0, "no quoting"},
		{Cluster{Type: "slurm", Queue: "a b"}, 0, "no quoting"},
		{Cluster{Type: "slurm", Queue: "$(reboot)"}, 0, "no quoting"},
		{Cluster{Type: "slurm", NbCore: -1}, 0, "negative"},
		{Cluster{Type: "condor"}, 2, "exclude each other"},
	} {
		cfg := testConfig(t, t.TempDir())
		cfg.CoresPerRun = tc.cores
		c := tc.c
		cfg.Cluster = &c
		_, err := Prepare(cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("cluster %+v, cores %d: error %v, want one saying %q", tc.c, tc.cores, err, tc.want)
		}
		if _, serr := os.Stat(filepath.Join(cfg.WorkDir, "scripts")); serr == nil {
			t.Errorf("cluster %+v: scripts written before the error", tc.c)
		}
	}
}

// TestGenerateOnly runs the runs of one job folder one at a time, at once,
// as the jobs of a workflow do: each runs its run only, the process
// folder is made once under the lock, and Completed then finds the whole
// campaign complete (and, before the last run, names what is missing).
func TestGenerateOnly(t *testing.T) {
	rec := t.TempDir()
	base := testConfig(t, rec)
	var mu sync.Mutex
	var held, locks int
	lock := func(context.Context) (func(), error) {
		mu.Lock() // held until released: one writer of the job folder
		held++
		locks++
		return func() { held--; mu.Unlock() }, nil
	}
	names := []string{"sm", "bsm"}
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg := *base
			cfg.Only, cfg.ProcessLock = []string{n}, lock
			res, err := Generate(context.Background(), &cfg)
			if err == nil {
				for _, rr := range res.Runs {
					if (rr.Name == n) != (rr.Status == StatusDone) {
						err = errors.New("run " + rr.Name + ": status " + string(rr.Status))
					}
				}
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("run %s alone: %v", names[i], err)
		}
	}
	if locks != 2 || held != 0 {
		t.Errorf("lock taken %d times, held %d times at the end; want 2 and 0", locks, held)
	}
	cmds := readFile(t, filepath.Join(rec, "commands.log"))
	if n := strings.Count(cmds, "output "); n != 1 {
		t.Errorf("the process folder was made %d times, want once:\n%s", n, cmds)
	}
	if _, err := os.Stat(filepath.Join(base.WorkDir, resultsName)); !os.IsNotExist(err) {
		t.Errorf("a run alone wrote %s (%v)", resultsName, err)
	}
	_, err := Completed(context.Background(), base)
	if !errors.Is(err, ErrNoEvents) || !strings.Contains(err.Error(), "bkg") || strings.Contains(err.Error(), "bsm") {
		t.Errorf("Completed before bkg ran: %v, want an error naming bkg only", err)
	}
	cfg := *base
	cfg.Only = []string{"bkg"}
	if _, err := Generate(context.Background(), &cfg); err != nil {
		t.Fatal(err)
	}
	res, err := Completed(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range res.Runs {
		if rr.Status != StatusComplete || rr.LHE == "" {
			t.Errorf("run %s: %s (%s)", rr.Name, rr.Status, rr.LHE)
		}
	}
	cfg.Only = []string{"nope"}
	if _, err := Generate(context.Background(), &cfg); err == nil || !strings.Contains(err.Error(), `no run "nope"`) {
		t.Errorf("unknown run alone: %v", err)
	}
}
