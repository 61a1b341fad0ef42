// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// Fit is the posterior of one data set as the calibration checks use it.
type Fit interface {
	// Draws returns n draws from the posterior made with src; each draw
	// holds the first k parameters, for some k ≥ 1 fixed by the Fit.
	Draws(n int, src rand.Source) ([][]float64, error)
}

// Crediter is a Fit that can tell how deep a point lies in its
// posterior: Credibility(θ) is the posterior mass of the points of higher
// density than θ, the credibility of the smallest highest-posterior-density
// region that contains θ. Calibrate passes all parameters of θ_true,
// nuisance included; a Crediter uses as many leading ones as its density
// describes.
type Crediter interface {
	Credibility(theta []float64) (float64, error)
}

var (
	_ Fit      = (*Grid)(nil)
	_ Crediter = (*Grid)(nil)
	_ Fit      = (*Chains)(nil)
	_ Crediter = (*sampled)(nil)
)

// sampled is a Fit from MCMC draws with the model that made them.
type sampled struct {
	*Chains
	m *Model
}

// WithModel returns the chains as a Fit whose Credibility is the fraction
// of draws with a higher posterior than θ, from the model's log posterior
// at θ and the stored log posterior of the draws. This measures the
// credibility in the space of all sampled parameters, so with nuisance
// parameters θ must include them (Calibrate passes them).
func (ch *Chains) WithModel(m *Model) Fit { return &sampled{ch, m} }

func (s *sampled) Credibility(theta []float64) (float64, error) {
	if len(theta) < s.Dim {
		return 0, fmt.Errorf("posterior: credibility of a point with %d parameters in %d-parameter chains", len(theta), s.Dim)
	}
	lp, err := s.m.LogPosterior(theta[:s.Dim])
	if err != nil {
		return 0, err
	}
	n, above := 0, 0
	for _, l := range s.LogPost {
		for _, v := range l {
			n++
			if v > lp {
				above++
			}
		}
	}
	return float64(above) / float64(n), nil
}

// Simulator draws one data set at θ (nuisance parameters included) with
// src.
type Simulator[D any] func(theta []float64, src rand.Source) (D, error)

// Inferrer returns the posterior of a data set; src serves any random
// step (an MCMC seed).
type Inferrer[D any] func(data D, src rand.Source) (Fit, error)

// CalibrationSettings configures Calibrate. A nil *CalibrationSettings
// means all defaults.
type CalibrationSettings struct {
	// DataSets is the number N of simulated data sets; 0 means 500.
	DataSets int
	// Draws is the number L of posterior draws per data set; ranks run
	// from 0 to L. 0 means 99.
	Draws int
	// Bins is the number of rank-histogram bins; 0 means 20, or L+1 if
	// smaller.
	Bins int
	// Levels are the credibility levels of the coverage table; nil means
	// 0.68 and 0.95.
	Levels []float64
	// Seed seeds data set i's θ, data, posterior and draws with
	// PCG(Seed, i), whatever Workers is.
	Seed uint64
	// Workers is the number of data sets processed at once; more than
	// one calls the Simulator and the Inferrer concurrently. 0 means
	// GOMAXPROCS.
	Workers int
	// Progress, if not nil, is told the number of data sets done and
	// their total after each one; calls are serialised.
	Progress func(done, total int)
}

// Calibration is the result of Calibrate.
type Calibration struct {
	DataSets, Draws int
	// Ranks[p][i] is the rank of θ_true,p among the draws of data set i:
	// the number of draws below it, 0 … L.
	Ranks [][]int
	// Tests holds the uniformity test of each parameter's ranks.
	Tests []RankTest
	// Coverage is nil if the fits are not Crediters.
	Coverage *Coverage
}

// RankTest tests a rank histogram against the discrete uniform
// distribution of ranks 0 … L.
type RankTest struct {
	// Counts is the histogram of the ranks in equal bins of consecutive
	// ranks (the last bins one rank wider if L+1 is not a multiple of the
	// number of bins), Expected the counts under uniformity.
	Counts   []int
	Expected []float64
	// Chi2 is Pearson's χ² = Σ_b (n_b − e_b)²/e_b, with DF = bins − 1
	// degrees of freedom and p-value Chi2P = P(χ²_DF > Chi2).
	Chi2  float64
	DF    int
	Chi2P float64
	// KS is the Kolmogorov–Smirnov distance of the randomised ranks
	// u = (r + V)/(L + 1), V uniform in [0, 1), from U(0, 1) (exactly
	// uniform if the posterior is calibrated), and KSP its p-value.
	KS, KSP float64
}

