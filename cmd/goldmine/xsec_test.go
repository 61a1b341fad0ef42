// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// zh30kCard is the ZH study of ../shared/reference/zh as MadMiner's own
// events file of it (a madminer sample: the parameters, benchmarks,
// morphing and observables come from the file) with a 5 × 5 limits grid
// over [-1, 1]², the θ grid of reference.json's xsecs.
const zh30kCard = `workdir: w
seed: 1
shuffle: false
samples:
  - {name: zh, madminer: %s}
limits:
  grid: {ranges: [[-1, 1], [-1, 1]], resolutions: [5, 5]}
  scans:
    - {name: rate, mode: rate}
`

// goldmine xsec on the ZH 30k study gives MadMiner's cross sections
// (DataAnalyzer.xsecs at the benchmarks and on the 5 × 5 grid, with its
// uncertainties) and gradients (xsec_gradients) of
// ../shared/reference/zh/reference.json to 1e-10.
func TestXsecCommandZH30k(t *testing.T) {
	raw, err := os.ReadFile(repotest.Shared(t, "reference/zh/reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Xsecs struct {
			Names     []string    `json:"benchmark_names"`
			BPb       []float64   `json:"benchmarks_pb"`
			BUnc      []float64   `json:"benchmarks_unc_pb"`
			GridTheta [][]float64 `json:"grid_theta"`
			GridPb    []float64   `json:"grid_pb"`
			GridUnc   []float64   `json:"grid_unc_pb"`
			GradTheta [][]float64 `json:"gradient_thetas"`
			GradPb    [][]float64 `json:"gradients_pb"`
		} `json:"xsecs"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	card := filepath.Join(dir, "zh30k.yaml")
	if err := os.WriteFile(card, fmt.Appendf(nil, zh30kCard, repotest.Shared(t, "data/madminer/zh30k_lhe_data.h5")), 0o644); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "w")
	for _, st := range []string{"setup", "analyse"} {
		if _, err := run(t, nil, st, card, "--workdir", work, "--quiet"); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"xsec", card, "--workdir", work, "--quiet", "--json", "--benchmarks", "--grid"}
	for _, th := range ref.Xsecs.GradTheta {
		args = append(args, "--theta", fmt.Sprintf("%.17g,%.17g", th[0], th[1]))
	}
	out, err := run(t, nil, args...)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Events int
		Points []struct {
			Benchmark   string    `json:"benchmark"`
			Theta       []float64 `json:"theta"`
			Sigma       float64   `json:"xsec_pb"`
			Unc         float64   `json:"xsec_unc_pb"`
			UncMadMiner float64   `json:"xsec_unc_madminer_pb"`
			Grad        []float64 `json:"xsec_gradient_pb"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	nb, ng, nd := len(ref.Xsecs.BPb), len(ref.Xsecs.GridPb), len(ref.Xsecs.GradTheta)
	if len(res.Points) != nb+nd+ng {
		t.Fatalf("%d points, want %d benchmarks, %d θ and %d grid points", len(res.Points), nb, nd, ng)
	}
	check := func(what string, got, want float64) {
		t.Helper()
		if !(math.Abs(got-want) <= 1e-10*math.Abs(want)) {
			t.Errorf("%s = %.17g, MadMiner %.17g", what, got, want)
		}
	}
	for b, name := range ref.Xsecs.Names {
		p := res.Points[b]
		if p.Benchmark != name {
			t.Errorf("point %d is %q, want benchmark %s", b, p.Benchmark, name)
		}
		check("σ("+name+")", p.Sigma, ref.Xsecs.BPb[b])
		check("MadMiner's uncertainty of σ("+name+")", p.UncMadMiner, ref.Xsecs.BUnc[b])
		// At a benchmark both uncertainties are sqrt(Σ_i w_ib²).
		check("uncertainty of σ("+name+")", p.Unc, ref.Xsecs.BUnc[b])
	}
	for i, want := range ref.Xsecs.GradPb {
		p := res.Points[nb+i]
		for k := range want {
			check(fmt.Sprintf("∂σ/∂θ%d at %v", k, p.Theta), p.Grad[k], want[k])
		}
	}
	for i := range ref.Xsecs.GridPb {
		p := res.Points[nb+nd+i]
		if p.Theta[0] != ref.Xsecs.GridTheta[i][0] || p.Theta[1] != ref.Xsecs.GridTheta[i][1] {
			t.Fatalf("grid point %d is %v, MadMiner's %v", i, p.Theta, ref.Xsecs.GridTheta[i])
		}
		check(fmt.Sprintf("σ%v", p.Theta), p.Sigma, ref.Xsecs.GridPb[i])
		check(fmt.Sprintf("MadMiner's uncertainty of σ%v", p.Theta), p.UncMadMiner, ref.Xsecs.GridUnc[i])
	}

	// The table names every point.
	table, err := run(t, nil, "xsec", card, "--workdir", work, "--quiet", "--theta", "0.2,-0.1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table, "[0.2 -0.1]") || !strings.Contains(table, "MadMiner's uncertainty") {
		t.Errorf("table:\n%s", table)
	}
	// A point of the wrong size and a malformed --theta are errors.
	if _, err := run(t, nil, "xsec", card, "--workdir", work, "--quiet", "--theta", "0.2"); err == nil || !strings.Contains(err.Error(), "2 parameters") {
		t.Errorf("one value for two parameters: %v", err)
	}
	if _, err := run(t, nil, "xsec", card, "--workdir", work, "--quiet", "--theta", "0.2,x"); err == nil || !strings.Contains(err.Error(), "--theta") {
		t.Errorf("malformed --theta: %v", err)
	}
}
