// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow_test

import (
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/workflow"
)

// Two LHE files analysed as shards of one sample, then merged.
func Example() {
	analyse := workflow.Rule{
		Name:    "analyse",
		Doc:     "one partial events file per LHE file",
		Outputs: []string{"partial/{shard}.h5"},
		Command: workflow.Cmd("goldmine", "analyse", "my card.yaml", "--file", workflow.ShardIn(0),
			"--out", workflow.Out(0), workflow.Join(workflow.Text("--threads="), workflow.Threads)),
		MemMB:   2000,
		Runtime: 30 * time.Minute,
	}
	for _, f := range []string{"/data/run 1.lhe.gz", "/data/run 2.lhe.gz"} {
		id := strings.Fields(f)[1][:1]
		analyse.Shards = append(analyse.Shards, workflow.Shard{ID: "run" + id, Inputs: []string{f}})
	}
	merge := workflow.Rule{
		Name:    "merge",
		Inputs:  []workflow.Input{workflow.RuleInput("analyse", 0)},
		Outputs: []string{"events.h5"},
		Command: workflow.Cmd("goldmine", "merge", workflow.Out(0), workflow.In(0)),
		Local:   true,
	}
	files, err := (&workflow.Workflow{Name: "zh", Rules: []workflow.Rule{analyse, merge}}).Files()
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Println(f.Name)
		if f.Name == "config.yaml" {
			for _, l := range strings.Split(string(f.Data), "\n") {
				if strings.Contains(l, "'goldmine'") {
					fmt.Println("   ", strings.TrimSpace(l))
				}
			}
		}
	}
	// Output:
	// Snakefile
	// config.yaml
	//     - "'goldmine' 'analyse' 'my card.yaml' '--file' '/data/run 1.lhe.gz' '--out' 'partial/run1.h5' '--threads='"
	//     - "'goldmine' 'analyse' 'my card.yaml' '--file' '/data/run 2.lhe.gz' '--out' 'partial/run2.h5' '--threads='"
	//     - "'goldmine' 'merge' 'events.h5' 'partial/run1.h5' 'partial/run2.h5'"
	// profiles/local/config.yaml
	// profiles/slurm/config.yaml
	// profiles/slurm/config.v8+.yaml
	// profiles/slurm/status.sh
	// profiles/slurm-sbatch/config.v8+.yaml
	// profiles/htcondor/config.v8+.yaml
	// reana.yaml
}
