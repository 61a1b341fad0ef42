// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// memEvents is an in-memory EventReader reading in batches of batch
// rows (0 means three).
type memEvents struct {
	nObs, nW int
	x, w     []float64
	batch    int
}

func (m *memEvents) Shape() (int, int, int) { return len(m.w) / m.nW, m.nObs, m.nW }

func (m *memEvents) ReadRows(start, end int, fn func(first, n int, x, w []float64) error) error {
	if end < 0 {
		end = len(m.w) / m.nW
	}
	b := m.batch
	if b == 0 {
		b = 3
	}
	for i := start; i < end; i += b {
		n := min(b, end-i)
		if err := fn(i, n, m.x[i*m.nObs:(i+n)*m.nObs], m.w[i*m.nW:(i+n)*m.nW]); err != nil {
			return err
		}
	}
	return nil
}

// oneBenchmark is the morphing of a single benchmark, w(θ) = 1.
type oneBenchmark struct{}

func (oneBenchmark) WeightsTo(dst, _ []float64) []float64   { return append(dst[:0], 1) }
func (oneBenchmark) GradientsTo(dst, _ []float64) []float64 { return append(dst[:0], 0) }
func (oneBenchmark) NumParams() int                         { return 1 }
func (oneBenchmark) NumBasis() int                          { return 1 }

// nuisanceEvents has one observable (0.25 or 0.75) and the weights
// (reference, up, down) of a nuisance parameter that scales the events
// below 0.5 by e^{±0.1} and those above by e^{+0.3} up and e^{−0.2} down.
func nuisanceEvents(n int) *memEvents {
	m := &memEvents{nObs: 1, nW: 3}
	for i := 0; i < n; i++ {
		x, ref := 0.25, 1.0+float64(i%4)
		up, down := ref*math.Exp(0.1), ref*math.Exp(-0.1)
		if i%2 == 1 {
			x, up, down = 0.75, ref*math.Exp(0.3), ref*math.Exp(-0.2)
		}
		m.x = append(m.x, x)
		m.w = append(m.w, ref, up, down)
	}
	return m
}

func TestRateAndShapeEffects(t *testing.T) {
	ev := nuisanceEvents(20)
	nb := NuisanceBenchmarks{Ref: 0, Up: []int{1}, Down: []int{2}}
	// Rate: the summed weights; their logs give a and b by hand.
	var r, u, d float64
	for i := 2; i < 14; i++ {
		r, u, d = r+ev.w[3*i], u+ev.w[3*i+1], d+ev.w[3*i+2]
	}
	rate, err := RateEffects(ev, 2, 14, nb)
	if err != nil {
		t.Fatal(err)
	}
	wa, wb := 0.5*(math.Log(u/r)-math.Log(d/r)), 0.5*(math.Log(u/r)+math.Log(d/r))
	if !scalar.EqualWithinAbs(rate[0].A, wa, 1e-14) || !scalar.EqualWithinAbs(rate[0].B, wb, 1e-14) {
		t.Errorf("rate effect %+v, want a %v b %v", rate[0], wa, wb)
	}

	// Shape: per bin, the exact log factors of the construction.
	train, err := LoadSample(ev, SampleSpec{Start: 0, End: 20, Columns: []int{0}, NBasis: 1})
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHisto(oneBenchmark{}, train, HistoConfig{Bins: []Binning{{Edges: []float64{0, 0.5, 1}}}})
	if err != nil {
		t.Fatal(err)
	}
	shape, err := ShapeEffects(ev, h, train, 0, 20, nb)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]Effect{h.Bin([]float64{0.25}): {A: 0.1, B: 0}, h.Bin([]float64{0.75}): {A: 0.25, B: 0.05}}
	for k, e := range shape[0] {
		w, ok := want[k]
		if !ok {
			if e != (Effect{}) {
				t.Errorf("empty bin %d has effect %+v", k, e)
			}
			continue
		}
		if !scalar.EqualWithinAbs(e.A, w.A, 1e-14) || !scalar.EqualWithinAbs(e.B, w.B, 1e-14) {
			t.Errorf("bin %d: effect %+v, want %+v", k, e, w)
		}
	}

	// One-sided: b = 0 and a = log(up/ref).
	one := NuisanceBenchmarks{Ref: 0, Up: []int{1}, Down: []int{-1}}
	if rate, err = RateEffects(ev, 0, 2, one); err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinAbs(rate[0].A, math.Log((ev.w[1]+ev.w[4])/(ev.w[0]+ev.w[3])), 1e-14) || rate[0].B != 0 {
		t.Errorf("one-sided rate effect %+v", rate[0])
	}
}

func TestLoadSampleStatistic(t *testing.T) {
	ev := nuisanceEvents(7)
	s, err := LoadSample(ev, SampleSpec{Start: 1, End: 7, NBasis: 2, Factor: 2,
		Statistic: func(x []float64, n int) ([]float64, error) {
			out := make([]float64, 2*n)
			for i := 0; i < n; i++ {
				out[2*i], out[2*i+1] = x[i], -x[i]
			}
			return out, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 6 || s.Dim != 2 || len(s.W) != 12 {
		t.Fatalf("sample of %d events, dim %d, %d weights", s.N, s.Dim, len(s.W))
	}
	for i := 0; i < s.N; i++ {
		if s.X[2*i] != ev.x[i+1] || s.X[2*i+1] != -ev.x[i+1] || s.W[2*i] != 2*ev.w[3*(i+1)] || s.W[2*i+1] != 2*ev.w[3*(i+1)+1] {
			t.Fatalf("event %d: x %v w %v", i, s.X[2*i:2*i+2], s.W[2*i:2*i+2])
		}
	}
	if _, err := LoadSample(ev, SampleSpec{Start: 3, End: 3, Columns: []int{0}}); err == nil {
		t.Error("empty range accepted")
	}
}
