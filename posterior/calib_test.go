// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// sbcLevel is the significance level of the uniformity tests.
const sbcLevel = 0.01

// checkCalibrated fails unless every test passes at the 1% level and the
// coverage of the HPD regions is within 3.5 binomial standard errors of
// its level.
func checkCalibrated(t *testing.T, name string, c *Calibration) {
	t.Helper()
	logCalibration(t, name, c)
	for p, rt := range c.Tests {
		if rt.Chi2P < sbcLevel || rt.KSP < sbcLevel {
			t.Errorf("%s: parameter %d: ranks not uniform: χ² = %.1f (%d dof, p = %.3g), KS p = %.3g; counts %v",
				name, p, rt.Chi2, rt.DF, rt.Chi2P, rt.KSP, rt.Counts)
		}
	}
	if cv := c.Coverage; cv != nil {
		if cv.KSP < sbcLevel {
			t.Errorf("%s: credibilities not uniform: KS p = %.3g", name, cv.KSP)
		}
		for j, a := range cv.Levels {
			if !near(cv.Covered[j], a, 3.5*cv.StdErr[j]) {
				t.Errorf("%s: coverage of the %v HPD region %v ± %v", name, a, cv.Covered[j], cv.StdErr[j])
			}
		}
	}
}

func logCalibration(t *testing.T, name string, c *Calibration) {
	t.Helper()
	for p, rt := range c.Tests {
		t.Logf("%s: parameter %d: χ² p = %.3g, KS p = %.3g", name, p, rt.Chi2P, rt.KSP)
	}
	if cv := c.Coverage; cv != nil {
		t.Logf("%s: coverage %v at %v, credibility KS p = %.3g", name, cv.Covered, cv.Levels, cv.KSP)
	}
}

// checkMiscalibrated fails unless some test rejects at the 1% level.
func checkMiscalibrated(t *testing.T, name string, c *Calibration) {
	t.Helper()
	logCalibration(t, name, c)
	if p := c.MinP(); p >= sbcLevel {
		t.Errorf("%s: miscalibrated posterior passes: smallest p-value %.3g; counts %v", name, p, c.Tests[0].Counts)
	}
}

// toyGrid returns the grid posterior of 1-parameter toy data for the prior
// pr, with the log-likelihood scaled by temp and an extra term extra(θ).
func toyGrid(pr Gaussian, temp float64, extra func(float64) float64) Inferrer[[][]float64] {
	axis := Linspace(pr.Mu-6*pr.Sigma, pr.Mu+6*pr.Sigma, 601)
	return func(x [][]float64, _ rand.Source) (Fit, error) {
		ll := toyLL(x)
		lp := make([]float64, len(axis))
		for j, th := range axis {
			l, _ := ll([]float64{th})
			lp[j] = temp*l + pr.LogProb(th)
			if extra != nil {
				lp[j] += extra(th)
			}
		}
		return NewGrid(nil, [][]float64{axis}, lp)
	}
}

func TestSBCToy(t *testing.T) {
	const n = 10 // events per data set: posterior σ ≈ 0.33
	pr := Gaussian{Mu: 0.5, Sigma: 1}
	exact := func(x [][]float64, _ rand.Source) (Fit, error) {
		mu, sd := toyExact(pr, x)
		return gaussFit{mu, sd}, nil
	}
	s := &CalibrationSettings{DataSets: 500, Seed: 1}
	t.Run("closed form", func(t *testing.T) {
		c, err := Calibrate(Priors{pr, pr}, toySim(n), exact, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Tests) != 2 || len(c.Ranks[1]) != 500 || c.Coverage == nil {
			t.Fatalf("calibration of %d parameters, %d ranks", len(c.Tests), len(c.Ranks[1]))
		}
		checkCalibrated(t, "closed form", c)
	})
	t.Run("grid", func(t *testing.T) {
		c, err := Calibrate(Priors{pr}, toySim(n), toyGrid(pr, 1, nil), s)
		if err != nil {
			t.Fatal(err)
		}
		checkCalibrated(t, "grid", c)
	})
	t.Run("slice", func(t *testing.T) {
		mcmc := func(x [][]float64, src rand.Source) (Fit, error) {
			m := &Model{Priors: Priors{pr}, LogLikelihood: toyLL(x)}
			ch, err := Sample(m, &Settings{Method: Slice, Chains: 2, Steps: 300, Burn: 100, Seed: rand.New(src).Uint64()})
			if err != nil {
				return nil, err
			}
			return ch.WithModel(m), nil
		}
		c, err := Calibrate(Priors{pr}, toySim(n), mcmc, s)
		if err != nil {
			t.Fatal(err)
		}
		checkCalibrated(t, "slice", c)
	})
	// Miscalibrated posteriors on the same data sets: a likelihood times
	// exp(β n θ), β = 0.15, shifts the posterior by s² β n = 1/6 = s/2 (for
	// a ratio estimator, a θ-dependent normalisation error does this);
	// tempering by 2 or 1/2 makes it too narrow or too wide by √2.
	for _, c := range []struct {
		name  string
		temp  float64
		extra func(float64) float64
	}{
		{"shifted", 1, func(th float64) float64 { return 0.15 * n * th }},
		{"overconfident", 2, nil},
		{"underconfident", 0.5, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			cal, err := Calibrate(Priors{pr}, toySim(n), toyGrid(pr, c.temp, c.extra), s)
			if err != nil {
				t.Fatal(err)
			}
			checkMiscalibrated(t, c.name, cal)
		})
	}
}

