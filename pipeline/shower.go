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
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/shower"
	"github.com/goldmine-hep/goldmine/stage"
)

// ShowerResult summarises goldmine shower.
type ShowerResult struct {
	Program string         `json:"program"`
	Samples []ShowerSample `json:"samples"`
}

// ShowerSample describes the shower of one sample's LHE file.
type ShowerSample struct {
	Name  string `json:"name"`
	LHE   string `json:"lhe"`
	HepMC string `json:"hepmc"`
	Log   string `json:"log"`
	Seed  int    `json:"seed"`
	// LHEEvents were showered into Events HepMC events; Dropped LHE
	// events have none (allowed by the sample's allow_dropped), found by
	// Pairing (delphes.PairReport.Mode).
	LHEEvents int     `json:"lhe_events"`
	Events    int     `json:"events"`
	Dropped   int     `json:"dropped"`
	Pairing   string  `json:"pairing"`
	Seconds   float64 `json:"seconds"`
}

// ShowerUnit showers the LHE file of every sample that the shower
// section takes (showered) with Pythia 8 into WORKDIR/shower/NAME.hepmc,
// each with its own seed from the campaign seed ("shower/NAME"). Its
// samples have the LHE files of MadGraph runs resolved.
type ShowerUnit struct{ resolvedUnit }

// resolvedSamples returns the card's samples with the LHE files of
// MadGraph runs resolved and, if showers, the showered samples pointed at
// their HepMC files (resolveShowerSamples).
func resolvedSamples(e *Env, showers bool) ([]cards.Sample, error) {
	c := *e.Card
	// A sample of a MadGraph run of several jobs is a sample for each
	// job's file (expandSamples).
	c.Samples = expandSamples(&c)
	r := *e
	r.Card = &c
	if err := resolveMadGraphSamples(&r); err != nil {
		return nil, err
	}
	if showers {
		if err := resolveShowerSamples(&r); err != nil {
			return nil, err
		}
	}
	return c.Samples, nil
}

// showered reports whether the shower section showers sample s (with
// the LHE files of MadGraph runs resolved): a sample with an LHE file and
// no HepMC or Delphes file of its own.
func showered(c *cards.Card, s *cards.Sample) bool {
	return c.Shower != nil && s.LHE != "" && s.HepMC == "" && s.Delphes == "" && s.Simulator == nil
}

// showerOutput is the HepMC file the shower makes of sample name.
func (e *Env) showerOutput(name string) string { return e.Path("shower", name+".hepmc") }

// showerProgram returns the Pythia 8 program of the shower section: the
// card's (relative to the card if it has a slash), else bin/main42 of
// $GOLDMINE_PYTHIA8, else main42 (looked up in PATH by shower.Run).
func showerProgram(c *cards.Card) string {
	p := c.Shower.Program
	switch {
	case p != "" && strings.ContainsRune(p, '/'):
		return c.ResolvePath(p)
	case p != "":
		return p
	case os.Getenv("GOLDMINE_PYTHIA8") != "":
		return filepath.Join(os.Getenv("GOLDMINE_PYTHIA8"), "bin", "main42")
	}
	return "main42"
}

func (u *ShowerUnit) Inputs() ([]string, error) {
	c := u.env.Card
	var in []string
	if p := showerProgram(c); strings.ContainsRune(p, '/') {
		in = append(in, p)
	} else if lp, err := exec.LookPath(p); err == nil {
		in = append(in, lp)
	}
	if c.Shower.CommandFile != "" {
		in = append(in, c.ResolvePath(c.Shower.CommandFile))
	}
	for i := range u.samples {
		if s := &u.samples[i]; showered(c, s) {
			in = append(in, c.ResolvePath(s.LHE))
		}
	}
	return in, nil
}

func (u *ShowerUnit) Outputs() []string {
	var out []string
	for i := range u.samples {
		if s := &u.samples[i]; showered(u.env.Card, s) {
			out = append(out, u.env.showerOutput(s.Name))
		}
	}
	return out
}

func (u *ShowerUnit) Run(ctx context.Context) (any, error) {
	return runResolved(&u.resolvedUnit, func(e *Env) (*ShowerResult, error) { return showerStage(ctx, e) })
}

