// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package cards reads goldmine campaign cards: one strict YAML file that
// describes a whole EFT study, from the theory parameters to the limits.
//
// Load parses a card with unknown and duplicate keys as errors, checks
// types, cross references and ranges, and returns plain Go structs. Every
// error names the file, the line and the key, for example
//
//	cards: zh.yaml:14: parameters[1].range: min 1 is not below max -1
//
// Names (parameters, benchmarks, observables, samples) keep their case:
// CWL2 and cwl2 are two different parameters.
//
// # Paths
//
// Relative input paths in a card (samples, param card templates, ...) are
// resolved against the directory of the card file. The workdir is resolved
// against the current directory, so that one card can drive several
// working areas (goldmine --workdir).
//
// # Defaults
//
// All defaults live in one place, the Default* constants of this package
// and the Defaults function, which fills them into a loaded card. The
// README's card reference lists them.
//
// # Expressions
//
// Observables, cuts and efficiencies are expressions in MadMiner's syntax
// (for example "(e[0] + e[1]).pt"). Load checks them with the checker in
// Options.CheckExpr; without one it checks the syntax with the expression
// library's parser. Parameter transforms (param_card_transform) are
// expressions in the single variable theta and are compiled by Load.
package cards
