// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// fakeMG5 returns the absolute path of the stand-in mg5_aMC and skips the
// test where bash or gzip is missing.
func fakeMG5(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"bash", "gzip", "zcat", "awk", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the stand-in MG5 needs %s: %v", tool, err)
		}
	}
	p, err := filepath.Abs(filepath.Join("testdata", "fake_mg5_aMC"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// testConfig is a two-benchmark campaign on the stand-in MG5: runs sampled
// at each benchmark and one background run. The fake's record goes to
// rec.
func testConfig(t *testing.T, rec string) *Config {
	t.Helper()
	t.Setenv("FAKE_MG5_RECORD", rec)
	for _, k := range []string{"FAKE_MG5_SLEEP", "FAKE_MG5_FAIL", "FAKE_MG5_NOEVENTS", "FAKE_MG5_HANG", "FAKE_MG5_NORWGT", "MG5_AMC", "GOLDMINE_PYTHON"} {
		t.Setenv(k, "")
	}
	return &Config{
		MG5:               fakeMG5(t),
		ProcCard:          filepath.Join("testdata", "proc_card.dat"),
		ParamCardTemplate: filepath.Join("testdata", "param_card_template.dat"),
		RunCard:           filepath.Join("testdata", "run_card.dat"),
		Setup: Setup{
			Parameters: []Parameter{
				{Name: "cHW", Block: "smeft", ID: 7, Transform: "1.0*theta"},
				{Name: "cHq3", Block: "smeft", ID: 25, Transform: "2*theta"},
			},
			Benchmarks: []Benchmark{
				{Name: "sm", Values: map[string]float64{"cHW": 0, "cHq3": 0}},
				{Name: "bsm", Values: map[string]float64{"cHW": 0.5, "cHq3": -0.25}},
			},
		},
		Systematics: []Systematic{{Name: "scale", Type: SystematicScale}},
		Runs: []Run{
			{Name: "sm", SampleBenchmark: "sm", RunCardSettings: []Setting{{Key: "nevents", Value: "2"}, {Key: "iseed", Value: "7"}}},
			{Name: "bsm", SampleBenchmark: "bsm"},
			{Name: "bkg", Background: true},
		},
		WorkDir:     filepath.Join(t.TempDir(), "work"),
		Parallel:    2,
		CoresPerRun: 1,
		Timeout:     time.Minute,
	}
}

func readGz(t *testing.T, path string) string {
	t.Helper()
	return string(repotest.ReadGzip(t, path))
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGenerateCampaign(t *testing.T) {
	rec := t.TempDir()
	cfg := testConfig(t, rec)
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Generated {
		t.Errorf("process folder not reported as generated")
	}
	work := res.Plan.WorkDir
	wantWeights := map[string][]string{"sm": {"bsm"}, "bsm": {"sm"}, "bkg": nil}
	for _, rr := range res.Runs {
		if rr.Status != StatusDone || rr.Err != nil {
			t.Fatalf("run %s: status %s, err %v", rr.Name, rr.Status, rr.Err)
		}
		want := filepath.Join(work, "runs", rr.Name, "Events", "run_01", "unweighted_events.lhe.gz")
		if rr.LHE != want {
			t.Errorf("run %s: LHE %s, want %s", rr.Name, rr.LHE, want)
		}
		if err := CheckLHE(rr.LHE, wantWeights[rr.Name]); err != nil {
			t.Errorf("run %s: %v", rr.Name, err)
		}
		if rr.Log != filepath.Join(work, "logs", rr.Name+".log") {
			t.Errorf("run %s: log %s", rr.Name, rr.Log)
		}
		// Every question the stand-in asks was answered by the files.
		if log := readFile(t, rr.Log); strings.Contains(log, "not set in your input file") {
			t.Errorf("run %s: a question was left to standard input:\n%s", rr.Name, log)
		}
	}

	// The param card reached MG5: the fake copies it into the LHE header.
	lhe := readGz(t, res.Runs[1].LHE)
	for _, want := range []string{"    7    0.5    # goldmine", "    25    -0.5    # goldmine", "<wgt id='sm'>"} {
		if !strings.Contains(lhe, want) {
			t.Errorf("bsm events lack %q", want)
		}
	}
	if strings.Contains(readGz(t, res.Runs[2].LHE), "<rwgt>") {
		t.Errorf("background run was reweighted")
	}

	// What MG5 received: the process card with one output line, then one
	// launch file per run with the switches and both "done" answers.
	cmds := readFile(t, filepath.Join(rec, "commands.log"))
	if n := strings.Count(cmds, "output "+filepath.Join(work, "process")); n != 1 {
		t.Errorf("output sent %d times, want 1:\n%s", n, cmds)
	}
	if !strings.Contains(cmds, "generate p p > z h NP<=1 SMHLOOP=0, z > e+ e-") {
		t.Errorf("process card not sent:\n%s", cmds)
	}
	for _, r := range []struct{ name, rw string }{{"sm", "ON"}, {"bsm", "ON"}, {"bkg", "OFF"}} {
		want := "launch " + filepath.Join(work, "runs", r.name) + "\nshower=OFF\ndetector=OFF\nanalysis=OFF\nmadspin=OFF\nreweight=" + r.rw + "\ndone\ndone\n"
		if !strings.Contains(cmds, want) {
			t.Errorf("launch file of %s not sent as\n%s\ngot:\n%s", r.name, want, cmds)
		}
	}

	// The run's own cards are in its copy of the process folder.
	runDir := filepath.Join(work, "runs", "sm")
	rc := readFile(t, filepath.Join(runDir, "Cards", "run_card.dat"))
	for _, want := range []string{"  2 = nevents", "  7 = iseed", "True = use_syst", "'--mur=0.5,1.0,2.0'"} {
		if !strings.Contains(rc, want) {
			t.Errorf("run card of sm lacks %q", want)
		}
	}
	if me5 := readFile(t, filepath.Join(runDir, "Cards", "me5_configuration.txt")); !strings.HasSuffix(me5, "\nautomatic_html_opening = False\nrun_mode = 2\nnb_core = 1\n") {
		t.Errorf("me5_configuration.txt does not end by switching off automatic_html_opening and setting 1 core:\n%s", me5)
	}
	if _, err := os.Stat(filepath.Join(work, "runs", "bkg", "Cards", "reweight_card.dat")); !os.IsNotExist(err) {
		t.Errorf("background run has a reweight card: %v", err)
	}
	if fi, err := os.Lstat(filepath.Join(runDir, "SubProcesses", "link")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("symbolic links of the process folder not kept in the run copy: %v", err)
	}

	// Output discovery.
	outs, err := Outputs(work)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range outs {
		got = append(got, o.Run+":"+o.MGRun+":"+filepath.Base(o.LHE)+":"+o.SampleBenchmark+":"+strconv.FormatBool(o.Background)+":"+strings.Join(o.Weights, ","))
		if o.LHE != filepath.Join(work, "runs", o.Run, "Events", o.MGRun, "unweighted_events.lhe.gz") {
			t.Errorf("Outputs: run %s: LHE %s", o.Run, o.LHE)
		}
	}
	want := []string{
		"bkg:run_01:unweighted_events.lhe.gz::true:",
		"bsm:run_01:unweighted_events.lhe.gz:bsm:false:sm",
		"sm:run_01:unweighted_events.lhe.gz:sm:false:bsm",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Outputs = %v, want %v", got, want)
	}

	// Resume: a second call finds every run complete and runs nothing.
	before := cmds
	res, err = Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range res.Runs {
		if rr.Status != StatusComplete {
			t.Errorf("second call: run %s status %s, want %s", rr.Name, rr.Status, StatusComplete)
		}
	}
	if after := readFile(t, filepath.Join(rec, "commands.log")); after != before {
		t.Errorf("second call sent commands to MG5:\n%s", strings.TrimPrefix(after, before))
	}

	// Force re-runs everything but does not regenerate the process.
	cfg.Force = true
	res, err = Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	after := readFile(t, filepath.Join(rec, "commands.log"))
	if n := strings.Count(after, "\nlaunch "); n != 6 {
		t.Errorf("after Force: %d launches, want 6", n)
	}
	if res.Generated || strings.Count(after, "\noutput ") != 1 {
		t.Errorf("Force regenerated the process folder")
	}
}

func TestParallelRunsOverlap(t *testing.T) {
	rec := t.TempDir()
	cfg := testConfig(t, rec)
	t.Setenv("FAKE_MG5_SLEEP", "1")
	cfg.Runs = []Run{
		{Name: "a", SampleBenchmark: "sm"}, {Name: "b", SampleBenchmark: "sm"},
		{Name: "c", SampleBenchmark: "bsm"}, {Name: "d", SampleBenchmark: "bsm"},
	}
	cfg.Parallel = 2
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	type ev struct {
		t     int64
		delta int
	}
	var evs []ev
	for _, l := range strings.Split(strings.TrimSpace(readFile(t, filepath.Join(rec, "timeline"))), "\n") {
		f := strings.Fields(l)
		ts, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		d := 1
		if f[0] == "end" {
			d = -1
		}
		evs = append(evs, ev{ts, d})
	}
	if len(evs) != 8 {
		t.Fatalf("timeline has %d entries, want 8", len(evs))
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].t < evs[j].t || evs[i].t == evs[j].t && evs[i].delta < evs[j].delta })
	cur, most := 0, 0
	for _, e := range evs {
		cur += e.delta
		most = max(most, cur)
	}
	if most != 2 {
		t.Errorf("at most %d runs went at the same time, want 2 (Parallel)", most)
	}
}

func TestRunErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     string
		timeout time.Duration
		is      error
		exit    int
		msg     string
	}{
		{"exit status", "FAKE_MG5_FAIL", 0, nil, 1, `Error detected in "generate_events run_01"`},
		{"no events", "FAKE_MG5_NOEVENTS", 0, ErrNoEvents, 3, "produced no Events/run_*/unweighted_events.lhe.gz"},
		{"no weights", "FAKE_MG5_NORWGT", 0, ErrNoEvents, 0, "lacks the reweighting weights sm"},
		{"timeout", "FAKE_MG5_HANG", 2 * time.Second, context.DeadlineExceeded, -1, "timed out after 2s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, t.TempDir())
			t.Setenv(tc.env, "bsm")
			if tc.timeout > 0 {
				// Only the hanging run, and the process folder made
				// beforehand without the timeout, so that the short
				// timeout covers the hanging launch alone (on a loaded
				// machine the others might not finish within it).
				cfg.Runs = cfg.Runs[1:2]
				plan, err := Prepare(cfg)
				if err != nil {
					t.Fatal(err)
				}
				if err := plan.exec(context.Background(), plan.GenerateScript, plan.GenerateLog); err != nil || !plan.processReady() {
					t.Fatalf("process folder: %v", err)
				}
			}
			cfg.Timeout = tc.timeout
			cfg.KeepGoing = true
			start := time.Now()
			res, err := Generate(context.Background(), cfg)
			if time.Since(start) > 20*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			var re *RunError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a *RunError", err)
			}
			log := filepath.Join(res.Plan.WorkDir, "logs", "bsm.log")
			if re.Run != "bsm" || re.Log != log || re.ExitCode != tc.exit {
				t.Errorf("RunError{Run %q, Log %q, ExitCode %d}, want {bsm, %s, %d}", re.Run, re.Log, re.ExitCode, log, tc.exit)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want it to wrap %v", err, tc.is)
			}
			for _, want := range []string{`run "bsm" failed`, log, tc.msg} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
			// The outcome is recorded in results.json.
			var rj resultJSON
			if err := json.Unmarshal([]byte(readFile(t, filepath.Join(res.Plan.WorkDir, "results.json"))), &rj); err != nil {
				t.Fatal(err)
			}
			for _, r := range rj.Runs {
				if (r.Name == "bsm") != (r.Status == StatusFailed) || (r.Name == "bsm") != strings.Contains(r.Error, tc.msg) {
					t.Errorf("results.json: %+v", r)
				}
			}
			// KeepGoing: the other runs finished.
			for _, rr := range res.Runs {
				want := StatusDone
				if rr.Name == "bsm" {
					want = StatusFailed
				}
				if rr.Status != want {
					t.Errorf("run %s: status %s, want %s", rr.Name, rr.Status, want)
				}
			}
		})
	}
}

