// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"testing"
)

// softmaxToy is a discrete model with K+1 outcomes,
// p(x|θ) ∝ exp(θ·(x − K/2) − (x − K/2)²/8), whose normalisation is exact.
type softmaxToy struct{ k int }

func (s softmaxToy) probs(dst []float64, theta float64) []float64 {
	if dst == nil {
		dst = make([]float64, s.k+1)
	}
	sum := 0.0
	for x := range dst {
		u := float64(x) - float64(s.k)/2
		dst[x] = math.Exp(theta*u - u*u/8)
		sum += dst[x]
	}
	for x := range dst {
		dst[x] /= sum
	}
	return dst
}

// TestNormalization checks the normalised ml likelihood on a discrete toy
// whose reference events are all outcomes with their exact probabilities,
// so that the estimate of Z(θ) is exact: a ratio model off by a
// θ-dependent factor biases the plain scan, and normalisation (with θ1
// known, or from E_θ[1/r̂]) gives back the scan of the exact ratio at
// every point; the exact ratio is left unchanged.
func TestNormalization(t *testing.T) {
	toy := softmaxToy{k: 12}
	const theta1, thetaTrue, nEvents = 0.0, 0.2, 400.0
	xs := make([]float64, toy.k+1)
	for x := range xs {
		xs[x] = float64(x)
	}
	p1 := toy.probs(nil, theta1)
	exactLR := func(dst, x, params []float64) error {
		p := toy.probs(nil, params[0])
		for i, v := range x {
			dst[i] = math.Log(p[int(v)] / p1[int(v)])
		}
		return nil
	}
	// The offset is what a network trained on finite data may learn: a
	// smooth function of θ alone, zero at θ1.
	offsetLR := func(dst, x, params []float64) error {
		if err := exactLR(dst, x, params); err != nil {
			return err
		}
		for i := range dst {
			dst[i] += 0.3 * params[0] * (1 + params[0])
		}
		return nil
	}
	weights := func(dst, theta []float64) []float64 { return toy.probs(dst, theta[0]) }
	pt := toy.probs(nil, thetaTrue)
	data := &Data{Dim: 1, X: xs, Weight: make([]float64, len(xs)), N: nEvents}
	for i, p := range pt {
		data.Weight[i] = nEvents * p
	}
	points, err := Grid{Ranges: [][2]float64{{-0.4, 0.8}}, Resolutions: []int{25}}.Points()
	if err != nil {
		t.Fatal(err)
	}
	set := &Settings{Bounds: [][2]float64{{-0.4, 0.8}}}
	scan := func(lr LogRatioFunc, norm *Normalization) *Result {
		t.Helper()
		r, err := Scan(&ML{Params: 1, LogRatio: lr, Norm: norm}, data, points, set)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	exact := scan(exactLR, nil)
	if math.Abs(exact.BestFit[0]-thetaTrue) > 1e-4 {
		t.Fatalf("exact ratio: best fit %v, want %v", exact.BestFit, thetaTrue)
	}
	biased := scan(offsetLR, nil)
	if d := math.Abs(biased.BestFit[0] - thetaTrue); d < 0.05 {
		t.Fatalf("test too weak: the offset moves the best fit by only %.3g", d)
	}
	for _, tc := range []struct {
		name string
		lr   LogRatioFunc
		norm *Normalization
	}{
		{"offset, θ1 known", offsetLR, &Normalization{X: xs, Weights: weights, Theta1: []float64{theta1}}},
		{"offset, θ1 unknown", offsetLR, &Normalization{X: xs, Weights: weights}},
		{"exact, θ1 known", exactLR, &Normalization{X: xs, Weights: weights, Theta1: []float64{theta1}}},
	} {
		got := scan(tc.lr, tc.norm)
		if math.Abs(got.BestFit[0]-exact.BestFit[0]) > 1e-5 {
			t.Errorf("%s: best fit %v, exact ratio %v", tc.name, got.BestFit, exact.BestFit)
		}
		for k := range points {
			if d := math.Abs(got.Q[k] - exact.Q[k]); d > 1e-6*math.Max(1, exact.Q[k]) {
				t.Errorf("%s: q(%v) = %v, exact ratio %v", tc.name, points[k], got.Q[k], exact.Q[k])
			}
		}
	}

	// Bad reference input is an error, not a wrong answer.
	for _, norm := range []*Normalization{
		{X: xs},                       // no weights
		{X: xs[:0], Weights: weights}, // no events
		{X: xs, Weights: func(dst, theta []float64) []float64 { return []float64{1} }, Theta1: []float64{0}},
	} {
		if _, err := (&ML{Params: 1, LogRatio: exactLR, Norm: norm}).Bind(data); err == nil {
			t.Errorf("normalisation %+v accepted", norm)
		}
	}
	// Without θ1 the weights are asked at every θ: a wrong length there is
	// an error of the scan.
	short := &Normalization{X: xs, Weights: func(dst, theta []float64) []float64 { return []float64{1} }}
	if _, err := Scan(&ML{Params: 1, LogRatio: offsetLR, Norm: short}, data, points, set); err == nil {
		t.Error("reference weights of the wrong length accepted")
	}
}
