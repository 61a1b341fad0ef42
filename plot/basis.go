// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Weighter gives the morphing weights w_b(θ) of the basis samples at θ.
// *morphing.Morpher implements it.
type Weighter interface {
	WeightsTo(dst, theta []float64) []float64
	NumBasis() int
}

// Slice is a 2D grid through parameter space.
type Slice struct {
	// Params are the indices of the parameters varied along the x and
	// y axes. {0, 0} means {0, 1}.
	Params [2]int

	// X and Y are the grid values of the two parameters, strictly
	// increasing.
	X, Y []float64

	// At is the point whose other parameters are held fixed; nil means
	// all zero.
	At []float64
}

// BasisQuality draws the morphing basis quality map: log₁₀ √Σ_b w_b(θ)²
// over the slice, as a heat map, with the basis points (projected onto the
// slice) marked. Large squared weights mean large statistical
// fluctuations of morphed predictions. basis holds one point per basis
// sample, in the order of m's weights.
func BasisQuality(m Weighter, basis [][]float64, s Slice, l Labels) (*Figure, error) {
	if m == nil {
		return nil, fmt.Errorf("plot: nil morpher")
	}
	if len(basis) == 0 {
		return nil, fmt.Errorf("plot: empty basis")
	}
	nb, err := numBasis(m)
	if err != nil {
		return nil, err
	}
	if len(basis) != nb {
		return nil, fmt.Errorf("plot: %d basis points for a morpher with %d basis samples", len(basis), nb)
	}
	np := len(basis[0])
	for b, pt := range basis {
		if len(pt) != np {
			return nil, fmt.Errorf("plot: basis point %d has %d parameters, want %d", b, len(pt), np)
		}
		for i, v := range pt {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plot: basis point %d parameter %d is %v", b, i, v)
			}
		}
	}
	if s.Params == [2]int{} {
		s.Params = [2]int{0, 1}
	}
	if a, b := s.Params[0], s.Params[1]; a < 0 || b < 0 || a >= np || b >= np || a == b {
		return nil, fmt.Errorf("plot: slice parameters %v out of range for %d parameters", s.Params, np)
	}
	if err := checkAxis("x", s.X); err != nil {
		return nil, err
	}
	if err := checkAxis("y", s.Y); err != nil {
		return nil, err
	}
	if s.At != nil && len(s.At) != np {
		return nil, fmt.Errorf("plot: slice point has %d parameters, want %d", len(s.At), np)
	}
	for i, v := range s.At {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("plot: slice point parameter %d is %v", i, v)
		}
	}
	z, err := qualityGrid(m, np, s)
	if err != nil {
		return nil, err
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range z {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-0.5, hi+0.5
	}
	g := grid{x: s.X, y: s.Y, z: z}
	pts := make(plotter.XYs, len(basis))
	for b, pt := range basis {
		pts[b] = plotter.XY{X: pt[s.Params[0]], Y: pt[s.Params[1]]}
	}
	fig := &Figure{draw: func(dc draw.Canvas) {
		p := newPlot(l)
		cm := colourMap(lo, hi)
		addHeatMap(p, g, cm)
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			panic(err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: lineColour(1), Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		leg := gplot.NewLegend()
		leg.Add("basis points", sc)
		drawWithColourBar(dc, p, &leg, cm, "log10 √Σ w²")
	}}
	return fig, nil
}

// numBasis returns m.NumBasis(), turning a panic of the caller's morpher
// (e.g. a nil *morphing.Morpher) into an error.
func numBasis(m Weighter) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plot: morpher failed: %v", r)
		}
	}()
	return m.NumBasis(), nil
}

// qualityGrid returns log₁₀ √Σ_b w_b(θ)² at each grid point of the slice,
// first axis slowest. A panic of the caller's morpher becomes an error.
func qualityGrid(m Weighter, np int, s Slice) (z []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			z, err = nil, fmt.Errorf("plot: morpher failed: %v", r)
		}
	}()
	theta := make([]float64, np)
	copy(theta, s.At)
	z = make([]float64, 0, len(s.X)*len(s.Y))
	var w []float64
	for _, x := range s.X {
		for _, y := range s.Y {
			theta[s.Params[0]], theta[s.Params[1]] = x, y
			w = m.WeightsTo(w, theta)
			if len(w) != m.NumBasis() {
				return nil, fmt.Errorf("plot: morpher returned %d weights, want %d", len(w), m.NumBasis())
			}
			var sum float64
			for _, v := range w {
				sum += v * v
			}
			v := 0.5 * math.Log10(sum)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plot: Σw² = %v at θ = %v", sum, theta)
			}
			z = append(z, v)
		}
	}
	return z, nil
}
