// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"

	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/ml"
)

// loadModel loads the trained model name of the working directory as an
// ensemble (a single estimator is an ensemble of one member, whose mean
// is the member itself).
func loadModel(e *Env, name string) (*ml.Ensemble, error) {
	est, err := ml.Load(e.Path("models", name))
	if err != nil {
		return nil, inputErr(err, "model "+name, "train")
	}
	if en, ok := est.(*ml.Ensemble); ok {
		return en, nil
	}
	return &ml.Ensemble{Members: []ml.Estimator{est}}, nil
}

// ratioModels returns the trained parameterised ratio model name, or the
// members of its ensemble.
func ratioModels(e *Env, name string) ([]fisher.RatioInformer, error) {
	en, err := loadModel(e, name)
	if err != nil {
		return nil, err
	}
	var out []fisher.RatioInformer
	for k, m := range en.Members {
		r, ok := m.(*ml.ParameterizedRatioEstimator)
		if !ok {
			return nil, fmt.Errorf("pipeline: model %s (member %d) is a %T, want a parameterised ratio estimator", name, k, m)
		}
		out = append(out, r)
	}
	return out, nil
}

// scorers returns the members of a trained SALLY model, which must all be
// score estimators.
func scorers(e *Env, name string) (*ml.Ensemble, []*ml.ScoreEstimator, error) {
	en, err := loadModel(e, name)
	if err != nil {
		return nil, nil, err
	}
	var out []*ml.ScoreEstimator
	for _, m := range en.Members {
		s, ok := m.(*ml.ScoreEstimator)
		if !ok {
			return nil, nil, fmt.Errorf("pipeline: model %s is a %T, not a score estimator", name, m)
		}
		out = append(out, s)
	}
	return en, out, nil
}

// logRatioGrid returns the many-point evaluation of a trained ratio model
// (an ensemble of ratio estimators included) whose parameters are the
// card's physics parameters, so that its log r̂ does not depend on
// nuisance parameters; nil for other models (flows, ratio models trained
// with ν among their parameters), whose scans evaluate point by point.
func logRatioGrid(e *Env, name string) limits.GridLogRatioFunc {
	en, err := loadModel(e, name)
	if err != nil {
		return nil
	}
	for _, mem := range en.Members {
		if r, ok := mem.(*ml.ParameterizedRatioEstimator); !ok || r.NParameters != len(e.Card.Parameters) {
			return nil
		}
	}
	if len(en.Members) == 1 {
		return en.Members[0].(*ml.ParameterizedRatioEstimator).LogRatioGridRows
	}
	return en.LogRatioGridRows
}

// logRatio returns the log-ratio callback of a trained ratio or likelihood
// model (the ensemble mean for an ensemble), the number of observables it
// takes, and whether it is a likelihood (a normalised density, which needs
// no normalisation in limits) rather than a ratio.
func logRatio(e *Env, name string) (fn limits.LogRatioFunc, nObs int, density bool, err error) {
	en, err := loadModel(e, name)
	if err != nil {
		return nil, 0, false, err
	}
	return ensembleLogRatio(en, name)
}

// ensembleLogRatio is logRatio of the loaded model en, trained as name.
func ensembleLogRatio(en *ml.Ensemble, name string) (fn limits.LogRatioFunc, nObs int, density bool, err error) {
	switch m := en.Members[0].(type) {
	case *ml.ParameterizedRatioEstimator:
		nObs = m.NObservables
	case *ml.LikelihoodEstimator:
		nObs, density = m.NObservables, true
	default:
		return nil, 0, false, fmt.Errorf("pipeline: model %s is a %T, which gives no log-ratio (use a ratio or likelihood estimator)", name, m)
	}
	if len(en.Members) == 1 {
		if r, ok := en.Members[0].(*ml.ParameterizedRatioEstimator); ok {
			return r.LogRatioRows, nObs, false, nil
		}
		return en.Members[0].(*ml.LikelihoodEstimator).LogLikelihoodRows, nObs, true, nil
	}
	return en.LogRatioRows, nObs, density, nil
}

// scoreStatistic is the ensemble-mean estimated score as a summary
// statistic of limits.LoadSample.
func scoreStatistic(en *ml.Ensemble) func(x []float64, n int) ([]float64, error) {
	return func(x []float64, _ int) ([]float64, error) { return en.ScoreRows(nil, x) }
}
