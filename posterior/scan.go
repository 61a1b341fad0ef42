// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"io"
	"sync/atomic"
)

// ScanConfig configures Scan: the posterior of one likelihood, or of every
// member of an ensemble of likelihoods and of their mixture, on a grid of
// the parameters of interest and by MCMC.
type ScanConfig struct {
	// Name names the scan in the lines written to Log.
	Name string
	// Members holds the log-likelihood of each ensemble member (one for a
	// single model), of the parameters of interest θ followed by the
	// NumNuisance nuisance parameters ν. Scan evaluates them from one
	// goroutine at a time.
	Members []LogLikelihood
	// Names and Priors are those of the parameters of interest.
	Names  []string
	Priors Priors
	// NumNuisance is the number of nuisance parameters, in units of
	// their uncertainty: each has the prior Gaussian{Sigma: 1} and is
	// named nu0, nu1, ….
	NumNuisance int
	// Axes, if not nil, are the axes of the grid of the parameters of
	// interest on which the posterior is evaluated, with the nuisance
	// parameters integrated out at every point (Marginalize with the
	// settings Marginal).
	Axes     [][]float64
	Marginal *MarginalSettings
	// MCMC, if not nil, configures the sampler of θ and ν. When its Init
	// is nil and there is a grid, the chains start near the grid
	// posterior: Grid.NearInit with nuisance parameters from N(0, 0.1²),
	// since the data may constrain them far better than their prior.
	MCMC *Settings
	// Summary configures the summaries of the grid and of the draws.
	Summary *SummarySettings
	// Log, if not nil, receives a line as the grid and the sampler start.
	Log io.Writer
}

// ScanResult is the posterior of Scan.
type ScanResult struct {
	// Grid is the mixture of the members' grid posteriors MemberGrids
	// (GridMixture) of all parameters of interest, summarised in
	// GridSummary (MixtureSummary); nil without a grid.
	Grid        *Grid
	MemberGrids []*Grid
	GridSummary *Summary
	// EdgeMass is the mass of Grid in the cells at the edge of the grid
	// (Grid.EdgeMass): much of it says that the grid cuts the posterior
	// off.
	EdgeMass float64

	// Chains is the mixture of the members' chains MemberChains
	// (SampleMixture) of θ and ν, summarised in MCMCSummary; nil without
	// MCMC.
	Chains       *Chains
	MemberChains []*Chains
	MCMCSummary  *Summary
	// Outside is the fraction of the draws of the parameters of interest
	// outside the grid (FractionOutside), 0 without a grid: the grid
	// posterior is the posterior truncated to the grid.
	Outside float64

	// Evaluations counts the calls of the members' likelihoods.
	Evaluations int
}

// nuisanceInitSD is the spread of the nuisance parameters' starting
// points of the chains started near the grid posterior.
const nuisanceInitSD = 0.1

// Scan computes the posterior of cfg on its grid and by MCMC, whichever
// cfg asks for, for every member and their mixture.
func Scan(cfg *ScanConfig) (*ScanResult, error) {
	if len(cfg.Members) == 0 {
		return nil, fmt.Errorf("posterior: scan %s: no likelihood", cfg.Name)
	}
	np, nn := len(cfg.Priors), cfg.NumNuisance
	if len(cfg.Names) != np {
		return nil, fmt.Errorf("posterior: scan %s: %d names for %d parameters of interest", cfg.Name, len(cfg.Names), np)
	}
	if cfg.Axes != nil && len(cfg.Axes) != np {
		return nil, fmt.Errorf("posterior: scan %s: %d grid axes for %d parameters of interest", cfg.Name, len(cfg.Axes), np)
	}
	priors := append(Priors(nil), cfg.Priors...)
	names := append([]string(nil), cfg.Names...)
	for k := range nn {
		priors = append(priors, Gaussian{Sigma: 1})
		names = append(names, fmt.Sprintf("nu%d", k))
	}
	var evals atomic.Int64
	counted := func(ll LogLikelihood) LogLikelihood {
		return func(p []float64) (float64, error) {
			evals.Add(1)
			return ll(p)
		}
	}
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "posterior: scan %s: "+format, append([]any{cfg.Name}, args...)...)
		}
	}
	res := &ScanResult{}
	if cfg.Axes != nil {
		// The grid holds θ only, with ν integrated out at every point by
		// adaptive Gauss–Hermite quadrature around its conditional mode
		// (a fixed ν grid on the prior's range misses a likelihood that
		// constrains ν better than the prior does).
		base := &Model{Names: names[:np], Priors: priors[:np]}
		var models []*Model
		for _, ll := range cfg.Members {
			models = append(models, base.WithLikelihood(Marginalize(counted(ll), np, nn, cfg.Marginal)))
		}
		logf("grid of %d points × %d members\n", NumPoints(cfg.Axes), len(models))
		mix, each, err := GridMixture(models, cfg.Axes, nil)
		if err != nil {
			return nil, err
		}
		res.Grid, res.MemberGrids = mix, each
		if res.GridSummary, err = MixtureSummary(mix, each, cfg.Summary); err != nil {
			return nil, err
		}
		res.EdgeMass = mix.EdgeMass() // the grid holds θ only
	}
	if cfg.MCMC != nil {
		set := *cfg.MCMC
		if set.Init == nil && res.Grid != nil {
			set.Init = res.Grid.NearInit(nuisanceInitSD)
		}
		base := &Model{Names: names, Priors: priors, POI: np}
		var models []*Model
		for _, ll := range cfg.Members {
			models = append(models, base.WithLikelihood(counted(ll)))
		}
		logf("%s sampler, %d members\n", set.Method, len(models))
		mix, each, err := SampleMixture(models, &set)
		if err != nil {
			return nil, err
		}
		res.Chains, res.MemberChains = mix, each
		if res.MCMCSummary, err = MixtureSummary(mix, each, cfg.Summary); err != nil {
			return nil, err
		}
		if cfg.Axes != nil {
			_, draws := mix.Flat(np)
			res.Outside = FractionOutside(draws, cfg.Axes)
		}
	}
	res.Evaluations = int(evals.Load())
	return res, nil
}