func TestSBCNuisance(t *testing.T) {
	// One measurement x ~ N(θ + sν, v) with θ ~ N(0, 1) and the nuisance
	// ν ~ N(0, 1): sampling (θ, ν) and keeping θ is calibrated; fixing ν
	// at 0 ignores the systematic and is overconfident.
	const s, v = 0.5, 0.09
	prior := Priors{Gaussian{Sigma: 1}, Gaussian{Sigma: 1}}
	sim := func(theta []float64, src rand.Source) (float64, error) {
		return theta[0] + s*theta[1] + math.Sqrt(v)*rand.New(src).NormFloat64(), nil
	}
	ll := func(x float64) LogLikelihood {
		return func(p []float64) (float64, error) { d := x - p[0] - s*p[1]; return -0.5 * d * d / v, nil }
	}
	marg := func(x float64, src rand.Source) (Fit, error) {
		m := &Model{Priors: prior, POI: 1, LogLikelihood: ll(x)}
		ch, err := Sample(m, &Settings{Method: Slice, Chains: 2, Steps: 300, Burn: 100, Seed: rand.New(src).Uint64()})
		if err != nil {
			return nil, err
		}
		return ch.WithModel(m), nil
	}
	set := &CalibrationSettings{DataSets: 500, Seed: 4}
	c, err := Calibrate(prior, sim, marg, set)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Tests) != 1 {
		t.Fatalf("%d rank tests, want θ only", len(c.Tests))
	}
	checkCalibrated(t, "nuisance marginalised", c)
	fixed := func(x float64, _ rand.Source) (Fit, error) {
		m := &Model{Priors: prior, POI: 1, LogLikelihood: ll(x)}
		g, err := EvalGrid(m, [][]float64{Linspace(-6, 6, 601), {0}}, nil)
		if err != nil {
			return nil, err
		}
		return g.Marginal(0), nil
	}
	bad, err := Calibrate(prior, sim, fixed, set)
	if err != nil {
		t.Fatal(err)
	}
	checkMiscalibrated(t, "nuisance fixed", bad)
}

func TestSBCGalton(t *testing.T) {
	const n = 20 // balls per data set
	pr := Uniform{-0.5, 0.5}
	tab, err := newGaltonTable(Linspace(-0.5, 0.5, 401))
	if err != nil {
		t.Fatal(err)
	}
	grid := func(extra func(float64) float64) Inferrer[[]int] {
		return func(counts []int, _ rand.Source) (Fit, error) { return tab.grid(counts, pr, extra) }
	}
	s := &CalibrationSettings{DataSets: 500, Seed: 2}
	c, err := Calibrate(Priors{pr}, galtonSim(n), grid(nil), s)
	if err != nil {
		t.Fatal(err)
	}
	checkCalibrated(t, "galton grid", c)
	// A likelihood ratio multiplied by exp(c n θ), c = 0.25: with posterior
	// widths σ ≈ 0.1–0.14 the posterior moves by about σ² c n ≈ σ/2.
	bad, err := Calibrate(Priors{pr}, galtonSim(n), grid(func(th float64) float64 { return 0.25 * n * th }), s)
	if err != nil {
		t.Fatal(err)
	}
	checkMiscalibrated(t, "galton shifted", bad)
	if testing.Short() {
		return
	}
	// MCMC on the exact likelihood (Galton.Probs at every step).
	mcmc := func(counts []int, src rand.Source) (Fit, error) {
		m := &Model{Priors: Priors{pr}, LogLikelihood: galtonLL(counts)}
		ch, err := Sample(m, &Settings{Method: Slice, Chains: 2, Steps: 200, Burn: 100, Seed: rand.New(src).Uint64()})
		if err != nil {
			return nil, err
		}
		return ch.WithModel(m), nil
	}
	c, err = Calibrate(Priors{pr}, galtonSim(n), mcmc, s)
	if err != nil {
		t.Fatal(err)
	}
	checkCalibrated(t, "galton slice", c)
}

