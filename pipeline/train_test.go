// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// TestTrainFisherLimitsZH runs the whole chain of cards/zh.yaml (with
// fewer epochs) on the ZH sample: SALLY and ALICES are trained, the SALLY
// Fisher information is compared with the truth and rate information, and
// the sally and ml limit scans run on the trained models.
func TestTrainFisherLimitsZH(t *testing.T) {
	c := zhCard(t, nil)
	for i := range c.Training {
		c.Training[i].Epochs = 8
	}
	env := NewEnv(c, t.TempDir(), nil, nil)
	res, err := Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range res.Stages {
		if st.Name != "plots" && st.Name != "generate" && st.Name != "shower" && st.Name != "posterior" && st.Status != "ran" {
			t.Errorf("stage %s: %s", st.Name, st.Status)
		}
	}
	fr, err := Fisher(env) // recomputed: the run wrote it already
	if err != nil {
		t.Fatal(err)
	}
	info := map[string][][]float64{}
	for _, r := range fr.Points[0].Results {
		info[r.Name] = r.Information
	}
	truth, rate, sally := info["truth"], info["rate"], info["sally"]
	if sally == nil {
		t.Fatalf("no SALLY information: %+v", fr.Points[0].Results)
	}
	// The SALLY information includes the rate and is bounded by the
	// parton-level truth (up to the network's imperfection): its diagonal
	// lies between the rate's and 1.2 × the truth's.
	for p := 0; p < 2; p++ {
		if !(sally[p][p] > rate[p][p] && sally[p][p] < 1.2*truth[p][p]) {
			t.Errorf("I_sally[%d][%d] = %g outside (rate %g, 1.2 × truth %g)", p, p, sally[p][p], rate[p][p], truth[p][p])
		}
	}
	lr, err := Limits(env)
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]bool{}
	for _, r := range lr.Points[0].Results {
		modes[r.Mode] = true
		for i, p := range r.PValues {
			if !(p >= 0 && p <= 1) || math.IsNaN(p) {
				t.Fatalf("%s: p[%d] = %v", r.Mode, i, p)
			}
		}
		// The normalised ml likelihood (the default) peaks at θ_true for
		// its Asimov data when θ_true is the ratio's θ1 (Gibbs'
		// inequality), however well the network was trained.
		if r.Mode == "sally" || r.Mode == "ml" {
			sm := limits.Nearest(r.Points, []float64{0, 0})
			if r.PValues[sm] < 0.05 {
				t.Errorf("%s: the SM is excluded by its own Asimov data (p = %v)", r.Mode, r.PValues[sm])
			}
		}
	}
	// Without normalisation the ml scan is MadMiner's: a different result.
	var normed []float64
	for _, r := range lr.Points[0].Results {
		if r.Mode == "ml" {
			normed = r.Q
		}
	}
	for i := range c.Limits.Scans {
		f := false
		c.Limits.Scans[i].Normalize = &f
	}
	plain, err := Limits(env)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range plain.Points[0].Results {
		if r.Mode == "ml" && slices.Equal([]float64(r.Q), normed) {
			t.Error("ml scan unchanged by normalize: false")
		}
	}
	for _, m := range []string{"rate", "histo", "sally", "ml"} {
		if !modes[m] {
			t.Errorf("no %s scan", m)
		}
	}

	// goldmine evaluate gives what the model gives when called directly.
	xPath := env.Path("samples", "alices", "x_train.npy")
	model, err := ml.Load(env.Path("models", "alices"))
	if err != nil {
		t.Fatal(err)
	}
	xm, err := store.ReadMatrix(xPath, ml.Observables(model))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := ml.Evaluate(model, xm, [][]float64{{0.1, -0.05}, {0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	shape, got := ev[0].Shape, ev[0].Data
	if ev[0].Name != "log_r_hat" || ev[1].Name != "t_hat" {
		t.Errorf("evaluate gave %s and %s, want log_r_hat and t_hat", ev[0].Name, ev[1].Name)
	}
	fn, nObs, density, err := logRatio(env, "alices")
	if err != nil {
		t.Fatal(err)
	}
	if density {
		t.Error("ALICES reported as a likelihood model: its ratio would not be normalised")
	}
	// Its scans evaluate all grid points in one pass (its parameters are
	// the card's physics parameters); a score model has no log-ratio grid.
	if logRatioGrid(env, "alices") == nil || logRatioGrid(env, "sally") != nil {
		t.Error("log-ratio grid: want one for alices and none for sally")
	}
	// The normaliser knows ALICES's θ1 (the card's benchmark sm) and no θ1
	// for a score model.
	ef, _, err := eventsMorpher(env)
	if err != nil {
		t.Fatal(err)
	}
	h := ef.Header()
	ef.Close()
	if th := modelTheta1(c, h, "alices"); len(th) != 2 || th[0] != 0 || th[1] != 0 {
		t.Errorf("θ1 of alices: %v, want the SM (0, 0)", th)
	}
	if th := modelTheta1(c, h, "sally"); th != nil {
		t.Errorf("θ1 of sally: %v, want none", th)
	}
	_, x, err := store.ReadNPY(xPath)
	if err != nil {
		t.Fatal(err)
	}
	n := len(x) / nObs
	if shape[0] != 2 || shape[1] != n {
		t.Fatalf("log_r_hat shape %v, want [2 %d]", shape, n)
	}
	want := make([]float64, n)
	if err := fn(want, x, []float64{0.1, -0.05}); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("event %d: evaluate %v, model %v", i, got[i], want[i])
		}
	}
	if _, err := ml.Evaluate(model, xm, nil); err == nil {
		t.Error("a ratio model evaluated without parameter points")
	}
}

