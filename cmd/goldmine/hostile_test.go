// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/quote"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// hostile is a folder name that breaks naive quoting in a shell script, a
// heredoc, a YAML file or an MG5 card: command substitutions, backticks,
// ;, quotes, globs, redirections, a variable and non-ASCII letters. It is
// legal in every path that a card may give.
const hostile = "h $(touch CANARY) `touch CANARY`; 'q' \"d\" ${HOME} ünï漢 & |x <y> *"

// hostileWork is the hostile working-directory name: MG5's command files
// take the job folder as a word of a line (package madgraph refuses white
// space, quotes, '#', '$', '`', '\\' and control characters in it), so
// this one holds the shell syntax that remains: ;, &, |, redirections,
// globs, braces (;{touch,CANARY}; runs touch CANARY in an unquoted shell
// word), parentheses, ~ and non-ASCII letters.
const hostileWork = "work;{touch,CANARY};&x|y<z>*?~(ünï漢)"

// hostileCard is a MadGraph campaign whose every value that reaches a
// generated file is a path through a hostile folder. The card values that
// reach the job folder of goldmine generate are
//   - madgraph.dir (the MG5 executable), madgraph.python and
//     madgraph.ufo_model: shell words of every script;
//   - the working directory: the scripts find it themselves ($W), and it
//     is written into the MG5 command files (output, launch);
//   - proc_card, param_card_template, run_card and pythia8_card: files
//     copied into the job folder (their contents are the user's MG5 input);
//   - parameters' lha_block and lha_id, systematics' scale and pdf, the
//     runs' events and seed: words of the param, reweight and run cards,
//     restricted at card load (TestHostileCardValuesRefused);
//   - names (runs, benchmarks): the one naming rule (TestHostileNames).
func hostileCard(t *testing.T, root string) (card, work, mg5, py, in string) {
	t.Helper()
	repo := repotest.Root(t)
	td := filepath.Join(repo, "madgraph", "testdata")
	cardDir := filepath.Join(root, "card "+hostile)
	mg5 = filepath.Join(root, "mg5 "+hostile)
	pyDir := filepath.Join(root, "py "+hostile)
	in = filepath.Join(root, "in "+hostile)
	ufo := filepath.Join(in, "UFO "+hostile)
	for _, d := range []string{cardDir, filepath.Join(mg5, "bin"), filepath.Join(mg5, "models"), pyDir, ufo} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, filepath.Join("testdata", "standin_mg5_aMC"), filepath.Join(mg5, "bin", "mg5_aMC"), 0o755)
	for _, f := range []string{"proc_card.dat", "param_card_template.dat", "run_card.dat"} {
		copyFile(t, filepath.Join(td, f), filepath.Join(in, f), 0o644)
	}
	if err := os.WriteFile(filepath.Join(in, "pythia8 "+hostile+".cmnd"), []byte("! pythia8 card $(touch CANARY)\nMain:numberOfEvents = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ufo, "particles.py"), []byte("# a UFO model $(touch CANARY)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The interpreter: the system's Python 3 (with numpy, for the
	// preflight) under a hostile folder.
	sys := repotest.LookPath(t, "/usr/bin/python3", "runs the stand-in MG5 (Debian python3 with python3-numpy)")
	py = filepath.Join(pyDir, "python3")
	if err := os.Symlink(sys, py); err != nil {
		t.Fatal(err)
	}
	y := quote.YAML
	text := fmt.Sprintf(`workdir: %s
seed: 7
%ssystematics:
  - {name: mu, type: scale, scale: mu, factors: [0.5, 2]}
  - {name: pdf, type: pdf, pdf: NNPDF31_lo_as_0118, members: 2}
madgraph:
  dir: %s
  python: %s
  ufo_model: %s
  proc_card: %s
  param_card_template: %s
  run_card: %s
  pythia8_card: %s
  cores_per_run: 1
  parallel: 2
  timeout: 1m
  runs:
    - {name: sig, benchmark: sm, events: 2, seed: 3}
    - {name: bkg, background: true}
samples:
  - {name: zh, madgraph_run: sig, systematics: [mu, pdf]}
  - {name: bkg, madgraph_run: bkg, background: true}
observables:
  - {name: pt_z, expr: "(p[0] + p[1]).pt"}
`, y(filepath.Join(root, hostileWork)), zhSetup, y(mg5), y(py), y(ufo), y(filepath.Join(in, "proc_card.dat")),
		y(filepath.Join(in, "param_card_template.dat")), y(filepath.Join(in, "run_card.dat")), y(filepath.Join(in, "pythia8 "+hostile+".cmnd")))
	card = filepath.Join(cardDir, "card "+hostile+".yaml")
	if err := os.WriteFile(card, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return card, filepath.Join(root, hostileWork), mg5, py, in
}

func copyFile(t *testing.T, src, dst string, perm fs.FileMode) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, perm); err != nil {
		t.Fatal(err)
	}
}

