// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/goldmine-hep/goldmine/cards"
)

// The stage units. Each declares the card sections its stage reads (its
// config: the card restricted to them), its input files and its outputs;
// Run calls the stage with the restricted card. Simulator campaigns read
// their simulator from the samples section, so their stages declare it.

// NewUnit returns the unit of stage st (one of Stages) for the card of e.
func NewUnit(e *Env, st string) (Unit, error) {
	c := e.Card
	sim := func(sections ...string) []string {
		if c.IsSimulator() {
			return append(sections, "samples", "benchmarks")
		}
		return sections
	}
	switch st {
	case "setup":
		return &SetupUnit{}, nil
	case "generate":
		return &GenerateUnit{}, nil
	case "analyse":
		return newAnalyseUnit(e)
	case "augment":
		return &AugmentUnit{sections: sim("sampling", "parameters")}, nil
	case "train":
		return &TrainUnit{sections: sim("training", "sampling", "parameters")}, nil
	case "fisher":
		return &FisherUnit{sections: sim("fisher", "parameters", "sampling")}, nil
	case "limits":
		return &LimitsUnit{sections: sim("limits", "parameters", "sampling", "training")}, nil
	case "plots":
		return &PlotsUnit{sections: sim("plots", "parameters", "fisher", "limits")}, nil
	case "study":
		return &StudyUnit{}, nil
	}
	return nil, fmt.Errorf("pipeline: unknown stage %q (want one of %v)", st, Stages())
}

// SetupUnit builds the morphing setup: setup.h5 from the parameters,
// benchmarks (and the LHE headers they are imported from), the morphing
// section and the systematics the samples use.
type SetupUnit struct{}

func (*SetupUnit) ID() string { return "setup" }

func (*SetupUnit) Sections() []string {
	return []string{"parameters", "benchmarks", "morphing", "systematics", "samples"}
}

func (*SetupUnit) Inputs(e *Env) ([]string, error) {
	var in []string
	for _, b := range e.Card.Benchmarks {
		if b.FromLHE != "" {
			in = append(in, e.Card.ResolvePath(b.FromLHE))
		}
	}
	return in, nil
}

func (*SetupUnit) Outputs(e *Env) []string { return []string{e.Path("setup.h5")} }

func (*SetupUnit) Run(_ context.Context, e *Env) (any, error) { return setup(e) }

// GenerateUnit writes the MadGraph job folder from the madgraph section
// and setup.h5 and, where MG5 is installed, runs it. OnlyPrepare writes
// the folder only (goldmine generate --only-prepare).
type GenerateUnit struct{ OnlyPrepare bool }

func (u *GenerateUnit) ID() string {
	if u.OnlyPrepare {
		return "generate/prepare"
	}
	return "generate"
}

func (*GenerateUnit) Sections() []string { return []string{"parameters", "systematics", "madgraph"} }

func (*GenerateUnit) Inputs(e *Env) ([]string, error) {
	in := []string{e.Path("setup.h5")}
	if mg := e.Card.MadGraph; mg != nil {
		for _, p := range []string{mg.ProcCard, mg.ParamCardTemplate, mg.RunCard, mg.Pythia8Card} {
			if p != "" {
				in = append(in, e.Card.ResolvePath(p))
			}
		}
		for _, r := range mg.Runs {
			if r.RunCard != "" {
				in = append(in, e.Card.ResolvePath(r.RunCard))
			}
		}
	}
	return in, nil
}

func (*GenerateUnit) Outputs(e *Env) []string { return []string{e.mgWorkDir()} }

func (u *GenerateUnit) Run(ctx context.Context, e *Env) (any, error) {
	return generate(ctx, e, u.OnlyPrepare)
}

// AnalyseUnit reads the samples (LHE, HepMC, Delphes files; those of
// MadGraph runs once generate has run) with the observables, cuts,
// efficiencies, detector model and systematics of the card and writes
// events.h5.
type AnalyseUnit struct {
	// samples are the card's samples with the LHE files of MadGraph runs
	// resolved.
	samples []cards.Sample
}

func newAnalyseUnit(e *Env) (*AnalyseUnit, error) {
	u := &AnalyseUnit{samples: slices.Clone(e.Card.Samples)}
	c := *e.Card
	c.Samples = u.samples
	ce := *e
	ce.Card = &c
	if err := resolveMadGraphSamples(&ce); err != nil {
		return nil, err
	}
	return u, nil
}

func (*AnalyseUnit) ID() string { return "analyse" }

func (*AnalyseUnit) Sections() []string {
	return []string{"samples", "observables", "cuts", "efficiencies", "acceptance", "smearing", "systematics", "shuffle", "delphes"}
}

