// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDataMerged checks that merging identical events keeps the weighted
// log likelihood Σ_i w_i f(x_i) of any f, the total multiplicity and N,
// and leaves one event per distinct row: a discrete observable of 3 × 4
// values in 1000 events merges into at most 12.
func TestDataMerged(t *testing.T) {
	const n, dim = 1000, 2
	rnd := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, n*dim)
	for i := range n {
		x[i*dim] = float64(rnd.IntN(3))
		x[i*dim+1] = 0.5 * float64(rnd.IntN(4))
	}
	d := Expected(x, dim, 137.5)
	d.Weight[7] *= 3 // multiplicities need not be equal
	f := func(r []float64) float64 { return math.Sin(r[0]+1) + r[1]*r[1] }
	sum := func(d *Data) (s, w float64) {
		for i, wi := range d.Weight {
			s += wi * f(d.X[i*d.Dim:(i+1)*d.Dim])
			w += wi
		}
		return s, w
	}
	m := d.Merged()
	if len(m.Weight) > 12 || len(m.Weight) < 10 || len(m.X) != dim*len(m.Weight) || m.Dim != dim || m.N != d.N {
		t.Fatalf("merged data: %d events, %d values, dim %d, N %v", len(m.Weight), len(m.X), m.Dim, m.N)
	}
	seen := map[[2]float64]bool{}
	for i := range m.Weight {
		r := [2]float64{m.X[i*dim], m.X[i*dim+1]}
		if seen[r] {
			t.Errorf("row %v twice", r)
		}
		seen[r] = true
	}
	s0, w0 := sum(d)
	s1, w1 := sum(m)
	if math.Abs(s1-s0) > 1e-12*math.Abs(s0) || math.Abs(w1-w0) > 1e-12*w0 {
		t.Errorf("Σ w f: %v merged, %v not; Σ w: %v, %v", s1, s0, w1, w0)
	}
}
