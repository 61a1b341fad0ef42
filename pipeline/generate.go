// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/madgraph"
	"github.com/goldmine-hep/goldmine/store"
)

// GenerateResult summarises goldmine generate.
type GenerateResult struct {
	WorkDir  string               `json:"workdir"`
	RunAll   string               `json:"run_all"`
	MG5      string               `json:"mg5"`
	Prepared bool                 `json:"only_prepared"`
	Runs     []madgraph.RunResult `json:"runs,omitempty"`
	Outputs  []madgraph.Output    `json:"outputs,omitempty"`
	Note     string               `json:"note,omitempty"`
}

// mgWorkDir is the job folder of the card's madgraph section.
func (e *Env) mgWorkDir() string {
	if mg := e.Card.MadGraph; mg != nil && mg.ProcessDir != "" {
		return e.Card.ResolvePath(mg.ProcessDir)
	}
	return e.Path("madgraph")
}

// madgraphConfig maps the card to the madgraph package: the benchmarks
// (including an optimised basis) come from setup.h5, so MG5 reweights to
// exactly the points the morphing uses.
func madgraphConfig(e *Env, onlyPrepare bool) (*madgraph.Config, error) {
	c := e.Card
	mg := c.MadGraph
	if mg == nil {
		return nil, fmt.Errorf("pipeline: %s: no madgraph section", c.Path)
	}
	// The benchmarks come from the setup: make it first if it is missing,
	// so that goldmine generate works on a fresh work folder.
	if _, err := os.Stat(e.Path("setup.h5")); errors.Is(err, fs.ErrNotExist) {
		if _, err := Setup(e); err != nil {
			return nil, err
		}
	}
	setup, err := store.ReadSetup(e.Path("setup.h5"))
	if err != nil {
		return nil, inputErr(err, "generate needs the setup", "setup")
	}
	cfg := &madgraph.Config{
		MG5:               c.ResolvePath(mg.Dir),
		Python:            mg.Python,
		CoresPerRun:       mg.CoresPerRun,
		ProcCard:          c.ResolvePath(mg.ProcCard),
		ParamCardTemplate: c.ResolvePath(mg.ParamCardTemplate),
		RunCard:           c.ResolvePath(mg.RunCard),
		WorkDir:           e.mgWorkDir(),
		Parallel:          mg.Parallel,
		OnlyPrepare:       onlyPrepare,
		Log:               e.Log,
	}
	if mg.Timeout != "" {
		if cfg.Timeout, err = time.ParseDuration(mg.Timeout); err != nil {
			return nil, fmt.Errorf("pipeline: %s: madgraph.timeout: %w", c.Path, err)
		}
	}
	if mg.Python != "" && strings.ContainsRune(mg.Python, '/') {
		cfg.Python = c.ResolvePath(mg.Python)
	}
	if mg.UFOModel != "" {
		cfg.UFOModel = c.ResolvePath(mg.UFOModel)
	}
	for _, p := range c.Parameters {
		cfg.Setup.Parameters = append(cfg.Setup.Parameters, madgraph.Parameter{Name: p.Name, Block: p.LHABlock, ID: p.LHAID, Transform: p.ParamCardTransform})
	}
	for _, b := range setup.Benchmarks {
		if b.IsNuisance {
			continue
		}
		vals := make(map[string]float64)
		for i, p := range c.Parameters {
			vals[p.Name] = b.Values[i]
		}
		cfg.Setup.Benchmarks = append(cfg.Setup.Benchmarks, madgraph.Benchmark{Name: b.Name, Values: vals})
	}
	for _, s := range c.Systematics {
		ms := madgraph.Systematic{Name: s.Name, Type: s.Type, Scale: s.Scale, Variations: s.Factors, PDF: s.PDF}
		if ms.PDF == "" && s.PDFID != 0 {
			ms.PDF = strconv.Itoa(s.PDFID)
		}
		cfg.Systematics = append(cfg.Systematics, ms)
	}
	if mg.Cluster != nil {
		cfg.Cluster = &madgraph.Cluster{Type: mg.Cluster.Type, Queue: mg.Cluster.Queue, NbCore: mg.Cluster.NbCore}
	}
	cfg.Runs = mgRuns(e)
	return cfg, nil
}

