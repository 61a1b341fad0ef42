// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package posterior computes Bayesian posteriors p(θ|x) ∝ L(x|θ) π(θ)
// from any likelihood or likelihood ratio goldmine can evaluate, on a grid
// and by MCMC, with convergence diagnostics, ensemble mixtures and
// calibration checks.
//
// The package knows nothing of cards, files or estimators: a model is a
// LogLikelihood func(params []float64) (float64, error) for one data set,
// a prior per parameter and the number of parameters of interest. Any
// θ-independent factor of L cancels, so a log-likelihood ratio
// log r(x|θ, θ_ref) serves as well (a limits.LogLikelihood adapts in one
// line; see LogLikelihood). Slices passed in are not modified.
//
// # Priors
//
// Uniform{Min, Max} (the default on a parameter's range), Gaussian{Mu,
// Sigma} optionally truncated to [Min, Max] with density
// φ((θ−μ)/σ)/(σ [Φ(b) − Φ(a)]), and LogUniform{Min, Max} with density
// 1/(θ log(Max/Min)). Priors are independent: log π(θ) = Σ_i log π_i(θ_i).
// Nuisance parameters ν, in units of their uncertainty, have the prior
// Gaussian{Sigma: 1}, the constraint −ν²/2 that limits adds to log L.
//
// # Grid
//
// On a rectilinear grid (first axis outermost, as limits.Grid) every point
// k stands for its cell, halfway to its neighbours, of volume V_k; its
// probability is P_k = p_k V_k with p_k = exp(ℓ_k − max ℓ)/Z,
// ℓ = log L + log π, Z = Σ_k exp(ℓ_k − max ℓ) V_k. Sums over cells are
// the trapezoidal rule. Means, covariances and marginals (sums of P_k
// over the other axes) follow. The highest-posterior-density (HPD) region
// of credibility α is R_α = {θ : p(θ) ≥ t_α} with ∫_{R_α} p = α; its
// volume is the area of a 2-D region. On a 1-D grid p is the linear
// interpolation between points, whose integral is the trapezoidal rule,
// and t_α, the interval ends, lengths and draws are exact for it. On
// grids of more dimensions, the mass of R_t at t = p_k counts the denser
// cells and half of the cells of density p_k (whose cells the boundary
// cuts), interpolated linearly between the p_k; volumes likewise. The
// credibility of a point θ is the mass of {θ' : p(θ') > p(θ)} (p(θ) by
// multilinear interpolation): θ lies in R_α exactly when its credibility
// is at most α.
//
// # MCMC
//
// Sample runs one of two established samplers, every chain c drawing from
// PCG(Seed, c) so that the output does not depend on the number of
// workers:
//
//   - Stretch, the affine-invariant ensemble sampler (Goodman and Weare,
//     Comm. App. Math. Comp. Sci. 5 (2010) 65): walker X_k moves to
//     Y = X_j + z (X_k − X_j), X_j a random walker of the other half of the
//     ensemble, z drawn from g(z) ∝ z^(−1/2) on [1/a, a] (a = 2) by
//     z = ((a−1)u + 1)²/a, accepted with probability
//     min(1, z^(d−1) p(Y)/p(X_k)); the halves move in turn, as in emcee
//     (Foreman-Mackey et al., PASP 125 (2013) 306).
//   - Slice, univariate slice sampling (Neal, Ann. Statist. 31 (2003) 705)
//     coordinate by coordinate: a level log y = ℓ(x) − E, E ~ Exp(1); an
//     interval of width w placed at random around x and stepped out by w
//     until both ends lie below the level; points drawn uniformly in it,
//     the interval shrunk towards x after each rejection. The widths start
//     at the prior's spread and become 2.5 standard deviations of the
//     second half of warm-up (the mean slice width of a Gaussian).
//
// Nuisance parameters are ordinary sampled dimensions; marginalising them
// is ignoring them, and summaries report the parameters of interest.
//
// # Diagnostics
//
// Following Vehtari, Gelman, Simpson, Carpenter and Bürkner (Bayesian
// Analysis 16 (2021) 667), chains are split in halves. With M chains of N
// draws, within-chain variance W, chain means θ̄_m and
// var⁺ = (N−1)/N W + Var_m(θ̄_m), R̂ = √(var⁺/W) is computed on the
// rank-normalised draws z = Φ⁻¹((r − 3/8)/(S + 1/4)) (bulk) and on the
// rank-normalised folded draws |θ − median θ| (tails); RHat reports the
// larger. The effective sample size is S/τ with
// ρ_t = 1 − (W − mean_m γ_{m,t})/var⁺ (γ the autocovariances, by FFT) and
// τ = −1 + 2 Σ_{k=0}^{K} (ρ_{2k} + ρ_{2k+1}), truncated before the first
// negative pair sum and made monotone (Geyer's initial positive and
// monotone sequences, Statist. Sci. 7 (1992) 473): ESS on the raw draws,
// BulkESS on the rank-normalised ones, TailESS from the indicators of
// the 5% and 95% quantiles. For Stretch, ESS treats each walker as a chain
// and R̂ compares whole ensembles. The acceptance rate is that of the
// stretch moves.
//
// # Ensembles
//
// The posterior of an ensemble of M estimators is the equal-weight
// mixture (1/M) Σ_m p_m(θ|x) of the members' normalised posteriors
// (SampleMixture, GridMixture); EnsembleSummary adds the members'
// summaries and the spread of their means, widths and areas.
//
// # Calibration
//
// Calibrate runs simulation-based calibration (Talts, Betancourt, Simpson,
// Vehtari, Gelman, arXiv:1804.06788): θ̃ ~ π, x̃ ~ p(x|θ̃), and the rank
// r = #{l : θ_l < θ̃} of θ̃ among L draws θ_l ~ p(θ|x̃) is uniform on
// {0, …, L} for every parameter if the posterior is right (a necessary
// condition, not a sufficient one: the prior itself passes). Over N data sets the rank histogram is tested
// with Pearson's χ² (bins − 1 degrees of freedom) and the randomised ranks
// (r + V)/(L + 1), V ~ U(0, 1), exactly uniform under calibration, with
// the Kolmogorov–Smirnov test (p-value from the Kolmogorov distribution
// with Stephens' finite-n correction). For fits that know their density
// the credibility c of θ̃ (mass of the region denser than θ̃) is uniform
// too; the fraction of data sets with c ≤ α is the expected coverage of
// the α HPD region (Hermans et al., "A trust crisis in simulation-based
// inference?", TMLR 2022).
//
// # Files
//
// Summary.WriteJSON writes the summary atomically; Chains.Flat returns
// the draws as the array store.WriteNPY writes.
package posterior
