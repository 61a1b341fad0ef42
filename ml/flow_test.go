// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// spreadFlow gives the flow's unmasked weights unit-scale random values so
// that the test explores a non-trivial density.
func spreadFlow(f *maf, rnd *rand.Rand, scale float64) {
	for _, m := range f.mades {
		for i := range m.Params {
			m.Params[i] = scale * rnd.NormFloat64() * m.Mask[i]
		}
	}
}

func TestFlowLossGradients(t *testing.T) {
	for _, m := range []Method{NDE, SCANDAL} {
		for _, act := range []Activation{Tanh, Softplus, ELU} {
			for _, nd := range []int{1, 3} {
				t.Run(fmt.Sprintf("%s/%s/d=%d", m, act, nd), func(t *testing.T) {
					rnd := rand.New(rand.NewPCG(11, uint64(nd)))
					d := toyData(rnd, 8, nd, 2)
					e := &LikelihoodEstimator{Hidden: []int{6, 5}, Activation: act, NMADEs: 3}
					o, err := e.newObjective(m, d, (&Settings{Seed: 5, Alpha: 0.8}).withDefaults())
					if err != nil {
						t.Fatal(err)
					}
					spreadFlow(e.flow, rnd, 0.5)
					checkObjective(t, o, []int{7, 1, 2, 3, 4, 5, 6, 0})
				})
			}
		}
	}
}

// TestFlowDensity checks that the flow is a normalised density in x for
// fixed θ (2D quadrature on a grid wide enough to hold the mass), and its
// θ-score against finite differences of log p̂.
func TestFlowDensity(t *testing.T) {
	rnd := rand.New(rand.NewPCG(21, 22))
	d := toyData(rnd, 50, 2, 1)
	e := &LikelihoodEstimator{Hidden: []int{8}, NMADEs: 3}
	if _, err := e.newObjective(NDE, d, (&Settings{Seed: 1}).withDefaults()); err != nil {
		t.Fatal(err)
	}
	spreadFlow(e.flow, rnd, 0.3)
	// Quadrature: trapezoid on [−L, L]² in original x units.
	const ng = 241
	lo0, hi0 := e.XScaling.Mean[0]-14*e.XScaling.Std[0], e.XScaling.Mean[0]+14*e.XScaling.Std[0]
	lo1, hi1 := e.XScaling.Mean[1]-14*e.XScaling.Std[1], e.XScaling.Mean[1]+14*e.XScaling.Std[1]
	h0, h1 := (hi0-lo0)/(ng-1), (hi1-lo1)/(ng-1)
	x := mat.NewDense(ng*ng, 2, nil)
	for i := 0; i < ng; i++ {
		for j := 0; j < ng; j++ {
			x.Set(i*ng+j, 0, lo0+float64(i)*h0)
			x.Set(i*ng+j, 1, lo1+float64(j)*h1)
		}
	}
	th := mat.NewDense(ng*ng, 1, nil)
	for i := 0; i < ng*ng; i++ {
		th.Set(i, 0, 0.3)
	}
	lp, err := e.LogLikelihood(nil, nil, x, th)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for i := 0; i < ng; i++ {
		for j := 0; j < ng; j++ {
			w := 1.0
			if i == 0 || i == ng-1 {
				w *= 0.5
			}
			if j == 0 || j == ng-1 {
				w *= 0.5
			}
			sum += w * math.Exp(lp[i*ng+j])
		}
	}
	sum *= h0 * h1
	if math.Abs(sum-1) > 1e-3 {
		t.Errorf("∫ p̂(x|θ) dx = %.6f, want 1", sum)
	}

	// θ-score against finite differences.
	sc := &mat.Dense{}
	xs := d.X.Slice(0, 10, 0, 2)
	ts := d.Theta.Slice(0, 10, 0, 1)
	if _, err := e.LogLikelihood(nil, sc, xs, ts); err != nil {
		t.Fatal(err)
	}
	const h = 1e-6
	tp, tm := mat.DenseCopyOf(ts), mat.DenseCopyOf(ts)
	for i := 0; i < 10; i++ {
		tp.Set(i, 0, tp.At(i, 0)+h)
		tm.Set(i, 0, tm.At(i, 0)-h)
	}
	lpp, _ := e.LogLikelihood(nil, nil, xs, tp)
	lpm, _ := e.LogLikelihood(nil, nil, xs, tm)
	for i := 0; i < 10; i++ {
		fd := (lpp[i] - lpm[i]) / (2 * h)
		if math.Abs(fd-sc.At(i, 0)) > 1e-7*math.Max(1, math.Abs(fd)) {
			t.Errorf("row %d: score %g, fd %g", i, sc.At(i, 0), fd)
		}
	}
}
