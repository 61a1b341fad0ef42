// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml_test

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/ml"
	"gonum.org/v1/gonum/mat"
)

// Train SALLY on a Gaussian simulator with latent z ~ N(θ, 1) and
// observation x ~ N(z, 0.5): the joint score at θ = 0 is t(x,z) = z, the
// true score t(x) = x/1.25. Save the model and load it back.
func Example() {
	rnd := rand.New(rand.NewPCG(1, 2))
	const n = 4000
	x := mat.NewDense(n, 1, nil)
	tXZ := mat.NewDense(n, 1, nil)
	for i := 0; i < n; i++ {
		z := rnd.NormFloat64()
		x.Set(i, 0, z+0.5*rnd.NormFloat64())
		tXZ.Set(i, 0, z)
	}
	sally := &ml.ScoreEstimator{Hidden: []int{50}}
	hist, err := sally.Train(ml.SALLY, x, tXZ, &ml.Settings{Seed: 1, Epochs: 30, InitialLR: 1e-2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("trained %d epochs\n", len(hist.Train))

	dir, err := os.MkdirTemp("", "ml-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := sally.Save(filepath.Join(dir, "sally")); err != nil {
		log.Fatal(err)
	}
	est, err := ml.Load(filepath.Join(dir, "sally"))
	if err != nil {
		log.Fatal(err)
	}
	probe := mat.NewDense(3, 1, []float64{-1, 0.5, 1.5})
	t, err := est.(*ml.ScoreEstimator).Score(nil, probe, ml.Keep)
	if err != nil {
		log.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		fmt.Printf("x = %4.1f: t̂ = %5.2f, exact %5.2f\n", probe.At(i, 0), t.At(i, 0), probe.At(i, 0)/1.25)
	}
	// Output:
	// trained 30 epochs
	// x = -1.0: t̂ = -0.80, exact -0.80
	// x =  0.5: t̂ =  0.40, exact  0.40
	// x =  1.5: t̂ =  1.25, exact  1.20
}

// Train ALICES on the same simulator, with θ0 ~ U(−1, 1) against the
// reference θ1 = 0, and compare log r̂ and t̂ = ∂ log r̂/∂θ with the exact
// log r = [x² − (x−θ)²]/2.5 and t = (x−θ)/1.25.
func ExampleParameterizedRatioEstimator() {
	rnd := rand.New(rand.NewPCG(3, 4))
	const n = 4000
	d := ml.Data{X: mat.NewDense(n, 1, nil), Theta: mat.NewDense(n, 1, nil), TXZ: mat.NewDense(n, 1, nil),
		Y: make([]float64, n), RXZ: make([]float64, n)}
	for i := 0; i < n; i++ {
		th := 2*rnd.Float64() - 1
		y := float64(i % 2) // y = 0: drawn from θ0 = th; y = 1: from θ1 = 0
		z := rnd.NormFloat64()
		if y == 0 {
			z += th
		}
		d.X.Set(i, 0, z+0.5*rnd.NormFloat64())
		d.Theta.Set(i, 0, th)
		d.Y[i] = y
		d.RXZ[i] = math.Exp((z*z - (z-th)*(z-th)) / 2) // N(z; θ0, 1)/N(z; 0, 1)
		d.TXZ.Set(i, 0, z-th)                          // ∂ log N(z; θ, 1)/∂θ at θ0
	}
	alices := &ml.ParameterizedRatioEstimator{Hidden: []int{50}}
	if _, err := alices.Train(ml.ALICES, d, &ml.Settings{Seed: 1, Epochs: 60, InitialLR: 1e-2}); err != nil {
		log.Fatal(err)
	}
	x := mat.NewDense(3, 1, []float64{-1, 0, 1})
	theta := mat.NewDense(3, 1, []float64{0.5, 0.5, -0.5})
	score := &mat.Dense{}
	logR, err := alices.LogRatio(nil, score, x, theta)
	if err != nil {
		log.Fatal(err)
	}
	for i := range logR {
		xi, th := x.At(i, 0), theta.At(i, 0)
		fmt.Printf("x = %4.1f, θ = %4.1f: log r̂ = %5.2f (exact %5.2f), t̂ = %5.2f (exact %5.2f)\n",
			xi, th, logR[i], (xi*xi-(xi-th)*(xi-th))/2.5, score.At(i, 0), (xi-th)/1.25)
	}
	// Output:
	// x = -1.0, θ =  0.5: log r̂ = -0.53 (exact -0.50), t̂ = -1.24 (exact -1.20)
	// x =  0.0, θ =  0.5: log r̂ = -0.11 (exact -0.10), t̂ = -0.45 (exact -0.40)
	// x =  1.0, θ = -0.5: log r̂ = -0.51 (exact -0.50), t̂ =  1.28 (exact  1.20)
}