func TestStopOnFirstError(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	t.Setenv("FAKE_MG5_FAIL", "a")
	t.Setenv("FAKE_MG5_SLEEP", "0.2")
	cfg.Parallel = 1
	cfg.Runs = []Run{{Name: "a", SampleBenchmark: "sm"}, {Name: "b", SampleBenchmark: "sm"}, {Name: "c", SampleBenchmark: "sm"}}
	res, err := Generate(context.Background(), cfg)
	var re *RunError
	if !errors.As(err, &re) || re.Run != "a" {
		t.Fatalf("err = %v, want the failure of run a", err)
	}
	for _, rr := range res.Runs[1:] {
		if rr.Status != StatusNotRun {
			t.Errorf("run %s: status %s, want %s after the first failure", rr.Name, rr.Status, StatusNotRun)
		}
	}
}

func TestProcCardSyntaxError(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.ProcCard = filepath.Join("testdata", "proc_card_syntax_error.dat")
	res, err := Generate(context.Background(), cfg)
	var re *RunError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *RunError", err)
	}
	log := filepath.Join(res.Plan.WorkDir, "logs", "generate.log")
	if re.Run != "generate" || re.Log != log {
		t.Errorf("RunError{Run %q, Log %q}, want {generate, %s}", re.Run, re.Log, log)
	}
	if res.GenerateErr != err || !strings.Contains(readFile(t, filepath.Join(res.Plan.WorkDir, "results.json")), "No particle hh in model") {
		t.Errorf("generation failure not recorded in the result and results.json")
	}
	for _, want := range []string{"generating the process folder failed", log, "InvalidCmd : No particle hh in model", `Command "generate p p > z hh NP<=1, z > e+ e-" interrupted with error:`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	for _, rr := range res.Runs {
		if rr.Status != StatusNotRun {
			t.Errorf("run %s: status %s after a failed generation", rr.Name, rr.Status)
		}
	}
}

