// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/goldmine-hep/goldmine/limits/fisher"
)

// Information is a labelled Fisher information.
type Information struct {
	Label string
	Info  *fisher.Information
}

// ContourSettings configures FisherContours. A nil *ContourSettings means
// all defaults.
type ContourSettings struct {
	// Params are the indices of the parameters on the x and y axes.
	// {0, 0} means {0, 1}.
	Params [2]int

	// Profile selects how the other parameters are removed from a larger
	// matrix: false fixes them at the centre (the sub-matrix), true
	// profiles them (the Schur complement I_pp − I_po I_oo⁻¹ I_op, whose
	// inverse is the (p,p) block of I⁻¹).
	Profile bool

	// Centre is the point around which the contours are drawn.
	Centre [2]float64

	// XRange and YRange fix the plot window; a zero range is chosen to
	// show every ellipse.
	XRange, YRange [2]float64

	// Points is the number of points per ellipse; 0 means 200.
	Points int
}

// FisherContours draws, for each information matrix, the contour
// d(θ) = 1 of the Fisher distance d²(θ) = (θ−c)ᵀ I (θ−c) around the centre
// c in the plane of two parameters: an ellipse for a positive-definite
// projected matrix, two parallel lines for a rank-one one (e.g. a rate-only
// information), with one legend entry per matrix.
func FisherContours(infos []Information, s *ContourSettings, l Labels) (*Figure, error) {
	var set ContourSettings
	if s != nil {
		set = *s
	}
	if set.Params == [2]int{} {
		set.Params = [2]int{0, 1}
	}
	if set.Points == 0 {
		set.Points = 200
	}
	if set.Points < 8 {
		return nil, fmt.Errorf("plot: %d points per ellipse, want at least 8", set.Points)
	}
	if len(infos) == 0 {
		return nil, fmt.Errorf("plot: no information matrices")
	}
	for k, v := range [...]float64{set.Centre[0], set.Centre[1], set.XRange[0], set.XRange[1], set.YRange[0], set.YRange[1]} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("plot: contour settings value %d is %v", k, v)
		}
	}
	if set.XRange != [2]float64{} && !(set.XRange[1] > set.XRange[0]) ||
		set.YRange != [2]float64{} && !(set.YRange[1] > set.YRange[0]) {
		return nil, fmt.Errorf("plot: empty plot window x %v, y %v", set.XRange, set.YRange)
	}

	proj := make([]*mat.SymDense, len(infos))
	for k, in := range infos {
		m, err := project(in.Info, set.Params, set.Profile)
		if err != nil {
			return nil, fmt.Errorf("plot: information %d (%q): %w", k, in.Label, err)
		}
		proj[k] = m
	}

	// The window: the bounding boxes of all ellipses, padded; bands only
	// set it when there is no ellipse.
	xr, yr := set.XRange, set.YRange
	if xr == [2]float64{} || yr == [2]float64{} {
		var hx, hy float64
		for _, m := range proj {
			ex, ey, ok := ellipseHalfWidths(m)
			if ok {
				hx, hy = math.Max(hx, ex), math.Max(hy, ey)
			}
		}
		if hx == 0 {
			for _, m := range proj {
				var e mat.EigenSym
				e.Factorize(m, false)
				lmax := e.Values(nil)[1]
				hx = math.Max(hx, 2/math.Sqrt(lmax))
			}
			hy = hx
		}
		if xr == [2]float64{} {
			xr = [2]float64{set.Centre[0] - 1.2*hx, set.Centre[0] + 1.2*hx}
		}
		if yr == [2]float64{} {
			yr = [2]float64{set.Centre[1] - 1.2*hy, set.Centre[1] + 1.2*hy}
		}
	}

	curves := make([][]Polyline, len(infos))
	for k, m := range proj {
		c, err := distanceContour(m, set.Centre, set.Points, xr, yr)
		if err != nil {
			return nil, fmt.Errorf("plot: information %d (%q): %w", k, infos[k].Label, err)
		}
		curves[k] = c
	}

	fig := &Figure{draw: func(dc draw.Canvas) {
		p := newPlot(l)
		p.X.Min, p.X.Max = xr[0], xr[1]
		p.Y.Min, p.Y.Max = yr[0], yr[1]
		p.Add(plotter.NewGrid())
		for k, cs := range curves {
			style := draw.LineStyle{Color: lineColour(k), Width: vg.Points(1.5), Dashes: plotutil.Dashes(k)}
			for n, pl := range cs {
				ln, err := plotter.NewLine(xys(pl))
				if err != nil {
					panic(err)
				}
				ln.LineStyle = style
				p.Add(ln)
				if n == 0 {
					p.Legend.Add(infos[k].Label, ln)
				}
			}
		}
		centre, _ := plotter.NewScatter(plotter.XYs{{X: set.Centre[0], Y: set.Centre[1]}})
		centre.GlyphStyle.Shape = draw.CrossGlyph{}
		centre.GlyphStyle.Radius = vg.Points(4)
		p.Add(centre)
		p.Legend.Top = true
		p.Draw(dc)
	}}
	return fig, nil
}

