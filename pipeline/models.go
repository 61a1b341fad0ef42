// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"

	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/store"
)

// scorers returns the score estimators of a trained SALLY model (one, or
// the members of an ensemble).
func scorers(e *Env, name string) ([]*ml.ScoreEstimator, error) {
	est, err := ml.Load(e.Path("models", name))
	if err != nil {
		return nil, inputErr(err, "model "+name, "train")
	}
	members := []ml.Estimator{est}
	if en, ok := est.(*ml.Ensemble); ok {
		members = en.Members
	}
	var out []*ml.ScoreEstimator
	for _, m := range members {
		s, ok := m.(*ml.ScoreEstimator)
		if !ok {
			return nil, fmt.Errorf("pipeline: model %s is a %T, not a score estimator", name, m)
		}
		out = append(out, s)
	}
	return out, nil
}

// logRatio returns the log-ratio callback of a trained ratio or likelihood
// model (the ensemble mean for an ensemble), the number of observables it
// takes, and whether it is a likelihood (a normalised density, which needs
// no normalisation in limits) rather than a ratio.
func logRatio(e *Env, name string) (fn limits.LogRatioFunc, nObs int, density bool, err error) {
	est, err := ml.Load(e.Path("models", name))
	if err != nil {
		return nil, 0, false, inputErr(err, "model "+name, "train")
	}
	switch m := est.(type) {
	case *ml.ParameterizedRatioEstimator:
		return m.LogRatioRows, m.NObservables, false, nil
	case *ml.LikelihoodEstimator:
		return m.LogLikelihoodRows, m.NObservables, true, nil
	case *ml.Ensemble:
		var fns []limits.LogRatioFunc
		for _, mem := range m.Members {
			switch r := mem.(type) {
			case *ml.ParameterizedRatioEstimator:
				fns, nObs = append(fns, r.LogRatioRows), r.NObservables
			case *ml.LikelihoodEstimator:
				fns, nObs, density = append(fns, r.LogLikelihoodRows), r.NObservables, true
			default:
				return nil, 0, false, fmt.Errorf("pipeline: model %s: member %T has no log-ratio", name, mem)
			}
		}
		return func(dst, x, params []float64) error {
			tmp := make([]float64, len(dst))
			for i := range dst {
				dst[i] = 0
			}
			for _, f := range fns {
				if err := f(tmp, x, params); err != nil {
					return err
				}
				for i, v := range tmp {
					dst[i] += v / float64(len(fns))
				}
			}
			return nil
		}, nObs, density, nil
	}
	return nil, 0, false, fmt.Errorf("pipeline: model %s is a %T, which gives no log-ratio (use a ratio or likelihood estimator)", name, est)
}

// scoreSample evaluates the (ensemble-mean) estimated score on the events
// [start, end) and returns them as a limits sample whose observables are
// the score components, with the first nb weights times factor.
func scoreSample(f *store.EventFile, ests []*ml.ScoreEstimator, start, end, nb int, factor float64) (*limits.Sample, error) {
	h := f.Header()
	nObs, nW := len(h.ObservableNames), len(h.Benchmarks)
	var s *limits.Sample
	err := f.Read(start, end, batchSize, func(b *store.Batch) error {
		var mean []float64
		for _, est := range ests {
			t, err := est.ScoreRows(nil, b.X[:b.N*nObs])
			if err != nil {
				return fmt.Errorf("events %d–%d: %w", b.Start, b.Start+b.N, err)
			}
			if mean == nil {
				mean = make([]float64, len(t))
			}
			for i, v := range t {
				mean[i] += v / float64(len(ests))
			}
		}
		if s == nil {
			s = &limits.Sample{Dim: len(mean) / b.N, NBasis: nb}
		}
		s.X = append(s.X, mean...)
		for i := 0; i < b.N; i++ {
			for k := 0; k < nb; k++ {
				s.W = append(s.W, b.Weights[i*nW+k]*factor)
			}
		}
		s.N += b.N
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, fmt.Errorf("pipeline: no events in [%d, %d)", start, end)
	}
	return s, nil
}
