// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// hostileDir is a folder name that breaks naive quoting: the worst that
// Write accepts (it refuses $, `, " and \, which Snakemake's cluster
// submission would run; TestWriteRefusesFolders).
const hostileDir = "wf; touch CANARY 'q' ünï漢 &x|y <z> * ~ #"

// hostileValue is a legal argument that breaks naive quoting, with a
// newline.
const hostileValue = "$(touch CANARY)\n;`touch CANARY` 'it''s' \"q\" \\ {shard} {{x}} ${HOME} ü"

var hostileShards = []struct{ id, file, value string }{
	{"a", "in put $(touch CANARY).txt", "value a " + hostileValue},
	{"b.2", "ünï'côde`touch CANARY`;.txt", "value b\n$(touch CANARY)"},
	{"C_3", "new\nline; touch CANARY.txt", "-c 'x'"},
}

// hostileWorkflow is a 3-shard → merge workflow whose paths and values
// hold shell, Python, YAML and Snakemake syntax. standin is the stand-in
// command, extern an absolute input file outside the workflow folder.
func hostileWorkflow(standin, extern string) *Workflow {
	w := &Workflow{Name: "hostile " + hostileValue, Image: "docker://example.org/goldmine:1.0"}
	an := Rule{
		Name:    "analyse",
		Doc:     "one partial file per input; doc with $(touch CANARY) and \"quotes\"",
		Inputs:  []Input{FileInput(extern)},
		Outputs: []string{"partial/{shard}.txt"},
		Command: Cmd(standin, Out(0), ShardID, ShardValue(0), ShardIn(0), In(0),
			Join(Text("--threads="), Threads), hostileValue, Join(Text("--shard="), ShardID, Text(" $(x)"))),
		Threads: 2, MemMB: 500, Runtime: 90 * time.Second,
	}
	for _, s := range hostileShards {
		an.Shards = append(an.Shards, Shard{ID: s.id, Inputs: []string{s.file}, Values: []string{s.value}})
	}
	merge := Rule{
		Name:    "merge",
		Doc:     "the merged file",
		Inputs:  []Input{RuleInput("analyse", 0)},
		Outputs: []string{"merged.txt"},
		Command: Cmd(standin, Out(0), "merge", In(0)),
		Local:   true,
	}
	w.Rules = []Rule{an, merge}
	return w
}

// wantRecords are the arguments the stand-in must have received.
func wantRecords(extern string, threads string) map[string][]string {
	want := map[string][]string{}
	var parts []string
	for _, s := range hostileShards {
		p := "partial/" + s.id + ".txt"
		parts = append(parts, p)
		want[p] = []string{s.id, s.value, s.file, extern, "--threads=" + threads, hostileValue, "--shard=" + s.id + " $(x)"}
	}
	want["merged.txt"] = append([]string{"merge"}, parts...)
	return want
}

func noCanary(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), "CANARY") {
			t.Errorf("a value ran as code: %s exists", p)
		}
		return nil
	})
}

// setupHostile makes the hostile folder, its input files and the stand-in.
func setupHostile(t *testing.T) (dir, extern, standin string) {
	t.Helper()
	root := t.TempDir()
	dir = filepath.Join(root, hostileDir)
	ext := filepath.Join(root, "extern $(touch CANARY) 'x'")
	for _, d := range []string{dir, ext} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	extern = filepath.Join(ext, "card `touch CANARY`.yaml")
	if err := os.WriteFile(extern, []byte("card\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range hostileShards {
		if err := os.WriteFile(filepath.Join(dir, s.file), []byte(s.id), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, extern, writeStandIn(t, dir)
}

func TestWriteRefusesFolders(t *testing.T) {
	w := hostileWorkflow("/bin/true", "/data/card.yaml")
	for _, name := range []string{"a $(touch CANARY)", "a `touch CANARY`", `a "b"`, `a\b`, "a\nb", "a\x7fb"} {
		dir := filepath.Join(t.TempDir(), name)
		_, err := Write(dir, w)
		if err == nil || !strings.Contains(err.Error(), "double quotes") {
			t.Errorf("folder %q: error %v, want a refusal", name, err)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("folder %q was created", name)
		}
	}
}

func TestWriteDeterministic(t *testing.T) {
	w := hostileWorkflow("/opt/stand in/x", "/data/card.yaml")
	a, err := w.Files()
	if err != nil {
		t.Fatal(err)
	}
	b, err := hostileWorkflow("/opt/stand in/x", "/data/card.yaml").Files()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two writes of the same workflow differ")
	}
	dir := t.TempDir()
	if _, err := Write(dir, w); err != nil {
		t.Fatal(err)
	}
	first := map[string][]byte{}
	for _, f := range a {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, f.Data) {
			t.Errorf("%s on disk differs from Files", f.Name)
		}
		first[f.Name] = data
	}
	if _, err := Write(dir, w); err != nil {
		t.Fatal(err)
	}
	for name, data := range first {
		again, _ := os.ReadFile(filepath.Join(dir, name))
		if !bytes.Equal(again, data) {
			t.Errorf("%s changed when written again", name)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "profiles/slurm/status.sh")); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("status.sh not executable: %v %v", fi, err)
	}
}

