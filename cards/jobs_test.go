// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"strings"
	"testing"
)

const jobsBase = `parameters:
  - {name: a, lha_block: smeft, lha_id: 1, range: [-1, 1]}
benchmarks:
  - {name: sm, values: {a: 0}}
  - {name: b1, values: {a: 0.5}}
madgraph:
  proc_card: p.dat
  param_card_template: t.dat
  runs:
    - {name: sm, benchmark: sm, events: 100, jobs: 4}
    - {name: bkg, background: true}
samples:
  - {name: zh, madgraph_run: sm}
`

func TestJobsAndCluster(t *testing.T) {
	c, err := Parse([]byte(jobsBase+"  - {name: bg, madgraph_run: bkg}\n"), "jobs.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.MadGraph.Runs[0]; r.Jobs != 4 || r.NJobs() != 4 || c.MadGraph.Runs[1].NJobs() != 1 {
		t.Errorf("jobs %d (%d), %d", r.Jobs, r.NJobs(), c.MadGraph.Runs[1].NJobs())
	}
	cl, err := Parse([]byte(strings.Replace(jobsBase, "  runs:", "  cluster: {type: slurm, queue: long, nb_core: 2}\n  runs:", 1)), "cluster.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := *cl.MadGraph.Cluster; got != (MadGraphCluster{Type: "slurm", Queue: "long", NbCore: 2}) {
		t.Errorf("cluster %+v", got)
	}

	for _, tc := range []struct{ name, old, new, want string }{
		{"negative jobs", "jobs: 4", "jobs: -1", "madgraph.runs[0].jobs"},
		{"jobs without events", "events: 100, jobs: 4", "jobs: 4", "needs events"},
		{"fewer events than jobs", "events: 100, jobs: 4", "events: 3, jobs: 4", "needs events"},
		{"run named as a job", "name: bkg,", "name: sm.j2,", `run "sm.j2" is the name of job 2 of run "sm"`},
		{"sample named as a job's", "  - {name: zh, madgraph_run: sm}\n", "  - {name: zh, madgraph_run: sm}\n  - {name: zh.j1, madgraph_run: bkg}\n", `sample "zh.j1" is the name of the file of job 1`},
		{"unknown cluster type", "  runs:", "  cluster: {type: torque}\n  runs:", "madgraph.cluster.type"},
		{"queue with a line break", "  runs:", "  cluster: {type: slurm, queue: \"a\\nrun_mode = 0\"}\n  runs:", "madgraph.cluster.queue"},
		{"queue with a comment", "  runs:", "  cluster: {type: slurm, queue: \"a#b\"}\n  runs:", "no quoting"},
		{"queue with a space", "  runs:", "  cluster: {type: condor, queue: \"a b\"}\n  runs:", "no quoting"},
		{"negative nb_core", "  runs:", "  cluster: {type: lsf, nb_core: -2}\n  runs:", "madgraph.cluster.nb_core"},
		{"negative theta_chunk", "samples:\n", "workflow: {theta_chunk: -1}\nsamples:\n", "workflow.theta_chunk"},
		{"sample named as a θ chunk's job", "samples:\n", "workflow: {theta_chunk: 2}\nsampling:\n  samples:\n    - {name: r, method: ratio, theta0: {points: [[0.1], [0.2], [0.3]]}, theta1: {benchmark: sm}, n_samples: 100}\n    - {name: r.t1, method: local, theta: {benchmark: sm}, n_samples: 100}\nsamples:\n", `sample "r.t1" is the name of augment job 1 of sample "r"`},
		{"cluster and multicore", "  runs:", "  cores_per_run: 2\n  cluster: {type: sge}\n  runs:", "exclude each other"},
	} {
		src := strings.Replace(jobsBase, tc.old, tc.new, 1)
		if src == jobsBase {
			t.Fatalf("%s: %q not in the card", tc.name, tc.old)
		}
		_, err := Parse([]byte(src), "jobs.yaml", Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "jobs.yaml:") {
			t.Errorf("%s: error %v, want one naming jobs.yaml:LINE and saying %q", tc.name, err, tc.want)
		}
	}
}

func TestSplitEvents(t *testing.T) {
	for _, tc := range []struct {
		total, n int
		want     []int
	}{{1001, 3, []int{334, 334, 333}}, {10, 1, []int{10}}, {0, 1, []int{0}}, {7, 7, []int{1, 1, 1, 1, 1, 1, 1}}, {9, 2, []int{5, 4}}} {
		sum := 0
		for k, w := range tc.want {
			if got := SplitEvents(tc.total, k, tc.n); got != w {
				t.Errorf("SplitEvents(%d, %d, %d) = %d, want %d", tc.total, k, tc.n, got, w)
			}
			sum += SplitEvents(tc.total, k, tc.n)
		}
		if sum != tc.total {
			t.Errorf("%d over %d jobs adds up to %d", tc.total, tc.n, sum)
		}
	}
	if JobName("sm", 0, 1) != "sm" || JobName("sm", 2, 3) != "sm.j2" {
		t.Errorf("JobName: %s, %s", JobName("sm", 0, 1), JobName("sm", 2, 3))
	}
}
