// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package analysis turns samples of generator and detector files into a
// MadMiner events file, as MadMiner's LHEReader and DelphesReader do: it
// reads every event of every sample, converts it into an
// observables.Event (packages observables/lhecnv, hepmccnv, delphescnv),
// applies the detector model and the observables, cuts and efficiencies
// of an observables.Analysis, attaches one weight per benchmark and per
// systematic variation, normalises each sample's weights to picobarn per
// event, shuffles the events and writes them with package store.
//
// # Samples
//
// A sample is an LHE file, a HepMC file (generator level, named HepMC3
// weights), or a Delphes ROOT file with the file its events came from for
// the weights: the LHE or HepMC file, read in step, event by event; or,
// for background samples without systematics, the Delphes event weight
// itself. Each Delphes event is paired with the LHE event it was made
// from by delphes.Pairer: by the incoming partons of the hard process
// (the Event branch's GenPdfInfo, or the Particle branch) and the
// weights named like LHE weights in the sample's HepMC file, never by
// position alone where either is there. An LHE event without a Delphes
// event (dropped by the shower or the detector simulation) is an error
// unless the sample allows it (Sample.AllowDropped: it then counts with
// zero weight, as a vetoed event does); reordered or foreign events are
// always an error. With HepMC weights, the two files must hold the same
// events in the same order. Either way a Delphes event weight that is not
// its partner's (delphescnv.Paired) is an error naming both files and the
// entry.
//
// # Weights and normalisation
//
// Benchmark weights follow lhe.MapBenchmarks and hepmc.MapBenchmarks; the
// variations of package systematics follow them, and every sample that
// does not list a systematic carries its nominal weight for it. Each
// sample's weights are turned into pb per event by lhe.Tally, from the
// file's own declaration (IDWTUP, event_norm, HepMC3's GenCrossSection;
// a sample's EventNorm overrides it), per process, once the sample has
// been read, so that every file is read once; the factor, times the
// k-factor over the number of signal samples of the same benchmark
// (which estimate the same cross section and are averaged, while
// backgrounds add), is applied when the rows leave the spill file
// (store.Spill) in shuffled order.
//
// Memory is bounded: events stream through one reused observables.Event
// per sample, and only the shuffle order, one int per event, is held.
package analysis