// showerSeed is the Pythia seed of sample name: from the campaign seed,
// the stage and the sample, in Pythia's range 1 to shower.MaxSeed.
func (e *Env) showerSeed(name string) int {
	return 1 + e.rng("shower/"+name).IntN(shower.MaxSeed)
}

// showerStage runs Pythia 8 on the LHE file of every showered sample.
func showerStage(ctx context.Context, e *Env) (*ShowerResult, error) {
	c := e.Card
	sh := c.Shower
	if sh == nil {
		return nil, fmt.Errorf("pipeline: %s: no shower section", c.Path)
	}
	var timeout time.Duration
	if sh.Timeout != "" {
		var err error
		if timeout, err = time.ParseDuration(sh.Timeout); err != nil {
			return nil, fmt.Errorf("pipeline: %s: shower.timeout: %w", c.Path, err)
		}
	}
	res := &ShowerResult{Program: showerProgram(c)}
	var todo []*cards.Sample
	for i := range c.Samples {
		if s := &c.Samples[i]; showered(c, s) {
			todo = append(todo, s)
		}
	}
	if len(todo) == 0 {
		return nil, fmt.Errorf("pipeline: %s: the shower section has no sample to shower (samples with an lhe file or a madgraph_run, and no hepmc or delphes file)", c.Path)
	}
	for _, dir := range []string{e.Path("shower"), e.Path("logs")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	for k, s := range todo {
		cfg := shower.Config{
			Program:      res.Program,
			Data:         c.ResolvePath(sh.Data),
			CommandFile:  c.ResolvePath(sh.CommandFile),
			Settings:     sh.Settings,
			Events:       s.MaxEvents,
			Seed:         e.showerSeed(s.Name),
			LogFile:      e.Path("logs", "shower_"+s.Name+".log"),
			AllowDropped: s.AllowDropped,
			Progress:     e.Log,
		}
		in, out := c.ResolvePath(s.LHE), e.showerOutput(s.Name)
		e.logf("shower: sample %s (%d of %d): Pythia 8 on %s, seed %d (log %s)\n", s.Name, k+1, len(todo), in, cfg.Seed, cfg.LogFile)
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			rctx, cancel = context.WithTimeout(ctx, timeout)
		}
		r, err := shower.Run(rctx, cfg, in, out)
		cancel()
		if err != nil {
			return res, fmt.Errorf("pipeline: sample %s: %w", s.Name, err)
		}
		ss := ShowerSample{Name: s.Name, LHE: in, HepMC: out, Log: r.Log, Seed: cfg.Seed,
			LHEEvents: r.LHEEvents, Events: r.Events, Seconds: r.Duration.Seconds()}
		if r.Pairing != nil {
			ss.Dropped, ss.Pairing = r.Pairing.Dropped, r.Pairing.Mode
		}
		if ss.Dropped > 0 {
			e.logf("warning: shower: sample %s: Pythia 8 dropped %d of %d LHE events (allowed by allow_dropped)\n", s.Name, ss.Dropped, ss.LHEEvents)
		}
		res.Samples = append(res.Samples, ss)
	}
	return res, nil
}

// resolveShowerSamples points the showered samples at their HepMC files,
// which must have been made: with a delphes section, Delphes runs on
// them and the weights stay the LHE file's (paired); without one, the
// HepMC file is analysed at generator level with its own weights (which
// the shower checked against the LHE file's).
func resolveShowerSamples(e *Env) error {
	c := e.Card
	for i := range c.Samples {
		s := &c.Samples[i]
		if !showered(c, s) {
			continue
		}
		out := e.showerOutput(s.Name)
		if _, err := os.Stat(out); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pipeline: %s: sample %s: no shower of its events in %s (run goldmine shower first)", c.Path, s.Name, out)
		}
		// Absolute, as the LHE files of MadGraph runs: sample files are
		// named relative to the card.
		var err error
		if s.HepMC, err = filepath.Abs(out); err != nil {
			return fmt.Errorf("pipeline: %w", err)
		}
		if c.Delphes == nil {
			s.LHE, s.Weights = "", "hepmc"
		}
	}
	return nil
}

var _ stage.Unit = (*ShowerUnit)(nil)