func (u *AnalyseUnit) Inputs(e *Env) ([]string, error) {
	in := []string{e.Path("setup.h5")}
	for _, s := range u.samples {
		for _, p := range []string{s.LHE, s.HepMC, s.Delphes} {
			if p != "" {
				in = append(in, e.Card.ResolvePath(p))
			}
		}
	}
	return in, nil
}

func (*AnalyseUnit) Outputs(e *Env) []string { return []string{e.Path("events.h5")} }

func (u *AnalyseUnit) Run(_ context.Context, e *Env) (any, error) {
	e.Card.Samples = u.samples
	return analyse(e)
}

// eventsInput is events.h5 for event-file campaigns (simulator campaigns
// have none).
func eventsInput(e *Env) []string {
	if e.Card.IsSimulator() {
		return nil
	}
	return []string{e.Path("events.h5")}
}

// modelInputs are the model directories of the named trained models.
func modelInputs(e *Env, names ...string) []string {
	var in []string
	for _, m := range names {
		if m != "" && !slices.Contains(in, e.Path("models", m)) {
			in = append(in, e.Path("models", m))
		}
	}
	return in
}

// AugmentUnit draws the training and test samples of the sampling
// section from events.h5 (or from the simulator) into samples/NAME/.
type AugmentUnit struct{ sections []string }

func (*AugmentUnit) ID() string                                 { return "augment" }
func (u *AugmentUnit) Sections() []string                       { return u.sections }
func (*AugmentUnit) Inputs(e *Env) ([]string, error)            { return eventsInput(e), nil }
func (*AugmentUnit) Run(_ context.Context, e *Env) (any, error) { return augment(e) }

func (*AugmentUnit) Outputs(e *Env) []string {
	var out []string
	if sc := e.Card.Sampling; sc != nil {
		for _, s := range sc.Samples {
			out = append(out, e.Path("samples", s.Name))
		}
	}
	return out
}

// TrainUnit trains the estimators of the training section on their
// samples into models/NAME/.
type TrainUnit struct{ sections []string }

func (*TrainUnit) ID() string                                 { return "train" }
func (u *TrainUnit) Sections() []string                       { return u.sections }
func (*TrainUnit) Run(_ context.Context, e *Env) (any, error) { return train(e) }

func (*TrainUnit) Inputs(e *Env) ([]string, error) {
	in := eventsInput(e)
	for _, t := range e.Card.Training {
		if p := e.Path("samples", t.Sample); !slices.Contains(in, p) {
			in = append(in, p)
		}
	}
	return in, nil
}

func (*TrainUnit) Outputs(e *Env) []string {
	var out []string
	for _, t := range e.Card.Training {
		out = append(out, e.Path("models", t.Name))
	}
	return out
}

// FisherUnit computes the items of the fisher section into fisher.json.
type FisherUnit struct{ sections []string }

func (*FisherUnit) ID() string                                 { return "fisher" }
func (u *FisherUnit) Sections() []string                       { return u.sections }
func (*FisherUnit) Outputs(e *Env) []string                    { return []string{e.Path("fisher.json")} }
func (*FisherUnit) Run(_ context.Context, e *Env) (any, error) { return fisherStage(e) }

func (*FisherUnit) Inputs(e *Env) ([]string, error) {
	in := eventsInput(e)
	if fc := e.Card.Fisher; fc != nil {
		for _, it := range fc.Items {
			in = append(in, modelInputs(e, it.Model)...)
		}
	}
	return in, nil
}

// LimitsUnit computes the scans of the limits section into limits.json,
// on Asimov data or on the observed events it names.
type LimitsUnit struct{ sections []string }

func (*LimitsUnit) ID() string                                 { return "limits" }
func (u *LimitsUnit) Sections() []string                       { return u.sections }
func (*LimitsUnit) Outputs(e *Env) []string                    { return []string{e.Path("limits.json")} }
func (*LimitsUnit) Run(_ context.Context, e *Env) (any, error) { return limitsStage(e) }

func (*LimitsUnit) Inputs(e *Env) ([]string, error) {
	in := eventsInput(e)
	if lc := e.Card.Limits; lc != nil {
		for _, sc := range lc.Scans {
			in = append(in, modelInputs(e, sc.Model)...)
		}
		if lc.Observed != "" {
			in = append(in, e.Card.ResolvePath(lc.Observed))
		}
	}
	return in, nil
}

// PlotsUnit draws the figures of the files the earlier stages wrote into
// plots/ and writes report.md.
type PlotsUnit struct{ sections []string }

func (*PlotsUnit) ID() string                                 { return "plots" }
func (u *PlotsUnit) Sections() []string                       { return u.sections }
func (*PlotsUnit) Outputs(e *Env) []string                    { return []string{e.Path("plots"), e.Path("report.md")} }
func (*PlotsUnit) Run(_ context.Context, e *Env) (any, error) { return plots(e) }

