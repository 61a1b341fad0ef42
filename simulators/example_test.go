// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/goldmine-hep/goldmine/simulators"
)

// A counting experiment: a signal of strength θ0 on a background of rate
// e^θ1, observed with Gaussian smearing. Every random step goes through the
// tracer; its parameters are computed from θ with Dual arithmetic.
func counting(theta []simulators.Dual, t *simulators.Tracer) []float64 {
	rate := theta[0].MulScalar(5).Add(simulators.Exp(theta[1]))
	n := t.Poisson(rate)
	x := t.Normal(simulators.Const(float64(n)), simulators.Const(1))
	return []float64{x}
}

func Example() {
	theta := []float64{1, 2}
	run, err := simulators.Simulate(counting, theta, rand.NewPCG(1, 2))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("x = %.3f, latent draws %v\n", run.X[0], run.Trace.Draws[0])
	fmt.Printf("log p(z|θ) = %.4f, t(x,z|θ) = (%.4f, %.4f)\n", run.LogProb, run.Score[0], run.Score[1])

	// Re-score the same history under two hypotheses.
	logR, t0, _, err := simulators.JointRatio(counting, run.Trace, []float64{0.5, 2}, theta)
	if err != nil {
		fmt.Println(err)
		return
	}
	// By hand: rate = 5 + e² = 12.389, log Poisson(14; 12.389) = −2.345,
	// log N(14.2; 14, 1) = −0.939; ∂/∂θ0 = 5(14/rate − 1) = 0.650.
	fmt.Printf("log r(x,z|θ0,θ1) = %.4f, t(x,z|θ0) = (%.4f, %.4f)\n", logR, t0[0], t0[1])
	// Output:
	// x = 14.200, latent draws {Poisson 14}
	// log p(z|θ) = -3.2838, t(x,z|θ) = (0.6501, 0.9608)
	// log r(x,z|θ0,θ1) = -0.6554, t(x,z|θ0) = (2.0785, 3.0717)
}

// The Galton board's exact likelihood by dynamic programming.
func ExampleGalton_Probs() {
	g := simulators.Galton{Rows: 4}
	ps, err := g.Probs([]float64{0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	for k, p := range ps {
		d := math.Round(p.D[0]*1e4)/1e4 + 0 // + 0 turns −0 into 0
		fmt.Printf("p(x=%d|θ) = %.4f, ∂p/∂θ = %+.4f\n", k, p.V, d)
	}
	// Output:
	// p(x=0|θ) = 0.0086, ∂p/∂θ = -0.0322
	// p(x=1|θ) = 0.2500, ∂p/∂θ = +0.0000
	// p(x=2|θ) = 0.4828, ∂p/∂θ = +0.0643
	// p(x=3|θ) = 0.2500, ∂p/∂θ = +0.0000
	// p(x=4|θ) = 0.0086, ∂p/∂θ = -0.0322
}
