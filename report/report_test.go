// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package report

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/limits/fisher"
)

func campaign() *Campaign {
	pts := [][]float64{{-0.1, 0}, {0, 0}, {0.1, 0}, {-0.1, 0.1}, {0, 0.1}, {0.1, 0.1}}
	return &Campaign{
		Title:      "zh.yaml",
		Parameters: []Parameter{{Name: "cHW", Block: "smeft", ID: 7, Range: [2]float64{-1, 1}}, {Name: "cHq3", Block: "smeft", ID: 25, Range: [2]float64{-1, 1}}},
		Seed:       1234,
		Fisher: &FisherResults{Luminosity: 3e5, Points: []FisherPoint{{Theta: []float64{0, 0}, Xsec: 0.018986, XsecUnc: 0.00011, Results: []fisher.Result{
			{Name: "truth", Kind: "truth", Information: [][]float64{{4, 1}, {1, 2}}, DetRoot: 2.6},
			{Name: "rate", Kind: "rate", Information: [][]float64{{1, 1}, {1, 1}}},
		}}}},
		Limits: &LimitsResults{Grid: limits.Grid{Ranges: [][2]float64{{-0.1, 0.1}, {0, 0.1}}, Resolutions: []int{3, 2}},
			Points: []LimitsPoint{{ThetaTrue: []float64{0, 0}, Results: []*limits.Result{
				{Name: "histo", Mode: "histo", Points: pts, PValues: limits.Floats{0.2, 0.9, 0.3, 0.02, 0.1, 0.01}, BestFit: []float64{0.01, 0}},
				{Name: "alices", Mode: "ml", Points: pts, PValues: limits.Floats{0.001, 0.004, 0.6, 0.01, 0.01, 0.2}, BestFit: []float64{0.1, 0}},
			}}}},
	}
}

// TestMarkdownFlagsBiasedScans checks the expected-limits table of the
// report: scans are named as given, p(θ_true) is read at the grid point
// θ_true, and a scan that excludes θ_true on its own Asimov data is
// flagged, while one that does not is not.
func TestMarkdownFlagsBiasedScans(t *testing.T) {
	c := campaign()
	rep := markdown(c, []string{"fisher_contours", "pvalues"})
	for _, want := range []string{
		"# goldmine report: zh.yaml",
		"Parameters: cHW (smeft 7, range [-1 1]), cHq3 (smeft 25, range [-1 1]). Seed 1234.",
		"| truth | truth | 2.6 | (4, 1) (1, 2) |",
		"σ(θ) = 0.018986 ± 0.00011 pb.",
		"| histo | histo | (0.01, 0) | 0.9 | 1 | 4 |",
		"| alices | ml | (0.1, 0) | 0.004 | 1 | 2 |",
		"**Check these scans:** alices (p = 0.004) exclude θ_true",
		"- [pvalues](plots/pvalues.png)",
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}
	if strings.Contains(rep, "histo (p =") {
		t.Errorf("unbiased scan flagged:\n%s", rep)
	}

	// θ_true off the grid: no p-value and no flag.
	c.Limits.Points[0].ThetaTrue = []float64{0.05, 0}
	if rep := markdown(c, nil); !strings.Contains(rep, "not on the grid") || strings.Contains(rep, "Check these scans") {
		t.Errorf("θ_true off the grid:\n%s", rep)
	}
	// Observed limits: no p(θ_true) column.
	c.Limits.Observed = "data.npy"
	if rep := markdown(c, nil); !strings.Contains(rep, "## Observed limits (data.npy)") || strings.Contains(rep, "p(θ_true)") {
		t.Errorf("observed limits:\n%s", rep)
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	out, err := Write(filepath.Join(dir, "plots"), filepath.Join(dir, "report.md"), campaign())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"fisher_contours", "fisher_determinants", "pvalues"} {
		if !slices.Contains(out.Figures, f) {
			t.Errorf("no figure %s in %v", f, out.Figures)
		}
		if _, err := os.Stat(filepath.Join(dir, "plots", f+".png")); err != nil {
			t.Error(err)
		}
	}
	if b, err := os.ReadFile(out.Report); err != nil || !strings.Contains(string(b), "![Fisher contours](plots/fisher_contours.png)") {
		t.Errorf("report %v:\n%s", err, b)
	}
}

// Several θ: one section and one set of figures per point, named by the
// point's index, each with its own θ.
func TestWriteSeveralPoints(t *testing.T) {
	c := campaign()
	second := c.Fisher.Points[0]
	second.Theta = []float64{0.2, -0.1}
	second.Results = []fisher.Result{{Name: "truth", Kind: "truth", Information: [][]float64{{9, 0}, {0, 1}}, DetRoot: 3}}
	c.Fisher.Points = append(c.Fisher.Points, second)
	lp := c.Limits.Points[0]
	lp.ThetaTrue = []float64{0.1, 0.1}
	c.Limits.Points = append(c.Limits.Points, lp)
	dir := t.TempDir()
	out, err := Write(filepath.Join(dir, "plots"), filepath.Join(dir, "report.md"), c)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"fisher_contours_theta1", "fisher_contours_theta2", "fisher_determinants_theta2", "pvalues_theta1", "pvalues_theta2"} {
		if !slices.Contains(out.Figures, f) {
			t.Errorf("no figure %s in %v", f, out.Figures)
		}
	}
	b, err := os.ReadFile(out.Report)
	if err != nil {
		t.Fatal(err)
	}
	rep := string(b)
	for _, want := range []string{
		"## Fisher information at θ = [0 0], L = 300000",
		"## Fisher information at θ = [0.2 -0.1], L = 300000",
		"| truth | truth | 3 | (9, 0) (0, 1) |",
		"![Fisher contours](plots/fisher_contours_theta2.png)",
		"## Expected limits (θ_true = [0 0])",
		"## Expected limits (θ_true = [0.1 0.1])",
		// p(θ_true) is read at each θ_true: 0.9 at the SM, 0.01 at (0.1, 0.1).
		"| histo | histo | (0.01, 0) | 0.9 | 1 | 4 |",
		"| histo | histo | (0.01, 0) | 0.01 | 1 | 4 |",
		"![p-values](plots/pvalues_theta2.png)",
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}
}
