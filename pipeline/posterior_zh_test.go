// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/posterior"
)

// frequentistArea is the area of the region {p > 1 − cl} of a limits scan.
func frequentistArea(t *testing.T, env *Env, lr *LimitsResult, name string, cl float64) float64 {
	t.Helper()
	lc := env.Card.Limits
	axes, err := limits.Grid{Ranges: lc.Grid.Ranges, Resolutions: lc.Grid.Resolutions}.Axes()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lr.Points[0].Results {
		if r.Name == name {
			s, _, _, err := limits.Regions(axes, [][]float64{r.PValues}, 1-cl)
			if err != nil {
				t.Fatal(err)
			}
			return s[0]
		}
	}
	t.Fatalf("no limits scan %s", name)
	return 0
}

// area68 is the area of the 68% region of a summary.
func area68(s *posterior.Summary) float64 {
	for _, r := range s.Regions {
		if r.CL == 0.68 {
			return r.Area
		}
	}
	return math.NaN()
}

// TestPosteriorZH runs cards/zh.yaml on the 30000-event ZH sample of
// ../shared with small trainings (SALLY as a 5-member ensemble, ALICES)
// and the posterior of every scan (rate, histogram, SALLY, ALICES) on the
// Asimov data of the SM, and checks:
//
//   - the Gaussian posterior of the truth Fisher information: its grid
//     area equals the closed form πχ²₂(0.68)√det I⁻¹ (within 3%: the grid
//     cells);
//   - with a flat prior, the 68% posterior region of a likelihood and its
//     frequentist 68% region {p > 0.32} have the same area in the
//     Gaussian limit (both are {Δχ² ≤ 2.28}); for the histogram, SALLY
//     and ALICES they agree within 20%;
//   - no estimator beats the truth information: the 68% areas of SALLY
//     and ALICES are at least 0.8 of the Gaussian reference's;
//   - MCMC agrees with the grid: means within 0.25 σ, widths within 15%,
//     R̂ ≤ 1.05;
//   - the SALLY ensemble's posterior is the mixture of its 5 members, its
//     limit scan has a members' band whose 68% area spread is reported,
//     and the report shows both.
//
// The areas are logged; the numbers of one run are in the README.
func TestPosteriorZH(t *testing.T) {
	if testing.Short() {
		t.Skip("trains SALLY (5 members) and ALICES on the 30000-event ZH sample: not in -short")
	}
	lhe := repotest.Shared(t, "data/lhe/zh_smeft_cHW_cHq3_30000ev.lhe.gz")
	c := zhCard(t, func(s string) string {
		s = strings.Replace(s, "lhe: "+repotest.BundledZH(t), "lhe: "+lhe, 1)
		s = strings.ReplaceAll(s, "n_samples: 50000", "n_samples: 20000")
		s = strings.Replace(s, "    hidden: [50, 50]\n    epochs: 20\n", "    hidden: [50, 50]\n    epochs: 8\n    ensemble: 5\n", 1)
		s = strings.Replace(s, "    epochs: 30\n", "    epochs: 12\n", 1)
		// A grid a few σ of the truth information wide and fine enough
		// for its narrow direction (σ ≈ 0.024 and 0.0068, correlated):
		// coarser grids overstate the areas.
		s = strings.Replace(s, "    ranges: [[-0.2, 0.2], [-0.08, 0.08]]\n    resolutions: [21]\n", "    ranges: [[-0.1, 0.1], [-0.03, 0.03]]\n    resolutions: [31]\n", 1)
		return s + "\nposterior:\n  priors: [{kind: flat, range: [-0.1, 0.1]}, {kind: flat, range: [-0.03, 0.03]}]\n" +
			"  grid: {resolutions: [51]}\n  mcmc: {chains: 2, walkers: 8, steps: 300}\n"
	})
	env, pr := runPosterior(t, c, "zh")
	var lr LimitsResult
	if err := readJSON(env.Path("limits.json"), &lr); err != nil {
		t.Fatal(err)
	}
	ref := pr.Reference
	if ref == nil {
		t.Fatalf("no Gaussian reference: %v", pr.Warnings)
	}
	refArea := ref.Areas[0].Area
	if g := area68(ref.Grid); math.Abs(g/refArea-1) > 0.03 {
		t.Errorf("reference: 68%% area %.5g on the grid, %.5g in closed form", g, refArea)
	}
	t.Logf("truth information: σ = %.4g, %.4g; 68%% area %.4g (closed form), %.4g (grid)", ref.Std[0], ref.Std[1], refArea, area68(ref.Grid))
	for _, w := range pr.Warnings {
		t.Logf("warning: %s", w)
	}
	byName := map[string]*ScanPosterior{}
	for _, sp := range pr.Scans {
		byName[sp.Name] = sp
		g, m := sp.Grid, sp.MCMC
		fa := frequentistArea(t, env, &lr, sp.Name, 0.68)
		t.Logf("%-6s %d member(s): 68%% area grid %.4g, MCMC %.4g, frequentist %.4g (÷ truth: %.2f, %.2f, %.2f); mean (%.4f, %.4f) ± (%.4f, %.4f), MCMC (%.4f, %.4f) ± (%.4f, %.4f), R̂ %.3f",
			sp.Name, sp.Members, area68(g), area68(m), fa, area68(g)/refArea, area68(m)/refArea, fa/refArea,
			g.Params[0].Mean, g.Params[1].Mean, g.Params[0].Std, g.Params[1].Std,
			m.Params[0].Mean, m.Params[1].Mean, m.Params[0].Std, m.Params[1].Std, maxRHat(m))
		if sp.Name == "rate" {
			continue // a flat direction: the region leaves the grid
		}
		if r := area68(g) / fa; math.Abs(r-1) > 0.2 {
			t.Errorf("%s: 68%% posterior area %.4g, frequentist %.4g: want them within 20%%", sp.Name, area68(g), fa)
		}
		for i := range 2 {
			gp, mp := g.Params[i], m.Params[i]
			if math.Abs(mp.Mean-gp.Mean) > 0.25*gp.Std || math.Abs(mp.Std/gp.Std-1) > 0.15 {
				t.Errorf("%s: parameter %d: MCMC %.4f ± %.4f, grid %.4f ± %.4f", sp.Name, i, mp.Mean, mp.Std, gp.Mean, gp.Std)
			}
		}
		if r := maxRHat(m); r > 1.05 {
			t.Errorf("%s: R̂ = %.3f", sp.Name, r)
		}
	}
	for _, name := range []string{"sally", "alices"} {
		sp := byName[name]
		if sp == nil {
			t.Fatalf("no posterior %s", name)
		}
		if a := area68(sp.Grid); a < 0.8*refArea {
			t.Errorf("%s: 68%% area %.4g below 0.8 × the truth information's %.4g", name, a, refArea)
		}
	}
	sally := byName["sally"]
	if sally.Members != 5 || len(sally.Grid.Members) != 5 || len(sally.MemberGridFiles) != 5 {
		t.Errorf("sally: %d members, %d member summaries, %d member grids: want the mixture of 5", sally.Members, len(sally.Grid.Members), len(sally.MemberGridFiles))
	}
	if sp := sally.Grid.Spread; sp != nil && len(sp.AreaRange) > 0 {
		t.Logf("sally members' posterior: means spread (%.3g, %.3g), 68%% areas %v", sp.Mean[0], sp.Mean[1], sp.AreaRange[0])
	}
	var bands BandsResult
	if err := readJSON(env.bandsPath(), &bands); err != nil {
		t.Fatal(err)
	}
	if len(bands.Bands) != 1 || bands.Bands[0].Name != "sally" || bands.Bands[0].Members != 5 {
		t.Fatalf("bands %+v, want one of scan sally with 5 members", bands.Bands)
	}
	r68 := bands.Bands[0].Regions[0]
	t.Logf("sally limit band, 68%% CL: area %.4g, members %v (relative std %.1f%%), shift (%.3g, %.3g), max symmetric difference %.1f%%",
		r68.Size, r68.MemberSizes, 100*r68.SizeRelStd, r68.Shift[0], r68.Shift[1], 100*r68.MaxSymDiff)
	if !(r68.SizeRelStd > 0) || r68.MaxSymDiff <= 0 {
		t.Errorf("sally band: relative std %v, symmetric difference %v: members trained with different seeds must differ", r68.SizeRelStd, r68.MaxSymDiff)
	}
	md, err := os.ReadFile(env.Path("report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Posteriors", "## Network uncertainty", "plots/posterior_alices.png", "plots/posterior_sally_corner.png", "plots/band_sally.png", "truth information"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	t.Logf("report: %s", env.Path("report.md"))
}

// maxRHat is the largest R̂ of a summary's chains, or of its members'
// for a mixture.
func maxRHat(s *posterior.Summary) float64 {
	m := math.Inf(-1)
	if d := s.Diagnostics; d != nil {
		for _, x := range d.RHat {
			m = math.Max(m, x)
		}
	}
	for _, ms := range s.Members {
		m = math.Max(m, maxRHat(ms))
	}
	return m
}
