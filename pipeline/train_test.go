// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
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
