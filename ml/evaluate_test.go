// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestEvaluate checks the arrays of Evaluate against the estimators called
// directly: a score model, a likelihood ensemble (the member mean) and the
// errors without parameter points or with points of the wrong length.
func TestEvaluate(t *testing.T) {
	rnd := rand.New(rand.NewPCG(121, 122))
	d := toyData(rnd, 40, 3, 2)
	score := &ScoreEstimator{Hidden: []int{4}}
	if _, err := score.Train(SALLY, d.X, d.TXZ, &Settings{Seed: 1, Epochs: 1}); err != nil {
		t.Fatal(err)
	}
	var flows []Estimator
	for seed := uint64(1); seed <= 2; seed++ {
		f := &LikelihoodEstimator{Hidden: []int{4}, NMADEs: 1}
		if _, err := f.Train(NDE, d, &Settings{Seed: seed, Epochs: 1}); err != nil {
			t.Fatal(err)
		}
		flows = append(flows, f)
	}
	if Observables(score) != 3 || Observables(&Ensemble{Members: flows}) != 3 || Observables(&Ensemble{}) != -1 {
		t.Errorf("observables %d, %d, %d", Observables(score), Observables(&Ensemble{Members: flows}), Observables(&Ensemble{}))
	}

	out, err := Evaluate(score, d.X, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := score.Score(nil, d.X, Auto)
	if len(out) != 1 || out[0].Name != "t_hat" || !slices.Equal(out[0].Shape, []int{40, 2}) {
		t.Fatalf("score evaluation %v", out)
	}
	sameBits(t, "t_hat", out[0].Data, want.RawMatrix().Data)

	thetas := [][]float64{{0.1, -0.2}, {0, 0}}
	out, err = Evaluate(&Ensemble{Members: flows}, d.X, thetas)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Name != "log_p_hat" || !slices.Equal(out[0].Shape, []int{2, 40}) || !slices.Equal(out[1].Shape, []int{2, 40, 2}) {
		t.Fatalf("likelihood evaluation %v %v", out[0].Shape, out[1].Shape)
	}
	for k, th := range thetas {
		a, _ := flows[0].(*LikelihoodEstimator).LogLikelihood(nil, nil, d.X, constRows(40, th))
		b, _ := flows[1].(*LikelihoodEstimator).LogLikelihood(nil, nil, d.X, constRows(40, th))
		mean := make([]float64, len(a))
		for i := range a {
			mean[i] = 0 + a[i]/2 + b[i]/2
		}
		sameBits(t, "log_p_hat", out[0].Data[k*40:(k+1)*40], mean)
	}

	if _, err := Evaluate(flows[0], d.X, nil); err == nil {
		t.Error("a likelihood model evaluated without parameter points")
	}
	if _, err := Evaluate(flows[0], d.X, [][]float64{{0, 0}, {1}}); err == nil {
		t.Error("parameter points of different lengths accepted")
	}
	if _, err := Evaluate(&Ensemble{Members: []Estimator{score, flows[0]}}, d.X, nil); err == nil {
		t.Error("a mixed ensemble evaluated")
	}
}
