// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"fmt"
	"math"
	"slices"
	"sort"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CornerSettings configures Corner. A nil *CornerSettings means all
// defaults.
type CornerSettings struct {
	// Bins is the number of histogram bins per parameter; 0 means 40.
	Bins int
	// Ranges are the plotted ranges of the parameters; nil means the
	// 0.5%–99.5% quantiles of the draws, widened by 10% on each side.
	Ranges [][2]float64
	// Levels are the credibility levels of the 2-D contours; nil means
	// 0.68 (solid) and 0.95 (dashed).
	Levels []float64
	// Truth, if not nil, marks the true parameter point.
	Truth []float64
	// Panel is the size of one panel; 0 means 1.8 inch.
	Panel vg.Length
}

// Corner draws the corner plot of posterior draws (rows of k parameter
// values, k ≥ 1, as posterior.Chains.Flat returns them): on the diagonal
// the histogram of each parameter, normalised to a density; below it, for
// each pair, the 2-D histogram as a heat map with the contours of the
// highest-density regions at Levels. The 2-D histograms are smoothed with
// the 3×3 binomial kernel; the contour of credibility α is the level of
// the smoothed density above which the bins hold the fraction α of the
// draws. names labels the parameters (nil: θ0, θ1, …).
func Corner(draws [][]float64, names []string, s *CornerSettings) (*Figure, error) {
	var set CornerSettings
	if s != nil {
		set = *s
	}
	if set.Bins == 0 {
		set.Bins = 40
	}
	if set.Levels == nil {
		set.Levels = []float64{0.68, 0.95}
	}
	if set.Panel == 0 {
		set.Panel = 1.8 * vg.Inch
	}
	if len(draws) < 2 {
		return nil, fmt.Errorf("plot: corner plot of %d draws, want at least 2", len(draws))
	}
	k := len(draws[0])
	if k == 0 {
		return nil, fmt.Errorf("plot: corner plot of draws without parameters")
	}
	for i, d := range draws {
		if len(d) != k {
			return nil, fmt.Errorf("plot: draw %d has %d parameters, draw 0 has %d", i, len(d), k)
		}
		for p, v := range d {
			if bad(v) {
				return nil, fmt.Errorf("plot: draw %d parameter %d is %v", i, p, v)
			}
		}
	}
	switch {
	case set.Bins < 2:
		return nil, fmt.Errorf("plot: %d corner-plot bins, want at least 2", set.Bins)
	case names != nil && len(names) != k:
		return nil, fmt.Errorf("plot: %d names for %d parameters", len(names), k)
	case set.Ranges != nil && len(set.Ranges) != k:
		return nil, fmt.Errorf("plot: %d ranges for %d parameters", len(set.Ranges), k)
	case set.Truth != nil && len(set.Truth) != k:
		return nil, fmt.Errorf("plot: truth with %d parameters, draws with %d", len(set.Truth), k)
	}
	for _, a := range set.Levels {
		if !(a > 0 && a < 1) {
			return nil, fmt.Errorf("plot: credibility level %v outside (0, 1)", a)
		}
	}
	if names == nil {
		for p := range k {
			names = append(names, fmt.Sprintf("θ%d", p))
		}
	}
	ranges := set.Ranges
	if ranges == nil {
		ranges = make([][2]float64, k)
		col := make([]float64, len(draws))
		for p := range k {
			for i, d := range draws {
				col[i] = d[p]
			}
			slices.Sort(col)
			lo, hi := quantileSorted(col, 0.005), quantileSorted(col, 0.995)
			if hi == lo {
				lo, hi = lo-0.5, hi+0.5
			}
			w := hi - lo
			ranges[p] = [2]float64{lo - 0.1*w, hi + 0.1*w}
		}
	}
	for p, r := range ranges {
		if bad(r[0]) || bad(r[1]) || !(r[1] > r[0]) {
			return nil, fmt.Errorf("plot: range %v of parameter %d", r, p)
		}
	}

	// Histograms: diag[p] over bin centres, pairs[p][q] (q < p) with x =
	// parameter q and y = parameter p, z[i*bins+j].
	nb := set.Bins
	centres := make([][]float64, k)
	for p, r := range ranges {
		centres[p] = make([]float64, nb)
		for i := range nb {
			centres[p][i] = r[0] + (float64(i)+0.5)*(r[1]-r[0])/float64(nb)
		}
	}
	bin := func(p int, v float64) int {
		r := ranges[p]
		i := int(math.Floor((v - r[0]) / (r[1] - r[0]) * float64(nb)))
		if i < 0 || i >= nb {
			return -1
		}
		return i
	}
	n := float64(len(draws))
	diag := make([][]float64, k)
	for p := range k {
		diag[p] = make([]float64, nb)
		width := (ranges[p][1] - ranges[p][0]) / float64(nb)
		for _, d := range draws {
			if i := bin(p, d[p]); i >= 0 {
				diag[p][i] += 1 / (n * width)
			}
		}
	}
	type pair struct {
		z      []float64
		levels []float64
	}
	pairs := make([][]pair, k)
	for p := range k {
		pairs[p] = make([]pair, p)
		for q := range p {
			z := make([]float64, nb*nb)
			for _, d := range draws {
				i, j := bin(q, d[q]), bin(p, d[p])
				if i >= 0 && j >= 0 {
					z[i*nb+j]++
				}
			}
			sm := smooth3(z, nb)
			pairs[p][q] = pair{z: sm, levels: hpdLevels(sm, z, n, set.Levels)}
		}
	}

	panel := set.Panel
	fig := &Figure{Width: vg.Length(k) * panel, Height: vg.Length(k) * panel}
	fig.draw = func(dc draw.Canvas) {
		plots := make([][]*gplot.Plot, k)
		for p := range k {
			plots[p] = make([]*gplot.Plot, k)
			for q := 0; q <= p; q++ {
				pl := gplot.New()
				pl.X.Min, pl.X.Max = ranges[q][0], ranges[q][1]
				if p == k-1 {
					pl.X.Label.Text = names[q]
				} else {
					pl.X.Tick.Marker = unlabelled{pl.X.Tick.Marker}
				}
				if q == 0 && p > 0 {
					pl.Y.Label.Text = names[p]
				} else {
					pl.Y.Tick.Marker = unlabelled{pl.Y.Tick.Marker}
				}
				if p == q {
					addDiagonal(pl, centres[p], diag[p], ranges[p])
					if set.Truth != nil {
						addVLine(pl, set.Truth[p])
					}
				} else {
					pr := pairs[p][q]
					g := grid{x: centres[q], y: centres[p], z: pr.z}
					addHeatMap(pl, g, colourMap(0, slices.Max(pr.z)))
					pl.X.Min, pl.X.Max = ranges[q][0], ranges[q][1]
					pl.Y.Min, pl.Y.Max = ranges[p][0], ranges[p][1]
					for l, lev := range pr.levels {
						lines, err := Isolines(g.x, g.y, g.z, lev)
						if err != nil {
							panic(err)
						}
						style := draw.LineStyle{Color: lineColour(0), Width: vg.Points(1)}
						if l > 0 {
							style.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
						}
						for _, ln := range lines {
							pln, err := plotter.NewLine(xys(ln))
							if err != nil {
								panic(err)
							}
							pln.LineStyle = style
							pl.Add(pln)
						}
					}
					if set.Truth != nil {
						addVLine(pl, set.Truth[q])
						addHLine(pl, set.Truth[p])
					}
				}
				plots[p][q] = pl
			}
		}
		tiles := draw.Tiles{Rows: k, Cols: k, PadX: vg.Points(4), PadY: vg.Points(4),
			PadTop: vg.Points(6), PadRight: vg.Points(6), PadLeft: vg.Points(2), PadBottom: vg.Points(2)}
		canvases := gplot.Align(plots, tiles, dc)
		for p := range k {
			for q := 0; q <= p; q++ {
				plots[p][q].Draw(canvases[p][q])
			}
		}
	}
	return fig, nil
}

