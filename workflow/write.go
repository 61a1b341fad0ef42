// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
	"github.com/goldmine-hep/goldmine/internal/quote"
)

// File is one generated file.
type File struct {
	// Name is the slash-separated path relative to the workflow folder.
	Name string
	Data []byte
	Mode fs.FileMode
}

// Files returns the workflow's files, in a fixed order. The same Workflow
// gives the same bytes.
func (w *Workflow) Files() ([]File, error) {
	rules, err := w.validate()
	if err != nil {
		return nil, err
	}
	wr := &writer{w: w, rules: rules}
	if err := wr.jobs(); err != nil {
		return nil, err
	}
	config, err := wr.config()
	if err != nil {
		return nil, err
	}
	snakefile, err := wr.snakefile()
	if err != nil {
		return nil, err
	}
	files := []File{
		{Name: "Snakefile", Data: snakefile, Mode: 0o644},
		{Name: "config.yaml", Data: config, Mode: 0o644},
		{Name: "profiles/local/config.yaml", Data: wr.localProfile(), Mode: 0o644},
		{Name: "profiles/slurm/config.yaml", Data: wr.slurm7Profile(), Mode: 0o644},
		{Name: "profiles/slurm/config.v8+.yaml", Data: wr.slurmProfile(), Mode: 0o644},
		{Name: "profiles/slurm/status.sh", Data: []byte(statusScript), Mode: 0o755},
		{Name: "profiles/slurm-sbatch/config.v8+.yaml", Data: wr.sbatchProfile(), Mode: 0o644},
		{Name: "profiles/htcondor/config.v8+.yaml", Data: wr.htcondorProfile(), Mode: 0o644},
		{Name: "reana.yaml", Data: wr.reana(), Mode: 0o644},
	}
	return files, nil
}

