// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package delphes reads Delphes ROOT files: reconstructed electrons, muons,
// photons, jets, missing transverse energy and scalar HT, plus the
// generator-level Particle, GenJet and GenMissingET collections.
//
// Files are opened with go-hep's groot (riofs): the file header, the key
// list, the streamer infos and key payload decompression all come from
// groot. groot v0.40.0 cannot read the split TClonesArray branches that
// Delphes writes (go-hep issue #449), so this package decodes those
// branches itself:
//
//   - the tree's key payload is walked with rbytes.RBuffer, guided by the
//     file's own TTree/TBranch/TBranchElement streamer infos, to recover
//     every branch's basket table (fBasketSeek, fBasketBytes, fBasketEntry);
//   - each basket is located with its TKey header (riofs.Key) and
//     decompressed by riofs.Key.Bytes;
//   - the top-level branch of a split TClonesArray (TBranchElement fType 3,
//     e.g. "Jet") stores one big-endian Int_t per entry, the number of
//     objects; each member branch (fType 31, e.g. "Jet.PT") stores that
//     many consecutive big-endian values of the member's basic type.
//
// Only the member branches that the requested collections need are read,
// one basket at a time, so memory is bounded by the basket size.
//
// Plain (flat) trees are read with groot's rtree directly, see ScanFlat.
//
// Run runs Delphes itself (DelphesHepMC2 or DelphesHepMC3) on a HepMC
// file and accepts its ROOT file only after checking it: Delphes exits
// with status 0 when it is interrupted or its input is truncated, with a
// valid file of the events it got that far (see Run).
//
// Pairer pairs showered (HepMC) and detector-level (Delphes) events with
// the LHE events they were made from, by the incoming partons of the hard
// process and the named weights; neither the HepMC nor the Delphes event
// number identifies the LHE event (see PairKey).
//
// Every failure, including a panic inside groot, is returned as an error
// that starts with "delphes: " and names the file and, where known, the
// branch and entry.
package delphes
