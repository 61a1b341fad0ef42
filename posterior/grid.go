// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// Interval is a closed interval [lo, hi]; it marshals as a JSON pair.
type Interval [2]float64

// Grid is a posterior density tabulated on a rectilinear grid: the
// product of the strictly increasing Axes, with the first parameter
// outermost (the point order of limits.Grid and of MadMiner's
// np.meshgrid(..., indexing="ij")). Each point stands for its cell, which
// reaches halfway to its neighbours and ends at the first and last points
// of each axis, so that sums over cells are the trapezoidal rule. An axis
// with a single point holds its parameter fixed.
//
// Build a Grid with NewGrid or EvalGrid; the zero value is empty.
type Grid struct {
	// Names labels the parameters.
	Names []string
	// Axes holds the grid points of each parameter.
	Axes [][]float64
	// POI is the number of parameters of interest (the first POI axes);
	// Summary marginalises the others. 0 means all.
	POI int

	dens []float64 // normalised density at each point
	mass []float64 // probability of each point's cell
	vol  []float64 // volume of each point's cell

	// The level curve, at the distinct densities lev (decreasing, with a
	// sentinel at each end): mmid[u] and vmid[u] are the mass and volume
	// of the cells denser than lev[u] plus half of those at lev[u] (see
	// Level).
	lev, mmid, vmid []float64
}

// GridSettings configures EvalGrid. A nil *GridSettings means all defaults.
type GridSettings struct {
	// Workers is the number of goroutines evaluating the likelihood; more
	// than one requires a LogLikelihood safe for concurrent use. 0 means 1.
	Workers int
}

func checkAxes(axes [][]float64) (int, error) {
	if len(axes) == 0 {
		return 0, fmt.Errorf("posterior: grid without axes")
	}
	n := 1
	for d, ax := range axes {
		if len(ax) == 0 {
			return 0, fmt.Errorf("posterior: grid axis %d is empty", d)
		}
		for i, v := range ax {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("posterior: grid axis %d point %d is %v", d, i, v)
			}
			if i > 0 && !(v > ax[i-1]) {
				return 0, fmt.Errorf("posterior: grid axis %d is not strictly increasing at point %d (%v after %v)", d, i, v, ax[i-1])
			}
		}
		if n > math.MaxInt32/len(ax) {
			return 0, fmt.Errorf("posterior: grid with more than %d points", math.MaxInt32)
		}
		n *= len(ax)
	}
	return n, nil
}

