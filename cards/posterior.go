// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"fmt"
	"slices"
)

// Posterior configures goldmine posterior: Bayesian posteriors
// p(θ|x) ∝ L(x|θ) π(θ) from the likelihoods of the limits scans (their
// models, luminosity, θ_true and data: Asimov data at the first point of
// limits.theta_true, or the observed events of limits.observed), on a grid
// and by MCMC, with the nuisance parameters marginalised.
type Posterior struct {
	// Scans names the limits scans whose likelihoods are used; empty
	// means every scan.
	Scans []string `yaml:"scans"`
	// Priors holds one prior per parameter: kind flat (or uniform) on
	// range, gaussian (mean, std; truncated to range when one is given)
	// or log_uniform on range (0 < min). Empty means flat on each
	// parameter's range; a flat prior without range takes the
	// parameter's.
	Priors []Prior `yaml:"priors"`
	// Method is grid, mcmc or both (the default).
	Method string `yaml:"method"`
	// Grid is the grid of the grid posterior; absent means the limits
	// grid, and so do absent ranges (resolutions: one for all, or one per
	// parameter).
	Grid *Grid `yaml:"grid"`
	// NuisancePoints is the number of Gauss–Hermite nodes per nuisance
	// parameter with which the grid posterior integrates the nuisance
	// parameters out at every grid point, placed around their conditional
	// mode (default 9; MCMC samples them).
	NuisancePoints int `yaml:"nuisance_points"`
	// MCMC configures the sampler.
	MCMC MCMC `yaml:"mcmc"`
	// Levels are the credibility levels of the HPD regions (default
	// 0.68 and 0.95).
	Levels []float64 `yaml:"levels"`
	// Members adds, for a model that is an ensemble, the posterior of
	// every member; the ensemble's posterior is then their mixture
	// (default true).
	Members *bool `yaml:"members"`
	// Reference adds the Gaussian posterior N(θ_true, I⁻¹) of the truth
	// Fisher information at θ_true (event files; default true).
	Reference *bool `yaml:"reference"`
}

// MCMC configures the posterior sampler.
type MCMC struct {
	// Sampler is stretch (the affine-invariant ensemble sampler, the
	// default) or slice.
	Sampler string `yaml:"sampler"`
	// Chains, Walkers, Steps, Burn and Thin: see posterior.Settings (0
	// means its defaults: 4 chains, max(4·dim, 8) walkers, 1000 steps,
	// steps/2 burn-in, no thinning; a negative burn means none).
	Chains  int `yaml:"chains"`
	Walkers int `yaml:"walkers"`
	Steps   int `yaml:"steps"`
	Burn    int `yaml:"burn"`
	Thin    int `yaml:"thin"`
	// Seed pins the sampler's seed; nil derives it from the campaign seed.
	Seed *uint64 `yaml:"seed"`
}

// The posterior methods.
const (
	PosteriorGrid = "grid"
	PosteriorMCMC = "mcmc"
	PosteriorBoth = "both"
)

// DefaultNuisancePoints is posterior.nuisance_points when absent.
const DefaultNuisancePoints = 9

// DoGrid reports whether the posterior is computed on the grid.
func (p *Posterior) DoGrid() bool { return p.Method != PosteriorMCMC }

// DoMCMC reports whether the posterior is sampled.
func (p *Posterior) DoMCMC() bool { return p.Method != PosteriorGrid }