// project returns the 2×2 information on the parameters params, either
// fixing or profiling the others (fisher.Reduce).
func project(in *fisher.Information, params [2]int, profile bool) (*mat.SymDense, error) {
	if in == nil || isNil(in.Matrix) {
		return nil, fmt.Errorf("nil matrix")
	}
	n := in.Dim()
	a, b := params[0], params[1]
	if a < 0 || b < 0 || a >= n || b >= n || a == b {
		return nil, fmt.Errorf("parameters %v out of range for a %d×%d matrix", params, n, n)
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			if v := in.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("element (%d,%d) is %v", i, j, v)
			}
		}
	}
	r, err := fisher.Reduce(&fisher.Information{Matrix: in.Matrix}, []int{a, b}, profile)
	if err != nil {
		return nil, fmt.Errorf("could not profile: information on the other parameters is singular: %w", err)
	}
	return r.Matrix, nil
}

// rankTol is the ratio of the smallest to the largest eigenvalue below
// which a 2×2 information counts as rank one.
const rankTol = 1e-10

// ellipseHalfWidths returns the half-widths of the ellipse vᵀ m v = 1 along
// x and y, √(m⁻¹)ₓₓ and √(m⁻¹)ᵧᵧ, and whether m is positive definite.
func ellipseHalfWidths(m *mat.SymDense) (hx, hy float64, ok bool) {
	var e mat.EigenSym
	if !e.Factorize(m, false) {
		return 0, 0, false
	}
	l := e.Values(nil)
	if !(l[0] > rankTol*l[1]) {
		return 0, 0, false
	}
	det := m.At(0, 0)*m.At(1, 1) - m.At(0, 1)*m.At(0, 1)
	return math.Sqrt(m.At(1, 1) / det), math.Sqrt(m.At(0, 0) / det), true
}

// distanceContour returns the points v + c with vᵀ m v = 1: a closed
// ellipse of n points for a positive-definite m, or, for a rank-one m, the
// two lines of the band clipped to the window.
func distanceContour(m *mat.SymDense, c [2]float64, n int, xr, yr [2]float64) ([]Polyline, error) {
	var e mat.EigenSym
	if !e.Factorize(m, true) {
		return nil, fmt.Errorf("could not diagonalise the projected information")
	}
	l := e.Values(nil)
	var q mat.Dense
	e.VectorsTo(&q)
	switch {
	case !(l[1] > 0):
		return nil, fmt.Errorf("no information in the plotted plane (eigenvalues %g, %g)", l[0], l[1])
	case l[0] < -rankTol*l[1]:
		return nil, fmt.Errorf("projected information is not positive semi-definite (eigenvalues %g, %g)", l[0], l[1])
	case l[0] > rankTol*l[1]:
		pl := Polyline{X: make([]float64, n), Y: make([]float64, n), Closed: true}
		r0, r1 := 1/math.Sqrt(l[0]), 1/math.Sqrt(l[1])
		for k := 0; k < n; k++ {
			t := 2 * math.Pi * float64(k) / float64(n)
			a, b := r0*math.Cos(t), r1*math.Sin(t)
			pl.X[k] = c[0] + q.At(0, 0)*a + q.At(0, 1)*b
			pl.Y[k] = c[1] + q.At(1, 0)*a + q.At(1, 1)*b
		}
		return []Polyline{pl}, nil
	}
	// Rank one: |q1·v| = 1/√λ1, two lines along q0.
	var out []Polyline
	r := 1 / math.Sqrt(l[1])
	d := [2]float64{q.At(0, 0), q.At(1, 0)}
	for _, sign := range [2]float64{-1, 1} {
		o := [2]float64{c[0] + sign*r*q.At(0, 1), c[1] + sign*r*q.At(1, 1)}
		lo, hi, ok := clipLine(o, d, xr, yr)
		if !ok {
			continue
		}
		out = append(out, Polyline{
			X: []float64{o[0] + lo*d[0], o[0] + hi*d[0]},
			Y: []float64{o[1] + lo*d[1], o[1] + hi*d[1]},
		})
	}
	return out, nil
}

