// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/store"
)

// EvaluateResult lists the files goldmine evaluate wrote.
type EvaluateResult struct {
	Model  string   `json:"model"`
	Type   string   `json:"type"`
	Events int      `json:"events"`
	Thetas int      `json:"thetas"`
	Files  []string `json:"files"`
}

// Evaluate evaluates a saved model on the observations of an .npy file
// (n × observables) and writes, into outDir: for a score estimator
// t_hat.npy (n × parameters); for a ratio or likelihood estimator, at each
// θ, log_r_hat.npy (or log_p_hat.npy) of shape (n_θ, n) and t_hat.npy of
// shape (n_θ, n, parameters). Ensembles give the mean over members.
func Evaluate(model, xPath string, thetas [][]float64, outDir string) (*EvaluateResult, error) {
	est, err := ml.Load(model)
	if err != nil {
		return nil, err
	}
	members := []ml.Estimator{est}
	if en, ok := est.(*ml.Ensemble); ok {
		members = en.Members
	}
	if len(members) == 0 {
		return nil, fmt.Errorf("pipeline: %s: empty ensemble", model)
	}
	nObs := -1
	switch m := members[0].(type) {
	case *ml.ScoreEstimator:
		nObs = m.NObservables
	case *ml.ParameterizedRatioEstimator:
		nObs = m.NObservables
	case *ml.LikelihoodEstimator:
		nObs = m.NObservables
	}
	x, err := readMatrix(xPath, nObs)
	if err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	res := &EvaluateResult{Model: model, Events: n, Thetas: len(thetas), Type: fmt.Sprintf("%T", est)}
	write := func(name string, shape []int, data []float64) error {
		path := filepath.Join(outDir, name)
		res.Files = append(res.Files, path)
		return store.WriteNPY(path, shape, data, false)
	}
	mean := func(dst, v []float64) {
		for i := range v {
			dst[i] += v[i] / float64(len(members))
		}
	}
	thetaRows := func(th []float64) *mat.Dense {
		m := mat.NewDense(n, len(th), nil)
		for i := 0; i < n; i++ {
			m.SetRow(i, th)
		}
		return m
	}
	switch first := members[0].(type) {
	case *ml.ScoreEstimator:
		out := make([]float64, n*first.NParameters)
		for _, m := range members {
			s, ok := m.(*ml.ScoreEstimator)
			if !ok {
				return nil, fmt.Errorf("pipeline: %s: mixed ensemble", model)
			}
			t, err := s.Score(nil, x, ml.Auto)
			if err != nil {
				return nil, err
			}
			mean(out, t.RawMatrix().Data)
		}
		return res, write("t_hat.npy", []int{n, first.NParameters}, out)
	case *ml.ParameterizedRatioEstimator, *ml.LikelihoodEstimator:
		if len(thetas) == 0 {
			return nil, fmt.Errorf("pipeline: %s is a %T: give the parameter points (--theta)", model, first)
		}
		np := len(thetas[0])
		logs := make([]float64, len(thetas)*n)
		scores := make([]float64, len(thetas)*n*np)
		for k, th := range thetas {
			if len(th) != np {
				return nil, fmt.Errorf("pipeline: θ %d has %d values, want %d", k, len(th), np)
			}
			for _, m := range members {
				var lr []float64
				score := mat.NewDense(n, np, nil)
				var err error
				switch e := m.(type) {
				case *ml.ParameterizedRatioEstimator:
					lr, err = e.LogRatio(nil, score, x, thetaRows(th))
				case *ml.LikelihoodEstimator:
					lr, err = e.LogLikelihood(nil, score, x, thetaRows(th))
				default:
					err = fmt.Errorf("pipeline: %s: mixed ensemble", model)
				}
				if err != nil {
					return nil, err
				}
				mean(logs[k*n:(k+1)*n], lr)
				mean(scores[k*n*np:(k+1)*n*np], score.RawMatrix().Data)
			}
		}
		name := "log_r_hat.npy"
		if _, ok := first.(*ml.LikelihoodEstimator); ok {
			name = "log_p_hat.npy"
		}
		if err := write(name, []int{len(thetas), n}, logs); err != nil {
			return nil, err
		}
		return res, write("t_hat.npy", []int{len(thetas), n, np}, scores)
	}
	return nil, fmt.Errorf("pipeline: %s: evaluation of %T is not supported", model, members[0])
}

// PrintEvaluate writes a human summary.
func PrintEvaluate(w io.Writer, r *EvaluateResult) {
	fmt.Fprintf(w, "%s (%s) on %d events", r.Model, r.Type, r.Events)
	if r.Thetas > 0 {
		fmt.Fprintf(w, " at %d parameter points", r.Thetas)
	}
	fmt.Fprintln(w)
	for _, f := range r.Files {
		fmt.Fprintf(w, "  wrote %s\n", f)
	}
}
