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
	"slices"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/stage"
)

// The stage units. Each declares the card sections its stage reads; its
// configuration (stage.Unit.Config) is the seed and the canonical
// encoding of those sections, and Run calls the stage with the card
// restricted to them (cards.Sections), so that a stage cannot depend on
// what it does not declare. Simulator campaigns read their simulator from
// the samples section, so their stages declare it.

// base is what every stage unit has: the campaign environment, the unit's
// ID and its card sections.
type base struct {
	env      *Env
	id       string
	sections []string
}

func (b *base) ID() string { return b.id }

// Sections returns the card sections the unit reads.
func (b *base) Sections() []string { return b.sections }

func (b *base) Config() ([]byte, error) {
	enc, err := b.env.Card.EncodeSections(b.sections...)
	if err != nil {
		return nil, err
	}
	return append(fmt.Appendf(nil, "seed %d\n", b.env.Seed), enc...), nil
}

// run calls the stage f with the card restricted to the unit's sections.
func run[T any](b *base, f func(*Env) (T, error)) (any, error) {
	c, err := b.env.Card.Sections(b.sections...)
	if err != nil {
		return nil, err
	}
	e := *b.env
	e.Card = c
	v, err := f(&e)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// NewUnit returns the unit of stage st (one of Stages) for the card of e.
func NewUnit(e *Env, st string) (stage.Unit, error) {
	c := e.Card
	b := func(sections ...string) base {
		if c.IsSimulator() && st != "setup" && st != "analyse" {
			sections = append(sections, "samples", "benchmarks")
		}
		return base{env: e, id: st, sections: sections}
	}
	switch st {
	case "setup":
		return &SetupUnit{b("parameters", "benchmarks", "morphing", "systematics", "samples")}, nil
	case "generate":
		return &GenerateUnit{base: b("parameters", "systematics", "madgraph")}, nil
	case "shower":
		u := &ShowerUnit{resolvedUnit{base: b("shower", "samples")}}
		return u, u.resolve(false)
	case "analyse":
		u := &AnalyseUnit{resolvedUnit{base: b("samples", "observables", "cuts", "efficiencies", "acceptance", "smearing", "systematics", "shuffle", "delphes")}}
		return u, u.resolve(true)
	case "augment":
		return &AugmentUnit{b("sampling", "parameters")}, nil
	case "train":
		return &TrainUnit{b("training", "sampling", "parameters")}, nil
	case "fisher":
		return &FisherUnit{b("fisher", "parameters", "sampling")}, nil
	case "limits":
		return &LimitsUnit{b("limits", "parameters", "sampling", "training")}, nil
	case "posterior":
		return &PosteriorUnit{b("posterior", "limits", "parameters", "sampling", "training")}, nil
	case "plots":
		return &PlotsUnit{b("plots", "parameters", "fisher", "limits", "posterior", "training")}, nil
	case "study":
		return &StudyUnit{b("study", "parameters", "sampling")}, nil
	}
	return nil, fmt.Errorf("pipeline: unknown stage %q (want one of %v)", st, Stages())
}

// SetupUnit builds the morphing setup: setup.h5 from the parameters,
// benchmarks (and the LHE headers they are imported from), the morphing
// section and the systematics the samples use.
type SetupUnit struct{ base }

func (u *SetupUnit) Inputs() ([]string, error) {
	var in []string
	for _, b := range u.env.Card.Benchmarks {
		if b.FromLHE != "" {
			in = append(in, u.env.Card.ResolvePath(b.FromLHE))
		}
	}
	return append(in, madMinerFiles(u.env.Card)...), nil
}

func (u *SetupUnit) Outputs() []string                { return []string{u.env.Path("setup.h5")} }
func (u *SetupUnit) Run(context.Context) (any, error) { return run(&u.base, setup) }

// GenerateUnit writes the MadGraph job folder from the madgraph section
// and setup.h5 and, where MG5 is installed, runs it. OnlyPrepare writes
// the folder only (goldmine generate --only-prepare): a run that never
// counts as complete, and one with its own ID.
type GenerateUnit struct {
	base
	OnlyPrepare bool
}

func (u *GenerateUnit) ID() string {
	if u.OnlyPrepare {
		return "generate/prepare"
	}
	return "generate"
}

func (u *GenerateUnit) Inputs() ([]string, error) {
	in := []string{u.env.Path("setup.h5")}
	if mg := u.env.Card.MadGraph; mg != nil {
		for _, p := range []string{mg.ProcCard, mg.ParamCardTemplate, mg.RunCard, mg.Pythia8Card} {
			if p != "" {
				in = append(in, u.env.Card.ResolvePath(p))
			}
		}
		for _, r := range mg.Runs {
			if r.RunCard != "" {
				in = append(in, u.env.Card.ResolvePath(r.RunCard))
			}
		}
	}
	return in, nil
}

func (u *GenerateUnit) Outputs() []string { return []string{u.env.mgWorkDir()} }

func (u *GenerateUnit) Run(ctx context.Context) (any, error) {
	if err := u.env.setupIfMissing(); err != nil {
		return nil, err
	}
	return run(&u.base, func(e *Env) (*GenerateResult, error) { return generate(ctx, e, u.OnlyPrepare, "") })
}

// setupIfMissing makes setup.h5 from the whole card if it is missing: the
// generate stage and its shards take the benchmarks from it.
func (e *Env) setupIfMissing() error {
	if _, err := os.Stat(e.Path("setup.h5")); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	_, err := Setup(e)
	return err
}

// resolvedUnit is the base of the units that read the card's samples
// with the files of earlier stages resolved (resolvedSamples).
type resolvedUnit struct {
	base
	// samples are the card's samples with the LHE files of MadGraph runs
	// and, for analyse, the HepMC files of the shower resolved.
	samples []cards.Sample
}

// resolve resolves the samples of u when it is built; showers as in
// resolvedSamples.
func (u *resolvedUnit) resolve(showers bool) (err error) {
	u.samples, err = resolvedSamples(u.env, showers)
	return err
}

// runResolved is run with the card's samples replaced by the resolved.
func runResolved[T any](u *resolvedUnit, f func(*Env) (T, error)) (any, error) {
	return run(&u.base, func(e *Env) (T, error) {
		e.Card.Samples = u.samples
		return f(e)
	})
}

// AnalyseUnit reads the samples (LHE, HepMC, Delphes files; those of
// MadGraph runs once generate has run, and of the shower) with the
// observables, cuts, efficiencies, detector model and systematics of the
// card and writes events.h5.
type AnalyseUnit struct{ resolvedUnit }

func (u *AnalyseUnit) Inputs() ([]string, error) {
	in := []string{u.env.Path("setup.h5")}
	for _, s := range u.samples {
		for _, p := range []string{s.LHE, s.HepMC, s.Delphes, s.MadMiner} {
			if p != "" {
				in = append(in, u.env.Card.ResolvePath(p))
			}
		}
	}
	return in, nil
}

func (u *AnalyseUnit) Outputs() []string { return []string{u.env.Path("events.h5")} }

func (u *AnalyseUnit) Run(ctx context.Context) (any, error) {
	return runResolved(&u.resolvedUnit, func(e *Env) (*AnalyseResult, error) { return analyse(ctx, e) })
}

// eventsInput is events.h5 for event-file campaigns (simulator campaigns
// have none).
func (b *base) eventsInput() []string {
	if b.env.Card.IsSimulator() {
		return nil
	}
	return []string{b.env.Path("events.h5")}
}

// modelInputs are the model directories of the named trained models.
func (b *base) modelInputs(names ...string) []string {
	var in []string
	for _, m := range names {
		if m != "" && !slices.Contains(in, b.env.Path("models", m)) {
			in = append(in, b.env.Path("models", m))
		}
	}
	return in
}

// AugmentUnit draws the training and test samples of the sampling
// section from events.h5 (or from the simulator) into samples/NAME/.
type AugmentUnit struct{ base }

func (u *AugmentUnit) Inputs() ([]string, error)        { return u.eventsInput(), nil }
func (u *AugmentUnit) Run(context.Context) (any, error) { return run(&u.base, augment) }

func (u *AugmentUnit) Outputs() []string {
	var out []string
	if sc := u.env.Card.Sampling; sc != nil {
		for _, s := range sc.Samples {
			out = append(out, u.env.Path("samples", s.Name))
		}
	}
	return out
}

// TrainUnit trains the estimators of the training section on their
// samples into models/NAME/.
type TrainUnit struct{ base }

func (u *TrainUnit) Run(context.Context) (any, error) { return run(&u.base, train) }

func (u *TrainUnit) Inputs() ([]string, error) {
	in := u.eventsInput()
	for _, t := range u.env.Card.Training {
		for _, s := range []string{t.Sample, t.ValidationSample} {
			if p := u.env.Path("samples", s); s != "" && !slices.Contains(in, p) {
				in = append(in, p)
			}
		}
	}
	return in, nil
}

func (u *TrainUnit) Outputs() []string {
	var out []string
	for _, t := range u.env.Card.Training {
		out = append(out, u.env.Path("models", t.Name))
	}
	return out
}

// FisherUnit computes the items of the fisher section into fisher.json.
type FisherUnit struct{ base }

func (u *FisherUnit) Outputs() []string                { return []string{u.env.Path("fisher.json")} }
func (u *FisherUnit) Run(context.Context) (any, error) { return run(&u.base, fisherStage) }

func (u *FisherUnit) Inputs() ([]string, error) {
	var models []string
	if fc := u.env.Card.Fisher; fc != nil {
		for _, it := range fc.Items {
			models = append(models, it.Model)
		}
	}
	return append(u.eventsInput(), u.modelInputs(models...)...), nil
}

// LimitsUnit computes the scans of the limits section into limits.json,
// on Asimov data or on the observed events it names.
type LimitsUnit struct{ base }

func (u *LimitsUnit) Run(context.Context) (any, error) { return run(&u.base, limitsStage) }

func (u *LimitsUnit) Outputs() []string {
	out := []string{u.env.Path("limits.json")}
	if len(bandScans(u.env.Card)) > 0 {
		out = append(out, u.env.bandsPath())
	}
	return out
}
func (u *LimitsUnit) Inputs() ([]string, error) {
	lc := u.env.Card.Limits
	if lc == nil {
		return u.eventsInput(), nil
	}
	var models []string
	for _, sc := range lc.Scans {
		models = append(models, sc.Model)
	}
	in := append(u.eventsInput(), u.modelInputs(models...)...)
	if lc.Observed != "" {
		in = append(in, u.env.Card.ResolvePath(lc.Observed))
	}
	return in, nil
}

// PosteriorUnit computes the posteriors of the posterior section from the
// likelihoods of the limits scans into WORKDIR/posterior/.
type PosteriorUnit struct{ base }

func (u *PosteriorUnit) Outputs() []string                { return []string{u.env.posteriorDir()} }
func (u *PosteriorUnit) Run(context.Context) (any, error) { return run(&u.base, posteriorStage) }

// Inputs are those of the limits scans.
func (u *PosteriorUnit) Inputs() ([]string, error) { return (&LimitsUnit{u.base}).Inputs() }

// PlotsUnit draws the figures of the files the earlier stages wrote into
// plots/ and writes report.md.
type PlotsUnit struct{ base }

func (u *PlotsUnit) Outputs() []string                { return []string{u.env.Path("plots"), u.env.Path("report.md")} }
func (u *PlotsUnit) Run(context.Context) (any, error) { return run(&u.base, plots) }

func (u *PlotsUnit) Inputs() ([]string, error) {
	in := u.eventsInput()
	if u.env.Card.Fisher != nil {
		in = append(in, u.env.Path("fisher.json"))
	}
	if u.env.Card.Limits != nil {
		in = append(in, u.env.Path("limits.json"))
		if len(bandScans(u.env.Card)) > 0 {
			in = append(in, u.env.bandsPath())
		}
	}
	if u.env.Card.Posterior != nil {
		in = append(in, u.env.posteriorDir())
	}
	return in, nil
}

// StudyUnit runs the sample-efficiency study of the study section on the
// card's Galton board, or on the events of an events card, into
// study.json and plots/study.png.
type StudyUnit struct{ base }

func (u *StudyUnit) Inputs() ([]string, error) { return u.eventsInput(), nil }
func (u *StudyUnit) Run(ctx context.Context) (any, error) {
	return run(&u.base, func(e *Env) (any, error) { return studyStage(ctx, e) })
}

func (u *StudyUnit) Outputs() []string {
	return []string{u.env.Path("study.json"), u.env.Path("plots", "study.png")}
}

// Compile-time checks that every stage is a unit.
var (
	_ stage.Unit = (*SetupUnit)(nil)
	_ stage.Unit = (*GenerateUnit)(nil)
	_ stage.Unit = (*AnalyseUnit)(nil)
	_ stage.Unit = (*AugmentUnit)(nil)
	_ stage.Unit = (*TrainUnit)(nil)
	_ stage.Unit = (*FisherUnit)(nil)
	_ stage.Unit = (*LimitsUnit)(nil)
	_ stage.Unit = (*PosteriorUnit)(nil)
	_ stage.Unit = (*PlotsUnit)(nil)
	_ stage.Unit = (*StudyUnit)(nil)
)

// Setup builds the morphing setup of the card and writes WORKDIR/setup.h5
// (the setup unit, run whether or not it is up to date).
func Setup(e *Env) (*SetupResult, error) { return runAs[*SetupResult](e, "setup") }

// Generate prepares and, where MG5 is installed, runs the card's MadGraph
// campaign (the generate unit). Without MG5 it writes the job folder with
// its scripts and says so; it is not an error then.
func Generate(ctx context.Context, e *Env, onlyPrepare bool) (*GenerateResult, error) {
	// The benchmarks come from setup.h5, an input of the unit: make it
	// before the unit's key is taken, or a following goldmine run would
	// find the key changed and generate again.
	if _, err := os.Stat(e.Path("setup.h5")); errors.Is(err, fs.ErrNotExist) {
		if _, err := runUnit(ctx, e, "setup", false); err != nil {
			return nil, err
		}
	}
	u, err := NewUnit(e, "generate")
	if err != nil {
		return nil, err
	}
	u.(*GenerateUnit).OnlyPrepare = onlyPrepare
	r, err := e.runner().Run(ctx, u, true)
	if err != nil {
		return nil, err
	}
	return r.Value.(*GenerateResult), nil
}

// Incomplete reports whether generate stopped at the job folder (MG5 not
// installed, or --only-prepare): its events are still to be made.
func (r *GenerateResult) Incomplete() bool { return r.Prepared }