// Write writes the workflow's files into dir (created if needed), each
// atomically, and returns their paths. Files of dir that the workflow
// does not write are left alone.
//
// Snakemake's cluster submission (Snakemake 7's --cluster, the executor
// plugins of 8 and 9) writes the workflow folder's path inside double
// quotes into shell commands, where $, `, " and \ are code. Write
// therefore refuses a folder whose absolute path holds one of them, a
// line break or another control character; spaces, single quotes, ;, &,
// |, <, >, * and any letter are fine.
func Write(dir string, w *Workflow) ([]string, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	files, err := w.Files()
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return paths, fmt.Errorf("workflow: could not create %s: %w", filepath.Dir(p), err)
		}
		if err := atomicfile.WriteFile(p, f.Data, f.Mode); err != nil {
			return paths, fmt.Errorf("workflow: %w", err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// checkDir refuses a workflow folder that Snakemake's cluster submission
// would run as code.
func checkDir(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("workflow: %w", err)
	}
	if err := checkValue("folder", abs); err != nil {
		return err
	}
	if i := strings.IndexFunc(abs, func(r rune) bool {
		return strings.ContainsRune("$`\"\\", r) || unicode.IsControl(r)
	}); i >= 0 {
		r, _ := utf8.DecodeRuneInString(abs[i:])
		return fmt.Errorf("workflow: folder %q: Snakemake's cluster submission puts the folder in double quotes in shell commands, where %q is code or breaks the line: choose a folder without $, `, \", \\ and control characters", abs, r)
	}
	return nil
}

// writer renders the files of a validated workflow.
type writer struct {
	w       *Workflow
	rules   map[string]*Rule
	jobsOf  map[string][]*job // rule → its jobs (one per shard, or one)
	targets []string
}

func (wr *writer) name() string {
	if wr.w.Name == "" {
		return "goldmine"
	}
	return wr.w.Name
}

// header is the comment at the top of every generated file. The name is
// written through the quoting helper so that it cannot end the comment.
func (wr *writer) header(what string) string {
	return "# Written by goldmine for workflow " + quote.Python(wr.name()) + ": " + what + "\n# Do not edit: write the workflow again instead.\n"
}

// jobs resolves every job's files and the default targets.
func (wr *writer) jobs() error {
	wr.jobsOf = make(map[string][]*job)
	consumed := make(map[string]bool)
	for i := range wr.w.Rules {
		r := &wr.w.Rules[i]
		var list []*job
		switch {
		case r.Shards != nil:
			for k := range r.Shards {
				s := &r.Shards[k]
				list = append(list, &job{shard: s, id: s.ID})
			}
		default:
			list = append(list, &job{})
		}
		for _, j := range list {
			for _, o := range r.Outputs {
				j.outputs = append(j.outputs, strings.ReplaceAll(o, "{shard}", j.id))
			}
			if r.ShardsFrom != "" {
				j.inputs = append(j.inputs, shardFileMarker{})
			}
			for _, in := range r.Inputs {
				files, err := wr.inputFiles(r, j, in)
				if err != nil {
					return err
				}
				j.inputs = append(j.inputs, files...)
				if in.Rule != "" {
					consumed[in.Rule+"\x00"+fmt.Sprint(in.Output)] = true
				}
			}
			if j.shard != nil {
				for _, f := range j.shard.Inputs {
					j.inputs = append(j.inputs, f)
				}
			}
		}
		wr.jobsOf[r.Name] = list
		if r.ShardsFrom != "" {
			consumed[r.ShardsFrom+"\x00"+"0"] = true
		}
	}
	if wr.w.Targets != nil {
		wr.targets = wr.w.Targets
		return nil
	}
	for i := range wr.w.Rules {
		r := &wr.w.Rules[i]
		for k := range r.Outputs {
			if consumed[r.Name+"\x00"+fmt.Sprint(k)] {
				continue
			}
			if r.ShardsFrom != "" {
				return fmt.Errorf("workflow: output %d of rule %s (shards from checkpoint %s) is read by no rule: gather it in a rule or name targets", k, r.Name, r.ShardsFrom)
			}
			for _, j := range wr.jobsOf[r.Name] {
				wr.targets = append(wr.targets, strings.TrimSuffix(j.outputs[k], "/"))
			}
		}
	}
	if len(wr.targets) == 0 {
		return fmt.Errorf("workflow: every output is read by another rule: no targets")
	}
	return nil
}

// shardFileMarker stands in config.yaml for the shard's file in the
// checkpoint's directory.
type shardFileMarker struct{}

// yamlWriter writes indented YAML with every scalar quoted.
type yamlWriter struct{ b strings.Builder }

func (y *yamlWriter) line(indent int, s string) {
	y.b.WriteString(strings.Repeat("  ", indent))
	y.b.WriteString(s)
	y.b.WriteByte('\n')
}

func (y *yamlWriter) key(indent int, k string) { y.line(indent, quote.YAML(k)+":") }

func (y *yamlWriter) value(indent int, k, v string) {
	y.line(indent, quote.YAML(k)+": "+quote.YAML(v))
}

func (y *yamlWriter) list(indent int, k string, vs []string) {
	if len(vs) == 0 {
		y.line(indent, quote.YAML(k)+": []")
		return
	}
	y.key(indent, k)
	for _, v := range vs {
		y.line(indent+1, "- "+quote.YAML(v))
	}
}

// config renders config.yaml.
func (wr *writer) config() ([]byte, error) {
	var y yamlWriter
	y.b.WriteString(wr.header("the job graph of the Snakefile"))
	y.b.WriteString("# Every rule's shards, the files each job reads and its command, quoted\n")
	y.b.WriteString("# for bash (parts such as {threads: 0} are filled in by Snakemake).\n")
	y.list(0, "targets", wr.targets)
	y.key(0, "rules")
	for i := range wr.w.Rules {
		r := &wr.w.Rules[i]
		y.key(1, r.Name)
		y.list(2, "output", r.Outputs)
		if r.ShardsFrom != "" {
			y.value(2, "shards_from", r.ShardsFrom)
			y.value(2, "shard_suffix", r.ShardSuffix)
		}
		jobs := wr.jobsOf[r.Name]
		indent := 3
		if r.Shards != nil {
			y.key(2, "shards")
		} else {
			indent = 2
		}
		for _, j := range jobs {
			if r.Shards != nil {
				y.key(indent, j.id)
			} else {
				y.key(indent, "job")
			}
			if err := wr.jobConfig(&y, indent+1, r, j); err != nil {
				return nil, err
			}
		}
	}
	return []byte(y.b.String()), nil
}

func (wr *writer) jobConfig(y *yamlWriter, indent int, r *Rule, j *job) error {
	if len(j.inputs) == 0 {
		y.line(indent, quote.YAML("input")+": []")
	} else {
		y.key(indent, "input")
		for _, in := range j.inputs {
			switch in := in.(type) {
			case string:
				y.line(indent+1, "- "+quote.YAML(in))
			case gatherMarker:
				y.line(indent+1, "- {"+quote.YAML("gather")+": "+quote.YAML(in.Rule)+", "+quote.YAML("output")+": "+fmt.Sprint(in.Output)+"}")
			case shardFileMarker:
				y.line(indent+1, "- {"+quote.YAML("shard_file")+": 0}")
			}
		}
	}
	segs, err := wr.render(r, j)
	if err != nil {
		return err
	}
	y.key(indent, "command")
	for _, s := range segs {
		switch s.ref {
		case "":
			y.line(indent+1, "- "+quote.YAML(s.text))
		case "gather":
			y.line(indent+1, "- {"+quote.YAML("gather")+": "+quote.YAML(s.gather.Rule)+", "+quote.YAML("output")+": "+fmt.Sprint(s.gather.Output)+"}")
		default:
			y.line(indent+1, "- {"+quote.YAML(s.ref)+": "+fmt.Sprint(s.idx)+"}")
		}
	}
	return nil
}

// snakefilePrelude holds the helpers that read the job graph from
// config.yaml. Values that _command inserts unquoted (the shard id and
// paths made from it, known only at run time) are checked against the
// characters that need no quoting.
const snakefilePrelude = `import os
import re

configfile: "config.yaml"

wildcard_constraints:
    shard="` + shardPattern + `"

_UNQUOTED = re.compile(r"[A-Za-z0-9_./-]+")
_SHARD = re.compile(r"` + shardPattern + `")


def _rule(name):
    return config["rules"][name]


def _job(name, wildcards):
    r = _rule(name)
    if "shards" in r:
        return r["shards"][wildcards.shard]
    return r["job"]


def _shards(name):
    """The shard ids of a rule: listed in config.yaml, or the files its
    checkpoint left in its output directory."""
    r = _rule(name)
    if "shards" in r:
        return list(r["shards"])
    d = getattr(checkpoints, r["shards_from"]).get().output[0]
    suffix = r["shard_suffix"]
    ids = sorted(f[: -len(suffix)] for f in os.listdir(d) if f.endswith(suffix))
    for i in ids:
        if not _SHARD.fullmatch(i) or len(i) > ` + "128" + `:
            raise ValueError("checkpoint %s left %r in %s: not a shard id" % (r["shards_from"], i + suffix, d))
    return ids


def _shard_file(name, wildcards):
    r = _rule(name)
    d = getattr(checkpoints, r["shards_from"]).get().output[0]
    return os.path.join(d, wildcards.shard + r["shard_suffix"])


def _gather(g):
    pattern = _rule(g["gather"])["output"][g["output"]]
    return [pattern.replace("{shard}", s) for s in _shards(g["gather"])]


def _inputs(name):
    def inputs(wildcards):
        files = []
        for f in _job(name, wildcards)["input"]:
            if isinstance(f, str):
                files.append(f)
            elif "gather" in f:
                files.extend(_gather(f))
            elif "shard_file" in f:
                files.append(_shard_file(name, wildcards))
            else:
                raise ValueError("rule %s: unknown input %r in config.yaml" % (name, f))
        return files
    return inputs


def _command(name):
    def command(wildcards, input, output, threads):
        parts = []
        for p in _job(name, wildcards)["command"]:
            if isinstance(p, str):
                parts.append(p)
                continue
            if "gather" in p:
                vs = _gather(p)
            elif "threads" in p:
                vs = [str(int(threads))]
            elif "shard" in p:
                vs = [wildcards.shard]
            elif "output" in p:
                vs = [output[p["output"]]]
            elif "shard_input" in p:
                vs = [_shard_file(name, wildcards)]
            else:
                raise ValueError("rule %s: unknown command part %r in config.yaml" % (name, p))
            for v in vs:
                if not _UNQUOTED.fullmatch(v):
                    raise ValueError("rule %s: %r cannot stand unquoted in a command" % (name, v))
            parts.append(" ".join(vs))
        return "".join(parts)
    return command

`

// snakefile renders the Snakefile.
func (wr *writer) snakefile() ([]byte, error) {
	var b strings.Builder
	b.WriteString(wr.header("the Snakefile"))
	b.WriteString(`# Snakemake 7.21 or newer. Run it from this folder:
#   snakemake --profile profiles/local          this machine (all cores)
#   snakemake --profile profiles/slurm          Slurm (Snakemake 7: sbatch; 8 and 9: slurm executor)
#   snakemake --profile profiles/slurm-sbatch   Slurm through sbatch and status.sh (Snakemake 8 and 9)
#   snakemake --profile profiles/htcondor       HTCondor (Snakemake 8 and 9, htcondor executor)
#   reana-client run -w NAME                    REANA (reana.yaml)
# The job graph comes from config.yaml alone: shards, their files and commands.

`)
	b.WriteString(snakefilePrelude)
	local := []string{"all"}
	for _, r := range wr.w.Rules {
		if r.Local {
			local = append(local, r.Name)
		}
	}
	fmt.Fprintf(&b, "\nlocalrules: %s\n\n\nrule all:\n    input: config[\"targets\"]\n", strings.Join(local, ", "))
	partition := wr.partitioned()
	for i := range wr.w.Rules {
		r := &wr.w.Rules[i]
		kind := "rule"
		if r.Checkpoint {
			kind = "checkpoint"
		}
		fmt.Fprintf(&b, "\n\n%s %s:\n", kind, r.Name)
		if r.Doc != "" {
			b.WriteString("    # " + comment(r.Doc) + "\n")
		}
		name := quote.Python(r.Name)
		fmt.Fprintf(&b, "    input: _inputs(%s)\n", name)
		outs := make([]string, len(r.Outputs))
		for k, o := range r.Outputs {
			if strings.HasSuffix(o, "/") {
				outs[k] = "directory(" + quote.Python(strings.TrimSuffix(o, "/")) + ")"
			} else {
				outs[k] = quote.Python(o)
			}
		}
		fmt.Fprintf(&b, "    output: %s\n", strings.Join(outs, ", "))
		fmt.Fprintf(&b, "    log: %s\n", quote.Python(r.logPath()))
		fmt.Fprintf(&b, "    params: cmd=_command(%s)\n", name)
		fmt.Fprintf(&b, "    threads: %d\n", r.threads())
		res, err := wr.resources(r, partition)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "    resources: %s\n", strings.Join(res, ", "))
		if wr.w.Image != "" {
			fmt.Fprintf(&b, "    container: %s\n", quote.Python(wr.w.Image))
		}
		b.WriteString("    shell: \"{params.cmd} > {log} 2>&1\"\n")
	}
	return []byte(b.String()), nil
}