// TestHostileValues writes the hostile workflow into a hostile folder and
// has every Snakemake installed read it (snakemake -n), run it with the
// stand-in and run it again: the stand-in must receive every value
// exactly, nothing may run as code, and the second run has nothing to do.
func TestHostileValues(t *testing.T) {
	sms := repotest.Snakemakes(t)
	bash := repotest.LookPath(t, "bash", "checks the status script")
	dir, extern, standin := setupHostile(t)
	w := hostileWorkflow(standin, extern)
	if _, err := Write(dir, w); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bash, "-n", filepath.Join(dir, "profiles/slurm/status.sh")).CombinedOutput(); err != nil {
		t.Errorf("bash -n status.sh: %v\n%s", err, out)
	}
	for _, sm := range sms {
		t.Run("snakemake"+string(rune('0'+sm.Major)), func(t *testing.T) {
			for _, d := range []string{"partial", "logs", ".snakemake", "merged.txt"} {
				os.RemoveAll(filepath.Join(dir, d))
			}
			out, err := sm.Run(t, dir, nil, 2*time.Minute, "-n", "--cores", "2")
			if err != nil {
				t.Fatalf("snakemake -n: %v\n%s", err, out)
			}
			for _, profile := range []string{"local", "slurm", "slurm-sbatch", "htcondor"} {
				if sm.Major < 8 && (profile == "slurm-sbatch" || profile == "htcondor") {
					continue
				}
				// A dry run with each profile: its settings parse and the
				// executor accepts the rules' resources.
				out, err := sm.Run(t, dir, nil, 2*time.Minute, "-n", "--profile", "profiles/"+profile)
				if err != nil {
					if sm.Major >= 8 && strings.Contains(out, "executor") && strings.Contains(out, "not") {
						t.Logf("profile %s: executor plugin missing? %v\n%s", profile, err, lastLines(out, 5))
						continue
					}
					t.Errorf("snakemake -n --profile profiles/%s: %v\n%s", profile, err, out)
				}
			}
			out, err = sm.Run(t, dir, nil, 2*time.Minute, "--cores", "2")
			if err != nil {
				t.Fatalf("snakemake --cores 2: %v\n%s", err, out)
			}
			for p, want := range wantRecords(extern, "2") {
				r := readRecord(t, filepath.Join(dir, p))
				if !reflect.DeepEqual(r.args, want) {
					t.Errorf("%s: the stand-in received\n%q\nwant\n%q", p, r.args, want)
				}
			}
			noCanary(t, filepath.Dir(dir))
			out, err = sm.Run(t, dir, nil, 2*time.Minute, "-n", "--cores", "2")
			if err != nil || !strings.Contains(out, "Nothing to be done") {
				t.Errorf("second run is not empty: %v\n%s", err, out)
			}
		})
	}
	noCanary(t, filepath.Dir(dir))
}

// TestReanaValidate has reana-client check reana.yaml and build the job
// graph of the hostile workflow (it loads the Snakefile with its own
// Snakemake). reana-client is $GOLDMINE_REANA_CLIENT, reana-client on
// PATH or the venv of .ci/tools/snakemake.sh (a venv of its own: it pins
// Snakemake 7.32).
func TestReanaValidate(t *testing.T) {
	client := os.Getenv("GOLDMINE_REANA_CLIENT")
	if client == "" {
		client = filepath.Join(repotest.ToolsDir(), "reana-venv", "bin", "reana-client")
		if p, err := exec.LookPath("reana-client"); err == nil {
			client = p
		}
	}
	client = repotest.LookPath(t, client, "validates reana.yaml; .ci/tools/snakemake.sh installs it")
	dir, extern, standin := setupHostile(t)
	if _, err := Write(dir, hostileWorkflow(standin, extern)); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(client, "validate", "-f", "reana.yaml")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Valid REANA specification file") || strings.Contains(string(out), "ERROR") {
		t.Fatalf("reana-client validate: %v\n%s", err, out)
	}
	noCanary(t, filepath.Dir(dir))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
