// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import "fmt"

// The posterior of an ensemble of M estimators (ml.Ensemble members,
// trained with different seeds) is the equal-weight mixture
//
//	p(θ|x) = (1/M) Σ_m p_m(θ|x),   p_m(θ|x) ∝ L_m(x|θ) π(θ),
//
// each member's posterior normalised on its own. Its variance is the mean
// of the members' variances plus the variance of their means, so the
// spread between members (the network uncertainty) widens the credible
// regions. The members' own summaries show that spread separately.

// SampleMixture samples each member's posterior with the settings s, member
// i with the seed s.Seed + i, and returns the mixture (Mix) with the
// members' chains.
func SampleMixture(members []*Model, s *Settings) (mix *Chains, each []*Chains, err error) {
	if len(members) == 0 {
		return nil, nil, fmt.Errorf("posterior: ensemble without members")
	}
	var c Settings
	if s != nil {
		c = *s
	}
	seed := c.Seed
	for i, m := range members {
		c.Seed = seed + uint64(i)
		ch, err := Sample(m, &c)
		if err != nil {
			return nil, nil, fmt.Errorf("posterior: ensemble member %d: %w", i, err)
		}
		each = append(each, ch)
	}
	mix, err = Mix(each...)
	if err != nil {
		return nil, nil, err
	}
	return mix, each, nil
}

// GridMixture evaluates each member's posterior on the grid with the
// given axes and returns the mixture (MixGrids) with the members' grids.
func GridMixture(members []*Model, axes [][]float64, s *GridSettings) (mix *Grid, each []*Grid, err error) {
	if len(members) == 0 {
		return nil, nil, fmt.Errorf("posterior: ensemble without members")
	}
	for i, m := range members {
		g, err := EvalGrid(m, axes, s)
		if err != nil {
			return nil, nil, fmt.Errorf("posterior: ensemble member %d: %w", i, err)
		}
		each = append(each, g)
	}
	mix, err = MixGrids(each...)
	if err != nil {
		return nil, nil, err
	}
	return mix, each, nil
}

// MixtureSummary summarises the posterior of an ensemble from the mixture
// mix of its members' posteriors each, as GridMixture and SampleMixture
// return them: for one member its own summary (with the sampler's
// diagnostics), else the mixture's (method "mixture") completed by
// EnsembleSummary with the members' summaries.
func MixtureSummary[P interface {
	Summary(*SummarySettings) (*Summary, error)
}](mix P, each []P, s *SummarySettings) (*Summary, error) {
	switch len(each) {
	case 0:
		return nil, fmt.Errorf("posterior: ensemble without members")
	case 1:
		return each[0].Summary(s)
	}
	ms, err := mix.Summary(s)
	if err != nil {
		return nil, err
	}
	ms.Method = "mixture"
	members := make([]*Summary, len(each))
	for i, p := range each {
		if members[i], err = p.Summary(s); err != nil {
			return nil, fmt.Errorf("posterior: ensemble member %d: %w", i, err)
		}
	}
	return EnsembleSummary(ms, members)
}
