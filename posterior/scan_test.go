// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// gaussLL is log N(θ0 − a ν; mu, sigma²): with the nuisance prior
// N(0, 1) the marginal posterior of θ0 under a flat prior is
// N(mu, sigma² + a²); with a = 0 (or no nuisance parameter) N(mu, sigma²).
// It counts its calls in *calls.
func gaussLL(mu, sigma, a float64, calls *int) LogLikelihood {
	return func(p []float64) (float64, error) {
		*calls++
		x := p[0]
		if len(p) > 1 {
			x -= a * p[1]
		}
		d := (x - mu) / sigma
		return -0.5 * d * d, nil
	}
}

func TestScanGaussian(t *testing.T) {
	axis := Linspace(-4, 6, 201)
	for _, tc := range []struct {
		name     string
		mu, s, a float64
		nuisance int
		wantSD   float64
	}{
		// The nuisance parameter widens the marginal posterior of θ to
		// √(σ² + a²); fixed at 0 it would stay σ.
		{name: "no nuisance", mu: 1, s: 0.5, wantSD: 0.5},
		{name: "nuisance", mu: 1, s: 0.5, a: 0.5, nuisance: 1, wantSD: math.Sqrt(0.5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls int
			var log bytes.Buffer
			mcmc := &Settings{Chains: 2, Steps: 1500, Seed: 3}
			cfg := &ScanConfig{Name: "s", Members: []LogLikelihood{gaussLL(tc.mu, tc.s, tc.a, &calls)},
				Names: []string{"x"}, Priors: Priors{Uniform{Min: -10, Max: 10}}, NumNuisance: tc.nuisance,
				Axes: [][]float64{axis}, MCMC: mcmc, Summary: &SummarySettings{CLs: []float64{0.68}}, Log: &log}
			r, err := Scan(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if mcmc.Init != nil {
				t.Error("Scan modified the caller's MCMC settings")
			}
			g := r.GridSummary.Params[0]
			if !scalar.EqualWithinAbs(g.Mean, tc.mu, 1e-3) || !scalar.EqualWithinRel(g.Std, tc.wantSD, 2e-3) {
				t.Errorf("grid: mean %v std %v, want %v %v", g.Mean, g.Std, tc.mu, tc.wantSD)
			}
			m := r.MCMCSummary.Params[0]
			// Monte Carlo error: a few thousand draws, correlated.
			if !scalar.EqualWithinAbs(m.Mean, tc.mu, 0.08) || !scalar.EqualWithinRel(m.Std, tc.wantSD, 0.1) {
				t.Errorf("mcmc: mean %v std %v, want %v %v", m.Mean, m.Std, tc.mu, tc.wantSD)
			}
			if d := r.Chains.Dim; d != 1+tc.nuisance {
				t.Errorf("chains of %d parameters, want %d", d, 1+tc.nuisance)
			}
			if tc.nuisance == 1 && r.Chains.Names[1] != "nu0" {
				t.Errorf("nuisance parameter named %q, want nu0", r.Chains.Names[1])
			}
			if r.Grid.Dim() != 1 || len(r.MemberGrids) != 1 || len(r.MemberChains) != 1 {
				t.Errorf("grid of %d dimensions, %d member grids, %d member chains; want 1, 1, 1", r.Grid.Dim(), len(r.MemberGrids), len(r.MemberChains))
			}
			if r.Evaluations != calls {
				t.Errorf("%d evaluations counted, the likelihood was called %d times", r.Evaluations, calls)
			}
			if calls <= len(axis) {
				t.Errorf("%d calls: the grid alone takes %d", calls, len(axis))
			}
			if r.EdgeMass > 1e-6 || r.Outside > 0 {
				t.Errorf("edge mass %v, %v of the draws outside: the grid holds the posterior", r.EdgeMass, r.Outside)
			}
			for _, want := range []string{"posterior: scan s: grid of 201 points × 1 members\n", "posterior: scan s: stretch sampler, 1 members\n"} {
				if !strings.Contains(log.String(), want) {
					t.Errorf("log %q lacks %q", log.String(), want)
				}
			}
		})
	}
}

// TestScanTruncated: a grid that cuts the posterior off says so in
// EdgeMass and Outside; the grid posterior is the truncated one.
func TestScanTruncated(t *testing.T) {
	var calls int
	axis := Linspace(0, 2, 41) // the posterior N(1, 1) reaches far beyond
	r, err := Scan(&ScanConfig{Members: []LogLikelihood{gaussLL(1, 1, 0, &calls)}, Names: []string{"x"},
		Priors: Priors{Uniform{Min: -10, Max: 10}}, Axes: [][]float64{axis}, MCMC: &Settings{Chains: 2, Steps: 500, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// P(|x−1| > 1 − Δ/2) of N(1, 1) lies outside the inner cells; the
	// edge cells hold about twice Δ/2 · φ(1)/(Φ(1)−Φ(−1)) of the
	// truncated posterior.
	if r.EdgeMass < 0.01 {
		t.Errorf("edge mass %v of a grid that cuts the posterior off", r.EdgeMass)
	}
	if want := 2 * (1 - 0.8413); !scalar.EqualWithinAbs(r.Outside, want, 0.08) {
		t.Errorf("%v of the draws outside the grid, want about %v", r.Outside, want)
	}
	if sd := r.GridSummary.Params[0].Std; sd > 0.6 {
		t.Errorf("grid std %v: the grid posterior is truncated to [0, 2]", sd)
	}
}

// TestScanEnsemble: the members' posteriors N(−1, σ²) and N(1, σ²) mix
// with equal weights into mean 0 and variance σ² + 1.
func TestScanEnsemble(t *testing.T) {
	var c0, c1 int
	const s = 0.3
	r, err := Scan(&ScanConfig{Members: []LogLikelihood{gaussLL(-1, s, 0, &c0), gaussLL(1, s, 0, &c1)}, Names: []string{"x"},
		Priors: Priors{Uniform{Min: -5, Max: 5}}, Axes: [][]float64{Linspace(-5, 5, 401)}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Chains != nil || r.MCMCSummary != nil || r.Outside != 0 {
		t.Error("MCMC ran without MCMC settings")
	}
	if len(r.MemberGrids) != 2 || r.GridSummary.Method != "mixture" || len(r.GridSummary.Members) != 2 {
		t.Fatalf("%d member grids, summary method %q with %d members; want 2, mixture, 2", len(r.MemberGrids), r.GridSummary.Method, len(r.GridSummary.Members))
	}
	p := r.GridSummary.Params[0]
	if !scalar.EqualWithinAbs(p.Mean, 0, 1e-6) || !scalar.EqualWithinRel(p.Std, math.Sqrt(s*s+1), 1e-3) {
		t.Errorf("mixture mean %v std %v, want 0 %v", p.Mean, p.Std, math.Sqrt(s*s+1))
	}
	for k, want := range []float64{-1, 1} {
		if m := r.GridSummary.Members[k].Params[0].Mean; !scalar.EqualWithinAbs(m, want, 1e-6) {
			t.Errorf("member %d: mean %v, want %v", k, m, want)
		}
	}
	if r.Evaluations != c0+c1 || c0 != 401 || c1 != 401 {
		t.Errorf("%d evaluations, members called %d and %d times; want 401 each", r.Evaluations, c0, c1)
	}
}

// TestScanMCMCOnly: without a grid the chains start from the prior.
func TestScanMCMCOnly(t *testing.T) {
	var calls int
	r, err := Scan(&ScanConfig{Members: []LogLikelihood{gaussLL(0.5, 0.5, 0, &calls)}, Names: []string{"x"},
		Priors: Priors{Uniform{Min: -3, Max: 3}}, MCMC: &Settings{Chains: 2, Steps: 1000, Seed: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Grid != nil || r.GridSummary != nil || r.EdgeMass != 0 {
		t.Error("a grid without axes")
	}
	if m := r.MCMCSummary.Params[0].Mean; !scalar.EqualWithinAbs(m, 0.5, 0.1) {
		t.Errorf("mean %v, want 0.5", m)
	}
	if r.Evaluations != calls || calls == 0 {
		t.Errorf("%d evaluations, %d calls", r.Evaluations, calls)
	}
}

func TestScanErrors(t *testing.T) {
	var calls int
	ll := []LogLikelihood{gaussLL(0, 1, 0, &calls)}
	pr := Priors{Uniform{Min: -1, Max: 1}}
	for _, tc := range []struct {
		name string
		cfg  ScanConfig
	}{
		{"no members", ScanConfig{Names: []string{"x"}, Priors: pr}},
		{"names", ScanConfig{Members: ll, Names: []string{"x", "y"}, Priors: pr}},
		{"axes", ScanConfig{Members: ll, Names: []string{"x"}, Priors: pr, Axes: [][]float64{{0, 1}, {0, 1}}}},
	} {
		if _, err := Scan(&tc.cfg); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
