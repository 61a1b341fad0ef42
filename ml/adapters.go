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

// LogRatioRows writes log r̂(x_i|θ, θ_ref) for the events x (row-major
// n×NObservables) at θ = params[:NParameters] into dst (length n); further
// entries of params (nuisance parameters) are ignored.
func (e *ParameterizedRatioEstimator) LogRatioRows(dst, x, params []float64) error {
	if len(params) < e.NParameters {
		return fmt.Errorf("ml: %d parameters, want %d", len(params), e.NParameters)
	}
	xm, err := rowsOf(x, e.NObservables)
	if err != nil {
		return err
	}
	n, _ := xm.Dims()
	_, err = e.LogRatio(dst, nil, xm, constRows(n, params[:e.NParameters]))
	return err
}

// LogLikelihoodRows writes log p̂(x_i|θ) for the events x (row-major
// n×NObservables) at θ = params[:NParameters] into dst (length n).
func (e *LikelihoodEstimator) LogLikelihoodRows(dst, x, params []float64) error {
	if len(params) < e.NParameters {
		return fmt.Errorf("ml: %d parameters, want %d", len(params), e.NParameters)
	}
	xm, err := rowsOf(x, e.NObservables)
	if err != nil {
		return err
	}
	n, _ := xm.Dims()
	_, err = e.LogLikelihood(dst, nil, xm, constRows(n, params[:e.NParameters]))
	return err
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
