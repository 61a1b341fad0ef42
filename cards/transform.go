// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"fmt"
	"math"

	"github.com/expr-lang/expr/vm"
)

// InvertTransform solves Transform(p, θ) = v for θ, the parameter point
// of a param-card value. A nil p is the identity. The root is bracketed by
// widening rng around the parameter range, then found by bisection to
// full precision. It is an error if no root is bracketed.
func InvertTransform(p *vm.Program, v float64, rng [2]float64) (float64, error) {
	if p == nil {
		return v, nil
	}
	f := func(th float64) (float64, error) {
		y, err := Transform(p, th)
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
		return 0, fmt.Errorf("cards: cannot invert param_card_transform for param-card value %g", v)
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
