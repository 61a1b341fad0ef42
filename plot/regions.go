// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"fmt"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// RegionSet is one field over a 2-D grid and the levels whose
// super-level sets {z ≥ level} are its regions: a posterior density with
// the thresholds of its highest-density regions, or p-values with P68 and
// P95.
type RegionSet struct {
	Label string
	// X and Y are the set's own grid; nil means the figure's.
	X, Y []float64
	// Z holds the field at each grid point, Z[i*len(y)+j] at (x[i], y[j]).
	Z []float64
	// Levels are the contour levels; the first is drawn solid, the
	// others dashed.
	Levels []float64
	// Colour is the index of the line colour (sets sharing one are told
	// apart by Thin).
	Colour int
	// Thin draws thin lines without a legend entry (the members of an
	// ensemble beside their mixture).
	Thin bool
}

// Regions draws the contours of every set over the grid (x, y) in its
// own colour, the first level solid and the others dashed, without a heat
// map: credible regions of posteriors beside frequentist confidence
// regions and the members of an ensemble beside their mixture. truth, if
// not nil, marks a point.
func Regions(x, y []float64, sets []RegionSet, truth []float64, l Labels) (*Figure, error) {
	if len(sets) == 0 {
		return nil, fmt.Errorf("plot: no regions")
	}
	if err := checkBestFit(truth, 2); err != nil {
		return nil, fmt.Errorf("plot: true point: %w", err)
	}
	lines := make([][][]Polyline, len(sets))
	for k, s := range sets {
		sx, sy := x, y
		if s.X != nil || s.Y != nil {
			sx, sy = s.X, s.Y
		}
		if err := checkGrid(sx, sy, s.Z); err != nil {
			return nil, fmt.Errorf("plot: region set %d (%q): %w", k, s.Label, err)
		}
		if len(s.Levels) == 0 {
			return nil, fmt.Errorf("plot: region set %d (%q) without levels", k, s.Label)
		}
		for _, lev := range s.Levels {
			pl, err := Isolines(sx, sy, s.Z, lev)
			if err != nil {
				return nil, fmt.Errorf("plot: region set %d (%q): %w", k, s.Label, err)
			}
			lines[k] = append(lines[k], pl)
		}
	}
	fig := &Figure{draw: func(dc draw.Canvas) {
		p := newPlot(l)
		leg := gplot.NewLegend()
		p.Add(plotter.NewGrid())
		for k, s := range sets {
			style := draw.LineStyle{Color: lineColour(s.Colour + 1), Width: vg.Points(2)}
			if s.Thin {
				style.Width = vg.Points(0.7)
			}
			var thumb *plotter.Line
			for i, ls := range lines[k] {
				st := style
				if i > 0 {
					st.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
				}
				for _, pl := range ls {
					ln := mustLine(xys(pl))
					ln.LineStyle = st
					p.Add(ln)
				}
			}
			if !s.Thin {
				thumb = mustLine(plotter.XYs{{X: x[0], Y: y[0]}})
				thumb.LineStyle = style
				leg.Add(s.Label, thumb)
			}
		}
		if truth != nil {
			m := bestFitMarker(truth[0], truth[1], draw.LineStyle{Color: lineColour(0)})
			m.GlyphStyle.Shape = draw.CrossGlyph{}
			p.Add(m)
			leg.Add("θ true", m)
		}
		p.X.Min, p.X.Max = x[0], x[len(x)-1]
		p.Y.Min, p.Y.Max = y[0], y[len(y)-1]
		drawWithLegendRight(dc, p, &leg)
	}}
	return fig, nil
}
