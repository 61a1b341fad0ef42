// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
	"github.com/goldmine-hep/goldmine/internal/quote"
	"github.com/goldmine-hep/goldmine/internal/safename"
)

// Plan is a prepared job folder.
type Plan struct {
	// WorkDir is the absolute job folder.
	WorkDir string
	// MG5 is the mg5_aMC executable the scripts call by default.
	MG5 string
	// MG5Found reports whether MG5 is an existing executable.
	MG5Found bool
	// Python is the interpreter MG5 runs with (GOLDMINE_PYTHON, else
	// Config.Python, as a path), or "" for python3 from PATH.
	Python string
	// ProcessDir is the MG5 process folder made by GenerateScript.
	ProcessDir string
	// GenerateScript creates ProcessDir; GenerateLog receives its output.
	GenerateScript string
	GenerateLog    string
	// RunAll is the master script: generate, then every run.
	RunAll string
	Runs   []PlannedRun

	cfg      *Config
	ufoModel string // absolute path of cfg.UFOModel
	logMu    sync.Mutex
}

// Exit codes of the scripts, besides MG5's own (written out in scripts.go).
const (
	exitNoProcess = 2 // the process folder is missing or stale
	exitNoEvents  = 3 // MG5 ended without writing an event file
)

// PlannedRun is one run of a Plan.
type PlannedRun struct {
	Run
	// Dir is the run's copy of the process folder.
	Dir string
	// CardDir holds the run's cards.
	CardDir string
	// Script runs the run; Log receives its output.
	Script string
	Log    string
	// Weights are the reweighting weight names the output must declare.
	Weights []string
}

// checkName checks the name of a run, a reweight job or a benchmark:
// they become file names and words of the scripts and of MG5's cards, so
// they follow goldmine's one naming rule (package internal/safename:
// letters, digits, '_', '.', '-', not starting with '.' or '-').
func checkName(name string) error {
	var e *safename.Error
	if err := safename.Check(name); errors.As(err, &e) {
		return fmt.Errorf("invalid name %q: %s", e.Name, e.Reason)
	}
	return nil
}

// checkJobFolder checks the path of a job folder, which goldmine writes
// into MG5's command files ("output DIR", "launch DIR"). MG5 reads those a
// line at a time, splits a line into words at white space and drops what
// follows a '#': a path with a line break would add a command of its own
// (MG5 has a shell command), and white space, quotes, '#', '$', '`' and
// '\' would change the folder MG5 works in. (The scripts quote every path;
// this is about MG5's own syntax.)
func checkJobFolder(work string) error {
	for _, r := range work {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029:
			return fmt.Errorf("madgraph: work folder %q holds the control character %U: it would split MG5's command lines", work, r)
		case strings.ContainsRune(" '\"#$`\\", r) || unicode.IsSpace(r):
			return fmt.Errorf("madgraph: work folder %q holds %q: MG5's command files need a path without white space, quotes, '#', '$', '`' or '\\'", work, r)
		}
	}
	return nil
}

