// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func sameBits(t *testing.T, what string, a, b []float64) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: lengths %d and %d", what, len(a), len(b))
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("%s: value %d differs: %v vs %v", what, i, a[i], b[i])
		}
	}
}

// saveLoad saves e into dir and loads it back.
func saveLoad(t *testing.T, e Estimator, dir string) Estimator {
	t.Helper()
	if err := e.Save(dir); err != nil {
		t.Fatal(err)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// evalFunc is the form of LogRatio and LogLikelihood: values and, if
// score is not nil, scores at the paired rows of x and theta.
type evalFunc func(dst []float64, score *mat.Dense, x, theta mat.Matrix) ([]float64, error)

// sameEval checks that want and got (of an estimator and of its reloaded
// copy) give the same bits for the values and the scores at x and theta,
// and returns the values.
func sameEval(t *testing.T, what string, want, got evalFunc, x, theta mat.Matrix) []float64 {
	t.Helper()
	sa, sb := &mat.Dense{}, &mat.Dense{}
	a, errA := want(nil, sa, x, theta)
	b, errB := got(nil, sb, x, theta)
	if err := errors.Join(errA, errB); err != nil {
		t.Fatal(err)
	}
	sameBits(t, what+" values", a, b)
	sameBits(t, what+" scores", sa.RawMatrix().Data, sb.RawMatrix().Data)
	return a
}

// TestSaveLoad trains each estimator type briefly, saves it, loads it and
// checks that the predictions are bit-identical.
func TestSaveLoad(t *testing.T) {
	rnd := rand.New(rand.NewPCG(31, 32))
	d := toyData(rnd, 300, 4, 2)
	s := &Settings{Seed: 3, Epochs: 2}
	dir := t.TempDir()

	score := &ScoreEstimator{Hidden: []int{9, 7}, Activation: ELU, Features: []int{3, 0, 2}}
	if _, err := score.Train(SALLINO, d.X, d.TXZ, s); err != nil {
		t.Fatal(err)
	}
	fisher := mat.NewSymDense(2, []float64{2, 0.5, 0.5, 1})
	if err := score.SetNuisance(fisher, []int{1}); err != nil {
		t.Fatal(err)
	}
	ratio := &ParameterizedRatioEstimator{Hidden: []int{8}, Activation: Sigmoid}
	if _, err := ratio.Train(ALICES, d, s); err != nil {
		t.Fatal(err)
	}
	double := &DoubleParameterizedRatioEstimator{Hidden: []int{8}}
	if _, err := double.Train(RASCAL, d, s); err != nil {
		t.Fatal(err)
	}
	flow := &LikelihoodEstimator{Hidden: []int{8}, NMADEs: 2}
	if _, err := flow.Train(SCANDAL, d, s); err != nil {
		t.Fatal(err)
	}
	{
		l := saveLoad(t, score, filepath.Join(dir, "score")).(*ScoreEstimator)
		for _, mode := range []NuisanceMode{Keep, Profile, Project} {
			a, err := score.Score(nil, d.X, mode)
			if err != nil {
				t.Fatal(err)
			}
			b, err := l.Score(nil, d.X, mode)
			if err != nil {
				t.Fatal(err)
			}
			sameBits(t, "score "+string(mode), a.RawMatrix().Data, b.RawMatrix().Data)
		}
		if !reflect.DeepEqual(l.History, score.History) || l.Method != SALLINO {
			t.Error("score: history or method not restored")
		}
	}
	lr := saveLoad(t, ratio, filepath.Join(dir, "ratio")).(*ParameterizedRatioEstimator)
	sameEval(t, "ratio", ratio.LogRatio, lr.LogRatio, d.X, d.Theta)
	{
		l := saveLoad(t, double, filepath.Join(dir, "double")).(*DoubleParameterizedRatioEstimator)
		a0, a1, b0, b1 := &mat.Dense{}, &mat.Dense{}, &mat.Dense{}, &mat.Dense{}
		a, _ := double.LogRatio(nil, a0, a1, d.X, d.Theta, d.Theta1)
		b, err := l.LogRatio(nil, b0, b1, d.X, d.Theta, d.Theta1)
		if err != nil {
			t.Fatal(err)
		}
		sameBits(t, "double log r", a, b)
		sameBits(t, "double t0", a0.RawMatrix().Data, b0.RawMatrix().Data)
		sameBits(t, "double t1", a1.RawMatrix().Data, b1.RawMatrix().Data)
	}
	lf := saveLoad(t, flow, filepath.Join(dir, "flow")).(*LikelihoodEstimator)
	sameEval(t, "flow", flow.LogLikelihood, lf.LogLikelihood, d.X, d.Theta)

	// Corrupt model directories give errors, not panics.
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing directory: no error")
	}
	os.Remove(filepath.Join(dir, "ratio", "layers.0.bias.npy"))
	if _, err := Load(filepath.Join(dir, "ratio")); err == nil {
		t.Error("missing tensor: no error")
	}
	os.WriteFile(filepath.Join(dir, "double", "model.json"), []byte(`{"format": "goldmine-ml-model/1", "bogus": 1}`), 0o644)
	if _, err := Load(filepath.Join(dir, "double")); err == nil {
		t.Error("unknown field: no error")
	}
}
