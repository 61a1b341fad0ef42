// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package logistic evaluates the logistic function and its integral,
// softplus, without overflow or cancellation, for the networks of ml and
// the dual numbers of simulators alike.
package logistic