// canaries fails the test for every file named CANARY* below root and in
// the test's own folder (a relative touch runs in the shell's folder).
func canaries(t *testing.T, root string) {
	t.Helper()
	for _, dir := range []string{root, "."} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasPrefix(d.Name(), "CANARY") {
				t.Errorf("a value ran as code: %s exists", p)
			}
			return nil
		})
	}
}

// standinRecord is one line of the stand-in MG5's record.
type standinRecord struct {
	Argv    []string `json:"argv"`
	Path0   string   `json:"path0"`
	File    string   `json:"file"`
	Lines   []string `json:"lines"`
	Output  string   `json:"output"`
	Launch  string   `json:"launch"`
	Weights []string `json:"weights"`
}

func readStandin(t *testing.T, path string) []standinRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the stand-in MG5 left no record: %v", err)
	}
	defer f.Close()
	var out []standinRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r standinRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("record %q: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

// TestHostileValuesInScripts runs goldmine generate on a card whose MG5,
// Python, UFO model, input cards, card file and working directory all lie
// in folders named with shell, YAML and heredoc syntax, with a stand-in
// MG5 that takes its paths without a shell: every generated script passes
// bash -n, goldmine runs them, the user runs run_all.sh by hand, and no
// value ever runs as code (no CANARY file), while the stand-in receives
// each path exactly (the values survive the round trip through the
// scripts and MG5 command files).
func TestHostileValuesInScripts(t *testing.T) {
	bash := repotest.LookPath(t, "bash", "runs the generated scripts")
	root := t.TempDir()
	card, work, mg5, py, in := hostileCard(t, root)
	rec := filepath.Join(root, "record "+hostile+".jsonl")
	env := map[string]string{"STANDIN_RECORD": rec, "MG5_AMC": "", "GOLDMINE_PYTHON": "", "GOLDMINE_WORKDIR": ""}
	out, err := run(t, env, "generate", card, "--workdir", work, "--quiet", "--json")
	if err != nil {
		t.Fatalf("goldmine generate: %v\n%s", err, out)
	}
	canaries(t, root)
	var res struct {
		WorkDir string
		RunAll  string `json:"run_all"`
		Outputs []struct {
			Run      string
			LHE      string
			Complete bool
			Weights  []string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	job := filepath.Join(work, "madgraph")
	if res.WorkDir != job || res.RunAll != filepath.Join(job, "run_all.sh") {
		t.Errorf("job folder %q, run_all %q: want %q", res.WorkDir, res.RunAll, job)
	}
	if len(res.Outputs) != 2 {
		t.Fatalf("%d outputs, want 2: %s", len(res.Outputs), out)
	}
	for _, o := range res.Outputs {
		if want := filepath.Join(job, "runs", o.Run, "Events", "run_01", "unweighted_events.lhe.gz"); o.LHE != want || !o.Complete {
			t.Errorf("run %s: LHE %q complete %v, want %q complete", o.Run, o.LHE, o.Complete, want)
		}
	}

	// Every script parses.
	var scripts []string
	filepath.WalkDir(job, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".sh") && !strings.Contains(p, string(filepath.Separator)+"runs"+string(filepath.Separator)) {
			scripts = append(scripts, p)
		}
		return nil
	})
	if len(scripts) != 4 { // run_all.sh, generate.sh, run_sig.sh, run_bkg.sh
		t.Errorf("scripts %q, want 4", scripts)
	}
	for _, s := range scripts {
		if out, err := exec.Command(bash, "-n", s).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", s, err, out)
		}
	}

	checkRecord := func(t *testing.T) {
		t.Helper()
		recs := readStandin(t, rec)
		var outputs, launches []string
		for _, r := range recs {
			if len(r.Argv) == 0 || r.Argv[0] != filepath.Join(mg5, "bin", "mg5_aMC") {
				t.Errorf("the stand-in ran as %q, want %q", r.Argv, filepath.Join(mg5, "bin", "mg5_aMC"))
			}
			if r.Path0 != filepath.Dir(py) {
				t.Errorf("PATH starts with %q, want the interpreter's folder %q", r.Path0, filepath.Dir(py))
			}
			if r.Output != "" {
				outputs = append(outputs, r.Output)
			}
			if r.Launch != "" {
				launches = append(launches, r.Launch)
			}
			if r.File == filepath.Join(job, "cards", "generate.mg5") {
				proc, err := os.ReadFile(filepath.Join(in, "proc_card.dat"))
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(r.Lines, "\n"); !strings.HasPrefix(got, string(proc)) || !strings.Contains(got, "\noutput "+filepath.Join(job, "process")+"\n") {
					t.Errorf("generate.mg5 as received:\n%s", got)
				}
			}
		}
		slices.Sort(launches)
		if want := filepath.Join(job, "process"); !slices.Equal(outputs, []string{want}) {
			t.Errorf("output folders %q, want %q", outputs, want)
		}
		if want := []string{filepath.Join(job, "runs", "bkg"), filepath.Join(job, "runs", "sig")}; !slices.Equal(launches, want) {
			t.Errorf("launched %q, want %q", launches, want)
		}
		for _, f := range []string{"param_card.dat", "run_card.dat", "reweight_card.dat", "pythia8_card.dat"} {
			a, err := os.ReadFile(filepath.Join(job, "cards", "sig", f))
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(job, "runs", "sig", "Cards", f))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s did not reach the run folder unchanged: %v", f, err)
			}
		}
		p8, err := os.ReadFile(filepath.Join(job, "runs", "sig", "Cards", "pythia8_card.dat"))
		if err != nil || !bytes.Contains(p8, []byte("$(touch CANARY)")) {
			t.Errorf("pythia8 card in the run folder: %v\n%s", err, p8)
		}
		rc, err := os.ReadFile(filepath.Join(job, "cards", "sig", "run_card.dat"))
		if err != nil || !bytes.Contains(rc, []byte("'--pdf=NNPDF31_lo_as_0118'")) || !bytes.Contains(rc, []byte(" 3 = iseed")) {
			t.Errorf("run card: %v\n%s", err, rc)
		}
		if _, err := os.Stat(filepath.Join(mg5, "models", "UFO "+hostile, "particles.py")); err != nil {
			t.Errorf("the UFO model was not copied into MG5's models folder: %v", err)
		}
	}
	checkRecord(t)

	// The user runs the master script by hand, from another folder and
	// without goldmine's environment: the same runs again.
	for _, d := range []string{"runs", "process"} {
		if err := os.RemoveAll(filepath.Join(job, d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(rec); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, filepath.Join(job, "run_all.sh"), "2")
	cmd.Dir = root
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + root, "STANDIN_RECORD=" + rec}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bash run_all.sh: %v\n%s", err, out)
	}
	checkRecord(t)
	canaries(t, root)
}

