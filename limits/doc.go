// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package limits computes expected and observed exclusion limits: profile
// likelihood-ratio scans over a θ grid with p-values from Wilks' theorem or
// from toy experiments. The Fisher-information forecasts live in the
// sub-package fisher.
//
// # Likelihood
//
// A Model binds a data set (observed events with multiplicities, or Asimov
// data: the test events weighted to θ_true) and returns −log L(θ, ν) with
//
//	log L = Σ_i c_i log p̂(x_i|θ, ν) + log Pois(n | L σ(θ, ν)) − ½ Σ_k ν_k²
//
// where c_i are the event multiplicities (n ŵ_i for Asimov data), p̂ is a
// histogram density (modes rate, histo, sally, adaptive-sally, sallino) or
// the kinematic log-likelihood ratio log r̂ of a neural estimator (mode ml,
// given as a callback, optionally normalised at every θ so that
// E_θ1[r̂] = 1: see Normalization), the Poisson term is optional, and the nuisance
// parameters ν, measured in units of their Gaussian constraint, change
// rates by exp(a ν + b ν²) (MadMiner's nuisance morphing).
//
// # Scan
//
// Scan evaluates the profile likelihood on a grid (nuisance parameters
// profiled by continuous minimisation, or fixed at zero), finds the best
// fit by a continuous minimisation (gonum/optimize) started from the best
// grid point, and reports q(θ) = −2 log λ(θ) and p(θ) = P(χ²_k > q) with k
// the number of physics parameters. Calibrate checks Wilks' asymptotics
// with Poisson-fluctuated pseudo-data at chosen points.
//
// # Events
//
// The package reads events through EventReader, a small batch reader
// (*store.EventFile implements it), never a file format: LoadSample reads
// a partition's events with their benchmark weights (or a summary
// statistic of them, such as estimated scores), Expected and PseudoData
// turn a sample into Asimov or pseudo-data, and RateEffects and
// ShapeEffects give the nuisance parameters' effects on the rate and per
// histogram bin. FromEvents runs the scans of a limits stage from plain
// specifications (ScanSpec, EventSettings) on an event file; Toys and
// Calibrate take their settings as structs.
//
// # Shards
//
// A scan can be cut into chunks of grid points (ChunkIndices,
// ScanPoints) run anywhere, and MergeScan assembles them: the best fit
// over all chunks and the p-values from the merged log-likelihood grid,
// Scan's result exactly (Scan is ScanPoints over all points followed by
// the same merge). A toy calibration can be cut into batches
// (CalibrateBatch, each with its own generator, from (seed, stage, batch)
// in a sharded run) that MergeCalibration combines in batch order. Chunk
// and batch files keep every value exactly in JSON (ExactFloats).
//
// # Differences from MadMiner
//
// Compat switches MadMiner's conventions back on, one by one or all at
// once (MadMinerCompat); Compat.Apply sets them in the settings structs
// they concern and Compat.ApplyEvents in those of FromEvents (a card's
// limits.compat: madminer). The tests reproduce MadMiner's rate and
// histogram p-value grids with it to 1e-6.
//
//   - MadMiner puts the best fit on a grid point; Scan minimises
//     continuously (Settings.GridOnly restores MadMiner's choice).
//   - MadMiner has no nuisance parameters in limits.
//   - MadMiner uses log r̂ of a ratio estimator as it is; ML.Norm
//     normalises it at every θ, which removes the bias a θ-dependent
//     normalisation error of the network puts on the best fit.
//   - MadMiner's test partition starts one event after the end of the
//     training partition and rescales by 1/test_split although it holds one
//     event fewer; Split{MadMiner: true} reproduces that, the default
//     partitions are contiguous and rescaled by the exact event fraction.
//   - MadMiner rounds the expected number of Asimov events in the Poisson
//     term (RateTerm.RoundObserved restores it).
//   - Integer grid resolutions work.
package limits
