// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/store"
)

// The tests in this file run the real MadGraph5_aMC 3.5.7 with SMEFTsim
// from ../shared/tools/mg5. Each needs more than a minute, so they do not
// run under -short:
//
//	GOLDMINE_REQUIRE_TOOLS=1 go test -run RealMG5 -timeout 40m -v ./cmd/goldmine
//
// They skip, saying what is missing, without the tarball, gfortran or a
// Python 3 with numpy; with GOLDMINE_REQUIRE_TOOLS=1 (CI) they fail
// instead. MG5 is unpacked once into $GOLDMINE_TEST_CACHE (default: the
// user cache folder, goldmine-test) and reused. The Python is
// GOLDMINE_PYTHON, else /usr/bin/python3 or python3 from PATH, whichever
// imports numpy.

const mg5Tarball = "tools/mg5/MG5_aMC_v3_5_7_with_SMEFTsim.tar.gz"

// missingTool skips the test, or fails it under GOLDMINE_REQUIRE_TOOLS=1.
func missingTool(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("GOLDMINE_REQUIRE_TOOLS") == "1" {
		t.Fatalf("GOLDMINE_REQUIRE_TOOLS=1 but %s", msg)
	}
	t.Skip(msg)
}

// realMG5 returns the mg5_aMC of the unpacked tarball and the Python with
// numpy to run it with.
func realMG5(t *testing.T) (mg5, python string) {
	t.Helper()
	if testing.Short() {
		t.Skip("the real MG5 runs take minutes; not under -short")
	}
	tarball := filepath.Join(repotest.Root(t), "..", "shared", filepath.FromSlash(mg5Tarball))
	fi, err := os.Stat(tarball)
	if err != nil {
		missingTool(t, "no MG5 tarball: %v", err)
	}
	if _, err := exec.LookPath("gfortran"); err != nil {
		missingTool(t, "no gfortran on PATH (Debian: apt-get install gfortran)")
	}
	for _, py := range []string{os.Getenv("GOLDMINE_PYTHON"), "/usr/bin/python3", "python3"} {
		if py == "" {
			continue
		}
		if p, err := exec.LookPath(py); err == nil && exec.Command(p, "-c", "import numpy, numpy.f2py").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		missingTool(t, "no Python 3 with numpy (GOLDMINE_PYTHON, /usr/bin/python3 or python3; Debian: apt-get install python3-numpy)")
	}

	cache := os.Getenv("GOLDMINE_TEST_CACHE")
	if cache == "" {
		uc, err := os.UserCacheDir()
		if err != nil {
			uc = os.TempDir()
		}
		cache = filepath.Join(uc, "goldmine-test")
	}
	dir := filepath.Join(cache, fmt.Sprintf("mg5-%d-%d", fi.Size(), fi.ModTime().Unix()))
	mg5 = filepath.Join(dir, "MG5_aMC_v3_5_7", "bin", "mg5_aMC")
	if _, err := os.Stat(mg5); err == nil {
		return mg5, python
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(cache, ".unpack-")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if out, err := exec.Command("tar", "xzf", tarball, "-C", tmp).CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		t.Fatalf("could not unpack %s: %v\n%s", tarball, err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp) // another test unpacked it meanwhile
		if _, err2 := os.Stat(mg5); err2 != nil {
			t.Fatal(err)
		}
	}
	t.Logf("MG5 unpacked into %s in %v", dir, time.Since(start).Round(time.Millisecond))
	return mg5, python
}

// readCard returns the repository root and the text of cards/NAME.
func readCard(t *testing.T, name string) (root, card string) {
	t.Helper()
	root = repotest.Root(t)
	src, err := os.ReadFile(filepath.Join(root, "cards", name))
	if err != nil {
		t.Fatal(err)
	}
	return root, string(src)
}

