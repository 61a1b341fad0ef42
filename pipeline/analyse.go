// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"
	"math"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/analysis"
	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/progress"
	"github.com/goldmine-hep/goldmine/observables"
	"github.com/goldmine-hep/goldmine/store"
)

// AnalyseResult summarises goldmine analyse.
type AnalyseResult = analysis.Result

// SampleSummary describes one input sample.
type SampleSummary = analysis.SampleResult

// compiledAnalysis is the compiled analysis of a card.
type compiledAnalysis struct {
	*observables.Analysis
	names, defs, cutNames, effNames []string
	det                             *observables.Detector
}

func compileAnalysis(c *cards.Card) (*compiledAnalysis, error) {
	a := &compiledAnalysis{}
	var obs []observables.Observable
	for _, o := range c.Observables {
		def := math.NaN()
		if o.Default != nil {
			def = *o.Default
		}
		obs = append(obs, observables.Observable{Name: o.Name, Definition: o.Expr, Required: *o.Required, Default: def})
		a.names = append(a.names, o.Name)
		a.defs = append(a.defs, o.Expr)
	}
	if len(obs) == 0 {
		return nil, fmt.Errorf("pipeline: %s: no observables: the events file needs at least one", c.Path)
	}
	// An unnamed cut or efficiency is named by its index and expression.
	label := func(i int, name, expr string) string {
		if name == "" {
			return fmt.Sprintf("%d (%s)", i, expr)
		}
		return name
	}
	var cuts []observables.Cut
	for i, cut := range c.Cuts {
		cuts = append(cuts, observables.Cut{Definition: cut.Expr, PassIfUndefined: cut.PassIfNotComputable})
		a.cutNames = append(a.cutNames, label(i, cut.Name, cut.Expr))
	}
	var effs []observables.Efficiency
	for i, e := range c.Efficiencies {
		effs = append(effs, observables.Efficiency{Definition: e.Expr, ValueIfUndefined: e.Default})
		a.effNames = append(a.effNames, label(i, e.Name, e.Expr))
	}
	an, err := observables.NewAnalysis(obs, cuts, effs)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", c.Path, err)
	}
	a.Analysis = an
	det, err := detector(c)
	if err != nil {
		return nil, err
	}
	a.det = det
	return a, nil
}

func resolution(r *cards.Resolution) observables.Resolution {
	if r == nil {
		return observables.Resolution{}
	}
	return observables.Resolution{Abs: r.Absolute, Rel: r.Relative}
}

// detector maps the card's smearing and acceptance to observables.Detector;
// nil when there is neither.
func detector(c *cards.Card) (*observables.Detector, error) {
	if c.Smearing == nil && len(c.Acceptance) == 0 {
		return nil, nil
	}
	d := &observables.Detector{}
	if s := c.Smearing; s != nil {
		for _, o := range s.Objects {
			sm := observables.Smearing{E: resolution(o.Energy), Pt: resolution(o.Pt), Eta: resolution(o.Eta), Phi: resolution(o.Phi)}
			// MadMiner's on-shell derivation: an unsmeared energy with a
			// smeared pT is derived, and vice versa.
			if o.Energy == nil && o.Pt != nil {
				sm.E.Derived = true
			} else if o.Pt == nil && o.Energy != nil {
				sm.Pt.Derived = true
			}
			d.SetSmearing(sm, o.PDGIDs...)
		}
		if s.METNoise != nil {
			d.METNoise = resolution(s.METNoise)
		}
	}
	for _, acc := range c.Acceptance {
		cut := observables.ObjectCut{PtMin: acc.PtMin, EtaMax: acc.EtaMax}
		switch acc.Object {
		case "e":
			d.Acceptance.E = cut
		case "mu":
			d.Acceptance.Mu = cut
		case "a":
			d.Acceptance.A = cut
		case "j":
			d.Acceptance.J = cut
		}
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("pipeline: %s: smearing: %w", c.Path, err)
	}
	return d, nil
}

// analyse reads the card's samples, evaluates observables, cuts and
// efficiencies, attaches one weight per benchmark and writes
// WORKDIR/events.h5 (package analysis).
func analyse(ctx context.Context, e *Env) (*AnalyseResult, error) {
	return analyseInto(ctx, e, "events.h5", nil)
}

// analyseInto is analyse into the file out of the working directory; with
// a part, of that sample only, into a partial events file
// (analysis.Config.Part).
func analyseInto(ctx context.Context, e *Env, out string, part *analysis.Part) (*AnalyseResult, error) {
	c := e.Card
	if files := madMinerFiles(c); len(files) > 0 {
		return analyseFiles(e, files)
	}
	setup, err := store.ReadSetup(e.Path("setup.h5"))
	if err != nil {
		return nil, inputErr(err, "analyse needs the setup", "setup")
	}
	if err := resolveMadGraphSamples(e); err != nil {
		return nil, err
	}
	an, err := compileAnalysis(c)
	if err != nil {
		return nil, err
	}
	if len(c.Samples) == 0 {
		return nil, fmt.Errorf("pipeline: %s: no samples to analyse", c.Path)
	}
	ns, err := buildNuisance(c)
	if err != nil {
		return nil, err
	}
	cfg := &analysis.Config{
		Setup: *setup, Systematics: ns, Analysis: an.Analysis,
		ObservableNames: an.names, ObservableDefinitions: an.defs, CutNames: an.cutNames, EfficiencyNames: an.effNames,
		Detector: an.det, Seed: e.Seed, Shuffle: *c.Shuffle, SpillDir: filepath.Dir(out), Part: part,
	}
	for i, s := range c.Samples {
		if part != nil && i != part.Sample {
			// Only the part's sample is read; the others count for
			// the normalisation.
			cfg.Samples = append(cfg.Samples, analysis.Sample{Name: s.Name, SampledFrom: s.SampledFrom, Background: s.Background})
			continue
		}
		as := analysis.Sample{Name: s.Name, SampledFrom: s.SampledFrom, Background: s.Background,
			Systematics: s.Systematics, MaxEvents: s.MaxEvents, Weights: analysis.WeightSource(s.Weights),
			EventNorm: s.EventNorm, KFactor: s.KFactor, AllowTruncated: s.AllowTruncated, DropNonFinite: s.DropNonFinite,
			AllowDropped: s.AllowDropped}
		switch {
		case s.Simulator != nil:
			return nil, fmt.Errorf("pipeline: %s: sample %s: simulator samples are not supported by analyse yet", c.Path, s.Name)
		case s.Delphes != "" || (s.HepMC != "" && c.Delphes != nil):
			if as.Delphes, err = delphesFile(ctx, e, c, s); err != nil {
				return nil, err
			}
			if c.Delphes != nil {
				as.DelphesTree = c.Delphes.Tree
			}
			if cfg.Collections == nil {
				if cfg.Collections, err = collectionsFor(c); err != nil {
					return nil, fmt.Errorf("pipeline: %s: %w", c.Path, err)
				}
			}
		}
		if s.LHE != "" {
			as.LHE = c.ResolvePath(s.LHE)
		}
		if s.HepMC != "" {
			as.HepMC = c.ResolvePath(s.HepMC)
		}
		cfg.Samples = append(cfg.Samples, as)
	}
	prog := progress.New(e.Log, "analyse")
	cfg.Progress = func(int) { prog.Tick(1) }
	root, err := e.Root()
	if err != nil {
		return nil, err
	}
	res, err := analysis.RunIn(root, out, cfg)
	prog.Done()
	if err != nil {
		return nil, err
	}
	for _, wmsg := range res.Warnings {
		e.logf("warning: %s\n", wmsg)
	}
	return res, nil
}
