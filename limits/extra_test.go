// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPseudoData: the number of events is Poisson with mean L σ(θ) and the
// events follow the weights at θ.
func TestPseudoData(t *testing.T) {
	m := quadMorpher(t, toyBasis)
	s, _ := quadToy(5000, 3)
	theta := []float64{0.4, -0.2}
	const lumi = 2e4
	rnd := rand.New(rand.NewPCG(5, 6))
	mu := lumi * func() float64 {
		w := s.WeightsAt(nil, m, theta)
		t := 0.0
		for _, v := range w {
			t += v
		}
		return t
	}()
	// E[x0] under (1+θ·x)²/σ with x uniform on [−1,1]²: (2θ0/3)/(1+|θ|²/3).
	wantMean := (2 * theta[0] / 3) / (1 + (theta[0]*theta[0]+theta[1]*theta[1])/3)
	const reps = 300
	sumN, sumX, cnt := 0.0, 0.0, 0.0
	for r := 0; r < reps; r++ {
		d, err := PseudoData(m, s, theta, lumi, rnd)
		if err != nil {
			t.Fatal(err)
		}
		sumN += d.N
		tot := 0.0
		for i, c := range d.Weight {
			sumX += c * d.X[2*i]
			tot += c
		}
		cnt += tot
		if tot != d.N {
			t.Fatalf("toy %d: multiplicities sum to %v, N = %v", r, tot, d.N)
		}
	}
	if mean := sumN / reps; math.Abs(mean-mu) > 4*math.Sqrt(mu/reps) {
		t.Errorf("mean number of events %v, want %v", mean, mu)
	}
	// The sample's own mean (5000 events) carries a statistical error of
	// about 0.6/√5000; the toys add less.
	if got := sumX / cnt; math.Abs(got-wantMean) > 0.03 {
		t.Errorf("mean x0 %v, want %v", got, wantMean)
	}
}

