// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// grid adapts a flattened grid (first axis slowest) to plotter.GridXYZ.
type grid struct{ x, y, z []float64 }

func (g grid) Dims() (c, r int)   { return len(g.x), len(g.y) }
func (g grid) Z(c, r int) float64 { return g.z[c*len(g.y)+r] }
func (g grid) X(c int) float64    { return g.x[c] }
func (g grid) Y(r int) float64    { return g.y[r] }

// colourMap returns the perceptually uniform colour map used for heat maps
// over [lo, hi].
// over [lo, hi]: white at lo to mid blue at hi, light enough that the
// black and coloured contour lines drawn over it stay visible.
func colourMap(lo, hi float64) palette.ColorMap {
	cm, err := moreland.NewLuminance([]color.Color{
		color.NRGBA{R: 33, G: 113, B: 181, A: 255},
		color.NRGBA{R: 107, G: 174, B: 214, A: 255},
		color.NRGBA{R: 198, G: 219, B: 239, A: 255},
		color.NRGBA{R: 255, G: 255, B: 255, A: 255},
	})
	if err != nil {
		panic(err) // the controls above have increasing luminance
	}
	r := palette.Reverse(cm)
	r.SetMin(lo)
	r.SetMax(hi)
	return r
}

// lineColours are the colours of the lines of successive data sets:
// distinct from each other and visible on white and on the heat maps.
var lineColours = [...]color.Color{
	color.NRGBA{A: 255},
	color.NRGBA{R: 214, G: 39, B: 40, A: 255},
	color.NRGBA{R: 255, G: 127, B: 14, A: 255},
	color.NRGBA{R: 44, G: 160, B: 44, A: 255},
	color.NRGBA{R: 148, G: 103, B: 189, A: 255},
	color.NRGBA{R: 140, G: 86, B: 75, A: 255},
	color.NRGBA{R: 227, G: 119, B: 194, A: 255},
}

func lineColour(k int) color.Color { return lineColours[k%len(lineColours)] }

// addHeatMap adds a heat map of g coloured by cm over [cm.Min(), cm.Max()].
func addHeatMap(p *gplot.Plot, g grid, cm palette.ColorMap) {
	h := plotter.NewHeatMap(g, cm.Palette(256))
	h.Min, h.Max = cm.Min(), cm.Max()
	h.Underflow, h.Overflow = color.White, color.Black
	h.Rasterized = uniform(g.x) && uniform(g.y)
	p.Add(h)
	p.X.Min, p.X.Max = halfCellRange(g.x)
	p.Y.Min, p.Y.Max = halfCellRange(g.y)
}

// uniform reports whether v is evenly spaced, so that a heat map can be
// drawn as one image (no seams between cells) rather than cell by cell.
func uniform(v []float64) bool {
	n := len(v)
	h := (v[n-1] - v[0]) / float64(n-1)
	for i := 1; i < n; i++ {
		if math.Abs(v[i]-v[i-1]-h) > 1e-6*math.Abs(h) {
			return false
		}
	}
	return true
}

// halfCellRange returns the range covered by heat-map cells centred on v.
func halfCellRange(v []float64) (lo, hi float64) {
	n := len(v)
	return v[0] - (v[1]-v[0])/2, v[n-1] + (v[n-1]-v[n-2])/2
}

// drawWithColourBar draws p on the left of dc and a vertical colour bar
// for cm, labelled label, on the right, aligned with p's data area. The
// legend, if any, goes in the top right corner of the data area on a
// translucent white box, so it stays legible over the heat map.
func drawWithColourBar(dc draw.Canvas, p *gplot.Plot, leg *gplot.Legend, cm palette.ColorMap, label string) {
	const barW = 0.9 * vg.Inch
	main := draw.Crop(dc, 0, -barW, 0, 0)
	p.Draw(main)
	da := p.DataCanvas(main)
	if leg != nil {
		leg.Top, leg.Left = true, false
		leg.XOffs, leg.YOffs = -vg.Points(4), -vg.Points(4)
		// Legend.Rectangle gives the size but, in plot v0.17.0, puts a
		// right-hand legend on the left and ignores the offsets: place
		// the box here.
		r := leg.Rectangle(da)
		w, h := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
		pad := vg.Points(3)
		top := da.Max.Y + leg.YOffs
		right := da.Max.X + leg.XOffs
		box := vg.Rectangle{
			Min: vg.Point{X: right - w - pad, Y: top - h - leg.TextStyle.FontExtents().Descent - pad},
			Max: vg.Point{X: right + pad, Y: top + pad},
		}
		da.SetColor(color.NRGBA{R: 255, G: 255, B: 255, A: 210})
		da.Fill(box.Path())
		leg.Draw(da)
	}

	b := gplot.New()
	b.HideX()
	b.X.Padding = 0
	b.Y.Padding = 0
	b.Y.Label.Text = label
	b.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: 256})
	b.Y.Min, b.Y.Max = cm.Min(), cm.Max()
	// Lay the bar out so that its data area spans da vertically.
	bar := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: main.Max.X + 4, Y: da.Min.Y},
		Max: vg.Point{X: dc.Max.X, Y: da.Max.Y},
	}}
	bd := b.DataCanvas(bar)
	// Shift so the bar's own axis padding does not shrink it.
	bar.Min.Y -= bd.Min.Y - bar.Min.Y
	bar.Max.Y += bar.Max.Y - bd.Max.Y
	bar.Max.X -= bd.Max.X - bd.Min.X - 0.25*vg.Inch
	b.Draw(bar)
}

func colorNRGBA(r, g, b uint32, a uint8) color.NRGBA {
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// drawWithLegendRight draws p on the left of dc and the legend in a column
// on its right, top-aligned with p's data area, so that the legend never
// hides data.
func drawWithLegendRight(dc draw.Canvas, p *gplot.Plot, leg *gplot.Legend) {
	leg.Top, leg.Left = true, true
	r := leg.Rectangle(dc)
	w := r.Max.X - r.Min.X + vg.Points(8)
	main := draw.Crop(dc, 0, -w, 0, 0)
	p.Draw(main)
	da := p.DataCanvas(main)
	leg.Draw(draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: main.Max.X + vg.Points(6), Y: da.Min.Y},
		Max: vg.Point{X: dc.Max.X, Y: da.Max.Y},
	}})
}
