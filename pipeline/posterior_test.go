// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/posterior"
	"github.com/goldmine-hep/goldmine/simulators"
)

// galtonExact is the exact posterior of expected data on the Galton board
// from simulators.Galton.Probs alone: N p(k|θ_true) balls in slot k, a
// flat prior on the axis, on a grid.
func galtonExact(t *testing.T, rows int, thetaTrue, n float64, axis []float64) *posterior.Grid {
	t.Helper()
	b := simulators.Galton{Rows: rows}
	p0, err := b.Probs([]float64{thetaTrue})
	if err != nil {
		t.Fatal(err)
	}
	lp := make([]float64, len(axis))
	for j, th := range axis {
		ps, err := b.Probs([]float64{th})
		if err != nil {
			t.Fatal(err)
		}
		for k, p := range ps {
			if p0[k].V > 0 {
				lp[j] += n * p0[k].V * math.Log(p.V)
			}
		}
	}
	g, err := posterior.NewGrid([]string{"theta"}, [][]float64{axis}, lp)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestGaltonPosterior: the posterior of a trained ALICES ratio on the
// Galton board of cards/galton.yaml (100 expected balls at θ_true = 0)
// agrees with the exact posterior in mean and width. The exact posterior
// is the board's own likelihood (simulators.Galton.Probs) on the same
// simulated data (scan exact); that in turn agrees with the posterior of
// the expected slot counts N p(k|θ_true) computed here from Probs alone
// within the Monte-Carlo error of the 10000 simulated events behind the
// data (≈ 0.1 σ). Tolerances for ALICES: the mean within 0.5 σ and the
// width within 15% (-short: 20000 training samples, 20 epochs); 0.25 σ
// and 10% with 50000 samples, 40 epochs and a 5-member ensemble, whose
// posterior is the members' mixture.
func TestGaltonPosterior(t *testing.T) {
	n, epochs, ensemble, tolMean, tolStd := "20000", "20", "1", 0.5, 0.15
	if !testing.Short() {
		n, epochs, ensemble, tolMean, tolStd = "50000", "40", "5", 0.25, 0.10
	}
	env := galtonCard(t, func(s string) string {
		s = strings.Replace(s, "    - {name: carl, mode: ml, model: carl}\n", "", 1)
		s = strings.ReplaceAll(s, "n_samples: 4000", "n_samples: "+n)
		s = strings.Replace(s, "{name: alices, method: alices, sample: ratio, epochs: 4}",
			"{name: alices, method: alices, sample: ratio, epochs: "+epochs+", ensemble: "+ensemble+"}", 1)
		return s + "\nposterior:\n  scans: [exact, alices]\n  grid: {resolutions: [201]}\n  mcmc: {steps: 600}\n"
	})
	if _, err := Run(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	var pr PosteriorResult
	if err := readJSON(env.Path("posterior", "posterior.json"), &pr); err != nil {
		t.Fatal(err)
	}
	if len(pr.Scans) != 2 {
		t.Fatalf("%d posteriors, want exact and alices", len(pr.Scans))
	}
	exact, alices := pr.Scans[0], pr.Scans[1]
	truth := galtonExact(t, 20, 0, 100, posterior.Linspace(-0.5, 0.5, 201))
	mu, sd := truth.Mean()[0], truth.Std()[0]
	ex := exact.Grid.Params[0]
	t.Logf("Probs, expected counts: mean %.4f std %.4f", mu, sd)
	for _, sp := range pr.Scans {
		for _, s := range []*posterior.Summary{sp.Grid, sp.MCMC} {
			p := s.Params[0]
			t.Logf("%s %s: mean %.4f std %.4f (%+.2f σ, width %+.1f%%)", sp.Name, s.Method, p.Mean, p.Std, (p.Mean-ex.Mean)/ex.Std, 100*(p.Std/ex.Std-1))
		}
	}
	if d := math.Abs(ex.Mean - mu); d > 0.3*sd || math.Abs(ex.Std/sd-1) > 0.05 {
		t.Errorf("exact likelihood on the simulated data: mean %.4f std %.4f; on the expected counts %.4f, %.4f", ex.Mean, ex.Std, mu, sd)
	}
	em := exact.MCMC.Params[0]
	if math.Abs(em.Mean-ex.Mean) > 0.1*ex.Std || math.Abs(em.Std/ex.Std-1) > 0.05 {
		t.Errorf("exact: MCMC mean %.4f std %.4f, grid %.4f, %.4f", em.Mean, em.Std, ex.Mean, ex.Std)
	}
	if r := exact.MCMC.Diagnostics.RHat[0]; r > 1.01 {
		t.Errorf("exact: R̂ = %v", r)
	}
	for _, s := range []*posterior.Summary{alices.Grid, alices.MCMC} {
		p := s.Params[0]
		if math.Abs(p.Mean-ex.Mean) > tolMean*ex.Std || math.Abs(p.Std/ex.Std-1) > tolStd {
			t.Errorf("alices (%s): mean %.4f std %.4f, exact %.4f, %.4f: want the mean within %.2f σ and the width within %.0f%%",
				s.Method, p.Mean, p.Std, ex.Mean, ex.Std, tolMean, 100*tolStd)
		}
	}
	md, err := os.ReadFile(env.Path("report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Posteriors", "plots/posterior_alices.png", "plots/posterior_exact_corner.png", "| alices | frequentist |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if ensemble != "1" && (alices.Members != 5 || len(alices.Grid.Members) != 5 || alices.Grid.Spread == nil) {
		t.Errorf("alices: %d members, %d member summaries: want the mixture of 5", alices.Members, len(alices.Grid.Members))
	}
}

// runPosterior runs the campaign of c and reads posterior.json. The
// working directory is temporary, or GOLDMINE_POSTERIOR_KEEP/sub to look
// at the report and figures.
func runPosterior(t *testing.T, c *cards.Card, sub string) (*Env, *PosteriorResult) {
	t.Helper()
	dir := t.TempDir()
	if keep := os.Getenv("GOLDMINE_POSTERIOR_KEEP"); keep != "" {
		dir = filepath.Join(keep, sub)
	}
	env := NewEnv(c, dir, nil, nil)
	if _, err := Run(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	var pr PosteriorResult
	if err := readJSON(env.Path("posterior", "posterior.json"), &pr); err != nil {
		t.Fatal(err)
	}
	return env, &pr
}

// TestPosteriorNuisanceZH: the posterior of the histogram and rate scans
// of cards/zh.yaml on the bundled ZH sample (no training), with a 20%
// normalisation uncertainty marginalised on the grid and by MCMC:
//
//   - a normalisation uncertainty of 1e-7 gives the posterior without
//     nuisance parameters (means and widths to 1e-3 σ);
//   - 20% widens the histogram's posterior; its MCMC (ν sampled) agrees
//     with the grid (ν integrated out by adaptive quadrature): means
//     within 0.3 σ, widths within 20% (a fixed ν grid on [−4, 4] missed
//     the likelihood's narrow ν peak and failed this);
//   - with a flat prior and no nuisance parameter the histogram's 68%
//     credible area and its frequentist 68% area {p > 0.32} agree (within
//     10%), as they must for a near-Gaussian likelihood (both are
//     {Δχ² ≤ 2.28});
//   - the report has the posterior section and figures.
func TestPosteriorNuisanceZH(t *testing.T) {
	const onGrid = "  priors: [{kind: flat, range: [-0.2, 0.2]}, {kind: flat, range: [-0.08, 0.08]}]\n"
	run := func(norm, priors string) (*Env, *PosteriorResult) {
		c := zhCard(t, func(s string) string {
			if norm != "" {
				s = strings.Replace(s, "samples:\n  - name: zh\n", "systematics:\n  - {name: lumi, type: norm, value: "+norm+"}\nsamples:\n  - name: zh\n    systematics: [lumi]\n", 1)
			}
			s = noModelScans(s)
			s = s[:strings.Index(s, "\nsampling:")] + s[strings.Index(s, "\nlimits:"):]
			return s + "\nposterior:\n" + priors + "  mcmc: {chains: 2, walkers: 8, steps: 300}\n"
		})
		env, pr := runPosterior(t, c, "norm"+norm+"-"+strconv.Itoa(len(priors)))
		if len(pr.Scans) != 2 || pr.Scans[1].Name != "histo" {
			t.Fatalf("posteriors %+v, want rate and histo", pr.Scans)
		}
		return env, pr
	}
	env0, none := run("", onGrid)
	_, tiny := run("1e-7", onGrid)
	env, wide := run("0.2", onGrid)
	for k, sp := range none.Scans {
		if sp.Nuisance != 0 || tiny.Scans[k].Nuisance != 1 || wide.Scans[k].Nuisance != 1 {
			t.Fatalf("%s: %d, %d and %d nuisance parameters, want 0, 1, 1", sp.Name, sp.Nuisance, tiny.Scans[k].Nuisance, wide.Scans[k].Nuisance)
		}
		for i, p := range sp.Grid.Params {
			q := tiny.Scans[k].Grid.Params[i]
			if math.Abs(q.Mean-p.Mean) > 1e-3*p.Std || math.Abs(q.Std/p.Std-1) > 1e-3 {
				t.Errorf("%s: parameter %d: %.5g ± %.5g with σ_norm = 1e-7, %.5g ± %.5g without", sp.Name, i, q.Mean, q.Std, p.Mean, p.Std)
			}
		}
	}
	h0, h := none.Scans[1], wide.Scans[1]
	t.Logf("histo: 68%% area %.4g without, %.4g with a 20%% normalisation uncertainty (MCMC %.4g)", area68(h0.Grid), area68(h.Grid), area68(h.MCMC))
	if !(area68(h.Grid) > 1.05*area68(h0.Grid)) {
		t.Errorf("histo: 68%% area %.4g with the nuisance parameter, %.4g without: marginalising must widen it", area68(h.Grid), area68(h0.Grid))
	}
	for i, gp := range h.Grid.Params {
		mp := h.MCMC.Params[i]
		if math.Abs(mp.Mean-gp.Mean) > 0.3*gp.Std || math.Abs(mp.Std/gp.Std-1) > 0.2 {
			t.Errorf("histo: parameter %d: MCMC %.4f ± %.4f, grid %.4f ± %.4f", i, mp.Mean, mp.Std, gp.Mean, gp.Std)
		}
	}
	var lr LimitsResult
	if err := readJSON(env0.Path("limits.json"), &lr); err != nil {
		t.Fatal(err)
	}
	if fa := frequentistArea(t, env0, &lr, "histo", 0.68); math.Abs(area68(h0.Grid)/fa-1) > 0.1 {
		t.Errorf("histo: 68%% credible area %.4g, frequentist %.4g", area68(h0.Grid), fa)
	}
	md, err := os.ReadFile(env.Path("report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Posteriors", "plots/posterior_histo.png", "plots/posterior_histo_corner.png", "| histo | frequentist |", "| truth information | Gaussian, closed form |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}
