// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package lhe reads Les Houches Event files (LHEF 1.0, 2.0 and 3.0), plain
// or gzip-compressed, as a stream, keeping every per-event weight.
//
// A Reader parses the header eagerly (the MadGraph5 banner with its run and
// param cards, the <init> block and the <initrwgt> weight declarations), then
// hands out one event at a time:
//
//	r, err := lhe.Open("events.lhe.gz")
//	if err != nil { ... }
//	defer r.Close()
//	for r.Next() {
//		ev := r.Event() // valid until the next call to Next
//		...
//	}
//	if err := r.Err(); err != nil { ... }
//
// # Weights
//
// Header.Weights lists every weight id declared in the header, in file
// order; Event.Weights holds one value per declared id, aligned with it,
// whether the event carries them as MG5 <rwgt><wgt id=...> lines or as an
// LHEF 3 <weights> block. An event that lacks a declared weight, repeats
// one, or names an undeclared id is an error. When an event carries both
// forms, the <rwgt> block is used. If the header has no <initrwgt> weights
// but declares LHEF 3 <weightinfo name=...> entries, those are the weights.
// A weight id declared twice (some files repeat the <initrwgt> block) is
// kept once, at its first position.
//
// WeightInfo.Params exposes the numeric attributes MG5 writes for
// systematics weights (MUR, MUF, PDF, DYN_SCALE, ...) with upper-case keys;
// key=value pairs in the weight's text fill in keys the attributes lack.
// WeightInfo.ParamSets holds the parsed "set param_card BLOCK ID VALUE"
// lines of MG5 reweighting weights.
//
// # Errors
//
// Every error is an *Error naming the file, the line and, for events, the
// 0-based event index: "lhe: zh.lhe.gz:1234: event 12: ...". Truncated
// gzip streams, missing </event> tags, non-numeric fields, NUP mismatches,
// incomplete or unknown weights and empty files are all reported this way;
// the reader never panics on bad input.
//
// # Performance
//
// The reader does not allocate per event once warmed up: the Event, its
// Particles and Weights are reused. Numbers are parsed by hand on byte
// slices (exactly rounded, with a strconv fallback for long mantissas).
// WithReadAhead moves decompression and file reading into a separate
// goroutine, which helps when a second core is free.
//
// # Fuzzing
//
// FuzzReader feeds arbitrary bytes (seeded with the testdata files) to the
// reader; it must return errors, never panic. Run it for a minute with
//
//	go test -run '^$' -fuzz=FuzzReader -fuzztime=60s ./lhe/
package lhe
