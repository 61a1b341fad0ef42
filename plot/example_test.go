// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/plot"
)

// The 95% CL contour of a two-parameter Wilks p-value, p = exp(−q/2) with
// q = θ₀² + 4θ₁², is the ellipse q = −2 log 0.05 ≈ 5.99, with semi-axes
// 2.448 and 1.224; on a grid of step 0.1 the contour comes within 0.005.
func ExampleIsolines() {
	n := 61
	x := make([]float64, n)
	for i := range x {
		x[i] = -3 + 6*float64(i)/float64(n-1)
	}
	p := make([]float64, 0, n*n)
	for _, u := range x {
		for _, v := range x {
			p = append(p, math.Exp(-(u*u+4*v*v)/2))
		}
	}
	lines, err := plot.Isolines(x, x, p, plot.P95)
	if err != nil {
		log.Fatal(err)
	}
	var xmax, ymax float64
	for _, l := range lines {
		for k := range l.X {
			xmax, ymax = math.Max(xmax, l.X[k]), math.Max(ymax, l.Y[k])
		}
	}
	fmt.Printf("%d line, closed: %v, semi-axes %.3f and %.3f\n", len(lines), lines[0].Closed, xmax, ymax)
	// Output:
	// 1 line, closed: true, semi-axes 2.450 and 1.228
}

func ExamplePValueMap() {
	x := []float64{-1, -0.5, 0, 0.5, 1}
	y := []float64{-1, 0, 1}
	p := make([]float64, 0, len(x)*len(y))
	for _, u := range x {
		for _, v := range y {
			p = append(p, math.Exp(-(9*u*u+4*v*v)/2))
		}
	}
	fig, err := plot.PValueMap(x, y, []plot.Scan{{Label: "rate", P: p, BestFit: []float64{0, 0}}},
		plot.Labels{X: "c_W [TeV⁻²]", Y: "c_WW [TeV⁻²]"})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "goldmine-plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	err = fig.Save(filepath.Join(dir, "limits.png"), filepath.Join(dir, "limits.pdf"))
	fmt.Println(err)
	// Output:
	// <nil>
}
