// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package ml trains and evaluates the neural estimators of MadMiner
// (SALLY, SALLINO, CARL, ROLR, ALICE, CASCAL, RASCAL, ALICES, NDE, SCANDAL)
// on its own small network engine built on gonum BLAS.
//
// The engine (MLP, Tape) carries a forward-mode tangent of the network
// output with respect to selected inputs (the parameters θ) and runs the
// reverse pass through both the primal values and the tangents, so that
// losses containing ∂(output)/∂θ have exact gradients.
package ml