// generate prepares and, where MG5 is installed, runs the card's MadGraph
// campaign. Without MG5 it writes the job folder with its scripts and says
// so; it is not an error then.
//
// With a job, the name of one MG5 job (a generate shard), it runs that
// job only, under the lock of the job folder that the shards share while
// it writes the folder (Env.processLock); MG5 must be there then.
func generate(ctx context.Context, e *Env, onlyPrepare bool, job string) (*GenerateResult, error) {
	cfg, err := madgraphConfig(e, onlyPrepare)
	if err != nil {
		return nil, err
	}
	if job != "" {
		cfg.Only, cfg.ProcessLock = []string{job}, e.processLock
	}
	if e.Card.MadGraph.ProcessDir == "" {
		// The job folder inside the working directory is made through
		// the root, which refuses a symbolic link planted as
		// WORKDIR/madgraph that leads elsewhere. (MG5 and the job's
		// scripts then write by path, inside the folder.)
		root, err := e.Root()
		if err != nil {
			return nil, err
		}
		if err := root.MkdirAll("madgraph", 0o755); err != nil {
			return nil, fmt.Errorf("pipeline: could not create the MadGraph job folder: %w", err)
		}
	}
	if onlyPrepare {
		plan, err := madgraph.Prepare(cfg)
		if err != nil {
			return nil, err
		}
		return &GenerateResult{WorkDir: plan.WorkDir, RunAll: plan.RunAll, MG5: plan.MG5, Prepared: true,
			Note: "job folder written; run " + plan.RunAll + " (or goldmine generate without --only-prepare) to generate events"}, nil
	}
	res, err := madgraph.Generate(ctx, cfg)
	out := &GenerateResult{}
	if res != nil && res.Plan != nil {
		out.WorkDir, out.RunAll, out.MG5 = res.Plan.WorkDir, res.Plan.RunAll, res.Plan.MG5
		out.Runs = res.Runs
	}
	if errors.Is(err, madgraph.ErrMG5NotFound) && job == "" {
		out.Prepared = true
		out.Note = err.Error()
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.Outputs, err = madgraph.Outputs(cfg.WorkDir)
	return out, err
}

// generateComplete checks that every MG5 job of the card is complete
// (the generate shards ran) without running any, and returns what
// generate would have returned.
func generateComplete(ctx context.Context, e *Env) (*GenerateResult, error) {
	cfg, err := madgraphConfig(e, false)
	if err != nil {
		return nil, err
	}
	cfg.ProcessLock = e.processLock
	res, err := madgraph.Completed(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", e.Card.Path, err)
	}
	out := &GenerateResult{WorkDir: res.Plan.WorkDir, RunAll: res.Plan.RunAll, MG5: res.Plan.MG5, Runs: res.Runs}
	out.Outputs, err = madgraph.Outputs(cfg.WorkDir)
	return out, err
}

// resolveMadGraphSamples points samples with madgraph_run at the LHE file
// of that run.
func resolveMadGraphSamples(e *Env) error {
	c := e.Card
	var outs []madgraph.Output
	for i := range c.Samples {
		s := &c.Samples[i]
		if s.MadGraphRun == "" || s.LHE != "" {
			continue
		}
		if outs == nil {
			// Absolute: the sample's files are named relative to the
			// card, and a relative working directory is relative to the
			// current folder.
			wd, err := filepath.Abs(e.mgWorkDir())
			if err != nil {
				return fmt.Errorf("pipeline: %w", err)
			}
			if outs, err = madgraph.Outputs(wd); err != nil {
				return err
			}
		}
		j := slices.IndexFunc(outs, func(o madgraph.Output) bool { return o.Run == s.MadGraphRun })
		if j < 0 || outs[j].LHE == "" {
			return fmt.Errorf("pipeline: %s: sample %s: madgraph run %q has no events in %s (run goldmine generate first)", c.Path, s.Name, s.MadGraphRun, e.mgWorkDir())
		}
		if !outs[j].Complete {
			return fmt.Errorf("pipeline: %s: sample %s: madgraph run %q in %s is incomplete (interrupted, failed or made from other cards): run goldmine generate to redo it", c.Path, s.Name, s.MadGraphRun, e.mgWorkDir())
		}
		s.LHE = outs[j].LHE
		// MG5's own Pythia 8 shower (madgraph.pythia8_card): Delphes
		// runs on its HepMC file, the weights stay the LHE file's.
		if h := outs[j].HepMC; c.Delphes != nil && s.HepMC == "" && len(h) > 0 {
			if len(h) > 1 {
				return fmt.Errorf("pipeline: %s: sample %s: madgraph run %q has %d HepMC files (%s): name one as the sample's hepmc", c.Path, s.Name, s.MadGraphRun, len(h), strings.Join(h, ", "))
			}
			s.HepMC = h[0]
		}
		if s.SampledFrom == "" && !s.Background {
			s.SampledFrom, s.Background = outs[j].SampleBenchmark, outs[j].Background
		}
	}
	return nil
}