// Linspace returns n evenly spaced points from lo to hi inclusive (lo
// alone if n is 1), the axes of a regular grid.
func Linspace(lo, hi float64, n int) []float64 {
	if n == 1 {
		return []float64{lo}
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	v[n-1] = hi
	return v
}

// cell returns the cell [a, b] of point j of an axis: halfway to the
// neighbours, ending at the first and last points.
func cell(ax []float64, j int) (a, b float64) {
	a, b = ax[j], ax[j]
	if j > 0 {
		a = (ax[j-1] + ax[j]) / 2
	}
	if j < len(ax)-1 {
		b = (ax[j] + ax[j+1]) / 2
	}
	return a, b
}

// cellWidths returns the widths of the cells of an axis (1 for an axis of
// one point, which holds its parameter fixed).
func cellWidths(ax []float64) []float64 {
	w := make([]float64, len(ax))
	if len(ax) == 1 {
		w[0] = 1
		return w
	}
	for j := range ax {
		a, b := cell(ax, j)
		w[j] = b - a
	}
	return w
}

// NewGrid returns the posterior from the unnormalised log posterior
// logPost at the grid points (ordered as in Grid; −Inf where it
// vanishes), for example log L from limits.Scan plus the log prior. The
// axes and names are copied; names may be nil.
func NewGrid(names []string, axes [][]float64, logPost []float64) (*Grid, error) {
	n, err := checkAxes(axes)
	if err != nil {
		return nil, err
	}
	if len(logPost) != n {
		return nil, fmt.Errorf("posterior: %d log-posterior values for a grid of %d points", len(logPost), n)
	}
	if names != nil && len(names) != len(axes) {
		return nil, fmt.Errorf("posterior: %d names for %d grid axes", len(names), len(axes))
	}
	g := &Grid{Names: paramNames(names, len(axes)), Axes: make([][]float64, len(axes))}
	for d, ax := range axes {
		g.Axes[d] = slices.Clone(ax)
	}
	g.vol = g.cellVolumes()
	top := math.Inf(-1)
	for k, lp := range logPost {
		if math.IsNaN(lp) || math.IsInf(lp, 1) {
			return nil, fmt.Errorf("posterior: log posterior at grid point %d %v is %v", k, g.Point(nil, k), lp)
		}
		top = math.Max(top, lp)
	}
	if math.IsInf(top, -1) {
		return nil, fmt.Errorf("posterior: the posterior vanishes at all %d grid points", n)
	}
	g.dens = make([]float64, n)
	for k, lp := range logPost {
		g.dens[k] = math.Exp(lp - top)
	}
	if err := g.normalise(); err != nil {
		return nil, err
	}
	return g, nil
}

// normalise scales dens to unit mass and fills mass and the level curve.
func (g *Grid) normalise() error {
	z := 0.0
	for k, d := range g.dens {
		z += d * g.vol[k]
	}
	if !(z > 0) || math.IsInf(z, 0) {
		return fmt.Errorf("posterior: grid posterior has total mass %v", z)
	}
	g.mass = make([]float64, len(g.dens))
	for k := range g.dens {
		g.dens[k] /= z
		g.mass[k] = g.dens[k] * g.vol[k]
	}
	order := make([]int, len(g.dens))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(i, j int) bool { return g.dens[order[i]] > g.dens[order[j]] })
	top := g.dens[order[0]]
	g.lev, g.mmid, g.vmid = []float64{top}, []float64{0}, []float64{0}
	var cm, cv float64
	for j := 0; j < len(order); {
		d := g.dens[order[j]]
		var gm, gv float64
		for ; j < len(order) && g.dens[order[j]] == d; j++ {
			gm += g.mass[order[j]]
			gv += g.vol[order[j]]
		}
		g.lev = append(g.lev, d)
		g.mmid = append(g.mmid, cm+gm/2)
		g.vmid = append(g.vmid, cv+gv/2)
		cm += gm
		cv += gv
	}
	if g.lev[len(g.lev)-1] > 0 {
		g.lev = append(g.lev, 0)
		g.mmid = append(g.mmid, 1)
		g.vmid = append(g.vmid, cv)
	}
	return nil
}

func (g *Grid) cellVolumes() []float64 {
	ws := make([][]float64, len(g.Axes))
	for d, ax := range g.Axes {
		ws[d] = cellWidths(ax)
	}
	vol := make([]float64, g.Len())
	idx := make([]int, len(g.Axes))
	for k := range vol {
		g.index(idx, k)
		v := 1.0
		for d, i := range idx {
			v *= ws[d][i]
		}
		vol[k] = v
	}
	return vol
}