// TestHostileCardValuesRefused: the card values that become words of MG5's
// cards and command files (not shell words, which are quoted) are refused
// at card load when they hold what would end or split such a word, with
// file:line:key; a working directory that would split an MG5 command line
// is refused by goldmine generate before anything is written.
func TestHostileCardValuesRefused(t *testing.T) {
	root := t.TempDir()
	card, _, _, _, _ := hostileCard(t, root)
	src, err := os.ReadFile(card)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, old, new, key string
	}{
		{"lha_block newline", "lha_block: smeft, lha_id: 7", `lha_block: "smeft\n!touch CANARY", lha_id: 7`, "parameters[0].lha_block"},
		{"lha_block space", "lha_block: smeft, lha_id: 25", `lha_block: "smeft 25 1\nshell touch CANARY", lha_id: 25`, "parameters[1].lha_block"},
		{"lha_block quote", "lha_block: smeft, lha_id: 7", `lha_block: "sm'eft", lha_id: 7`, "parameters[0].lha_block"},
		{"pdf quote", "pdf: NNPDF31_lo_as_0118", `pdf: "NN'] = x\n$(touch CANARY)"`, "systematics[1].pdf"},
		{"pdf space", "pdf: NNPDF31_lo_as_0118", `pdf: "NNPDF31 x"`, "systematics[1].pdf"},
		{"pdf comma", "pdf: NNPDF31_lo_as_0118", `pdf: "a,b"`, "systematics[1].pdf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := strings.Replace(string(src), c.old, c.new, 1)
			if text == string(src) {
				t.Fatalf("%q not in the card", c.old)
			}
			path := filepath.Join(t.TempDir(), "card.yaml")
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			w := filepath.Join(t.TempDir(), "work")
			out, err := run(t, map[string]string{"MG5_AMC": "", "GOLDMINE_PYTHON": ""}, "setup", path, "--workdir", w, "--quiet")
			if err == nil {
				t.Fatalf("accepted:\n%s", out)
			}
			line := 1 + strings.Count(text[:strings.Index(text, c.new)], "\n")
			if want := fmt.Sprintf("%s:%d: %s", path, line, c.key); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
			if _, err := os.Stat(w); err == nil {
				t.Errorf("the refused card created %s", w)
			}
		})
	}
	for _, bad := range []string{"work\n!touch CANARY", "work\r!touch CANARY", "work\u2028x", "work x", "work#x", "work$(touch CANARY)", "work`touch CANARY`", "work'x", "work\"x", "work\\x"} {
		t.Run(fmt.Sprintf("workdir %q", bad), func(t *testing.T) {
			w := filepath.Join(root, bad)
			out, err := run(t, map[string]string{"MG5_AMC": "", "GOLDMINE_PYTHON": ""}, "generate", card, "--workdir", w, "--quiet", "--only-prepare")
			if err == nil || !strings.Contains(err.Error(), "MG5's command") {
				t.Fatalf("a job folder MG5 cannot take: %v\n%s", err, out)
			}
			if _, err := os.Stat(filepath.Join(w, "madgraph", "run_all.sh")); err == nil {
				t.Errorf("scripts written into a folder MG5 cannot take")
			}
		})
	}
	canaries(t, root)
}
