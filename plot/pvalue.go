// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"fmt"
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// P-values of the contours drawn on p-value maps: 68% and 95% confidence
// level.
const (
	P68 = 0.32
	P95 = 0.05
)

// Scan is the result of one limit scan over a grid of parameter points.
type Scan struct {
	Label string

	// P holds the p-value at each grid point (for a 2D grid,
	// P[i*len(y)+j] is the p-value at (x[i], y[j])).
	P []float64

	// BestFit is the best-fit point, one value per scanned parameter;
	// nil marks none.
	BestFit []float64
}

// scanColour is the line colour of scan k on a heat map.
func scanColour(k int) draw.LineStyle {
	return draw.LineStyle{Color: lineColour(k + 1), Width: vg.Points(2)}
}

// PValueMap draws the p-values of the first scan as a heat map over the
// grid (x, y), and for every scan the 68% and 95% CL contours (p = P68,
// solid, and p = P95, dashed) in its own colour, with its best fit marked.
func PValueMap(x, y []float64, scans []Scan, l Labels) (*Figure, error) {
	if len(scans) == 0 {
		return nil, fmt.Errorf("plot: no scans")
	}
	type lines struct{ l68, l95 []Polyline }
	conts := make([]lines, len(scans))
	for k, s := range scans {
		if err := checkGrid(x, y, s.P); err != nil {
			return nil, fmt.Errorf("plot: scan %d (%q): %w", k, s.Label, err)
		}
		if err := checkPValues(s.P); err != nil {
			return nil, fmt.Errorf("plot: scan %d (%q): %w", k, s.Label, err)
		}
		if err := checkBestFit(s.BestFit, 2); err != nil {
			return nil, fmt.Errorf("plot: scan %d (%q): %w", k, s.Label, err)
		}
		var err error
		if conts[k].l68, err = Isolines(x, y, s.P, P68); err != nil {
			return nil, err
		}
		if conts[k].l95, err = Isolines(x, y, s.P, P95); err != nil {
			return nil, err
		}
	}
	g := grid{x: x, y: y, z: scans[0].P}
	fig := &Figure{draw: func(dc draw.Canvas) {
		p := newPlot(l)
		leg := gplot.NewLegend()
		cm := colourMap(0, 1)
		addHeatMap(p, g, cm)
		for k, s := range scans {
			style := scanColour(k)
			var thumb []gplot.Thumbnailer
			for i, ls := range [2][]Polyline{conts[k].l68, conts[k].l95} {
				st := style
				if i == 1 {
					st.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
				}
				for n, pl := range ls {
					ln := mustLine(xys(pl))
					ln.LineStyle = st
					p.Add(ln)
					if n == 0 && len(thumb) == 0 {
						thumb = []gplot.Thumbnailer{ln}
					}
				}
			}
			if s.BestFit != nil {
				m := bestFitMarker(s.BestFit[0], s.BestFit[1], style)
				p.Add(m)
				thumb = append(thumb, m)
			}
			if len(thumb) == 0 {
				// No contour inside the grid and no best fit: the
				// legend still names the scan.
				ln := mustLine(plotter.XYs{{X: x[0], Y: y[0]}})
				ln.LineStyle = style
				thumb = []gplot.Thumbnailer{ln}
			}
			leg.Add(s.Label, thumb...)
		}
		grey := draw.LineStyle{Color: lineColour(0), Width: vg.Points(1.5)}
		l68 := mustLine(plotter.XYs{{X: x[0], Y: y[0]}})
		l68.LineStyle = grey
		l95 := mustLine(plotter.XYs{{X: x[0], Y: y[0]}})
		l95.LineStyle = grey
		l95.LineStyle.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		leg.Add("68% CL", l68)
		leg.Add("95% CL", l95)
		drawWithColourBar(dc, p, &leg, cm, "p-value ("+scans[0].Label+")")
	}}
	return fig, nil
}

// PValueCurves draws p-value curves of one-parameter scans over x, with the
// p = P68 and p = P95 levels and each scan's best fit marked at p = 1.
func PValueCurves(x []float64, scans []Scan, l Labels) (*Figure, error) {
	if len(scans) == 0 {
		return nil, fmt.Errorf("plot: no scans")
	}
	if err := checkAxis("x", x); err != nil {
		return nil, err
	}
	for k, s := range scans {
		if len(s.P) != len(x) {
			return nil, fmt.Errorf("plot: scan %d (%q) has %d p-values for %d points", k, s.Label, len(s.P), len(x))
		}
		if err := checkPValues(s.P); err != nil {
			return nil, fmt.Errorf("plot: scan %d (%q): %w", k, s.Label, err)
		}
		if err := checkBestFit(s.BestFit, 1); err != nil {
			return nil, fmt.Errorf("plot: scan %d (%q): %w", k, s.Label, err)
		}
	}
	if l.Y == "" {
		l.Y = "p-value"
	}
	fig := &Figure{draw: func(dc draw.Canvas) {
		p := newPlot(l)
		leg := gplot.NewLegend()
		p.Add(plotter.NewGrid())
		for i, lev := range [2]float64{P68, P95} {
			ln := mustLine(plotter.XYs{{X: x[0], Y: lev}, {X: x[len(x)-1], Y: lev}})
			ln.LineStyle = draw.LineStyle{Color: color.Gray{Y: 100}, Width: vg.Points(1),
				Dashes: []vg.Length{vg.Points(2 + 4*float64(i)), vg.Points(3)}}
			p.Add(ln)
			leg.Add(fmt.Sprintf("p = %g", lev), ln)
		}
		for k, s := range scans {
			pts := make(plotter.XYs, len(x))
			for i := range x {
				pts[i] = plotter.XY{X: x[i], Y: s.P[i]}
			}
			ln := mustLine(pts)
			ln.LineStyle = scanColour(k)
			p.Add(ln)
			thumb := []gplot.Thumbnailer{ln}
			if s.BestFit != nil {
				m := bestFitMarker(s.BestFit[0], 1, scanColour(k))
				p.Add(m)
				thumb = append(thumb, m)
			}
			leg.Add(s.Label, thumb...)
		}
		p.X.Min, p.X.Max = x[0], x[len(x)-1]
		p.Y.Min, p.Y.Max = 0, 1.05
		drawWithLegendRight(dc, p, &leg)
	}}
	return fig, nil
}

func checkPValues(p []float64) error {
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("p-value %d is %v, want a number in [0, 1]", i, v)
		}
	}
	return nil
}

func checkBestFit(b []float64, n int) error {
	if b == nil {
		return nil
	}
	if len(b) != n {
		return fmt.Errorf("best fit has %d coordinates, want %d", len(b), n)
	}
	for i, v := range b {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("best-fit coordinate %d is %v", i, v)
		}
	}
	return nil
}

func bestFitMarker(x, y float64, style draw.LineStyle) *plotter.Scatter {
	s, err := plotter.NewScatter(plotter.XYs{{X: x, Y: y}})
	if err != nil {
		panic(err)
	}
	s.GlyphStyle = draw.GlyphStyle{Color: style.Color, Radius: vg.Points(5), Shape: draw.PyramidGlyph{}}
	return s
}

func mustLine(v plotter.XYs) *plotter.Line {
	ln, err := plotter.NewLine(v)
	if err != nil {
		// Inputs are checked before drawing; Figure.drawOn turns this
		// into an error.
		panic(err)
	}
	return ln
}
