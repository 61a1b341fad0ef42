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
package study
