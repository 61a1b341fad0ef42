// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"encoding/json"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func linAxis(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return out
}

// TestRegions1D: a p-value that is linear between grid points has exact
// crossings: p = 1 − |x − c| gives {p > 0.32} = (c − 0.68, c + 0.68).
func TestRegions1D(t *testing.T) {
	x := linAxis(-3, 3, 61)
	tent := func(c float64) []float64 {
		p := make([]float64, len(x))
		for i, v := range x {
			p[i] = math.Max(0, 1-math.Abs(v-c))
		}
		return p
	}
	// Centres on grid points keep the kinks on grid points.
	sizes, ext, sym, err := Regions([][]float64{x}, [][]float64{tent(0), tent(0.3), tent(-1.5)}, 0.32)
	if err != nil {
		t.Fatal(err)
	}
	for m, c := range []float64{0, 0.3, -1.5} {
		if !scalar.EqualWithinAbs(sizes[m], 1.36, 1e-12) {
			t.Errorf("member %d: length %v, want 1.36", m, sizes[m])
		}
		if !scalar.EqualWithinAbs(ext[m][0][0], c-0.68, 1e-12) || !scalar.EqualWithinAbs(ext[m][0][1], c+0.68, 1e-12) {
			t.Errorf("member %d: extent %v, want [%v, %v]", m, ext[m][0], c-0.68, c+0.68)
		}
	}
	// Shifted by 0.3 the intervals overlap over 1.06: Δ = 2·0.3; shifted
	// by 1.5 they do not overlap: Δ = 2·1.36.
	if !scalar.EqualWithinAbs(sym[0], 0, 1e-12) || !scalar.EqualWithinAbs(sym[1], 0.6/1.36, 1e-12) || !scalar.EqualWithinAbs(sym[2], 2, 1e-12) {
		t.Errorf("symmetric differences %v, want [0 %v 2]", sym, 0.6/1.36)
	}
}

// wilks2 is the p-value of two parameters with q = |θ − c|²/s²: exp(−q/2).
func wilks2(x, y []float64, cx, cy, s float64) []float64 {
	p := make([]float64, 0, len(x)*len(y))
	for _, a := range x {
		for _, b := range y {
			q := ((a-cx)*(a-cx) + (b-cy)*(b-cy)) / (s * s)
			p = append(p, math.Exp(-q/2))
		}
	}
	return p
}

// lens is the area of the intersection of two discs of radius r whose
// centres are d apart.
func lens(r, d float64) float64 {
	return 2*r*r*math.Acos(d/(2*r)) - d/2*math.Sqrt(4*r*r-d*d)
}

// TestRegions2D: the 68% regions of Gaussian p-value maps are discs of
// radius r = s √(−2 log 0.32); shifted and widened, their areas, extents
// and symmetric differences have closed forms.
func TestRegions2D(t *testing.T) {
	x, y := linAxis(-4, 4, 81), linAxis(-3, 3, 61)
	ps := [][]float64{wilks2(x, y, 0, 0, 1), wilks2(x, y, 0.4, 0, 1), wilks2(x, y, 0, 0, 1.2)}
	sizes, ext, sym, err := Regions([][]float64{x, y}, ps, 0.32)
	if err != nil {
		t.Fatal(err)
	}
	r := math.Sqrt(-2 * math.Log(0.32))
	area := math.Pi * r * r
	for m, want := range []float64{area, area, 1.44 * area} {
		if !scalar.EqualWithinRel(sizes[m], want, 2e-3) {
			t.Errorf("member %d: area %v, want %v", m, sizes[m], want)
		}
	}
	// Extents to a sub-cell (0.1/16 = 0.00625) plus the interpolation error.
	const tol = 0.01
	for a, want := range [][2]float64{{-r, r}, {-r, r}} {
		if math.Abs(ext[0][a][0]-want[0]) > tol || math.Abs(ext[0][a][1]-want[1]) > tol {
			t.Errorf("axis %d extent %v, want %v", a, ext[0][a], want)
		}
	}
	if math.Abs(ext[1][0][0]-(0.4-r)) > tol || math.Abs(ext[1][0][1]-(0.4+r)) > tol {
		t.Errorf("shifted extent %v, want [%v, %v]", ext[1][0], 0.4-r, 0.4+r)
	}
	if want := 2 * (area - lens(r, 0.4)) / area; !scalar.EqualWithinAbs(sym[1], want, 5e-3) {
		t.Errorf("shifted: symmetric difference %v, want %v", sym[1], want)
	}
	if want := 0.44; !scalar.EqualWithinAbs(sym[2], want, 5e-3) {
		t.Errorf("widened: symmetric difference %v, want %v", sym[2], want)
	}
}