func TestResumePartialCampaign(t *testing.T) {
	rec := t.TempDir()
	cfg := testConfig(t, rec)
	cfg.KeepGoing = true
	t.Setenv("FAKE_MG5_NORWGT", "bsm") // bsm's reweighting "fails"
	if _, err := Generate(context.Background(), cfg); err == nil {
		t.Fatal("no error for an incomplete run")
	}
	t.Setenv("FAKE_MG5_NORWGT", "")
	before := readFile(t, filepath.Join(rec, "commands.log"))
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]Status{}
	for _, rr := range res.Runs {
		status[rr.Name] = rr.Status
	}
	if status["sm"] != StatusComplete || status["bkg"] != StatusComplete || status["bsm"] != StatusDone {
		t.Errorf("statuses %v, want sm and bkg complete, bsm done", status)
	}
	sent := strings.TrimPrefix(readFile(t, filepath.Join(rec, "commands.log")), before)
	if strings.Count(sent, "\nlaunch ") != 1 || !strings.Contains(sent, "runs/bsm\n") || strings.Contains(sent, "output ") {
		t.Errorf("resume sent:\n%s\nwant one launch of bsm and no output", sent)
	}
	// bsm was redone from a fresh copy: one MG5 run, not two.
	outs, err := ProcessOutputs(filepath.Join(res.Plan.WorkDir, "runs", "bsm"))
	if err != nil || len(outs) != 1 {
		t.Errorf("bsm has %d MG5 runs (%v), want 1", len(outs), err)
	}
}

