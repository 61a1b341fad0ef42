// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"math"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/store"
)

// compatLimits is the limits section of MadMiner's expected limits of
// ../shared/reference/zh/reference.json (AsymptoticLimits.expected_limits,
// modes rate and histo on pt_h with its default 25 bins), with the given
// compat line.
func compatLimits(compat string) string {
	return `shuffle: false
limits:
  luminosity: 300000.0
` + compat + `  theta_true: [0.0, 0.0]
  grid:
    ranges: [[-0.1, 0.1], [-0.025, 0.025]]
    resolutions: [11, 11]
  scans:
    - {name: rate, mode: rate}
    - {name: histo, mode: histo, observables: [pt_h], bins: [25]}
`
}

// With limits.compat: madminer a card reproduces MadMiner's rate and
// histogram p-value grids of the ZH study to 1e-6; without it the grids
// differ (goldmine's conventions).
func TestLimitsCompatMadMinerCard(t *testing.T) {
	var ref struct {
		Limits struct {
			Rate struct {
				P []float64 `json:"p_values"`
			} `json:"rate"`
			Histo struct {
				P []float64 `json:"p_values"`
			} `json:"histo"`
		} `json:"limits"`
	}
	readResult(t, repotest.Shared(t, "reference/zh/reference.json"), &ref)
	if len(ref.Limits.Rate.P) != 121 || len(ref.Limits.Histo.P) != 121 {
		t.Fatalf("reference: %d and %d p-values, want 121", len(ref.Limits.Rate.P), len(ref.Limits.Histo.P))
	}
	dir := t.TempDir()
	worst := func(compat string) float64 {
		env := NewEnv(madMinerCard(t, compatLimits(compat)), dir, nil, nil)
		stagesOf(t, env, "setup", "analyse", "limits")
		var res LimitsResult
		readResult(t, env.Path("limits.json"), &res)
		var w float64
		for k, want := range [][]float64{ref.Limits.Rate.P, ref.Limits.Histo.P} {
			got := res.Points[0].Results[k].PValues
			for i := range want {
				w = math.Max(w, math.Abs(got[i]-want[i])/math.Max(math.Abs(want[i]), 1e-300))
			}
		}
		return w
	}
	if w := worst("  compat: madminer\n"); w > 1e-6 {
		t.Errorf("compat madminer: p-values differ from MadMiner's by up to %.3g (relative)", w)
	}
	if w := worst(""); w < 1e-6 {
		t.Errorf("goldmine's conventions: p-values equal MadMiner's to %.3g: compat switches nothing", w)
	} else {
		t.Logf("goldmine's conventions: p-values differ from MadMiner's by up to %.3g (relative)", w)
	}
}

// With sampling.compat: madminer the sampling partitions are MadMiner's:
// a test sample's σ is the sum of the weights of the events after
// round(0.8 n) + 1 times 1/test_split, and the Fisher information's test
// partition starts at the same event (MadMiner's
// FisherInformation.full_information: int(round((1 − test_split) n)) + 1).
// goldmine's partitions tile the events.
func TestSamplingCompatMadMinerCard(t *testing.T) {
	dir := t.TempDir()
	sampling := func(compat string) string {
		return "sampling:\n" + compat + "  samples:\n    - {name: test, method: test, theta: {benchmark: sm}, n_samples: 100}\n"
	}
	env := NewEnv(madMinerCard(t, sampling("")), dir, nil, nil)
	stagesOf(t, env, "setup", "analyse")
	f, err := store.OpenEvents(env.Path("events.h5"))
	if err != nil {
		t.Fatal(err)
	}
	n := f.N()
	w := make([]float64, 0, n)
	err = f.Read(0, n, 4096, func(b *store.Batch) error {
		for i := 0; i < b.N; i++ {
			w = append(w, b.Weights[i*len(b.Weights)/b.N]) // the SM, benchmark 0
		}
		return nil
	})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	b := int(math.RoundToEven(0.8 * float64(n)))
	sum := func(from int) float64 {
		var s float64
		for _, v := range w[from:] {
			s += v
		}
		return s
	}
	for _, tc := range []struct {
		compat string
		sigma  float64
		start  int
	}{
		{"", sum(b) * float64(n) / float64(n-b), b},
		{"  compat: madminer\n", sum(b+1) / 0.2, b + 1},
	} {
		e := NewEnv(madMinerCard(t, sampling(tc.compat)), dir, nil, nil)
		res, err := Augment(e)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Samples[0].Points[0].Xsec; !(math.Abs(got-tc.sigma) <= 1e-12*tc.sigma) {
			t.Errorf("compat %q: σ(SM) of the test partition %.17g, want %.17g", strings.TrimSpace(tc.compat), got, tc.sigma)
		}
		if start, end, err := e.testPartition(n); err != nil || start != tc.start || end != n {
			t.Errorf("compat %q: Fisher test partition [%d, %d) %v, want [%d, %d)", strings.TrimSpace(tc.compat), start, end, err, tc.start, n)
		}
	}
}

// On a simulator card, limits.compat: madminer puts the best fit on the
// grid (the only one of MadMiner's limit conventions that applies there):
// the exact-likelihood scan of the Galton board (θ_true = 0.013, between
// grid points) has its best fit on a grid point with compat, and off the
// grid without.
func TestLimitsCompatMadMinerSimulator(t *testing.T) {
	bestFit := func(compat string) []float64 {
		env := galtonCard(t, func(s string) string {
			s = strings.Replace(s, "  theta_true: [0.0]", compat+"  theta_true: [0.013]", 1)
			s = strings.Replace(s, "    - {name: carl, mode: ml, model: carl}\n    - {name: alices, mode: ml, model: alices}\n", "", 1)
			return s
		})
		res, err := Limits(env)
		if err != nil {
			t.Fatal(err)
		}
		r := res.Points[0].Results[0]
		if r.Mode != "exact" || len(res.Points[0].Results) != 1 {
			t.Fatalf("results %+v, want the exact scan", res.Points[0].Results)
		}
		return r.BestFit
	}
	onGrid := func(th float64) bool {
		k := math.Round((th + 0.5) / 0.025) // 41 points over [-0.5, 0.5]
		return math.Abs(th-(-0.5+0.025*k)) < 1e-12
	}
	if b := bestFit("  compat: madminer\n"); !onGrid(b[0]) {
		t.Errorf("compat madminer: best fit %v is not a grid point", b)
	}
	if b := bestFit(""); onGrid(b[0]) {
		t.Errorf("goldmine's conventions: best fit %v is a grid point", b)
	}
}
