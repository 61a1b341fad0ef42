// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/quote"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// slurmEnv checks that a Slurm cluster answers and returns the
// environment for Snakemake runs on it: USER set (Snakemake and sbatch
// want it), and, when the cluster is configured only through SLURM_CONF,
// an srun on PATH that sets it: the Snakemake 8/9 job-step plugin removes
// SLURM_* variables, SLURM_CONF among them, before it calls srun inside
// the job (snakemake-executor-plugin-slurm-jobstep 0.6.1), which is
// harmless on clusters configured in /etc/slurm.
func slurmEnv(t *testing.T) []string {
	t.Helper()
	repotest.LookPath(t, "sbatch", "submits the jobs (Debian slurm-client)")
	sinfo := repotest.LookPath(t, "sinfo", "checks that the cluster answers")
	out, err := exec.Command(sinfo, "-h", "-o", "%t").CombinedOutput()
	state := strings.TrimSpace(string(out))
	if err != nil || !(strings.HasPrefix(state, "idle") || strings.HasPrefix(state, "mix") || strings.HasPrefix(state, "alloc")) {
		repotest.MissingTool(t, fmt.Sprintf("a Slurm cluster that answers (sinfo: %v %q; start one with ../shared/tools/slurm_local.sh start and eval \"$(../shared/tools/slurm_local.sh env)\", as .ci/run does)", err, state))
	}
	var env []string
	if os.Getenv("USER") == "" {
		name := "root"
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
		env = append(env, "USER="+name)
	}
	if conf := os.Getenv("SLURM_CONF"); conf != "" {
		srun, err := exec.LookPath("srun")
		if err != nil {
			t.Fatalf("srun: %v", err)
		}
		bin := t.TempDir()
		wrapper := "#!/bin/sh\nexport SLURM_CONF=" + quote.Shell(conf) + "\nexec " + quote.Shell(srun) + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(bin, "srun"), []byte(wrapper), 0o755); err != nil {
			t.Fatal(err)
		}
		env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	return env
}

// TestSlurm runs the stand-in graph (4 shards and a merge) through the
// Slurm cluster: with Snakemake 7's --cluster sbatch and status.sh
// (profiles/slurm/config.yaml), and with Snakemake 8/9's slurm executor
// (profiles/slurm/config.v8+.yaml), where a shard is made to fail first.
// Every job must have run as a Slurm job of its own (the job id in its
// output), and a rerun must have nothing to do. Outside -short the
// cluster-generic profile (profiles/slurm-sbatch) runs too.
func TestSlurm(t *testing.T) {
	sms := snakemakes(t)
	env := slurmEnv(t)
	const n = 4
	type variant struct {
		profile string
		args    []string
		fail    bool
	}
	for _, sm := range sms {
		var variants []variant
		if sm.major < 8 {
			variants = []variant{{profile: "slurm"}}
		} else {
			// The loopback cluster keeps no accounting: ask squeue
			// (MinJobAge=600 keeps finished jobs there long enough), and
			// start asking after 2 s instead of the plugin's 40 s.
			variants = []variant{{profile: "slurm", fail: true, args: []string{
				"--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "2"}}}
			if !testing.Short() {
				variants = append(variants, variant{profile: "slurm-sbatch"})
			}
		}
		for _, v := range variants {
			t.Run(fmt.Sprintf("snakemake%d/%s", sm.major, v.profile), func(t *testing.T) {
				// A folder with spaces, quotes, ;, &, |, <, >, * and
				// non-ASCII letters (Snakemake's own submission quotes it).
				dir := filepath.Join(t.TempDir(), hostileDir)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if _, err := Write(dir, shardWorkflow(writeStandIn(t, dir), n, true)); err != nil {
					t.Fatal(err)
				}
				run := func(args ...string) (string, error) {
					all := append(append([]string{"--profile", "profiles/" + v.profile}, v.args...), args...)
					return sm.run(t, dir, env, 5*time.Minute, all...)
				}
				start := time.Now()
				if v.fail {
					checkFailAndRerun(t, dir, n, run)
				} else if out, err := run(); err != nil {
					t.Fatalf("snakemake --profile profiles/%s: %v\n%s", v.profile, err, out)
				}
				t.Logf("Snakemake %d, profile %s: %.0f s", sm.major, v.profile, time.Since(start).Seconds())
				ids := map[string]string{}
				for i := 0; i <= n; i++ {
					p := fmt.Sprint("partial/s", i, ".txt")
					if i == n {
						p = "merged.txt"
					}
					r := readRecord(t, filepath.Join(dir, p))
					if _, err := strconv.Atoi(r.job); err != nil {
						t.Errorf("%s ran outside Slurm (job %q)", p, r.job)
						continue
					}
					if prev, ok := ids[r.job]; ok {
						t.Errorf("%s and %s ran in the same Slurm job %s", p, prev, r.job)
					}
					ids[r.job] = p
				}
				if out, err := run("-n"); err != nil || !strings.Contains(out, "Nothing to be done") {
					t.Errorf("rerun is not empty: %v\n%s", err, lastLines(out, 20))
				}
				noCanary(t, filepath.Dir(dir))
			})
		}
	}
}