// comment makes s safe inside a Python comment: control characters (which
// could end the line) are written as escapes.
func comment(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == 0x2028 || r == 0x2029 {
			return '?'
		}
		return r
	}, s)
}

// partitioned reports whether the Slurm profiles pass a partition.
func (wr *writer) partitioned() bool {
	if wr.w.Slurm.Partition != "" {
		return true
	}
	for _, r := range wr.w.Rules {
		if r.Partition != "" {
			return true
		}
	}
	return false
}

// resources returns the rule's resources as Snakefile keyword arguments.
func (wr *writer) resources(r *Rule, partition bool) ([]string, error) {
	res := []string{fmt.Sprintf("mem_mb=%d", r.memMB()), fmt.Sprintf("runtime=%d", r.minutes())}
	if partition && !r.Local {
		p := r.Partition
		if p == "" {
			p = wr.w.Slurm.Partition
		}
		if p == "" {
			return nil, fmt.Errorf("workflow: rule %s has no Slurm partition while others have one: set Slurm.Partition", r.Name)
		}
		res = append(res, "slurm_partition="+quote.Python(p))
	}
	if r.Local {
		return res, nil
	}
	switch wr.w.REANA.ComputeBackend {
	case "htcondorcern":
		f, err := flavour(r.minutes())
		if err != nil {
			return nil, fmt.Errorf("workflow: rule %s: %w", r.Name, err)
		}
		res = append(res, "compute_backend="+quote.Python("htcondorcern"), "htcondor_max_runtime="+quote.Python(f))
	case "kubernetes":
		res = append(res, "compute_backend="+quote.Python("kubernetes"), "kubernetes_memory_limit="+quote.Python(fmt.Sprintf("%dMi", r.memMB())))
	case "slurmcern":
		res = append(res, "compute_backend="+quote.Python("slurmcern"))
	}
	return res, nil
}
