// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestSampleRatioLayout(t *testing.T) {
	sim := allDistsFixed
	th0 := [][]float64{{0.1, -0.3}, {0.2, 0.1}, {-0.4, 0.0}}
	th1 := [][]float64{{0.3, -0.2}}
	const n = 101
	a, err := SampleRatio(sim, th0, th1, n, &Config{Seed: 4, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := SampleRatio(sim, th0, th1, n, &Config{Seed: 4, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.X, b.X) || !slices.Equal(a.RXZ, b.RXZ) || !slices.Equal(a.TXZ0, b.TXZ0) || !slices.Equal(a.TXZ1, b.TXZ1) {
		t.Error("results depend on the number of workers")
	}
	if a.N != n || a.NObs != 6 || a.NParams != 2 || len(a.X) != n*6 || len(a.Theta0) != 2*n || len(a.Theta1) != 2*n {
		t.Fatalf("shape N=%d NObs=%d NParams=%d", a.N, a.NObs, a.NParams)
	}
	for i := 0; i < n; i++ {
		if a.Y[i] != float64(i%2) {
			t.Fatalf("y[%d] = %v", i, a.Y[i])
		}
		want0, want1 := th0[i%3], th1[0]
		if !slices.Equal(a.Theta0[2*i:2*i+2], want0) || !slices.Equal(a.Theta1[2*i:2*i+2], want1) {
			t.Fatalf("row %d: θ0 %v θ1 %v", i, a.Theta0[2*i:2*i+2], a.Theta1[2*i:2*i+2])
		}
		// Re-simulate the event on its own: same x, and the gold equals
		// that of JointRatio on its trace.
		gen := want0
		if i%2 == 1 {
			gen = want1
		}
		run, err := Simulate(sim, gen, rand.NewPCG(4, uint64(i)))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(run.X, a.X[6*i:6*i+6]) {
			t.Fatalf("row %d: x differs from a single simulation", i)
		}
		logR, t0, t1, err := JointRatio(sim, run.Trace, want0, want1)
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinAbsOrRel(a.RXZ[i], math.Exp(logR), 0, 1e-12) || !slices.Equal(a.TXZ0[2*i:2*i+2], t0) || !slices.Equal(a.TXZ1[2*i:2*i+2], t1) {
			t.Fatalf("row %d: r %v t0 %v t1 %v, want %v %v %v", i, a.RXZ[i], a.TXZ0[2*i:2*i+2], a.TXZ1[2*i:2*i+2], math.Exp(logR), t0, t1)
		}
	}
}

func TestSampleScore(t *testing.T) {
	g := Galton{Rows: 6}
	s, err := SampleScore(g.Simulate, [][]float64{{0.2}, {-0.1}}, 10, &Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if s.Y != nil || s.RXZ != nil || s.Theta1 != nil || len(s.TXZ0) != 10 || s.NObs != 1 {
		t.Errorf("score sample layout: %+v", s)
	}
	for i := 0; i < 10; i++ {
		th := []float64{[]float64{0.2, -0.1}[i%2]}
		run, _ := Simulate(g.Simulate, th, rand.NewPCG(1, uint64(i)))
		if s.Theta0[i] != th[0] || s.X[i] != run.X[0] || s.TXZ0[i] != run.Score[0] {
			t.Errorf("row %d differs from a single simulation", i)
		}
	}
}

func TestSampleErrors(t *testing.T) {
	g := Galton{}.Simulate
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"no theta", errOf(SampleScore(g, nil, 5, nil)), "no theta points"},
		{"n", errOf(SampleScore(g, [][]float64{{0}}, 0, nil)), "0 events"},
		{"nan", errOf(SampleRatio(g, [][]float64{{math.NaN()}}, [][]float64{{0}}, 5, nil)), "theta0 point 0 parameter 0 is NaN"},
		{"dims", errOf(SampleRatio(g, [][]float64{{0}}, [][]float64{{0, 1}}, 5, nil)), "theta1 point 0 has 2 parameters, want 1"},
		{"sim", errOf(SampleScore(LotkaVolterra{}.Simulate, [][]float64{{0}}, 5, nil)), "event 0: simulators: draw 0: Lotka–Volterra needs 4 parameters"},
		{"nobs", errOf(SampleScore(func(th []Dual, t *Tracer) []float64 {
			return make([]float64, 1+t.Poisson(Const(3)))
		}, [][]float64{{0}}, 50, &Config{Workers: 1})), "observables, earlier events"},
		{"overflow", errOf(SampleRatio(Gaussian{SigmaZ: 1e-3}.Simulate, [][]float64{{0}}, [][]float64{{100}}, 4, nil)), "out of range"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) || !strings.HasPrefix(c.err.Error(), "simulators: ") {
			t.Errorf("%s: error %v, want %q", c.name, c.err, c.want)
		}
	}
}

func errOf(_ *Sample, err error) error { return err }

// BenchmarkGaltonSampleRatio times the mining of 1000 ratio events.
func BenchmarkGaltonSampleRatio(b *testing.B) {
	b.ReportAllocs()
	g := Galton{}
	for i := 0; i < b.N; i++ {
		if _, err := SampleRatio(g.Simulate, [][]float64{{0.3}}, [][]float64{{0}}, 1000, &Config{Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLotkaVolterra times one full simulation (T = 30) with its score.
func BenchmarkLotkaVolterra(b *testing.B) {
	b.ReportAllocs()
	lv := LotkaVolterra{}
	for i := 0; i < b.N; i++ {
		if _, err := SampleScore(lv.Simulate, [][]float64{LotkaVolterraTheta}, 1, &Config{Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
}
