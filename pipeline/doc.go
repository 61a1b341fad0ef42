// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package pipeline maps a goldmine card to the plain config structs of the
// library packages and to stage units (package stage), and nothing else:
// the numerics and physics are in the libraries, and only cmd/ imports
// pipeline. Every stage is a unit that declares the card sections it
// reads, its input files and its outputs (stages.go); RunStage runs one
// (goldmine analyse, ...), Run all of them in order, skipping the up to
// date (unit.go). A unit runs with the card restricted to its sections.
//
// The files, by card sections mapped and units built:
//
//	stages.go      the units: setup … plots, study (sections, inputs, outputs)
//	unit.go        Run and RunStage: records in WORKDIR/.goldmine/units
//	setup.go       parameters, benchmarks, morphing → morphing.ChooseBasis, store.Setup (setup)
//	benchmarks.go  benchmarks.from_lhe → lhe.ParamCardPoints (setup)
//	systematics.go systematics → systematics.Model (setup, analyse)
//	generate.go    madgraph → madgraph.Config (generate)
//	analyse.go     samples, observables, cuts, efficiencies, smearing, acceptance → analysis.Config (analyse)
//	delphes.go     delphes → delphes.RunConfig, Delphes collections (analyse)
//	augment.go     sampling → sampling.Request (augment)
//	train.go       training → ml.Spec, ml.Settings, sampling.Read (train)
//	fisher.go      fisher → fisher.Item, fisher.Settings (fisher)
//	limits.go      limits → limits.ScanSpec, limits.EventSettings (limits)
//	models.go      model names of fisher and limits → the trained ml models
//	plots.go       plots → report.Campaign (plots)
//	simulator.go   samples.simulator, sampling, fisher, limits, study of
//	               simulator campaigns → simulators, sampling, fisher, limits, study
//	study.go       study of events cards → study.EventConfig (study)
//	options.go     the expression check of card loading
//
// Files of a working directory:
//
//	setup.h5          morphing setup (MadMiner layout)
//	events.h5         analysed events (MadMiner layout)
//	samples/NAME/     augmented training and test samples (.npy)
//	models/NAME/      trained estimators
//	fisher.json       Fisher information
//	limits.json       p-value scans
//	plots/            figures
//	report.md         summary
//	.goldmine/units/  the record of each unit that finished (its key)
package pipeline