// Coverage is the expected coverage of the highest-posterior-density
// regions: θ_true lies in the region of credibility α exactly when its
// credibility is at most α, so a calibrated posterior has uniformly
// distributed credibilities and Covered[j] ≈ Levels[j].
type Coverage struct {
	// Credibility[i] is the credibility of θ_true in data set i.
	Credibility []float64
	Levels      []float64
	// Covered[j] is the fraction of data sets with Credibility ≤
	// Levels[j], StdErr[j] = √(α(1−α)/N) its binomial standard error
	// under calibration.
	Covered []float64
	StdErr  []float64
	// KS and KSP test the credibilities against U(0, 1).
	KS, KSP float64
}

// Pass reports whether every p-value of the rank tests and of the
// coverage test is at least alpha.
func (c *Calibration) Pass(alpha float64) bool {
	for _, t := range c.Tests {
		if t.Chi2P < alpha || t.KSP < alpha {
			return false
		}
	}
	return c.Coverage == nil || c.Coverage.KSP >= alpha
}

// MinP returns the smallest p-value of all tests.
func (c *Calibration) MinP() float64 {
	p := 1.0
	for _, t := range c.Tests {
		p = math.Min(p, math.Min(t.Chi2P, t.KSP))
	}
	if c.Coverage != nil {
		p = math.Min(p, c.Coverage.KSP)
	}
	return p
}

