// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

// Components returns the morphing components: every exponent vector n with
// 0 ≤ n_p ≤ maxPowers[p] and, if maxOverall ≥ 0, Σ_p n_p ≤ maxOverall.
// A negative maxOverall means no overall limit.
//
// The order is MadMiner's (itertools.product over the parameters, the last
// parameter running fastest), so morphing matrices compare entry by entry.
// For maxPowers (2, 2) and maxOverall 1 the components are (0,0), (0,1), (1,0).
//
// It panics if maxPowers is empty or holds a negative power.
func Components(maxPowers []int, maxOverall int) [][]int {
	if len(maxPowers) == 0 {
		panic("morphing: no parameters")
	}
	for _, p := range maxPowers {
		if p < 0 {
			panic("morphing: negative maximal power")
		}
	}
	var out [][]int
	cur := make([]int, len(maxPowers))
	for {
		sum := 0
		for _, n := range cur {
			sum += n
		}
		if maxOverall < 0 || sum <= maxOverall {
			out = append(out, append([]int(nil), cur...))
		}
		// Odometer increment, last digit fastest.
		p := len(cur) - 1
		for ; p >= 0; p-- {
			cur[p]++
			if cur[p] <= maxPowers[p] {
				break
			}
			cur[p] = 0
		}
		if p < 0 {
			return out
		}
	}
}
