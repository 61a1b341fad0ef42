// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package mmdata

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Quadratic2 returns the quadratic morphing of two parameters on the six
// basis points: components 1, θ0, θ1, θ0², θ0θ1, θ1². With A[b][c] the
// component c at basis point b, dσ(θ_b) = Σ_c A[b][c] k_c, so
// k = A⁻¹ dσ(basis) and w_b(θ) = Σ_c comp_c(θ) (A⁻¹)[c][b].
func Quadratic2(basis [][]float64) (*Morpher, error) {
	comps := [][]int{{0, 0}, {1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}}
	if len(basis) != len(comps) {
		return nil, fmt.Errorf("mmdata: %d basis points for %d components", len(basis), len(comps))
	}
	a := mat.NewDense(len(basis), len(comps), nil)
	for b, th := range basis {
		for c, cp := range comps {
			a.Set(b, c, math.Pow(th[0], float64(cp[0]))*math.Pow(th[1], float64(cp[1])))
		}
	}
	var inv mat.Dense
	if err := inv.Inverse(a); err != nil {
		return nil, fmt.Errorf("mmdata: basis does not fix the morphing: %w", err)
	}
	m := make([][]float64, len(comps))
	for c := range m {
		m[c] = make([]float64, len(basis))
		for b := range m[c] {
			m[c][b] = inv.At(c, b)
		}
	}
	return &Morpher{Components: comps, Matrix: m}, nil
}
