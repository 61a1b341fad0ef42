// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package shower runs Pythia 8 on LHE files: the parton shower and
// hadronisation between the event generator (MadGraph) and the detector
// simulation (Delphes), for users whose MadGraph has no Pythia 8
// interface of its own.
//
// Run writes a Pythia command file, runs a Pythia 8 program on it and
// checks what it wrote. The program is called as
//
//	PROGRAM COMMANDFILE OUTPUT
//
// and must shower the LHE file the command file names and write HepMC
// (version 3 or 2) to OUTPUT. Pythia's example main42 does exactly this;
// a user's own program with the same command line serves as well.
//
// The command file holds, in this order: settings that keep the log
// short and give progress lines (which the user may change), the lines
// of the user's command file (tune, decays, ...), Config.Settings, and
// last the settings goldmine owns: Beams:frameType = 4, Beams:LHEF,
// Main:numberOfEvents and, when Config.Seed is set, Random:seed. A user
// command file that sets one of those is an error, not silently
// overridden.
//
// main42 exits with status 0 even when Pythia cannot initialise or gives
// up, writing an empty or short HepMC file. Run therefore fails when the
// log has a "PYTHIA Abort" line or main42's "aborted prematurely", and
// reads the HepMC file back, pairing each event with the LHE event it was
// made from (delphes.PairHepMC: incoming partons and named weights, see
// there). An LHE event that Pythia dropped fails the run unless
// Config.AllowDropped. The HepMC file is written under a hidden temporary
// name and renamed only when all checks pass, so an interrupted or
// failed run leaves nothing that looks complete.
package shower
