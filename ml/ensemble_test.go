// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// TestEnsembleToySALLY trains three SALLY members on the Gaussian toy and
// checks the ensemble mean and covariance against gonum/stat on the
// members' predictions, and the Fisher information against the exact
// per-event information 1/s² of p(x|θ) = N(θ, s).
func TestEnsembleToySALLY(t *testing.T) {
	const n = 3000
	rnd := rand.New(rand.NewPCG(81, 82))
	x, tx := toyScoreData(rnd, n)
	en, err := TrainEnsemble(3, &Settings{Seed: 10, Epochs: 30, InitialLR: 1e-2}, func(i int, s *Settings) (Estimator, error) {
		e := &ScoreEstimator{Hidden: []int{30}}
		_, err := e.Train(SALLY, x, tx, s)
		return e, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if en.Members[1].(*ScoreEstimator).Settings.Seed != 11 {
		t.Errorf("member 1 seed %d, want 11", en.Members[1].(*ScoreEstimator).Settings.Seed)
	}
	xe := x.Slice(0, 50, 0, 1)
	mean, covs, err := en.Score(xe, Keep)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		obs := mat.NewDense(3, 1, nil)
		for m, e := range en.Members {
			s, _ := e.(*ScoreEstimator).Score(nil, xe.(*mat.Dense).Slice(i, i+1, 0, 1), Keep)
			obs.Set(m, 0, s.At(0, 0))
		}
		var want mat.SymDense
		stat.CovarianceMatrix(&want, obs, nil)
		mu := stat.Mean(obs.RawMatrix().Data, nil)
		if math.Abs(mean.At(i, 0)-mu) > 1e-14 || math.Abs(covs[i].At(0, 0)-want.At(0, 0)) > 1e-14 {
			t.Fatalf("row %d: mean %g cov %g, want %g %g", i, mean.At(i, 0), covs[i].At(0, 0), mu, want.At(0, 0))
		}
	}
	// Fisher information per event on a fresh sample from p(x|0).
	xt := mat.NewDense(20000, 1, nil)
	for i := 0; i < 20000; i++ {
		xt.Set(i, 0, math.Sqrt(toyS2)*rnd.NormFloat64())
	}
	fm, fc, err := en.FisherInformation(xt, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	// The sampling error of the mean of t² over 20000 events is
	// √(2/20000)/s² ≈ 1%; allow 3% for that and the training error.
	if got, want := fm.At(0, 0), 1/toyS2; math.Abs(got-want) > 0.03*want {
		t.Errorf("ensemble Fisher information %g, exact %g", got, want)
	}
	t.Logf("Fisher information %.4f ± %.4f (exact %.4f)", fm.At(0, 0), math.Sqrt(fc.At(0, 0)), 1/toyS2)

	loaded := saveLoad(t, en, filepath.Join(t.TempDir(), "ens"))
	back, ok := loaded.(*Ensemble)
	if !ok {
		t.Fatalf("Load returned a %T, want *Ensemble", loaded)
	}
	m2, _, err := back.Score(xe, Keep)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "ensemble reload", mean.RawMatrix().Data, m2.RawMatrix().Data)
}
