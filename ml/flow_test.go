// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// spreadFlow gives the flow's unmasked weights unit-scale random values so
// that the test explores a non-trivial density.
func spreadFlow(f *maf, rnd *rand.Rand, scale float64) {
	for _, m := range f.mades {
		for i := range m.Params {
			m.Params[i] = scale * rnd.NormFloat64() * m.Mask[i]
		}
	}
}

func TestFlowLossGradients(t *testing.T) {
	for _, m := range []Method{NDE, SCANDAL} {
		for _, act := range []Activation{Tanh, Softplus, ELU} {
			for _, nd := range []int{1, 3} {
				t.Run(fmt.Sprintf("%s/%s/d=%d", m, act, nd), func(t *testing.T) {
					rnd := rand.New(rand.NewPCG(11, uint64(nd)))
					d := toyData(rnd, 8, nd, 2)
					e := &LikelihoodEstimator{Hidden: []int{6, 5}, Activation: act, NMADEs: 3}
					o, err := e.newObjective(m, d, (&Settings{Seed: 5, Alpha: 0.8}).withDefaults())
					if err != nil {
						t.Fatal(err)
					}
					spreadFlow(e.flow, rnd, 0.5)
					checkObjective(t, o, []int{7, 1, 2, 3, 4, 5, 6, 0})
				})
			}
		}
	}
}

// TestFlowDensity checks that the flow is a normalised density in x for
// fixed θ (2D quadrature on a grid wide enough to hold the mass), and its
// θ-score against finite differences of log p̂.
// With batch normalisation, the layers (evaluation mode: running
// averages) get random scales, shifts and running averages.
func TestFlowDensity(t *testing.T) {
	for _, bn := range []bool{false, true} {
		t.Run(fmt.Sprintf("batchnorm=%v", bn), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(21, 22))
			d := toyData(rnd, 50, 2, 1)
			e := &LikelihoodEstimator{Hidden: []int{8}, NMADEs: 3, BatchNorm: bn}
			if _, err := e.newObjective(NDE, d, (&Settings{Seed: 1}).withDefaults()); err != nil {
				t.Fatal(err)
			}
			spreadFlow(e.flow, rnd, 0.3)
			if bn {
				spreadBatchNorm(e.flow, rnd)
			}
			checkFlowDensity(t, e, d)
		})
	}
}

func checkFlowDensity(t *testing.T, e *LikelihoodEstimator, d Data) {
	// Quadrature: trapezoid on [−L, L]² in original x units.
	const ng = 241
	lo0, hi0 := e.XScaling.Mean[0]-14*e.XScaling.Std[0], e.XScaling.Mean[0]+14*e.XScaling.Std[0]
	lo1, hi1 := e.XScaling.Mean[1]-14*e.XScaling.Std[1], e.XScaling.Mean[1]+14*e.XScaling.Std[1]
	h0, h1 := (hi0-lo0)/(ng-1), (hi1-lo1)/(ng-1)
	x := mat.NewDense(ng*ng, 2, nil)
	for i := 0; i < ng; i++ {
		for j := 0; j < ng; j++ {
			x.Set(i*ng+j, 0, lo0+float64(i)*h0)
			x.Set(i*ng+j, 1, lo1+float64(j)*h1)
		}
	}
	th := mat.NewDense(ng*ng, 1, nil)
	for i := 0; i < ng*ng; i++ {
		th.Set(i, 0, 0.3)
	}
	lp, err := e.LogLikelihood(nil, nil, x, th)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for i := 0; i < ng; i++ {
		for j := 0; j < ng; j++ {
			w := 1.0
			if i == 0 || i == ng-1 {
				w *= 0.5
			}
			if j == 0 || j == ng-1 {
				w *= 0.5
			}
			sum += w * math.Exp(lp[i*ng+j])
		}
	}
	sum *= h0 * h1
	t.Logf("∫ p̂(x|θ) dx = %.8f", sum)
	if math.Abs(sum-1) > 1e-3 {
		t.Errorf("∫ p̂(x|θ) dx = %.6f, want 1", sum)
	}

	// θ-score against finite differences.
	sc := &mat.Dense{}
	xs := d.X.Slice(0, 10, 0, 2)
	ts := d.Theta.Slice(0, 10, 0, 1)
	if _, err := e.LogLikelihood(nil, sc, xs, ts); err != nil {
		t.Fatal(err)
	}
	const h = 1e-6
	tp, tm := mat.DenseCopyOf(ts), mat.DenseCopyOf(ts)
	for i := 0; i < 10; i++ {
		tp.Set(i, 0, tp.At(i, 0)+h)
		tm.Set(i, 0, tm.At(i, 0)-h)
	}
	lpp, _ := e.LogLikelihood(nil, nil, xs, tp)
	lpm, _ := e.LogLikelihood(nil, nil, xs, tm)
	for i := 0; i < 10; i++ {
		fd := (lpp[i] - lpm[i]) / (2 * h)
		if math.Abs(fd-sc.At(i, 0)) > 1e-7*math.Max(1, math.Abs(fd)) {
			t.Errorf("row %d: score %g, fd %g", i, sc.At(i, 0), fd)
		}
	}
}