// Prepare checks cfg and writes the job folder: the cards of every run,
// one script per run, the generate script and the master script run_all.sh.
// It runs nothing. A missing MG5 installation is not an error here; see
// Plan.MG5Found.
func Prepare(cfg *Config) (*Plan, error) {
	if cfg.WorkDir == "" {
		return nil, fmt.Errorf("madgraph: no work folder")
	}
	work, err := filepath.Abs(cfg.WorkDir)
	if err != nil {
		return nil, fmt.Errorf("madgraph: could not resolve work folder: %w", err)
	}
	if err := checkJobFolder(work); err != nil {
		return nil, err
	}
	if len(cfg.Runs) == 0 {
		return nil, fmt.Errorf("madgraph: no runs")
	}
	if cfg.Parallel < 0 || cfg.CoresPerRun < 0 {
		return nil, fmt.Errorf("madgraph: negative parallel (%d) or cores per run (%d)", cfg.Parallel, cfg.CoresPerRun)
	}
	if _, err := clusterConfig(cfg); err != nil {
		return nil, err
	}
	for _, name := range cfg.Only {
		if !slices.ContainsFunc(cfg.Runs, func(r Run) bool { return r.Name == name }) {
			return nil, fmt.Errorf("madgraph: no run %q to run alone", name)
		}
	}
	proc, err := os.ReadFile(cfg.ProcCard)
	if err != nil {
		return nil, fmt.Errorf("madgraph: could not read process card: %w", err)
	}
	if err := checkProcCard(cfg.ProcCard, proc); err != nil {
		return nil, err
	}
	cw, err := NewCardWriter(cfg.Setup)
	if err != nil {
		return nil, err
	}
	if _, err := SystematicsArguments(cfg.Systematics); err != nil {
		return nil, err
	}
	paramTmpl, err := ReadTemplate(cfg.ParamCardTemplate)
	if err != nil {
		return nil, err
	}

	p := &Plan{
		WorkDir:        work,
		ProcessDir:     filepath.Join(work, "process"),
		GenerateScript: filepath.Join(work, "scripts", "generate.sh"),
		GenerateLog:    filepath.Join(work, "logs", "generate.log"),
		RunAll:         filepath.Join(work, "run_all.sh"),
		cfg:            cfg,
	}
	mg5 := cfg.MG5
	if env := os.Getenv("MG5_AMC"); env != "" {
		mg5 = env
	}
	p.MG5, p.MG5Found = findMG5(mg5)
	py := cfg.Python
	if env, ok := os.LookupEnv("GOLDMINE_PYTHON"); ok && env != "" {
		py = env
	}
	if py != "" {
		// A bare name is looked up on PATH now, so that its folder can go
		// first on PATH for MG5's scripts.
		if !strings.ContainsRune(py, filepath.Separator) {
			if lp, err := exec.LookPath(py); err == nil {
				py = lp
			}
		}
		if abs, err := filepath.Abs(py); err == nil {
			py = abs
		}
		p.Python = py
	}
	if cfg.UFOModel != "" {
		fi, err := os.Stat(cfg.UFOModel)
		if err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("madgraph: UFO model %s is not a folder", cfg.UFOModel)
		}
		if p.ufoModel, err = filepath.Abs(cfg.UFOModel); err != nil {
			return nil, fmt.Errorf("madgraph: could not resolve UFO model folder: %w", err)
		}
	}

	for _, d := range []string{"cards", "scripts", "logs", "runs"} {
		if err := os.MkdirAll(filepath.Join(work, d), 0o755); err != nil {
			return nil, fmt.Errorf("madgraph: could not create job folder: %w", err)
		}
	}
	if err := writeFileAtomic(filepath.Join(work, "cards", "proc_card.dat"), proc, 0o644); err != nil {
		return nil, err
	}

	seen := make(map[string]bool)
	for i, r := range cfg.Runs {
		switch {
		case checkName(r.Name) != nil:
			return nil, fmt.Errorf("madgraph: run %d: %w", i, checkName(r.Name))
		case seen[r.Name]:
			return nil, fmt.Errorf("madgraph: run %q defined twice", r.Name)
		case r.SampleBenchmark == "" && !r.Background:
			return nil, fmt.Errorf("madgraph: run %q: a reweighted run needs a sampling benchmark", r.Name)
		}
		seen[r.Name] = true
		pr := PlannedRun{
			Run:     r,
			Dir:     filepath.Join(work, "runs", r.Name),
			CardDir: filepath.Join(work, "cards", r.Name),
			Script:  filepath.Join(work, "scripts", "run_"+r.Name+".sh"),
			Log:     filepath.Join(work, "logs", r.Name+".log"),
		}
		if !r.Background {
			pr.Weights = cw.ReweightNames(r.SampleBenchmark)
			if len(pr.Weights) == 0 {
				return nil, fmt.Errorf("madgraph: run %q: no benchmark to reweight to besides %q; make it a background run", r.Name, r.SampleBenchmark)
			}
		}
		if err := writeRunCards(cw, cfg, paramTmpl, pr); err != nil {
			return nil, err
		}
		fp, err := fingerprint(proc, pr)
		if err != nil {
			return nil, err
		}
		if err := writeFileAtomic(filepath.Join(pr.CardDir, "fingerprint"), []byte(fp+"\n"), 0o644); err != nil {
			return nil, err
		}
		if err := writeFileAtomic(pr.Script, []byte(runScript(p, pr)), 0o755); err != nil {
			return nil, err
		}
		p.Runs = append(p.Runs, pr)
	}
	if err := writeManifest(p); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(p.GenerateScript, []byte(generateScript(p)), 0o755); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(p.RunAll, []byte(runAllScript(p)), 0o755); err != nil {
		return nil, err
	}
	return p, nil
}

