// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package study measures the sample efficiency of the likelihood-ratio
// estimators of package ml on a simulator whose likelihood is known
// exactly, the Galton board of package simulators, as in "Mining gold"
// (arXiv:1805.12244): for each training size and seed it trains every
// method on samples mined from the board and computes the expected squared
// error of log r̂ over a θ grid exactly, by summing over the board's
// slots. Figure draws the table. The results shipped with the repository
// are in study/results (see its README); command cmd/galtonstudy and
// `goldmine study CARD` run it.
//
// RunEvents does the same on weighted events whose likelihood ratio is
// exact: parton-level events whose observables are the whole event record,
// so that the morphing of every event's weights is its likelihood ratio
// (sampling.ExactLogRatios). Its errors are averages over held-out test
// events drawn at the points of a θ0 grid; beside the ratio methods and
// SALLY + histogram it scores histogram baselines of chosen observables
// and compares SALLY's Fisher information with the truth. EventFigure
// draws its table; `goldmine study` runs it on an events card
// (cards/zh_exact.yaml, results in studies/zh_exact).
package study
