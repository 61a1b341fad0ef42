// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package npmath holds the few array primitives whose exact rounding
// behaviour matters when goldmine reproduces MadMiner's binning to the last
// bit: NumPy's pairwise summation, linspace, searchsorted and interp, and
// MadMiner's weighted quantile built on them.
package npmath

import (
	"sort"
)

// Sum returns the sum of x with NumPy's pairwise summation (the algorithm
// np.sum uses on a contiguous float64 array).
func Sum(x []float64) float64 {
	n := len(x)
	switch {
	case n < 8:
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s
	case n <= 128:
		var r [8]float64
		copy(r[:], x[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			r[0] += x[i]
			r[1] += x[i+1]
			r[2] += x[i+2]
			r[3] += x[i+3]
			r[4] += x[i+4]
			r[5] += x[i+5]
			r[6] += x[i+6]
			r[7] += x[i+7]
		}
		s := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += x[i]
		}
		return s
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return Sum(x[:n2]) + Sum(x[n2:])
	}
}

// Linspace returns num evenly spaced values from start to stop inclusive,
// computed as NumPy does (i*step + start, last value set to stop).
func Linspace(start, stop float64, num int) []float64 {
	y := make([]float64, num)
	if num == 1 {
		y[0] = start
		return y
	}
	div := float64(num - 1)
	step := (stop - start) / div
	for i := range y {
		y[i] = float64(i)*step + start
	}
	y[num-1] = stop
	return y
}

// SearchLeft returns the index i such that edges[i-1] < x <= edges[i]
// (np.searchsorted with side="left").
func SearchLeft(edges []float64, x float64) int {
	return sort.SearchFloat64s(edges, x)
}

// SearchRight returns the index i such that edges[i-1] <= x < edges[i]
// (np.searchsorted with side="right").
func SearchRight(edges []float64, x float64) int {
	return sort.Search(len(edges), func(i int) bool { return edges[i] > x })
}

// Interp evaluates the piecewise-linear interpolant through (xp, fp) at x
// with the arithmetic of np.interp. xp must be non-decreasing.
func Interp(x float64, xp, fp []float64) float64 {
	n := len(xp)
	if x <= xp[0] {
		return fp[0]
	}
	if x >= xp[n-1] {
		return fp[n-1]
	}
	j := SearchRight(xp, x) - 1
	if x == xp[j] {
		return fp[j]
	}
	slope := (fp[j+1] - fp[j]) / (xp[j+1] - xp[j])
	r := slope*(x-xp[j]) + fp[j]
	if r != r { // NaN: try from the other side, as NumPy does
		r = slope*(x-xp[j+1]) + fp[j+1]
		if r != r && fp[j] == fp[j+1] {
			r = fp[j]
		}
	}
	return r
}

// WeightedQuantile returns the weighted quantiles of values as MadMiner's
// utils.various.weighted_quantile computes them: values are sorted, the
// cumulative weights minus half the own weight are normalised either by the
// total weight (oldStyle false) or affinely onto [0, 1] (oldStyle true, "to be
// consistent with np.percentile"), and the quantiles are interpolated
// linearly. values and weights are not modified.
func WeightedQuantile(values, weights, quantiles []float64, oldStyle bool) []float64 {
	n := len(values)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return values[idx[a]] < values[idx[b]] })
	v := make([]float64, n)
	w := make([]float64, n)
	for i, k := range idx {
		v[i] = values[k]
		if weights == nil {
			w[i] = 1
		} else {
			w[i] = weights[k]
		}
	}
	wq := make([]float64, n)
	c := 0.0
	for i, x := range w {
		c += x
		wq[i] = c - 0.5*x
	}
	if oldStyle {
		w0 := wq[0]
		for i := range wq {
			wq[i] -= w0
		}
		wl := wq[n-1]
		for i := range wq {
			wq[i] /= wl
		}
	} else {
		tot := Sum(w)
		for i := range wq {
			wq[i] /= tot
		}
	}
	out := make([]float64, len(quantiles))
	for i, q := range quantiles {
		out[i] = Interp(q, wq, v)
	}
	return out
}
