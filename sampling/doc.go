// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package sampling draws unweighted training and test samples from weighted
// events and "mines gold": the joint likelihood ratio and the joint score of
// every drawn event.
//
// For events i with weights W_ib at the benchmarks b and morphing weights
// w_b(θ) (package morphing),
//
//	dσ_i(θ) = Σ_b w_b(θ) W_ib,   σ(θ) = Σ_i dσ_i(θ),
//	r(x_i,z_i|θ0,θ1) = [dσ_i(θ0)/σ(θ0)] / [dσ_i(θ1)/σ(θ1)],
//	t(x_i,z_i|θ)     = ∇dσ_i(θ)/dσ_i(θ) − ∇σ(θ)/σ(θ).
//
// The sample kinds follow MadMiner's SampleAugmenter: Plain (x, θ), Local
// (x, θ, t at one θ), Density (x, θ, t with θ from a prior), Ratio (x, θ0,
// θ1, y, r, t0, t1; with a list of θ1 the doubly parameterised sample) and
// TestSample (x, θ from the test partition). Write stores them as .npy files
// with MadMiner's names plus a JSON manifest, and Read reads back, shape
// checked, the arrays a sample of a kind gives training. Simulated turns a
// sample drawn from a simulator (package simulators) into a Result to
// write: simulated events are independent, so n_eff is the sample size.
//
// # Two passes for any number of parameter points
//
// Run reads the events twice, whatever the number of parameter points. The
// first pass stores, for blocks of 64 consecutive events, the per-benchmark
// sums of the weights (and, per sample, the second moments Σ_i W_ib W_ib').
// From them σ(θ), ∇σ(θ), the statistical uncertainty and the effective number
// of events at any θ cost O(number of benchmarks × blocks), and the mass of
// every block at θ is a dot product. For each sampling point the draws are
// sorted uniform variates (made from exponential spacings) mapped to blocks by
// the block masses; the second pass keeps only the blocks that received draws
// and resolves each draw inside its block. The cost is O(N + n_samples ×
// block size), flat in the number of parameter points, and memory is bounded
// by the batch size, the block sums and the samples themselves.
//
// # Draws per point and row order
//
// A request's n samples are spread over its parameter points as evenly as
// possible (the first n mod n_points points get one more), so exactly n rows
// are returned; MadMiner gives every point max(round(n/n_points), 1) rows,
// which need not add up to n. A Ratio sample draws n/2 rows from the θ0
// points (y = 0) and the rest from the θ1 points (y = 1). Rows are finally
// shuffled with a permutation drawn from the seed, so that no row order
// follows the file order.
//
// # Partitions
//
// The partitions are those of package partition, the one scheme of every
// stage. Events are split by index into train [0, r(0.6N)), validation
// [r(0.6N), r(0.8N)) and test [r(0.8N), N) for the default split (r rounds
// half to even, as Python). MadMiner starts validation and test one event
// later and so never uses one event per boundary; goldmine does not copy that.
// The train partition is identical to MadMiner's. Weights are corrected for
// the partition with N_s/N_{s,P} per sample s (events of the sample in the
// file over those in the partition), which equals MadMiner's 1/fraction for
// the train partition. Config.Compat.Partitions (part of MadMinerCompat)
// restores MadMiner's ranges and 1/fraction corrections, to reproduce its
// numbers.
//
// # Cross sections
//
// CrossSections gives σ(θ), ∇σ(θ) and the statistical uncertainty at any list
// of points in one pass over the events, as MadMiner's DataAnalyzer.xsecs and
// xsec_gradients. The uncertainty is sqrt(Σ_i dσ_i(θ)²); MadMiner's
// sqrt(max(Σ_b w_b(θ) Σ_i W_ib², 0)), which morphs the squared weights and is
// therefore not the uncertainty of σ(θ) away from the benchmarks (it is 0
// where that sum is negative), is given beside it (Xsec.UncMadMiner).
//
// # Closest benchmark
//
// As MadMiner, by default a point θ is sampled only from the events generated
// at the benchmark closest to θ (Euclidean distance, among benchmarks with
// events) plus background events; the cross sections used for r and t are
// then computed over the same events. Request.AllBenchmarks (for one
// sample) and Config.AllBenchmarks (for all) combine all samples with the
// fractions N_s/N of the signal events, as MadMiner.
//
// # Negative weights
//
// MadMiner silently gives events with dσ_i(θ) < 0 the probability 0 while
// still normalising with σ(θ). goldmine draws blocks with probability
// proportional to their summed weight at θ (a block with negative summed
// weight is never drawn and counted in Result.NegativeBlocks) and, inside a
// block, events in proportion to max(dσ_i(θ), 0); negative-weight events thus
// cancel against the positive events of their own block, and the block-level
// distribution stays exact. Every such event met is counted in
// Result.NegativeEvents and a warning is written to Config.Log. The joint
// ratio and score always use the true σ(θ). With non-negative weights the
// sampling is exact.
//
// # Effective number of events
//
// Result.Points[k].NEff is Kish's effective number of events
// (Σ_i dσ_i)²/Σ_i dσ_i² over the events a point is sampled from. MadMiner
// reports 1/max_i(dσ_i/σ), a smaller and noisier number that needs every
// event's weight at every θ. Config.MinNEff makes Run fail when a point falls
// below it, instead of MadMiner's n_eff_forced, which discards large-weight
// events and distorts the distributions.
//
// # Nuisance parameters
//
// With Config.Nuisance (a morphing.NuisanceMorpher over the weight columns)
// event weights become dσ_i(θ,ν) = dσ_i(θ) exp(Σ_k a_ik ν_k + b_ik ν_k²).
// Local and Density samples then carry the joint score with respect to
// (θ, ν), as MadMiner's nuisance_score: t_ν = a_i + 2 b_i ν − ∂_ν σ/σ.
// Request.Nu (and Nu1 for θ1 of Ratio samples) gives fixed or random
// (standard normal, per point) ν; the θ arrays then carry ν after θ.
// At the nominal ν = 0, σ and ∂_ν σ = Σ_i dσ_i(θ) a_i follow from
// per-benchmark sums of the first pass, so any number of nominal points stays
// cheap. σ(θ,ν) at ν ≠ 0 does not decompose into such sums: for every point
// with non-nominal ν the first pass accumulates σ, its gradients and the block
// masses event by event, which costs O(N) time and O(N/64) memory per such
// point (still within the same two passes). A non-positive nuisance weight
// ratio is an error naming the event (MadMiner clips the coefficients to
// [−10, 10]).
//
// # Not implemented
//
// MadMiner's sample_train_more_ratios with additional θ is not provided; the
// doubly parameterised Ratio sample covers its main use. Ratio samples carry
// no nuisance components in t_xz0 and t_xz1 (neither does MadMiner's).
package sampling