func TestNewBand(t *testing.T) {
	x, y := linAxis(-4, 4, 41), linAxis(-3, 3, 31)
	mean := &Result{PValues: wilks2(x, y, 0, 0, 1)}
	var members []*Result
	for _, c := range []float64{-0.2, 0, 0.2, 0.3} {
		members = append(members, &Result{PValues: wilks2(x, y, c, 0, 1), BestFit: []float64{c, 0}})
	}
	b, err := NewBand("scan", [][]float64{x, y}, mean, members)
	if err != nil {
		t.Fatal(err)
	}
	for k := range b.Min {
		var lo, hi float64 = 1, 0
		for _, m := range members {
			lo, hi = math.Min(lo, m.PValues[k]), math.Max(hi, m.PValues[k])
		}
		if b.Min[k] != lo || b.Max[k] != hi || !(b.Median[k] >= lo && b.Median[k] <= hi) {
			t.Fatalf("point %d: band [%v, %v, %v], members' range [%v, %v]", k, b.Min[k], b.Median[k], b.Max[k], lo, hi)
		}
	}
	if len(b.Regions) != 2 || b.Regions[0].CL != 0.68 {
		t.Fatalf("regions %+v", b.Regions)
	}
	r68 := b.Regions[0]
	// The members are shifted discs: the same areas, the largest shift
	// 0.3 along the first axis, none along the second.
	if r68.SizeRelStd > 1e-2 {
		t.Errorf("relative spread of equal areas %v", r68.SizeRelStd)
	}
	if math.Abs(r68.Shift[0]-0.3) > 0.02 || r68.Shift[1] > 0.02 {
		t.Errorf("shifts %v, want [0.3 0]", r68.Shift)
	}
	if r68.HalfWidthStd[0] > 0.01 {
		t.Errorf("half-width spread %v of equal discs", r68.HalfWidthStd)
	}
	if _, err := NewBand("scan", [][]float64{x, y}, mean, []*Result{{PValues: []float64{1}}}); err == nil {
		t.Error("a member with the wrong number of points was accepted")
	}
}

// TestRegionSpreadJSONNonFinite: an empty region (NaN ends, NaN relative
// spread) is written, as null, and read back as NaN; finite values come
// back exactly.
func TestRegionSpreadJSONNonFinite(t *testing.T) {
	nan := math.NaN()
	r := RegionSpread{CL: 0.68, Size: 0, MemberSizes: Floats{0, 0.25}, SizeStd: 0.17, SizeRelStd: nan,
		Extent: [][2]float64{{nan, nan}}, MemberExtents: [][][2]float64{{{nan, nan}}, {{-0.1, 0.3}}},
		HalfWidthStd: Floats{0.14}, Shift: Floats{math.Inf(1)}, SymDiff: Floats{nan, nan}, MaxSymDiff: nan}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back RegionSpread
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) || math.IsInf(a, 0)) && math.IsNaN(b) }
	if !same(r.SizeRelStd, back.SizeRelStd) || !same(r.MaxSymDiff, back.MaxSymDiff) || back.SizeStd != r.SizeStd ||
		!same(r.Extent[0][0], back.Extent[0][0]) || back.MemberExtents[1][0] != r.MemberExtents[1][0] || !same(r.Shift[0], back.Shift[0]) {
		t.Errorf("%s read back as %+v", b, back)
	}
}
