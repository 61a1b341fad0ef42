// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/limits/fisher"
)

func diag(v ...float64) *mat.SymDense {
	m := mat.NewSymDense(len(v), nil)
	for i, x := range v {
		m.SetSym(i, i, x)
	}
	return m
}

func quad(m mat.Symmetric, v []float64) float64 {
	return mat.Inner(mat.NewVecDense(len(v), v), m, mat.NewVecDense(len(v), v))
}

func TestDistanceContourEllipse(t *testing.T) {
	m := mat.NewSymDense(2, []float64{3.5, -1.2, -1.2, 0.9})
	c := [2]float64{0.3, -0.7}
	cs, err := distanceContour(m, c, 64, [2]float64{-10, 10}, [2]float64{-10, 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || !cs[0].Closed || len(cs[0].X) != 64 {
		t.Fatalf("got %d polylines, want one closed ellipse of 64 points", len(cs))
	}
	var area float64
	pl := cs[0]
	for k := range pl.X {
		v := []float64{pl.X[k] - c[0], pl.Y[k] - c[1]}
		if d := quad(m, v); math.Abs(d-1) > 1e-9 {
			t.Errorf("point %d: θᵀIθ = %.12g, want 1", k, d)
		}
		k1 := (k + 1) % len(pl.X)
		area += (pl.X[k]-c[0])*(pl.Y[k1]-c[1]) - (pl.X[k1]-c[0])*(pl.Y[k]-c[1])
	}
	// The inscribed 64-gon has area n/2 sin(2π/n) π⁻¹ times that of the
	// ellipse, π/√det I.
	n := 64.0
	want := math.Pi / math.Sqrt(mat.Det(m)) * n / 2 * math.Sin(2*math.Pi/n) / math.Pi
	if got := math.Abs(area) / 2; !scalar.EqualWithinRel(got, want, 1e-9) {
		t.Errorf("polygon area %g, want %g", got, want)
	}
}

// A rate-only information I = ∇σ∇σᵀ/σ is rank one: its contour is the
// pair of lines |∇σ·v| = √σ, clipped to the window.
func TestDistanceContourRankOne(t *testing.T) {
	g := []float64{2, -1}
	m := mat.NewSymDense(2, []float64{g[0] * g[0], g[0] * g[1], g[1] * g[0], g[1] * g[1]})
	c := [2]float64{1, 2}
	xr, yr := [2]float64{-3, 5}, [2]float64{-4, 6}
	cs, err := distanceContour(m, c, 100, xr, yr)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Fatalf("got %d lines, want 2", len(cs))
	}
	signs := map[float64]bool{}
	for i, pl := range cs {
		for k := range pl.X {
			v := []float64{pl.X[k] - c[0], pl.Y[k] - c[1]}
			if d := quad(m, v); math.Abs(d-1) > 1e-9 {
				t.Errorf("line %d point %d: θᵀIθ = %.12g, want 1", i, k, d)
			}
			if pl.X[k] < xr[0]-1e-12 || pl.X[k] > xr[1]+1e-12 || pl.Y[k] < yr[0]-1e-12 || pl.Y[k] > yr[1]+1e-12 {
				t.Errorf("line %d point %d (%g,%g) outside the window", i, k, pl.X[k], pl.Y[k])
			}
			signs[math.Copysign(1, g[0]*v[0]+g[1]*v[1])] = true
		}
	}
	if len(signs) != 2 {
		t.Error("both lines on the same side of the centre")
	}
}

// Profiling must give the inverse of the (p,p) block of I⁻¹; fixing must
// give the sub-matrix.
func TestProject(t *testing.T) {
	full := mat.NewSymDense(3, []float64{
		4, 1, 0.5,
		1, 3, -0.7,
		0.5, -0.7, 2,
	})
	var inv mat.Dense
	if err := inv.Inverse(full); err != nil {
		t.Fatal(err)
	}
	params := [2]int{2, 0}
	sub := mat.NewDense(2, 2, []float64{
		inv.At(2, 2), inv.At(2, 0),
		inv.At(0, 2), inv.At(0, 0),
	})
	var want mat.Dense
	if err := want.Inverse(sub); err != nil {
		t.Fatal(err)
	}
	got, err := project(&fisher.Information{Matrix: full}, params, true)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(got, &want, 1e-12) {
		t.Errorf("profiled:\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(&want))
	}
	got, err = project(&fisher.Information{Matrix: full}, params, false)
	if err != nil {
		t.Fatal(err)
	}
	fixed := mat.NewDense(2, 2, []float64{2, 0.5, 0.5, 4})
	if !mat.Equal(got, fixed) {
		t.Errorf("fixed:\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(fixed))
	}
}

func TestDetRoot(t *testing.T) {
	got, err := detRoot(diag(2, 8, 4))
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(got, 4, 1e-14) {
		t.Errorf("diag(2,8,4): got %g, want 4", got)
	}
	m := mat.NewSymDense(3, []float64{5, 1, 0.3, 1, 4, -1, 0.3, -1, 3})
	got, err = detRoot(m)
	if err != nil {
		t.Fatal(err)
	}
	if want := math.Cbrt(mat.Det(m)); !scalar.EqualWithinRel(got, want, 1e-12) {
		t.Errorf("got %g, want %g", got, want)
	}
	// Singular (rank one): zero, not an error.
	got, err = detRoot(mat.NewSymDense(2, []float64{1, 2, 2, 4}))
	if err != nil || got != 0 {
		t.Errorf("rank one: got %g, %v; want 0", got, err)
	}
	if _, err := detRoot(mat.NewSymDense(2, []float64{1, 0, 0, -1})); err == nil {
		t.Error("indefinite: no error")
	}
}

func TestFisherFigures(t *testing.T) {
	full := mat.NewSymDense(3, []float64{4, 1, 0.5, 1, 3, -0.7, 0.5, -0.7, 2})
	g := []float64{1.5, 0.5, 0.2}
	rate := mat.NewSymDense(3, nil)
	for i := range g {
		for j := i; j < 3; j++ {
			rate.SetSym(i, j, g[i]*g[j])
		}
	}
	infos := []Information{
		{Label: "parton truth", Info: &fisher.Information{Matrix: full}},
		{Label: "rate", Info: &fisher.Information{Matrix: rate}},
		{Label: "histogram p_T", Info: &fisher.Information{Matrix: diag(2, 1, 1)}},
	}
	fig, err := FisherContours(infos, &ContourSettings{Params: [2]int{0, 1}}, Labels{Title: "Fisher information", X: "f_W", Y: "f_WW"})
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, fig, "fisher_contours")
	fig, err = InformationDeterminants(infos, Labels{Title: "det(I)^(1/n)"})
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, fig, "fisher_det")
}

func TestFisherBadInput(t *testing.T) {
	good := diag(1, 2)
	nan := mat.NewSymDense(2, []float64{1, math.NaN(), math.NaN(), 1})
	for _, tc := range []struct {
		name  string
		infos []Information
		s     *ContourSettings
	}{
		{"none", nil, nil},
		{"nil matrix", []Information{{Label: "x"}}, nil},
		{"typed nil matrix", []Information{{Label: "x", Info: &fisher.Information{Matrix: (*mat.SymDense)(nil)}}}, nil},
		{"empty matrix", []Information{{Label: "x", Info: &fisher.Information{Matrix: &mat.SymDense{}}}}, nil},
		{"nan", []Information{{Label: "x", Info: &fisher.Information{Matrix: nan}}}, nil},
		{"zero", []Information{{Label: "x", Info: &fisher.Information{Matrix: diag(0, 0)}}}, nil},
		{"indefinite", []Information{{Label: "x", Info: &fisher.Information{Matrix: diag(1, -1)}}}, nil},
		{"param out of range", []Information{{Label: "x", Info: &fisher.Information{Matrix: good}}}, &ContourSettings{Params: [2]int{0, 2}}},
		{"same params", []Information{{Label: "x", Info: &fisher.Information{Matrix: good}}}, &ContourSettings{Params: [2]int{1, 1}}},
		{"nan centre", []Information{{Label: "x", Info: &fisher.Information{Matrix: good}}}, &ContourSettings{Centre: [2]float64{math.NaN(), 0}}},
		{"empty window", []Information{{Label: "x", Info: &fisher.Information{Matrix: good}}}, &ContourSettings{XRange: [2]float64{1, 1}}},
		{"singular profile", []Information{{Label: "x", Info: &fisher.Information{Matrix: diag(1, 1, 0)}}}, &ContourSettings{Profile: true}},
	} {
		if _, err := FisherContours(tc.infos, tc.s, Labels{}); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	for _, infos := range [][]Information{nil, {{Label: "x"}}, {{Label: "x", Info: &fisher.Information{Matrix: (*mat.SymDense)(nil)}}}, {{Label: "x", Info: &fisher.Information{Matrix: &mat.SymDense{}}}}, {{Label: "x", Info: &fisher.Information{Matrix: nan}}}, {{Label: "x", Info: &fisher.Information{Matrix: diag(1, -1)}}}} {
		if _, err := InformationDeterminants(infos, Labels{}); err == nil {
			t.Errorf("determinants of %v: no error", infos)
		}
	}
}
