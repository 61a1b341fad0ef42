// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

// Spec describes an estimator to train: the method, which decides the
// estimator (a ScoreEstimator for the score methods, a
// LikelihoodEstimator for the likelihood ones, else a
// ParameterizedRatioEstimator, or a DoubleParameterizedRatioEstimator
// with Double), and its architecture.
type Spec struct {
	Method     Method
	Double     bool // the doubly parameterised ratio estimator
	Features   []int
	Hidden     []int
	Activation Activation
	MADEs      int  // likelihood estimators
	BatchNorm  bool // likelihood estimators

	// Ensemble is the number of members (TrainEnsemble); 0 or 1 trains a
	// single estimator.
	Ensemble int
}

// trainOne trains one estimator of spec.
func (spec *Spec) trainOne(d Data, s *Settings) (Estimator, *History, error) {
	switch {
	case spec.Method.Kind() == typeScore:
		est := &ScoreEstimator{Features: spec.Features, Hidden: spec.Hidden, Activation: spec.Activation}
		h, err := est.Train(spec.Method, d.X, d.TXZ, s)
		return est, h, err
	case spec.Method.Kind() == typeLikelihood:
		est := &LikelihoodEstimator{Features: spec.Features, Hidden: spec.Hidden, Activation: spec.Activation, NMADEs: spec.MADEs, BatchNorm: spec.BatchNorm}
		h, err := est.Train(spec.Method, d, s)
		return est, h, err
	case spec.Double:
		est := &DoubleParameterizedRatioEstimator{Features: spec.Features, Hidden: spec.Hidden, Activation: spec.Activation}
		h, err := est.Train(spec.Method, d, s)
		return est, h, err
	default:
		est := &ParameterizedRatioEstimator{Features: spec.Features, Hidden: spec.Hidden, Activation: spec.Activation}
		h, err := est.Train(spec.Method, d, s)
		return est, h, err
	}
}

// Train trains the estimator of spec on d: an Ensemble of spec.Ensemble
// members seeded s.Seed, s.Seed+1, ... (TrainEnsemble) when it is above
// one. The history is that of the (first) member.
func Train(spec *Spec, d Data, s *Settings) (Estimator, *History, error) {
	if spec.Ensemble <= 1 {
		return spec.trainOne(d, s)
	}
	var first *History
	en, err := TrainEnsemble(spec.Ensemble, s, func(i int, s *Settings) (Estimator, error) {
		m, h, err := spec.trainOne(d, s)
		if i == 0 {
			first = h
		}
		return m, err
	})
	return en, first, err
}
