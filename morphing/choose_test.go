// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

import (
	"math/rand/v2"
	"testing"
)

func TestChooseBasis(t *testing.T) {
	comps := Components([]int{2}, -1) // 1, θ, θ²
	bms := []Benchmark{{"sm", []float64{0}}, {"other", []float64{0.5}}, {"a", []float64{1}}, {"b", []float64{-1}}, {"morphing_basis_vector_1", []float64{0.7}}}
	names := func(c *Chosen) []string {
		var out []string
		for _, b := range c.Benchmarks {
			out = append(out, b.Name)
		}
		return out
	}
	got, err := ChooseBasis(bms, &Choice{Components: comps, Basis: []string{"sm", "a", "b"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := names(got); got.NBasis != 3 || len(n) != 5 || n[0] != "sm" || n[1] != "a" || n[2] != "b" || n[3] != "other" || n[4] != "morphing_basis_vector_1" {
		t.Errorf("named basis: %v (%d in the basis)", n, got.NBasis)
	}
	if w := got.Morpher.WeightsTo(nil, []float64{1}); w[1] != 1 || w[0] != 0 || w[2] != 0 {
		t.Errorf("weights at benchmark a: %v", w)
	}
	if _, err := ChooseBasis(bms, &Choice{Components: comps, Basis: []string{"sm", "nope", "b"}}, nil); err == nil {
		t.Error("an undefined basis benchmark accepted")
	}
	if _, err := ChooseBasis(bms, &Choice{Components: comps, Basis: []string{"sm", "sm", "b"}}, nil); err == nil {
		t.Error("a singular basis accepted")
	}

	opt := &Choice{Components: comps, Keep: []string{"sm"}, Ranges: [][2]float64{{-1, 1}}, TestPoints: 50, RandomBases: 5}
	got, err = ChooseBasis(bms, opt, rand.NewPCG(1, 2))
	if err != nil {
		t.Fatal(err)
	}
	n := names(got)
	if got.NBasis != 3 || len(n) != 7 || n[0] != "sm" || n[1] != "morphing_basis_vector_1_" || n[2] != "morphing_basis_vector_2" || got.RandomObjective <= 0 {
		t.Errorf("optimised basis: %v (%d in the basis, random objective %v)", n, got.NBasis, got.RandomObjective)
	}
	opt.Keep = []string{"sm", "a", "b", "other"}
	if _, err := ChooseBasis(bms, opt, rand.NewPCG(1, 2)); err == nil {
		t.Error("more kept benchmarks than components accepted")
	}
	opt.Keep = []string{"nope"}
	if _, err := ChooseBasis(bms, opt, rand.NewPCG(1, 2)); err == nil {
		t.Error("an undefined kept benchmark accepted")
	}
}