// EvalGrid evaluates the model's log posterior at every point of the grid
// with the given axes (one per parameter of m, nuisance parameters
// included) and returns the normalised posterior.
func EvalGrid(m *Model, axes [][]float64, s *GridSettings) (*Grid, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(axes) != m.Dim() {
		return nil, fmt.Errorf("posterior: %d grid axes for %d parameters", len(axes), m.Dim())
	}
	n, err := checkAxes(axes)
	if err != nil {
		return nil, err
	}
	workers := 1
	if s != nil && s.Workers > 1 {
		workers = min(s.Workers, n)
	}
	shape := &Grid{Axes: axes}
	lp := make([]float64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := make([]float64, len(axes))
			for k := w; k < n; k += workers {
				lp[k], errs[k] = m.LogPosterior(shape.Point(p, k))
				if errs[k] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	g, err := NewGrid(m.names(m.Dim()), axes, lp)
	if err != nil {
		return nil, err
	}
	g.POI = m.POI
	return g, nil
}

// Dim returns the number of parameters.
func (g *Grid) Dim() int { return len(g.Axes) }

// Len returns the number of grid points.
func (g *Grid) Len() int { return NumPoints(g.Axes) }

func (g *Grid) numPOI() int {
	if g.POI == 0 {
		return g.Dim()
	}
	return g.POI
}

// index writes the axis indices of point k into idx.
func (g *Grid) index(idx []int, k int) {
	for d := len(g.Axes) - 1; d >= 0; d-- {
		n := len(g.Axes[d])
		idx[d] = k % n
		k /= n
	}
}

// Point writes the coordinates of point k into dst (allocated if nil) and
// returns it.
func (g *Grid) Point(dst []float64, k int) []float64 {
	if dst == nil {
		dst = make([]float64, len(g.Axes))
	}
	for d := len(g.Axes) - 1; d >= 0; d-- {
		n := len(g.Axes[d])
		dst[d] = g.Axes[d][k%n]
		k /= n
	}
	return dst
}

// Density returns the normalised posterior density at point k.
func (g *Grid) Density(k int) float64 { return g.dens[k] }

// Mass returns the posterior probability of the cell of point k.
func (g *Grid) Mass(k int) float64 { return g.mass[k] }

// Mean returns the posterior mean of every parameter.
func (g *Grid) Mean() []float64 {
	mu := make([]float64, g.Dim())
	p := make([]float64, g.Dim())
	for k, m := range g.mass {
		g.Point(p, k)
		for d, v := range p {
			mu[d] += m * v
		}
	}
	return mu
}

// Cov returns the posterior covariance matrix of the parameters.
func (g *Grid) Cov() *mat.SymDense {
	mu := g.Mean()
	dim := g.Dim()
	c := mat.NewSymDense(dim, nil)
	p := make([]float64, dim)
	for k, m := range g.mass {
		g.Point(p, k)
		for i := range dim {
			for j := i; j < dim; j++ {
				c.SetSym(i, j, c.At(i, j)+m*(p[i]-mu[i])*(p[j]-mu[j]))
			}
		}
	}
	return c
}

// Std returns the posterior standard deviation of every parameter.
func (g *Grid) Std() []float64 {
	c := g.Cov()
	s := make([]float64, g.Dim())
	for i := range s {
		s[i] = math.Sqrt(c.At(i, i))
	}
	return s
}

// Marginal returns the marginal posterior of the parameters dims (in that
// order), summed over the other axes. It panics if a dimension is out of
// range or repeated.
func (g *Grid) Marginal(dims ...int) *Grid {
	seen := make([]bool, g.Dim())
	for _, d := range dims {
		if d < 0 || d >= g.Dim() || seen[d] {
			panic("posterior: bad or repeated marginal dimension")
		}
		seen[d] = true
	}
	if len(dims) == 0 {
		panic("posterior: marginal of no dimension")
	}
	m := &Grid{Names: make([]string, len(dims)), Axes: make([][]float64, len(dims))}
	for i, d := range dims {
		m.Names[i] = g.Names[d]
		m.Axes[i] = slices.Clone(g.Axes[d])
	}
	m.vol = m.cellVolumes()
	mass := make([]float64, m.Len())
	idx := make([]int, g.Dim())
	for k, p := range g.mass {
		g.index(idx, k)
		j := 0
		for _, d := range dims {
			j = j*len(g.Axes[d]) + idx[d]
		}
		mass[j] += p
	}
	m.dens = make([]float64, len(mass))
	for j, p := range mass {
		m.dens[j] = p / m.vol[j]
	}
	if err := m.normalise(); err != nil {
		panic("posterior: marginal of a normalised grid: " + err.Error())
	}
	return m
}

// onCurve returns the index u ≥ 1 of the level curve and the fraction f
// in [0, 1] such that the region of credibility cl lies between the
// curve's points u−1 and u. It panics if cl is not in (0, 1].
func (g *Grid) onCurve(cl float64) (int, float64) {
	if !(cl > 0 && cl <= 1) {
		panic("posterior: credibility level outside (0, 1]")
	}
	u := sort.SearchFloat64s(g.mmid, cl)
	u = max(1, min(u, len(g.mmid)-1))
	f := 1.0
	if dm := g.mmid[u] - g.mmid[u-1]; dm > 0 {
		f = math.Max(0, math.Min(1, (cl-g.mmid[u-1])/dm))
	}
	return u, f
}

// Level returns the density threshold t of the highest-posterior-density
// region of credibility cl, {θ : p(θ|x) ≥ t}. A grid point's cell lies
// half inside the region whose threshold is the point's own density, so
// the mass of the region at threshold d_k is that of the denser cells plus
// half of the cells of density d_k; Level interpolates linearly between
// the grid's densities in this relation. On a 1-D grid the density is
// instead the linear interpolation between the points (whose integral is
// the trapezoidal rule), and the threshold is exact for it. It panics if
// cl is not in (0, 1].
func (g *Grid) Level(cl float64) float64 {
	if g.linear() {
		return g.level1(cl)
	}
	u, f := g.onCurve(cl)
	return g.lev[u-1] + f*(g.lev[u]-g.lev[u-1])
}

// Volume returns the volume (the area on a 2-D grid, the length on a 1-D
// grid) of the highest-posterior-density region of credibility cl, from
// the cell volumes as Level counts the cell masses (on a 1-D grid: the
// length where the interpolated density exceeds Level). Fixed axes (a single
// point) do not count. It panics if cl is not in (0, 1].
func (g *Grid) Volume(cl float64) float64 {
	if g.linear() {
		_, v := g.above1(g.level1(cl))
		return v
	}
	u, f := g.onCurve(cl)
	return g.vmid[u-1] + f*(g.vmid[u]-g.vmid[u-1])
}

// linear reports whether the grid is 1-D with at least two points; there
// the density is taken as piecewise linear.
func (g *Grid) linear() bool { return g.Dim() == 1 && len(g.Axes[0]) > 1 }

// above1 returns the mass and the length of {x : f(x) ≥ t} for the
// piecewise-linear density f of a 1-D grid.
func (g *Grid) above1(t float64) (mass, length float64) {
	x, f := g.Axes[0], g.dens
	for i := 1; i < len(x); i++ {
		h, lo, hi := x[i]-x[i-1], math.Min(f[i-1], f[i]), math.Max(f[i-1], f[i])
		switch {
		case lo >= t:
			mass += h * (lo + hi) / 2
			length += h
		case hi > t:
			l := h * (hi - t) / (hi - lo)
			mass += l * (hi + t) / 2
			length += l
		}
	}
	return mass, length
}

// level1 returns the threshold t with above1(t) = cl, by bisection.
func (g *Grid) level1(cl float64) float64 {
	if !(cl > 0 && cl <= 1) {
		panic("posterior: credibility level outside (0, 1]")
	}
	lo, hi := 0.0, slices.Max(g.dens)
	for range 100 {
		mid := (lo + hi) / 2
		if m, _ := g.above1(mid); m >= cl {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo <= 1e-14*hi {
			break
		}
	}
	return lo
}

// Intervals returns the highest-posterior-density region of credibility
// cl of a 1-D grid as disjoint intervals, where the linear interpolation
// of the density between grid points reaches Level(cl). It panics if the
// grid is not 1-D or cl is not in (0, 1].
func (g *Grid) Intervals(cl float64) []Interval {
	if g.Dim() != 1 {
		panic("posterior: intervals of a grid that is not 1-D")
	}
	t := g.Level(cl)
	x, f := g.Axes[0], g.dens
	var out []Interval
	in := false
	var lo float64
	for i := range x {
		if f[i] >= t && !in {
			in, lo = true, x[i]
			if i > 0 {
				lo = cross(x[i-1], x[i], f[i-1], f[i], t)
			}
		}
		if in && (i == len(x)-1 || f[i+1] < t) {
			hi := x[i]
			if i < len(x)-1 {
				hi = cross(x[i], x[i+1], f[i], f[i+1], t)
			}
			out = append(out, Interval{lo, hi})
			in = false
		}
	}
	return out
}

// cross returns where the line through (x0, f0) and (x1, f1) reaches t.
func cross(x0, x1, f0, f1, t float64) float64 {
	if f1 == f0 {
		return (x0 + x1) / 2
	}
	return x0 + (t-f0)/(f1-f0)*(x1-x0)
}

// DensityAt returns the posterior density at theta by multilinear
// interpolation between the grid points; 0 outside the grid.
func (g *Grid) DensityAt(theta []float64) float64 {
	if len(theta) != g.Dim() {
		panic("posterior: theta and grid have different dimensions")
	}
	// Corner indices and weights per axis.
	lo := make([]int, g.Dim())
	wt := make([]float64, g.Dim())
	for d, ax := range g.Axes {
		v := theta[d]
		if !(v >= ax[0] && v <= ax[len(ax)-1]) {
			return 0
		}
		if len(ax) == 1 {
			lo[d], wt[d] = 0, 0
			continue
		}
		i := sort.SearchFloat64s(ax, v) - 1
		i = max(0, min(i, len(ax)-2))
		lo[d], wt[d] = i, (v-ax[i])/(ax[i+1]-ax[i])
	}
	f := 0.0
	for c := 0; c < 1<<g.Dim(); c++ {
		w, k := 1.0, 0
		for d, ax := range g.Axes {
			i := lo[d]
			if c>>d&1 == 1 {
				if len(ax) == 1 {
					w = 0
					break
				}
				i++
				w *= wt[d]
			} else {
				w *= 1 - wt[d]
			}
			k = k*len(ax) + i
		}
		if w != 0 {
			f += w * g.dens[k]
		}
	}
	return f
}

// Credibility returns the posterior mass of the region denser than theta
// (interpolated as in Level), the credibility of the smallest
// highest-posterior-density region that contains theta (1 where the
// density vanishes, as outside the grid): theta lies in the region of
// credibility α if Credibility(theta) ≤ α. Only the first Dim values of
// theta are used (Calibrate passes all parameters, nuisance included);
// fewer are an error.
func (g *Grid) Credibility(theta []float64) (float64, error) {
	if len(theta) < g.Dim() {
		return 0, fmt.Errorf("posterior: credibility of a point with %d parameters on a %d-D grid", len(theta), g.Dim())
	}
	theta = theta[:g.Dim()]
	f := g.DensityAt(theta)
	if g.linear() {
		m, _ := g.above1(f)
		return m, nil
	}
	if f >= g.lev[0] {
		return 0, nil
	}
	if f == 0 {
		return 1, nil
	}
	// The first curve point at or below f (lev decreases from lev[1]).
	u := 1 + sort.Search(len(g.lev)-1, func(i int) bool { return g.lev[i+1] <= f })
	u = min(u, len(g.lev)-1)
	d0, d1 := g.lev[u-1], g.lev[u]
	if d0 == d1 {
		return g.mmid[u], nil
	}
	return g.mmid[u-1] + (d0-f)/(d0-d1)*(g.mmid[u]-g.mmid[u-1]), nil
}

// Draws returns n independent draws from the grid posterior made with
// src. On a 1-D grid they follow the piecewise-linear density exactly (a
// segment chosen with its trapezoid mass, then inversion of the linear
// density's CDF in it); otherwise a cell is chosen with its probability,
// then a uniform point in the cell.
func (g *Grid) Draws(n int, src rand.Source) ([][]float64, error) {
	if g.linear() {
		return g.draws1(n, src), nil
	}
	rng := rand.New(src)
	cum := cumulative(g.mass)
	idx := make([]int, g.Dim())
	out := make([][]float64, n)
	for i := range out {
		k := pick(cum, rng.Float64())
		g.index(idx, k)
		p := make([]float64, g.Dim())
		for d, ax := range g.Axes {
			j := idx[d]
			if len(ax) == 1 {
				p[d] = ax[0]
				continue
			}
			a, b := cell(ax, j)
			p[d] = a + (b-a)*rng.Float64()
		}
		out[i] = p
	}
	return out, nil
}

// cumulative returns the running sums of w.
func cumulative(w []float64) []float64 {
	cum := make([]float64, len(w))
	c := 0.0
	for k, v := range w {
		c += v
		cum[k] = c
	}
	return cum
}

// pick returns the index k with cum[k−1] ≤ u·total < cum[k], never one of
// zero weight.
func pick(cum []float64, u float64) int {
	t := u * cum[len(cum)-1]
	k := sort.Search(len(cum), func(k int) bool { return cum[k] > t })
	k = min(k, len(cum)-1)
	for k > 0 && cum[k] == cum[k-1] {
		k--
	}
	return k
}

func (g *Grid) draws1(n int, src rand.Source) [][]float64 {
	rng := rand.New(src)
	x, f := g.Axes[0], g.dens
	seg := make([]float64, len(x)-1)
	for i := range seg {
		seg[i] = (x[i+1] - x[i]) * (f[i] + f[i+1]) / 2
	}
	cum := cumulative(seg)
	out := make([][]float64, n)
	for i := range out {
		j := pick(cum, rng.Float64())
		h, f0, f1 := x[j+1]-x[j], f[j], f[j+1]
		// Solve f0 u + (f1−f0) u²/(2h) = U·A for u in [0, h], A the
		// segment's mass, in the form without cancellation.
		ua := rng.Float64() * h * (f0 + f1) / 2
		u := 2 * ua / (f0 + math.Sqrt(math.Max(0, f0*f0+2*(f1-f0)*ua/h)))
		out[i] = []float64{x[j] + math.Max(0, math.Min(h, u))}
	}
	return out
}

// MixGrids returns the equal-weight mixture (1/M) Σ_m p_m(θ|x) of the
// posteriors of M ensemble members tabulated on the same axes.
func MixGrids(members ...*Grid) (*Grid, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("posterior: mixture of no grids")
	}
	g0 := members[0]
	mix := &Grid{Names: slices.Clone(g0.Names), Axes: make([][]float64, g0.Dim()), POI: g0.POI}
	for d, ax := range g0.Axes {
		mix.Axes[d] = slices.Clone(ax)
	}
	mix.vol = slices.Clone(g0.vol)
	mix.dens = make([]float64, len(g0.dens))
	for i, g := range members {
		if g.Dim() != g0.Dim() || g.POI != g0.POI {
			return nil, fmt.Errorf("posterior: mixture member %d has %d parameters (%d of interest), member 0 %d (%d)", i, g.Dim(), g.numPOI(), g0.Dim(), g0.numPOI())
		}
		for d, ax := range g.Axes {
			if !slices.Equal(ax, g0.Axes[d]) {
				return nil, fmt.Errorf("posterior: mixture member %d has another grid on axis %d than member 0", i, d)
			}
		}
		for k, d := range g.dens {
			mix.dens[k] += d / float64(len(members))
		}
	}
	if err := mix.normalise(); err != nil {
		return nil, err
	}
	return mix, nil
}

// EdgeMass returns the probability of the cells at the edges of the grid
// (the first and last points of an axis of more than one point): much of
// it says that the grid cuts the posterior off.
func (g *Grid) EdgeMass() float64 {
	idx := make([]int, g.Dim())
	var m float64
	for k := range g.Len() {
		g.index(idx, k)
		for d, i := range idx {
			if n := len(g.Axes[d]); n > 1 && (i == 0 || i == n-1) {
				m += g.mass[k]
				break
			}
		}
	}
	return m
}

// FractionOutside returns the fraction of the draws (rows of len(axes)
// values, as Chains.Flat gives them for the parameters of interest) that
// lie outside the range of the axes.
func FractionOutside(draws []float64, axes [][]float64) float64 {
	np := len(axes)
	if np == 0 || len(draws) < np {
		return 0
	}
	n, out := len(draws)/np, 0
	for i := range n {
		for d, ax := range axes {
			if v := draws[i*np+d]; v < ax[0] || v > ax[len(ax)-1] {
				out++
				break
			}
		}
	}
	return float64(out) / float64(n)
}

// NearInit returns a starting-point function for Settings.Init that
// draws the parameters of interest from a normal distribution with the
// grid posterior's mean and standard deviation (at least a cell, since
// walkers started on one line stay on it) and further parameters
// (nuisance parameters) from N(0, nuisanceSD²).
func (g *Grid) NearInit(nuisanceSD float64) func(dst []float64, src rand.Source) {
	mu, sd := g.Mean(), g.Std()
	for i, ax := range g.Axes {
		if len(ax) > 1 {
			sd[i] = math.Max(sd[i], (ax[len(ax)-1]-ax[0])/float64(len(ax)-1))
		}
	}
	return func(dst []float64, src rand.Source) {
		r := rand.New(src)
		for i := range dst {
			if i < len(mu) {
				dst[i] = mu[i] + sd[i]*r.NormFloat64()
			} else {
				dst[i] = nuisanceSD * r.NormFloat64()
			}
		}
	}
}

// NumPoints returns the number of points of the grid with the given axes
// (0 without axes), Grid.Len before the grid is built.
func NumPoints(axes [][]float64) int {
	if len(axes) == 0 {
		return 0
	}
	n := 1
	for _, ax := range axes {
		n *= len(ax)
	}
	return n
}
