// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"fmt"
	"math"

	"github.com/goldmine-hep/goldmine/limits/internal/npmath"
)

// Grid is a regular grid in θ: Resolutions[p] points from Ranges[p][0] to
// Ranges[p][1] inclusive along parameter p. A single resolution applies to
// every parameter. Points are ordered with the first parameter outermost
// (np.meshgrid(..., indexing="ij") flattened, as MadMiner).
type Grid struct {
	Ranges      [][2]float64
	Resolutions []int
}

// Points returns the grid points.
func (g Grid) Points() ([][]float64, error) {
	np := len(g.Ranges)
	if np == 0 {
		return nil, fmt.Errorf("limits: grid without parameters")
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
		return nil, fmt.Errorf("limits: %d grid resolutions for %d parameters", len(res), np)
	}
	axes := make([][]float64, np)
	total := 1
	for p, r := range res {
		lo, hi := g.Ranges[p][0], g.Ranges[p][1]
		if r < 1 || math.IsNaN(lo) || math.IsNaN(hi) || lo > hi {
			return nil, fmt.Errorf("limits: parameter %d: bad grid range [%v, %v] with %d points", p, lo, hi, r)
		}
		axes[p] = npmath.Linspace(lo, hi, r)
		total *= r
	}
	pts := make([][]float64, total)
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

// Split describes the train/test partition of a weighted event file.
// Test is the fraction of events reserved for evaluation (Asimov data and
// rate predictions); 0 means 0.2.
//
// By default the training events are [0, round((1−Test)·n)) and the test
// events the rest, each rescaled by n over its number of events. With
// MadMiner set, the test partition starts one event later (MadMiner skips
// an event between partitions) and the factors are 1/(1−Test) and 1/Test,
// as in MadMiner's _train_test_split.
type Split struct {
	Test     float64
	MadMiner bool
}

func (s Split) test() float64 {
	if s.Test == 0 {
		return 0.2
	}
	return s.Test
}

// TrainRange returns the training events [start, end) of n and their
// weight correction factor.
func (s Split) TrainRange(n int) (start, end int, factor float64, err error) {
	ts := s.test()
	if ts <= 0 || ts >= 1 {
		return 0, 0, 0, fmt.Errorf("limits: test fraction %v not in (0, 1)", ts)
	}
	end = int(math.RoundToEven((1 - ts) * float64(n)))
	if end <= 0 || end >= n {
		return 0, 0, 0, fmt.Errorf("limits: irregular split: %d of %d events", end, n)
	}
	if s.MadMiner {
		return 0, end, 1 / (1 - ts), nil
	}
	return 0, end, float64(n) / float64(end), nil
}

// TestRange returns the test events [start, end) of n and their weight
// correction factor.
func (s Split) TestRange(n int) (start, end int, factor float64, err error) {
	_, e, _, err := s.TrainRange(n)
	if err != nil {
		return 0, 0, 0, err
	}
	if s.MadMiner {
		return e + 1, n, 1 / s.test(), nil
	}
	return e, n, float64(n) / float64(n-e), nil
}
