// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"errors"
	"strings"
	"testing"
)

// withLimits is base with a limits section of two scans.
const withLimits = base + `limits:
  grid:
    ranges: [[-10, 10], [-5, 5]]
    resolutions: [11]
  scans:
    - {name: rate, mode: rate}
    - {name: histo, mode: histo, observables: [pt_j1]}
`

func TestPosteriorDefaults(t *testing.T) {
	c, err := Parse([]byte(withLimits+"posterior: {}\n"), "p.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := c.Posterior
	if p.Method != PosteriorBoth || !p.DoGrid() || !p.DoMCMC() {
		t.Errorf("method %q", p.Method)
	}
	// Flat priors on the parameter ranges; the limits grid.
	for i, pr := range p.Priors {
		if pr.Kind != "flat" || pr.Range != c.Parameters[i].Range {
			t.Errorf("prior %d: %+v, want flat on %v", i, pr, c.Parameters[i].Range)
		}
	}
	if p.Grid.Ranges[1] != [2]float64{-5, 5} || len(p.Grid.Resolutions) != 2 || p.Grid.Resolutions[1] != 11 {
		t.Errorf("grid %+v, want the limits grid", p.Grid)
	}
	if p.NuisancePoints != DefaultNuisancePoints || p.MCMC.Sampler != "stretch" || len(p.Levels) != 2 || !*p.Members || !*p.Reference {
		t.Errorf("defaults %+v", p)
	}
	if s := c.PosteriorScans(); len(s) != 2 || s[0].Name != "rate" {
		t.Errorf("scans %v, want every limits scan", s)
	}
	if !*c.Limits.Scans[0].Members {
		t.Error("limits.scans[].members defaults to false")
	}
	// The limits grid is copied, not shared.
	p.Grid.Ranges[0][0] = 99
	if c.Limits.Grid.Ranges[0][0] == 99 {
		t.Error("the posterior grid shares the limits grid's ranges")
	}
}

// TestPosteriorGridResolutionsOnly: a posterior grid given by its
// resolutions alone spans the limits grid's ranges, not the parameters'.
func TestPosteriorGridResolutionsOnly(t *testing.T) {
	c, err := Parse([]byte(withLimits+"posterior: {grid: {resolutions: [41]}}\n"), "p.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := c.Posterior.Grid
	if len(g.Ranges) != 2 || g.Ranges[0] != [2]float64{-10, 10} || g.Ranges[1] != [2]float64{-5, 5} || g.Resolutions[1] != 41 {
		t.Errorf("grid %+v, want the limits ranges at 41 points", g)
	}
}

func TestPosteriorSection(t *testing.T) {
	c, err := Parse([]byte(withLimits+`posterior:
  scans: [histo]
  method: grid
  priors:
    - {kind: gaussian, mean: 1, std: 2}
    - {kind: flat}
  mcmc: {sampler: slice, steps: 300}
`), "p.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := c.Posterior
	if p.DoMCMC() || p.Priors[0].Std != 2 || p.Priors[1].Range != [2]float64{-20, 20} || p.MCMC.Steps != 300 {
		t.Errorf("section %+v", p)
	}
	if s := c.PosteriorScans(); len(s) != 1 || s[0].Name != "histo" {
		t.Errorf("scans %v, want histo", s)
	}
}

func TestPosteriorErrors(t *testing.T) {
	for _, tc := range []struct {
		card string
		line int
		want string
	}{
		{base + "posterior: {}\n", 26, "needs a limits section"},
		{withLimits + "posterior:\n  scans: [nope]\n", 34, `"nope" is not a limits scan`},
		{withLimits + "posterior:\n  priors: [{kind: flat}]\n", 34, "one prior per parameter"},
		{withLimits + "posterior:\n  priors:\n    - {kind: gaussian, mean: 0}\n    - {kind: flat}\n", 35, "std: must be positive"},
		{withLimits + "posterior:\n  priors:\n    - {kind: log_uniform, range: [-1, 2]}\n    - {kind: flat}\n", 35, "0 < min < max"},
		{withLimits + "posterior:\n  priors:\n    - {kind: cauchy}\n    - {kind: flat}\n", 35, "want flat, gaussian or log_uniform"},
		{withLimits + "posterior:\n  method: nuts\n", 34, "want grid, mcmc or both"},
		{withLimits + "posterior:\n  grid: {ranges: [[1, 0], [0, 1]]}\n", 34, "min 1 is not below max 0"},
		{withLimits + "posterior:\n  mcmc: {sampler: hmc}\n", 34, "want stretch or slice"},
		{withLimits + "posterior:\n  mcmc: {walkers: 7}\n", 34, "even number of walkers"},
		{withLimits + "posterior:\n  levels: [0.68, 1.2]\n", 34, "credibility 1.2"},
		{withLimits + "posterior:\n  nuisance_points: 1\n", 34, "at least 2 points"},
		{withLimits + "    - {name: reference, mode: rate}\nposterior: {}\n", 33, "cannot be named reference"},
	} {
		_, err := Parse([]byte(tc.card), "p.yaml", Options{})
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.want, err, tc.want)
			continue
		}
		if ce.Line != tc.line {
			t.Errorf("%q: line %d, want %d (%v)", tc.want, ce.Line, tc.line, err)
		}
	}
}
