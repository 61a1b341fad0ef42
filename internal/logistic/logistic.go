// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package logistic

import "math"

// Sigmoid returns the logistic function 1/(1+e^−z), evaluated without
// overflow: through e^z for negative z.
func Sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// Softplus returns log(1+e^z), whose derivative is Sigmoid, evaluated
// without overflow or cancellation: as z + log1p(e^−z) for positive z.
func Softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}
