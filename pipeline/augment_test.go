// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"math"
	"testing"

	"github.com/goldmine-hep/goldmine/store"
)

func TestAugmentZH(t *testing.T) {
	env := NewEnv(zhCard(t, nil), t.TempDir(), nil, nil)
	analysed(t, env)
	res, err := Augment(env)
	if err != nil {
		t.Fatal(err)
	}
	if res.Passes > 2 {
		t.Errorf("%d passes over the events for all samples, want at most 2", res.Passes)
	}
	// MadMiner's file names and shapes.
	for _, f := range []struct {
		path  string
		shape []int
	}{
		{"samples/sally/x_train.npy", []int{50000, 5}},
		{"samples/sally/theta_train.npy", []int{50000, 2}},
		{"samples/sally/t_xz_train.npy", []int{50000, 2}},
		{"samples/alices/x_train.npy", []int{50000, 5}},
		{"samples/alices/theta0_train.npy", []int{50000, 2}},
		{"samples/alices/theta1_train.npy", []int{50000, 2}},
		{"samples/alices/y_train.npy", []int{50000, 1}},
		{"samples/alices/r_xz_train.npy", []int{50000, 1}},
		{"samples/alices/t_xz0_train.npy", []int{50000, 2}},
		{"samples/alices/t_xz1_train.npy", []int{50000, 2}},
	} {
		shape, _, err := store.ReadNPY(env.Path(f.path))
		if err != nil {
			t.Errorf("%s: %v", f.path, err)
			continue
		}
		if len(shape) != len(f.shape) || shape[0] != f.shape[0] || (len(shape) > 1 && shape[1] != f.shape[1]) {
			t.Errorf("%s: shape %v, want %v", f.path, shape, f.shape)
		}
	}
	// The joint score has expectation zero under the sampling point: the
	// mean of t_xz in the SALLY sample at the SM vanishes within its
	// statistical error (n_eff = 3000 training events, not 20000 draws).
	shape, tx, err := store.ReadNPY(env.Path("samples/sally/t_xz_train.npy"))
	if err != nil {
		t.Fatal(err)
	}
	for p := 0; p < 2; p++ {
		var s, s2 float64
		for i := 0; i < shape[0]; i++ {
			v := tx[i*2+p]
			s += v
			s2 += v * v
		}
		n := float64(shape[0])
		mean, sd := s/n, math.Sqrt(s2/n-(s/n)*(s/n))
		if math.Abs(mean) > 5*sd/math.Sqrt(3000) {
			t.Errorf("parameter %d: mean joint score %g, sd %g: not compatible with 0", p, mean, sd)
		}
		if sd == 0 {
			t.Errorf("parameter %d: the joint score is constant", p)
		}
	}
	// Ratio sample: half the rows from θ0 (y = 0), half from θ1 = SM.
	_, y, err := store.ReadNPY(env.Path("samples/alices/y_train.npy"))
	if err != nil {
		t.Fatal(err)
	}
	var ones float64
	for _, v := range y {
		ones += v
	}
	if ones != 25000 {
		t.Errorf("%v rows with y = 1, want 25000", ones)
	}
}
