// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/limits"
)

// TestReportFlagsBiasedScans checks the expected-limits table of
// report.md: scans are named as in the card, p(θ_true) is read at the
// grid point θ_true, and a scan that excludes θ_true on its own Asimov
// data is flagged, while one that does not is not.
func TestReportFlagsBiasedScans(t *testing.T) {
	c := loadCard(t, "cards/zh.yaml")
	dir := t.TempDir()
	e := NewEnv(c, dir, nil, nil)
	pts := [][]float64{{-0.1, 0}, {0, 0}, {0.1, 0}}
	scans := []*limits.Result{
		{Name: "histo", Mode: "histo", Points: pts, PValues: limits.Floats{0.2, 0.9, 0.3}, BestFit: []float64{0.01, 0}},
		{Name: "alices", Mode: "ml", Points: pts, PValues: limits.Floats{0.001, 0.004, 0.6}, BestFit: []float64{0.1, 0}},
	}
	res := &PlotsResult{Dir: e.Path("plots"), Report: filepath.Join(dir, "report.md")}
	if err := writeReport(e, res, &FisherResult{}, scans); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(res.Report)
	if err != nil {
		t.Fatal(err)
	}
	rep := string(b)
	for _, want := range []string{
		"| histo | histo | (0.01, 0) | 0.9 | 1 | 3 |",
		"| alices | ml | (0.1, 0) | 0.004 | 1 | 1 |",
		"**Check these scans:** alices (p = 0.004) exclude θ_true",
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}
	if strings.Contains(rep, "histo (p =") {
		t.Errorf("unbiased scan flagged:\n%s", rep)
	}

	// θ_true off the grid: no p-value and no flag.
	c.Limits.ThetaTrue = []float64{0.05, 0}
	if err := writeReport(e, res, &FisherResult{}, scans); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(res.Report)
	if rep := string(b); !strings.Contains(rep, "not on the grid") || strings.Contains(rep, "Check these scans") {
		t.Errorf("θ_true off the grid:\n%s", rep)
	}
}
