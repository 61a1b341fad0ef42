// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package pipeline runs the stages of a goldmine campaign from a card:
// setup, analyse, augment, train, fisher, limits and plots. It is the only
// package besides cmd/goldmine that knows about cards and the files of a
// working directory; every stage maps the card to the plain config structs
// of the library packages (morphing, store, lhe, observables, sampling, ml,
// limits, plot) and writes its result file atomically.
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
package pipeline
