// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"math"
	"testing"
)

func TestInvertTransform(t *testing.T) {
	for _, tc := range []struct {
		src   string
		theta float64
		rng   [2]float64
	}{
		{"1.0*theta", -0.7546379162819874, [2]float64{-1, 1}},
		{"2*theta + 1", 0.3, [2]float64{-1, 1}},
		{"theta^3", 4.5, [2]float64{-1, 1}}, // outside the range: bracket widened
		{"0.5*theta/(4*3.14159265)", -12.3, [2]float64{-20, 20}},
	} {
		p, err := CompileTransform(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		v, err := Transform(p, tc.theta)
		if err != nil {
			t.Fatal(err)
		}
		got, err := InvertTransform(p, v, tc.rng)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if math.Abs(got-tc.theta) > 1e-12*math.Max(1, math.Abs(tc.theta)) {
			t.Errorf("%s: inverse of %v is %v, want %v", tc.src, v, got, tc.theta)
		}
	}
	if got, err := InvertTransform(nil, 0.25, [2]float64{-1, 1}); err != nil || got != 0.25 {
		t.Errorf("identity: %v %v", got, err)
	}
	p, _ := CompileTransform("theta*theta")
	if _, err := InvertTransform(p, -1, [2]float64{-1, 1}); err == nil {
		t.Error("θ² = −1 inverted")
	}
}
