// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
	"github.com/goldmine-hep/goldmine/pipeline"
	"github.com/goldmine-hep/goldmine/workflow"
)

// recordFlag adds --record FILE to cmd.
func recordFlag(cmd *cobra.Command) *string {
	return cmd.Flags().String("record", "", "when done, write what ran into FILE (a relative path; the jobs of goldmine workflow), and take no workdir lock")
}

// Record is the file --record writes when a command succeeded: the only
// output of a workflow job that Snakemake sees, written last and
// atomically, so that a job that failed leaves none.
type Record struct {
	Command  string    `json:"command"`
	Card     string    `json:"card"`
	Job      string    `json:"job,omitempty"`
	Host     string    `json:"host"`
	Finished time.Time `json:"finished"`
	Result   any       `json:"result"`
}

// writeRecord writes the record of the command to path ("" writes
// nothing): a relative path that stays in the current folder.
func writeRecord(path string, cmd *cobra.Command, card string, res any) error {
	if path == "" {
		return nil
	}
	clean := filepath.Clean(path)
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return fmt.Errorf("--record %s: want a relative path inside the current folder", path)
	}
	host, _ := os.Hostname()
	rec := Record{Command: cmd.CommandPath(), Card: card, Job: pipeline.JobID(), Host: host, Finished: time.Now().UTC(), Result: res}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(clean), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(clean, append(b, '\n'), 0o644)
}

func mergeCmd(s settings) *cobra.Command {
	var st string
	cmd := cardCmd(s, "merge", "Merge the shards of a stage (generate, analyse, train or limits) into the stage's output, as goldmine run would have made it",
		func(ctx context.Context, env *pipeline.Env) (any, error) {
			if st == "" {
				return nil, fmt.Errorf("merge: --stage is required (one of %s)", strings.Join(pipeline.ShardedStages(), ", "))
			}
			r, err := pipeline.Merge(ctx, env, st)
			if err != nil {
				return nil, err
			}
			return r.Value, nil
		})
	cmd.Flags().StringVar(&st, "stage", "", "the stage: "+strings.Join(pipeline.ShardedStages(), ", "))
	return cmd
}

func workflowCmd(s settings) *cobra.Command {
	var out, program string
	cmd := &cobra.Command{
		Use:   "workflow CARD --out DIR",
		Short: "Write the card's campaign as a Snakemake workflow (Snakefile, config, Slurm/HTCondor/local profiles, reana.yaml) with its sharded stages",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("workflow: --out is required")
			}
			env, err := loadEnv(s, args[0])
			if err != nil {
				return err
			}
			defer env.Close()
			seed, err := s.seed()
			if err != nil {
				return err
			}
			w, err := pipeline.Workflow(env, pipeline.WorkflowOptions{Program: program, Dir: out, Seed: seed})
			if err != nil {
				return err
			}
			files, err := workflow.Write(out, w)
			if err != nil {
				return err
			}
			res := &workflowResult{Dir: out, Files: files, Rules: len(w.Rules)}
			for _, r := range w.Rules {
				res.Jobs += max(len(r.Shards), 1)
			}
			return emit(s, cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "wrote the workflow of %d rules, %d jobs, into %s:\n", res.Rules, res.Jobs, out)
				for _, f := range files {
					fmt.Fprintf(w, "  %s\n", f)
				}
				fmt.Fprintf(w, "run it with: cd %s && snakemake --profile profiles/local\n", out)
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the workflow folder (written; the jobs run in it)")
	cmd.Flags().StringVar(&program, "goldmine", "", "the goldmine executable of the jobs (default: goldmine in the jobs' PATH)")
	return cmd
}

type workflowResult struct {
	Dir   string   `json:"dir"`
	Files []string `json:"files"`
	Rules int      `json:"rules"`
	Jobs  int      `json:"jobs"`
}
