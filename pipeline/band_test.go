// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/limits"
)

// TestBandsAtFirstThetaTrue runs the Galton campaign with a 2-member ALICES
// ensemble and two θ_true points: the limits are scanned at both, the
// members' band and the posterior at the first, around that point's scan
// of the ensemble (its 68% region is the band's), and the report shows the
// band.
func TestBandsAtFirstThetaTrue(t *testing.T) {
	env := galtonCard(t, func(s string) string {
		s = strings.Replace(s, "    - {name: carl, mode: ml, model: carl}\n", "", 1)
		s = strings.Replace(s, "  - {name: carl, method: carl, sample: ratio, epochs: 4}\n", "", 1)
		s = strings.Replace(s, "{name: alices, method: alices, sample: ratio, epochs: 4}",
			"{name: alices, method: alices, sample: ratio, epochs: 2, ensemble: 2, hidden: [20]}", 1)
		s = strings.ReplaceAll(s, "n_samples: 4000", "n_samples: 2000")
		s = strings.Replace(s, "  theta_true: [0.0]\n", "  theta_true: [[0.0], [0.2]]\n", 1)
		// Neither the Fisher information nor SALLY is needed here.
		s = strings.Replace(s, "  - {name: sally, method: sally, sample: local, epochs: 4}\n", "", 1)
		s = s[:strings.Index(s, "\nfisher:\n")] + s[strings.Index(s, "\nlimits:\n"):]
		return s + "\nposterior:\n  scans: [alices]\n  method: grid\n"
	})
	if _, err := Run(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	var lr LimitsResult
	if err := readJSON(env.Path("limits.json"), &lr); err != nil {
		t.Fatal(err)
	}
	if len(lr.Points) != 2 {
		t.Fatalf("limits at %d points, want 2", len(lr.Points))
	}
	var bands BandsResult
	if err := readJSON(env.bandsPath(), &bands); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(bands.ThetaTrue, []float64{0}) || len(bands.Bands) != 1 || bands.Bands[0].Name != "alices" || bands.Bands[0].Members != 2 {
		t.Fatalf("bands at %v: %+v, want one of scan alices with 2 members at θ_true = [0]", bands.ThetaTrue, bands.Bands)
	}
	lc := env.Card.Limits
	axes, err := limits.Grid{Ranges: lc.Grid.Ranges, Resolutions: lc.Grid.Resolutions}.Axes()
	if err != nil {
		t.Fatal(err)
	}
	r := bands.Bands[0].Regions[0]
	var sizes []float64
	for _, pt := range lr.Points {
		i := slices.IndexFunc(pt.Results, func(r *limits.Result) bool { return r.Name == "alices" })
		if i < 0 {
			t.Fatalf("no scan alices at θ_true = %v", pt.ThetaTrue)
		}
		s, _, _, err := limits.Regions(axes, [][]float64{pt.Results[i].PValues}, 1-r.CL)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, s[0])
	}
	t.Logf("%g%% region: band's ensemble %.4g, scans at the two points %.4g, %.4g; members %v", 100*r.CL, r.Size, sizes[0], sizes[1], r.MemberSizes)
	if math.Abs(r.Size-sizes[0]) > 1e-12*math.Max(1, sizes[0]) {
		t.Errorf("band's ensemble region %.6g, the scan's at the first θ_true %.6g", r.Size, sizes[0])
	}
	var pr PosteriorResult
	if err := readJSON(env.Path("posterior", "posterior.json"), &pr); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pr.ThetaTrue, []float64{0}) || len(pr.Scans) != 1 || pr.Scans[0].Members != 2 {
		t.Errorf("posterior at θ_true = %v with %d scans, want alices (2 members) at [0]", pr.ThetaTrue, len(pr.Scans))
	}
	md, err := os.ReadFile(env.Path("report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "## Network uncertainty of the limits") || !strings.Contains(string(md), "plots/band_alices.png") {
		t.Errorf("report.md has no members' band section with its figure:\n%s", md)
	}
}
