// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/posterior"
	"github.com/goldmine-hep/goldmine/store"
)

// The posterior of a Gaussian mean from 20 measurements x̄ = 0.4 with unit
// noise, with a nuisance offset ν of uncertainty 0.1 marginalised: the
// exact θ posterior (flat prior) is N(0.4, 1/20 + 0.01).
func Example() {
	m := &posterior.Model{
		Names:  []string{"theta", "nu"},
		Priors: posterior.Priors{posterior.Uniform{Min: -2, Max: 2}, posterior.Gaussian{Sigma: 1}},
		POI:    1,
		LogLikelihood: func(p []float64) (float64, error) {
			d := 0.4 - p[0] - 0.1*p[1]
			return -0.5 * 20 * d * d, nil
		},
	}
	g, err := posterior.EvalGrid(m, [][]float64{posterior.Linspace(-2, 2, 401), posterior.Linspace(-5, 5, 101)}, nil)
	if err != nil {
		log.Fatal(err)
	}
	gs, _ := g.Summary(nil)
	ch, err := posterior.Sample(m, &posterior.Settings{Seed: 1, Steps: 2000})
	if err != nil {
		log.Fatal(err)
	}
	cs, _ := ch.Summary(nil)
	fmt.Printf("exact: mean 0.400 std %.3f\n", math.Sqrt(0.06))
	fmt.Printf("grid:  mean %.3f std %.3f\n", gs.Params[0].Mean, gs.Params[0].Std)
	fmt.Printf("mcmc:  mean and std within 0.01: %v, R̂ < 1.01: %v\n",
		math.Abs(cs.Params[0].Mean-0.4) < 0.01 && math.Abs(cs.Params[0].Std-math.Sqrt(0.06)) < 0.01, cs.Diagnostics.RHat[0] < 1.01)

	// The draws of θ as .npy and the summary as JSON.
	dir, _ := os.MkdirTemp("", "posterior")
	defer os.RemoveAll(dir)
	shape, data := ch.Flat(ch.POI)
	if err := store.WriteNPY(filepath.Join(dir, "samples.npy"), shape, data, store.Float64); err != nil {
		log.Fatal(err)
	}
	if err := cs.WriteJSON(filepath.Join(dir, "posterior.json")); err != nil {
		log.Fatal(err)
	}
	got, _, _ := store.ReadNPY(filepath.Join(dir, "samples.npy"))
	fmt.Println("samples:", got)
	// Output:
	// exact: mean 0.400 std 0.245
	// grid:  mean 0.400 std 0.245
	// mcmc:  mean and std within 0.01: true, R̂ < 1.01: true
	// samples: [64000 1]
}
