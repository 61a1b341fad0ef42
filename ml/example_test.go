// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml_test

import (
	"fmt"
	"log"
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