// quantileSorted returns the linearly interpolated quantile of sorted s.
func quantileSorted(s []float64, f float64) float64 {
	h := f * float64(len(s)-1)
	i := int(h)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// smooth3 convolves the nb×nb grid z with the kernel [1 2 1]⊗[1 2 1]/16,
// renormalising at the borders so that no count is lost.
func smooth3(z []float64, nb int) []float64 {
	w := [3]float64{1, 2, 1}
	out := make([]float64, len(z))
	for i := range nb {
		for j := range nb {
			var s, ws float64
			for a := -1; a <= 1; a++ {
				for b := -1; b <= 1; b++ {
					ii, jj := i+a, j+b
					if ii < 0 || jj < 0 || ii >= nb || jj >= nb {
						continue
					}
					s += w[a+1] * w[b+1] * z[ii*nb+jj]
					ws += w[a+1] * w[b+1]
				}
			}
			out[i*nb+j] = s / ws
		}
	}
	return out
}

// hpdLevels returns, for each credibility level α, the smoothed density
// sm above which the bins hold the fraction α of the total draws, by
// their raw counts (draws outside the window count as outside every
// region).
func hpdLevels(sm, counts []float64, total float64, levels []float64) []float64 {
	order := make([]int, len(sm))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return sm[order[a]] > sm[order[b]] })
	out := make([]float64, len(levels))
	for l, a := range levels {
		c := 0.0
		out[l] = sm[order[len(order)-1]]
		for _, i := range order {
			c += counts[i]
			if c >= a*total {
				out[l] = sm[i]
				break
			}
		}
	}
	return out
}

