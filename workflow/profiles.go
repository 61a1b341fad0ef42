// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"fmt"
	"path"
	"strings"

	"github.com/goldmine-hep/goldmine/internal/quote"
)

func jobsOr100(n int) int {
	if n <= 0 {
		return 100
	}
	return n
}

// common are the settings every profile shares: wait for files on shared
// file systems, rerun what an interrupted run left incomplete, print the
// commands.
func common(y *yamlWriter) {
	y.line(0, "latency-wait: 60")
	y.line(0, "rerun-incomplete: true")
	y.line(0, "printshellcmds: true")
}

func (wr *writer) localProfile() []byte {
	var y yamlWriter
	y.b.WriteString(wr.header("the profile for this machine: snakemake --profile profiles/local"))
	y.line(0, "cores: all")
	y.line(0, "rerun-incomplete: true")
	y.line(0, "printshellcmds: true")
	return []byte(y.b.String())
}

// sbatch is the submit command of Snakemake 7's --cluster and of the
// cluster-generic executor: Snakemake fills in the {…} fields and appends
// the job script. The log folder is made first, as sbatch does not.
func (wr *writer) sbatch() string {
	var b strings.Builder
	b.WriteString("mkdir -p logs/slurm && sbatch --parsable --job-name=goldmine-{rule} --output=logs/slurm/{rule}-%j.log")
	b.WriteString(" --cpus-per-task={threads} --mem={resources.mem_mb} --time={resources.runtime}")
	if wr.partitioned() {
		b.WriteString(" --partition={resources.slurm_partition}")
	}
	if a := wr.w.Slurm.Account; a != "" {
		b.WriteString(" --account=" + a) // a token: letters, digits, '_', '.', '-'
	}
	return b.String()
}

// statusPath is where the sbatch profiles find the status script,
// relative to the workflow folder (Snakemake runs there).
const statusPath = "profiles/slurm/status.sh"

func (wr *writer) slurm7Profile() []byte {
	return wr.submitProfile("Slurm for Snakemake 7: snakemake --profile profiles/slurm",
		"# Snakemake 8 and 9 read config.v8+.yaml beside this file instead.\n", "", "cluster")
}

// submitProfile is a profile that submits with sbatch and asks status.sh:
// Snakemake 7's --cluster options (prefix "cluster"), or the
// cluster-generic executor's (executor "cluster-generic", prefix
// "cluster-generic").
func (wr *writer) submitProfile(what, note, executor, prefix string) []byte {
	var y yamlWriter
	y.b.WriteString(wr.header(what))
	y.b.WriteString(note)
	submit := prefix
	if executor != "" {
		y.line(0, "executor: "+executor)
		submit += "-submit-cmd"
	}
	y.line(0, submit+": "+quote.YAML(wr.sbatch()))
	status, cancel := prefix+"-status", prefix+"-cancel"
	if executor != "" {
		status, cancel = status+"-cmd", cancel+"-cmd"
	}
	y.line(0, status+": "+quote.YAML(statusPath))
	y.line(0, cancel+": "+quote.YAML("scancel"))
	y.line(0, fmt.Sprintf("jobs: %d", jobsOr100(wr.w.Slurm.Jobs)))
	y.line(0, "max-status-checks-per-second: 1")
	common(&y)
	return []byte(y.b.String())
}

// pyString is a string resource value for a profile: Snakemake evaluates
// profile resource values as Python expressions, so a string is written
// as a Python literal inside the YAML scalar.
func pyString(s string) string { return quote.YAML(quote.Python(s)) }

func (wr *writer) slurmProfile() []byte {
	var y yamlWriter
	y.b.WriteString(wr.header("Slurm for Snakemake 8 and 9 (slurm executor plugin): snakemake --profile profiles/slurm"))
	y.b.WriteString("# The partition of each rule is its slurm_partition resource in the Snakefile.\n")
	y.line(0, "executor: slurm")
	y.line(0, fmt.Sprintf("jobs: %d", jobsOr100(wr.w.Slurm.Jobs)))
	y.line(0, "max-status-checks-per-second: 1")
	common(&y)
	if a := wr.w.Slurm.Account; a != "" {
		y.key(0, "default-resources")
		y.line(1, "slurm_account: "+pyString(a))
	}
	return []byte(y.b.String())
}

func (wr *writer) sbatchProfile() []byte {
	return wr.submitProfile("Slurm through sbatch for Snakemake 8 and 9 (cluster-generic executor): snakemake --profile profiles/slurm-sbatch",
		"", "cluster-generic", "cluster-generic")
}

