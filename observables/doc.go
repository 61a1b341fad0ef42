// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package observables turns the particles of one collision event into the
// numbers an analysis keeps: four-vectors, the physics-object collections
// MadMiner defines, observables, cuts and efficiencies written as
// expressions, Gaussian smearing and object acceptance.
//
// # Events
//
// A reader fills one reusable Event per goroutine through its builder API
// (Reset, AddLHE or AddObject, SetMET, Finish) and never imports anything
// else from this package. After Finish the collections hold, in the
// MadMiner convention:
//
//	p        all final-state (status 1) particles, in file order
//	p_truth  the same particles before smearing
//	e, mu    electrons (|id| 11) and muons (|id| 13)
//	tau      taus (|id| 15)
//	l        e and mu together
//	a        photons (id 22)
//	j        quarks (|id| 1-6), id 9 and gluons (21); b-tag for |id| 5, top tag for |id| 6
//	v        neutrinos (|id| 12, 14, 16)
//	met      minus the transverse sum of the visible particles (all Standard
//	         Model particles except neutrinos, including W, Z and H), pz = 0, E = |pT|
//	visible  the four-vector sum of the visible particles; all = visible + met
//	p_in     the incoming particles of an LHE event (status -1), in file
//	         order: for MG5 the parton of beam 1 (+z), then that of beam 2
//
// Every collection except p, p_truth and p_in is sorted by descending pT.
// p_in is never smeared nor cut; with it, the PDG ids (pdgid) and the
// helicities (helicity), expressions can read the whole parton-level event
// record, which is what x is when nothing is to be latent (the incoming
// momenta and flavours fix the parton luminosity, the helicities the
// matrix element of one helicity configuration).
// Expressions can also read the event numbers scale, alpha_qed, alpha_qcd
// and n_particles (from the LHE event line, as in MadMiner), ht (the scalar
// pT sum of the visible objects), weight, and the constant pi.
//
// # Expressions
//
// Observables, cuts and efficiencies are compiled once with
// github.com/expr-lang/expr after a translation of the Python subset that
// MadMiner definition strings use, so that definitions such as
//
//	(e[0] + e[1]).m
//	e[0].deltaphi(e[1])
//	[x for x in p if abs(x.pdgid) == 25][0].pt
//	e[0].pt > 20. and j[1].eta < 2
//
// work unchanged. Indexing past the end of a collection makes Eval return an
// error wrapping ErrMissingObject, so that the caller can use the observable's
// default or drop the event; Analysis does this with MadMiner's rules and
// counts every reason. Cuts compiled with Compiler.Vars can use the values of
// earlier observables by name.
//
// Particles have the attributes pt, eta, phi, m, e, px, py, pz, p, rapidity,
// theta, et, mt, charge, pdgid, status, helicity (the LHE SPINUP column, 9
// when unknown; alias spin), b_tag, tau_tag and t_tag (plus the aliases of
// scikit-hep vector such as mass, rho or E), costheta, and the methods
// deltaphi, deltaeta, deltaR, deltaR2, deltaRapidityPhi, dot (Minkowski)
// and deltaangle (the angle between the momenta); + and - add and subtract
// four-vectors. The methods boostCM_of_p4(q) (alias boostCM_of: the
// particle in the rest frame of q, as in scikit-hep vector) and cross(q)
// (the cross product of the momenta, a spatial vector with E = 0) give
// particles, so that angles in rest frames can be written, for instance
// the e⁻ decay angle in the Z rest frame reached through the Zh frame:
//
//	z = (e[0] + e[1]).boostCM_of_p4(visible)
//	e[1].boostCM_of_p4(visible).boostCM_of_p4(z).deltaangle(z)
//
// (with z written out: observables cannot refer to each other). Math functions work with or without their module
// prefix (math.cos, np.arctan2, sqrt, abs, ...), as do Python's and/or/not,
// conditional expressions, tuples, chained comparisons, the floor modulus and
// list comprehensions (translated to expr's filter and map).
//
// Booleans are Python's integers 0 and 1 wherever Python treats them so:
// 1. * (e[0].pt > 50), True * 0.7, (a > 1) + (b < 2), True == 1 and
// sum([x.pt > 20 for x in j]) give what Python gives. Any value has Python's
// truth value in conditions, not, and and or; and and or return one of their
// operands (e[0].pt > 40 and 0.9 or 0.5 is 0.9 or 0.5), evaluating the right
// one only when needed. Python's builtins sum, any, all, round (half to
// even), bool, abs, min, max, int, float and len work as in Python. All of
// this is decided at compile time from the types of the syntax tree, so
// definitions without booleans compile to the same program as before.
// testdata/madminer_eval.py evaluates the same strings with Python's eval on
// the same events, and the tests compare the two.
//
// # Names
//
// Observable names are Python identifiers (CheckName), and may be the names
// of event objects, event numbers or functions (met, e, j, ht, pi, sqrt,
// ...), as MadMiner allows. Observables and objects then live in separate
// namespaces: an observable definition sees only the objects (observables
// cannot refer to each other, as in MadMiner); in cuts and efficiencies a
// name followed by '.', '[' or '(' means the object or function and any
// other use of the name means the observable, so that with an observable
// met, the cut met > 20 uses the observable and met.pt the object. MadMiner
// makes the observable shadow the object in cuts; every cut MadMiner can
// evaluate gives the same value here.
//
// A compiled Program is immutable and may be shared by goroutines; each
// goroutine fills its own Event, which caches the evaluation environment.
//
// # Deliberate differences from MadMiner
//
//   - phi is always atan2(py, px) in (-π, π]. MadMiner rebuilds every
//     (smeared) particle from (pT, η, φ, E) with φ wrapped into [0, 2π), so its
//     e[0].phi differs by 2π for negative angles; deltaphi is unaffected.
//   - Particles whose PDG id has no smearing entry are kept unsmeared; MadMiner
//     silently removes them from p and from every collection.
//   - SetSmearing without PDG ids covers the visible particles (IsVisible);
//     MadMiner's set_smearing(pdgids=None) smears neutrinos too.
//   - The relative smearing terms use |X|; MadMiner uses X, so a negative η or φ
//     with a relative resolution is never smeared there.
//   - visible and all exist for LHE events (MadMiner's add_default_observables
//     refers to an undefined visible and drops every event), and the default
//     observables include the lepton charges MadMiner means to add but never does.
//   - boost_to_com(x) boosts x into the rest frame of all; MadMiner passes the
//     momentum of all as a velocity.
//   - In cuts and efficiencies, met.pt, e[0] or sqrt(x) keep their object or
//     function meaning next to an observable named met, e or sqrt; in
//     MadMiner the observable value shadows them and the expression fails.
//   - A cut whose value is NaN fails (Program.EvalBool); Python's truth value
//     of NaN, which MadMiner uses, is true. Inside expressions (not, and, or,
//     conditions) NaN is true, as in Python.
//   - Module prefixes (math., np.) are accepted; MadMiner's eval knows only
//     the bare math functions (cos, sqrt, ...) and fails on math.cos.
package observables
