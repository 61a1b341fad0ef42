// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Row-major adapters for consumers that hold events as flat slices (for
// example a limits.LogRatioFunc, func(dst, x, params []float64) error).

func rowsOf(x []float64, dim int) (*mat.Dense, error) {
	if dim < 1 || len(x)%dim != 0 {
		return nil, fmt.Errorf("ml: %d values are not rows of %d observables", len(x), dim)
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("ml: no events")
	}
	return mat.NewDense(len(x)/dim, dim, x), nil
}

func constRows(n int, theta []float64) *mat.Dense {
	th := mat.NewDense(n, len(theta), nil)
	for i := 0; i < n; i++ {
		th.SetRow(i, theta)
	}
	return th
}

// ScoreRows writes the score (nuisance mode Auto) of the events x
// (row-major n×NObservables) into dst (row-major; nil: allocated) and
// returns it.
func (e *ScoreEstimator) ScoreRows(dst, x []float64) ([]float64, error) {
	xm, err := rowsOf(x, e.NObservables)
	if err != nil {
		return nil, err
	}
	t, err := e.Score(nil, xm, Auto)
	if err != nil {
		return nil, err
	}
	raw := t.RawMatrix().Data
	if dst == nil {
		return raw, nil
	}
	if len(dst) != len(raw) {
		return nil, fmt.Errorf("ml: dst has length %d, want %d", len(dst), len(raw))
	}
	copy(dst, raw)
	return dst, nil
}

// rowsAt returns the events x (row-major rows of nObs) and the rows of θ
// = params[:np] for each of them.
func rowsAt(x, params []float64, nObs, np int) (xm, th *mat.Dense, err error) {
	if len(params) < np {
		return nil, nil, fmt.Errorf("ml: %d parameters, want %d", len(params), np)
	}
	if xm, err = rowsOf(x, nObs); err != nil {
		return nil, nil, err
	}
	n, _ := xm.Dims()
	return xm, constRows(n, params[:np]), nil
}

// LogRatioRows writes log r̂(x_i|θ, θ_ref) for the events x (row-major
// n×NObservables) at θ = params[:NParameters] into dst (length n); further
// entries of params (nuisance parameters) are ignored.
func (e *ParameterizedRatioEstimator) LogRatioRows(dst, x, params []float64) error {
	if len(params) < e.NParameters {
		return fmt.Errorf("ml: %d parameters, want %d", len(params), e.NParameters)
	}
	if len(dst)*e.NObservables != len(x) {
		return fmt.Errorf("ml: dst has length %d for %d values of %d observables", len(dst), len(x), e.NObservables)
	}
	return e.LogRatioGridRows(x, [][]float64{params}, func(_, lo int, v []float64) error {
		copy(dst[lo:], v)
		return nil
	})
}

// LogLikelihoodRows writes log p̂(x_i|θ) for the events x (row-major
// n×NObservables) at θ = params[:NParameters] into dst (length n).
func (e *LikelihoodEstimator) LogLikelihoodRows(dst, x, params []float64) error {
	xm, th, err := rowsAt(x, params, e.NObservables, e.NParameters)
	if err == nil {
		_, err = e.LogLikelihood(dst, nil, xm, th)
	}
	return err
}

// ScoreRows writes the mean score of the ScoreEstimator members at the
// events x (row-major n×NObservables) into dst (row-major; nil:
// allocated) and returns it: the ensemble form of
// ScoreEstimator.ScoreRows, without the members' covariance.
func (en *Ensemble) ScoreRows(dst, x []float64) ([]float64, error) {
	if len(en.Members) == 0 {
		return nil, fmt.Errorf("ml: empty ensemble")
	}
	var buf []float64
	for i, m := range en.Members {
		s, ok := m.(*ScoreEstimator)
		if !ok {
			return nil, fmt.Errorf("ml: ensemble member %d is a %T, not a score estimator", i, m)
		}
		t, err := s.ScoreRows(buf, x)
		if err != nil {
			return nil, fmt.Errorf("ml: ensemble member %d: %w", i, err)
		}
		if i == 0 {
			if dst == nil {
				dst = make([]float64, len(t))
			}
			if len(dst) != len(t) {
				return nil, fmt.Errorf("ml: dst has length %d, want %d", len(dst), len(t))
			}
			clear(dst)
			buf = make([]float64, len(t))
		}
		for j, v := range t {
			dst[j] += v / float64(len(en.Members))
		}
	}
	return dst, nil
}

// LogRatioRows writes the ensemble mean of log r̂(x_i|θ, θ_ref) (members
// are ParameterizedRatioEstimators) or of log p̂(x_i|θ) (members are
// LikelihoodEstimators) for the row-major events x at θ =
// params[:NParameters] into dst (length n).
func (en *Ensemble) LogRatioRows(dst, x, params []float64) error {
	if len(en.Members) == 0 {
		return fmt.Errorf("ml: empty ensemble")
	}
	clear(dst)
	buf := make([]float64, len(dst))
	for i, m := range en.Members {
		var err error
		switch m := m.(type) {
		case *ParameterizedRatioEstimator:
			err = m.LogRatioRows(buf, x, params)
		case *LikelihoodEstimator:
			err = m.LogLikelihoodRows(buf, x, params)
		default:
			err = fmt.Errorf("ml: ensemble member %d is a %T, which gives no log-ratio", i, m)
		}
		if err != nil {
			return err
		}
		for j, v := range buf {
			dst[j] += v / float64(len(en.Members))
		}
	}
	return nil
}
