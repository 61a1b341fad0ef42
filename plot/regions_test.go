// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"math"
	"testing"
)

func TestRegions(t *testing.T) {
	x := linspace(-1, 1, 41)
	y := linspace(-1.5, 1.5, 31)
	gauss := func(s float64) []float64 {
		return field(x, y, func(u, v float64) float64 { return math.Exp(-(u*u+v*v)/(2*s*s)) / (2 * math.Pi * s * s) })
	}
	// The HPD thresholds of a 2-D Gaussian: exp(−χ²/2)/(2πσ²) with
	// χ² = −2 log(1 − cl).
	hpd := func(s float64) []float64 {
		return []float64{(1 - 0.68) / (2 * math.Pi * s * s), (1 - 0.95) / (2 * math.Pi * s * s)}
	}
	sets := []RegionSet{
		{Label: "posterior", Z: gauss(0.3), Levels: hpd(0.3)},
		{Label: "member", Z: gauss(0.25), Levels: hpd(0.25)[:1], Thin: true},
		// On a coarser grid of its own.
		{Label: "frequentist", X: linspace(-1, 1, 21), Y: linspace(-1.5, 1.5, 16), Z: field(linspace(-1, 1, 21), linspace(-1.5, 1.5, 16), wilks2(10, 0, 10, [2]float64{0.1, 0})), Levels: []float64{P68, P95}, Colour: 1},
		// A level above the field's maximum: no contour, a legend entry.
		{Label: "empty", Z: gauss(0.3), Levels: []float64{100}, Colour: 3},
	}
	fig, err := Regions(x, y, sets, []float64{0, 0}, Labels{Title: "68% and 95% regions", X: "a", Y: "b"})
	if err != nil {
		t.Fatal(err)
	}
	path := checkFigure(t, fig, "regions")
	for _, k := range []int{0, 1} {
		if n := countColour(t, path, scanColour(k).Color); n < 300 {
			t.Errorf("colour %d: %d pixels, want the contours drawn", k, n)
		}
	}
	if n := countColour(t, path, scanColour(3).Color); n == 0 || n > 200 {
		t.Errorf("empty set: %d pixels of its colour, want only its legend entry", n)
	}
	if n := countColour(t, path, scanColour(2).Color); n > 0 {
		t.Errorf("%d pixels of an unused colour", n)
	}

	for _, c := range []struct {
		name string
		sets []RegionSet
		pt   []float64
	}{
		{"none", nil, nil},
		{"no levels", []RegionSet{{Z: gauss(0.3)}}, nil},
		{"short", []RegionSet{{Z: gauss(0.3)[1:], Levels: []float64{1}}}, nil},
		{"truth", []RegionSet{{Z: gauss(0.3), Levels: []float64{1}}}, []float64{0}},
	} {
		if _, err := Regions(x, y, c.sets, c.pt, Labels{}); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
