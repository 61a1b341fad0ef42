// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Array is a named array of predictions.
type Array struct {
	Name  string // t_hat, log_r_hat or log_p_hat
	Shape []int
	Data  []float64
}

// Members returns the members of est: those of an ensemble, else est.
func Members(est Estimator) []Estimator {
	if en, ok := est.(*Ensemble); ok {
		return en.Members
	}
	return []Estimator{est}
}

// Observables returns the number of observables est (or its first
// member) takes, or -1 when it does not say.
func Observables(est Estimator) int {
	m := Members(est)
	if len(m) == 0 {
		return -1
	}
	switch m := m[0].(type) {
	case *ScoreEstimator:
		return m.NObservables
	case *ParameterizedRatioEstimator:
		return m.NObservables
	case *LikelihoodEstimator:
		return m.NObservables
	}
	return -1
}

// Evaluate evaluates est on the rows of x (n × observables): for a score
// estimator t_hat (n × parameters); for a ratio or likelihood estimator,
// at each θ of thetas, log_r_hat (or log_p_hat) of shape (n_θ, n) and
// t_hat of shape (n_θ, n, parameters). An ensemble gives the mean over its
// members.
func Evaluate(est Estimator, x *mat.Dense, thetas [][]float64) ([]Array, error) {
	members := Members(est)
	if len(members) == 0 {
		return nil, fmt.Errorf("ml: empty ensemble")
	}
	en := &Ensemble{Members: members}
	n, _ := x.Dims()
	switch first := members[0].(type) {
	case *ScoreEstimator:
		t, _, err := en.Score(x, Auto)
		if err != nil {
			return nil, err
		}
		return []Array{{"t_hat", []int{n, first.NParameters}, t.RawMatrix().Data}}, nil
	case *ParameterizedRatioEstimator, *LikelihoodEstimator:
		if len(thetas) == 0 {
			return nil, fmt.Errorf("ml: a %T needs the parameter points", first)
		}
		name, eval := "log_r_hat", en.LogRatio
		if _, ok := first.(*LikelihoodEstimator); ok {
			name, eval = "log_p_hat", en.LogLikelihood
		}
		np := len(thetas[0])
		if _, ok := first.(*ParameterizedRatioEstimator); ok {
			return evaluateRatioGrid(members, x, thetas, np)
		}
		logs := make([]float64, 0, len(thetas)*n)
		scores := make([]float64, 0, len(thetas)*n*np)
		for k, th := range thetas {
			if len(th) != np {
				return nil, fmt.Errorf("ml: θ %d has %d values, want %d", k, len(th), np)
			}
			lr, _, score, err := eval(x, constRows(n, th))
			if err != nil {
				return nil, err
			}
			logs = append(logs, lr...)
			scores = append(scores, score.RawMatrix().Data...)
		}
		return []Array{{name, []int{len(thetas), n}, logs}, {"t_hat", []int{len(thetas), n, np}, scores}}, nil
	}
	return nil, fmt.Errorf("ml: evaluation of %T is not supported", members[0])
}

// evaluateRatioGrid is Evaluate for ratio estimators: all θ at once per
// block of events (LogRatioGrid), the values LogRatioGridRows and
// LogRatioRows give, averaged over the members as the ensemble's.
func evaluateRatioGrid(members []Estimator, x *mat.Dense, thetas [][]float64, np int) ([]Array, error) {
	n, _ := x.Dims()
	th := mat.NewDense(len(thetas), np, nil)
	for k, t := range thetas {
		if len(t) != np {
			return nil, fmt.Errorf("ml: θ %d has %d values, want %d", k, len(t), np)
		}
		th.SetRow(k, t)
	}
	logs := make([]float64, len(thetas)*n)
	scores := make([]float64, len(thetas)*n*np)
	w := float64(len(members))
	for i, m := range members {
		r, ok := m.(*ParameterizedRatioEstimator)
		if !ok {
			return nil, fmt.Errorf("ml: ensemble member %d is a %T, not a parameterized ratio estimator", i, m)
		}
		lr, sc, err := r.LogRatioGrid(x, th, true)
		if err != nil {
			return nil, err
		}
		for k := range thetas {
			for j, v := range lr.RawRowView(k) {
				logs[k*n+j] += v / w
			}
			for j, v := range sc[k].RawMatrix().Data {
				scores[k*n*np+j] += v / w
			}
		}
	}
	return []Array{{"log_r_hat", []int{len(thetas), n}, logs}, {"t_hat", []int{len(thetas), n, np}, scores}}, nil
}
