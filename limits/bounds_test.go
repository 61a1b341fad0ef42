// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"testing"
)

// TestScanBounds checks that Settings.Bounds keeps the continuous best fit
// inside the scanned region when the likelihood peaks outside it.
func TestScanBounds(t *testing.T) {
	model := &ML{Params: 1, LogRatio: func(dst, x, params []float64) error {
		for i := range dst {
			dst[i] = -(params[0] - 5) * (params[0] - 5)
		}
		return nil
	}}
	data := &Data{Dim: 1, X: []float64{0}, Weight: []float64{1}, N: 1}
	points, err := Grid{Ranges: [][2]float64{{-1, 1}}, Resolutions: []int{5}}.Points()
	if err != nil {
		t.Fatal(err)
	}
	free, err := Scan(model, data, points, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(free.BestFit[0]-5) > 1e-4 {
		t.Errorf("unbounded best fit %v, want 5", free.BestFit)
	}
	bounded, err := Scan(model, data, points, &Settings{Bounds: [][2]float64{{-1, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if b := bounded.BestFit[0]; b < -1 || b > 1 || math.Abs(b-1) > 1e-3 {
		t.Errorf("bounded best fit %v, want the edge 1", bounded.BestFit)
	}
	if p := bounded.PValues[len(points)-1]; math.Abs(p-1) > 1e-6 {
		t.Errorf("p at the bounded best fit %v, want 1", p)
	}
}
