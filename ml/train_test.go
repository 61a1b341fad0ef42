// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestTrainReproducible trains twice with the same seed, worker count
// and precision and requires bit-identical weights (and histories), for
// 1, 2 and 3 workers, both precisions and a batch-norm-free estimator of
// each kind; other worker counts may differ only by summation order.
// With several workers the weights must also equal those of workers that
// pack their own (no shared packedWeights).
func TestTrainReproducible(t *testing.T) {
	rnd := rand.New(rand.NewPCG(41, 42))
	d := toyData(rnd, 500, 3, 2)
	for _, prec := range precisions {
		for _, kind := range []string{"score", "ratio", "double"} {
			t.Run(string(prec)+"/"+kind, func(t *testing.T) {
				run := func(workers int, seed uint64) ([]float64, *History) {
					s := &Settings{Seed: seed, Epochs: 3, Workers: workers, Precision: prec}
					switch kind {
					case "score":
						e := &ScoreEstimator{Hidden: []int{10, 9}}
						h, err := e.Train(SALLY, d.X, d.TXZ, s)
						if err != nil {
							t.Fatal(err)
						}
						return e.Net.Params, h
					case "ratio":
						e := &ParameterizedRatioEstimator{Hidden: []int{10}}
						h, err := e.Train(ALICES, d, s)
						if err != nil {
							t.Fatal(err)
						}
						return e.Net.Params, h
					}
					e := &DoubleParameterizedRatioEstimator{Hidden: []int{10}}
					h, err := e.Train(RASCAL, d, s)
					if err != nil {
						t.Fatal(err)
					}
					return e.Net.Params, h
				}
				var ref []float64
				for _, workers := range []int{1, 2, 3} {
					a, ha := run(workers, 7)
					b, hb := run(workers, 7)
					sameBits(t, fmt.Sprintf("%d workers, same seed", workers), a, b)
					sameBits(t, fmt.Sprintf("%d workers, same seed, train loss", workers), ha.Train, hb.Train)
					sameBits(t, fmt.Sprintf("%d workers, same seed, val loss", workers), ha.Val, hb.Val)
					if workers > 1 {
						// The workers' shared packed weights (packedWeights)
						// hold what each tape would pack for itself.
						shareWeightsInPools = false
						c, _ := run(workers, 7)
						shareWeightsInPools = true
						sameBits(t, fmt.Sprintf("%d workers, shared against own packed weights", workers), a, c)
					}
					if ref == nil {
						ref = a
						continue
					}
					tol := 1e-8
					if prec == Float32 {
						tol = 1e-3
					}
					if e, at := relErr(a, ref); e > tol {
						t.Errorf("1 vs %d workers differ by %g at %d: more than summation order", workers, e, at)
					}
				}
				o, _ := run(2, 8)
				if e, _ := relErr(o, ref); e < 1e-3 {
					t.Errorf("different seeds give nearly the same weights (%g)", e)
				}
			})
		}
	}
}

