// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import "math"

// Gaussian is the Gaussian toy: for every parameter θ_i a latent
// z_i ~ N(θ_i, σ_z²) and an observable x_i ~ N(z_i, σ_x²), so that
// p(x|θ) = Π_i N(x_i; θ_i, σ_z² + σ_x²) is known exactly.
type Gaussian struct {
	// SigmaZ and SigmaX are σ_z and σ_x; 0 means 1 and 0.5.
	SigmaZ, SigmaX float64
}

func (g Gaussian) sigmas() (sz, sx float64) {
	sz, sx = g.SigmaZ, g.SigmaX
	if sz == 0 {
		sz = 1
	}
	if sx == 0 {
		sx = 0.5
	}
	return sz, sx
}

// Simulate is the Simulator of the toy (one observable per parameter).
func (g Gaussian) Simulate(theta []Dual, t *Tracer) []float64 {
	sz, sx := g.sigmas()
	x := make([]float64, len(theta))
	for i, th := range theta {
		z := t.Normal(th, Const(sz))
		x[i] = t.Normal(Const(z), Const(sx))
	}
	return x
}

// LogLikelihood returns the exact log p(x|θ) and the exact score
// ∇θ log p(x|θ) (into score if it has the right length, else allocated).
// It panics if x and theta have different lengths.
func (g Gaussian) LogLikelihood(score, x, theta []float64) (float64, []float64) {
	if len(x) != len(theta) {
		panic("simulators: x and theta lengths differ")
	}
	if len(score) != len(theta) {
		score = make([]float64, len(theta))
	}
	sz, sx := g.sigmas()
	s2 := sz*sz + sx*sx
	lp := 0.0
	for i := range x {
		d := x[i] - theta[i]
		lp += -0.5*d*d/s2 - 0.5*math.Log(2*math.Pi*s2)
		score[i] = d / s2
	}
	return lp, score
}