// checkProcCard rejects process cards that would fight goldmine's own
// output and launch commands.
func checkProcCard(name string, text []byte) error {
	for i, line := range strings.Split(string(text), "\n") {
		if k := strings.IndexByte(line, '#'); k >= 0 {
			line = line[:k]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch strings.ToLower(f[0]) {
		case "output", "launch":
			return fmt.Errorf("madgraph: process card %s:%d: remove the %q line: goldmine adds output and launch itself", name, i+1, f[0])
		}
	}
	return nil
}

func writeRunCards(cw *CardWriter, cfg *Config, paramTmpl Template, pr PlannedRun) error {
	if err := os.MkdirAll(pr.CardDir, 0o755); err != nil {
		return fmt.Errorf("madgraph: could not create card folder: %w", err)
	}
	var buf bytes.Buffer
	if pr.SampleBenchmark != "" {
		if err := cw.ParamCard(&buf, paramTmpl, pr.SampleBenchmark); err != nil {
			return fmt.Errorf("madgraph: run %q: %w", pr.Name, unprefix(err))
		}
	} else {
		buf.Write(paramTmpl.Text)
	}
	if err := writeFileAtomic(filepath.Join(pr.CardDir, "param_card.dat"), buf.Bytes(), 0o644); err != nil {
		return err
	}

	runCard := pr.RunCard
	if runCard == "" {
		runCard = cfg.RunCard
	}
	runTmpl, err := ReadTemplate(runCard)
	if err != nil {
		return fmt.Errorf("madgraph: run %q: %w", pr.Name, unprefix(err))
	}
	buf.Reset()
	if err := WriteRunCard(&buf, runTmpl, cfg.Systematics, pr.RunCardSettings); err != nil {
		return fmt.Errorf("madgraph: run %q: %w", pr.Name, unprefix(err))
	}
	if err := writeFileAtomic(filepath.Join(pr.CardDir, "run_card.dat"), buf.Bytes(), 0o644); err != nil {
		return err
	}

	rw := filepath.Join(pr.CardDir, "reweight_card.dat")
	if pr.Background {
		if err := os.Remove(rw); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("madgraph: %w", err)
		}
	} else {
		buf.Reset()
		if err := cw.ReweightCard(&buf, pr.SampleBenchmark); err != nil {
			return fmt.Errorf("madgraph: run %q: %w", pr.Name, unprefix(err))
		}
		if err := writeFileAtomic(rw, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}

	for _, c := range []struct{ src, dst string }{
		{pr.Pythia8Card, "pythia8_card.dat"},
		{pr.DelphesCard, "delphes_card.dat"},
		{pr.MadSpinCard, "madspin_card.dat"},
	} {
		dst := filepath.Join(pr.CardDir, c.dst)
		if c.src == "" {
			if err := os.Remove(dst); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("madgraph: %w", err)
			}
			continue
		}
		b, err := os.ReadFile(c.src)
		if err != nil {
			return fmt.Errorf("madgraph: run %q: could not read card: %w", pr.Name, err)
		}
		if err := writeFileAtomic(dst, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// unprefix drops the package prefix of an error message that gets wrapped
// in another madgraph error.
func unprefix(err error) error {
	return prefixless{err}
}

type prefixless struct{ err error }

func (e prefixless) Error() string { return strings.TrimPrefix(e.err.Error(), "madgraph: ") }
func (e prefixless) Unwrap() error { return e.err }

// switches returns the MG5 switches of a run.
func (pr PlannedRun) switches() Switches {
	sw := Switches{Reweight: "ON"}
	if pr.Background {
		sw.Reweight = "OFF"
	}
	if pr.Pythia8Card != "" {
		sw.Shower = "Pythia8"
	}
	if pr.DelphesCard != "" {
		sw.Detector = "Delphes"
	}
	if pr.MadSpinCard != "" {
		sw.MadSpin = "ON"
	}
	return sw
}

// findMG5 resolves the MG5 executable: a path to mg5_aMC, an MG5_aMC
// folder, or mg5_aMC from PATH.
func findMG5(mg5 string) (string, bool) {
	if mg5 == "" {
		p, err := exec.LookPath("mg5_aMC")
		if err != nil {
			return "mg5_aMC", false
		}
		mg5 = p
	}
	if fi, err := os.Stat(mg5); err == nil && fi.IsDir() {
		mg5 = filepath.Join(mg5, "bin", "mg5_aMC")
	}
	if abs, err := filepath.Abs(mg5); err == nil && strings.ContainsRune(mg5, filepath.Separator) {
		mg5 = abs
	}
	fi, err := os.Stat(mg5)
	if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return mg5, false
	}
	return mg5, true
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	if err := atomicfile.WriteFile(path, data, perm); err != nil {
		return fmt.Errorf("madgraph: %w", err)
	}
	return nil
}

// fingerprint is a SHA-256 over everything that makes a run's events: the
// process card, the run's cards and its switches. A run's output counts as
// complete only if it was made with the current fingerprint.
func fingerprint(proc []byte, pr PlannedRun) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "proc_card %d\n", len(proc))
	h.Write(proc)
	for _, name := range []string{"param_card.dat", "run_card.dat", "reweight_card.dat", "pythia8_card.dat", "delphes_card.dat", "madspin_card.dat"} {
		b, err := os.ReadFile(filepath.Join(pr.CardDir, name))
		if os.IsNotExist(err) {
			fmt.Fprintf(h, "%s absent\n", name)
			continue
		}
		if err != nil {
			return "", fmt.Errorf("madgraph: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	fmt.Fprintf(h, "switches %+v\n", pr.switches())
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sameFile reports whether the files at a and b both exist and have the
// same content.
func sameFile(a, b string) bool {
	x, err := os.ReadFile(a)
	if err != nil {
		return false
	}
	y, err := os.ReadFile(b)
	return err == nil && bytes.Equal(x, y)
}

// clusterConfig returns the lines that switch MG5's cluster mode on in a
// run's Cards/me5_configuration.txt (after MG5's own, so that they win:
// MG5 keeps the last value of a key), or none without cfg.Cluster. Every
// line is made by quote.MG5Config, so that no value can change what MG5
// reads.
func clusterConfig(cfg *Config) ([]string, error) {
	c := cfg.Cluster
	if c == nil {
		return nil, nil
	}
	if !slices.Contains(clusterTypes, c.Type) {
		return nil, fmt.Errorf("madgraph: cluster type %q: want one of %s", c.Type, strings.Join(clusterTypes, ", "))
	}
	if c.NbCore < 0 {
		return nil, fmt.Errorf("madgraph: cluster nb_core %d is negative", c.NbCore)
	}
	if cfg.CoresPerRun > 0 {
		return nil, fmt.Errorf("madgraph: cores per run (MG5's multicore mode) and cluster mode exclude each other")
	}
	kv := [][2]string{{"run_mode", "1"}, {"cluster_type", c.Type}}
	if c.Queue != "" {
		kv = append(kv, [2]string{"cluster_queue", c.Queue})
	}
	if c.NbCore > 0 {
		kv = append(kv, [2]string{"nb_core", fmt.Sprint(c.NbCore)})
	}
	var lines []string
	for _, x := range kv {
		l, err := quote.MG5Config(x[0], x[1])
		if err != nil {
			return nil, fmt.Errorf("madgraph: cluster mode: %w", err)
		}
		lines = append(lines, l)
	}
	return lines, nil
}
