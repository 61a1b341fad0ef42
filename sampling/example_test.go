// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling_test

import (
	"fmt"
	"log"

	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
)

// One parameter entering linearly in the amplitude: each event's weight is a
// quadratic in θ, known at the basis points θ = −1, 0, 1.
func ExampleRun() {
	basis := [][]float64{{-1}, {0}, {1}}
	m, err := morphing.New(morphing.Components([]int{2}, -1), basis)
	if err != nil {
		log.Fatal(err)
	}
	src := &sampling.MemSource{}
	for i := 0; i < 1000; i++ {
		x := float64(i%10) / 10
		var w []float64
		for _, b := range basis {
			a := 1 + x*b[0] // amplitude
			w = append(w, a*a/1000)
		}
		src.X = append(src.X, []float64{x})
		src.W = append(src.W, w)
	}
	cfg := &sampling.Config{Morpher: m, Benchmarks: basis, Seed: 42}
	xs, err := sampling.CrossSections(src, cfg, partition.All, sampling.MorphingPoint(0.5))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("σ(0.5) = %.4f pb, ∂σ/∂θ = %.4f pb\n", xs[0].Sigma, xs[0].Grad[0])

	res, stats, err := sampling.Run(src, cfg, sampling.Request{
		Name: "sally", Kind: sampling.Local, Theta: sampling.MorphingPoint(0.5), N: 4,
	})
	if err != nil {
		log.Fatal(err)
	}
	r := res[0]
	for i := 0; i < r.N; i++ {
		fmt.Printf("x=%.1f θ=%.1f t=%+.4f\n", r.X[i], r.Theta0[i], r.TXZ0[i])
	}
	fmt.Println("passes over the events:", stats.Passes)
	// By hand: σ(θ) = 1 + 0.9θ + 0.285θ², t = 2x/(1+xθ) − σ'(θ)/σ(θ).

	// Output:
	// σ(0.5) = 1.5213 pb, ∂σ/∂θ = 1.1850 pb
	// x=0.0 θ=0.5 t=-0.7790
	// x=0.4 θ=0.5 t=-0.1123
	// x=0.4 θ=0.5 t=-0.1123
	// x=0.9 θ=0.5 t=+0.4624
	// passes over the events: 2
}
