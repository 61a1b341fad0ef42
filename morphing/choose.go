// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Benchmark is a named parameter point.
type Benchmark struct {
	Name   string
	Values []float64
}

// Choice configures ChooseBasis.
type Choice struct {
	Components [][]int

	// Basis names the basis benchmarks. If it is empty the basis is
	// optimised (OptimizeBasis) with the benchmarks named by Keep fixed,
	// and the other basis points are new benchmarks named
	// morphing_basis_vector_i.
	Basis []string

	// Keep, Ranges, TestPoints and RandomBases configure the optimisation
	// (BasisSettings).
	Keep        []string
	Ranges      [][2]float64
	TestPoints  int
	RandomBases int
}

// Chosen is the basis ChooseBasis chose.
type Chosen struct {
	// Benchmarks holds the basis benchmarks first, in basis order, then
	// the others in their order.
	Benchmarks []Benchmark
	NBasis     int
	Morpher    *Morpher

	// RandomObjective is BasisResult.RandomObjective when the basis was
	// optimised.
	RandomObjective float64
}

// ChooseBasis chooses the morphing basis among the benchmarks bms as c
// says; src seeds the optimisation.
func ChooseBasis(bms []Benchmark, c *Choice, src rand.Source) (*Chosen, error) {
	index := func(name string) int {
		return slices.IndexFunc(bms, func(b Benchmark) bool { return b.Name == name })
	}
	var basis []Benchmark
	out := &Chosen{}
	if len(c.Basis) > 0 {
		for _, name := range c.Basis {
			j := index(name)
			if j < 0 {
				return nil, fmt.Errorf("morphing basis benchmark %q is not defined", name)
			}
			basis = append(basis, bms[j])
		}
		pts := make([][]float64, len(basis))
		for i, b := range basis {
			pts[i] = b.Values
		}
		m, err := New(c.Components, pts)
		if err != nil {
			return nil, fmt.Errorf("morphing basis %v: %w", c.Basis, err)
		}
		out.Morpher = m
	} else {
		var fixed [][]float64
		for _, name := range c.Keep {
			j := index(name)
			if j < 0 {
				return nil, fmt.Errorf("morphing.optimize.keep benchmark %q is not defined", name)
			}
			basis = append(basis, bms[j])
			fixed = append(fixed, bms[j].Values)
		}
		if len(fixed) > len(c.Components) {
			return nil, fmt.Errorf("%d benchmarks kept in the basis, but there are only %d components", len(fixed), len(c.Components))
		}
		r, err := OptimizeBasis(c.Components, &BasisSettings{
			Ranges:      c.Ranges,
			Fixed:       fixed,
			TestPoints:  c.TestPoints,
			RandomBases: c.RandomBases,
		}, src)
		if err != nil {
			return nil, fmt.Errorf("basis optimisation: %w", err)
		}
		for i := len(fixed); i < len(r.Basis); i++ {
			name := fmt.Sprintf("morphing_basis_vector_%d", i)
			for index(name) >= 0 {
				name += "_"
			}
			basis = append(basis, Benchmark{Name: name, Values: r.Basis[i]})
		}
		out.Morpher, out.RandomObjective = r.Morpher, r.RandomObjective
	}
	out.NBasis = len(basis)
	out.Benchmarks = slices.Clone(basis)
	for _, b := range bms {
		if !slices.ContainsFunc(basis, func(x Benchmark) bool { return x.Name == b.Name }) {
			out.Benchmarks = append(out.Benchmarks, b)
		}
	}
	return out, nil
}