// clipLine returns the parameter interval [lo, hi] of the line o + s d
// inside the box xr × yr.
func clipLine(o, d [2]float64, xr, yr [2]float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(-1), math.Inf(1)
	for k, r := range [2][2]float64{xr, yr} {
		if math.Abs(d[k]) < 1e-15 {
			if o[k] < r[0] || o[k] > r[1] {
				return 0, 0, false
			}
			continue
		}
		a, b := (r[0]-o[k])/d[k], (r[1]-o[k])/d[k]
		if a > b {
			a, b = b, a
		}
		lo, hi = math.Max(lo, a), math.Min(hi, b)
	}
	return lo, hi, hi > lo
}

// InformationDeterminants draws a bar chart of det(I)^(1/n) for each n×n
// information matrix, a size-independent measure of its overall power.
func InformationDeterminants(infos []Information, l Labels) (*Figure, error) {
	if len(infos) == 0 {
		return nil, fmt.Errorf("plot: no information matrices")
	}
	vals := make(plotter.Values, len(infos))
	names := make([]string, len(infos))
	for k, in := range infos {
		var m mat.Symmetric
		if in.Info != nil {
			m = in.Info.Matrix
		}
		v, err := detRoot(m)
		if err != nil {
			return nil, fmt.Errorf("plot: information %d (%q): %w", k, in.Label, err)
		}
		vals[k], names[k] = v, in.Label
	}
	if l.Y == "" {
		l.Y = "det(I)^(1/n)"
	}
	fig := &Figure{draw: func(dc draw.Canvas) {
		p := newPlot(l)
		bars, err := plotter.NewBarChart(vals, vg.Points(30))
		if err != nil {
			panic(err)
		}
		bars.Color = lineColour(2)
		bars.LineStyle.Width = 0
		p.Add(plotter.NewGrid(), bars)
		// The value above each bar.
		lab := plotter.XYLabels{XYs: make(plotter.XYs, len(vals)), Labels: make([]string, len(vals))}
		top := 0.0
		for _, v := range vals {
			top = math.Max(top, v)
		}
		if top == 0 {
			top = 1
		}
		for i, v := range vals {
			lab.XYs[i] = plotter.XY{X: float64(i), Y: v + 0.02*top}
			lab.Labels[i] = fmt.Sprintf("%.4g", v)
		}
		labels, err := plotter.NewLabels(lab)
		if err != nil {
			panic(err)
		}
		for i := range labels.TextStyle {
			labels.TextStyle[i].XAlign = draw.XCenter
		}
		p.Add(labels)
		p.NominalX(names...)
		p.X.Min, p.X.Max = -0.6, float64(len(vals))-0.4
		p.Y.Min, p.Y.Max = 0, 1.12*top
		p.Draw(dc)
	}}
	return fig, nil
}

// detRoot returns det(m)^(1/n) of a positive semi-definite n×n matrix,
// from its eigenvalues so that neither overflow nor small negative
// rounding of a singular matrix gets in the way.
func detRoot(m mat.Symmetric) (float64, error) {
	if isNil(m) {
		return 0, fmt.Errorf("nil matrix")
	}
	n := m.SymmetricDim()
	if n == 0 {
		return 0, fmt.Errorf("empty matrix")
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("element (%d,%d) is %v", i, j, v)
			}
		}
	}
	var e mat.EigenSym
	if !e.Factorize(m, false) {
		return 0, fmt.Errorf("could not diagonalise")
	}
	l := e.Values(nil)
	lmax := math.Max(math.Abs(l[0]), math.Abs(l[n-1]))
	var logSum float64
	for _, v := range l {
		if v < -1e-10*lmax {
			return 0, fmt.Errorf("not positive semi-definite (eigenvalue %g)", v)
		}
		if v <= 1e-14*lmax {
			return 0, nil
		}
		logSum += math.Log(v)
	}
	return math.Exp(logSum / float64(n)), nil
}

func newPlot(l Labels) *gplot.Plot {
	p := gplot.New()
	p.Title.Text = l.Title
	p.X.Label.Text = l.X
	p.Y.Label.Text = l.Y
	return p
}

func xys(pl Polyline) plotter.XYs {
	n := len(pl.X)
	if pl.Closed {
		n++
	}
	v := make(plotter.XYs, n)
	for k := range pl.X {
		v[k] = plotter.XY{X: pl.X[k], Y: pl.Y[k]}
	}
	if pl.Closed {
		v[n-1] = v[0]
	}
	return v
}

// isNil reports whether m is nil or a nil *mat.SymDense.
func isNil(m mat.Symmetric) bool {
	if m == nil {
		return true
	}
	p, ok := m.(*mat.SymDense)
	return ok && p == nil
}
