// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package study

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/simulators"
)

func TestExpectedMSE(t *testing.T) {
	px := [][]float64{{0.25, 0.75}, {0.5, 0.5}}
	logR := [][]float64{{1, -2}, {0, 3}}
	exact := mat.NewDense(2, 2, []float64{1, -2, 0, 3})
	if got := expectedMSE(exact, px, logR); got != 0 {
		t.Errorf("exact estimator: MSE %v", got)
	}
	off := mat.NewDense(2, 2, []float64{2, -2, 0, 1})
	// ((0.25·1) + (0.5·4))/2 = 1.125
	if got := expectedMSE(off, px, logR); !scalar.EqualWithinAbsOrRel(got, 1.125, 1e-15, 1e-15) {
		t.Errorf("MSE %v, want 1.125", got)
	}
}

func TestStudyErrors(t *testing.T) {
	bad := []*Config{
		{Seeds: -1},
		{Theta0Lo: 1, Theta0Hi: 0},
		{Sizes: []int{3}},
		{GridPoints: -2},
		{Sizes: []int{100}, Seeds: 1, Methods: []ml.Method{ml.NDE}, Steps: -1, Settings: &ml.Settings{Epochs: 1}},
		{SallyBins: -1},
	}
	for i, c := range bad {
		if _, err := Run(c); err == nil {
			t.Errorf("config %d accepted", i)
		}
	}
}

