// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
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
	for name, e := range map[string]Estimator{"score": score, "ratio": ratio, "double": double, "flow": flow} {
		if err := e.Save(filepath.Join(dir, name)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	load := func(name string) Estimator {
		e, err := Load(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return e
	}
	{
		l := load("score").(*ScoreEstimator)
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
	{
		l := load("ratio").(*ParameterizedRatioEstimator)
		sa, sb := &mat.Dense{}, &mat.Dense{}
		a, _ := ratio.LogRatio(nil, sa, d.X, d.Theta)
		b, err := l.LogRatio(nil, sb, d.X, d.Theta)
		if err != nil {
			t.Fatal(err)
		}
		sameBits(t, "ratio log r", a, b)
		sameBits(t, "ratio score", sa.RawMatrix().Data, sb.RawMatrix().Data)
	}
	{
		l := load("double").(*DoubleParameterizedRatioEstimator)
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
	{
		l := load("flow").(*LikelihoodEstimator)
		sa, sb := &mat.Dense{}, &mat.Dense{}
		a, _ := flow.LogLikelihood(nil, sa, d.X, d.Theta)
		b, err := l.LogLikelihood(nil, sb, d.X, d.Theta)
		if err != nil {
			t.Fatal(err)
		}
		sameBits(t, "flow log p", a, b)
		sameBits(t, "flow score", sa.RawMatrix().Data, sb.RawMatrix().Data)
	}

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
