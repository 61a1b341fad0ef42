// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Reference is the Gaussian posterior N(θ, I⁻¹) of a Fisher information I
// at θ with a flat prior: on a grid (Grid, the posterior truncated to it)
// and in closed form (untruncated: Std, Intervals and Areas of the
// highest-density regions, per level).
type Reference struct {
	Theta       []float64   `json:"theta"`
	Information [][]float64 `json:"information"`
	Covariance  [][]float64 `json:"covariance"`
	Std         []float64   `json:"std"`
	// Intervals[c][i] is the HPD interval of parameter i at level c.
	Intervals [][]Interval `json:"intervals"`
	// Areas are the HPD areas of every pair of parameters.
	Areas []Region `json:"areas,omitempty"`
	Grid  *Summary `json:"grid"`
	// GridFile names the file the caller wrote the grid density to.
	GridFile string `json:"grid_file"`
}

// NewReference returns the reference posterior of the information info
// at theta, with the parameters' names, on the grid with the given axes
// (a uniform prior over their ranges), summarised at the credibility
// levels, and the grid it was evaluated on.
func NewReference(theta []float64, info *mat.SymDense, names []string, axes [][]float64, levels []float64) (*Reference, *Grid, error) {
	np := len(theta)
	if len(names) != np || len(axes) != np {
		return nil, nil, fmt.Errorf("posterior: reference of %d parameters with %d names and %d axes", np, len(names), len(axes))
	}
	g, err := NewNormal(theta, info)
	if err != nil {
		return nil, nil, err
	}
	ref := &Reference{Theta: theta, Std: g.Std()}
	for i := range np {
		ref.Information = append(ref.Information, mat.Row(nil, i, info))
		ref.Covariance = append(ref.Covariance, mat.Row(nil, i, g.Cov))
	}
	for _, cl := range levels {
		ref.Intervals = append(ref.Intervals, g.Intervals(cl))
	}
	for i := range np {
		for j := i + 1; j < np; j++ {
			for _, cl := range levels {
				ref.Areas = append(ref.Areas, Region{Params: [2]string{names[i], names[j]}, CL: cl, Area: g.Area(i, j, cl)})
			}
		}
	}
	priors := make(Priors, np)
	for i, ax := range axes {
		priors[i] = Uniform{Min: ax[0], Max: ax[len(ax)-1]}
	}
	grid, err := EvalGrid(&Model{Names: names, Priors: priors, LogLikelihood: g.LogLikelihood()}, axes, nil)
	if err != nil {
		return nil, nil, err
	}
	if ref.Grid, err = grid.Summary(&SummarySettings{CLs: levels}); err != nil {
		return nil, nil, err
	}
	return ref, grid, nil
}

// DensityArray returns the density of g at every grid point, in the
// grid's row-major order, with the shape of the array (the lengths of the
// axes), as written to a .npy file. For a marginal, call it on
// g.Marginal(dims...).
func (g *Grid) DensityArray() (shape []int, dens []float64) {
	shape = make([]int, g.Dim())
	for i, ax := range g.Axes {
		shape[i] = len(ax)
	}
	return shape, slices.Clone(g.dens)
}
