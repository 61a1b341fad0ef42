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
					o, err := e.newObjective(m, d, (&Settings{Seed: 5, Alpha: 0.8}).WithDefaults())
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
			if _, err := e.newObjective(NDE, d, (&Settings{Seed: 1}).WithDefaults()); err != nil {
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
// (running averages). With two workers, the MADE passes of the whole
// batch are split into two row blocks.
func TestFlowBatchNormGradients(t *testing.T) {
	for _, m := range []Method{NDE, SCANDAL} {
		for _, mode := range []bnMode{bnBatch, bnRunning} {
			for _, nd := range []int{1, 3} {
				for _, workers := range []int{1, 2} {
					name := map[bnMode]string{bnBatch: "batch", bnRunning: "running"}[mode]
					t.Run(fmt.Sprintf("%s/%s/d=%d/workers=%d", m, name, nd, workers), func(t *testing.T) {
						rnd := rand.New(rand.NewPCG(12, uint64(nd)))
						d := toyData(rnd, 9, nd, 2)
						e := &LikelihoodEstimator{Hidden: []int{6, 5}, NMADEs: 3, BatchNorm: true}
						o, err := e.newObjective(m, d, (&Settings{Seed: 5, Alpha: 0.8, Workers: workers}).WithDefaults())
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
	o, err := e.newObjective(NDE, d, (&Settings{Seed: 1}).WithDefaults())
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

// TestFlowBatchNormScore checks the training-mode score: it is the score
// of the flow whose batch-norm layers are frozen at the batch's
// statistics, so with the running averages set to them it must equal
// finite differences of the evaluation-mode log p̂ (which must then equal
// the batch-mode log p̂).
func TestFlowBatchNormScore(t *testing.T) {
	rnd := rand.New(rand.NewPCG(15, 16))
	const b, nd, np = 10, 3, 2
	d := toyData(rnd, b, nd, np)
	e := &LikelihoodEstimator{Hidden: []int{7}, NMADEs: 3, BatchNorm: true}
	o, err := e.newObjective(NDE, d, (&Settings{Seed: 1}).WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	f := e.flow
	spreadFlow(f, rnd, 0.5)
	spreadBatchNorm(f, rnd)
	var ft flowTape
	ft.forward(f, o.x, o.th, b, true, true)
	score := append([]float64(nil), ft.score...)
	logp := append([]float64(nil), ft.logp...)
	for j := range f.mades {
		_, _, rm, rv := f.bnParams(j)
		for e := range rm {
			rm[e], rv[e] = ft.bn[j].mean[e], ft.bn[j].v[e]-f.cfg.BatchNormEps
		}
	}
	ft.forward(f, o.x, o.th, b, false, false)
	for i := 0; i < b; i++ {
		if math.Abs(ft.logp[i]-logp[i]) > 1e-12*math.Abs(logp[i]) {
			t.Errorf("row %d: log p̂ %.15g in evaluation mode, %.15g in batch mode", i, ft.logp[i], logp[i])
		}
	}
	const h = 1e-6
	th := append([]float64(nil), o.th...)
	for q := 0; q < np; q++ {
		for i := 0; i < b; i++ {
			th[i*np+q] += h
		}
		ft.forward(f, o.x, th, b, false, false)
		lpp := append([]float64(nil), ft.logp...)
		for i := 0; i < b; i++ {
			th[i*np+q] -= 2 * h
		}
		ft.forward(f, o.x, th, b, false, false)
		for i := 0; i < b; i++ {
			th[i*np+q] += h
			fd := (lpp[i] - ft.logp[i]) / (2 * h)
			if math.Abs(fd-score[q*b+i]) > 1e-7*math.Max(1, math.Abs(fd)) {
				t.Errorf("θ%d, row %d: score %g, fd %g", q, i, score[q*b+i], fd)
			}
		}
	}
}

// toyFlowData samples the toy of TestToyFlow: θ ~ U(−1, 1), z ~ N(θ, σ_z),
// x ~ N(z, σ_x), with the joint score t(x,z|θ) = (z − θ)/σ_z².
func toyFlowData(rnd *rand.Rand, n int) Data {
	d := Data{X: mat.NewDense(n, 1, nil), Theta: mat.NewDense(n, 1, nil), TXZ: mat.NewDense(n, 1, nil)}
	for i := 0; i < n; i++ {
		th := 2*rnd.Float64() - 1
		z := th + toySigmaZ*rnd.NormFloat64()
		d.X.Set(i, 0, z+toySigmaX*rnd.NormFloat64())
		d.Theta.Set(i, 0, th)
		d.TXZ.Set(i, 0, (z-th)/(toySigmaZ*toySigmaZ))
	}
	return d
}

// toyFlowEval draws ne evaluation events of the toy: θ ~ U(−1, 1) and
// x ~ N(θ, s) with s² = σ_z² + σ_x².
func toyFlowEval(rnd *rand.Rand, ne int) (xe, te *mat.Dense) {
	xe, te = mat.NewDense(ne, 1, nil), mat.NewDense(ne, 1, nil)
	for i := 0; i < ne; i++ {
		th := 2*rnd.Float64() - 1
		te.Set(i, 0, th)
		xe.Set(i, 0, th+math.Sqrt(toyS2)*rnd.NormFloat64())
	}
	return xe, te
}

// toyFlowMSE returns the mean squared errors of the flow's log p̂(x|θ)
// and score on the events (xe, te) against the exact N(x; θ, s).
func toyFlowMSE(t *testing.T, e *LikelihoodEstimator, xe, te *mat.Dense) (mseP, mseT float64) {
	t.Helper()
	sc := &mat.Dense{}
	lp, err := e.LogLikelihood(nil, sc, xe, te)
	if err != nil {
		t.Fatal(err)
	}
	ne := float64(len(lp))
	for i := range lp {
		x, th := xe.At(i, 0), te.At(i, 0)
		exact := -0.5*math.Log(2*math.Pi*toyS2) - (x-th)*(x-th)/(2*toyS2)
		dp := lp[i] - exact
		dt := sc.At(i, 0) - (x-th)/toyS2
		mseP += dp * dp / ne
		mseT += dt * dt / ne
	}
	return mseP, mseT
}

// TestToyFlowBatchNorm trains NDE and SCANDAL flows with batch
// normalisation on the toy of TestToyFlow and compares log p̂(x|θ) and
// the score (evaluation mode) with the exact N(x; θ, s), with the limits
// of TestToyFlow (log p̂ MSE below 0.01, score MSE below 5% of E[t²]).
func TestToyFlowBatchNorm(t *testing.T) {
	rnd := rand.New(rand.NewPCG(91, 92))
	d := toyFlowData(rnd, 4000)
	xe, te := toyFlowEval(rnd, 2000)
	for _, m := range []Method{NDE, SCANDAL} {
		e := &LikelihoodEstimator{Hidden: []int{30}, NMADEs: 2, BatchNorm: true}
		if _, err := e.Train(m, d, &Settings{Seed: 2, Epochs: 40, InitialLR: 1e-2}); err != nil {
			t.Fatal(err)
		}
		mseP, mseT := toyFlowMSE(t, e, xe, te)
		t.Logf("%s with batch norm: MSE log p̂ %.5f, score %.5f (%d running-average updates)", m, mseP, mseT, e.flow.cfg.BatchNormUpdates)
		if mseP > 0.01 || mseT > 0.05/toyS2 {
			t.Errorf("%s: MSE log p̂ %.4g (limit 0.01), score %.4g (limit %.4g)", m, mseP, mseT, 0.05/toyS2)
		}
	}
}

// TestFlowBatchNormTraining checks that training with batch norm is
// reproducible bit for bit with two workers (whose chunks of each batch
// arrive in either order), agrees with one worker up to rounding, updates
// the running averages once per batch, and that Save/Load reproduces
// log p̂ and the score bit for bit.
func TestFlowBatchNormTraining(t *testing.T) {
	rnd := rand.New(rand.NewPCG(41, 42))
	d := toyData(rnd, 300, 3, 2)
	train := func(workers int) *LikelihoodEstimator {
		e := &LikelihoodEstimator{Hidden: []int{8}, NMADEs: 2, BatchNorm: true, BatchNormAlpha: 0.2}
		if _, err := e.Train(SCANDAL, d, &Settings{Seed: 3, Epochs: 3, BatchSize: 50, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		return e
	}
	a, b, c := train(2), train(2), train(1)
	sameBits(t, "parameters (2 workers, twice)", a.flow.params, b.flow.params)
	if e, at := relErr(c.flow.params, a.flow.params); e > 1e-10 {
		t.Errorf("1 and 2 workers: parameter %d differs by %g (relative)", at, e)
	}
	// 225 training rows in batches of 50: 5 batches per epoch.
	if got := a.flow.cfg.BatchNormUpdates; got != 15 {
		t.Errorf("%d running-average updates, want 15", got)
	}
	l := saveLoad(t, a, t.TempDir())
	lf, ok := l.(*LikelihoodEstimator)
	if !ok || !lf.BatchNorm || lf.BatchNormAlpha != 0.2 || lf.flow.cfg.BatchNormUpdates != 15 {
		t.Fatalf("loaded %T with batch norm settings %+v", l, lf.flow.cfg)
	}
	sameBits(t, "parameters after Load", lf.flow.params, a.flow.params)
	pa := sameEval(t, "log p̂", a.LogLikelihood, lf.LogLikelihood, d.X, d.Theta)
	// The running averages are in use: a different running mean changes
	// log p̂.
	_, _, rm, _ := lf.flow.bnParams(1)
	rm[0] += 0.1
	pc, _ := lf.LogLikelihood(nil, nil, d.X, d.Theta)
	if pc[0] == pa[0] {
		t.Error("log p̂ does not depend on the running mean")
	}
}

// TestFlowBatchNormSingleRow checks that a training batch of one row (the
// remainder of an epoch) uses the running averages instead of the
// degenerate batch statistics, and that invalid momenta are rejected.
func TestFlowBatchNormSingleRow(t *testing.T) {
	rnd := rand.New(rand.NewPCG(17, 18))
	d := toyData(rnd, 5, 2, 1)
	e := &LikelihoodEstimator{Hidden: []int{4}, NMADEs: 2, BatchNorm: true}
	o, err := e.newObjective(SCANDAL, d, (&Settings{Seed: 1}).WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	spreadFlow(e.flow, rnd, 0.5)
	spreadBatchNorm(e.flow, rnd)
	ev := o.newEvaluator()
	got, want := make([]float64, 2), make([]float64, 2)
	ev.eval([]int{3}, 1, got, make([]float64, len(o.params())))
	o.bnMode = bnRunning
	ev.eval([]int{3}, 1, want, nil)
	sameBits(t, "single-row loss terms", got, want)
	if e.flow.cfg.BatchNormUpdates != 0 {
		t.Errorf("a single row updated the running averages")
	}
	for _, a := range []float64{-0.1, 1.5, math.NaN()} {
		e := &LikelihoodEstimator{Hidden: []int{4}, NMADEs: 2, BatchNorm: true, BatchNormAlpha: a}
		if _, err := e.Train(NDE, d, &Settings{Epochs: 1}); err == nil {
			t.Errorf("momentum %g accepted", a)
		}
	}
}

// TestFlowBatchNormOptimizer trains one epoch of a single full batch and
// checks that the running averages are then the batch statistics at the
// initial weights: the first batch sets them and the optimiser step (zero
// gradient) leaves them alone, while log γ and β move.
func TestFlowBatchNormOptimizer(t *testing.T) {
	rnd := rand.New(rand.NewPCG(19, 20))
	d := toyData(rnd, 40, 3, 2)
	s := &Settings{Seed: 4, Epochs: 1, BatchSize: 40, ValidationSplit: -1}
	ref := &LikelihoodEstimator{Hidden: []int{6}, NMADEs: 3, BatchNorm: true}
	o, err := ref.newObjective(SCANDAL, d, s.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	var ft flowTape
	ft.forward(ref.flow, o.x, o.th, 40, true, true)
	e := &LikelihoodEstimator{Hidden: []int{6}, NMADEs: 3, BatchNorm: true}
	if _, err := e.Train(SCANDAL, d, s); err != nil {
		t.Fatal(err)
	}
	for j := range e.flow.mades {
		lg, beta, rm, rv := e.flow.bnParams(j)
		for k := range rm {
			wm, wv := ft.bn[j].mean[k], ft.bn[j].v[k]-batchNormEps
			if math.Abs(rm[k]-wm) > 1e-12*math.Max(1, math.Abs(wm)) || math.Abs(rv[k]-wv) > 1e-12*wv {
				t.Errorf("layer %d, observable %d: running mean/var %g %g, batch statistics %g %g", j, k, rm[k], rv[k], wm, wv)
			}
			if lg[k] == 0 || beta[k] == 0 {
				t.Errorf("layer %d, observable %d: log γ %g and β %g not trained", j, k, lg[k], beta[k])
			}
		}
	}
}
