// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"math"
	"strings"
	"testing"

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
	if ensemble != "1" && (alices.Members != 5 || len(alices.Grid.Members) != 5 || alices.Grid.Spread == nil) {
		t.Errorf("alices: %d members, %d member summaries: want the mixture of 5", alices.Members, len(alices.Grid.Members))
	}
}