// Calibrate runs simulation-based calibration (Talts, Betancourt,
// Simpson, Vehtari, Gelman, "Validating Bayesian inference algorithms with
// simulation-based calibration", arXiv:1804.06788): for each of N data
// sets it draws θ_true from the prior, simulates data at θ_true, builds
// the posterior and ranks θ_true among L posterior draws, parameter by
// parameter (the first k parameters, k fixed by the Fit). If the fits are
// Crediters it also measures the expected coverage of their HPD regions.
//
// An error from the simulator or the inferrer names the data set and
// stops the run.
func Calibrate[D any](prior Priors, sim Simulator[D], infer Inferrer[D], s *CalibrationSettings) (*Calibration, error) {
	if err := prior.Validate(); err != nil {
		return nil, err
	}
	var c CalibrationSettings
	if s != nil {
		c = *s
	}
	if c.DataSets == 0 {
		c.DataSets = 500
	}
	if c.Draws == 0 {
		c.Draws = 99
	}
	if c.Bins == 0 {
		c.Bins = min(20, c.Draws+1)
	}
	if c.Levels == nil {
		c.Levels = []float64{0.68, 0.95}
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case c.DataSets < 2 || c.Draws < 1:
		return nil, fmt.Errorf("posterior: calibration with %d data sets and %d draws", c.DataSets, c.Draws)
	case c.Bins < 2 || c.Bins > c.Draws+1:
		return nil, fmt.Errorf("posterior: %d rank bins for ranks 0…%d", c.Bins, c.Draws)
	}
	for _, a := range c.Levels {
		if !(a > 0 && a < 1) {
			return nil, fmt.Errorf("posterior: coverage level %v outside (0, 1)", a)
		}
	}
	type one struct {
		ranks []int
		u     []float64
		cred  float64
		hasCr bool
	}
	pr := &progress{f: c.Progress, total: c.DataSets}
	res := make([]one, c.DataSets)
	errs := make([]error, c.DataSets)
	var wg sync.WaitGroup
	w := min(c.Workers, c.DataSets)
	for g := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < c.DataSets; i += w {
				src := rand.NewPCG(c.Seed, uint64(i))
				theta := prior.RandTo(nil, src)
				data, err := sim(theta, src)
				if err != nil {
					errs[i] = fmt.Errorf("posterior: data set %d at θ = %v: could not simulate: %w", i, theta, err)
					return
				}
				fit, err := infer(data, src)
				if err != nil {
					errs[i] = fmt.Errorf("posterior: data set %d at θ = %v: could not infer: %w", i, theta, err)
					return
				}
				draws, err := fit.Draws(c.Draws, src)
				if err != nil {
					errs[i] = fmt.Errorf("posterior: data set %d: could not draw from the posterior: %w", i, err)
					return
				}
				k := 0
				if len(draws) > 0 {
					k = len(draws[0])
				}
				if len(draws) != c.Draws || k == 0 || k > len(theta) {
					errs[i] = fmt.Errorf("posterior: data set %d: %d draws of %d parameters, want %d of 1 to %d", i, len(draws), k, c.Draws, len(theta))
					return
				}
				r := one{ranks: make([]int, k), u: make([]float64, k)}
				for _, d := range draws {
					if len(d) != k {
						errs[i] = fmt.Errorf("posterior: data set %d: draws of %d and %d parameters", i, k, len(d))
						return
					}
					for p := range k {
						if d[p] < theta[p] {
							r.ranks[p]++
						}
					}
				}
				rng := rand.New(src)
				for p := range k {
					r.u[p] = (float64(r.ranks[p]) + rng.Float64()) / float64(c.Draws+1)
				}
				if cr, ok := fit.(Crediter); ok {
					r.hasCr = true
					if r.cred, err = cr.Credibility(theta); err != nil {
						errs[i] = fmt.Errorf("posterior: data set %d: could not compute the credibility of θ_true: %w", i, err)
						return
					}
				}
				res[i] = r
				pr.add(1)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	k := len(res[0].ranks)
	out := &Calibration{DataSets: c.DataSets, Draws: c.Draws, Ranks: make([][]int, k)}
	hasCr := true
	for i, r := range res {
		if len(r.ranks) != k {
			return nil, fmt.Errorf("posterior: data set %d has %d parameters, data set 0 has %d", i, len(r.ranks), k)
		}
		hasCr = hasCr && r.hasCr
	}
	for p := range k {
		ranks := make([]int, c.DataSets)
		u := make([]float64, c.DataSets)
		for i, r := range res {
			ranks[i], u[i] = r.ranks[p], r.u[p]
		}
		out.Ranks[p] = ranks
		out.Tests = append(out.Tests, TestRanks(ranks, u, c.Draws, c.Bins))
	}
	if hasCr {
		cov := &Coverage{Levels: slices.Clone(c.Levels), Credibility: make([]float64, c.DataSets)}
		for i, r := range res {
			cov.Credibility[i] = r.cred
		}
		n := float64(c.DataSets)
		for _, a := range c.Levels {
			in := 0
			for _, v := range cov.Credibility {
				if v <= a {
					in++
				}
			}
			cov.Covered = append(cov.Covered, float64(in)/n)
			cov.StdErr = append(cov.StdErr, math.Sqrt(a*(1-a)/n))
		}
		cov.KS, cov.KSP = KSUniform(cov.Credibility)
		out.Coverage = cov
	}
	return out, nil
}

// TestRanks tests the ranks 0 … l against uniformity with Pearson's χ² on
// a histogram of bins bins and with the Kolmogorov–Smirnov test on the
// randomised ranks u (nil: no KS test, KSP = 1). It panics if a rank is
// outside [0, l] or bins is outside [2, l+1].
func TestRanks(ranks []int, u []float64, l, bins int) RankTest {
	if bins < 2 || bins > l+1 {
		panic("posterior: bad number of rank bins")
	}
	t := RankTest{Counts: make([]int, bins), Expected: make([]float64, bins), DF: bins - 1, KSP: 1}
	// Bin b holds ranks [lo_b, lo_{b+1}) with lo_b = ⌊b(l+1)/bins⌋.
	lo := func(b int) int { return b * (l + 1) / bins }
	bin := make([]int, l+1)
	for b := range bins {
		for r := lo(b); r < lo(b+1); r++ {
			bin[r] = b
		}
		t.Expected[b] = float64(len(ranks)) * float64(lo(b+1)-lo(b)) / float64(l+1)
	}
	for _, r := range ranks {
		if r < 0 || r > l {
			panic("posterior: rank outside [0, l]")
		}
		t.Counts[bin[r]]++
	}
	for b, n := range t.Counts {
		d := float64(n) - t.Expected[b]
		t.Chi2 += d * d / t.Expected[b]
	}
	t.Chi2P = distuv.ChiSquared{K: float64(t.DF)}.Survival(t.Chi2)
	if u != nil {
		t.KS, t.KSP = KSUniform(u)
	}
	return t
}
