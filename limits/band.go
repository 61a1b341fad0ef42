// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// The network uncertainty of a scan whose likelihood comes from an
// ensemble of M estimators: the scan of the ensemble mean (the scan of
// limits.json) and one scan per member on the same grid and data. The
// members' p-values at each point give a band: the envelope [min, max]
// and the median. The largest p-value is the conservative choice: a point
// is excluded at a level only if every member excludes it.
//
// How far the 68% region R = {θ : p(θ) > 0.32} moves between members is
// measured on the region itself, with p interpolated linearly (1-D) or
// bilinearly (2-D) between grid points and each cell sampled at
// SubCells² points (exact crossings in 1-D):
//
//   - its size |R_m| (length, area) for each member and the mean scan;
//   - its extent along each axis, [lo, hi] of the projection of R_m, and
//     the half-width (hi − lo)/2; Shift is, per axis, the largest
//     |lo_m − lo| or |hi_m − hi| over the members, how far the contour's
//     ends move (in the parameter's units);
//   - the symmetric difference |R_m Δ R|/|R|, the fraction of the mean
//     scan's region that a member adds or drops.
//
// Regions are measured on grids of one or two parameters only.

// SubCells is the number of sub-points per cell and axis at which regions
// of two-parameter grids are measured.
const SubCells = 16

// Band is the spread of an ensemble's members' scans around the scan of
// the ensemble mean.
type Band struct {
	// Name is the scan's name, Members the number of members.
	Name    string `json:"name"`
	Members int    `json:"members"`
	// PValues holds each member's p-values on the grid, [member][point].
	PValues []Floats `json:"member_p_values"`
	// BestFits holds each member's best fit (θ̂ and ν̂).
	BestFits []Floats `json:"member_best_fits"`
	// Min, Median and Max are the members' smallest, median and largest
	// p-value at each point; Max is the conservative envelope.
	Min    Floats `json:"p_min"`
	Median Floats `json:"p_median"`
	Max    Floats `json:"p_max"`
	// Regions measures the 68% and 95% regions (nil for grids of more
	// than two parameters).
	Regions []RegionSpread `json:"regions,omitempty"`
}

// RegionSpread measures how a confidence region {p > 1 − CL} moves
// between the members (see Band).
type RegionSpread struct {
	CL float64 `json:"cl"`
	// Size is the length (one parameter) or area (two) of the mean
	// scan's region, MemberSizes the members'.
	Size        float64 `json:"size"`
	MemberSizes Floats  `json:"member_sizes"`
	// SizeStd is the standard deviation of the members' sizes (M − 1
	// normalisation), relative to Size in SizeRelStd.
	SizeStd    float64 `json:"size_std"`
	SizeRelStd float64 `json:"size_rel_std"`
	// Extent holds the mean scan's [lo, hi] per axis, MemberExtents the
	// members' ([member][axis]); an empty region has NaN ends.
	Extent        [][2]float64   `json:"extent"`
	MemberExtents [][][2]float64 `json:"member_extents"`
	// HalfWidthStd is, per axis, the standard deviation of the members'
	// half-widths; Shift the largest move of an end of the extent.
	HalfWidthStd Floats `json:"half_width_std"`
	Shift        Floats `json:"shift"`
	// SymDiff is |R_m Δ R|/|R| per member, MaxSymDiff its largest value.
	SymDiff    Floats  `json:"sym_diff"`
	MaxSymDiff float64 `json:"max_sym_diff"`
}