func (*PlotsUnit) Inputs(e *Env) ([]string, error) {
	in := eventsInput(e)
	if e.Card.Fisher != nil {
		in = append(in, e.Path("fisher.json"))
	}
	if e.Card.Limits != nil {
		in = append(in, e.Path("limits.json"))
	}
	return in, nil
}

// StudyUnit runs the sample-efficiency study of the study section on the
// card's Galton board into study.json and plots/study.png.
type StudyUnit struct{}

func (*StudyUnit) ID() string                                 { return "study" }
func (*StudyUnit) Sections() []string                         { return []string{"study", "samples", "parameters"} }
func (*StudyUnit) Inputs(*Env) ([]string, error)              { return nil, nil }
func (*StudyUnit) Run(_ context.Context, e *Env) (any, error) { return studyStage(e) }

func (*StudyUnit) Outputs(e *Env) []string {
	return []string{e.Path("study.json"), e.Path("plots", "study.png")}
}

// Compile-time checks that every stage is a unit.
var (
	_ Unit = (*SetupUnit)(nil)
	_ Unit = (*GenerateUnit)(nil)
	_ Unit = (*AnalyseUnit)(nil)
	_ Unit = (*AugmentUnit)(nil)
	_ Unit = (*TrainUnit)(nil)
	_ Unit = (*FisherUnit)(nil)
	_ Unit = (*LimitsUnit)(nil)
	_ Unit = (*PlotsUnit)(nil)
	_ Unit = (*StudyUnit)(nil)
)

// Setup builds the morphing setup of the card and writes WORKDIR/setup.h5
// (the setup unit, run whether or not it is up to date).
func Setup(e *Env) (*SetupResult, error) { return runAs[*SetupResult](e, "setup") }

// Generate prepares and, where MG5 is installed, runs the card's MadGraph
// campaign (the generate unit). Without MG5 it writes the job folder with
// its scripts and says so; it is not an error then.
func Generate(ctx context.Context, e *Env, onlyPrepare bool) (*GenerateResult, error) {
	r, err := RunUnit(ctx, e, &GenerateUnit{OnlyPrepare: onlyPrepare}, true)
	if err != nil {
		return nil, err
	}
	return r.Result.(*GenerateResult), nil
}

// Analyse reads the card's samples and writes WORKDIR/events.h5 (the
// analyse unit).
func Analyse(e *Env) (*AnalyseResult, error) { return runAs[*AnalyseResult](e, "analyse") }

// Augment draws the card's training and test samples into
// WORKDIR/samples/NAME/ (the augment unit).
func Augment(e *Env) (*AugmentResult, error) { return runAs[*AugmentResult](e, "augment") }

// Train trains the card's estimators into WORKDIR/models/NAME/ (the train
// unit).
func Train(e *Env) (*TrainResult, error) { return runAs[*TrainResult](e, "train") }

// Fisher computes the card's Fisher information items into
// WORKDIR/fisher.json (the fisher unit).
func Fisher(e *Env) (*FisherResult, error) { return runAs[*FisherResult](e, "fisher") }

// Limits computes the card's limit scans into WORKDIR/limits.json (the
// limits unit).
func Limits(e *Env) (*LimitsResult, error) { return runAs[*LimitsResult](e, "limits") }

// Plots draws the campaign's figures into WORKDIR/plots and writes
// WORKDIR/report.md (the plots unit).
func Plots(e *Env) (*PlotsResult, error) { return runAs[*PlotsResult](e, "plots") }

// Study runs the sample-efficiency study of the card's study section (the
// study unit).
func Study(e *Env) (*StudyResult, error) { return runAs[*StudyResult](e, "study") }

// Print writes the human summary of a stage's result.
func Print(w io.Writer, r any) {
	switch r := r.(type) {
	case *SetupResult:
		PrintSetup(w, r)
	case *GenerateResult:
		PrintGenerate(w, r)
	case *AnalyseResult:
		PrintAnalyse(w, r)
	case *AugmentResult:
		PrintAugment(w, r)
	case *TrainResult:
		PrintTrain(w, r)
	case *FisherResult:
		PrintFisher(w, r)
	case *LimitsResult:
		PrintLimits(w, r)
	case *PlotsResult:
		PrintPlots(w, r)
	case *StudyResult:
		PrintStudy(w, r)
	case *RunResult:
		PrintRun(w, r)
	}
}

// Incomplete reports whether generate stopped at the job folder (MG5 not
// installed, or --only-prepare): its events are still to be made.
func (r *GenerateResult) Incomplete() bool { return r.Prepared }