// madgraphSection returns a card's madgraph section for the real MG5 with
// the MG5 cards of cards/mg5, extra settings (indented lines), runs and
// samples (YAML list items), followed by the samples section.
func madgraphSection(root, mg5, python, extra, runs, samples string) string {
	return fmt.Sprintf(`madgraph:
  dir: %s
  python: %s
  proc_card: %s
  param_card_template: %s
  run_card: %s
  timeout: 20m
%s  runs:
%s
samples:
%s

`, mg5, python, filepath.Join(root, "cards", "mg5", "zh_proc_card.dat"), filepath.Join(root, "cards", "mg5", "zh_param_card_template.dat"),
		filepath.Join(root, "cards", "mg5", "zh_run_card.dat"), extra, runs, samples)
}

// writeTempCard writes a card into a temporary folder and returns its path.
func writeTempCard(t *testing.T, name, card string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(card), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// mg5Card writes a version of cards/zh_generate.yaml with the given
// madgraph runs and samples (YAML list items) and the sampling section cut
// to one small local sample at the SM, and returns its path. The MG5 cards
// are those of cards/mg5.
func mg5Card(t *testing.T, mg5, python, extra, runs, samples string) string {
	t.Helper()
	root, card := readCard(t, "zh_generate.yaml")
	i, j := strings.Index(card, "madgraph:"), strings.Index(card, "# The five observables")
	k, l := strings.Index(card, "sampling:"), strings.Index(card, "training:")
	if i < 0 || j < i || k < j || l < k {
		t.Fatal("cards/zh_generate.yaml: sections not found")
	}
	sampling := `sampling:
  samples:
    - {name: sally, method: local, theta: {benchmark: sm}, n_samples: 2000}

`
	card = card[:i] + madgraphSection(root, mg5, python, extra, runs, samples) + card[j:k] + sampling
	return writeTempCard(t, "zh_generate_small.yaml", card)
}

// goldmineRun runs goldmine to the end and returns its --json output.
func goldmineRun(t *testing.T, args ...string) []byte {
	t.Helper()
	start := time.Now()
	cmd, out, stderr := goldmine(t, []string{"MG5_AMC=", "GOLDMINE_PYTHON="}, append(args, "--json")...)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("goldmine %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	t.Logf("goldmine %s: %v", args[0], time.Since(start).Round(time.Second))
	return out.Bytes()
}

// xsecOf normalises an LHE file as analyse does and checks that every
// event carries the weights.
func xsecOf(t *testing.T, path string, weights []string) *lhe.Normalization {
	t.Helper()
	r, err := lhe.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	idx := make([]int, len(weights))
	for i, w := range weights {
		k, ok := h.WeightIndex(w)
		if !ok {
			t.Fatalf("%s declares no weight %q", path, w)
		}
		idx[i] = k
	}
	tl, err := lhe.NewTally(path, h.Declaration(), "")
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		ev := r.Event()
		tl.Add(ev.ProcID, ev.Weight)
		for i, k := range idx {
			if v := ev.Weights[k]; !(v > 0) || math.IsInf(v, 0) {
				t.Fatalf("%s: event %d: weight %s = %v", path, ev.Index, weights[i], v)
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	n, err := tl.Result()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var basis = []string{"morphing_basis_vector_1", "morphing_basis_vector_2", "morphing_basis_vector_3", "morphing_basis_vector_4", "morphing_basis_vector_5"}

type generateJSON struct {
	Runs []struct {
		Name     string
		Status   string
		LHE      string
		Duration time.Duration
	}
}

// TestRealMG5GenerateAnalyse generates 1000 SM events of the ZH study with
// the real MG5, reweighted to the five morphing basis points, analyses
// them and makes a local training sample: every event carries the five
// basis weights, the SM cross section agrees with the 5000-event shared
// sample's within three combined MC errors, and the joint score is not
// zero.
func TestRealMG5GenerateAnalyse(t *testing.T) {
	mg5, python := realMG5(t)
	ref := repotest.Shared(t, "data/lhe/zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	card := mg5Card(t, mg5, python, "", "    - {name: sm, benchmark: sm, events: 1000, seed: 4321}", "  - {name: zh, madgraph_run: sm}")
	work := filepath.Join(t.TempDir(), "work")

	start := time.Now()
	var gen generateJSON
	if err := json.Unmarshal(goldmineRun(t, "generate", card, "--workdir", work), &gen); err != nil {
		t.Fatal(err)
	}
	t.Logf("generate (process generation, compilation, survey, refine, reweighting of 1000 events): %v", time.Since(start).Round(time.Second))
	if len(gen.Runs) != 1 || gen.Runs[0].Status != "done" {
		t.Fatalf("runs %+v", gen.Runs)
	}
	got := xsecOf(t, gen.Runs[0].LHE, basis)
	want := xsecOf(t, ref, basis)
	if got.Events != 1000 {
		t.Errorf("%d events, want 1000", got.Events)
	}
	// The MC error of unweighted events is MG5's integration error
	// (XERRUP): the weights themselves are all equal.
	ge, we := math.Max(got.XSecErr, got.HeaderErr), math.Max(want.XSecErr, want.HeaderErr)
	diff, tol := math.Abs(got.XSec-want.XSec), 3*math.Hypot(ge, we)
	t.Logf("σ(SM): %.6g ± %.2g pb generated, %.6g ± %.2g pb in the shared sample (%s): %.2f combined errors apart", got.XSec, ge, want.XSec, we, got.Reason, diff/math.Hypot(ge, we))
	if diff > tol || ge == 0 {
		t.Errorf("σ(SM) = %.6g ± %.2g pb, shared sample %.6g ± %.2g pb: %.3g apart, more than three combined errors (%.3g)", got.XSec, ge, want.XSec, we, diff, tol)
	}

	var an struct {
		EventsWritten int                `json:"events_written"`
		XSecPB        map[string]float64 `json:"xsec_pb"`
		Warnings      []string           `json:"warnings"`
	}
	if err := json.Unmarshal(goldmineRun(t, "analyse", card, "--workdir", work), &an); err != nil {
		t.Fatal(err)
	}
	if an.EventsWritten == 0 || len(an.XSecPB) != 6 {
		t.Errorf("analyse: %+v", an)
	}
	for _, w := range an.Warnings {
		t.Errorf("analyse warning: %s", w)
	}
	goldmineRun(t, "augment", card, "--workdir", work)
	shape, txz, err := store.ReadNPY(filepath.Join(work, "samples", "sally", "t_xz_train.npy"))
	if err != nil {
		t.Fatal(err)
	}
	var sum2 float64
	for _, v := range txz {
		sum2 += v * v
	}
	rms := math.Sqrt(sum2 / float64(len(txz)))
	t.Logf("joint score at the SM: %v values, rms %.4g", shape, rms)
	if len(shape) != 2 || shape[1] != 2 {
		t.Errorf("t_xz shape %v, want (n, 2)", shape)
	}
	if !(rms > 1e-3) || math.IsNaN(rms) {
		t.Errorf("joint score rms %g: zero or not finite", rms)
	}
}

// TestRealMG5Campaign runs a campaign with the real MG5: two seeds of the
// SM signal and a background run, two at a time, then analyses them
// together (the two signal samples averaged, the background added).
func TestRealMG5Campaign(t *testing.T) {
	mg5, python := realMG5(t)
	card := mg5Card(t, mg5, python, "  parallel: 2\n  cores_per_run: 1\n",
		`    - {name: sm_a, benchmark: sm, events: 400, seed: 11}
    - {name: sm_b, benchmark: sm, events: 400, seed: 12}
    - {name: bkg, background: true, events: 300, seed: 13}`,
		`  - {name: sig_a, madgraph_run: sm_a}
  - {name: sig_b, madgraph_run: sm_b}
  - {name: bkg, madgraph_run: bkg}`)
	work := filepath.Join(t.TempDir(), "work")
	var gen generateJSON
	if err := json.Unmarshal(goldmineRun(t, "generate", card, "--workdir", work), &gen); err != nil {
		t.Fatal(err)
	}
	lhes := map[string]string{}
	for _, r := range gen.Runs {
		if r.Status != "done" {
			t.Errorf("run %s: %s", r.Name, r.Status)
		}
		lhes[r.Name] = r.LHE
	}
	a, b := xsecOf(t, lhes["sm_a"], basis), xsecOf(t, lhes["sm_b"], basis)
	bkg := xsecOf(t, lhes["bkg"], nil)
	r, err := lhe.Open(lhes["bkg"])
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.Header().Weights); n != 0 {
		t.Errorf("the background run has %d reweighting weights", n)
	}
	r.Close()
	if a.XSec == b.XSec {
		t.Errorf("the two seeds gave the same cross section %g: were the seeds used?", a.XSec)
	}
	t.Logf("σ: sm_a %.6g ± %.2g, sm_b %.6g ± %.2g, bkg %.6g ± %.2g pb", a.XSec, a.XSecErr, b.XSec, b.XSecErr, bkg.XSec, bkg.XSecErr)

	var an struct {
		EventsWritten int                `json:"events_written"`
		XSecPB        map[string]float64 `json:"xsec_pb"`
	}
	if err := json.Unmarshal(goldmineRun(t, "analyse", card, "--workdir", work), &an); err != nil {
		t.Fatal(err)
	}
	if an.EventsWritten != 1100 {
		t.Errorf("%d events written, want 1100 (the cuts of the card keep all)", an.EventsWritten)
	}
	// Signal samples of one benchmark are averaged, backgrounds add.
	want := (a.XSec+b.XSec)/2 + bkg.XSec
	if got := an.XSecPB["sm"]; math.Abs(got-want) > 1e-6*want {
		t.Errorf("σ(sm) in events.h5 = %.8g pb, want (σ_a + σ_b)/2 + σ_bkg = %.8g pb", got, want)
	}
}

// TestRealMG5Interrupt sends SIGINT to goldmine generate while the real
// MG5 integrates: no MG5 process may be left, and the next generate
// produces the events.
func TestRealMG5Interrupt(t *testing.T) {
	mg5, python := realMG5(t)
	card := mg5Card(t, mg5, python, "", "    - {name: sm, benchmark: sm, events: 1000, seed: 77}", "  - {name: zh, madgraph_run: sm}")
	work := filepath.Join(t.TempDir(), "work")
	log := filepath.Join(work, "madgraph", "logs", "sm.log")
	busy := func() bool {
		// The survey's jobs are running.
		b, err := os.ReadFile(log)
		return err == nil && strings.Contains(string(b), "Running Survey") && strings.Contains(string(b), "Idle:")
	}
	start := time.Now()
	status := interruptAndResume(t, card, work, []string{"MG5_AMC=", "GOLDMINE_PYTHON="}, []string{"MG5_AMC=", "GOLDMINE_PYTHON="}, busy, 10*time.Minute, syscall.SIGINT)
	t.Logf("interrupt and regenerate: %v", time.Since(start).Round(time.Second))
	if status["sm"] != "done" {
		t.Errorf("second generate: status %v, want sm done", status)
	}
	// Only the second, complete MG5 run is left in the run's folder: it was
	// redone from a fresh copy of the process folder.
	outs, err := filepath.Glob(filepath.Join(work, "madgraph", "runs", "sm", "Events", "run_*", "unweighted_events.lhe.gz"))
	if err != nil || len(outs) != 1 {
		t.Errorf("event files %v (%v), want one", outs, err)
	}
	n := xsecOf(t, outs[0], basis)
	if n.Events != 1000 {
		t.Errorf("%d events after the rerun, want 1000", n.Events)
	}
}