// TestTrainValidationSample trains SALLY with validation_sample: the
// validation loss of the restored best epoch must be the MSE of the saved
// model on that sample's events (with a validation_split of the training
// sample it would be the loss on a quarter of the training rows), and the
// training sample is used whole.
func TestTrainValidationSample(t *testing.T) {
	val := "    - name: sally_val\n      method: local\n      theta: {benchmark: sm}\n      n_samples: 600\n      partition: validation\n"
	edit := smallZH(t, val)
	env := NewEnv(zhCard(t, func(s string) string {
		s = edit(s)
		return strings.Replace(s, "    sample: sally\n    hidden: [10]\n    epochs: 1\n", "    sample: sally\n    validation_sample: sally_val\n    hidden: [10]\n    epochs: 4\n", 1)
	}), t.TempDir(), nil, nil)
	if tr := env.Card.Training[0]; tr.ValidationSample != "sally_val" || tr.ValidationSplit != 0 {
		t.Fatalf("training entry: validation sample %q, split %g", tr.ValidationSample, tr.ValidationSplit)
	}
	if _, err := Setup(env); err != nil {
		t.Fatal(err)
	}
	if _, err := Analyse(env); err != nil {
		t.Fatal(err)
	}
	if _, err := Augment(env); err != nil {
		t.Fatal(err)
	}
	res, err := Train(env)
	if err != nil {
		t.Fatal(err)
	}
	est, err := ml.Load(env.Path("models", "sally"))
	if err != nil {
		t.Fatal(err)
	}
	s := est.(*ml.ScoreEstimator)
	if !s.Settings.ExternalValidation {
		t.Error("the model's settings do not record the external validation")
	}
	r, err := sampling.Read(env.Path("samples", "sally_val"), sampling.Local, partition.Validation, -1, 2)
	if err != nil {
		t.Fatal(err)
	}
	pred, err := s.Score(nil, mat.NewDense(r.N, r.NObs, r.X), ml.Keep)
	if err != nil {
		t.Fatal(err)
	}
	// The validation loss is the mean of the batch losses (128 rows, the
	// last batch shorter), as MadMiner's.
	var mse float64
	p, nb := pred.RawMatrix().Data, 0
	for lo := 0; lo < r.N; lo += 128 {
		hi := min(lo+128, r.N)
		var b float64
		for i := 2 * lo; i < 2*hi; i++ {
			d := p[i] - r.TXZ0[i]
			b += d * d / float64(2*(hi-lo))
		}
		mse += b
		nb++
	}
	mse /= float64(nb)
	m := res.Models[0]
	if best := slices.Min(m.ValLoss); len(m.ValLoss) != 4 || math.Abs(mse-best) > 1e-9*best {
		t.Errorf("MSE on sally_val %.12g, best validation loss %.12g of %v", mse, best, m.ValLoss)
	}
	if m.Samples != 2000 {
		t.Errorf("trained on %d samples, want all 2000", m.Samples)
	}
}