// TestStudySmall runs a small study: with 8000 events and 3000 steps the
// trained estimators must beat the trivial estimator log r̂ = 0 by a factor
// 3 (an estimator of −log r, e.g. with θ0 and θ1 swapped, would be 4 times
// worse than trivial), and the result must survive a JSON round trip.
func TestStudySmall(t *testing.T) {
	if testing.Short() {
		t.Skip("trains networks; skipped under -short")
	}
	res, err := Run(&Config{Methods: []ml.Method{ml.CARL, ml.ALICES, ml.SALLY}, Sizes: []int{500, 8000}, Seeds: 1, Steps: 3000, MinEpochs: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Table) != 6 || len(res.Grid) != 21 || len(res.Hidden) != 1 || len(res.Epochs) != 2 || res.Epochs[0] != 1024 || res.Epochs[1] != 64 {
		t.Fatalf("table %+v", res)
	}
	for _, r := range res.Table {
		t.Logf("%-6s n=%-5d MSE %.4f (trivial %.4f)", r.Method, r.Size, r.Mean, res.TrivialMSE)
		if !(r.Mean > 0) || math.IsInf(r.Mean, 0) {
			t.Errorf("%s n=%d: MSE %v", r.Method, r.Size, r.Mean)
		}
		if r.Size == 8000 && r.Mean > res.TrivialMSE/3 {
			t.Errorf("%s n=%d: MSE %v, not far below the trivial %v", r.Method, r.Size, r.Mean, res.TrivialMSE)
		}
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Table[3].Mean != res.Table[3].Mean || back.Table[3].Method != res.Table[3].Method {
		t.Error("JSON round trip")
	}
}

// TestBudget checks the budget rule: at least Steps optimizer steps and
// at least MinEpochs epochs, the same for every method, and that Run
// trains with it (the epochs it records are those trained).
func TestBudget(t *testing.T) {
	for _, c := range []struct {
		steps, minEpochs, batch int
		nTrain                  float64
		want                    int
	}{
		{60000, 300, 128, 750, 10240}, // 1000 events: the steps rule
		{60000, 300, 128, 22500, 342}, // 30000 events: the steps rule
		{60000, 300, 128, 75000, 300}, // 100000 events: the epoch floor
		{60000, -1, 128, 75000, 103},  // no floor: 103 epochs at 10⁵ events
		{1000, 0, 100, 1000, 100},     // exact division
		{1000, 101, 100, 1000, 101},   // floor above the steps rule
	} {
		if got := budgetEpochs(c.steps, c.minEpochs, c.batch, c.nTrain); got != c.want {
			t.Errorf("budgetEpochs(%d, %d, %d, %g) = %d, want %d", c.steps, c.minEpochs, c.batch, c.nTrain, got, c.want)
		}
	}
	res, err := Run(&Config{Methods: []ml.Method{ml.CARL}, Sizes: []int{400, 4000}, Seeds: 1, Steps: 3, MinEpochs: 2, Hidden: []int{4}, GridPoints: 3})
	if err != nil {
		t.Fatal(err)
	}
	// 400 events: 300 training rows, ceil(3·128/300) = 2 epochs; 4000: the floor, 2.
	if len(res.Epochs) != 2 || res.Epochs[0] != 2 || res.Epochs[1] != 2 || res.MinEpochs != 2 {
		t.Errorf("epochs %v, min_epochs %d, want [2 2] and 2", res.Epochs, res.MinEpochs)
	}
	res, err = Run(&Config{Methods: []ml.Method{ml.CARL}, Sizes: []int{400}, Seeds: 1, Steps: 3, MinEpochs: 5, Hidden: []int{4}, GridPoints: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Epochs[0] != 5 {
		t.Errorf("epochs %v, want the floor 5", res.Epochs)
	}
}

// BenchmarkStudy trains CARL and ALICES on 1000 Galton-board events.
func BenchmarkStudy(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Run(&Config{Methods: []ml.Method{ml.CARL, ml.ALICES}, Sizes: []int{1000}, Seeds: 1, Steps: 1000}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHistogramLogRatio checks the SALLY + histogram estimate on the
// exact Galton probabilities: a constant summary carries no information
// (log r̂ = 0, the trivial error); the exact score at θ1, a sufficient
// statistic of the symmetric board, leaves only the binning error: equal-
// probability bins lump the rare outer slots, whose log r differ by
// several units (about 1/40 of the trivial error on this grid; finer bins
// shrink it, coarser ones grow it); a summary that merges mirror slots with different ratios (the
// slot index folded the wrong way) must be much worse than the exact score.
func TestHistogramLogRatio(t *testing.T) {
	g := simulators.Galton{}
	grid := []float64{-0.5, -0.25, 0, 0.25, 0.5}
	p1d, err := g.Probs([]float64{0})
	if err != nil {
		t.Fatal(err)
	}
	nx := len(p1d)
	p1, score := make([]float64, nx), make([]float64, nx)
	for k, p := range p1d {
		p1[k], score[k] = p.V, p.D[0]/p.V
	}
	px, logR := make([][]float64, len(grid)), make([][]float64, len(grid))
	for i, th := range grid {
		p, err := g.Probs([]float64{th})
		if err != nil {
			t.Fatal(err)
		}
		px[i], logR[i] = make([]float64, nx), make([]float64, nx)
		for k := range p {
			px[i][k], logR[i][k] = p[k].V, math.Log(p[k].V/p1[k])
		}
	}
	trivial := expectedMSE(mat.NewDense(len(grid), nx, nil), px, logR)

	lr, err := histogramLogRatio(make([]float64, nx), px, p1, 25)
	if err != nil {
		t.Fatal(err)
	}
	if got := expectedMSE(lr, px, logR); got != trivial {
		t.Errorf("constant summary: MSE %v, want the trivial %v", got, trivial)
	}

	lr, err = histogramLogRatio(score, px, p1, 25)
	if err != nil {
		t.Fatal(err)
	}
	exact := expectedMSE(lr, px, logR)
	t.Logf("exact score, 25 bins: MSE %.3g (trivial %.3g)", exact, trivial)
	if !(exact < trivial/20) {
		t.Errorf("exact score: MSE %v, want below %v", exact, trivial/20)
	}
	lr, err = histogramLogRatio(score, px, p1, 200)
	if err != nil {
		t.Fatal(err)
	}
	if fine := expectedMSE(lr, px, logR); !(fine < exact/2) {
		t.Errorf("200 bins: MSE %v, want below half the 25-bin %v", fine, exact)
	}
	// With 3 bins the tails and the centre are lumped: worse, still
	// informative.
	lr, err = histogramLogRatio(score, px, p1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if coarse := expectedMSE(lr, px, logR); !(coarse > 2*exact && coarse < trivial) {
		t.Errorf("3 bins: MSE %v, want between %v and %v", coarse, 2*exact, trivial)
	}

	// A summary that pairs slot k with slot k+10 (mod 21) cannot separate
	// the centre from the wings.
	bad := make([]float64, nx)
	for k := range bad {
		bad[k] = float64(k % 10)
	}
	lr, err = histogramLogRatio(bad, px, p1, 25)
	if err != nil {
		t.Fatal(err)
	}
	if got := expectedMSE(lr, px, logR); !(got > 10*exact) {
		t.Errorf("folded summary: MSE %v, not far above the exact score's %v", got, exact)
	}
	if _, err := histogramLogRatio([]float64{0, math.NaN(), 1}, px[:1], p1[:3], 25); err == nil {
		t.Error("NaN summary accepted")
	}
}

func TestTrainingData(t *testing.T) {
	a, err := simulators.SampleRatio(simulators.Galton{Rows: 6}.Simulate, [][]float64{{0.2}}, [][]float64{{0}}, 10, &simulators.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	d := trainingData(a)
	if r, c := d.X.Dims(); r != 10 || c != 1 {
		t.Errorf("X %d×%d", r, c)
	}
	if d.X.At(7, 0) != a.X[7] || d.TXZ.At(5, 0) != a.TXZ0[5] || d.Theta1.At(2, 0) != a.Theta1[2] || d.RXZ[9] != a.RXZ[9] || d.Y[3] != a.Y[3] {
		t.Error("training data do not match the sample")
	}
	d.RXZ[0] = -1
	if a.RXZ[0] == -1 {
		t.Error("training data share memory with the sample")
	}
	s, err := simulators.SampleScore(simulators.Galton{Rows: 6}.Simulate, [][]float64{{0.2}}, 10, &simulators.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if d := trainingData(s); d.Theta1 != nil || d.TXZ1 != nil || d.TXZ == nil {
		t.Error("training data of a score sample")
	}
}

// TestStudyCanceled checks that a cancelled study stops before its next
// training with the context's error, and that one with a live context
// runs.
func TestStudyCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := &Config{Methods: []ml.Method{ml.CARL}, Sizes: []int{400}, Seeds: 1, Steps: 3, MinEpochs: 1, Hidden: []int{4}, GridPoints: 3, Context: ctx}
	if _, err := Run(cfg); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := Run(cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled study: error %v, want %v", err, context.Canceled)
	}
}

// TestRowsTable: the table lists the methods in the order asked, each
// with its sizes in order, and the mean and sample standard deviation of
// the errors of its seeds.
func TestRowsTable(t *testing.T) {
	r := newRows([]ml.Method{ml.CARL, ml.SALLY}, []int{100, 1000})
	r[ml.CARL][1].MSE = []float64{1, 3}
	r[ml.SALLY][0].MSE = []float64{2}
	got := r.table([]ml.Method{ml.SALLY, ml.CARL})
	want := []struct {
		m         ml.Method
		size      int
		mean, std float64
		undefined bool // no seeds: the mean is NaN
	}{
		{ml.SALLY, 100, 2, 0, false},
		{ml.SALLY, 1000, 0, 0, true},
		{ml.CARL, 100, 0, 0, true},
		{ml.CARL, 1000, 2, math.Sqrt2, false},
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Method != w.m || g.Size != w.size {
			t.Errorf("row %d: %s at %d, want %s at %d", i, g.Method, g.Size, w.m, w.size)
		}
		if w.undefined {
			if !math.IsNaN(g.Mean) || g.Std != 0 {
				t.Errorf("row %d: mean %v, std %v of no seeds, want NaN and 0", i, g.Mean, g.Std)
			}
			continue
		}
		if !scalar.EqualWithinAbsOrRel(g.Mean, w.mean, 0, 1e-15) || !scalar.EqualWithinAbsOrRel(g.Std, w.std, 0, 1e-15) {
			t.Errorf("row %d: mean %v, std %v, want %v, %v", i, g.Mean, g.Std, w.mean, w.std)
		}
	}
}
