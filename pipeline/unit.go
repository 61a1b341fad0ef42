// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/stage"
)

// runner keeps the unit records of the working directory in
// WORKDIR/.goldmine/units (workdir.Dir.Runner).
func (e *Env) runner() *stage.Runner { return e.Runner(e.Log) }

// RunResult summarises goldmine run.
type RunResult struct {
	Stages []stage.Result `json:"stages"`
}

// Run runs the campaign's stages in order (setup, generate, shower,
// analyse, augment, train, fisher, limits, posterior, plots), skipping the units that are up
// to date and the stages the card has no section for. Each unit is built
// when its turn comes, after the stages before it ran, so that it sees
// their outputs (generated LHE files, events.h5, ...).
func Run(ctx context.Context, e *Env) (*RunResult, error) {
	root, err := e.Root()
	if err != nil {
		return nil, err
	}
	// The record of goldmine before stage units; its keys are unusable.
	root.Remove(".goldmine-stages.json")
	res := &RunResult{}
	for _, st := range runStages() {
		if !inCard(e.Card, st) {
			res.Stages = append(res.Stages, stage.Result{Name: st, Status: "not in card"})
			continue
		}
		r, err := runUnit(ctx, e, st, false)
		if err != nil {
			return res, err
		}
		if r.Value != nil && e.Report != nil {
			e.Report(r.Value)
		}
		res.Stages = append(res.Stages, *r)
	}
	return res, nil
}

// runStages returns the stages of goldmine run, in order; the study runs
// on its own (goldmine study).
func runStages() []string {
	return []string{"setup", "generate", "shower", "analyse", "augment", "train", "fisher", "limits", "posterior", "plots"}
}

// Stages returns the names of the stage units: those of goldmine run, in
// order, and the study.
func Stages() []string { return append(runStages(), "study") }

// inCard reports whether the card has what stage st needs.
func inCard(c *cards.Card, st string) bool {
	switch st {
	case "setup":
		return !c.IsSimulator()
	case "generate":
		return c.MadGraph != nil && len(c.MadGraph.Runs) > 0
	case "shower":
		return c.Shower != nil && len(c.Samples) > 0
	case "analyse":
		return len(c.Samples) > 0 && !c.IsSimulator()
	case "augment":
		return c.Sampling != nil
	case "train":
		return len(c.Training) > 0
	case "fisher":
		return c.Fisher != nil
	case "limits":
		return c.Limits != nil
	case "posterior":
		return c.Posterior != nil
	case "study":
		return c.Study != nil
	}
	return true // plots
}

// RunStage runs the unit of stage st of the card (goldmine analyse, ...),
// whether or not it is up to date, and records its key, so that a
// following goldmine run skips it. It returns the unit's result.
func RunStage(ctx context.Context, e *Env, st string) (any, error) {
	r, err := runUnit(ctx, e, st, true)
	if err != nil {
		return nil, err
	}
	return r.Value, nil
}

// runUnit runs the unit of stage st: always if force is set, else only
// when it is not up to date.
func runUnit(ctx context.Context, e *Env, st string, force bool) (*stage.Result, error) {
	u, err := NewUnit(e, st)
	if err != nil {
		return nil, err
	}
	return e.runner().Run(ctx, u, force)
}

// runAs runs stage st and returns its result as a T.
func runAs[T any](e *Env, st string) (T, error) {
	var zero T
	r, err := RunStage(context.Background(), e, st)
	if err != nil {
		return zero, err
	}
	return r.(T), nil
}
