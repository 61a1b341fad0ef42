// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"image/color"
	"math"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// countColour counts the pixels of the PNG at path that have colour c.
func countColour(t *testing.T, path string, c color.Color) int {
	t.Helper()
	img := repotest.DecodePNG(t, path)
	r0, g0, b0, _ := c.RGBA()
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 == r0>>8 && g>>8 == g0>>8 && bl>>8 == b0>>8 {
				n++
			}
		}
	}
	return n
}

// wilks2 is the asymptotic p-value of q = θᵀAθ for a χ² with two degrees
// of freedom, around a best fit b.
func wilks2(a11, a12, a22 float64, b [2]float64) func(u, v float64) float64 {
	return func(u, v float64) float64 {
		u, v = u-b[0], v-b[1]
		return math.Exp(-(a11*u*u + 2*a12*u*v + a22*v*v) / 2)
	}
}

func TestPValueMap(t *testing.T) {
	x := linspace(-1, 1, 41)
	y := linspace(-1.5, 1.5, 31)
	scans := []Scan{
		{Label: "histo", P: field(x, y, wilks2(40, 10, 20, [2]float64{0.05, -0.1})), BestFit: []float64{0.05, -0.1}},
		{Label: "rate", P: field(x, y, wilks2(10, 0, 5, [2]float64{0, 0})), BestFit: []float64{0, 0}},
		{Label: "sally", P: field(x, y, wilks2(60, -15, 30, [2]float64{-0.02, 0.1}))},
	}
	fig, err := PValueMap(x, y, scans, Labels{Title: "Expected limits", X: "f_W [TeV⁻²]", Y: "f_WW [TeV⁻²]"})
	if err != nil {
		t.Fatal(err)
	}
	path := checkFigure(t, fig, "pvalue_map")
	// Every scan's contours are drawn in its own colour: more pixels than
	// its legend entry alone has (about 50).
	for k, s := range scans {
		if n := countColour(t, path, scanColour(k).Color); n < 300 {
			t.Errorf("scan %q: %d pixels of its colour, want its contours drawn", s.Label, n)
		}
	}
	if n := countColour(t, path, scanColour(len(scans)).Color); n > 0 {
		t.Errorf("%d pixels of the colour of a scan that does not exist", n)
	}
}

func TestPValueCurves(t *testing.T) {
	x := linspace(-1, 1, 81)
	p := func(s, b float64) []float64 {
		v := make([]float64, len(x))
		for i, u := range x {
			// χ² with one degree of freedom: p = erfc(|z|/√2).
			v[i] = math.Erfc(math.Abs(u-b) / s / math.Sqrt2)
		}
		return v
	}
	scans := []Scan{
		{Label: "rate", P: p(0.5, 0), BestFit: []float64{0}},
		{Label: "histo", P: p(0.2, 0.1), BestFit: []float64{0.1}},
	}
	fig, err := PValueCurves(x, scans, Labels{X: "f_W [TeV⁻²]"})
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, fig, "pvalue_curves")
}

func TestPValueBadInput(t *testing.T) {
	x := []float64{0, 1, 2}
	y := []float64{0, 1}
	good := []float64{0.1, 0.5, 1, 0.5, 0.2, 0.01}
	with := func(i int, v float64) []float64 {
		p := append([]float64(nil), good...)
		p[i] = v
		return p
	}
	for _, tc := range []struct {
		name  string
		x, y  []float64
		scans []Scan
	}{
		{"no scans", x, y, nil},
		{"empty grid", nil, nil, []Scan{{P: nil}}},
		{"short", x, y, []Scan{{P: good[:5]}}},
		{"nan", x, y, []Scan{{P: with(2, math.NaN())}}},
		{"p > 1", x, y, []Scan{{P: with(2, 1.5)}}},
		{"p < 0", x, y, []Scan{{P: with(2, -0.1)}}},
		{"second scan bad", x, y, []Scan{{P: good}, {P: good[:4]}}},
		{"best fit length", x, y, []Scan{{P: good, BestFit: []float64{1}}}},
		{"best fit nan", x, y, []Scan{{P: good, BestFit: []float64{1, math.Inf(1)}}}},
		{"unsorted y", x, []float64{1, 0}, []Scan{{P: good}}},
	} {
		if _, err := PValueMap(tc.x, tc.y, tc.scans, Labels{}); err == nil {
			t.Errorf("map %s: no error", tc.name)
		}
	}
	for _, tc := range []struct {
		name  string
		x     []float64
		scans []Scan
	}{
		{"no scans", x, nil},
		{"empty", nil, []Scan{{}}},
		{"mismatch", x, []Scan{{P: good}}},
		{"nan", x, []Scan{{P: []float64{0, math.NaN(), 1}}}},
		{"best fit length", x, []Scan{{P: good[:3], BestFit: []float64{1, 2}}}},
	} {
		if _, err := PValueCurves(tc.x, tc.scans, Labels{}); err == nil {
			t.Errorf("curves %s: no error", tc.name)
		}
	}
}