func TestNoMG5(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.MG5 = filepath.Join(t.TempDir(), "MG5_aMC_v3_5_7") // a folder without bin/mg5_aMC
	if err := os.Mkdir(cfg.MG5, 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := Generate(context.Background(), cfg)
	if !errors.Is(err, ErrMG5NotFound) {
		t.Fatalf("err = %v, want ErrMG5NotFound", err)
	}
	if res == nil || res.Plan.MG5Found {
		t.Fatalf("result %+v", res)
	}
	for _, want := range []string{"run_all.sh", "MG5_AMC=", filepath.Join(cfg.MG5, "bin", "mg5_aMC")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	// The job folder is complete.
	for _, f := range []string{"run_all.sh", "scripts/generate.sh", "scripts/run_sm.sh", "scripts/run_bkg.sh",
		"cards/proc_card.dat", "cards/sm/param_card.dat", "cards/sm/run_card.dat", "cards/sm/reweight_card.dat", "cards/bkg/run_card.dat"} {
		fi, err := os.Stat(filepath.Join(res.Plan.WorkDir, f))
		if err != nil {
			t.Errorf("job folder lacks %s: %v", f, err)
		} else if strings.HasSuffix(f, ".sh") && fi.Mode()&0o100 == 0 {
			t.Errorf("%s is not executable", f)
		}
	}
	if _, err := os.Stat(filepath.Join(res.Plan.WorkDir, "cards", "bkg", "reweight_card.dat")); !os.IsNotExist(err) {
		t.Errorf("background run has a reweight card")
	}
}

// TestRunAllByHand runs the prepared scripts the way a user would, without
// Generate: bash run_all.sh JOBS, then again to see the skip.
func TestRunAllByHand(t *testing.T) {
	rec := t.TempDir()
	cfg := testConfig(t, rec)
	cfg.OnlyPrepare = true
	mg5 := cfg.MG5
	cfg.MG5 = "" // the user sets MG5_AMC
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range res.Runs {
		if rr.Status != StatusNotRun {
			t.Errorf("OnlyPrepare ran %s", rr.Name)
		}
	}
	if _, err := os.Stat(filepath.Join(res.Plan.WorkDir, "process")); !os.IsNotExist(err) {
		t.Fatalf("OnlyPrepare created the process folder")
	}
	// Move the job folder: the scripts find their folder themselves.
	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(res.Plan.WorkDir, moved); err != nil {
		t.Fatal(err)
	}
	run := func() string {
		cmd := exec.Command("bash", filepath.Join(moved, "run_all.sh"), "2")
		cmd.Env = append(os.Environ(), "MG5_AMC="+mg5)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("run_all.sh: %v\n%s", err, out)
		}
		return string(out)
	}
	run()
	outs, err := Outputs(moved)
	if err != nil || len(outs) != 3 {
		t.Fatalf("Outputs: %d (%v), want 3", len(outs), err)
	}
	for _, o := range outs {
		var w []string
		switch o.Run {
		case "sm":
			w = []string{"bsm"}
		case "bsm":
			w = []string{"sm"}
		}
		if err := CheckLHE(o.LHE, w); err != nil {
			t.Errorf("run %s: %v", o.Run, err)
		}
		if !strings.HasPrefix(o.LHE, moved) {
			t.Errorf("run %s wrote outside the moved folder: %s", o.Run, o.LHE)
		}
	}
	if out := run(); strings.Count(out, "skipped") != 3 {
		t.Errorf("second run_all.sh did not skip the 3 runs:\n%s", out)
	}
}

func TestReweightExistingSample(t *testing.T) {
	rec := t.TempDir()
	cfg := testConfig(t, rec)
	cfg.Runs = []Run{{Name: "plain", SampleBenchmark: "sm", Background: true}}
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	lhe := res.Runs[0].LHE
	if err := CheckLHE(lhe, []string{"bsm"}); !errors.Is(err, ErrNoEvents) {
		t.Fatalf("sample already has weights: %v", err)
	}
	job := ReweightJob{Name: "plain", ProcessDir: filepath.Join(res.Plan.WorkDir, "runs", "plain"), MGRun: "run_01", SampleBenchmark: "sm"}
	rr, err := Reweight(context.Background(), cfg, job)
	if err != nil {
		t.Fatal(err)
	}
	if rr.Status != StatusDone || rr.LHE != lhe {
		t.Errorf("result %+v", rr)
	}
	if err := CheckLHE(lhe, []string{"bsm"}); err != nil {
		t.Error(err)
	}
	if !strings.Contains(readGz(t, lhe), "<wgt id='bsm'>") {
		t.Errorf("events carry no bsm weight")
	}
	cmds := readFile(t, filepath.Join(rec, "commands.log"))
	if !strings.Contains(cmds, "=== madevent reweight run_01 -f") || !strings.Contains(cmds, "launch --rwgt_name=bsm\n  set smeft 7 0.5\n  set smeft 25 -0.5\n") {
		t.Errorf("madevent did not get the reweight card:\n%s", cmds)
	}

	// A missing run and a failing madevent name the job and its log.
	job.MGRun = "run_07"
	if _, err := Reweight(context.Background(), cfg, job); err == nil || !strings.Contains(err.Error(), "no sample to reweight") {
		t.Errorf("missing run: err = %v", err)
	}
	job.MGRun = "run_01"
	os.Remove(filepath.Join(job.ProcessDir, "bin", "madevent"))
	_, err = Reweight(context.Background(), cfg, job)
	var re *RunError
	if !errors.As(err, &re) || re.Run != "plain" || !strings.HasSuffix(re.Log, "reweight_plain.log") || re.ExitCode != 2 {
		t.Errorf("missing madevent: err = %v", err)
	}
}

func TestLaunchCommandsMatchMadMiner(t *testing.T) {
	_, shared := zhSetup(t)
	want := readFile(t, filepath.Join(shared, "reference", "zh", "mg5_cards", "mg_commands_0.dat"))
	got := LaunchCommands("work/A_zh/mg_processes", Switches{Reweight: "ON"})
	var w []string
	for _, l := range strings.Split(want, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			w = append(w, l)
		}
	}
	// Documented difference: a second "done" answers the card-editing
	// question.
	w = append(w, "done")
	if g := strings.Split(strings.TrimSuffix(got, "\n"), "\n"); strings.Join(g, "|") != strings.Join(w, "|") {
		t.Errorf("launch commands\n got %q\nwant %q", g, w)
	}
}

func TestScanLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	log := strings.Join([]string{
		"INFO: load model sm",
		`Command "generate p p > z hh" interrupted with error:`,
		"InvalidCmd : No particle hh in model",
		`INFO: Error detected in "generate_events run_01"`,
		`Command "done" not recognized, please try again`,
		`Command "impor" not recognized, please try again`,
		"MadGraph5Error : No process generated",
		"ERROR: \x1b[1;31mMadEventError : Some tests failed, run cannot continue.\x1b[0m",
		`Command "launch" interrupted in sub-command:`,
		"     Cross-section :   0.01 +- 0.0001 pb",
		"INFO: Running Systematics computation",
		"INFO: Idle: 0,  Running: 0,  Completed: 1 [ 0.1s ]",
	}, "\n")
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	got := scanLog(path, 10)
	want := []string{
		`Command "generate p p > z hh" interrupted with error:`,
		"InvalidCmd : No particle hh in model",
		`INFO: Error detected in "generate_events run_01"`,
		`Command "impor" not recognized, please try again`,
		"MadGraph5Error : No process generated",
		"ERROR: MadEventError : Some tests failed, run cannot continue.",
		`Command "launch" interrupted in sub-command:`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("scanLog:\n got %q\nwant %q", got, want)
	}
}

func TestPrepareErrors(t *testing.T) {
	base := func() *Config {
		cfg := testConfig(t, t.TempDir())
		cfg.OnlyPrepare = true
		return cfg
	}
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		msg  string
	}{
		{"no runs", func(c *Config) { c.Runs = nil }, "no runs"},
		{"bad name", func(c *Config) { c.Runs[0].Name = "a b" }, "invalid name"},
		{"dup run", func(c *Config) { c.Runs[1].Name = "sm" }, "defined twice"},
		{"unknown benchmark", func(c *Config) { c.Runs[0].SampleBenchmark = "nope" }, `unknown benchmark "nope"`},
		{"signal without benchmark", func(c *Config) { c.Runs[0].SampleBenchmark = "" }, "needs a sampling benchmark"},
		{"space in folder", func(c *Config) { c.WorkDir = filepath.Join(t.TempDir(), "a b") }, "without white space"},
		{"line break in folder", func(c *Config) { c.WorkDir = filepath.Join(t.TempDir(), "a\r!touch CANARY") }, "control character"},
		{"comment in folder", func(c *Config) { c.WorkDir = filepath.Join(t.TempDir(), "a#b") }, "'#'"},
		{"bad block", func(c *Config) { c.Setup.Parameters[0].Block = "smeft\nshell" }, "invalid LHA block"},
		{"bad pdf", func(c *Config) {
			c.Systematics = append(c.Systematics, Systematic{Name: "pdf", Type: SystematicPDF, PDF: "NN\nx"})
		}, "invalid PDF set"},
		{"missing card", func(c *Config) { c.RunCard = "testdata/nope.dat" }, "nope.dat"},
		{"output line", func(c *Config) {
			p := filepath.Join(t.TempDir(), "proc.dat")
			os.WriteFile(p, []byte("import model sm\ngenerate e+ e- > mu+ mu-\noutput foo\n"), 0o644)
			c.ProcCard = p
		}, "proc.dat:3: remove the \"output\" line"},
		{"bad setting", func(c *Config) { c.Runs[0].RunCardSettings = []Setting{{Key: "use_syst", Value: "True"}} }, "set from the systematics"},
	} {
		cfg := base()
		tc.mod(cfg)
		_, err := Generate(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "madgraph: ") {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.msg)
		}
	}
}

