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

// toyModel returns the 2-parameter Gaussian toy with 10 events drawn at
// θ = (0.3, −0.4) and the prior N(0.5, 1.5²) on each parameter, with the
// closed-form posterior mean and standard deviation.
func toyModel(t *testing.T) (m *Model, mu, sd []float64) {
	t.Helper()
	x, err := toySim(10)([]float64{0.3, -0.4}, rand.NewPCG(21, 22))
	if err != nil {
		t.Fatal(err)
	}
	pr := Gaussian{Mu: 0.5, Sigma: 1.5}
	mu, sd = toyExact(pr, x)
	return &Model{Names: []string{"a", "b"}, Priors: Priors{pr, pr}, LogLikelihood: toyLL(x)}, mu, sd
}

// checkMoments compares the MCMC mean and standard deviation of every
// parameter of interest with the truth. The Monte Carlo standard errors
// are sd/√ESS for the mean and sd/√(2 ESS) for the standard deviation
// (Gaussian posterior), with the chains' bulk ESS; the tolerance is 4
// standard errors plus the truth's own error terr (0 for closed forms).
func checkMoments(t *testing.T, name string, ch *Chains, mu, sd []float64, terr float64) {
	t.Helper()
	s, err := ch.Summary(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := ch.Diagnose()
	for p := range mu {
		ess := d.ESSBulk[p]
		if ess < 300 {
			t.Errorf("%s: parameter %d: ESS %v < 300", name, p, ess)
		}
		got := s.Params[p]
		if tol := 4*sd[p]/math.Sqrt(ess) + terr; !near(got.Mean, mu[p], tol) {
			t.Errorf("%s: parameter %d: mean %v, want %v ± %v", name, p, got.Mean, mu[p], tol)
		}
		if tol := 4*sd[p]/math.Sqrt(2*ess) + terr; !near(got.Std, sd[p], tol) {
			t.Errorf("%s: parameter %d: std %v, want %v ± %v", name, p, got.Std, sd[p], tol)
		}
		if r := d.RHat[p]; !(r < 1.01) {
			t.Errorf("%s: parameter %d: R̂ = %v", name, p, r)
		}
	}
}

func TestSampleToy(t *testing.T) {
	m, mu, sd := toyModel(t)
	// The grid agrees with the closed form to the trapezoidal rule's
	// accuracy.
	axes := [][]float64{Linspace(mu[0]-7*sd[0], mu[0]+7*sd[0], 141), Linspace(mu[1]-7*sd[1], mu[1]+7*sd[1], 141)}
	g, err := EvalGrid(m, axes, nil)
	if err != nil {
		t.Fatal(err)
	}
	gm, gs := g.Mean(), g.Std()
	for p := range mu {
		if !near(gm[p], mu[p], 1e-4*sd[p]) || !near(gs[p], sd[p], 1e-3*sd[p]) {
			t.Errorf("grid: parameter %d: mean %v std %v, closed form %v %v", p, gm[p], gs[p], mu[p], sd[p])
		}
	}
	for _, meth := range []Method{Stretch, Slice} {
		ch, err := Sample(m, &Settings{Method: meth, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		checkMoments(t, meth.String(), ch, mu, sd, 0)
		// 68% shortest interval vs μ ± 0.994σ: the ends are quantiles with
		// an MC error of about 1.5σ/√ESS.
		s, _ := ch.Summary(nil)
		ess := ch.Diagnose().ESSBulk[0]
		iv := s.Params[0].HPD[0].Intervals[0]
		if tol := 6 * sd[0] / math.Sqrt(ess); !near(iv[0], mu[0]-z68*sd[0], tol) || !near(iv[1], mu[0]+z68*sd[0], tol) {
			t.Errorf("%v: 68%% interval %v, want [%.4f, %.4f] ± %.3f", meth, iv, mu[0]-z68*sd[0], mu[0]+z68*sd[0], tol)
		}
		// The stretch move on a 2-D Gaussian accepts about half of the
		// proposals; slice sampling always moves.
		if a := ch.Acceptance; meth == Stretch && (a < 0.3 || a > 0.9) || meth == Slice && a != 1 {
			t.Errorf("%v: acceptance %v", meth, a)
		}
		if n := ch.Steps() * len(ch.Samples); n != s.Draws {
			t.Errorf("%v: %d draws in the summary, %d in the chains", meth, s.Draws, n)
		}
	}
}

func TestSampleNuisance(t *testing.T) {
	m, mu1, sd1 := nuisanceModel()
	mu, sd := []float64{mu1}, []float64{sd1}
	for _, meth := range []Method{Stretch, Slice} {
		ch, err := Sample(m, &Settings{Method: meth, Seed: 9, Steps: 2000})
		if err != nil {
			t.Fatal(err)
		}
		checkMoments(t, meth.String(), ch, mu, sd, 0)
		sum, _ := ch.Summary(nil)
		if len(sum.Params) != 1 || sum.Params[0].Name != "theta" || len(sum.Diagnostics.RHat) != 2 {
			t.Errorf("%v: summary of %d parameters, diagnostics of %d", meth, len(sum.Params), len(sum.Diagnostics.RHat))
		}
		shape, data := ch.Flat(ch.POI)
		if !slices.Equal(shape, []int{len(ch.Samples) * ch.Steps(), 1}) || len(data) != shape[0] {
			t.Errorf("%v: flat shape %v, %d values", meth, shape, len(data))
		}
	}
}

func TestSampleGalton(t *testing.T) {
	// 50 balls at θ = 0.2 with the uniform prior on [−0.5, 0.5]: MCMC on
	// the exact likelihood (Galton.Probs) against the grid posterior.
	counts, err := galtonSim(50)([]float64{0.2}, rand.NewPCG(31, 32))
	if err != nil {
		t.Fatal(err)
	}
	pr := Uniform{-0.5, 0.5}
	m := &Model{Priors: Priors{pr}, LogLikelihood: galtonLL(counts)}
	g, err := EvalGrid(m, [][]float64{Linspace(-0.5, 0.5, 401)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mu, sd := g.Mean(), g.Std()
	// Grid error: the trapezoidal rule with Δ = 0.0025, ≲ 1e-4.
	ch, err := Sample(m, &Settings{Method: Slice, Seed: 3, Steps: 1000, Chains: 4})
	if err != nil {
		t.Fatal(err)
	}
	checkMoments(t, "galton slice", ch, mu, sd, 1e-4)
	if testing.Short() {
		return
	}
	ch, err = Sample(m, &Settings{Method: Stretch, Seed: 3, Steps: 1000, Chains: 2})
	if err != nil {
		t.Fatal(err)
	}
	checkMoments(t, "galton stretch", ch, mu, sd, 1e-4)
}

func TestSampleReproducible(t *testing.T) {
	m, _, _ := toyModel(t)
	for _, meth := range []Method{Stretch, Slice} {
		s := &Settings{Method: meth, Seed: 77, Steps: 50, Chains: 3}
		a, err := Sample(m, s)
		if err != nil {
			t.Fatal(err)
		}
		s.Workers = 2
		b, _ := Sample(m, s)
		s.Seed = 78
		c, _ := Sample(m, s)
		for i := range a.Samples {
			if !slices.Equal(a.Samples[i], b.Samples[i]) || !slices.Equal(a.LogPost[i], b.LogPost[i]) {
				t.Errorf("%v: chain %d differs between 1 and 2 workers", meth, i)
			}
		}
		if slices.Equal(a.Samples[0], c.Samples[0]) {
			t.Errorf("%v: seeds 77 and 78 give the same chain", meth)
		}
		if a.Evaluations != b.Evaluations {
			t.Errorf("%v: %d and %d evaluations", meth, a.Evaluations, b.Evaluations)
		}
	}
}

func TestSampleThinBurn(t *testing.T) {
	m, _, _ := toyModel(t)
	var last, calls int
	ch, err := Sample(m, &Settings{Method: Stretch, Steps: 20, Thin: 3, Burn: -1, Walkers: 6, Chains: 2, Workers: 2,
		Progress: func(done, total int) {
			if done <= last || total != 120 {
				t.Errorf("progress %d of %d after %d", done, total, last)
			}
			last = done
			calls++
		}})
	if err != nil {
		t.Fatal(err)
	}
	// 60 steps per chain reported every 20 steps.
	if last != 120 || calls != 6 {
		t.Errorf("progress ended at %d after %d calls, want 120 after 6", last, calls)
	}
	// 2 ensembles of 6 walkers, 20 kept steps; each step moves 6 walkers,
	// plus the 6 starting evaluations per ensemble.
	if len(ch.Samples) != 12 || ch.Steps() != 20 || ch.Evaluations != 2*(6+20*3*6) {
		t.Errorf("%d chains of %d steps, %d evaluations", len(ch.Samples), ch.Steps(), ch.Evaluations)
	}
	for c := range ch.LogPost {
		for i, lp := range ch.LogPost[c] {
			want, _ := m.LogPosterior(ch.Samples[c][2*i : 2*i+2])
			if lp != want {
				t.Fatalf("chain %d step %d: stored log posterior %v, model %v", c, i, lp, want)
			}
		}
	}
}

func TestSampleErrors(t *testing.T) {
	boom := errors.New("boom")
	bad := &Model{Priors: Priors{Uniform{0, 1}}, LogLikelihood: func(p []float64) (float64, error) {
		if p[0] > 0.9 {
			return 0, boom
		}
		return 0, nil
	}}
	_, err := Sample(bad, &Settings{Method: Slice, Seed: 1})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "chain 0") {
		t.Errorf("likelihood error: %v", err)
	}
	never := &Model{Priors: Priors{Uniform{0, 1}}, LogLikelihood: func([]float64) (float64, error) { return math.Inf(-1), nil }}
	if _, err := Sample(never, nil); err == nil || !strings.Contains(err.Error(), "no starting point") {
		t.Errorf("vanishing posterior: %v", err)
	}
	ok := &Model{Priors: Priors{Uniform{0, 1}, Uniform{0, 1}}, LogLikelihood: func([]float64) (float64, error) { return 0, nil }}
	for _, c := range []struct {
		s    *Settings
		want string
	}{
		{&Settings{Walkers: 5}, "5 walkers"},
		{&Settings{Walkers: 4}, "want an even number ≥ 6"},
		{&Settings{Steps: 3}, "at least 4"},
		{&Settings{Method: Slice, Width: []float64{1}}, "1 slice widths"},
		{&Settings{Method: Slice, Width: []float64{1, 0}}, "slice width 0"},
		{&Settings{Scale: 0.5}, "stretch scale"},
		{&Settings{Method: 7}, "unknown sampler"},
	} {
		if _, err := Sample(ok, c.s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.s, err, c.want)
		}
	}
	if _, err := Sample(&Model{Priors: Priors{Uniform{0, 1}}}, nil); err == nil {
		t.Error("model without likelihood: no error")
	}
}

func TestChainsDraws(t *testing.T) {
	m, _, _ := toyModel(t)
	ch, err := Sample(m, &Settings{Method: Slice, Steps: 100, Chains: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	d, err := ch.Draws(10, rand.NewPCG(1, 1))
	if err != nil || len(d) != 10 || len(d[0]) != 2 {
		t.Fatalf("draws: %v, %v", d, err)
	}
	// Every draw is one of the chains' states.
	for _, v := range d {
		found := false
		for _, s := range ch.Samples {
			for i := 0; i < len(s); i += 2 {
				found = found || s[i] == v[0] && s[i+1] == v[1]
			}
		}
		if !found {
			t.Errorf("draw %v is not in the chains", v)
		}
	}
	if _, err := ch.Draws(301, rand.NewPCG(1, 1)); err == nil {
		t.Error("301 draws from 300: no error")
	}
}

func TestMix(t *testing.T) {
	// Two members with Gaussian posteriors N(−0.2, 0.3²) and N(0.4, 0.2²):
	// the mixture has mean 0.1 and variance (0.09 + 0.04)/2 + 0.09.
	base := &Model{Names: []string{"x"}, Priors: Priors{Uniform{-3, 3}}}
	var members []*Model
	for _, c := range [][2]float64{{-0.2, 0.3}, {0.4, 0.2}} {
		members = append(members, base.WithLikelihood(func(p []float64) (float64, error) {
			return gauss1(p[0], c[0], c[1]), nil
		}))
	}
	const wantMu, wantVar = 0.1, (0.09+0.04)/2 + 0.09
	summaries := func(mix *Summary, each []*Summary) *Summary {
		ens, err := EnsembleSummary(mix, each)
		if err != nil {
			t.Fatal(err)
		}
		// The std over two members of (−0.2, 0.4) is 0.6/√2, of (0.3, 0.2)
		// 0.1/√2.
		if sp := ens.Spread; !near(sp.Mean[0], 0.6/math.Sqrt2, 0.01) || !near(sp.Std[0], 0.1/math.Sqrt2, 0.01) ||
			!near(sp.MeanRange[0][0], -0.2, 0.01) || !near(sp.MeanRange[0][1], 0.4, 0.01) || len(ens.Members) != 2 {
			t.Errorf("%s: spread %+v", mix.Method, sp)
		}
		return ens
	}

	// Slice sampling of a 1-D Gaussian is nearly independent: with 16000
	// draws per member, the MC errors are ≲ 0.003.
	mix, each, err := SampleMixture(members, &Settings{Method: Slice, Seed: 1, Steps: 4000})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := mix.Summary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !near(ms.Params[0].Mean, wantMu, 0.01) || !near(ms.Cov[0][0], wantVar, 0.01) || ms.Diagnostics != nil {
		t.Errorf("mixture mean %v var %v diagnostics %v, want %v, %v, none", ms.Params[0].Mean, ms.Cov[0][0], ms.Diagnostics, wantMu, wantVar)
	}
	var sums []*Summary
	for _, ch := range each {
		s, _ := ch.Summary(nil)
		sums = append(sums, s)
	}
	summaries(ms, sums)
	if each[0].Samples[0][0] == each[1].Samples[0][0] {
		t.Error("members sampled with the same seed")
	}

	gmix, geach, err := GridMixture(members, [][]float64{Linspace(-3, 3, 601)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	gs, _ := gmix.Summary(nil)
	if !near(gs.Params[0].Mean, wantMu, 1e-6) || !near(gs.Cov[0][0], wantVar, 1e-5) {
		t.Errorf("grid mixture mean %v var %v, want %v, %v", gs.Params[0].Mean, gs.Cov[0][0], wantMu, wantVar)
	}
	sums = nil
	for _, g := range geach {
		s, _ := g.Summary(nil)
		sums = append(sums, s)
	}
	summaries(gs, sums)

	if _, err := Mix(each[0], &Chains{Dim: 2, POI: 2}); err == nil {
		t.Error("mixture of different shapes: no error")
	}
	if _, _, err := SampleMixture(nil, nil); err == nil {
		t.Error("ensemble without members: no error")
	}
}
