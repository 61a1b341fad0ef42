// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import "testing"

// The stages run as units (RunStage), with their results typed, for the
// tests.

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

// analysed runs the setup and analyse stages of env.
func analysed(t *testing.T, env *Env) *AnalyseResult {
	t.Helper()
	if _, err := Setup(env); err != nil {
		t.Fatal(err)
	}
	res, err := Analyse(env)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
