// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package workflow writes a job graph as a Snakemake workflow that runs on
// a laptop, on Slurm, on HTCondor and on REANA, without goldmine having a
// scheduler of its own.
//
// A Workflow is a plain description: rules with their shards, input and
// output files, a command as a list of arguments, threads, memory, run
// time and where they run. Write turns it into
//
//	Snakefile                        shell rules only; the job graph comes from config.yaml
//	config.yaml                      shards, their input files and commands, the targets
//	profiles/local/config.yaml       snakemake --profile profiles/local
//	profiles/slurm/config.yaml       Snakemake 7: --cluster sbatch … --cluster-status
//	profiles/slurm/config.v8+.yaml   Snakemake 8 and 9: the slurm executor plugin
//	profiles/slurm/status.sh         the job state for --cluster-status, from scontrol or sacct
//	profiles/slurm-sbatch/config.v8+.yaml  Snakemake 8 and 9: cluster-generic with sbatch and status.sh
//	profiles/htcondor/config.v8+.yaml      Snakemake 8 and 9: the htcondor executor plugin
//	reana.yaml                       REANA (workflow type snakemake)
//
// Building the job graph never runs goldmine: the shard lists, every
// shard's files and its fully quoted command are in config.yaml.
// Snakemake picks config.v8+.yaml over config.yaml from version 8 on, so
// profiles/slurm serves Snakemake 7 and 8/9 alike.
//
// # Values are data
//
// Every value that reaches a generated file goes through package
// internal/quote: shell words are single-quoted, config and profile values
// are YAML double-quoted scalars, Snakefile literals are Python string
// literals. Paths, card values and arguments may hold spaces, quotes,
// $( ), backticks, ;, newlines and any Unicode letter. Names that Snakemake
// itself parses as patterns (rule names, shard ids, output paths) are
// restricted instead, and Write refuses others with an error naming them.
//
// The workflow folder itself is the one value that Snakemake, not this
// package, writes into shell commands when it submits jobs to a cluster,
// inside double quotes: Write refuses a folder whose path holds $, `, ",
// \ or a control character (measured: Snakemake 7.21's --cluster and the
// slurm executor of 9.27 ran a $( ) in the folder's name).
//
// Writing the same Workflow twice gives identical bytes.
//
// # Checkpoints
//
// Shards are listed in the description wherever their number is known
// before the run. Only where a count depends on data does a rule take its
// shards from a checkpoint (Rule.ShardsFrom): the files that the
// checkpoint leaves in its output directory name the shards.
package workflow