// NewBand returns the band of the members' scans around the mean scan,
// all on the grid with the given axes (first axis outermost, as Grid).
func NewBand(name string, axes [][]float64, mean *Result, members []*Result) (*Band, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("limits: band of scan %s without members", name)
	}
	n := 1
	for _, ax := range axes {
		n *= len(ax)
	}
	if len(mean.PValues) != n {
		return nil, fmt.Errorf("limits: band of scan %s: %d p-values on a grid of %d points", name, len(mean.PValues), n)
	}
	b := &Band{Name: name, Members: len(members), Min: make(Floats, n), Median: make(Floats, n), Max: make(Floats, n)}
	col := make([]float64, len(members))
	for m, r := range members {
		if len(r.PValues) != n {
			return nil, fmt.Errorf("limits: band of scan %s: member %d has %d p-values, the grid %d points", name, m, len(r.PValues), n)
		}
		b.PValues = append(b.PValues, r.PValues)
		b.BestFits = append(b.BestFits, r.BestFit)
	}
	for k := range n {
		for m, r := range members {
			col[m] = r.PValues[k]
		}
		slices.Sort(col)
		b.Min[k], b.Max[k] = col[0], col[len(col)-1]
		if h := len(col) / 2; len(col)%2 == 1 {
			b.Median[k] = col[h]
		} else {
			b.Median[k] = (col[h-1] + col[h]) / 2
		}
	}
	if len(axes) > 2 {
		return b, nil
	}
	ps := make([][]float64, len(members))
	for m, r := range members {
		ps[m] = r.PValues
	}
	for _, cl := range []float64{0.68, 0.95} {
		rs, err := spreadOf(axes, mean.PValues, ps, 1-cl)
		if err != nil {
			return nil, fmt.Errorf("limits: band of scan %s: %w", name, err)
		}
		rs.CL = cl
		b.Regions = append(b.Regions, *rs)
	}
	return b, nil
}

// spreadOf measures the regions {p > level} of ref and of each member.
func spreadOf(axes [][]float64, ref []float64, members [][]float64, level float64) (*RegionSpread, error) {
	all := append([][]float64{ref}, members...)
	sizes, extents, sym, err := Regions(axes, all, level)
	if err != nil {
		return nil, err
	}
	rs := &RegionSpread{Size: sizes[0], MemberSizes: sizes[1:], Extent: extents[0], MemberExtents: extents[1:], SymDiff: sym[1:]}
	_, v := meanVar(rs.MemberSizes)
	rs.SizeStd = math.Sqrt(v)
	rs.SizeRelStd = rs.SizeStd / rs.Size
	for a := range axes {
		hw := make([]float64, len(members))
		shift := 0.0
		for m, ext := range rs.MemberExtents {
			hw[m] = (ext[a][1] - ext[a][0]) / 2
			shift = math.Max(shift, math.Max(math.Abs(ext[a][0]-rs.Extent[a][0]), math.Abs(ext[a][1]-rs.Extent[a][1])))
		}
		_, v := meanVar(hw)
		rs.HalfWidthStd = append(rs.HalfWidthStd, math.Sqrt(v))
		rs.Shift = append(rs.Shift, shift)
	}
	rs.MaxSymDiff = slices.Max(rs.SymDiff)
	return rs, nil
}

// meanVar returns the mean and the unbiased variance of x (gonum's
// stat.MeanVariance), the variance 0 for fewer than two values.
func meanVar(x []float64) (mu, v float64) {
	if len(x) < 2 {
		return stat.Mean(x, nil), 0
	}
	return stat.MeanVariance(x, nil)
}

// Regions measures the regions {p > level} of the p-value grids ps (each
// on the grid with the given axes, one or two of them): their sizes
// (length or area), their extents per axis and their symmetric
// differences with the region of ps[0], relative to its size (NaN if it
// is empty). p is interpolated linearly between the points; in 1-D the
// crossings are exact, in 2-D each cell is sampled at SubCells² points.
func Regions(axes [][]float64, ps [][]float64, level float64) (sizes []float64, extents [][][2]float64, symDiff []float64, err error) {
	switch len(axes) {
	case 1, 2:
	default:
		return nil, nil, nil, fmt.Errorf("limits: regions of a %d-parameter grid (want 1 or 2)", len(axes))
	}
	n := 1
	for a, ax := range axes {
		if len(ax) < 2 || !slices.IsSorted(ax) {
			return nil, nil, nil, fmt.Errorf("limits: grid axis %d needs at least 2 increasing points", a)
		}
		n *= len(ax)
	}
	for i, p := range ps {
		if len(p) != n {
			return nil, nil, nil, fmt.Errorf("limits: p-value grid %d has %d values, the grid %d points", i, len(p), n)
		}
	}
	if len(axes) == 1 {
		s, e, d := regions1(axes[0], ps, level)
		return s, e, d, nil
	}
	s, e, d := regions2(axes[0], axes[1], ps, level)
	return s, e, d, nil
}

