// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package madgraph writes MadGraph5_aMC (and Pythia 8) cards and runs the
// event-generation jobs of a goldmine campaign, the way MadMiner does.
//
// # Cards
//
// A [CardWriter] compiles each parameter's param_card_transform (an
// expression in theta, evaluated with github.com/expr-lang/expr) once and
// writes, per run, the param card (the user's template with the sampling
// benchmark's values) and the reweight card (one launch block per other
// benchmark). [WriteRunCard] writes the run card with the systematics
// settings (use_syst, systematics_program, systematics_arguments).
// [LaunchCommands] writes the MG5 command file that launches one run.
//
// For the ZH study the param, reweight and run cards are equal, line by
// line, to the ones MadMiner wrote (see the tests), with these documented
// differences:
//   - comments name goldmine where MadMiner's name MadMiner ("# goldmine",
//     "# Commented out by goldmine", "# goldmine benchmark NAME");
//   - the param card keeps the template's final newline (MadMiner drops it);
//   - systematics_arguments are plain text, --mur=0.5,1.0,2.0, where
//     MadMiner writes the Python bytes repr --mur=b'0.5,1.0,2.0' after
//     loading its setup file;
//   - the command files answer every question MG5 asks (see below): the
//     launch file has one more "done" line than MadMiner's, and the
//     reweight card ends with a "done" line (after a comment).
//
// # Questions MG5 asks
//
// MG5 reads the answers to its questions from the command file. After
// "launch DIR" it asks which programs to switch on (answered by the
// shower=, detector=, analysis=, madspin=, reweight= lines and "done") and
// then "Do you want to edit a card (press enter to bypass editing)?"
// (answered by a second "done"; MadMiner's file has only one). When the
// command file has no answer left and standard input is not a terminal, MG5
// waits for the answer on standard input: this is the hang MadMiner's users
// report (madminer issue #541, in the reweighting step: the "set" lines of a
// reweight block answer the same card-editing question, which the next
// "launch" line ends, but nothing ends it after the last block). goldmine
// ends the reweight card with "done", runs MG5 with standard input on
// /dev/null (the scripts do the same with "< /dev/null"), so that a
// question nobody answers ends at once instead of waiting forever, and
// writes "automatic_html_opening = False" into each run's
// Cards/me5_configuration.txt so that no browser is started. A per-run
// timeout (Config.Timeout) is the last line of defence; on it, or on
// cancellation, the whole process group of the run is killed.
//
// MG5 often exits with status 0 after an error, so goldmine also reads the
// log: the lines by which MG5 reports errors ("Command ... interrupted with
// error:", "InvalidCmd : ...", "Error detected in ...", "Command ... not
// recognized") go into [RunError] together with the run's name and log
// file. A failed process generation is the run "generate".
//
// Only leading-order (madevent) processes are driven; the switches are
// those of MG5_aMC 2.6 to 3.x, as in MadMiner.
//
// # Outputs and existing samples
//
// [Outputs] lists the event files of a job folder (and [ProcessOutputs]
// those of any MG5 process folder) with each run's sampling benchmark,
// background flag and weight names, so that a card's samples can point at
// them. [Reweight] adds the benchmark weights to a sample MG5 generated
// before (MadMiner's reweight_existing_sample), through the process
// folder's bin/madevent.
//
// # Job folder
//
// [Prepare] writes the whole job folder; [Generate] prepares and runs it:
//
//	WORKDIR/cards/proc_card.dat        the user's process card
//	WORKDIR/cards/NAME/                param, run, reweight (and Pythia 8,
//	                                   Delphes, MadSpin) cards of run NAME
//	WORKDIR/process/                   MG5 process folder ("output", once)
//	WORKDIR/runs/NAME/                 a copy of process/ for run NAME, so
//	                                   that runs can go in parallel
//	WORKDIR/logs/generate.log, NAME.log
//	WORKDIR/scripts/generate.sh, run_NAME.sh, reweight_NAME.sh
//	WORKDIR/run_all.sh                 master script: generate, then all runs
//	WORKDIR/runs.json                  each run's sampling benchmark,
//	                                   background flag and weight names
//	WORKDIR/results.json               outcome of the last Generate
//
// The scripts run by hand (bash run_all.sh [JOBS]); [Generate] executes the
// very same scripts, so what the tests check is what a user runs on a
// cluster. MG5_AMC, GOLDMINE_WORKDIR and GOLDMINE_PYTHON in the environment
// override the MG5 executable, the folder and the Python interpreter (in
// Generate as in the scripts). The interpreter's folder goes first on
// PATH: MG5 starts its own scripts (bin/generate_events, the reweighting)
// through "#!/usr/bin/env python3", so they use the python3 found first on
// PATH, not the one that started mg5_aMC.
//
// # Preflight
//
// Before any MG5 work Generate runs [Plan.Preflight]: mg5_aMC must start
// (mg5_aMC --help), the Python that runs it and the python3 its scripts
// find on PATH must be Python 3.7 or later and, when a run is reweighted,
// import numpy and numpy.f2py, an f2py must be on PATH (MG5 compiles the
// reweighting module with it), and gfortran must be there. A failure is
// one line wrapping [ErrPreflight] that says what to install or set, within
// a second and before MG5 has done anything (a Python without numpy would
// otherwise fail MG5's reweighting after the whole integration).
//
// # Interrupts
//
// Each script runs in a process group of its own. When the context is
// cancelled (goldmine turns SIGINT and SIGTERM into that) or a run times
// out, the group gets SIGTERM and, whatever is left after 5 s, SIGKILL;
// Generate returns only when no process of the group is left. The run
// lacks its goldmine.fingerprint then, so it is incomplete ([Output]
// Complete is false and the next Generate redoes it from a fresh copy of
// the process folder) while the runs that finished are kept.
//
// # Resume
//
// A run is complete when runs/NAME/Events/run_*/unweighted_events.lhe.gz
// exists, holds at least one event and, unless the run is a background run,
// declares a weight for every benchmark it was reweighted to, and when the
// run was made from its current cards: the run script, at its successful
// end, copies cards/NAME/fingerprint (a SHA-256 of the process card, the
// run's cards and switches) to runs/NAME/goldmine.fingerprint. [Generate]
// skips complete runs (Config.Force re-runs them) and re-does the others
// from a fresh copy of the process folder. The process folder is generated
// again only when process/bin/generate_events is missing or the process card
// differs from the one it was made from (process/goldmine.proc_card.dat).
// run_all.sh applies the same rules, except that it does not look inside
// the event file.
package madgraph
