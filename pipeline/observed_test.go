// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/store"
)

// noModels drops the card items that need trained models.
func noModels(s string) string {
	for _, l := range []string{
		"    - {name: sally, kind: sally, model: sally}\n",
		"    - {name: alices, kind: ratio, model: alices}\n",
		"    - {name: sally, mode: sally, model: sally}\n",
		"    - {name: alices, mode: ml, model: alices}\n",
	} {
		s = strings.Replace(s, l, "", 1)
	}
	return s
}

// TestInfoHistogramAddsUpToTruth checks that the information per bin of
// pt_z sums to the truth information of all events (information is
// additive over events), and the cross section per bin to the total.
func TestInfoHistogramAddsUpToTruth(t *testing.T) {
	env := NewEnv(zhCard(t, noModels), t.TempDir(), nil, nil)
	ares := analysed(t, env)
	fr, err := Fisher(env)
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Points[0].InfoHistograms) != 1 {
		t.Fatalf("%d histograms of information, want 1", len(fr.Points[0].InfoHistograms))
	}
	ih := fr.Points[0].InfoHistograms[0]
	if len(ih.Information) != len(ih.Edges)+1 {
		t.Fatalf("%d bins for %d inner edges", len(ih.Information), len(ih.Edges))
	}
	var truth [][]float64
	for _, r := range fr.Points[0].Results {
		if r.Kind == "truth" {
			truth = r.Information
		}
	}
	var xsec float64
	for _, v := range ih.XSecPB {
		xsec += v
	}
	if !scalar.EqualWithinAbsOrRel(xsec, ares.XSecPB["sm"], 0, 1e-12) {
		t.Errorf("σ per bin sums to %g, σ(SM) = %g", xsec, ares.XSecPB["sm"])
	}
	for i := range truth {
		for j := range truth[i] {
			var sum float64
			for _, in := range ih.Information {
				sum += in[i][j]
			}
			if !scalar.EqualWithinAbsOrRel(sum, truth[i][j], 0, 1e-10) {
				t.Errorf("Σ bins I[%d][%d] = %.12g, truth %.12g", i, j, sum, truth[i][j])
			}
		}
	}
}

// TestObservedRateLimit gives observed events to the rate scan: its best
// fit must predict as many events as were observed.
func TestObservedRateLimit(t *testing.T) {
	c := zhCard(t, noModels)
	env := NewEnv(c, t.TempDir(), nil, nil)
	analysed(t, env)
	// 5500 observed events (the expectation at the SM is 5709), cycling
	// through the analysed events for their observables.
	h, x, _, _ := readAll(t, env.Path("events.h5"))
	const nObs = 5500
	obs := make([]float64, 0, nObs*len(h.ObservableNames))
	for i := 0; i < nObs; i++ {
		obs = append(obs, x[i%len(x)]...)
	}
	path := env.Path("observed.npy")
	if err := store.WriteNPY(path, []int{nObs, len(h.ObservableNames)}, obs, store.Float64); err != nil {
		t.Fatal(err)
	}
	c.Limits.Observed = path
	res, err := Limits(env)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Observed {
		t.Error("limits.json does not say the limits are observed")
	}
	var rate *limits.Result
	for _, r := range res.Points[0].Results {
		if r.Mode == "rate" {
			rate = r
		}
	}
	// μ(θ̂) = L Σ_b w_b(θ̂) σ_b over the test partition, weights scaled to
	// the full sample.
	f, m, err := eventsMorpher(env)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s1, e1, f1, err := limits.Split{Test: c.Sampling.TestSplit}.TestRange(f.N())
	if err != nil {
		t.Fatal(err)
	}
	test, err := limits.LoadSample(f, limits.SampleSpec{Start: s1, End: e1, Columns: []int{0}, NBasis: m.NumBasis(), Factor: f1})
	if err != nil {
		t.Fatal(err)
	}
	mu := (&limits.RateTerm{Morpher: m, Luminosity: c.Limits.Luminosity, Sigma: test.SumWeights()}).Mu(rate.BestFit[:2], nil)
	if math.Abs(mu-nObs) > 1e-3*nObs {
		t.Errorf("rate best fit %v predicts %.1f events, %d observed", rate.BestFit, mu, nObs)
	}
}

// TestShapeEffectsOfNorm checks the per-bin nuisance effects of the
// histogram likelihood on a 10% normalisation uncertainty: every event's
// +1σ weight is 1.1 times its nominal one, so every bin must move by
// exactly log 1.1.
func TestShapeEffectsOfNorm(t *testing.T) {
	c := zhCard(t, func(s string) string {
		return noModels(strings.Replace(s, "samples:\n  - name: zh\n", "systematics:\n  - {name: lumi, type: norm, value: 0.1}\nsamples:\n  - name: zh\n    systematics: [lumi]\n", 1))
	})
	env := NewEnv(c, t.TempDir(), nil, nil)
	analysed(t, env)
	f, m, err := eventsMorpher(env)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s0, e0, f0, err := limits.Split{Test: 0.2}.TrainRange(f.N())
	if err != nil {
		t.Fatal(err)
	}
	train, err := limits.LoadSample(f, limits.SampleSpec{Start: s0, End: e0, Columns: []int{0}, NBasis: m.NumBasis(), Factor: f0})
	if err != nil {
		t.Fatal(err)
	}
	h, err := limits.NewHisto(m, train, limits.HistoConfig{Bins: []limits.Binning{{N: 10}}, BinningThetas: [][]float64{{0, 0}}})
	if err != nil {
		t.Fatal(err)
	}
	nuis, err := nuisanceBenchmarks(f.Header())
	if err != nil {
		t.Fatal(err)
	}
	eff, err := limits.ShapeEffects(f, h, train, s0, e0, nuis)
	if err != nil {
		t.Fatal(err)
	}
	if len(eff) != 1 || len(eff[0]) != h.NumBins() {
		t.Fatalf("effects %d×%d, want 1×%d", len(eff), len(eff[0]), h.NumBins())
	}
	for k, e := range eff[0] {
		if math.Abs(e.A-math.Log(1.1)) > 1e-12 || e.B != 0 {
			t.Errorf("bin %d: effect %+v, want A = log 1.1", k, e)
		}
	}
	// And the profiled histogram scan runs with them.
	res, err := Limits(env)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Points[0].Results) != 2 || res.Points[0].Results[1].Nuisance == nil {
		t.Errorf("histo scan without profiled nuisance parameters")
	}
}