// regions1 measures 1-D regions exactly for linear interpolation.
func regions1(x []float64, ps [][]float64, level float64) (sizes []float64, extents [][][2]float64, symDiff []float64) {
	// Intervals of each region, from the crossings of each segment.
	type iv struct{ a, b float64 }
	ivs := make([][]iv, len(ps))
	for m, p := range ps {
		ext := [2]float64{math.NaN(), math.NaN()}
		size := 0.0
		for j := 0; j+1 < len(x); j++ {
			f0, f1 := p[j]-level, p[j+1]-level
			a, b := x[j], x[j+1]
			switch {
			case f0 > 0 && f1 > 0:
			case f0 <= 0 && f1 <= 0:
				continue
			case f0 > 0:
				b = a + (b-a)*f0/(f0-f1)
			default:
				a = a + (b-a)*f0/(f0-f1)
			}
			ivs[m] = append(ivs[m], iv{a, b})
			size += b - a
			if math.IsNaN(ext[0]) {
				ext[0] = a
			}
			ext[1] = b
		}
		sizes = append(sizes, size)
		extents = append(extents, [][2]float64{ext})
	}
	// |A Δ B| = |A| + |B| − 2|A ∩ B|.
	inter := func(u, v []iv) float64 {
		s := 0.0
		for _, p := range u {
			for _, q := range v {
				s += math.Max(0, math.Min(p.b, q.b)-math.Max(p.a, q.a))
			}
		}
		return s
	}
	for m := range ps {
		symDiff = append(symDiff, (sizes[0]+sizes[m]-2*inter(ivs[0], ivs[m]))/sizes[0])
	}
	return sizes, extents, symDiff
}

// regions2 measures 2-D regions with each cell of the bilinear
// interpolant sampled at the centres of SubCells² sub-cells.
func regions2(x, y []float64, ps [][]float64, level float64) (sizes []float64, extents [][][2]float64, symDiff []float64) {
	ny := len(y)
	nm := len(ps)
	sizes = make([]float64, nm)
	symDiff = make([]float64, nm)
	extents = make([][][2]float64, nm)
	for m := range extents {
		extents[m] = [][2]float64{{math.Inf(1), math.Inf(-1)}, {math.Inf(1), math.Inf(-1)}}
	}
	in := make([]bool, nm)
	for i := 0; i+1 < len(x); i++ {
		for j := 0; j+1 < ny; j++ {
			dx, dy := (x[i+1]-x[i])/SubCells, (y[j+1]-y[j])/SubCells
			da := dx * dy
			for a := range SubCells {
				u := (float64(a) + 0.5) / SubCells
				px := x[i] + (float64(a)+0.5)*dx
				for c := range SubCells {
					v := (float64(c) + 0.5) / SubCells
					py := y[j] + (float64(c)+0.5)*dy
					for m, p := range ps {
						f := (1-u)*(1-v)*p[i*ny+j] + u*(1-v)*p[(i+1)*ny+j] + (1-u)*v*p[i*ny+j+1] + u*v*p[(i+1)*ny+j+1]
						in[m] = f > level
						if !in[m] {
							continue
						}
						sizes[m] += da
						e := extents[m]
						e[0][0], e[0][1] = math.Min(e[0][0], px-dx/2), math.Max(e[0][1], px+dx/2)
						e[1][0], e[1][1] = math.Min(e[1][0], py-dy/2), math.Max(e[1][1], py+dy/2)
					}
					for m := range ps {
						if in[m] != in[0] {
							symDiff[m] += da
						}
					}
				}
			}
		}
	}
	for m := range ps {
		symDiff[m] /= sizes[0]
		for a := range extents[m] {
			if sizes[m] == 0 {
				extents[m][a] = [2]float64{math.NaN(), math.NaN()}
			}
		}
	}
	return sizes, extents, symDiff
}
