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
//	unit.go        Run and RunStage: records in WORKDIR/.goldmine/units (workdir.Dir.Runner)
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
//	points.go      fisher.theta, limits.theta_true → the fisher and limits
//	               stages at every point, with stage.Partial skips (fisher, limits)
//	band.go        limits.scans with ensemble members → limits.EventBand,
//	               limits.ModelBand (limits)
//	posterior.go   posterior → posterior.ScanConfig, posterior.NewReference (posterior)
//	jobs.go        madgraph.runs, samples with jobs → madgraph.Run (generate)
//	shower.go      samples with a shower → ShowerUnit, shower.Config (shower)
//	madminer.go    samples of MadMiner files → store.Setup, analysis.CombineIn (setup, analyse)
//	xsec.go        the xsec command's points → sampling.FileCrossSections
//	shards.go      jobs of sharded stages → ShardUnit, MergeUnit (generate, analyse,
//	               augment, train, limits)
//	workflow.go    the card's stages and shards → workflow.Workflow (Snakemake)
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
//	.goldmine/lock    the working directory's lock (Env.Lock)
//	.goldmine/locks/  the locks of sub-folders, SUB.lock (Env.LockSub)
//
// # One writer
//
// Env embeds the working directory (package internal/workdir): every
// write into it goes through one os.Root opened on it (Env.Root), so that
// neither a name nor a planted symbolic link can lead a write outside. A
// command that writes into the working directory takes its lock
// (Env.Lock) first; one that writes only one sub-folder, a shard of a
// workflow writing WORKDIR/shards/STAGE/ID, takes that sub-folder's lock
// instead (Env.LockSub("shards/"+STAGE+"/"+ID, ...)), so that the shards
// of a stage run at once, in processes and on machines of their own,
// while the same shard twice is refused. The command that merges shards
// takes the working directory's lock and checks each shard with
// Env.SubBusy before it reads the shard's outputs (workdir.ReadParts),
// so that it never merges a shard that is still being written.
package pipeline
