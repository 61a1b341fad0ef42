// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package morphing writes the squared matrix element at any parameter point θ
// as a fixed linear combination of its values at a few basis points.
//
// If every event weight is a polynomial in the theory parameters θ with known
// monomials ("components") c(θ) = ∏_p θ_p^{n_cp}, then for a basis of points
// θ_b the weights at any θ are
//
//	dσ(x|θ) = Σ_b w_b(θ) dσ(x|θ_b),   w_b(θ) = Σ_c M[c,b] c(θ).
//
// M is the morphing matrix. Its orientation is MadMiner's: M has shape
// (number of components, number of basis points), as stored in the
// morphing/morphing_matrix dataset of MadMiner's HDF5 files.
//
// # Construction
//
// For a square basis (as many points as components) M is the inverse of the
// component matrix A[b,c] = c(θ_b), obtained by an LU solve. For an
// over-determined basis (more points than components) M is the Moore–Penrose
// pseudo-inverse of A computed with an SVD: among all weight vectors that
// reproduce every polynomial in the span of the components exactly, it returns
// the one with the smallest Σ_b w_b². A basis whose component matrix is
// singular or too ill-conditioned gives a *SingularError.
//
// # Conventions
//
// Slices named dst receive results; a nil dst is allocated. All other slice
// arguments are read-only. Gradients are laid out row-major with the
// parameter index outermost: dst[p*NumBasis()+b] = ∂w_b/∂θ_p, which is the
// (n_parameters, n_benchmarks) layout of MadMiner's
// calculate_morphing_weight_gradient.
//
// # Basis choice
//
// ChooseBasis picks the basis among named benchmarks: the named basis, or
// an optimised one (OptimizeBasis) that keeps chosen benchmarks fixed and
// names the new points morphing_basis_vector_i, with the basis first in
// the returned benchmarks as MadMiner stores them.
//
// # Nuisance parameters
//
// NuisanceMorpher models the effect of nuisance parameters ν on an event weight
// as the factor exp(Σ_i a_i ν_i + b_i ν_i²), with per-event coefficients
// determined from the nominal and ±1σ weights as in MadMiner.
//
// # Differences from MadMiner
//
//   - The square morphing matrix is obtained by an LU solve, not by an
//     explicit inverse, and its condition number is reported (Cond).
//   - Basis optimisation (OptimizeBasis) refines the best random bases with a
//     local Nelder–Mead search instead of keeping the best of 100 random draws,
//     and evaluates all candidates on one common set of test points, so that
//     candidates are compared on the same footing.
//   - NuisanceMorpher does not clip the coefficients a, b to [-10, 10]: a
//     non-positive weight ratio is reported as an error instead of being
//     silently replaced.
package morphing
