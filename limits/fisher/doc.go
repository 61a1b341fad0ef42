// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package fisher computes expected Fisher information matrices from weighted
// Monte-Carlo events, with MadMiner's formulas and conventions, and the
// operations on them that forecasts need: profiling, projection, Gaussian
// constraints for nuisance parameters, linearised distances and contours,
// and information geometry.
//
// # Conventions
//
// Cross sections are in pb, luminosities in pb⁻¹ (DefaultLuminosity is
// 300 fb⁻¹ = 3e5 pb⁻¹), so that L·σ is an expected number of events. Event
// weights are per-benchmark weights in pb that sum to the cross section.
// The morphing gives dσ(x|θ) = Σ_b w_b(θ) dσ(x|θ_b); gradients are taken
// with respect to θ and, when present, nuisance parameters ν at ν = 0.
//
// All information types are accumulators: Add a batch of events at a time,
// then ask for the result, so memory is bounded by the batch. Slices named
// dst receive results; all other slice arguments are read-only.
//
// # Information formulas
//
//   - truth (parton level): I = L Σ_i ∇dσ_i ∇dσ_iᵀ / dσ_i
//   - rate: I = L ∇σ ∇σᵀ / σ
//   - histogram: the rate formula summed over the bins (with under- and
//     overflow bins, as MadMiner)
//   - SALLY: I = I_rate + L σ E[t̂ t̂ᵀ] with the expectation over the events
//     weighted at θ.
//
// Nuisance parameters enter through a_k(x) = ∂ log dσ(x|θ,ν)/∂ν_k at ν = 0,
// so that ∂dσ/∂ν_k = dσ·a_k; their Gaussian constraint adds the unit
// diagonal (ν measured in units of its standard deviation).
//
// # Statistical uncertainty
//
// The covariance of the information follows from linear error propagation
// of the Monte-Carlo uncertainty of the event (or bin) weights, with the
// weights of one event (bin) fully correlated across benchmarks, as in
// MadMiner. The Jacobian of one event's information with respect to its
// benchmark weight W_b is
//
//	∂I_ij/∂W_b = L [ ∂_i w_b ∂_j σ/σ + ∂_j w_b ∂_i σ/σ − w_b ∂_i σ ∂_j σ/σ² ].
//
// MadMiner adds the last term instead of subtracting it; for events this
// inflates its covariance ninefold. goldmine uses the derivative above and
// checks it against finite differences and a bootstrap.
package fisher
