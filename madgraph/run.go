// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goldmine-hep/goldmine/internal/extprog"
)

// ErrMG5NotFound reports that no MG5 installation was found. Generate
// returns it (wrapped) after writing the complete job folder.
var ErrMG5NotFound = errors.New("madgraph: MadGraph5_aMC not found")

// Status of a run after Generate.
type Status string

const (
	StatusDone     Status = "done"     // ran and produced complete output
	StatusComplete Status = "complete" // output already complete; skipped
	StatusFailed   Status = "failed"   // ran and failed; see Err
	StatusNotRun   Status = "not run"  // cancelled, or only prepared
)

// RunResult is the outcome of one run.
type RunResult struct {
	Name   string
	Status Status
	// LHE is the run's unweighted_events.lhe.gz, when there is one.
	LHE string
	// Log is the run's log file.
	Log      string
	Duration time.Duration
	// Warnings are MG5 error lines found in the log of a run whose output
	// is nevertheless complete.
	Warnings []string
	Err      error
}

// Result is the outcome of Generate. Generate also writes it to
// WORKDIR/results.json once it has started MG5.
type Result struct {
	Plan *Plan
	// Generated reports whether the process folder was made by this call.
	Generated bool
	// GenerateErr is the failure of the process generation, if any.
	GenerateErr error
	Runs        []RunResult
}

// resultsName is the file in the job folder that records the last Generate.
const resultsName = "results.json"