// TestTrainWorkersBeyondRows trains with more workers than rows in a
// batch: the idle workers contribute nothing and training matches one
// worker to round-off.
func TestTrainWorkersBeyondRows(t *testing.T) {
	rnd := rand.New(rand.NewPCG(43, 44))
	d := toyData(rnd, 40, 3, 2)
	var ref []float64
	for _, workers := range []int{1, 7} {
		e := &ScoreEstimator{Hidden: []int{6}}
		if _, err := e.Train(SALLY, d.X, d.TXZ, &Settings{Seed: 3, Epochs: 2, BatchSize: 4, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = e.Net.Params
		} else if e, at := relErr(e.Net.Params, ref); e > 1e-10 {
			t.Errorf("7 workers on batches of 4 rows differ from 1 worker by %g at %d", e, at)
		}
	}
}

// TestTrainAllocationsPerBatch checks that a training batch allocates
// nothing (no goroutine start, no buffers): doubling the number of
// batches per epoch must not change the allocations of a training.
func TestTrainAllocationsPerBatch(t *testing.T) {
	rnd := rand.New(rand.NewPCG(45, 46))
	allocs := func(n int) float64 {
		d := toyData(rnd, n, 3, 2)
		e := &ParameterizedRatioEstimator{Hidden: []int{8, 8}}
		s := (&Settings{Seed: 1, Epochs: 2, BatchSize: 16, Workers: 2}).WithDefaults()
		o, err := e.newObjective(ALICES, d, s)
		if err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(2, func() {
			if _, err := train(o, s); err != nil {
				t.Fatal(err)
			}
		})
	}
	a1, a2 := allocs(1600), allocs(3200) // 75 and 150 training batches per epoch
	if a2-a1 > 8 {
		t.Errorf("training allocates per batch: %g allocations with 75 batches per epoch, %g with 150", a1, a2)
	}
}

// TestEarlyStoppingRestoresBest overfits a tiny sample so that the
// validation loss rises again, and checks that the weights in the model
// at the end reproduce the validation loss of the best epoch, not that of
// the last (MadMiner keeps a reference to the live weights and so returns
// the last epoch).
func TestEarlyStoppingRestoresBest(t *testing.T) {
	rnd := rand.New(rand.NewPCG(51, 52))
	d := toyData(rnd, 40, 3, 2)
	for i := range d.RXZ {
		d.RXZ[i] = math.Exp(rnd.NormFloat64())
	}
	e := &ParameterizedRatioEstimator{Hidden: []int{60, 60}}
	s := (&Settings{Seed: 9, Epochs: 150, BatchSize: 10, InitialLR: 1e-2, FinalLR: 1e-2}).WithDefaults()
	o, err := e.newObjective(ALICE, d, s)
	if err != nil {
		t.Fatal(err)
	}
	h, err := train(o, s)
	if err != nil {
		t.Fatal(err)
	}
	last := len(h.Val) - 1
	if h.BestEpoch >= last || !(h.Val[last] > h.Val[h.BestEpoch]) {
		t.Fatalf("test needs overfitting: best epoch %d of %d, val %g → %g", h.BestEpoch, last, h.Val[h.BestEpoch], h.Val[last])
	}
	// Recompute the validation loss of the final weights exactly as the
	// trainer does (same split, one batch evaluated whole).
	val := rand.New(rand.NewPCG(s.Seed, 0x5ca1ab1e)).Perm(40)[:10]
	ev := o.newEvaluator()
	terms := make([]float64, 1)
	ev.eval(val, 10, terms, nil)
	got := terms[0]
	if got != h.Val[h.BestEpoch] {
		t.Errorf("final weights give val loss %.10g; best epoch %d had %.10g, last %.10g", got, h.BestEpoch, h.Val[h.BestEpoch], h.Val[last])
	}
}

func TestTrainErrors(t *testing.T) {
	rnd := rand.New(rand.NewPCG(61, 62))
	d := toyData(rnd, 100, 2, 1)
	d.TXZ.Set(17, 0, math.NaN())
	e := &ScoreEstimator{}
	if _, err := e.Train(SALLY, d.X, d.TXZ, nil); err == nil || !strings.Contains(err.Error(), "row 17") {
		t.Errorf("NaN in t_xz: got %v, want an error naming row 17", err)
	}
	d.TXZ.Set(17, 0, 1)
	e = &ScoreEstimator{}
	_, err := e.Train(SALLY, d.X, d.TXZ, &Settings{Optimizer: SGD, InitialLR: 1e200, FinalLR: 1e200, Epochs: 3})
	if err == nil || !strings.Contains(err.Error(), "diverged") {
		t.Errorf("divergent training: got %v, want a divergence error", err)
	}
	r := &ParameterizedRatioEstimator{}
	if _, err := r.Train(RASCAL, Data{X: d.X, Theta: d.Theta, Y: d.Y, TXZ: d.TXZ}, nil); err == nil || !strings.Contains(err.Error(), "r_xz") {
		t.Errorf("RASCAL without r_xz: got %v", err)
	}
	bad := d
	bad.Y = append([]float64(nil), d.Y...)
	bad.Y[3] = 2
	if _, err := r.Train(CARL, bad, nil); err == nil || !strings.Contains(err.Error(), "y row 3") {
		t.Errorf("label 2: got %v", err)
	}
	bad = d
	bad.RXZ = append([]float64(nil), d.RXZ...)
	bad.RXZ[5] = -1
	if _, err := r.Train(ALICE, bad, nil); err == nil || !strings.Contains(err.Error(), "r_xz row 5") {
		t.Errorf("negative r_xz: got %v", err)
	}
	if _, err := r.Train(SALLY, d, nil); err == nil {
		t.Error("SALLY accepted by the ratio estimator")
	}
	if _, err := r.Train(CARL, d, &Settings{Optimizer: "lbfgs"}); err == nil {
		t.Error("unknown optimizer accepted")
	}
	if _, err := (&ScoreEstimator{Activation: "swish"}).Train(SALLY, d.X, d.TXZ, nil); err == nil {
		t.Error("unknown activation accepted")
	}
}

// TestClipAndLog runs one full-batch SGD step with a clipped gradient: the
// parameters move by at most the clip norm; the progress line names the
// loss terms.
func TestClipAndLog(t *testing.T) {
	rnd := rand.New(rand.NewPCG(71, 72))
	d := toyData(rnd, 64, 2, 1)
	e := &ScoreEstimator{Hidden: []int{5}}
	s := (&Settings{Seed: 1}).WithDefaults()
	o, err := e.newObjective(SALLY, d.X, d.TXZ, s)
	if err != nil {
		t.Fatal(err)
	}
	before := append([]float64(nil), e.Net.Params...)
	var log bytes.Buffer
	s.Optimizer, s.InitialLR, s.FinalLR, s.Epochs, s.BatchSize = SGD, 1, 1, 1, 64
	s.ValidationSplit, s.ClipGradient, s.Log = -1, 1e-3, &log
	if _, err := train(o, s); err != nil {
		t.Fatal(err)
	}
	step := 0.0
	for i, v := range e.Net.Params {
		step += (v - before[i]) * (v - before[i])
	}
	if math.Sqrt(step) > 1e-3 || step == 0 {
		t.Errorf("clipped step has norm %g, want (0, 1e-3]", math.Sqrt(step))
	}
	if !strings.Contains(log.String(), "epoch   1/1") || !strings.Contains(log.String(), "mse_score") {
		t.Errorf("progress line %q", log.String())
	}
}

// TestOptimizers checks the update rules against their closed forms on a
// two-step gradient sequence g = (1, 0.1): Adam's first step is lr·sign(g);
// AMSGrad's second step uses the maximum of the second moments.
func TestOptimizers(t *testing.T) {
	const lr = 0.1
	b1, b2, eps := 0.9, 0.999, 1e-8
	m1, v1 := (1-b1)*1, (1-b2)*1
	m2, v2 := b1*m1+(1-b1)*0.1, b2*v1+(1-b2)*0.01
	bc := func(b float64, t int) float64 { return 1 - math.Pow(b, float64(t)) }
	for _, tc := range []struct {
		opt  Optimizer
		want float64
	}{
		{Adam, -lr*(m1/bc(b1, 1))/(math.Sqrt(v1/bc(b2, 1))+eps) - lr*(m2/bc(b1, 2))/(math.Sqrt(v2/bc(b2, 2))+eps)},
		{AMSGrad, -lr*(m1/bc(b1, 1))/(math.Sqrt(v1/bc(b2, 1))+eps) - lr*(m2/bc(b1, 2))/(math.Sqrt(math.Max(v1, v2)/bc(b2, 2))+eps)},
		{SGD, -lr * (1 + 0.1)},
	} {
		o := newOptimizer(Settings{Optimizer: tc.opt}, 1)
		p := []float64{0}
		o.step(p, []float64{1}, lr)
		if tc.opt == Adam && math.Abs(p[0]+lr) > 1e-9 {
			t.Errorf("Adam first step %g, want −lr", p[0])
		}
		o.step(p, []float64{0.1}, lr)
		if math.Abs(p[0]-tc.want) > 1e-14 {
			t.Errorf("%s: got %.16g, want %.16g", tc.opt, p[0], tc.want)
		}
	}
	o := newOptimizer(Settings{Optimizer: SGD, Momentum: 0.5}, 1)
	p := []float64{0}
	o.step(p, []float64{1}, lr)
	o.step(p, []float64{0.1}, lr)
	if want := -lr*1 - lr*(0.5*1+0.1); math.Abs(p[0]-want) > 1e-15 {
		t.Errorf("SGD momentum: got %g, want %g", p[0], want)
	}
}

func TestNuisance(t *testing.T) {
	// Score estimator with the identity as network: t̂(x) = x.
	e := &ScoreEstimator{Trained: Trained{NObservables: 3, NParameters: 3, XScaling: Scaling{Mean: make([]float64, 3), Std: []float64{1, 1, 1}}}}
	e.Net = &MLP{Sizes: []int{3, 3}, Act: Tanh, Params: []float64{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}}
	fisher := mat.NewSymDense(3, []float64{4, 1, 2, 1, 3, 0.5, 2, 0.5, 5})
	if err := e.SetNuisance(fisher, []int{2, 0}); err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(1, 3, []float64{0.3, -1.2, 0.7})
	prof, err := e.Score(nil, x, Profile)
	if err != nil {
		t.Fatal(err)
	}
	// Independent: t_p − I_pν I_νν⁻¹ t_ν with p = (2, 0), ν = (1).
	want := []float64{0.7 - 0.5/3*(-1.2), 0.3 - 1.0/3*(-1.2)}
	for j, w := range want {
		if math.Abs(prof.At(0, j)-w) > 1e-14 {
			t.Errorf("profiled score %d: got %g, want %g", j, prof.At(0, j), w)
		}
	}
	proj, _ := e.Score(nil, x, Project)
	if proj.At(0, 0) != 0.7 || proj.At(0, 1) != 0.3 {
		t.Errorf("projected score %v", mat.Formatted(proj))
	}
	if _, err := e.Score(nil, x, "marginalise"); err == nil {
		t.Error("unknown nuisance mode accepted")
	}
}

// TestExternalValidation trains SALLY with a separate validation sample
// of 100 events (one batch): the validation loss of the restored best
// epoch must equal the MSE of the final model on that sample, and the
// input scaling must come from the training events only.
func TestExternalValidation(t *testing.T) {
	rnd := rand.New(rand.NewPCG(121, 122))
	tr := toyData(rnd, 400, 2, 2)
	val := toyData(rnd, 100, 2, 2)
	e := &ScoreEstimator{Hidden: []int{20}}
	h, err := e.Train(SALLY, tr.X, tr.TXZ, &Settings{Seed: 1, Epochs: 15, InitialLR: 1e-2, Validation: &Data{X: val.X, TXZ: val.TXZ}})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Val) != 15 || !e.Settings.ExternalValidation || e.Settings.Validation != nil {
		t.Fatalf("validation history %d epochs, external %v", len(h.Val), e.Settings.ExternalValidation)
	}
	pred, err := e.Score(nil, val.X, Keep)
	if err != nil {
		t.Fatal(err)
	}
	mse := 0.0
	for i := 0; i < 100; i++ {
		for j := 0; j < 2; j++ {
			d := pred.At(i, j) - val.TXZ.At(i, j)
			mse += d * d / 200
		}
	}
	if math.Abs(mse-h.Val[h.BestEpoch]) > 1e-12*mse {
		t.Errorf("validation MSE of the final model %.12g, history best %.12g (epoch %d)", mse, h.Val[h.BestEpoch], h.BestEpoch)
	}
	mean := 0.0
	for i := 0; i < 400; i++ {
		mean += tr.X.At(i, 0) / 400
	}
	if math.Abs(e.XScaling.Mean[0]-mean) > 1e-12 {
		t.Errorf("x scaling mean %g, training mean %g", e.XScaling.Mean[0], mean)
	}
	r := &ParameterizedRatioEstimator{}
	if _, err := r.Train(ALICES, tr, &Settings{Epochs: 1, Validation: &Data{X: val.X, Theta: val.Theta, Y: val.Y}}); err == nil {
		t.Error("validation data without r_xz and t_xz accepted")
	}
}

// step is one whole optimizer step, as the trainer takes it.
func (o *optimizer) step(p, g []float64, lr float64) {
	o.begin(lr)
	o.update(p, g, 1, 0, len(p))
}
