// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestTrainSpec checks the estimator each method gets and that an
// ensemble's members are the single estimators trained with seeds s, s+1.
func TestTrainSpec(t *testing.T) {
	d := toyData(rand.New(rand.NewPCG(131, 132)), 40, 3, 2)
	s := &Settings{Seed: 7, Epochs: 1}
	for _, c := range []struct {
		spec Spec
		want string
	}{
		{Spec{Method: SALLY, Hidden: []int{3}}, "*ml.ScoreEstimator"},
		{Spec{Method: NDE, Hidden: []int{3}, MADEs: 1}, "*ml.LikelihoodEstimator"},
		{Spec{Method: ALICES, Hidden: []int{3}}, "*ml.ParameterizedRatioEstimator"},
		{Spec{Method: ALICES, Double: true, Hidden: []int{3}}, "*ml.DoubleParameterizedRatioEstimator"},
		{Spec{Method: SALLY, Hidden: []int{3}, Ensemble: 2}, "*ml.Ensemble"},
	} {
		est, h, err := Train(&c.spec, d, s)
		if err != nil {
			t.Fatalf("%+v: %v", c.spec, err)
		}
		if got := fmt.Sprintf("%T", est); got != c.want || h == nil || len(h.Train) != 1 {
			t.Errorf("%+v: %s with history %v, want %s", c.spec, got, h, c.want)
		}
	}
	en, _, _ := Train(&Spec{Method: SALLY, Hidden: []int{3}, Ensemble: 2}, d, s)
	for i, m := range en.(*Ensemble).Members {
		one, _, _ := Train(&Spec{Method: SALLY, Hidden: []int{3}}, d, &Settings{Seed: 7 + uint64(i), Epochs: 1})
		a, _ := m.(*ScoreEstimator).ScoreRows(nil, d.X.RawMatrix().Data)
		b, _ := one.(*ScoreEstimator).ScoreRows(nil, d.X.RawMatrix().Data)
		sameBits(t, fmt.Sprintf("member %d", i), a, b)
	}
}
