// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package systematics models the systematic uncertainties of a study as
// nuisance parameters, in MadMiner's conventions, and finds the event
// weights that carry their variations in an LHE file.
//
// A systematic is a normalisation ("norm": the weights times 1 + value),
// a scale variation ("scale": MUR, MUF or both varied by the given
// factors) or a PDF uncertainty ("pdf": one nuisance parameter per error
// member). New derives MadMiner's names: parameter NAME_nuisance_param_K
// with the nuisance benchmarks NAME_nuisance_param_K_benchmark_0 (the
// positive variation) and _1 (the negative one). A scale systematic gives
// one parameter whose positive variation is its largest factor and whose
// negative one its smallest; a norm systematic one parameter with a
// positive variation only.
//
// Model.Sources finds the weights of each variation in an LHE header:
// MG5's systematics weights are matched on their MUR, MUF and PDF
// attributes, scale variations at the central PDF, PDF members by their
// LHAPDF id counted from the central member of the set; dynamical-scale
// alternatives (DYN_SCALE other than -1) are never taken. MadMiner's own
// chain crashes or silently skips most of this (see the README).
package systematics