// spreadBatchNorm gives the batch-norm layers random scales, shifts and
// running averages.
func spreadBatchNorm(f *maf, rnd *rand.Rand) {
	for j := range f.mades {
		lg, beta, rm, rv := f.bnParams(j)
		for e := range lg {
			lg[e] = 0.3 * rnd.NormFloat64()
			beta[e] = 0.3 * rnd.NormFloat64()
			rm[e] = 0.3 * rnd.NormFloat64()
			rv[e] = 0.5 + rnd.Float64()
		}
	}
}

// TestFlowBatchNormGradients checks the gradient of the NDE and SCANDAL
// losses with batch normalisation against central finite differences, in
// training mode (batch statistics, every row depending on the whole
// batch, the batch arriving in two chunks) and in evaluation mode
// (running averages).
func TestFlowBatchNormGradients(t *testing.T) {
	for _, m := range []Method{NDE, SCANDAL} {
		for _, mode := range []bnMode{bnBatch, bnRunning} {
			for _, nd := range []int{1, 3} {
				name := map[bnMode]string{bnBatch: "batch", bnRunning: "running"}[mode]
				t.Run(fmt.Sprintf("%s/%s/d=%d", m, name, nd), func(t *testing.T) {
					rnd := rand.New(rand.NewPCG(12, uint64(nd)))
					d := toyData(rnd, 9, nd, 2)
					e := &LikelihoodEstimator{Hidden: []int{6, 5}, NMADEs: 3, BatchNorm: true}
					o, err := e.newObjective(m, d, (&Settings{Seed: 5, Alpha: 0.8}).withDefaults())
					if err != nil {
						t.Fatal(err)
					}
					o.bnMode = mode
					spreadFlow(e.flow, rnd, 0.5)
					spreadBatchNorm(e.flow, rnd)
					before := append([]float64(nil), e.flow.params...)
					checkObjective(t, o, []int{7, 1, 2, 3, 8, 4, 5, 6, 0})
					// Only the automatic (training) mode updates the running
					// averages; the forced modes leave every parameter alone.
					sameBits(t, "parameters", e.flow.params, before)
				})
			}
		}
	}
}

