// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"

	"github.com/expr-lang/expr/vm"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/lhe"
)

// importBenchmarks turns the reweighting weights of an LHE header whose
// "set param_card BLOCK ID VALUE" lines set the card's parameters into
// benchmarks (lhe.ParamCardPoints). Param-card values are mapped back to
// θ through the inverse of the parameter's param_card_transform.
func importBenchmarks(c *cards.Card, path string, only []string) ([]benchmark, error) {
	r, err := lhe.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	transforms := make([]*vm.Program, len(c.Parameters))
	refs := make([]lhe.ParamRef, len(c.Parameters))
	for i, p := range c.Parameters {
		refs[i] = lhe.ParamRef{Block: p.LHABlock, ID: p.LHAID}
		if p.ParamCardTransform != "" {
			if transforms[i], err = cards.CompileTransform(p.ParamCardTransform); err != nil {
				return nil, fmt.Errorf("pipeline: parameter %s: %w", p.Name, err)
			}
		}
	}
	pts, err := lhe.ParamCardPoints(r.Header(), refs, only)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", path, err)
	}
	var out []benchmark
	for _, pt := range pts {
		// The weight id becomes the benchmark's name, and with it file
		// names (MadGraph runs, reweight cards): the card's naming rule.
		if err := cards.CheckName(pt.Weight); err != nil {
			return nil, fmt.Errorf("pipeline: %s: reweighting weight id imported as a benchmark: %w", path, err)
		}
		vals := make([]float64, len(pt.Values))
		for i, v := range pt.Values {
			if vals[i], err = cards.InvertTransform(transforms[i], v, c.Parameters[i].Range); err != nil {
				return nil, fmt.Errorf("pipeline: %s: weight %q, parameter %s: %w", path, pt.Weight, c.Parameters[i].Name, err)
			}
		}
		out = append(out, benchmark{Name: pt.Weight, Values: vals})
	}
	return out, nil
}
