// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"fmt"
	"math"

	"github.com/goldmine-hep/goldmine/limits/internal/npmath"
	"github.com/goldmine-hep/goldmine/partition"
)

// Grid is a regular grid in θ: Resolutions[p] points from Ranges[p][0] to
// Ranges[p][1] inclusive along parameter p. A single resolution applies to
// every parameter. Points are ordered with the first parameter outermost
// (np.meshgrid(..., indexing="ij") flattened, as MadMiner).
type Grid struct {
	Ranges      [][2]float64
	Resolutions []int
}

// Axes returns the values of the grid along each parameter.
func (g Grid) Axes() ([][]float64, error) {
	axes, _, err := g.axes()
	return axes, err
}

// Len returns the number of grid points: the product of the resolutions,
// a single resolution counting once for every parameter. It does not
// check the grid (Points does).
func (g Grid) Len() int {
	n := 1
	for _, r := range g.Resolutions {
		n *= r
	}
	if len(g.Resolutions) == 1 {
		for range len(g.Ranges) - 1 {
			n *= g.Resolutions[0]
		}
	}
	return n
}

// Points returns the grid points, Len of them.
func (g Grid) Points() ([][]float64, error) {
	axes, res, err := g.axes()
	if err != nil {
		return nil, err
	}
	np := len(axes)
	pts := make([][]float64, g.Len())
	for k := range pts {
		pt := make([]float64, np)
		rem := k
		for p := np - 1; p >= 0; p-- {
			pt[p] = axes[p][rem%res[p]]
			rem /= res[p]
		}
		pts[k] = pt
	}
	return pts, nil
}

func (g Grid) axes() ([][]float64, []int, error) {
	np := len(g.Ranges)
	if np == 0 {
		return nil, nil, fmt.Errorf("limits: grid without parameters")
	}
	res := g.Resolutions
	switch len(res) {
	case 1:
		r := res[0]
		res = make([]int, np)
		for i := range res {
			res[i] = r
		}
	case np:
	default:
		return nil, nil, fmt.Errorf("limits: %d grid resolutions for %d parameters", len(res), np)
	}
	axes := make([][]float64, np)
	for p, r := range res {
		lo, hi := g.Ranges[p][0], g.Ranges[p][1]
		if r < 1 || math.IsNaN(lo) || math.IsNaN(hi) || lo > hi {
			return nil, nil, fmt.Errorf("limits: parameter %d: bad grid range [%v, %v] with %d points", p, lo, hi, r)
		}
		axes[p] = npmath.Linspace(lo, hi, r)
	}
	return axes, res, nil
}

// Split describes the train/test partition of a weighted event file, in
// the scheme of package partition: histograms and other trained pieces
// are filled from the train and validation partitions together, Asimov
// data and rate predictions come from the test partition. Test is the
// test fraction of the file, in (0, 1); there is no default, so that a
// test fraction of 0 is an error rather than a silent 0.2.
//
// By default each range's weights are rescaled by n over its number of
// events. With MadMiner set, the test partition starts one event later
// (partition.MadMinerBounds) and the factors are 1/(1−Test) and 1/Test,
// as in MadMiner's _train_test_split.
type Split struct {
	Test     float64
	MadMiner bool
}

func (s Split) check() error {
	if !(s.Test > 0 && s.Test < 1) {
		return fmt.Errorf("limits: test fraction %v not in (0, 1)", s.Test)
	}
	return nil
}

// TrainRange returns the training events [start, end) of n and their
// weight correction factor.
func (s Split) TrainRange(n int) (start, end int, factor float64, err error) {
	if err := s.check(); err != nil {
		return 0, 0, 0, err
	}
	sp := partition.Split{Test: s.Test}
	if s.MadMiner {
		start, end, factor = partition.MadMinerBounds(n, partition.Train, sp)
		return start, end, factor, nil
	}
	if start, end, err = partition.Bounds(n, partition.Train, sp); err != nil {
		return 0, 0, 0, fmt.Errorf("limits: %w", err)
	}
	if end >= n {
		return 0, 0, 0, fmt.Errorf("limits: irregular split: %d of %d events", end, n)
	}
	return start, end, float64(n) / float64(end-start), nil
}

// TestRange returns the test events [start, end) of n and their weight
// correction factor.
func (s Split) TestRange(n int) (start, end int, factor float64, err error) {
	if err := s.check(); err != nil {
		return 0, 0, 0, err
	}
	sp := partition.Split{Test: s.Test}
	if s.MadMiner {
		start, end, factor = partition.MadMinerBounds(n, partition.Test, sp)
		return start, end, factor, nil
	}
	if start, end, err = partition.Bounds(n, partition.Test, sp); err != nil {
		return 0, 0, 0, fmt.Errorf("limits: %w", err)
	}
	if start <= 0 {
		return 0, 0, 0, fmt.Errorf("limits: irregular split: %d of %d events", start, n)
	}
	return start, end, float64(n) / float64(end-start), nil
}