// TestObservedAndShapeNuisance: observed data bind like Asimov data with
// unit multiplicities; a bin-independent shape effect cancels in the
// normalised histogram, a bin-dependent one widens the scan.
func TestObservedAndShapeNuisance(t *testing.T) {
	m := quadMorpher(t, toyBasis)
	train, _ := quadToy(20000, 7)
	test, _ := quadToy(5000, 8)
	rnd := rand.New(rand.NewPCG(1, 1))
	d, err := PseudoData(m, test, []float64{0.1, 0}, 1e5, rnd)
	if err != nil {
		t.Fatal(err)
	}
	var x []float64
	for i, c := range d.Weight {
		for k := 0; k < int(c); k++ {
			x = append(x, d.X[2*i:2*i+2]...)
		}
	}
	obs := Observed(x, 2)
	// Expected data of as many events as observed, from the same events,
	// weigh each of them N/n.
	if ex := Expected(x, 2, 2*obs.N); ex.N != 2*obs.N || len(ex.Weight) != len(obs.Weight) || ex.Weight[0] != 2 || ex.Weight[len(ex.Weight)-1] != 2 {
		t.Errorf("expected data: N %v, %d weights %v…", ex.N, len(ex.Weight), ex.Weight[0])
	}
	points, _ := Grid{Ranges: [][2]float64{{-0.3, 0.4}, {-0.3, 0.3}}, Resolutions: []int{8, 7}}.Points()
	mk := func(shape [][]Effect, nn int) *Histo {
		h, err := NewHisto(m, train, HistoConfig{Bins: []Binning{{N: 6}, {N: 6}}, BinningThetas: points, NumNuisance: nn, Shape: shape})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	plain := mk(nil, 0)
	r0, err := Scan(plain, obs, points, nil)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := Scan(plain, d, points, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range points {
		if math.Abs(r0.Q[i]-r1.Q[i]) > 1e-6*math.Max(1, r1.Q[i]) {
			t.Fatalf("observed events and multiplicities disagree at %v: %v vs %v", points[i], r0.Q[i], r1.Q[i])
		}
	}
	nb := 36
	flat := make([]Effect, nb)
	tilt := make([]Effect, nb)
	for k := range flat {
		flat[k] = Effect{A: 0.1}
		tilt[k] = Effect{A: 0.05 * float64(k/6-3)} // along the first axis
	}
	rf, err := Scan(mk([][]Effect{flat}, 1), obs, points, nil)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := Scan(mk([][]Effect{tilt}, 1), obs, points, nil)
	if err != nil {
		t.Fatal(err)
	}
	wider := 0
	for i := range points {
		if math.Abs(rf.Q[i]-r0.Q[i]) > 1e-6*math.Max(1, r0.Q[i]) {
			t.Errorf("flat shape effect changed q at %v: %v vs %v", points[i], rf.Q[i], r0.Q[i])
		}
		if rt.Q[i] > r0.Q[i]+1e-6 {
			t.Errorf("profiling a shape nuisance raised q at %v: %v > %v", points[i], rt.Q[i], r0.Q[i])
		}
		if rt.Q[i] < r0.Q[i]-0.1 {
			wider++
		}
	}
	if wider == 0 {
		t.Error("a shape nuisance along the sensitive axis did not weaken the scan")
	}
}

func TestBadInput(t *testing.T) {
	m := quadMorpher(t, toyBasis)
	train, _ := quadToy(100, 9)
	train.X[2*17+1] = math.NaN()
	_, err := NewHisto(m, train, HistoConfig{Bins: []Binning{{N: 3}, {N: 3}}, BinningThetas: [][]float64{{0, 0}}})
	if err == nil || !strings.Contains(err.Error(), "event 17") {
		t.Errorf("NaN summary statistic: %v", err)
	}
	ml := &ML{Params: 2, LogRatio: func(dst, x, p []float64) error {
		for i := range dst {
			dst[i] = 0
		}
		dst[3] = math.NaN()
		return nil
	}}
	_, err = Scan(ml, Observed(make([]float64, 10), 2), [][]float64{{0, 0}}, nil)
	if err == nil || !strings.Contains(err.Error(), "event 3") {
		t.Errorf("NaN log r: %v", err)
	}
	if _, err := Scan(ml, Observed(make([]float64, 10), 2), [][]float64{{0}}, nil); err == nil {
		t.Error("point of the wrong dimension accepted")
	}
	s, _ := quadToy(10, 1)
	s.W[0] = -1
	if _, err := PseudoData(m, s, []float64{0, 0}, 1, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("negative weight accepted for pseudo-data")
	}
}

var sinkResult *Result

func BenchmarkScanHisto(b *testing.B) {
	m := quadMorpher(b, toyBasis)
	train, _ := quadToy(20000, 1)
	test, _ := quadToy(5000, 2)
	points, _ := Grid{Ranges: [][2]float64{{-0.3, 0.3}, {-0.3, 0.3}}, Resolutions: []int{11}}.Points()
	rate := &RateTerm{Morpher: m, Luminosity: 1e5, Sigma: test.SumWeights()}
	h, err := NewHisto(m, train, HistoConfig{BinningThetas: points, Rate: rate})
	if err != nil {
		b.Fatal(err)
	}
	d, _ := Asimov(m, test, []float64{0, 0}, 1e5)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkResult, _ = Scan(h, d, points, nil)
	}
}

func TestResultJSON(t *testing.T) {
	r := &Result{Points: [][]float64{{0}, {1}}, Q: Floats{0, math.Inf(1)}, PValues: Floats{1, 0}, LogLikelihood: Floats{-1, math.Inf(-1)}}
	b, err := json.Marshal(&Output{Luminosity: 3e5, Results: []*Result{r}})
	if err != nil {
		t.Fatal(err)
	}
	var back Output
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got := back.Results[0]
	if got.Q[0] != 0 || !math.IsNaN(got.Q[1]) || got.PValues[1] != 0 || got.LogLikelihood[0] != -1 {
		t.Errorf("round trip: %s", b)
	}
}
