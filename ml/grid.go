// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// ratioGrid evaluates a ParameterizedRatioEstimator at many parameter
// points for blocks of events. The network input is (θ̃, x̃), so the
// first layer's pre-activation splits into W_x x̃, computed once per
// block for all points, and b + W_θ θ̃, computed once per point; the
// features are standardised once per block. The remaining layers run per
// point on the kernels of Tape (float64).
type ratioGrid struct {
	e      *ParameterizedRatioEstimator
	feat   []int
	np, nt int
	idx    []int     // tangent directions: the θ inputs (with scores)
	bias   []float64 // nt×pw[1]: first-layer bias of each point
	xs, zx []float64
	tp     tape[float64]
	sd     []float64 // θ standard deviations (scores in θ units)
	tan    []float64
}

func (e *ParameterizedRatioEstimator) newGrid(thetas mat.Matrix, withScore bool) (*ratioGrid, error) {
	if e.Net == nil {
		return nil, fmt.Errorf("ml: ratio estimator is not trained")
	}
	nt, c := thetas.Dims()
	if c < e.NParameters {
		return nil, fmt.Errorf("ml: thetas have %d columns, want %d", c, e.NParameters)
	}
	feat, err := resolveFeatures(e.Features, e.NObservables)
	if err != nil {
		return nil, err
	}
	np := e.NParameters
	g := &ratioGrid{e: e, feat: feat, np: np, nt: nt, sd: e.ThetaScaling.Std}
	if withScore {
		g.idx = make([]int, np)
		for j := range g.idx {
			g.idx[j] = j
		}
	}
	g.tp.setup(e.Net)
	P := g.tp.pw[1]
	wt := g.tp.wt[0] // rows: inputs (θ̃ first, then x̃), P columns
	g.bias = make([]float64, nt*P)
	th := make([]float64, np)
	for i := 0; i < nt; i++ {
		putTheta(th, thetas, i, e.ThetaScaling)
		b := g.bias[i*P : (i+1)*P]
		copy(b, g.tp.bias[0])
		for j, v := range th {
			for o, w := range wt[j*P : (j+1)*P] {
				b[o] += v * w
			}
		}
	}
	return g, nil
}

// block evaluates the events lo…lo+b−1 of x at every point and calls
// fn(i, logR, score) for each point i in order; logR holds b values and
// score (with scores, else nil) b×NParameters values in θ units, both
// reused after fn returns.
func (g *ratioGrid) block(x mat.Matrix, lo, b int, fn func(i int, logR, score []float64) error) error {
	nf, P := len(g.feat), g.tp.pw[1]
	g.xs = grow(g.xs, b*nf)
	for r := 0; r < b; r++ {
		putX(g.xs[r*nf:(r+1)*nf], x, lo+r, g.e.XScaling, g.feat)
	}
	g.zx = grow(g.zx, b*P)
	gemm(g.tp.ks, b, P, nf, g.xs, nf, 1, g.tp.wt[0][g.np*P:], P, g.zx, P, false)
	for i := 0; i < g.nt; i++ {
		g.tp.inferFrom(g.zx, g.bias[i*P:(i+1)*P], b, g.idx)
		var score []float64
		if g.idx != nil {
			tan := g.tp.tangent()
			g.tan = grow(g.tan, b*g.np)
			score = g.tan
			for r := 0; r < b; r++ {
				for k := 0; k < g.np; k++ {
					score[r*g.np+k] = tan[k*b+r] / g.sd[k]
				}
			}
		}
		if err := fn(i, g.tp.output(), score); err != nil {
			return err
		}
	}
	return nil
}

// LogRatioGridRows evaluates log r̂(x_j|θ_i, θ_ref) for the events x
// (row-major n×NObservables) at every parameter point θ_i = thetas[i]
// (NParameters values; further entries, such as nuisance parameters, are
// ignored) in one pass over the events: for each block of up to 1024
// events it calls fn(i, lo, v) for every point i in order, with
// v[k] = log r̂(x_{lo+k}|θ_i); v is reused after fn returns. The features
// are standardised and multiplied into the first layer once per block for
// all points. The values equal those of LogRatioRows up to the summation
// order of the first layer. It has the signature of a
// limits.GridLogRatioFunc.
func (e *ParameterizedRatioEstimator) LogRatioGridRows(x []float64, thetas [][]float64, fn func(i, lo int, v []float64) error) error {
	xm, err := rowsOf(x, e.NObservables)
	if err != nil {
		return err
	}
	th, err := pointRows(thetas, e.NParameters)
	if err != nil {
		return err
	}
	g, err := e.newGrid(th, false)
	if err != nil {
		return err
	}
	n, _ := xm.Dims()
	for lo := 0; lo < n; lo += evalBatch {
		if err := g.block(xm, lo, min(evalBatch, n-lo), func(i int, v, _ []float64) error { return fn(i, lo, v) }); err != nil {
			return err
		}
	}
	return nil
}

// pointRows returns the first np entries of every point as the rows of a
// matrix.
func pointRows(thetas [][]float64, np int) (*mat.Dense, error) {
	if len(thetas) == 0 {
		return nil, fmt.Errorf("ml: no parameter points")
	}
	m := mat.NewDense(len(thetas), np, nil)
	for i, t := range thetas {
		if len(t) < np {
			return nil, fmt.Errorf("ml: point %d has %d parameters, want %d", i, len(t), np)
		}
		m.SetRow(i, t[:np])
	}
	return m, nil
}

// LogRatioGridRows is the ensemble mean of the members' LogRatioGridRows
// (members must be ParameterizedRatioEstimators), evaluated block by block
// for all members and points.
func (en *Ensemble) LogRatioGridRows(x []float64, thetas [][]float64, fn func(i, lo int, v []float64) error) error {
	if len(en.Members) == 0 {
		return fmt.Errorf("ml: empty ensemble")
	}
	grids := make([]*ratioGrid, len(en.Members))
	var xm *mat.Dense
	for m, mem := range en.Members {
		r, ok := mem.(*ParameterizedRatioEstimator)
		if !ok {
			return fmt.Errorf("ml: ensemble member %d is a %T, which gives no log-ratio grid", m, mem)
		}
		var err error
		if xm == nil {
			if xm, err = rowsOf(x, r.NObservables); err != nil {
				return err
			}
		}
		th, err := pointRows(thetas, r.NParameters)
		if err != nil {
			return err
		}
		if grids[m], err = r.newGrid(th, false); err != nil {
			return err
		}
	}
	n, _ := xm.Dims()
	nt := len(thetas)
	sum := make([]float64, nt*evalBatch)
	m := float64(len(grids))
	for lo := 0; lo < n; lo += evalBatch {
		b := min(evalBatch, n-lo)
		clear(sum)
		for _, g := range grids {
			if err := g.block(xm, lo, b, func(i int, v, _ []float64) error {
				for k, y := range v {
					sum[i*b+k] += y / m // as LogRatioRows, bit for bit
				}
				return nil
			}); err != nil {
				return err
			}
		}
		for i := 0; i < nt; i++ {
			if err := fn(i, lo, sum[i*b:(i+1)*b]); err != nil {
				return err
			}
		}
	}
	return nil
}
