// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"fmt"
	"math"
	"sort"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Weighting is a set of per-event weights, e.g. the morphed weights at one
// parameter point.
type Weighting struct {
	Label   string
	Weights []float64
}

// HistSettings configures Distributions. A nil *HistSettings means all
// defaults.
type HistSettings struct {
	// Edges are the bin edges, strictly increasing. If nil, Bins equal
	// bins span the range of the observable.
	Edges []float64

	// Bins is the number of bins when Edges is nil; 0 means 20.
	Bins int

	// Normalise scales each histogram to unit area (a density over the
	// observable) instead of the sum of weights per bin.
	Normalise bool
}

// Distributions draws weighted histograms of the observable x, one step
// line per weighting, with a legend. Events outside the edges are left
// out; an event on the last edge goes into the last bin. Weights may be
// negative (morphing weights often are), but a normalised histogram needs
// a positive total.
func Distributions(x []float64, ws []Weighting, s *HistSettings, l Labels) (*Figure, error) {
	var set HistSettings
	if s != nil {
		set = *s
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("plot: no events")
	}
	if len(ws) == 0 {
		return nil, fmt.Errorf("plot: no weightings")
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("plot: observable of event %d is %v", i, v)
		}
	}
	edges := set.Edges
	if edges == nil {
		n := set.Bins
		if n == 0 {
			n = 20
		}
		if n < 1 {
			return nil, fmt.Errorf("plot: %d bins", n)
		}
		lo, hi := x[0], x[0]
		for _, v := range x {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if hi == lo {
			lo, hi = lo-0.5, hi+0.5
		}
		edges = make([]float64, n+1)
		for i := range edges {
			edges[i] = lo + (hi-lo)*float64(i)/float64(n)
		}
		edges[n] = hi
	}
	if err := checkAxis("edges", edges); err != nil {
		return nil, err
	}
	hists := make([][]float64, len(ws))
	for k, w := range ws {
		h, err := weightedHist(nil, edges, x, w.Weights)
		if err != nil {
			return nil, fmt.Errorf("plot: weighting %d (%q): %w", k, w.Label, err)
		}
		if set.Normalise {
			if err := normalise(h, edges); err != nil {
				return nil, fmt.Errorf("plot: weighting %d (%q): %w", k, w.Label, err)
			}
		}
		hists[k] = h
	}
	if l.Y == "" {
		l.Y = "σ per bin"
		if set.Normalise {
			l.Y = "1/σ dσ/dx"
		}
	}
	fig := &Figure{draw: func(dc draw.Canvas) {
		p := newPlot(l)
		p.Add(plotter.NewGrid())
		for k, h := range hists {
			ln := mustLine(steps(edges, h))
			ln.LineStyle = draw.LineStyle{Color: lineColour(k), Width: vg.Points(1.5), Dashes: plotutil.Dashes(k)}
			p.Add(ln)
			p.Legend.Add(ws[k].Label, ln)
		}
		p.X.Min, p.X.Max = edges[0], edges[len(edges)-1]
		p.Y.Min = math.Min(p.Y.Min, 0)
		p.Legend.Top = true
		p.Draw(dc)
	}}
	return fig, nil
}

// weightedHist fills dst with the sum of w over the events of x in each
// bin of edges.
func weightedHist(dst, edges, x, w []float64) ([]float64, error) {
	if len(w) != len(x) {
		return nil, fmt.Errorf("%d weights for %d events", len(w), len(x))
	}
	n := len(edges) - 1
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	clear(dst)
	lo, hi := edges[0], edges[n]
	for i, v := range x {
		if math.IsNaN(w[i]) || math.IsInf(w[i], 0) {
			return nil, fmt.Errorf("weight of event %d is %v", i, w[i])
		}
		if v < lo || v > hi {
			continue
		}
		// The first edge greater than v closes v's bin.
		b := sort.Search(len(edges), func(j int) bool { return edges[j] > v }) - 1
		if b == n {
			b = n - 1
		}
		dst[b] += w[i]
	}
	return dst, nil
}

// normalise scales the histogram h over edges to unit area.
func normalise(h, edges []float64) error {
	var sum float64
	for _, v := range h {
		sum += v
	}
	if !(sum > 0) {
		return fmt.Errorf("cannot normalise: total weight in range is %v", sum)
	}
	for i := range h {
		h[i] /= sum * (edges[i+1] - edges[i])
	}
	return nil
}

// steps returns the outline of a histogram as a step line.
func steps(edges, h []float64) plotter.XYs {
	pts := make(plotter.XYs, 0, 2*len(h))
	for i, v := range h {
		pts = append(pts, plotter.XY{X: edges[i], Y: v}, plotter.XY{X: edges[i+1], Y: v})
	}
	return pts
}

// InformationHistogram draws the histogram of information: the
// information per bin of an observable (e.g. a diagonal entry or the
// determinant of the Fisher information from the events of each bin) on
// the upper panel and the cross section per bin on the lower one. l.Y
// labels the information, xsecLabel the cross section ("σ per bin" if
// empty); l.X labels the observable, with units.
func InformationHistogram(edges, info, xsec []float64, l Labels, xsecLabel string) (*Figure, error) {
	if err := checkAxis("edges", edges); err != nil {
		return nil, err
	}
	n := len(edges) - 1
	for _, v := range []struct {
		name string
		v    []float64
	}{{"information", info}, {"cross section", xsec}} {
		if len(v.v) != n {
			return nil, fmt.Errorf("plot: %d %s values for %d bins", len(v.v), v.name, n)
		}
		for i, u := range v.v {
			if math.IsNaN(u) || math.IsInf(u, 0) {
				return nil, fmt.Errorf("plot: %s in bin %d is %v", v.name, i, u)
			}
		}
	}
	if l.Y == "" {
		l.Y = "information per bin"
	}
	if xsecLabel == "" {
		xsecLabel = "σ per bin"
	}
	fig := &Figure{Height: 1.3 * DefaultHeight, draw: func(dc draw.Canvas) {
		top := newPlot(Labels{Title: l.Title, Y: l.Y})
		bottom := newPlot(Labels{X: l.X, Y: xsecLabel})
		for k, pl := range []*gplot.Plot{top, bottom} {
			v := info
			if k == 1 {
				v = xsec
			}
			pl.Add(plotter.NewGrid())
			ln := mustLine(steps(edges, v))
			ln.LineStyle = draw.LineStyle{Color: lineColour(k + 1), Width: vg.Points(1.5)}
			r, g, b, _ := ln.LineStyle.Color.RGBA()
			ln.FillColor = colorNRGBA(r, g, b, 60)
			pl.Add(ln)
			// Fill down to zero, not to the smallest bin.
			pl.Y.Min = 0
			for _, u := range v {
				pl.Y.Min = math.Min(pl.Y.Min, u)
			}
			pl.X.Min, pl.X.Max = edges[0], edges[n]
		}
		// Both panels share the x range and are aligned.
		tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(6), PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(2), PadRight: vg.Points(8)}
		cs := gplot.Align([][]*gplot.Plot{{top}, {bottom}}, tiles, dc)
		top.Draw(cs[0][0])
		bottom.Draw(cs[1][0])
	}}
	return fig, nil
}
