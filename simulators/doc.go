// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package simulators mines gold from any stochastic simulator written in
// Go (Brehmer, Louppe, Pavez, Cranmer, "Mining gold from implicit models",
// arXiv:1805.12244): the joint likelihood ratio r(x,z|θ0,θ1) and the joint
// score t(x,z|θ) of every simulated event, from which the ml package trains
// CARL, ROLR, ALICE, CASCAL, RASCAL, ALICES, SALLY and friends.
//
// # Tracing
//
// A Simulator is a function func(theta []Dual, t *Tracer) []float64. It
// computes the parameters of each random step from θ with Dual, a
// forward-mode dual number carrying the gradient with respect to θ, and
// makes every draw through the Tracer (Normal, Bernoulli, Poisson,
// Exponential, Categorical, Uniform). The tracer draws from a seeded
// math/rand/v2 source, records the drawn values (the Trace, the latent z)
// and accumulates log p(z|θ) and its gradient, the joint score
// t(x,z|θ) = ∇θ log p(z|θ) (the observables x are a deterministic function
// of z, so p(x,z|θ) = p(z|θ)).
//
// Rescore replays a trace at another θ: it re-runs the simulator with the
// recorded values in place of new draws, so the distribution parameters are
// recomputed at the new θ and log p(z|θ) is evaluated without drawing.
// JointRatio does so at θ0 and θ1: log r(x,z|θ0,θ1) = log p(z|θ0) −
// log p(z|θ1). A replay checks that the simulator asks for the same
// sequence of distributions as the trace holds.
//
// # Batches
//
// SampleScore and SampleRatio simulate many events in parallel
// (reproducibly: event i draws from PCG(seed, i)) into a Sample laid out as
// goldmine's augmented samples (the package knows nothing of ml: the
// arrays are plain slices in the layout of the .npy files).
//
// # Built-in simulators
//
// Gaussian (latent z ~ N(θ, σ_z²), x ~ N(z, σ_x²)), Galton (the
// generalized Galton board, with exact p(x|θ) and score by dynamic
// programming over positions) and LotkaVolterra (Gillespie simulation of
// the stochastic predator–prey model with summary statistics). Builtin
// returns them by name with their settings (the registry a card's
// simulator section names), with the exact likelihood and score where
// they are known (Model.LogLikelihood, LogLikelihoodRows, Scores).
// The sample-efficiency study on the Galton board is package study.
//
// # Caveats
//
// A draw whose support depends on θ (Uniform with θ-dependent bounds)
// has a joint score, but E[t(x,z|θ)] = 0 fails for it: the moving boundary
// contributes. The Lotka–Volterra summary statistics use log(1 + mean) and
// log(1 + variance) instead of the logarithms, so that extinct series stay
// finite.
package simulators