type runJSON struct {
	Name     string   `json:"name"`
	Status   Status   `json:"status"`
	LHE      string   `json:"lhe,omitempty"`
	Log      string   `json:"log"`
	Seconds  float64  `json:"seconds"`
	Error    string   `json:"error,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

type resultJSON struct {
	WorkDir       string    `json:"workdir"`
	Generated     bool      `json:"generated"`
	GenerateError string    `json:"generate_error,omitempty"`
	Runs          []runJSON `json:"runs"`
}

func (r *Result) write(path string) error {
	out := resultJSON{WorkDir: r.Plan.WorkDir, Generated: r.Generated}
	if r.GenerateErr != nil {
		out.GenerateError = r.GenerateErr.Error()
	}
	for _, rr := range r.Runs {
		j := runJSON{Name: rr.Name, Status: rr.Status, LHE: rr.LHE, Log: rr.Log, Seconds: rr.Duration.Seconds(), Warnings: rr.Warnings}
		if rr.Err != nil {
			j.Error = rr.Err.Error()
		}
		out.Runs = append(out.Runs, j)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("madgraph: %w", err)
	}
	return writeFileAtomic(path, append(b, '\n'), 0o644)
}

// RunError is the error of a failed MG5 step: the process generation
// (Run "generate") or one run.
type RunError struct {
	Run string
	// Log is the log file with MG5's output.
	Log string
	// ExitCode is the script's exit status (-1 if it did not exit).
	ExitCode int
	// MG5Errors are the error lines MG5 wrote to the log.
	MG5Errors []string
	// Err is the cause: an *exec.ExitError, context.DeadlineExceeded for a
	// timeout, ErrNoEvents for missing or incomplete output, ...
	Err error
}

func (e *RunError) Error() string {
	var b strings.Builder
	if e.Run == "generate" {
		b.WriteString("madgraph: generating the process folder failed")
	} else {
		fmt.Fprintf(&b, "madgraph: run %q failed", e.Run)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %s", strings.TrimPrefix(e.Err.Error(), "madgraph: "))
	}
	fmt.Fprintf(&b, " (log %s)", e.Log)
	for _, l := range e.MG5Errors {
		fmt.Fprintf(&b, "\n\tMG5: %s", l)
	}
	return b.String()
}

func (e *RunError) Unwrap() error { return e.Err }

// mg5ErrorLine matches the lines by which MG5 reports errors (see
// madgraph/interface/extended_cmd.py: nice_user_error, nice_config_error,
// default):
//
//	Command "generate p p > z hh" interrupted with error:
//	Command "launch" interrupted in sub-command:
//	InvalidCmd : No particle hh in model
//	Error detected in "generate_events run_01"
//	Command "impor" not recognized, please try again
//
// possibly after a logging level ("INFO: ", "ERROR: "), and the
// "goldmine: ..." failure lines of the scripts themselves.
var mg5ErrorLine = regexp.MustCompile(`interrupted with error|interrupted in sub-command|^(?:[A-Z]+:\s*)?(?:\w+\.)*(?:\w*Error|InvalidCmd|\w*Exception)\s*:|Error detected|^(?:[A-Z]+:\s*)?Command ".*" not (?:valid|recognized)|^goldmine: .*(?:missing|no |not |failed)`)

// ansiEscape matches the colour codes MG5 writes around some messages.
var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// scanLog returns at most max MG5 error lines of the log at path.
func scanLog(path string, max int) []string {
	return extprog.Grep(path, max, func(line string) []string {
		l := strings.TrimSpace(ansiEscape.ReplaceAllString(line, ""))
		// The second "done" of a launch file is harmless where an MG5
		// version does not ask the card-editing question.
		if l == "" || !mg5ErrorLine.MatchString(l) || strings.Contains(l, `Command "done" not`) {
			return nil
		}
		return []string{l}
	})
}

// Generate prepares the job folder (see Prepare) and, unless
// cfg.OnlyPrepare, runs it: the process folder is generated once, then the
// runs go, up to cfg.Parallel at a time. Complete runs are skipped unless
// cfg.Force. Without an MG5 installation it returns, after preparing, an
// error wrapping ErrMG5NotFound. Failed runs give *RunError values, joined.
func Generate(ctx context.Context, cfg *Config) (res *Result, err error) {
	release := func() {}
	if cfg.ProcessLock != nil {
		if release, err = cfg.ProcessLock(ctx); err != nil {
			return nil, err
		}
	}
	// Released once the process folder is there (or on an early return).
	defer func() { release() }()
	plan, err := Prepare(cfg)
	if err != nil {
		return nil, err
	}
	res = &Result{Plan: plan}
	for _, pr := range plan.Runs {
		res.Runs = append(res.Runs, RunResult{Name: pr.Name, Status: StatusNotRun, Log: pr.Log})
	}
	plan.logf("madgraph: job folder %s prepared (%d runs)\n", plan.WorkDir, len(plan.Runs))

	// Which runs are complete already?
	var todo []int
	for i, pr := range plan.Runs {
		if len(cfg.Only) > 0 && !slices.Contains(cfg.Only, pr.Name) {
			continue
		}
		if !cfg.Force {
			if lhe := lastLHE(pr.Dir); lhe != "" && pr.upToDate() && CheckLHE(lhe, pr.Weights) == nil {
				res.Runs[i].Status = StatusComplete
				res.Runs[i].LHE = lhe
				plan.logf("madgraph: run %s already complete (%s), skipped\n", pr.Name, lhe)
				continue
			}
		}
		todo = append(todo, i)
	}
	if cfg.OnlyPrepare || len(todo) == 0 {
		return res, nil
	}
	if !plan.MG5Found {
		return res, fmt.Errorf("%w (looked for %s): the job folder %s is ready; run %s where MG5 is installed (MG5_AMC=/path/to/bin/mg5_aMC)",
			ErrMG5NotFound, plan.MG5, plan.WorkDir, plan.RunAll)
	}
	if err := plan.Preflight(ctx); err != nil {
		return res, err
	}
	if len(cfg.Only) == 0 {
		// Runs of their own (Only) share the job folder: results.json
		// is the record of a whole campaign only.
		defer func() {
			if werr := res.write(filepath.Join(plan.WorkDir, resultsName)); werr != nil {
				err = errors.Join(err, werr)
			}
		}()
	}

	if !plan.processReady() {
		plan.logf("madgraph: generating the process folder (log %s)\n", plan.GenerateLog)
		err := plan.exec(ctx, plan.GenerateScript, plan.GenerateLog)
		res.GenerateErr = err
		lines := scanLog(plan.GenerateLog, 10)
		if err == nil && len(lines) > 0 {
			err = errors.New("MG5 reported errors")
		}
		if err == nil && !plan.processReady() {
			err = fmt.Errorf("no process folder %s", plan.ProcessDir)
		}
		if err != nil {
			res.GenerateErr = runError("generate", plan.GenerateLog, err, lines)
			return res, res.GenerateErr
		}
		res.GenerateErr = nil
		res.Generated = true
	}
	release()
	release = func() {}

	n := max(cfg.Parallel, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, i := range todo {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			rr := plan.runOne(ctx, plan.Runs[i])
			mu.Lock()
			defer mu.Unlock()
			res.Runs[i] = rr
			if rr.Err != nil && rr.Status == StatusFailed {
				errs = append(errs, rr.Err)
				if !cfg.KeepGoing {
					cancel()
				}
			}
		}(i)
	}
	wg.Wait()
	if len(errs) == 0 {
		if err := ctx.Err(); err != nil {
			var left []string
			for _, rr := range res.Runs {
				if rr.Status == StatusNotRun {
					left = append(left, rr.Name)
				}
			}
			return res, fmt.Errorf("madgraph: interrupted (%w): runs %s not finished and left incomplete; generating again redoes them and keeps the complete ones",
				err, strings.Join(left, ", "))
		}
	}
	return res, errors.Join(errs...)
}

// Completed prepares the job folder of cfg (see Prepare), under
// cfg.ProcessLock, and returns the result of a Generate that found every
// run (or every run of cfg.Only) complete, without running anything; a
// run that is not complete is an error that names it. It is the check
// that the jobs of a workflow, each running one run (Config.Only), made
// the whole campaign.
func Completed(ctx context.Context, cfg *Config) (*Result, error) {
	c := *cfg
	c.OnlyPrepare, c.Force = true, false
	res, err := Generate(ctx, &c)
	if err != nil {
		return nil, err
	}
	var missing []string
	for i, rr := range res.Runs {
		if len(cfg.Only) > 0 && !slices.Contains(cfg.Only, rr.Name) {
			continue
		}
		if rr.Status != StatusComplete {
			missing = append(missing, fmt.Sprintf("%s (log %s)", rr.Name, res.Plan.Runs[i].Log))
		}
	}
	if len(missing) > 0 {
		return res, fmt.Errorf("%w: runs %s are not complete: run them first", ErrNoEvents, strings.Join(missing, ", "))
	}
	return res, nil
}

// processReady reports whether the process folder exists and was made
// from the current process card.
func (p *Plan) processReady() bool {
	fi, err := os.Stat(filepath.Join(p.ProcessDir, "bin", "generate_events"))
	return err == nil && !fi.IsDir() &&
		sameFile(filepath.Join(p.WorkDir, "cards", "proc_card.dat"), filepath.Join(p.ProcessDir, "goldmine.proc_card.dat"))
}

// upToDate reports whether the run's output was made from its current
// cards (see fingerprint).
func (pr PlannedRun) upToDate() bool {
	return sameFile(filepath.Join(pr.CardDir, "fingerprint"), filepath.Join(pr.Dir, "goldmine.fingerprint"))
}

// runOne executes one run's script and checks its output.
func (p *Plan) runOne(ctx context.Context, pr PlannedRun) RunResult {
	rr := RunResult{Name: pr.Name, Log: pr.Log, Status: StatusFailed}
	p.logf("madgraph: run %s started (log %s)\n", pr.Name, pr.Log)
	start := time.Now()
	err := p.exec(ctx, pr.Script, pr.Log)
	rr.Duration = time.Since(start)
	lines := scanLog(pr.Log, 10)
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == exitNoEvents {
		// The script's own check: MG5 ended without an event file.
		err = fmt.Errorf("%w: MG5 ended without writing Events/run_*/unweighted_events.lhe.gz (%w)", ErrNoEvents, err)
	}
	if err != nil && ctx.Err() != nil && !errors.Is(err, context.DeadlineExceeded) {
		// Cancelled because another run failed or the caller gave up.
		rr.Status = StatusNotRun
		rr.Err = runError(pr.Name, pr.Log, err, lines)
		p.logf("madgraph: run %s cancelled\n", pr.Name)
		return rr
	}
	if err == nil {
		rr.LHE = lastLHE(pr.Dir)
		if rr.LHE == "" {
			err = fmt.Errorf("%w: no Events/run_*/unweighted_events.lhe.gz in %s", ErrNoEvents, pr.Dir)
		} else if !pr.upToDate() {
			err = fmt.Errorf("%w: %s/goldmine.fingerprint not written: did the script finish?", ErrNoEvents, pr.Dir)
		} else {
			err = CheckLHE(rr.LHE, pr.Weights)
		}
	}
	if err != nil {
		rr.Err = runError(pr.Name, pr.Log, err, lines)
		p.logf("%v\n", rr.Err)
		return rr
	}
	rr.Status = StatusDone
	rr.Warnings = lines
	p.logf("madgraph: run %s done in %v: %s\n", pr.Name, rr.Duration.Round(time.Millisecond), rr.LHE)
	return rr
}

func runError(name, log string, err error, lines []string) *RunError {
	e := &RunError{Run: name, Log: log, ExitCode: -1, MG5Errors: lines, Err: err}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		e.ExitCode = ee.ExitCode()
	} else if err == nil || errors.Is(err, ErrNoEvents) {
		e.ExitCode = 0
	}
	return e
}

// exec runs a script with bash, its output going to logPath, standard
// input on /dev/null, the whole process group killed on cancellation or
// after cfg.Timeout.
func (p *Plan) exec(ctx context.Context, script, logPath string) error {
	if p.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.cfg.Timeout)
		defer cancel()
	}
	lf, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("madgraph: could not create log: %w", err)
	}
	defer lf.Close()
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir = p.WorkDir
	cmd.Stdout = lf
	cmd.Stderr = lf
	cmd.Env = p.env()
	setProcessGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		// Cancelled or timed out: nothing of the run may be left behind.
		stopGroup(cmd, 5*time.Second)
	}
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && p.cfg.Timeout > 0 {
		return fmt.Errorf("timed out after %v: %w", p.cfg.Timeout, context.DeadlineExceeded)
	}
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w: %v", ctx.Err(), err)
	}
	return err
}

// env is the environment of the scripts: the job folder, the MG5
// executable and the Python interpreter, whose folder comes first on PATH
// so that MG5's own "#!/usr/bin/env python3" scripts (the reweighting
// among them) run with it too.
func (p *Plan) env() []string {
	env := append(os.Environ(), "GOLDMINE_WORKDIR="+p.WorkDir, "MG5_AMC="+p.MG5, "GOLDMINE_PYTHON="+p.Python)
	if p.Python != "" {
		env = append(env, "PATH="+filepath.Dir(p.Python)+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	return env
}

// logf writes a progress message to cfg.Log; runs going in parallel
// write one message at a time.
func (p *Plan) logf(format string, args ...any) {
	if p.cfg.Log == nil {
		return
	}
	p.logMu.Lock()
	defer p.logMu.Unlock()
	fmt.Fprintf(p.cfg.Log, format, args...)
}