// TestZHCampaign prepares the ZH study as the card describes it (MadMiner's
// proc card, param card template and run card, nevents 30000, iseed 1234),
// checks that the prepared cards are MadMiner's, then runs it on the
// stand-in MG5 and checks that the events carry the five morphing weights.
func TestZHCampaign(t *testing.T) {
	s, shared := zhSetup(t)
	rec := t.TempDir()
	cfg := testConfig(t, rec)
	ref := filepath.Join(shared, "reference")
	cfg.ProcCard = filepath.Join(ref, "mg5_zh_cards", "proc_card_zh.dat")
	cfg.ParamCardTemplate = filepath.Join(ref, "mg5_zh_cards", "param_card_template.dat")
	cfg.RunCard = filepath.Join(ref, "mg5_zh_cards", "run_card.dat")
	cfg.Setup = s
	cfg.Systematics = nil
	cfg.Runs = []Run{{Name: "sm", SampleBenchmark: "sm", RunCardSettings: []Setting{{Key: "nevents", Value: "30000"}, {Key: "iseed", Value: "1234"}}}}
	cfg.OnlyPrepare = true
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	cards := filepath.Join(res.Plan.WorkDir, "cards")
	for _, c := range []struct{ got, want string }{
		{"sm/param_card.dat", "param_card_0.dat"},
		{"sm/reweight_card.dat", "reweight_card_0.dat"},
		{"sm/run_card.dat", "run_card_0.dat"},
		{"proc_card.dat", "proc_card.dat"},
	} {
		got := brand(readFile(t, filepath.Join(cards, c.got)))
		got = strings.TrimSuffix(got, "\n# MadMiner: answer MG5's last 'edit a card?' question\ndone\n")
		want := readFile(t, filepath.Join(ref, "zh", "mg5_cards", c.want))
		compareLines(t, c.got, got, want)
	}

	cfg.OnlyPrepare = false
	res, err = Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := []string{"morphing_basis_vector_1", "morphing_basis_vector_2", "morphing_basis_vector_3", "morphing_basis_vector_4", "morphing_basis_vector_5"}
	if err := CheckLHE(res.Runs[0].LHE, w); err != nil {
		t.Error(err)
	}
	if err := CheckLHE(res.Runs[0].LHE, append(w, "sm")); !errors.Is(err, ErrNoEvents) {
		t.Errorf("the sampling benchmark got a reweighting weight: %v", err)
	}
}

