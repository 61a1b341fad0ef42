// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestMadMinerSALLY loads the weights of a SALLY network trained by
// MadMiner (hidden (50,50), tanh; ../shared/reference/zh/
// sally_seed1_weights_and_first20.json, see ../shared/README.md) into a
// ScoreEstimator and compares our scores on the first 20 events with
// MadMiner's evaluate_score. MadMiner evaluates in float32 (torch's
// default dtype), so our float64 result can differ from it by a few 1e−6
// of the score scale: a naive float32 evaluation of the same network
// (computed below) differs from MadMiner by ~1e−5, which sets the scale
// of single-precision noise. We require 5e−6 and that the float64 result
// is closer to MadMiner than that noise scale.
func TestMadMinerSALLY(t *testing.T) {
	p := repotest.Shared(t, "reference/zh/sally_seed1_weights_and_first20.json")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		XMeans []float64 `json:"x_means"`
		XStds  []float64 `json:"x_stds"`
		Layers []struct {
			Name   string          `json:"name"`
			Shape  []int           `json:"shape"`
			Values json.RawMessage `json:"values"`
		} `json:"layers"`
		X        [][]float64 `json:"x_first20_events"`
		THat     [][]float64 `json:"t_hat_first20_events_from_madminer_evaluate_score"`
		Settings struct {
			NObs       int    `json:"n_observables"`
			NParams    int    `json:"n_parameters"`
			NHidden    []int  `json:"n_hidden"`
			Activation string `json:"activation"`
		} `json:"settings"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	e := &ScoreEstimator{Hidden: ref.Settings.NHidden, Activation: Activation(ref.Settings.Activation)}
	e.NObservables, e.NParameters = ref.Settings.NObs, ref.Settings.NParams
	e.XScaling = Scaling{Mean: ref.XMeans, Std: ref.XStds}
	e.Net = &MLP{Sizes: layerSizes(e.NObservables, e.Hidden, e.NParameters), Act: e.Activation}
	e.Net.Params = make([]float64, e.Net.NumParams())
	if len(ref.Layers) != 2*e.Net.NumLayers() {
		t.Fatalf("got %d tensors, want %d", len(ref.Layers), 2*e.Net.NumLayers())
	}
	for l := 0; l < e.Net.NumLayers(); l++ {
		var w [][]float64
		var b []float64
		if err := json.Unmarshal(ref.Layers[2*l].Values, &w); err != nil {
			t.Fatalf("%s: %v", ref.Layers[2*l].Name, err)
		}
		if err := json.Unmarshal(ref.Layers[2*l+1].Values, &b); err != nil {
			t.Fatalf("%s: %v", ref.Layers[2*l+1].Name, err)
		}
		wm := mat.NewDense(len(w), len(w[0]), nil)
		for i := range w {
			wm.SetRow(i, w[i])
		}
		if err := e.Net.SetLayer(l, wm, b); err != nil {
			t.Fatal(err)
		}
	}
	x := mat.NewDense(len(ref.X), len(ref.X[0]), nil)
	for i := range ref.X {
		x.SetRow(i, ref.X[i])
	}
	got, err := e.Score(nil, x, Keep)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i, want := range ref.THat {
		for j, w := range want {
			g := got.At(i, j)
			// Relative to the score scale of the event, so that a
			// component near zero is not judged on float32 noise alone.
			scale := math.Max(math.Abs(want[0]), math.Abs(want[1]))
			if e := math.Abs(g-w) / scale; e > worst {
				worst = e
			}
			if math.Abs(g-w) > 5e-6*scale {
				t.Errorf("event %d component %d: got %.10g, MadMiner %.10g (rel %.2g)", i, j, g, w, math.Abs(g-w)/scale)
			}
		}
	}
	t.Logf("largest relative deviation of float64 from MadMiner: %.3g", worst)

	// float32 emulation: inputs, weights and every intermediate rounded
	// to single precision.
	worst32 := 0.0
	for i, want := range ref.THat {
		v := make([]float32, e.NObservables)
		for j := range v {
			v[j] = (float32(ref.X[i][j]) - float32(ref.XMeans[j])) / float32(ref.XStds[j])
		}
		for l := 0; l < e.Net.NumLayers(); l++ {
			w, b := e.Net.layer(l)
			nin, nout := e.Net.Sizes[l], e.Net.Sizes[l+1]
			next := make([]float32, nout)
			for o := 0; o < nout; o++ {
				s := float32(b[o])
				for k := 0; k < nin; k++ {
					s += float32(w[o*nin+k]) * v[k]
				}
				if l < e.Net.NumLayers()-1 {
					s = float32(math.Tanh(float64(s)))
				}
				next[o] = s
			}
			v = next
		}
		scale := math.Max(math.Abs(want[0]), math.Abs(want[1]))
		for j, w := range want {
			if e := math.Abs(float64(v[j])-w) / scale; e > worst32 {
				worst32 = e
			}
		}
	}
	t.Logf("largest relative deviation of float32 emulation from MadMiner: %.3g", worst32)
	if worst > worst32 {
		t.Errorf("float64 deviates by %.3g from MadMiner, more than float32 noise %.3g", worst, worst32)
	}
}
