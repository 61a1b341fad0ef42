// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

import (
	"fmt"
	"math"
)

// NuisanceMorpher models the effect of nuisance parameters ν on one event's
// weight as
//
//	dσ(x|θ,ν) / dσ(x|θ,0) = exp(Σ_i a_i(x) ν_i + b_i(x) ν_i²).
//
// The coefficients come from the event's weights at the nominal point (w0)
// and at ν_i = +1 (w+) and, if available, ν_i = −1 (w−), as in MadMiner:
//
//	with w+ and w−:  a = ½ log(w+/w−),  b = ½ log(w+ w− / w0²),
//	with w+ only:    a = log(w+/w0),    b = 0.
//
// The factor therefore reproduces w+/w0 at ν = +1 and w−/w0 at ν = −1 exactly.
type NuisanceMorpher struct {
	ref int
	pos []int
	neg []int
}

// NewNuisanceMorpher returns a NuisanceMorpher over per-event weight vectors.
// ref is the index of the nominal weight; pos[i] and neg[i] are the indices of
// the weights at ν_i = +1 and ν_i = −1, with neg[i] < 0 when there is no −1σ
// weight. A nil neg means no −1σ weights at all.
func NewNuisanceMorpher(ref int, pos, neg []int) (*NuisanceMorpher, error) {
	if ref < 0 {
		return nil, fmt.Errorf("morphing: negative reference weight index %d", ref)
	}
	if neg != nil && len(neg) != len(pos) {
		return nil, fmt.Errorf("morphing: %d +1σ weights but %d −1σ weights", len(pos), len(neg))
	}
	n := &NuisanceMorpher{ref: ref, pos: append([]int(nil), pos...), neg: make([]int, len(pos))}
	for i := range pos {
		if pos[i] < 0 {
			return nil, fmt.Errorf("morphing: nuisance parameter %d has no +1σ weight", i)
		}
		n.neg[i] = -1
		if neg != nil {
			n.neg[i] = neg[i]
		}
	}
	return n, nil
}

// NumNuisance returns the number of nuisance parameters.
func (n *NuisanceMorpher) NumNuisance() int { return len(n.pos) }

// CoefficientsTo computes the coefficients a and b of one event from its
// weights and writes them into a and b (each of length NumNuisance; nil
// allocates). A non-positive weight ratio, for which the logarithm is
// undefined, is an error naming the nuisance parameter; MadMiner would clip
// the result silently.
func (n *NuisanceMorpher) CoefficientsTo(a, b, weights []float64) ([]float64, []float64, error) {
	a = resize(a, len(n.pos))
	b = resize(b, len(n.pos))
	if n.ref >= len(weights) {
		return a, b, fmt.Errorf("morphing: event has %d weights, nominal index is %d", len(weights), n.ref)
	}
	w0 := weights[n.ref]
	for i, ip := range n.pos {
		if ip >= len(weights) || n.neg[i] >= len(weights) {
			return a, b, fmt.Errorf("morphing: nuisance parameter %d: event has only %d weights", i, len(weights))
		}
		wp := weights[ip]
		if n.neg[i] < 0 {
			r := wp / w0
			if !(r > 0) || math.IsInf(r, 0) {
				return a, b, fmt.Errorf("morphing: nuisance parameter %d: weight ratio w+/w0 = %v/%v is not positive and finite", i, wp, w0)
			}
			a[i] = math.Log(r)
			b[i] = 0
			continue
		}
		wm := weights[n.neg[i]]
		r1 := wp / wm
		r2 := wp / w0 * (wm / w0)
		if !(r1 > 0) || !(r2 > 0) || math.IsInf(r1, 0) || math.IsInf(r2, 0) {
			return a, b, fmt.Errorf("morphing: nuisance parameter %d: weights w0=%v w+=%v w−=%v do not all have the same sign", i, w0, wp, wm)
		}
		a[i] = 0.5 * math.Log(r1)
		b[i] = 0.5 * math.Log(r2)
	}
	return a, b, nil
}

// Factor returns exp(Σ_i a_i ν_i + b_i ν_i²).
// It panics if the slice lengths differ from NumNuisance.
func (n *NuisanceMorpher) Factor(a, b, nu []float64) float64 {
	n.check(a, b, nu)
	var e float64
	for i, v := range nu {
		e += a[i]*v + b[i]*v*v
	}
	return math.Exp(e)
}

// LogFactorGradientTo writes ∂ log(factor)/∂ν_i = a_i + 2 b_i ν_i into dst and
// returns it. This is the nuisance part of the joint score.
func (n *NuisanceMorpher) LogFactorGradientTo(dst, a, b, nu []float64) []float64 {
	n.check(a, b, nu)
	dst = resize(dst, len(nu))
	for i, v := range nu {
		dst[i] = a[i] + 2*b[i]*v
	}
	return dst
}

// FactorGradientTo writes ∂factor/∂ν_i into dst and returns it.
func (n *NuisanceMorpher) FactorGradientTo(dst, a, b, nu []float64) []float64 {
	f := n.Factor(a, b, nu)
	dst = n.LogFactorGradientTo(dst, a, b, nu)
	for i := range dst {
		dst[i] *= f
	}
	return dst
}

func (n *NuisanceMorpher) check(a, b, nu []float64) {
	if len(a) != len(n.pos) || len(b) != len(n.pos) || len(nu) != len(n.pos) {
		panic("morphing: wrong number of nuisance parameters")
	}
}