// addDiagonal draws a 1-D density histogram as a step line.
func addDiagonal(p *gplot.Plot, centres, dens []float64, r [2]float64) {
	w := (r[1] - r[0]) / float64(len(centres))
	pts := make(plotter.XYs, 0, 2*len(centres)+2)
	pts = append(pts, plotter.XY{X: r[0], Y: 0})
	for i, c := range centres {
		pts = append(pts, plotter.XY{X: c - w/2, Y: dens[i]}, plotter.XY{X: c + w/2, Y: dens[i]})
	}
	pts = append(pts, plotter.XY{X: r[1], Y: 0})
	ln, err := plotter.NewLine(pts)
	if err != nil {
		panic(err)
	}
	ln.LineStyle = draw.LineStyle{Color: lineColour(0), Width: vg.Points(1)}
	p.Add(ln)
	p.Y.Min = 0
}

// truthStyle draws the true parameter values.
var truthStyle = draw.LineStyle{Color: lineColour(1), Width: vg.Points(1)}

func addVLine(p *gplot.Plot, x float64) { p.Add(truthLine{v: x, vertical: true}) }

func addHLine(p *gplot.Plot, y float64) { p.Add(truthLine{v: y}) }

// truthLine is a vertical or horizontal line at v across the data area.
type truthLine struct {
	v        float64
	vertical bool
}

func (l truthLine) Plot(c draw.Canvas, p *gplot.Plot) {
	if l.vertical {
		if x := p.X.Norm(l.v); x >= 0 && x <= 1 {
			px := c.Min.X + vg.Length(x)*(c.Max.X-c.Min.X)
			c.StrokeLine2(truthStyle, px, c.Min.Y, px, c.Max.Y)
		}
		return
	}
	if y := p.Y.Norm(l.v); y >= 0 && y <= 1 {
		py := c.Min.Y + vg.Length(y)*(c.Max.Y-c.Min.Y)
		c.StrokeLine2(truthStyle, c.Min.X, py, c.Max.X, py)
	}
}

// unlabelled keeps a ticker's ticks and drops their labels, for the
// panels inside a corner plot.
type unlabelled struct{ gplot.Ticker }

func (u unlabelled) Ticks(lo, hi float64) []gplot.Tick {
	ts := u.Ticker.Ticks(lo, hi)
	for i := range ts {
		ts[i].Label = ""
	}
	return ts
}

var (
	_ gplot.Plotter = truthLine{}
	_ gplot.Ticker  = unlabelled{}
)
