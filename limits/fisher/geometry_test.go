// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// halfPlane is the Poincaré half-plane metric (dx² + dy²)/y², whose
// geodesic distance is known in closed form.
func halfPlane(theta []float64) (*mat.SymDense, error) {
	y := theta[1]
	return mat.NewSymDense(2, []float64{1 / (y * y), 0, 0, 1 / (y * y)}), nil
}

func halfPlaneDistance(a, b []float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	return math.Acosh(1 + (dx*dx+dy*dy)/(2*a[1]*b[1]))
}

func TestChristoffelHalfPlane(t *testing.T) {
	th := []float64{0.3, 1.7}
	g, err := Christoffel(nil, halfPlane, th, 0)
	if err != nil {
		t.Fatal(err)
	}
	y := th[1]
	want := map[[3]int]float64{
		{0, 0, 1}: -1 / y, {0, 1, 0}: -1 / y, {1, 0, 0}: 1 / y, {1, 1, 1}: -1 / y,
	}
	for a := 0; a < 2; a++ {
		for b := 0; b < 2; b++ {
			for c := 0; c < 2; c++ {
				if got := g[(a*2+b)*2+c]; math.Abs(got-want[[3]int{a, b, c}]) > 1e-7 {
					t.Errorf("Γ^%d_%d%d = %v, want %v", a, b, c, got, want[[3]int{a, b, c}])
				}
			}
		}
	}
}

func TestGeodesicDistanceHalfPlane(t *testing.T) {
	a := []float64{0, 1}
	for _, b := range [][]float64{{1, 1}, {-0.5, 2}, {0.3, 0.4}, {0, 3}} {
		d, err := GeodesicDistance(halfPlane, a, b, 60)
		if err != nil {
			t.Fatal(err)
		}
		if want := halfPlaneDistance(a, b); math.Abs(d-want) > 1e-5*want {
			t.Errorf("d(%v, %v) = %.8f, closed form %.8f", a, b, d, want)
		}
		// The integrated length along the path agrees too.
		w := []float64{b[0] - a[0], b[1] - a[1]}
		path, dist, err := Geodesic(halfPlane, a, w, 60)
		if err != nil {
			t.Fatal(err)
		}
		end := path[len(path)-1]
		if want := halfPlaneDistance(a, end); math.Abs(dist[len(dist)-1]-want) > 1e-6*want {
			t.Errorf("path length %v, closed form to its end %v", dist[len(dist)-1], want)
		}
	}
}

func TestGeodesicFlatAndHistogram(t *testing.T) {
	in := &Information{Matrix: mat.NewSymDense(2, []float64{4, 1, 1, 3})}
	pts := [][]float64{{0.5, 0.2}, {-1, 1}}
	d, p, err := DistanceMap(ConstantMetric(in), []float64{0, 0}, pts, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i, th := range pts {
		if want := Distance(in, th); math.Abs(d[i]-want) > 1e-7 {
			t.Errorf("flat metric: d = %v, want %v", d[i], want)
		}
		if want := math.Exp(-d[i] * d[i] / 2); math.Abs(p[i]-want) > 1e-12 {
			t.Errorf("p = %v, want %v", p[i], want)
		}
	}
	// Histogram metric: for small steps the geodesic distance tends to the
	// linearised one, and it differs at larger ones.
	m, basis := toyMorpher(t)
	x, w := toyEvents(2000, basis, 11)
	h, _ := NewHistogram(6, []float64{-1, 0, 1})
	_ = h.Add(len(x), [][]float64{x}, w, nil)
	g := h.Metric(m, 100)
	th0 := []float64{0.3, 0.2}
	i0, _ := h.Information(m, th0, 100)
	for _, step := range [][]float64{{0.01, -0.005}, {-0.15, 0.1}} {
		th := []float64{th0[0] + step[0], th0[1] + step[1]}
		ds, err := GeodesicDistance(g, th0, th, 50)
		if err != nil {
			t.Fatal(err)
		}
		lin := Distance(i0, step)
		t.Logf("step %v: geodesic %.5f, linearised %.5f", step, ds, lin)
		if step[0] < 0.1 && math.Abs(ds/lin-1) > 0.02 {
			t.Errorf("small step: geodesic %v, linear %v", ds, lin)
		}
	}
}
