// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"math"
	"testing"

	"github.com/goldmine-hep/goldmine/partition"
)

// TestExactLogRatiosZH draws test events of the 30k ZH sample at five θ0
// (near the SM to the corners of the parameter ranges) and checks that
// each row's log r is the morphing of that very event's weights,
// log[dσ_i(θ0)/σ(θ0)] − log[dσ_i(SM)/σ(SM)], with σ summed directly over
// the test partition; that every row is a test event drawn from its θ0;
// and that E_θ0[1/r] = 1, the normalisation of p(x|θ1), within its
// statistical error.
func TestExactLogRatiosZH(t *testing.T) {
	d := loadZH(t)
	cfg := zhConfig(d)
	cfg.Seed = 7
	theta0 := [][]float64{{0.05, -0.02}, {0.3, 0.1}, {-0.5, 0.5}, {0.9, -0.9}, {-1, -1}}
	n := 2000
	if testing.Short() {
		n = 400
	}
	res, err := ExactLogRatios(d.src, cfg, MorphingPoints(theta0), Benchmark(0), n)
	if err != nil {
		t.Fatal(err)
	}
	if res.N != n*len(theta0) || len(res.LogR) != res.N || res.NObs != 7 || res.NParams != 2 {
		t.Fatalf("%d rows (%d log r), %d observables, %d parameters", res.N, len(res.LogR), res.NObs, res.NParams)
	}
	start, end, err := partition.Bounds(d.src.NumEvents(), partition.Test, partition.Default())
	if err != nil {
		t.Fatal(err)
	}
	s1, _ := direct(d, start, end, 1, d.benchmarks[0])
	w1 := d.morpher.WeightsTo(nil, d.benchmarks[0])
	idx := eventIndex(d)
	type acc struct {
		n          int
		inv, inv2  float64
		maxDiff    float64
		w0         []float64
		sigma      float64
		minL, maxL float64
	}
	per := map[[2]float64]*acc{}
	for _, th := range theta0 {
		s0, _ := direct(d, start, end, 1, th)
		per[[2]float64{th[0], th[1]}] = &acc{w0: d.morpher.WeightsTo(nil, th), sigma: s0, minL: math.Inf(1), maxL: math.Inf(-1)}
	}
	for row := 0; row < res.N; row++ {
		x := res.X[row*res.NObs : (row+1)*res.NObs]
		i, ok := idx[[3]float64{x[0], x[1], x[6]}]
		if !ok {
			t.Fatalf("row %d: drawn x is not an event", row)
		}
		if i < start || i >= end {
			t.Fatalf("row %d: event %d outside the test partition [%d, %d)", row, i, start, end)
		}
		th0, th1 := res.Theta0[2*row:2*row+2], res.Theta1[2*row:2*row+2]
		a := per[[2]float64{th0[0], th0[1]}]
		if a == nil || th1[0] != 0 || th1[1] != 0 {
			t.Fatalf("row %d: θ0 %v θ1 %v", row, th0, th1)
		}
		ev := d.src.W[i]
		want := math.Log(dot(a.w0, ev[:len(a.w0)])/a.sigma) - math.Log(dot(w1, ev[:len(w1)])/s1)
		diff := math.Abs(res.LogR[row] - want)
		a.maxDiff = math.Max(a.maxDiff, diff)
		a.minL, a.maxL = math.Min(a.minL, want), math.Max(a.maxL, want)
		inv := math.Exp(-res.LogR[row])
		a.n++
		a.inv += inv
		a.inv2 += inv * inv
	}
	for _, th := range theta0 {
		a := per[[2]float64{th[0], th[1]}]
		mean := a.inv / float64(a.n)
		se := math.Sqrt((a.inv2/float64(a.n) - mean*mean) / float64(a.n))
		t.Logf("θ0 %v: %d rows, log r in [%.3g, %.3g], largest |Δ log r| %.2g, E_θ0[1/r] = %.4f ± %.4f", th, a.n, a.minL, a.maxL, a.maxDiff, mean, se)
		if a.n != n {
			t.Errorf("θ0 %v: %d rows, want %d", th, a.n, n)
		}
		if a.maxDiff > 1e-10 {
			t.Errorf("θ0 %v: log r differs from the morphing of the event's weights by up to %.3g", th, a.maxDiff)
		}
		if math.Abs(mean-1) > 4*se+1e-12 {
			t.Errorf("θ0 %v: E_θ0[1/r] = %.5f ± %.5f, want 1", th, mean, se)
		}
	}
}

func TestExactLogRatiosErrors(t *testing.T) {
	d := loadZH(t)
	cfg := zhConfig(d)
	for _, tc := range []struct {
		name           string
		theta0, theta1 ThetaSpec
		n              int
	}{
		{"no events", MorphingPoint(0, 0), Benchmark(0), 0},
		{"empty θ0", ThetaSpec{}, Benchmark(0), 10},
		{"two θ0 specifications", ThetaSpec{Benchmarks: []int{0}, Points: [][]float64{{0, 0}}}, Benchmark(0), 10},
		{"θ1 unpaired", MorphingPoints([][]float64{{0, 0}, {0.1, 0}, {0.2, 0}}), Benchmarks(0, 1), 10},
	} {
		if _, err := ExactLogRatios(d.src, cfg, tc.theta0, tc.theta1, tc.n); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
