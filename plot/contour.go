// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"fmt"
	"math"
)

// Polyline is a sequence of points; Closed reports whether the last point
// joins the first.
type Polyline struct {
	X, Y   []float64
	Closed bool
}

// edgeKey names one grid edge: the edge from node (i,j) to (i+1,j) when
// vertical is false, or to (i,j+1) when vertical is true.
type edgeKey struct {
	i, j     int
	vertical bool
}

type segment struct{ a, b edgeKey }

// Isolines returns the lines where the field z over the grid (x, y) crosses
// level, found by marching squares with linear interpolation along the cell
// edges. z[i*len(y)+j] is the value at (x[i], y[j]). A node counts as
// inside when z >= level; ambiguous (saddle) cells are resolved with the
// mean of their four corners. Lines are joined across cells; a line that
// ends on the grid border is open, one that does not is closed.
func Isolines(x, y, z []float64, level float64) ([]Polyline, error) {
	if err := checkGrid(x, y, z); err != nil {
		return nil, err
	}
	if math.IsNaN(level) || math.IsInf(level, 0) {
		return nil, fmt.Errorf("plot: contour level %v is not finite", level)
	}
	nx, ny := len(x), len(y)
	at := func(i, j int) float64 { return z[i*ny+j] }
	in := func(i, j int) bool { return at(i, j) >= level }

	var segs []segment
	for i := 0; i+1 < nx; i++ {
		for j := 0; j+1 < ny; j++ {
			// Corners counter-clockwise from bottom-left: a, b, c, d.
			ins := [4]bool{in(i, j), in(i+1, j), in(i+1, j+1), in(i, j+1)}
			// Edges: bottom (a-b), right (b-c), top (c-d), left (d-a).
			edges := [4]edgeKey{
				{i, j, false}, {i + 1, j, true}, {i, j + 1, false}, {i, j, true},
			}
			var crossed []int
			for e := 0; e < 4; e++ {
				if ins[e] != ins[(e+1)%4] {
					crossed = append(crossed, e)
				}
			}
			switch len(crossed) {
			case 0:
			case 2:
				segs = append(segs, segment{edges[crossed[0]], edges[crossed[1]]})
			case 4:
				// Saddle: the corners on the same side as the cell
				// centre are joined through it; each of the other two
				// is cut off by the segment between its two edges.
				centre := (at(i, j)+at(i+1, j)+at(i+1, j+1)+at(i, j+1))/4 >= level
				for k := 0; k < 4; k++ {
					if ins[k] != centre {
						// Corner k lies between edge k-1 and edge k.
						segs = append(segs, segment{edges[(k+3)%4], edges[k]})
					}
				}
			}
		}
	}

	point := func(e edgeKey) (px, py float64) {
		i2, j2 := e.i+1, e.j
		if e.vertical {
			i2, j2 = e.i, e.j+1
		}
		z0, z1 := at(e.i, e.j), at(i2, j2)
		t := (level - z0) / (z1 - z0)
		return x[e.i] + t*(x[i2]-x[e.i]), y[e.j] + t*(y[j2]-y[e.j])
	}

	// Each crossed edge is shared by at most two segments.
	ends := make(map[edgeKey][]int, 2*len(segs))
	for s, sg := range segs {
		ends[sg.a] = append(ends[sg.a], s)
		ends[sg.b] = append(ends[sg.b], s)
	}
	used := make([]bool, len(segs))
	follow := func(start int, from edgeKey) Polyline {
		var pl Polyline
		px, py := point(from)
		pl.X, pl.Y = append(pl.X, px), append(pl.Y, py)
		s, cur := start, from
		for {
			used[s] = true
			next := segs[s].b
			if next == cur {
				next = segs[s].a
			}
			if next == from {
				pl.Closed = true
				return pl
			}
			px, py := point(next)
			pl.X, pl.Y = append(pl.X, px), append(pl.Y, py)
			cur = next
			s = -1
			for _, t := range ends[cur] {
				if !used[t] {
					s = t
					break
				}
			}
			if s < 0 {
				return pl
			}
		}
	}
	var lines []Polyline
	// Open lines start at an edge with a single segment (the grid border).
	for s, sg := range segs {
		if used[s] {
			continue
		}
		for _, e := range [2]edgeKey{sg.a, sg.b} {
			if len(ends[e]) == 1 {
				lines = append(lines, follow(s, e))
				break
			}
		}
	}
	for s, sg := range segs {
		if !used[s] {
			lines = append(lines, follow(s, sg.a))
		}
	}
	return lines, nil
}

// checkGrid checks that x and y are strictly increasing and finite, and
// that z holds one finite value per grid node.
func checkGrid(x, y, z []float64) error {
	if err := checkAxis("x", x); err != nil {
		return err
	}
	if err := checkAxis("y", y); err != nil {
		return err
	}
	if len(z) != len(x)*len(y) {
		return fmt.Errorf("plot: grid has %d values, want len(x)*len(y) = %d×%d = %d", len(z), len(x), len(y), len(x)*len(y))
	}
	for k, v := range z {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("plot: grid value %d (x[%d], y[%d]) is %v", k, k/len(y), k%len(y), v)
		}
	}
	return nil
}

func checkAxis(name string, v []float64) error {
	if len(v) < 2 {
		return fmt.Errorf("plot: %s axis has %d points, want at least 2", name, len(v))
	}
	for i, u := range v {
		if math.IsNaN(u) || math.IsInf(u, 0) {
			return fmt.Errorf("plot: %s[%d] is %v", name, i, u)
		}
		if i > 0 && !(u > v[i-1]) {
			return fmt.Errorf("plot: %s axis is not strictly increasing at index %d (%v after %v)", name, i, u, v[i-1])
		}
	}
	return nil
}
