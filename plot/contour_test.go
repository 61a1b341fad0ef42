// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"math"
	"testing"
)

func linspace(a, b float64, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	return v
}

func field(x, y []float64, f func(x, y float64) float64) []float64 {
	z := make([]float64, 0, len(x)*len(y))
	for _, u := range x {
		for _, v := range y {
			z = append(z, f(u, v))
		}
	}
	return z
}

// A linear field is interpolated exactly, so every vertex lies on the
// level line to rounding, and the line crosses the whole grid.
func TestIsolinesLinearExact(t *testing.T) {
	x := linspace(-1, 2, 13)
	y := []float64{-3, -2.5, -1, 0, 0.2, 1, 4} // non-uniform on purpose
	f := func(x, y float64) float64 { return 0.7*x - 0.3*y + 0.1 }
	lines, err := Isolines(x, y, field(x, y, f), 0.25)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Closed {
		t.Fatalf("got %d lines (closed=%v), want one open line", len(lines), len(lines) > 0 && lines[0].Closed)
	}
	l := lines[0]
	for k := range l.X {
		if d := f(l.X[k], l.Y[k]) - 0.25; math.Abs(d) > 1e-12 {
			t.Errorf("vertex %d (%g, %g): f-level = %g", k, l.X[k], l.Y[k], d)
		}
	}
	// The ends lie on the grid border.
	onBorder := func(px, py float64) bool {
		const eps = 1e-12
		return math.Abs(px-x[0]) < eps || math.Abs(px-x[len(x)-1]) < eps ||
			math.Abs(py-y[0]) < eps || math.Abs(py-y[len(y)-1]) < eps
	}
	n := len(l.X) - 1
	if !onBorder(l.X[0], l.Y[0]) || !onBorder(l.X[n], l.Y[n]) {
		t.Errorf("open line ends (%g,%g) and (%g,%g) are not on the border", l.X[0], l.Y[0], l.X[n], l.Y[n])
	}
}

// The p-value of a χ² with two degrees of freedom, p = exp(-q/2) with
// q = θᵀAθ, is 0.05 on the ellipse q = -2 log 0.05. The marching-squares
// contour of p sampled on a grid must lie within half a grid cell of it
// and go all the way round.
func TestIsolinesPValueEllipse(t *testing.T) {
	a11, a12, a22 := 2.0, 0.6, 0.8
	q := func(u, v float64) float64 { return a11*u*u + 2*a12*u*v + a22*v*v }
	p := func(u, v float64) float64 { return math.Exp(-q(u, v) / 2) }
	x := linspace(-4, 4, 41)
	y := linspace(-5, 5, 51)
	h := math.Max(x[1]-x[0], y[1]-y[0])
	lines, err := Isolines(x, y, field(x, y, p), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || !lines[0].Closed {
		t.Fatalf("got %d lines, want one closed line", len(lines))
	}
	q0 := -2 * math.Log(0.05)
	l := lines[0]
	var turn float64
	for k := range l.X {
		u, v := l.X[k], l.Y[k]
		// Distance to the ellipse: scale the point radially onto it.
		s := math.Sqrt(q0 / q(u, v))
		if d := math.Hypot(u-s*u, v-s*v); d > h/2 {
			t.Errorf("vertex %d (%g, %g) is %g from the p=0.05 ellipse, more than half a cell (%g)", k, u, v, d, h/2)
		}
		k1 := (k + 1) % len(l.X)
		turn += angleDiff(math.Atan2(l.Y[k1], l.X[k1]), math.Atan2(v, u))
	}
	if math.Abs(math.Abs(turn)-2*math.Pi) > 1e-9 {
		t.Errorf("contour winds %g rad around the best fit, want 2π", turn)
	}
}

func angleDiff(a, b float64) float64 {
	d := a - b
	for d > math.Pi {
		d -= 2 * math.Pi
	}
	for d < -math.Pi {
		d += 2 * math.Pi
	}
	return d
}

// Two separate minima give two closed lines; a saddle cell must not join
// them.
func TestIsolinesTwoIslands(t *testing.T) {
	x := linspace(-3, 3, 31)
	y := linspace(-2, 2, 21)
	f := func(u, v float64) float64 {
		return math.Exp(-((u-1.2)*(u-1.2)+v*v)/0.3) + math.Exp(-((u+1.2)*(u+1.2)+v*v)/0.3)
	}
	lines, err := Isolines(x, y, field(x, y, f), 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2", len(lines))
	}
	for i, l := range lines {
		if !l.Closed {
			t.Errorf("line %d is open", i)
		}
		for k := range l.X {
			if d := f(l.X[k], l.Y[k]) - 0.5; math.Abs(d) > 0.05 {
				t.Errorf("line %d vertex %d: f-level = %g", i, k, d)
			}
		}
	}
}

func TestIsolinesBadInput(t *testing.T) {
	x := []float64{0, 1, 2}
	y := []float64{0, 1}
	good := []float64{0, 1, 2, 3, 4, 5}
	for _, tc := range []struct {
		name    string
		x, y, z []float64
		level   float64
	}{
		{"empty", nil, nil, nil, 0},
		{"short z", x, y, good[:5], 0},
		{"nan z", x, y, []float64{0, 1, math.NaN(), 3, 4, 5}, 0},
		{"unsorted x", []float64{0, 2, 1}, y, good, 0},
		{"nan x", []float64{0, math.NaN(), 1}, y, good, 0},
		{"nan level", x, y, good, math.NaN()},
	} {
		if _, err := Isolines(tc.x, tc.y, tc.z, tc.level); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
