// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package ml trains and evaluates the neural estimators of MadMiner
// (SALLY, SALLINO, CARL, ROLR, ALICE, CASCAL, RASCAL, ALICES, NDE,
// SCANDAL) on its own small network engine built on gonum BLAS. It knows
// no physics: inputs are observations x, parameters θ and the augmented
// data (labels y, joint ratios r(x,z), joint scores t(x,z)).
//
// # Engine
//
// MLP is a dense network (torch.nn.Linear layout: W is out×in) with
// activations tanh (default), relu, sigmoid (a real logistic sigmoid),
// softplus, elu and lrelu. Tape runs a batched forward pass together
// with a forward-mode tangent along k input directions (the θ inputs),
// and Backward runs the reverse pass through both the primal values and
// the tangents. Losses that contain ∂(output)/∂θ (CASCAL, RASCAL,
// ALICES, SCANDAL) therefore get exact gradients; every gradient is
// checked against central finite differences in the tests.
//
// # Kernels
//
// A batch is row-major with the widths of product results padded to the
// kernels' vector length and the weights packed as Wᵀ and W, so that each
// layer of a batch is one matrix product per pass (forward, input
// gradient, weight gradient: NN or TN GEMMs), followed by fused loops for
// the activation and its tangents; the activation's second derivative
// comes from f and f′. In the pure-Go kernel set an output layer of a few
// columns (a score, a log-ratio) uses dot and outer products instead; the
// SIMD sets pad it to a vector and keep their matrix products, whose
// register blocks (6 rows × 2 vectors, in assembly) are faster there.
// tanh and the logistic function run a branch-free expm1 scheme (≤ 4
// ulp, derivatives with their relative accuracy where the function
// saturates). After the first batch of a size, passes allocate nothing.
//
// The default build is pure Go: products by gonum's BLAS (its assembly
// kernels), the rest in plain loops. Built with GOEXPERIMENT=simd (Go
// 1.26's experimental simd/archsimd) on amd64, the kernels are AVX2+FMA
// or, where the CPU has it, AVX-512, chosen at start-up (KernelName). In
// that build only, the matrix product of both is register blocks in Go
// assembly (gemm_fma_amd64.s).
// Results differ between kernel sets by rounding (fused multiply-adds,
// summation order); each kernel set is tested against float64 references.
//
// Settings.Precision selects float32 arithmetic (MadMiner's) for the MLP
// estimators; weights, optimizer state and the sums over a batch stay
// float64, and float64 remains the default and the precision of the
// gradient checks (float32 gradients are checked against central
// differences with step 1e−3 within 2e−3, and against float64 within
// 1e−4).
//
// Evaluation at many θ (LogRatioGrid, LogRatioGridRows, limits scans)
// standardises the observations and multiplies them into the first layer
// once per block of events for all θ: with inputs (θ̃, x̃) the first
// layer's pre-activation is W_x x̃ + (b + W_θ θ̃).
//
// # Estimators
//
//	ScoreEstimator                     SALLY, SALLINO: x → t̂(x); nuisance modes Keep/Profile/Project (SetNuisance)
//	ParameterizedRatioEstimator        CARL, ROLR, ALICE, CASCAL, RASCAL, ALICES: (θ, x) → log r̂(x|θ, θ_ref), t̂ = ∂ log r̂/∂θ
//	DoubleParameterizedRatioEstimator  the same with log r̂ = f(θ0,θ1,x) − f(θ1,θ0,x), scores at θ0 and θ1
//	LikelihoodEstimator                NDE, SCANDAL: conditional masked autoregressive flow, log p̂(x|θ) and ∂ log p̂/∂θ
//	Ensemble                           several estimators; mean and covariance of predictions and Fisher information
//
// Each estimator has Train(method, data, *Settings) (*History, error),
// evaluation methods (Score, LogRatio, LogRatioGrid, LogLikelihood,
// FisherInformation) that work in batches, and Save(dir); Load(dir)
// returns the saved estimator. Train(spec, data, settings) builds and
// trains the estimator a Spec describes (method and architecture; an
// Ensemble of Spec.Ensemble members), and Evaluate gives an estimator's
// or ensemble's predictions as named arrays (t_hat, log_r_hat,
// log_p_hat). The estimators share one set-up (estimator.go: the
// validation split and objective of every Train, the shape checks of
// training and evaluation). An Ensemble's predictions are the member
// means, computed in one place (Ensemble.Score, LogRatio, LogLikelihood,
// FisherInformation, ScoreRows, LogRatioRows).
//
// Fisher information is a *mat.SymDense, with the covariance of its
// entries for an ensemble (another *mat.SymDense); package limits/fisher
// holds the two as its Information, the one Fisher type goldmine passes
// on to package plot.
//
// # Conventions (MadMiner's)
//
// r(x|θ0,θ1) = p(x|θ0)/p(x|θ1). Label y = 0 marks samples drawn from θ0
// (numerator), y = 1 samples from θ1; ŝ = 1/(1+r̂) estimates the
// probability of y = 1. The network input is (θ̃, x̃) (parameters first)
// with x̃ and θ̃ standardised to zero mean and unit population variance
// (standard deviations floored at 1e−6); the scaling is fitted on the
// training data and stored with the model. Feature selection picks
// observables after scaling. Score-term losses are computed in
// standardised θ units (t̃ = σ_θ·t), evaluation returns θ units.
// Loss terms, with means over the batch (and over score components):
//
//	sally, sallino   mse_score   mean (t̂ − t)²
//	carl             xe          BCE(ŝ, y)
//	alice            improved_xe BCE(ŝ, 1/(1+r))
//	rolr             mse_r       mean (1−y)(1/r̂ − 1/r)² + mean y(r̂ − r)², log r̂ and log r clamped to ±10
//	cascal, rascal, alices       the above plus α·mean (1−y)(t̂ − t(x,z|θ0))²
//	nde              nll         −mean log p̂(x̃|θ̃)
//	scandal          nll + α·mean (t̂ − t(x,z|θ))²
//
// BCE follows torch.nn.BCELoss (log terms clamped at −100) but is
// evaluated from log r̂ without forming ŝ, so it is exact where torch's
// float32 ŝ would round to 0 or 1.
//
// # Deliberate differences from MadMiner
//
//   - Early stopping restores a copy of the best epoch's weights
//     (MadMiner keeps a reference to the live weights, so the last epoch).
//   - The doubly parameterised score term compares ∂ log r̂/∂θ1 with
//     −t(x,z|θ1) (MadMiner: +t, a sign bug), and θ is standardised in
//     evaluation as in training (MadMiner: training only), also for the
//     LikelihoodEstimator.
//   - "sigmoid" is the logistic function (MadMiner maps it to ReLU).
//   - LikelihoodEstimator.LogLikelihood returns the density of the
//     original x (adds −Σ log σ_x); the MADE input orders alternate
//     (MadMiner's default keeps one order for all MADEs); mixture-of-
//     Gaussian MADEs are not implemented.
//   - LikelihoodEstimator.BatchNorm (MadMiner's batch_norm, a layer after
//     every MADE acting on x only) adds a learnable log γ and β per
//     observable (MadMiner has none; identical at initialisation), mixes
//     the running averages with momentum BatchNormAlpha as MadMiner
//     intends (its flag is never set, so it keeps the last batch's
//     statistics) and saves them with the model (MadMiner does not). In
//     training mode the score holds the batch statistics fixed (MadMiner's
//     autograd gives Σ_j ∂ log p̂_j/∂θ_i; the two differ by O(1/batch
//     size)); the loss gradient still includes the dependence of the
//     statistics on the weights. Evaluation (LogLikelihood, validation)
//     uses the running averages.
//   - Dropout, shuffle_labels and
//     limit_samplesize are not implemented (subsample the Data instead).
//   - Computation is float64 by default (MadMiner: float32, which
//     Settings.Precision offers).
//   - Weights are initialised like torch.nn.Linear (U(±1/√n_in)) from
//     Settings.Seed; MADE weights likewise, masked entries zero.
//
// # Training
//
// Settings holds MadMiner's training options with its defaults (AMSGrad,
// 50 epochs, batch 128, learning rate decaying exponentially from 1e−3 to
// 1e−4, validation split 0.25, early stopping), plus gradient clipping,
// a seed, the precision and the number of workers. The workers (default:
// GOMAXPROCS) are goroutines started once per training: each computes the
// gradient of a fixed slice of every batch, the partial gradients are
// summed in worker order and the optimizer step is split over the
// workers by parameter ranges; hand-offs spin briefly before they block.
// Training is therefore reproducible bit for bit for a given seed, worker
// count, precision and build; validation batches are evaluated whole, so
// the validation loss does not depend on the worker count. (A flow with
// batch normalisation couples the rows of a batch: the workers hand
// their rows to the one that completes the batch, which evaluates it
// whole, splitting the MADE passes by rows over Workers goroutines.)
// Non-finite input data, losses or gradients stop training with an error
// naming the row or epoch and batch; the weights are then not usable.
// Progress goes to Settings.Log, one line per epoch; nil means silent.
//
// # Model directories
//
// Save writes dir/model.json (format "goldmine-ml-model/1": estimator
// type, method, dimensions, feature selection, architecture, activation,
// scalings, flow orderings, training settings and per-epoch losses) and
// one .npy file per tensor (little-endian float64, C order;
// "layers.L.weight" out×in and "layers.L.bias", "mades.j.layers.L.…" for
// flows and "bns.j.log_gamma", "…beta", "…running_mean", "…running_var"
// for their batch-norm layers, nuisance matrices for SALLY). model.json is written last and
// every file atomically. Load reproduces predictions bit for bit.
// Ensembles are directories of member_i model directories with an
// ensemble.json.
package ml
