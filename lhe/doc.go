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
// Weights to benchmarks (weights.go): MapBenchmarks builds the WeightMap
// that picks, from every event, one weight per benchmark of an events file
// (the event weight for the sampling benchmark, a <wgt> of the same name
// otherwise) and further weights for systematic variations;
// Proportionality checks whether reweighting weights depend on θ at all
// (weights proportional to the event weight in every event are a sign of
// a reweighting that did nothing); ParamCardPoints reads the param-card
// point behind every reweighting weight, to import benchmarks from a
// header.
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
// # Normalisation: from weights to cross sections
//
// What an event weight XWGTUP means depends on the generator, and the
// file says so itself. A Tally collects a sample's weights and decides,
// from Header.Declaration, how they turn into cross sections in pb
// (Normalization.Scale per event, Normalization.XSec for the sample):
//
//  1. A rule set by the caller (a card's samples[].event_norm: average,
//     sum, bias or unity) wins.
//  2. Else MG5's run card in the banner: event_norm = average (σ = Σw/N),
//     sum (σ = Σw), unity (weights ±1, σ from <init>) or bias (biased
//     generation; normalised like average, as MG5's reweighting module,
//     madgraph/interface/reweight_interface.py, does). Any other value is
//     an error.
//  3. Else the Les Houches weighting strategy IDWTUP of <init> (the accord,
//     Boos et al., hep-ph/0109068, section on HEPRUP; for files, Alwall et
//     al., hep-ph/0609017; Pythia 8's manual, "Les Houches Accord",
//     LHAup::setStrategy): ±1 and ±4, weights in pb whose mean is the cross
//     section (average); ±2, weights in arbitrary units per process and
//     XSECUP the process's cross section; ±3, unit weights (±1) and XSECUP
//     the cross section. For ±2 and ±3 (the header rule) each process's
//     XSECUP is shared among its events in proportion to their weights.
//
// What the generators whose files we read write:
//   - MG5_aMC (madgraph/various/lhe_parser.py, banner.py of MG5_aMC
//     3.5.7): the run card's event_norm, IDWTUP ±4 for average and ±3 for
//     sum and unit; a LO run card without event_norm means sum. Reweighting
//     (<rwgt>) and systematics weights are in XWGTUP's normalisation.
//   - POWHEG-BOX-V2: IDWTUP -4, weights in pb that average to σ; XSECUP is
//     -1 when the run did not compute it. Its LHEF 3 <weights> (or
//     <rwgt>) may be in another normalisation than XWGTUP (the
//     direct-photon files of issue 15: XWGTUP 2.009, the block's
//     "default" weight 0.0026).
//   - Pythia 8 (LHEF output, Pythia8/LesHouches.h) and Whizard 3: IDWTUP 3,
//     XWGTUP = 1, XSECUP the generator's cross section.
//   - Sherpa 2 and 3 (SHERPA/Tools/Output_LHEF.C): <init> is written
//     before the integration, with the placeholders XSECUP = XERRUP =
//     XMAXUP = 1, and IDWTUP = 3 for unweighted (1 for weighted)
//     generation, while XWGTUP is the event's cross section in pb.
//     goldmine takes the weights' mean (a warning says so). For weighted
//     Sherpa events σ = Σw/Σtrials, with the trials attribute of <event>,
//     which the reader does not keep: use unweighted Sherpa files.
//   - HepMC3 files (not read here) give GenCrossSection; goldmine's HepMC
//     samples use the header rule with it, as Rivet does.
//
// The evidence is checked against the declaration. The cross section the
// rule gives is compared with the sum of XSECUP (where the file states one,
// XSECUP > 0): more than three combined standard errors (the header's
// XERRUP and the weights' Monte Carlo error) plus 1e-4 of rounding apart
// is a warning that names the file and both numbers. Where the rule came
// from IDWTUP and the other of mean and sum agrees with <init>, that one
// is used. IDWTUP ±3 with weights that are not 1, and whose mean and sum
// both contradict <init>, are taken as cross sections per event (average),
// and so is a header rule without a cross section in <init>. Each
// decision is in Normalization.Reason and Warnings.
//
// Scale and PDF variations must be in the normalisation of the nominal
// they are compared with. Header.NominalWeight finds the declared weight
// that repeats XWGTUP at the central scales and PDF (a weight called
// default, nominal or central, or the MUR = MUF = 1 weight); a variation
// w_v is then used as XWGTUP · w_v / w_nominal, event by event, so that it
// stays within its natural factor of the nominal even where a block's
// normalisation differs from XWGTUP's.
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