func TestSBCStretch(t *testing.T) {
	if testing.Short() {
		t.Skip("SBC of the ensemble sampler: long")
	}
	pr := Gaussian{Mu: 0.5, Sigma: 1}
	mcmc := func(x [][]float64, src rand.Source) (Fit, error) {
		m := &Model{Priors: Priors{pr, pr}, LogLikelihood: toyLL(x)}
		ch, err := Sample(m, &Settings{Chains: 2, Steps: 300, Seed: rand.New(src).Uint64()})
		if err != nil {
			return nil, err
		}
		return ch.WithModel(m), nil
	}
	c, err := Calibrate(Priors{pr, pr}, toySim(10), mcmc, &CalibrationSettings{DataSets: 1000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	checkCalibrated(t, "stretch", c)
}

func TestCalibrateReproducible(t *testing.T) {
	pr := Gaussian{Mu: 0, Sigma: 1}
	infer := toyGrid(pr, 1, nil)
	a, err := Calibrate(Priors{pr}, toySim(3), infer, &CalibrationSettings{DataSets: 40, Seed: 5, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	b, _ := Calibrate(Priors{pr}, toySim(3), infer, &CalibrationSettings{DataSets: 40, Seed: 5, Workers: 3,
		Progress: func(d, total int) { done = max(done, d) }})
	if done != 40 {
		t.Errorf("progress reached %d of 40", done)
	}
	if !slices.Equal(a.Ranks[0], b.Ranks[0]) || !slices.Equal(a.Coverage.Credibility, b.Coverage.Credibility) || a.Tests[0].KS != b.Tests[0].KS {
		t.Error("1 and 3 workers give different calibrations")
	}
}

func TestCalibrateErrors(t *testing.T) {
	pr := Priors{Gaussian{Sigma: 1}}
	boom := errors.New("boom")
	simFail := func(theta []float64, _ rand.Source) (int, error) { return 0, boom }
	inferOK := func(int, rand.Source) (Fit, error) { return gaussFit{[]float64{0}, []float64{1}}, nil }
	if _, err := Calibrate(pr, simFail, inferOK, &CalibrationSettings{DataSets: 10, Workers: 1}); !errors.Is(err, boom) || !strings.Contains(err.Error(), "data set 0") {
		t.Errorf("simulator error: %v", err)
	}
	simOK := func(theta []float64, _ rand.Source) (int, error) { return 0, nil }
	inferFail := func(int, rand.Source) (Fit, error) { return nil, boom }
	if _, err := Calibrate(pr, simOK, inferFail, &CalibrationSettings{DataSets: 10}); !errors.Is(err, boom) || !strings.Contains(err.Error(), "could not infer") {
		t.Errorf("inferrer error: %v", err)
	}
	// Too many parameters in the draws.
	infer2 := func(int, rand.Source) (Fit, error) { return gaussFit{[]float64{0, 0}, []float64{1, 1}}, nil }
	if _, err := Calibrate(pr, simOK, infer2, &CalibrationSettings{DataSets: 10}); err == nil || !strings.Contains(err.Error(), "draws of 2 parameters") {
		t.Errorf("draws of 2 parameters for 1: %v", err)
	}
	for _, s := range []*CalibrationSettings{{DataSets: 1}, {Draws: 9, Bins: 11}, {Bins: 1}, {Levels: []float64{1}}} {
		if _, err := Calibrate(pr, simOK, inferOK, s); err == nil {
			t.Errorf("settings %+v: no error", s)
		}
	}
}

func TestRankTest(t *testing.T) {
	// Ranks 0…9 with 3 bins: bins hold ranks {0,1,2}, {3,4,5}, {6,…,9}.
	ranks := []int{0, 1, 2, 3, 9, 9, 9, 9, 8, 7}
	rt := TestRanks(ranks, nil, 9, 3)
	if !slices.Equal(rt.Counts, []int{3, 1, 6}) || !slices.Equal(rt.Expected, []float64{3, 3, 4}) {
		t.Fatalf("counts %v expected %v", rt.Counts, rt.Expected)
	}
	// χ² = 0 + 4/3 + 1 with 2 dof: p = exp(−χ²/2).
	chi2 := 4.0/3 + 1
	if !near(rt.Chi2, chi2, 1e-12) || rt.DF != 2 || !near(rt.Chi2P, math.Exp(-chi2/2), 1e-12) || rt.KSP != 1 {
		t.Errorf("χ² %v (%d dof) p %v, want %v p %v", rt.Chi2, rt.DF, rt.Chi2P, chi2, math.Exp(-chi2/2))
	}
}