// TestCancelPreflight cancels before mg5_aMC answered the start-up
// check, as a short deadline on a busy machine does: the error is the
// context's, not "does not start".
func TestCancelPreflight(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Generate(ctx, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the context's error", err)
	}
}

func TestCancel(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	t.Setenv("FAKE_MG5_HANG", "s") // every run name here contains an s
	cfg.Runs = []Run{{Name: "s1", SampleBenchmark: "sm"}, {Name: "s2", SampleBenchmark: "sm"}, {Name: "s3", SampleBenchmark: "sm"}}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := Generate(ctx, cfg)
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("cancellation took %v", d)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's error", err)
	}
	for _, rr := range res.Runs {
		if rr.Status == StatusDone || rr.Status == StatusComplete {
			t.Errorf("run %s: status %s after cancellation", rr.Name, rr.Status)
		}
	}
}

func TestUFOModelCopied(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	// An MG5 installation: bin/mg5_aMC and an empty models folder.
	inst := filepath.Join(t.TempDir(), "MG5_aMC")
	for _, d := range []string{"bin", "models"} {
		if err := os.MkdirAll(filepath.Join(inst, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	fake, err := os.ReadFile(cfg.MG5)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inst, "bin", "mg5_aMC"), fake, 0o755); err != nil {
		t.Fatal(err)
	}
	// MG5 found on PATH through a symbolic link to the installation.
	onPath := filepath.Join(t.TempDir(), "mg5_aMC")
	if err := os.Symlink(filepath.Join(inst, "bin", "mg5_aMC"), onPath); err != nil {
		t.Fatal(err)
	}
	cfg.MG5 = onPath
	ufo := filepath.Join(t.TempDir(), "SMEFTsim_test_UFO")
	if err := os.MkdirAll(ufo, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ufo, "particles.py"), []byte("# fake\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.UFOModel = ufo
	cfg.Runs = cfg.Runs[:1]
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(inst, "models", "SMEFTsim_test_UFO", "particles.py")); err != nil {
		t.Errorf("UFO model not copied into the MG5 models folder: %v", err)
	}
	cfg.UFOModel = filepath.Join(t.TempDir(), "missing")
	if _, err := Generate(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("missing UFO model: err = %v", err)
	}
}

// TestResumeAfterCardChange: a run is redone when its cards change, the
// process folder when the process card changes.
func TestResumeAfterCardChange(t *testing.T) {
	rec := t.TempDir()
	cfg := testConfig(t, rec)
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	status := func(res *Result) map[string]Status {
		m := map[string]Status{}
		for _, rr := range res.Runs {
			m[rr.Name] = rr.Status
		}
		return m
	}

	// bsm moves: its param card and sm's reweight card change; the
	// background run's cards do not.
	cfg.Setup.Benchmarks[1].Values = map[string]float64{"cHW": 0.7, "cHq3": -0.25}
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := status(res); got["sm"] != StatusDone || got["bsm"] != StatusDone || got["bkg"] != StatusComplete || res.Generated {
		t.Errorf("after a benchmark change: %v (generated %v), want sm and bsm redone, bkg complete, no generation", got, res.Generated)
	}
	if !strings.Contains(readGz(t, res.Runs[1].LHE), "    7    0.7    # goldmine") {
		t.Errorf("bsm events not made with the new param card")
	}

	// A new process card regenerates the process folder and every run.
	proc := filepath.Join(t.TempDir(), "proc_card.dat")
	if err := os.WriteFile(proc, []byte("import model SMEFTsim_U35_MwScheme_UFO-massless\ngenerate p p > z h, z > mu+ mu-\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.ProcCard = proc
	res, err = Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := status(res); got["sm"] != StatusDone || got["bsm"] != StatusDone || got["bkg"] != StatusDone || !res.Generated {
		t.Errorf("after a process card change: %v (generated %v), want all redone after a new generation", got, res.Generated)
	}
	if n := strings.Count(readFile(t, filepath.Join(rec, "commands.log")), "\noutput "); n != 2 {
		t.Errorf("process generated %d times, want 2", n)
	}
}

// TestOutputsIncomplete checks that a run without its fingerprint (as an
// interrupted run leaves it, with or without an event file) is listed as
// incomplete, and the others as complete.
func TestOutputsIncomplete(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(res.Plan.WorkDir, "runs", "bsm", "goldmine.fingerprint")); err != nil {
		t.Fatal(err)
	}
	outs, err := Outputs(res.Plan.WorkDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 3 {
		t.Fatalf("%d outputs, want 3", len(outs))
	}
	for _, o := range outs {
		if o.Complete != (o.Run != "bsm") {
			t.Errorf("run %s: complete %v", o.Run, o.Complete)
		}
	}
}