func (wr *writer) htcondorProfile() []byte {
	var y yamlWriter
	y.b.WriteString(wr.header("HTCondor for Snakemake 8 and 9 (htcondor executor plugin): snakemake --profile profiles/htcondor"))
	y.b.WriteString("# Run it from a submit node with the workflow folder on a file system the\n")
	y.b.WriteString("# worker nodes share (at CERN: AFS or EOS). Each rule's run time is mapped\n")
	y.b.WriteString("# to the shortest CERN job flavour that holds it.\n")
	y.line(0, "executor: htcondor")
	y.line(0, fmt.Sprintf("jobs: %d", jobsOr100(wr.w.HTCondor.Jobs)))
	y.line(0, "htcondor-jobdir: "+quote.YAML("logs/htcondor"))
	common(&y)
	y.key(0, "default-resources")
	y.line(1, "getenv: True")
	y.key(0, "set-resources")
	for i := range wr.w.Rules {
		r := &wr.w.Rules[i]
		if r.Local {
			continue
		}
		f, _ := flavour(r.minutes()) // checked by validate
		y.key(1, r.Name)
		y.line(2, fmt.Sprintf("request_memory: %d", r.memMB()))
		y.line(2, "classad_JobFlavour: "+pyString(f))
	}
	return []byte(y.b.String())
}

// reana renders reana.yaml. REANA uploads the files named under inputs
// into the workspace: the Snakefile, config.yaml and the inputs given
// relative to the workflow folder. Absolute inputs must be on a file
// system the REANA jobs reach.
func (wr *writer) reana() []byte {
	var y yamlWriter
	y.b.WriteString(wr.header("the REANA specification: reana-client run -w NAME"))
	y.line(0, "version: "+quote.YAML("0.9.0"))
	y.key(0, "inputs")
	files := []string{"Snakefile", "config.yaml"}
	seen := map[string]bool{"Snakefile": true, "config.yaml": true}
	for i := range wr.w.Rules {
		r := &wr.w.Rules[i]
		for _, j := range wr.jobsOf[r.Name] {
			for k, in := range j.inputs {
				f, ok := in.(string)
				if !ok || path.IsAbs(f) || seen[f] || !wr.external(r, k, j) {
					continue
				}
				seen[f] = true
				files = append(files, f)
			}
		}
	}
	y.list(1, "files", files)
	y.key(1, "parameters")
	y.value(2, "input", "config.yaml")
	y.key(0, "workflow")
	y.value(1, "type", "snakemake")
	y.value(1, "file", "Snakefile")
	y.key(0, "outputs")
	y.list(1, "files", wr.targets)
	return []byte(y.b.String())
}

// external reports whether input k of job j of r is a file that no rule
// makes.
func (wr *writer) external(r *Rule, k int, j *job) bool {
	f := j.inputs[k].(string)
	for i := range wr.w.Rules {
		for _, o := range wr.jobsOf[wr.w.Rules[i].Name] {
			for _, out := range o.outputs {
				if out == f || strings.TrimSuffix(out, "/") == f {
					return false
				}
			}
		}
	}
	return true
}

// statusScript answers Snakemake's --cluster-status (and the
// cluster-generic executor's status command) for a Slurm job id: running,
// success or failed. It asks scontrol, which knows a job for MinJobAge
// after its end, then sacct where accounting is kept. A job neither knows
// is reported failed, with the reason on standard error; a controller
// that does not answer is reported running, so that Snakemake asks again.
const statusScript = `#!/bin/bash
# Written by goldmine: the state of a Slurm job for Snakemake.
# Usage: status.sh JOBID   (prints running, success or failed)
set -u
id=${1%%;*}
case $id in
'' | *[!0-9_]*)
	echo "status.sh: bad job id '$1'" >&2
	echo failed
	exit 0
	;;
esac
state() {
	case $1 in
	COMPLETED) echo success ;;
	PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED | REQUEUE_FED | REQUEUE_HOLD | RESIZING | SIGNALING | STAGE_OUT | STOPPED | RESV_DEL_HOLD | SPECIAL_EXIT) echo running ;;
	*) echo failed ;;
	esac
}
if out=$(scontrol show job -o "$id" 2>&1); then
	st=$(printf '%s\n' "$out" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1)
	if [ -n "$st" ]; then
		state "$st"
		exit 0
	fi
fi
case $out in
*"Invalid job id"*) ;;
*)
	echo "status.sh: scontrol: $out" >&2
	echo running
	exit 0
	;;
esac
if st=$(sacct -n -X -P -j "$id" -o State 2>/dev/null | head -n 1) && [ -n "$st" ]; then
	state "${st%% *}"
	exit 0
fi
echo "status.sh: job $id is unknown to scontrol and sacct" >&2
echo failed
`
