// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestSlurm runs the stand-in graph (4 shards and a merge) through the
// Slurm cluster: with Snakemake 7's --cluster sbatch and status.sh
// (profiles/slurm/config.yaml), and with Snakemake 8/9's slurm executor
// (profiles/slurm/config.v8+.yaml), where a shard is made to fail first.
// Every job must have run as a Slurm job of its own (the job id in its
// output), and a rerun must have nothing to do. Outside -short the
// cluster-generic profile (profiles/slurm-sbatch) runs too.
func TestSlurm(t *testing.T) {
	sms := repotest.Snakemakes(t)
	env := repotest.SlurmEnv(t)
	const n = 4
	type variant struct {
		profile string
		args    []string
		fail    bool
	}
	for _, sm := range sms {
		var variants []variant
		if sm.Major < 8 {
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
			t.Run(fmt.Sprintf("snakemake%d/%s", sm.Major, v.profile), func(t *testing.T) {
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
					return sm.Run(t, dir, env, 5*time.Minute, all...)
				}
				start := time.Now()
				if v.fail {
					checkFailAndRerun(t, dir, n, run)
				} else if out, err := run(); err != nil {
					t.Fatalf("snakemake --profile profiles/%s: %v\n%s", v.profile, err, out)
				}
				t.Logf("Snakemake %d, profile %s: %.0f s", sm.Major, v.profile, time.Since(start).Seconds())
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
