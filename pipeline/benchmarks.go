// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/expr-lang/expr/vm"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/lhe"
)

// importBenchmarks reads the reweighting weights of an LHE header whose
// "set param_card BLOCK ID VALUE" lines set the card's parameters, and turns
// each into a benchmark. Param-card values are mapped back to θ through the
// inverse of the parameter's param_card_transform. Parameters a weight does
// not set keep the value of the file's own param card (the sampling point).
func importBenchmarks(c *cards.Card, path string, only []string) ([]benchmark, error) {
	r, err := lhe.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	h := r.Header()

	transforms := make([]*vm.Program, len(c.Parameters))
	for i, p := range c.Parameters {
		if p.ParamCardTransform != "" {
			if transforms[i], err = cards.CompileTransform(p.ParamCardTransform); err != nil {
				return nil, fmt.Errorf("pipeline: parameter %s: %w", p.Name, err)
			}
		}
	}
	// The file's own param card gives the values of parameters a weight
	// leaves alone.
	nominal := make([]float64, len(c.Parameters))
	for i, p := range c.Parameters {
		if v, ok := h.ParamBlocks[strings.ToLower(p.LHABlock)][p.LHAID]; ok {
			nominal[i] = v
		}
	}

	var out []benchmark
	for _, w := range h.Weights {
		if len(w.ParamSets) == 0 {
			continue
		}
		if only != nil && !slices.Contains(only, w.ID) {
			continue
		}
		card := slices.Clone(nominal)
		matched := false
		for _, ps := range w.ParamSets {
			for i, p := range c.Parameters {
				if strings.EqualFold(p.LHABlock, ps.Block) && p.LHAID == ps.ID {
					card[i] = ps.Value
					matched = true
				}
			}
		}
		if !matched {
			continue
		}
		vals := make([]float64, len(card))
		for i, v := range card {
			th, err := invertTransform(transforms[i], v, c.Parameters[i].Range)
			if err != nil {
				return nil, fmt.Errorf("pipeline: %s: weight %q, parameter %s: %w", path, w.ID, c.Parameters[i].Name, err)
			}
			vals[i] = th
		}
		out = append(out, benchmark{Name: w.ID, Values: vals})
	}
	for _, id := range only {
		if !slices.ContainsFunc(out, func(b benchmark) bool { return b.Name == id }) {
			return nil, fmt.Errorf("pipeline: %s: no reweighting weight %q setting the card's parameters", path, id)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pipeline: %s: no reweighting weight in <initrwgt> sets a parameter of the card", path)
	}
	return out, nil
}

// invertTransform solves transform(θ) = v for θ. A nil transform is the
// identity. The root is bracketed by widening an interval around the
// parameter range, then found by bisection to full precision.
func invertTransform(p *vm.Program, v float64, rng [2]float64) (float64, error) {
	if p == nil {
		return v, nil
	}
	f := func(th float64) (float64, error) {
		y, err := cards.Transform(p, th)
		return y - v, err
	}
	lo, hi := rng[0], rng[1]
	flo, err := f(lo)
	if err != nil {
		return 0, err
	}
	fhi, err := f(hi)
	if err != nil {
		return 0, err
	}
	for k := 0; flo*fhi > 0 && k < 60; k++ {
		w := hi - lo
		lo, hi = lo-w, hi+w
		if flo, err = f(lo); err != nil {
			return 0, err
		}
		if fhi, err = f(hi); err != nil {
			return 0, err
		}
	}
	if flo == 0 {
		return lo, nil
	}
	if fhi == 0 {
		return hi, nil
	}
	if flo*fhi > 0 {
		return 0, fmt.Errorf("cannot invert param_card_transform for param-card value %g", v)
	}
	for k := 0; k < 200 && hi-lo > 0; k++ {
		mid := lo + (hi-lo)/2
		if mid == lo || mid == hi {
			break
		}
		fm, err := f(mid)
		if err != nil {
			return 0, err
		}
		if fm == 0 {
			return mid, nil
		}
		if (fm < 0) == (flo < 0) {
			lo, flo = mid, fm
		} else {
			hi = mid
		}
	}
	if math.Abs(flo) < math.Abs(fhi) {
		return lo, nil
	}
	return hi, nil
}
