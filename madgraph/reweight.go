// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/internal/quote"
)

// ReweightJob adds benchmark weights to an event sample MG5 has already
// generated (MadMiner's reweight_existing_sample).
type ReweightJob struct {
	// Name names the job's cards, script and log; letters, digits, '_',
	// '-' and '.'.
	Name string
	// ProcessDir is the MG5 process folder holding Events/MGRun.
	ProcessDir string
	// MGRun is MG5's run name, e.g. "run_01".
	MGRun string
	// SampleBenchmark is the benchmark the sample was generated at; it
	// gets no weight of its own (the event weight is its weight).
	SampleBenchmark string
}

// Reweight writes the reweight card for the benchmarks of cfg.Setup and the
// script WORKDIR/scripts/reweight_NAME.sh, which copies the card into the
// process folder and calls its "bin/madevent reweight MGRUN -f". Unless
// cfg.OnlyPrepare it runs the script (log WORKDIR/logs/reweight_NAME.log,
// cfg.Timeout applies) and checks that the events now carry every weight.
// Of cfg it uses Setup, WorkDir, Timeout, InitialCommand, OnlyPrepare and
// Log.
func Reweight(ctx context.Context, cfg *Config, job ReweightJob) (*RunResult, error) {
	if err := checkName(job.Name); err != nil {
		return nil, fmt.Errorf("madgraph: reweight job: %w", err)
	}
	if !mgRunName.MatchString(job.MGRun) || checkName(job.MGRun) != nil {
		return nil, fmt.Errorf("madgraph: reweight job %q: invalid MG5 run name %q", job.Name, job.MGRun)
	}
	if cfg.WorkDir == "" {
		return nil, fmt.Errorf("madgraph: no work folder")
	}
	work, err := filepath.Abs(cfg.WorkDir)
	if err != nil {
		return nil, fmt.Errorf("madgraph: could not resolve work folder: %w", err)
	}
	proc, err := filepath.Abs(job.ProcessDir)
	if err != nil {
		return nil, fmt.Errorf("madgraph: could not resolve process folder: %w", err)
	}
	for _, p := range []string{work, proc} {
		if strings.ContainsAny(p, " \t\n'\"$`\\") {
			return nil, fmt.Errorf("madgraph: folder %q: MG5 and the scripts need a path without spaces, quotes, '$', '`' or '\\'", p)
		}
	}
	lhe := filepath.Join(proc, "Events", job.MGRun, "unweighted_events.lhe.gz")
	if _, err := os.Stat(lhe); err != nil {
		return nil, fmt.Errorf("madgraph: reweight job %q: no sample to reweight: %w", job.Name, err)
	}
	cw, err := NewCardWriter(cfg.Setup)
	if err != nil {
		return nil, err
	}
	names := cw.ReweightNames(job.SampleBenchmark)
	if len(names) == 0 {
		return nil, fmt.Errorf("madgraph: reweight job %q: no benchmark to reweight to", job.Name)
	}
	var buf bytes.Buffer
	if err := cw.ReweightCard(&buf, job.SampleBenchmark); err != nil {
		return nil, err
	}
	cardDir := filepath.Join(work, "cards", "reweight_"+job.Name)
	for _, d := range []string{cardDir, filepath.Join(work, "scripts"), filepath.Join(work, "logs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("madgraph: could not create job folder: %w", err)
		}
	}
	if err := writeFileAtomic(filepath.Join(cardDir, "reweight_card.dat"), buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	p := &Plan{WorkDir: work, cfg: cfg}
	script := filepath.Join(work, "scripts", "reweight_"+job.Name+".sh")
	var s strings.Builder
	s.WriteString(scriptHead(p, fmt.Sprintf("add the weights of %d benchmarks to %s of %s.", len(names), job.MGRun, proc),
		"bash scripts/reweight_"+job.Name+".sh", false))
	fmt.Fprintf(&s, "P=%s\nC=\"$W/cards/reweight_\"%s\n", quote.Shell(proc), quote.Shell(job.Name))
	s.WriteString(`if [ ! -x "$P/bin/madevent" ]; then
  echo "goldmine: $P/bin/madevent missing: not an MG5 process folder" >&2
  exit 2
fi
cp "$C/reweight_card.dat" "$P/Cards/reweight_card.dat"
`)
	fmt.Fprintf(&s, "\"$P/bin/madevent\" reweight %s -f < /dev/null\n", quote.Shell(job.MGRun))
	if err := writeFileAtomic(script, []byte(s.String()), 0o755); err != nil {
		return nil, err
	}
	log := filepath.Join(work, "logs", "reweight_"+job.Name+".log")
	rr := &RunResult{Name: job.Name, Log: log, Status: StatusNotRun}
	if cfg.OnlyPrepare {
		return rr, nil
	}
	p.logf("madgraph: reweighting %s of %s (log %s)\n", job.MGRun, proc, log)
	start := time.Now()
	err = p.exec(ctx, script, log)
	rr.Duration = time.Since(start)
	lines := scanLog(log, 10)
	if err == nil {
		err = CheckLHE(lhe, names)
	}
	if err != nil {
		rr.Status = StatusFailed
		rr.Err = runError(job.Name, log, err, lines)
		return rr, rr.Err
	}
	rr.Status = StatusDone
	rr.LHE = lhe
	rr.Warnings = lines
	return rr, nil
}
