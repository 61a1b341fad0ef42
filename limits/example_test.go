// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits_test

import (
	"fmt"

	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/morphing"
)

// Example scans a rate-only measurement of one parameter, σ(θ) = σ₀(1+0.05θ)
// with 10⁴ expected events, with and without a 2% normalisation
// uncertainty profiled with its Gaussian constraint.
func Example() {
	m, _ := morphing.New([][]int{{0}, {1}}, [][]float64{{0}, {1}})
	points, _ := limits.Grid{Ranges: [][2]float64{{-1, 1}}, Resolutions: []int{201}}.Points()
	for _, sys := range []float64{0, 0.02} {
		term := &limits.RateTerm{Morpher: m, Luminosity: 1e5, Sigma: []float64{0.1, 0.105},
			Nuisance: []limits.Effect{{A: sys}}}
		r, _ := limits.Scan(&limits.Rate{Term: term, Nuisance: 1}, &limits.Data{N: 1e4}, points, nil)
		lo, hi := 1.0, -1.0
		for i, p := range r.PValues {
			if p >= 0.3173 { // 68% CL for one parameter
				lo, hi = min(lo, points[i][0]), max(hi, points[i][0])
			}
		}
		fmt.Printf("σ_sys = %.2f: best fit θ = %.3f, 68%% CL [%.2f, %.2f]\n", sys, r.BestFit[0], lo, hi)
	}
	// Output:
	// σ_sys = 0.00: best fit θ = 0.000, 68% CL [-0.19, 0.20]
	// σ_sys = 0.02: best fit θ = 0.000, 68% CL [-0.44, 0.45]
}
