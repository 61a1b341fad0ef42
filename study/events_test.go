// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package study

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// TestRunEventsZH runs a small version of the events study on the 30k ZH
// sample of ../shared (sizes 1000 and 3000, one seed, CARL and ALICES, the
// histogram of m_zh and SALLY + histogram) and checks that the truth every
// error is computed against is, row by row, the morphing of that event's
// own weights, log[dσ_i(θ0)/σ(θ0)] − log[dσ_i(SM)/σ(SM)] with σ summed
// directly over the test partition; that every row is a test event; that
// the table is complete; that the trivial error is the mean of (log r)²;
// and that ALICES learns (its error at 3000 events is below the trivial
// one). The shared sample's seven observables are not the whole event
// record, so there its "exact" log r is the joint ratio; the check of the
// machinery is the same.
func TestRunEventsZH(t *testing.T) {
	path := repotest.Shared(t, "data/madminer/zh30k_lhe_data.h5")
	f, err := store.OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	scfg, err := sampling.ConfigFromHeader(f.Header())
	if err != nil {
		t.Fatal(err)
	}
	names := f.Header().ObservableNames
	mzh := -1
	for i, n := range names {
		if n == "m_zh" {
			mzh = i
		}
	}
	if mzh < 0 {
		t.Fatalf("no m_zh among %v", names)
	}
	src := sampling.FromEventFile(f)
	res, err := RunEvents(&EventConfig{
		Source: src, Sampling: scfg,
		Methods:    []ml.Method{ml.CARL, ml.ALICES, ml.SALLY},
		Histograms: []Histogram{{Name: "histo_1d", Observables: []int{mzh}}},
		Sizes:      []int{1000, 3000}, Seeds: 1, Steps: 1500,
		Theta0: [][2]float64{{-1, 1}, {-0.2, 0.2}}, Grid: []int{3, 3},
		TestEvents: 300, FisherEvents: 3000, Seed: 3,
	})
	if err != nil {
		t.Fatal(err)
	}

	// The truth, event by event, from the events read back directly.
	n := f.N()
	lo, hi, err := partition.Bounds(n, partition.Test, partition.Default())
	if err != nil {
		t.Fatal(err)
	}
	nObs, nW, nB := src.NumObservables(), src.NumWeights(), scfg.Morpher.NumBasis()
	x := make([]float64, 0, n*nObs)
	w := make([]float64, 0, n*nW)
	if err := src.Read(0, n, 4096, func(b *sampling.Batch) error {
		x, w = append(x, b.X...), append(w, b.W...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	index := map[[3]float64]int{}
	for i := 0; i < n; i++ {
		index[[3]float64{x[i*nObs], x[i*nObs+1], x[i*nObs+nObs-1]}] = i
	}
	dsig := func(i int, th []float64) float64 {
		return dot(scfg.Morpher.WeightsTo(nil, th), w[i*nW:i*nW+nB])
	}
	sigma := func(th []float64) float64 {
		var s float64
		for i := lo; i < hi; i++ {
			s += dsig(i, th)
		}
		return s
	}
	sm := []float64{0, 0}
	s1 := sigma(sm)
	tr := res.Truth
	if tr == nil || tr.N != 9*300 || len(res.Grid) != 9 {
		t.Fatalf("truth: %+v rows for %d grid points", tr, len(res.Grid))
	}
	var maxDiff, trivial float64
	sig0 := map[[2]float64]float64{}
	for row := 0; row < tr.N; row++ {
		xr := tr.X[row*nObs : (row+1)*nObs]
		i, ok := index[[3]float64{xr[0], xr[1], xr[nObs-1]}]
		if !ok {
			t.Fatalf("row %d: x is not an event of the file", row)
		}
		if i < lo || i >= hi {
			t.Fatalf("row %d: event %d outside the test partition [%d, %d)", row, i, lo, hi)
		}
		th0 := tr.Theta0[2*row : 2*row+2]
		k := [2]float64{th0[0], th0[1]}
		if _, ok := sig0[k]; !ok {
			sig0[k] = sigma(th0)
		}
		want := math.Log(dsig(i, th0)/sig0[k]) - math.Log(dsig(i, sm)/s1)
		maxDiff = math.Max(maxDiff, math.Abs(tr.LogR[row]-want))
		trivial += want * want
	}
	trivial /= float64(tr.N)
	if len(sig0) != len(res.Grid) {
		t.Errorf("test rows at %d θ0 points, want the %d grid points", len(sig0), len(res.Grid))
	}
	for _, g := range res.Grid {
		if _, ok := sig0[[2]float64{g[0], g[1]}]; !ok {
			t.Errorf("no test rows at grid point %v", g)
		}
	}
	t.Logf("truth: %d test rows at %d θ0 points, largest |Δ log r| against the morphing of the event's weights %.2g; trivial error %.4f; smallest n_eff %.0f", tr.N, len(sig0), maxDiff, trivial, res.GridMinNEff)
	if maxDiff > 1e-10 {
		t.Errorf("the truth differs from the morphing of the events' weights by up to %.3g", maxDiff)
	}
	if math.Abs(res.TrivialMSE-trivial) > 1e-9*trivial {
		t.Errorf("trivial error %v, recomputed %v", res.TrivialMSE, trivial)
	}

	if len(res.Table) != 4*2 {
		t.Fatalf("%d table rows, want 8", len(res.Table))
	}
	for _, r := range res.Table {
		t.Logf("%-8s %5d: %.4f", r.Method, r.Size, r.Mean)
		if len(r.MSE) != 1 || !(r.Mean > 0) || math.IsInf(r.Mean, 0) {
			t.Errorf("%s at %d: errors %v", r.Method, r.Size, r.MSE)
		}
	}
	if _, mean, _ := res.Curve(ml.ALICES); !(mean[1] < 0.8*res.TrivialMSE) {
		t.Errorf("ALICES at 3000 events: error %.4f, trivial %.4f", mean[1], res.TrivialMSE)
	}
	if len(res.Fisher) != 2 || len(res.FisherTruth) != 4 {
		t.Fatalf("Fisher rows %+v, truth %v", res.Fisher, res.FisherTruth)
	}
	for _, fr := range res.Fisher {
		t.Logf("SALLY at %d: det I_sally/det I = %.3f", fr.Size, fr.Mean)
		if !(fr.Mean > 0) {
			t.Errorf("SALLY at %d: det ratio %v", fr.Size, fr.Mean)
		}
	}
}

// TestTrainSallyScaled trains SALLY on a score whose components differ in
// scale by a factor 100, with the targets scaled: the score function must
// give the score in its own units (a scorer that forgets to multiply back
// misses component 0 by its rms, 0.03, and component 1 by 3).
func TestTrainSallyScaled(t *testing.T) {
	const n = 4000
	rnd := rand.New(rand.NewPCG(1, 2))
	truth := func(x []float64) [2]float64 { return [2]float64{0.05 * x[0], 5*x[1] + 0.5*x[0]} }
	sample := func(n int) (*mat.Dense, *mat.Dense) {
		x, tt := mat.NewDense(n, 2, nil), mat.NewDense(n, 2, nil)
		for i := range n {
			x.Set(i, 0, 2*rnd.Float64()-1)
			x.Set(i, 1, 2*rnd.Float64()-1)
			s := truth(x.RawRowView(i))
			tt.Set(i, 0, s[0])
			tt.Set(i, 1, s[1])
		}
		return x, tt
	}
	x, tt := sample(n)
	want1 := mat.Col(nil, 1, tt)
	_, score, err := trainSally(x, tt, &ml.ScoreEstimator{Hidden: []int{10}}, true, &ml.Settings{Epochs: 300, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rms := math.Sqrt(floats.Dot(want1, want1) / n); math.Abs(mat.Col(nil, 1, tt)[0]*rms-want1[0]) > 1e-12 {
		t.Errorf("the training targets were not divided by their rms %v", rms)
	}
	xt, tt2 := sample(2000)
	got, err := score(xt)
	if err != nil {
		t.Fatal(err)
	}
	for k := range 2 {
		g, w := mat.Col(nil, k, got), mat.Col(nil, k, tt2)
		d := make([]float64, len(g))
		floats.SubTo(d, g, w)
		rel := math.Sqrt(floats.Dot(d, d) / floats.Dot(w, w))
		t.Logf("component %d: relative rms error %.3f", k, rel)
		if rel > 0.1 {
			t.Errorf("component %d: relative rms error %.3f of the scaled SALLY's score", k, rel)
		}
	}
}
