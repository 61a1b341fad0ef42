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
// WeightInfo.Scales, PDF and DynScale read the scale factors, the LHAPDF
// member id and the dynamical scale choice from the MG5 attribute form, the
// older MG5 text form and POWHEG's. WeightInfo.ParamSets holds the parsed
// "set param_card BLOCK ID VALUE" lines of MG5 reweighting weights; lines
// naming a parameter instead of a block and id are not parsed.
//
// # Header
//
// Header.RunCard holds the MG5 run card ("value = name ! comment" lines,
// commented-out lines skipped), Header.ParamCard the SLHA param card text
// and Header.ParamBlocks its single-index entries by lower-case block name.
// The header is scanned by hand, not with encoding/xml: MG5 writes text
// after closing tags, unclosed weight groups, unquoted attributes and
// unterminated weight bodies, and all of them are read.
//
// # Errors
//
// Every error is an *Error naming the file, the line and, for events, the
// 0-based event index: "lhe: zh.lhe.gz:1234: event 12: ...". Truncated
// gzip streams, missing </event> tags, non-numeric fields, NUP mismatches,
// incomplete or unknown weights and empty files are all reported this way;
// the reader never panics on bad input.
//
// # File structure
//
// The structure of the file is part of its content, because a reader that
// guesses loses events without a word:
//
//   - an unterminated comment (<!-- without -->), CDATA section or tag is
//     an error at the line where it starts;
//   - a file that ends without </LesHouchesEvents> (an interrupted copy, an
//     unfinished generator run) is an error naming the last complete event,
//     unless WithAllowTruncated(true) accepts it: then the complete events
//     are read, an incomplete last event is dropped, and Warnings gives the
//     count;
//   - after </LesHouchesEvents> only white space, XML comments and '#'
//     lines (POWHEG writes its random number state there) may follow:
//     anything else, in particular a second <LesHouchesEvents> (two files
//     concatenated), is an error;
//   - the members of a multi-member gzip stream are read in turn, and bytes
//     after the last member that are not gzip data are reported as
//     trailing garbage with their count;
//   - a NUL byte anywhere is an error at its line and column.
//
// # Values
//
// A NaN or infinite value (written as nan or inf, or a number such as
// 1e400 that overflows float64) is an error at the event, line and field
// that carry it: a momentum component, mass, lifetime or spin of a
// particle, XWGTUP, SCALUP, AQEDUP, AQCDUP or a weight. WithDropNonFinite
// skips such events instead, counting them (Dropped, Warnings). In the
// <init> block non-finite beam energies and cross sections are errors
// either way, and the declared number of processes must fit in the bytes
// of the header.
//
// # Performance and pipelining
//
// The reader does not allocate per event once warmed up: the Event, its
// Particles and Weights are reused. Numbers are parsed by hand on byte
// slices, exactly rounded (Clinger's fast path, strconv for the rest).
// Gzip is decompressed with github.com/klauspost/compress, faster than
// compress/gzip; decompression, not parsing, bounds the speed on gzip
// files. WithReadAhead moves reading and decompression into a second
// goroutine, which helps when a second core is free. To analyse events in
// other goroutines, copy them out with Event.CopyTo or Reader.ReadBatch
// (see Example_pipeline); the Reader itself is not safe for concurrent
// use. Memory is bounded: lines up to 64 MiB, headers up to 256 MiB.
//
// # Fuzzing
//
// FuzzReader feeds arbitrary bytes (seeded with the testdata files) to the
// reader; it must return errors, never panic. Run it for a minute with
//
//	go test -run '^$' -fuzz=FuzzReader -fuzztime=60s ./lhe/
package lhe