// TestFlowBatchNormLiteral checks the batch-mode flow against the batch
// normalisation written out by hand, for a single MADE whose weights are
// zero (so that it is the identity): y = γ(x − μ)/√(σ²+ε) + β with the
// batch mean and population variance, log p = −D/2 log 2π − ½Σy² +
// Σ(log γ − ½ log(σ²+ε)). It also checks that the running averages then
// take the batch statistics (first batch) and mix with momentum α.
func TestFlowBatchNormLiteral(t *testing.T) {
	rnd := rand.New(rand.NewPCG(13, 14))
	const b, nd = 7, 2
	d := toyData(rnd, b, nd, 1)
	e := &LikelihoodEstimator{Hidden: []int{4}, NMADEs: 1, BatchNorm: true, BatchNormAlpha: 0.25}
	o, err := e.newObjective(NDE, d, (&Settings{Seed: 1}).withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	f := e.flow
	clear(f.params[:f.bnOff])
	spreadBatchNorm(f, rnd)
	lg, beta, rm, rv := f.bnParams(0)
	rows := []int{0, 1, 2, 3, 4, 5, 6}
	ev := o.newEvaluator().(*flowEval)
	terms := make([]float64, 1)
	grad := make([]float64, len(f.params))
	ev.eval(rows, b, terms, grad)
	want := 0.0
	var mean, vr [nd]float64
	for e := 0; e < nd; e++ {
		for i := 0; i < b; i++ {
			mean[e] += o.x[i*nd+e] / b
		}
		for i := 0; i < b; i++ {
			vr[e] += math.Pow(o.x[i*nd+e]-mean[e], 2) / b
		}
	}
	for i := 0; i < b; i++ {
		lp := -float64(nd) / 2 * math.Log(2*math.Pi)
		for e := 0; e < nd; e++ {
			v := vr[e] + batchNormEps
			y := math.Exp(lg[e])*(o.x[i*nd+e]-mean[e])/math.Sqrt(v) + beta[e]
			lp += -0.5*y*y + lg[e] - 0.5*math.Log(v)
		}
		want -= lp / b
	}
	if math.Abs(terms[0]-want) > 1e-12*math.Abs(want) {
		t.Errorf("batch-mode nll %.15g, literal %.15g", terms[0], want)
	}
	for e := 0; e < nd; e++ {
		if math.Abs(rm[e]-mean[e]) > 1e-14 || math.Abs(rv[e]-vr[e]) > 1e-14*vr[e] {
			t.Errorf("observable %d: running mean/var %g %g after the first batch, want %g %g", e, rm[e], rv[e], mean[e], vr[e])
		}
	}
	// A second batch (rows 0…3) mixes with α = 0.25.
	var m2, v2 [nd]float64
	for e := 0; e < nd; e++ {
		for i := 0; i < 4; i++ {
			m2[e] += o.x[i*nd+e] / 4
		}
		for i := 0; i < 4; i++ {
			v2[e] += math.Pow(o.x[i*nd+e]-m2[e], 2) / 4
		}
	}
	ev.eval(rows[:4], 4, terms, grad)
	for e := 0; e < nd; e++ {
		wm, wv := 0.75*mean[e]+0.25*m2[e], 0.75*vr[e]+0.25*v2[e]
		if math.Abs(rm[e]-wm) > 1e-14 || math.Abs(rv[e]-wv) > 1e-14*wv {
			t.Errorf("observable %d: running mean/var %g %g after two batches, want %g %g", e, rm[e], rv[e], wm, wv)
		}
	}
	if f.cfg.BatchNormUpdates != 2 {
		t.Errorf("%d running-average updates, want 2", f.cfg.BatchNormUpdates)
	}
	// With the running averages set to the batch statistics, evaluation
	// mode reproduces batch mode.
	ev.eval(rows, b, terms, grad) // third batch: the statistics of all rows again
	for e := 0; e < nd; e++ {
		rm[e], rv[e] = mean[e], vr[e]
	}
	o.bnMode = bnRunning
	got := make([]float64, 1)
	ev.eval(rows, b, got, nil)
	if math.Abs(got[0]-want) > 1e-12*math.Abs(want) {
		t.Errorf("evaluation-mode nll with the batch statistics %.15g, batch mode %.15g", got[0], want)
	}
}

// TestFlowBatchNormScore checks the training-mode score (θ of every row
// moved together, through the batch statistics) against finite
// differences of the batch-mode log p̂.
func TestFlowBatchNormScore(t *testing.T) {
	rnd := rand.New(rand.NewPCG(15, 16))
	const b, nd, np = 10, 3, 2
	d := toyData(rnd, b, nd, np)
	e := &LikelihoodEstimator{Hidden: []int{7}, NMADEs: 3, BatchNorm: true}
	o, err := e.newObjective(NDE, d, (&Settings{Seed: 1}).withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	spreadFlow(e.flow, rnd, 0.5)
	spreadBatchNorm(e.flow, rnd)
	var ft flowTape
	ft.forward(e.flow, o.x, o.th, b, true, true)
	score := append([]float64(nil), ft.score...)
	const h = 1e-6
	th := append([]float64(nil), o.th...)
	for q := 0; q < np; q++ {
		for i := 0; i < b; i++ {
			th[i*np+q] += h
		}
		ft.forward(e.flow, o.x, th, b, false, true)
		lpp := append([]float64(nil), ft.logp...)
		for i := 0; i < b; i++ {
			th[i*np+q] -= 2 * h
		}
		ft.forward(e.flow, o.x, th, b, false, true)
		for i := 0; i < b; i++ {
			th[i*np+q] += h
			fd := (lpp[i] - ft.logp[i]) / (2 * h)
			if math.Abs(fd-score[q*b+i]) > 1e-7*math.Max(1, math.Abs(fd)) {
				t.Errorf("θ%d, row %d: score %g, fd %g", q, i, score[q*b+i], fd)
			}
		}
	}
}
