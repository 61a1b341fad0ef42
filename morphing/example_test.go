// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing_test

import (
	"fmt"

	"github.com/goldmine-hep/goldmine/morphing"
)

// A squared amplitude |A_SM + θ A_BSM|² is a quadratic in θ, so three basis
// points morph it to any θ.
func ExampleNew() {
	comps := morphing.Components([]int{2}, -1)
	m, err := morphing.New(comps, [][]float64{{-1}, {0}, {1}})
	if err != nil {
		fmt.Println(err)
		return
	}
	w := m.WeightsTo(nil, []float64{0.5})
	g := m.GradientsTo(nil, []float64{0.5})
	fmt.Printf("components %v\nweights %.4f\ngradients %.4f\n", comps, w, g)
	// Output:
	// components [[0] [1] [2]]
	// weights [-0.1250 0.7500 0.3750]
	// gradients [0.0000 -1.0000 1.0000]
}
