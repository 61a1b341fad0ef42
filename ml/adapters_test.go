// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"math/rand/v2"
	"testing"
)

func TestRowAdapters(t *testing.T) {
	rnd := rand.New(rand.NewPCG(111, 112))
	d := toyData(rnd, 60, 3, 2)
	s := &Settings{Seed: 1, Epochs: 1}
	score := &ScoreEstimator{Hidden: []int{4}}
	ratio := &ParameterizedRatioEstimator{Hidden: []int{4}}
	flow := &LikelihoodEstimator{Hidden: []int{4}, NMADEs: 2}
	if _, err := score.Train(SALLY, d.X, d.TXZ, s); err != nil {
		t.Fatal(err)
	}
	if _, err := ratio.Train(CARL, d, s); err != nil {
		t.Fatal(err)
	}
	if _, err := flow.Train(NDE, d, s); err != nil {
		t.Fatal(err)
	}
	x := d.X.RawMatrix().Data
	params := []float64{0.3, -0.2, 99} // trailing nuisance entry ignored
	th := constRows(60, params[:2])

	got, err := score.ScoreRows(make([]float64, 120), x)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := score.Score(nil, d.X, Keep)
	sameBits(t, "ScoreRows", got, want.RawMatrix().Data)

	lr := make([]float64, 60)
	if err := ratio.LogRatioRows(lr, x, params); err != nil {
		t.Fatal(err)
	}
	wl, _ := ratio.LogRatio(nil, nil, d.X, th)
	// LogRatioRows shares the first layer's product with x̃ over points
	// (LogRatioGridRows): equal up to the summation order.
	if e, at := relErr(lr, wl); e > 1e-14 {
		t.Errorf("LogRatioRows: relative error %g at %d", e, at)
	}
	wl = append([]float64(nil), lr...)

	if err := flow.LogLikelihoodRows(lr, x, params); err != nil {
		t.Fatal(err)
	}
	wp, _ := flow.LogLikelihood(nil, nil, d.X, th)
	sameBits(t, "LogLikelihoodRows", lr, wp)

	en := &Ensemble{Members: []Estimator{ratio, ratio}}
	if err := en.LogRatioRows(lr, x, params); err != nil {
		t.Fatal(err)
	}
	sameBits(t, "Ensemble.LogRatioRows", lr, wl)
	// Ensemble.ScoreRows is the member mean, in member order.
	score2 := &ScoreEstimator{Hidden: []int{4}}
	if _, err := score2.Train(SALLY, d.X, d.TXZ, &Settings{Seed: 2, Epochs: 1}); err != nil {
		t.Fatal(err)
	}
	a, _ := score.ScoreRows(nil, x)
	b, _ := score2.ScoreRows(nil, x)
	mean := make([]float64, len(a))
	for j := range a {
		mean[j] = 0 + a[j]/2 + b[j]/2
	}
	gotMean, err := (&Ensemble{Members: []Estimator{score, score2}}).ScoreRows(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "Ensemble.ScoreRows", gotMean, mean)
	if _, err := (&Ensemble{Members: []Estimator{score, ratio}}).ScoreRows(nil, x); err == nil {
		t.Error("Ensemble.ScoreRows accepted a ratio member")
	}
	if err := ratio.LogRatioRows(lr, x[:7], params); err == nil {
		t.Error("ragged rows accepted")
	}
}
