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

// Series is one curve with optional symmetric error bars.
type Series struct {
	Label string
	X, Y  []float64
	// Err, if not nil, holds the half-width of the error bar at each point.
	Err []float64
	// Band draws Err as a translucent band around the curve instead of
	// error bars.
	Band bool
}

// Curves draws the series as lines with markers and error bars, for
// instance an error against the training-set size for several methods.
// With logLog both axes are logarithmic, and all X and Y must then be
// positive (error bars are clipped at a tenth of the value below).
func Curves(series []Series, logLog bool, l Labels) (*Figure, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plot: no series")
	}
	for k, s := range series {
		if len(s.X) == 0 || len(s.X) != len(s.Y) || (s.Err != nil && len(s.Err) != len(s.X)) {
			return nil, fmt.Errorf("plot: series %d (%q): %d x, %d y and %d error values", k, s.Label, len(s.X), len(s.Y), len(s.Err))
		}
		for i := range s.X {
			if bad(s.X[i]) || bad(s.Y[i]) || (s.Err != nil && (bad(s.Err[i]) || s.Err[i] < 0)) {
				return nil, fmt.Errorf("plot: series %d (%q): point %d is not finite", k, s.Label, i)
			}
			if logLog && (s.X[i] <= 0 || s.Y[i] <= 0) {
				return nil, fmt.Errorf("plot: series %d (%q): point %d (%g, %g) is not positive on log axes", k, s.Label, i, s.X[i], s.Y[i])
			}
		}
	}
	fig := &Figure{draw: func(dc draw.Canvas) {
		p := newPlot(l)
		leg := gplot.NewLegend()
		leg.TextStyle = p.Legend.TextStyle
		p.Add(plotter.NewGrid())
		if logLog {
			p.X.Scale, p.Y.Scale = gplot.LogScale{}, gplot.LogScale{}
			p.X.Tick.Marker, p.Y.Tick.Marker = gplot.LogTicks{Prec: -1}, gplot.LogTicks{Prec: -1}
		}
		for k, s := range series {
			pts := make(plotter.XYs, len(s.X))
			for i := range s.X {
				pts[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
			}
			style := draw.LineStyle{Color: lineColour(k), Width: vg.Points(1.5)}
			if k >= len(lineColours) {
				// The colours repeat: dashed lines tell the curves apart.
				style.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
			}
			ln, sc, err := plotter.NewLinePoints(pts)
			if err != nil {
				panic(err)
			}
			ln.LineStyle = style
			sc.GlyphStyle.Color, sc.GlyphStyle.Radius = lineColour(k), vg.Points(2.5)
			if k >= len(lineColours) {
				sc.GlyphStyle.Shape = draw.BoxGlyph{}
			}
			p.Add(ln, sc)
			if s.Err != nil && s.Band {
				poly := make(plotter.XYs, 0, 2*len(s.X))
				for i := range s.X {
					poly = append(poly, plotter.XY{X: s.X[i], Y: s.Y[i] + s.Err[i]})
				}
				for i := len(s.X) - 1; i >= 0; i-- {
					lo := s.Y[i] - s.Err[i]
					if logLog {
						lo = math.Max(lo, 0.1*s.Y[i])
					}
					poly = append(poly, plotter.XY{X: s.X[i], Y: lo})
				}
				pg, err := plotter.NewPolygon(poly)
				if err != nil {
					panic(err)
				}
				r, g, b, _ := lineColour(k).RGBA()
				pg.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 60}
				pg.LineStyle.Width = 0
				p.Add(pg)
			}
			if s.Err != nil && !s.Band {
				yerr := make(plotter.YErrors, len(s.X))
				for i, e := range s.Err {
					lo := e
					if logLog {
						lo = math.Min(e, 0.9*s.Y[i])
					}
					yerr[i] = struct{ Low, High float64 }{lo, e}
				}
				eb, err := plotter.NewYErrorBars(struct {
					plotter.XYer
					plotter.YErrorer
				}{pts, yerr})
				if err != nil {
					panic(err)
				}
				eb.LineStyle = style
				p.Add(eb)
			}
			leg.Add(s.Label, ln, sc)
		}
		// The legend goes beside the data, right of the plot, where it
		// cannot hide a curve.
		leg.Top, leg.Left = true, true
		w := leg.Rectangle(dc).Size().X + vg.Points(6)
		p.Draw(draw.Crop(dc, 0, -w, 0, 0))
		leg.Draw(draw.Crop(dc, dc.Size().X-w+vg.Points(6), 0, 0, -vg.Points(6)))
	}}
	return fig, nil
}

func bad(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