// PosteriorScans returns the limits scans of the posterior section, in
// the order of the limits section.
func (c *Card) PosteriorScans() []LimitScan {
	if c.Posterior == nil || c.Limits == nil {
		return nil
	}
	var out []LimitScan
	for _, s := range c.Limits.Scans {
		if len(c.Posterior.Scans) == 0 || slices.Contains(c.Posterior.Scans, s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// posteriorDefaults fills the absent values of the posterior section.
func posteriorDefaults(c *Card) {
	p := c.Posterior
	if p == nil {
		return
	}
	if p.Method == "" {
		p.Method = PosteriorBoth
	}
	if p.Priors == nil {
		for _, par := range c.Parameters {
			p.Priors = append(p.Priors, Prior{Kind: "flat", Range: par.Range})
		}
	}
	for i := range p.Priors {
		if pr := &p.Priors[i]; (pr.Kind == "flat" || pr.Kind == "uniform") && pr.Range == [2]float64{} && i < len(c.Parameters) {
			pr.Range = c.Parameters[i].Range
		}
	}
	if p.Grid == nil && c.Limits != nil {
		p.Grid = &Grid{Ranges: slices.Clone(c.Limits.Grid.Ranges), Resolutions: slices.Clone(c.Limits.Grid.Resolutions)}
	}
	if g := p.Grid; g != nil {
		switch {
		case g.Ranges != nil:
		case c.Limits != nil:
			// A grid given by its resolutions only: the limits grid's
			// ranges, as for an absent grid.
			g.Ranges = slices.Clone(c.Limits.Grid.Ranges)
		default:
			for _, par := range c.Parameters {
				g.Ranges = append(g.Ranges, par.Range)
			}
		}
		switch len(g.Resolutions) {
		case 0:
			g.Resolutions = []int{DefaultGridResolution}
			fallthrough
		case 1:
			r := g.Resolutions[0]
			g.Resolutions = make([]int, len(c.Parameters))
			for i := range g.Resolutions {
				g.Resolutions[i] = r
			}
		}
	}
	if p.NuisancePoints == 0 {
		p.NuisancePoints = DefaultNuisancePoints
	}
	if p.MCMC.Sampler == "" {
		p.MCMC.Sampler = "stretch"
	}
	if p.Levels == nil {
		p.Levels = []float64{0.68, 0.95}
	}
	t := true
	if p.Members == nil {
		p.Members = &t
	}
	if p.Reference == nil {
		p.Reference = &t
	}
}

func (v *validator) posterior(c *Card) error {
	p := c.Posterior
	if p == nil {
		return nil
	}
	np := len(c.Parameters)
	if c.Limits == nil {
		return v.errAt("posterior", "the posterior uses the likelihoods of the limits scans: the card needs a limits section")
	}
	for i, name := range p.Scans {
		if !slices.ContainsFunc(c.Limits.Scans, func(s LimitScan) bool { return s.Name == name }) {
			return v.errAt(fmt.Sprintf("posterior.scans[%d]", i), "%q is not a limits scan", name)
		}
	}
	for i, s := range c.Limits.Scans {
		// posterior/NAME/ holds a scan's files, posterior/reference/ the
		// Gaussian reference's.
		if s.Name == "reference" && (len(p.Scans) == 0 || slices.Contains(p.Scans, s.Name)) {
			return v.errAt(fmt.Sprintf("limits.scans[%d].name", i), "a posterior scan cannot be named reference: posterior/reference/ holds the Gaussian reference")
		}
	}
	if len(p.Priors) != np {
		return v.errAt("posterior.priors", "want one prior per parameter (%d), got %d", np, len(p.Priors))
	}
	for i, pr := range p.Priors {
		key := fmt.Sprintf("posterior.priors[%d]", i)
		r := pr.Range
		switch pr.Kind {
		case "flat", "uniform":
			if !(r[0] < r[1]) {
				return v.errAt(key+".range", "min %g is not below max %g", r[0], r[1])
			}
		case "gaussian":
			if !(pr.Std > 0) {
				return v.errAt(key+".std", "must be positive, got %g", pr.Std)
			}
			if r != [2]float64{} && !(r[0] < r[1]) {
				return v.errAt(key+".range", "min %g is not below max %g", r[0], r[1])
			}
		case "log_uniform":
			if !(r[0] > 0 && r[0] < r[1]) {
				return v.errAt(key+".range", "want 0 < min < max, got %v", r)
			}
		default:
			return v.errAt(key+".kind", "want flat, gaussian or log_uniform, got %q", pr.Kind)
		}
	}
	switch p.Method {
	case PosteriorGrid, PosteriorMCMC, PosteriorBoth:
	default:
		return v.errAt("posterior.method", "want grid, mcmc or both, got %q", p.Method)
	}
	if g := p.Grid; g != nil {
		if len(g.Ranges) != np {
			return v.errAt("posterior.grid.ranges", "want %d ranges, got %d", np, len(g.Ranges))
		}
		for i, r := range g.Ranges {
			if !(r[0] < r[1]) {
				return v.errAt(fmt.Sprintf("posterior.grid.ranges[%d]", i), "min %g is not below max %g", r[0], r[1])
			}
		}
		if len(g.Resolutions) != np {
			return v.errAt("posterior.grid.resolutions", "want 1 or %d resolutions, got %d", np, len(g.Resolutions))
		}
		points := 1
		for i, r := range g.Resolutions {
			if r < 2 {
				return v.errAt(fmt.Sprintf("posterior.grid.resolutions[%d]", i), "need at least 2 points, got %d", r)
			}
			if points *= min(r, maxGridPoints+1); points > maxGridPoints {
				return v.errAt("posterior.grid.resolutions", "the grid %v has more than %d points", g.Resolutions, maxGridPoints)
			}
		}
	}
	if p.NuisancePoints < 2 {
		return v.errAt("posterior.nuisance_points", "need at least 2 points, got %d", p.NuisancePoints)
	}
	m := p.MCMC
	if m.Sampler != "stretch" && m.Sampler != "slice" {
		return v.errAt("posterior.mcmc.sampler", "want stretch or slice, got %q", m.Sampler)
	}
	for _, f := range []struct {
		key string
		n   int
	}{{"chains", m.Chains}, {"walkers", m.Walkers}, {"steps", m.Steps}, {"thin", m.Thin}} {
		if f.n < 0 {
			return v.errAt("posterior.mcmc."+f.key, "must not be negative, got %d", f.n)
		}
	}
	if m.Walkers%2 != 0 {
		return v.errAt("posterior.mcmc.walkers", "the stretch move needs an even number of walkers, got %d", m.Walkers)
	}
	for i, l := range p.Levels {
		if !(l > 0 && l < 1) {
			return v.errAt(fmt.Sprintf("posterior.levels[%d]", i), "credibility %g outside (0, 1)", l)
		}
	}
	return nil
}
