// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"math"
)

// LogLikelihood returns log p(x|θ) of one data set x, up to a constant that
// does not depend on θ; params holds the parameters of interest followed
// by the nuisance parameters. A log-likelihood ratio log r(x|θ, θ_ref) with
// a fixed reference works as well. It returns −Inf where the likelihood
// vanishes and an error where it cannot be evaluated; NaN or +Inf is
// reported as an error by the callers.
//
// A limits.LogLikelihood bound to a data set adapts in one line:
//
//	func(p []float64) (float64, error) { k, r, err := ll(p); return k + r, err }
//
// (limits.Scan adds the Gaussian constraints −ν²/2 of the nuisance
// parameters itself; here they are the nuisance priors, Gaussian{Sigma: 1}.)
type LogLikelihood func(params []float64) (float64, error)

// Model is the posterior p(θ, ν|x) ∝ L(x|θ, ν) π(θ) π(ν) of one data set.
// The parameters of interest come first, the nuisance parameters after
// them, in Priors and in the params of LogLikelihood.
type Model struct {
	// Names labels the parameters in summaries; nil means θ0, θ1, ….
	Names []string
	// Priors holds one prior per parameter.
	Priors Priors
	// POI is the number of parameters of interest, the first POI of
	// Priors; the rest are nuisance parameters, sampled and marginalised.
	// 0 means all parameters are of interest.
	POI int
	// LogLikelihood is the likelihood of the data set. It is called from
	// one goroutine at a time unless a sampler's Workers says otherwise.
	LogLikelihood LogLikelihood
}

// Dim returns the number of parameters (of interest and nuisance).
func (m *Model) Dim() int { return len(m.Priors) }

// NumPOI returns the number of parameters of interest.
func (m *Model) NumPOI() int {
	if m.POI == 0 {
		return len(m.Priors)
	}
	return m.POI
}

// names returns the n first parameter names.
func (m *Model) names(n int) []string { return paramNames(m.Names, n) }

func paramNames(names []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		if i < len(names) && names[i] != "" {
			out[i] = names[i]
		} else {
			out[i] = fmt.Sprintf("θ%d", i)
		}
	}
	return out
}

// Validate checks the model's priors, names and parameter counts.
func (m *Model) Validate() error {
	if m == nil {
		return fmt.Errorf("posterior: nil model")
	}
	if err := m.Priors.Validate(); err != nil {
		return err
	}
	if m.LogLikelihood == nil {
		return fmt.Errorf("posterior: model without a log-likelihood")
	}
	if m.POI < 0 || m.POI > len(m.Priors) {
		return fmt.Errorf("posterior: %d parameters of interest among %d parameters", m.POI, len(m.Priors))
	}
	if m.Names != nil && len(m.Names) != len(m.Priors) {
		return fmt.Errorf("posterior: %d names for %d parameters", len(m.Names), len(m.Priors))
	}
	return nil
}

// LogPosterior returns log L(θ) + log π(θ), the unnormalised log
// posterior. Outside the prior's support it returns −Inf without calling
// the likelihood. A likelihood of NaN or +Inf is an error naming θ.
func (m *Model) LogPosterior(params []float64) (float64, error) {
	lp := m.Priors.LogProb(params)
	if math.IsInf(lp, -1) {
		return lp, nil
	}
	ll, err := m.LogLikelihood(params)
	if err != nil {
		return 0, fmt.Errorf("posterior: could not evaluate the likelihood at %v: %w", params, err)
	}
	if math.IsNaN(ll) || math.IsInf(ll, 1) {
		return 0, fmt.Errorf("posterior: log-likelihood at %v is %v", params, ll)
	}
	return lp + ll, nil
}

// WithLikelihood returns a copy of m with another likelihood, for example
// that of one ensemble member.
func (m *Model) WithLikelihood(ll LogLikelihood) *Model {
	c := *m
	c.LogLikelihood = ll
	return &c
}
