// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// The training set-up every estimator shares: fit runs a Train, and
// dataShape checks the data an objective is built from.

// fit is the Train of every estimator: it applies the defaults, sets the
// validation sample aside, builds the estimator's objective, trains, and
// passes the settings (without the writer and the validation data) and
// the history to record, once training has started.
func fit(d Data, s *Settings, record func(Settings, *History), newObjective func(Data, Settings) (objective, error)) (*History, error) {
	set := s.withDefaults()
	d, err := withValidation(d, &set)
	if err != nil {
		return nil, err
	}
	o, err := newObjective(d, set)
	if err != nil {
		return nil, err
	}
	h, err := train(o, set)
	set.Log, set.Validation = nil, nil
	record(set, h)
	return h, err
}

// dataShape is the shape of the training data of an estimator.
type dataShape struct {
	n, nObs, nParams int
	feat             []int // the observables fed to the network
}

// checkShape checks the activation, the observations x and the
// parameter matrix (named thetaName; tXZ for a score estimator), selects
// the features, and checks that a network trained before (trained, with
// nObs observables and nParams parameters) sees data of the same shape.
func checkShape(act Activation, features []int, x *mat.Dense, thetaName string, theta *mat.Dense, trained bool, nObs, nParams int) (dataShape, error) {
	var s dataShape
	if err := act.valid(); err != nil {
		return s, err
	}
	if err := checkMatrix("x", x, -1, -1); err != nil {
		return s, err
	}
	s.n, s.nObs = x.Dims()
	if err := checkMatrix(thetaName, theta, s.n, -1); err != nil {
		return s, err
	}
	_, s.nParams = theta.Dims()
	var err error
	if s.feat, err = resolveFeatures(features, s.nObs); err != nil {
		return s, err
	}
	if trained && (nObs != s.nObs || nParams != s.nParams) {
		return s, fmt.Errorf("ml: model has %d observables and %d parameters, data %d and %d", nObs, nParams, s.nObs, s.nParams)
	}
	return s, nil
}

// checkRatioData checks the labels, joint ratios and joint scores a ratio
// method needs (tNames name the score matrices of ts).
func checkRatioData(method Method, base ratioBase, useScore bool, d Data, s dataShape, tNames []string, ts ...*mat.Dense) error {
	if err := checkVector("y", d.Y, s.n); err != nil {
		return err
	}
	var r []float64
	if base.needsR() {
		if err := checkVector("r_xz", d.RXZ, s.n); err != nil {
			return fmt.Errorf("%w (method %s needs the joint likelihood ratio)", err, method)
		}
		r = d.RXZ
	}
	if useScore {
		for k, t := range ts {
			if err := checkMatrix(tNames[k], t, s.n, s.nParams); err != nil {
				return fmt.Errorf("%w (method %s needs the joint score)", err, method)
			}
		}
	}
	return checkLabels(d.Y, r)
}

// scaledScores returns the joint scores t in standardised θ units,
// t̃ = σ_θ·t (row-major), the target of a score term when θ is scaled.
func scaledScores(t *mat.Dense, sc Scaling) []float64 {
	n, np := t.Dims()
	out := make([]float64, n*np)
	for i := 0; i < n; i++ {
		for j := 0; j < np; j++ {
			out[i*np+j] = t.At(i, j) * sc.Std[j]
		}
	}
	return out
}

// reuseAs sizes the output matrix m (named name) to r×c when it is
// empty, and checks its size otherwise; a nil m is left alone.
func reuseAs(name string, m *mat.Dense, r, c int) error {
	if m == nil {
		return nil
	}
	if m.IsEmpty() {
		m.ReuseAs(r, c)
	} else if mr, mc := m.Dims(); mr != r || mc != c {
		return fmt.Errorf("ml: %s is %d×%d, want %d×%d", name, mr, mc, r, c)
	}
	return nil
}

// checkInputs checks that x has nObs columns and each theta its n rows
// and nParams columns, and returns n.
func checkInputs(x mat.Matrix, nObs, nParams int, thetas ...mat.Matrix) (int, error) {
	n, c := x.Dims()
	if c != nObs {
		return 0, fmt.Errorf("ml: x has %d columns, want %d", c, nObs)
	}
	for _, th := range thetas {
		if r, c := th.Dims(); r != n || c != nParams {
			return 0, fmt.Errorf("ml: theta is %d×%d, want %d×%d", r, c, n, nParams)
		}
	}
	return n, nil
}

// output returns the output vector v (named name) of length n, allocated
// if nil.
func output(name string, v []float64, n int) ([]float64, error) {
	if v == nil {
		return make([]float64, n), nil
	}
	if len(v) != n {
		return nil, fmt.Errorf("ml: %s has length %d, want %d", name, len(v), n)
	}
	return v, nil
}

// fisherAt is the Fisher information nEvents·Σ_i w_i t̂_i t̂_iᵀ/Σ_i w_i of
// the scores t̂_i = score(θ rows) at the parameter point theta of the
// rows of x.
func fisherAt(nParams int, x mat.Matrix, theta, w []float64, nEvents float64, score func(th *mat.Dense) (*mat.Dense, error)) (*mat.SymDense, error) {
	if len(theta) != nParams {
		return nil, fmt.Errorf("ml: theta has %d parameters, want %d", len(theta), nParams)
	}
	n, _ := x.Dims()
	t, err := score(constRows(n, theta))
	if err != nil {
		return nil, err
	}
	return fisherFromScores(t, w, nEvents)
}

// termWeights are the weights of the loss terms of a ratio or likelihood
// objective: 1 for the base loss and alpha for the score term, if any.
func termWeights(score bool, alpha float64) []float64 {
	if score {
		return []float64{1, alpha}
	}
	return []float64{1}
}
