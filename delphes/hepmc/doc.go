// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package hepmc streams events, named weights and particles from HepMC
// text files, plain or gzip-compressed:
//
//   - HepMC2 IO_GenEvent, decoded event by event with go-hep's hepmc
//     package; weight names come from the "N" line, which this package
//     parses itself so that names may contain spaces;
//   - HepMC3 Asciiv3, decoded by this package: the run-info "W" line gives
//     the weight names (HepMC3 joins them with an escaped newline, "\|"),
//     each event's "W" line its weight values, "A 0 name value" lines its
//     attributes and "P" lines its particles.
//
// Momenta and masses are converted to GeV whatever the file's unit. Weights
// are returned as written: Pythia 8 passes MadGraph's LHE weights through
// unchanged (in pb, per event) when it showers an LHE file.
//
// Errors start with "hepmc: " and name the file and line; for HepMC2
// records that go-hep's decoder rejects, the line is that of the event's E
// record. A HepMC2 file that ends without its END_EVENT_LISTING line (an
// interrupted job) is accepted if its last event decodes completely.
//
// Counts a record declares are bounded by what the event holds before
// anything is allocated from them: the vertices of a HepMC2 E line by its
// V lines, the particles of the V lines by the P lines, random states,
// weights and flow entries by the fields of their line; the particles of
// a HepMC3 E line must be the event's P lines. Lines are at most 64 MiB.
package hepmc
