// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// Batch normalisation between the MADEs of a flow (MadMiner's BatchNorm
// with batch_norm=True, extended by a learnable scale and shift as in
// Papamakarios et al.). Layer j acts on the output z of MADE j, feature
// by feature:
//
//	y = γ·(z − μ)/√v + β,  v = σ² + ε,  log|∂y/∂z| = Σ_e (log γ_e − ½ log v_e),
//
// where μ and σ² are the batch mean and population variance in training
// and running averages in evaluation. Each layer owns 4·D parameters in
// the flow's parameter vector: log γ, β (trained) and the running mean
// and variance (not trained: their gradient is exactly zero, so every
// optimiser leaves them unchanged, and early stopping restores them with
// the weights).

const (
	// defaultBatchNormAlpha is MadMiner's running-average momentum.
	defaultBatchNormAlpha = 0.1
	// batchNormEps is MadMiner's ε added to the variance.
	batchNormEps = 1e-5
)

// bnParams returns the parameter block of batch-norm layer j: log γ, β,
// running mean and running variance, D values each.
func (f *maf) bnParams(j int) (logGamma, beta, runMean, runVar []float64) {
	d := f.d
	p := f.params[f.bnOff+4*d*j : f.bnOff+4*d*(j+1)]
	return p[:d], p[d : 2*d], p[2*d : 3*d], p[3*d : 4*d]
}

// updateRunning folds the batch statistics of the last batch-mode pass of
// ft into the running averages: the first batch sets them, later ones mix
// with weight alpha (MadMiner intends this, but its flag is never set, so
// its running averages are the last batch's statistics).
func (f *maf) updateRunning(ft *flowTape) {
	a := f.cfg.BatchNormAlpha
	for j := range f.mades {
		_, _, rm, rv := f.bnParams(j)
		bt := &ft.bn[j]
		for e := range rm {
			mean, v := bt.mean[e], bt.v[e]-f.cfg.BatchNormEps
			if f.cfg.BatchNormUpdates == 0 {
				rm[e], rv[e] = mean, v
				continue
			}
			rm[e] = (1-a)*rm[e] + a*mean
			rv[e] = (1-a)*rv[e] + a*v
		}
	}
	f.cfg.BatchNormUpdates++
}

// bnTape holds one batched pass through a batch-norm layer with
// θ-tangents (k directions, direction-major rows q·b+i).
//
// The θ-tangent treats μ and σ² as constants in both modes: ẏ = γ ż/√v,
// the score of the density whose normalisation is fixed at the batch's
// statistics. Moving θ_i moves the batch statistics only by O(1/b); the
// alternative of moving θ of every row together and differentiating the
// statistics too would be wrong by O(1), because a common shift of the
// MADE outputs is removed by the batch mean, so the score would lose its
// location part. The loss gradient with respect to the weights is exact:
// it includes the dependence of μ and σ² (and thus of y, log p̂ and the
// score) on every row of the batch.
type bnTape struct {
	b, k, d int
	batch   bool      // batch statistics (training) or running averages
	gamma   []float64 // exp(log γ), d
	mean, v []float64 // μ and σ²+ε, d
	s       []float64 // 1/√v, d
	c       []float64 // z − μ, b×d
	zd      []float64 // input tangents, (k·b)×d (retained, not copied)

	cb []float64 // backward scratch
}

// forward maps z (b×d) with tangents zd ((k·b)×d) to y and yd, and
// returns the log-determinant, which is the same for every row. z and zd
// are retained until backward.
func (bt *bnTape) forward(logGamma, beta, runMean, runVar []float64, eps float64, z, zd, y, yd []float64, b, k int, batch bool) float64 {
	d := len(logGamma)
	bt.b, bt.k, bt.d, bt.batch, bt.zd = b, k, d, batch, zd
	bt.gamma = grow(bt.gamma, d)
	bt.mean = grow(bt.mean, d)
	bt.v = grow(bt.v, d)
	bt.s = grow(bt.s, d)
	bt.c = grow(bt.c, b*d)
	fb := float64(b)
	ld := 0.0
	for e := 0; e < d; e++ {
		mean, v := runMean[e], runVar[e]+eps
		if batch {
			mean = 0
			for i := 0; i < b; i++ {
				mean += z[i*d+e]
			}
			mean /= fb
		}
		for i := 0; i < b; i++ {
			bt.c[i*d+e] = z[i*d+e] - mean
		}
		if batch {
			v = 0
			for i := 0; i < b; i++ {
				v += bt.c[i*d+e] * bt.c[i*d+e]
			}
			v = v/fb + eps
		}
		g := math.Exp(logGamma[e])
		s := 1 / math.Sqrt(v)
		bt.gamma[e], bt.mean[e], bt.v[e], bt.s[e] = g, mean, v, s
		ld += logGamma[e] - 0.5*math.Log(v)
		for i := 0; i < b; i++ {
			y[i*d+e] = g*bt.c[i*d+e]*s + beta[e]
		}
		for r := 0; r < k*b; r++ {
			yd[r*d+e] = g * s * zd[r*d+e]
		}
	}
	return ld
}

// backward takes the adjoints gy (b×d) of y and gyd ((k·b)×d, or nil) of
// the tangents and G = Σ_i ∂L/∂log p_i (the log-determinant enters every
// row), adds the gradients of log γ and β to dLogGamma and dBeta, and
// overwrites gy and gyd with the adjoints of z and zd.
func (bt *bnTape) backward(dLogGamma, dBeta, gy, gyd []float64, G float64) {
	b, d, k := bt.b, bt.d, bt.k
	if gyd == nil {
		k = 0
	}
	fb := float64(b)
	bt.cb = grow(bt.cb, b)
	cb := bt.cb
	for e := 0; e < d; e++ {
		g, s, v := bt.gamma[e], bt.s[e], bt.v[e]
		dg, db := G, 0.0
		sbar := 0.0 // adjoint of s = 1/√v
		for i := 0; i < b; i++ {
			gi := gy[i*d+e]
			c := bt.c[i*d+e]
			db += gi
			dg += g * gi * c * s
			sbar += g * gi * c
			cb[i] = g * gi * s
		}
		for r := 0; r < k*b; r++ {
			a := g * gyd[r*d+e]
			zd := bt.zd[r*d+e]
			dg += a * zd * s
			sbar += a * zd
			gyd[r*d+e] = a * s
		}
		dLogGamma[e] += dg
		dBeta[e] += db
		if !bt.batch {
			for i := 0; i < b; i++ {
				gy[i*d+e] = cb[i]
			}
			continue
		}
		// v = mean c² + ε with c = z − mean z; s = v^(−1/2); log-det −½ log v.
		vbar := -0.5*s*s*s*sbar - 0.5*G/v
		mc := 0.0
		for i := 0; i < b; i++ {
			cb[i] += vbar * 2 / fb * bt.c[i*d+e]
			mc += cb[i]
		}
		mc /= fb
		for i := 0; i < b; i++ {
			gy[i*d+e] = cb[i] - mc
		}
	}
}

// sortChunks orders row chunks by their first row, so that the batch
// assembled from concurrent evaluators does not depend on their timing.
func sortChunks(chunks [][]int) [][]int {
	slices.SortFunc(chunks, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	return chunks
}

// bnTensorNames names the tensors of a batch-norm block in a model
// directory ("bns.j.<name>").
var bnTensorNames = [4]string{"log_gamma", "beta", "running_mean", "running_var"}

// madeChunk holds the pass of one MADE over a contiguous block of rows.
type madeChunk struct {
	tape          Tape
	tin, gmd, gxd []float64 // tangent-layout copies for the block
	grad          []float64
}

// madeForward runs MADE j on the b rows of in with tangents tin ((k·b)×
// (p+d), direction-major) and returns its outputs (b×2d) and tangents
// ((k·b)×2d). With ft.workers > 1, the rows are split into that many
// blocks evaluated concurrently; the results are those of one pass up to
// the summation order inside the matrix products.
func (ft *flowTape) madeForward(j int, m *MLP, in, tin []float64, b, k int) (out, tan []float64) {
	nc := ft.workers
	if nc <= 1 || b < 2*nc {
		tp := &ft.tapes[j]
		tp.Forward(m, in, b, tin, k, nil)
		ft.out[j] = tp.Output()
		ft.tan[j] = nil
		if k > 0 {
			ft.tan[j] = tp.Tangent()
		}
		ft.chunked = false
		return ft.out[j], ft.tan[j]
	}
	ft.chunked = true
	ft.madeForwardSplit(j, m, in, tin, b, k, nc)
	return ft.out[j], ft.tan[j]
}

func (ft *flowTape) madeForwardSplit(j int, m *MLP, in, tin []float64, b, k, nc int) {
	if len(ft.chunks) != len(ft.tapes) || len(ft.chunks[j]) != nc {
		ft.chunks = make([][]madeChunk, len(ft.tapes))
		ft.cout = make([][]float64, len(ft.tapes))
		ft.ctan = make([][]float64, len(ft.tapes))
		for i := range ft.chunks {
			ft.chunks[i] = make([]madeChunk, nc)
		}
	}
	nin, no := m.Sizes[0], m.Sizes[len(m.Sizes)-1]
	out := grow(ft.cout[j], b*no)
	tan := grow(ft.ctan[j], k*b*no)
	ft.cout[j], ft.ctan[j] = out, tan
	ft.out[j], ft.tan[j] = out, tan
	if k == 0 {
		ft.tan[j] = nil
	}
	parallelChunks(nc, b, func(c, lo, hi int) {
		ch := &ft.chunks[j][c]
		bc := hi - lo
		var ctin []float64
		if k > 0 {
			ch.tin = grow(ch.tin, k*bc*nin)
			ctin = ch.tin
			for q := 0; q < k; q++ {
				copy(ctin[q*bc*nin:(q+1)*bc*nin], tin[(q*b+lo)*nin:(q*b+hi)*nin])
			}
		}
		ch.tape.Forward(m, in[lo*nin:hi*nin], bc, ctin, k, nil)
		copy(out[lo*no:hi*no], ch.tape.Output())
		if k > 0 {
			t := ch.tape.Tangent()
			for q := 0; q < k; q++ {
				copy(tan[(q*b+lo)*no:(q*b+hi)*no], t[q*bc*no:(q+1)*bc*no])
			}
		}
	})
}

// madeBackward runs the reverse pass of MADE j (see Tape.Backward) after
// madeForward; with blocks, their parameter gradients are added to grad
// in block order.
func (ft *flowTape) madeBackward(j int, grad, gm, gmd, gx, gxd []float64) {
	if !ft.chunked {
		ft.tapes[j].Backward(grad, gm, gmd, gx, gxd)
		return
	}
	ft.madeBackwardSplit(j, grad, gm, gmd, gx, gxd)
}

func (ft *flowTape) madeBackwardSplit(j int, grad, gm, gmd, gx, gxd []float64) {
	m := ft.f.mades[j]
	nin, no := m.Sizes[0], m.Sizes[len(m.Sizes)-1]
	b, k := ft.b, ft.k
	if gmd == nil {
		k = 0
	}
	nc := len(ft.chunks[j])
	parallelChunks(nc, b, func(c, lo, hi int) {
		ch := &ft.chunks[j][c]
		bc := hi - lo
		ch.grad = grow(ch.grad, len(grad))
		clear(ch.grad)
		var cgmd, cgxd []float64
		if k > 0 {
			ch.gmd = grow(ch.gmd, k*bc*no)
			cgmd = ch.gmd
			for q := 0; q < k; q++ {
				copy(cgmd[q*bc*no:(q+1)*bc*no], gmd[(q*b+lo)*no:(q*b+hi)*no])
			}
		}
		if gxd != nil {
			ch.gxd = grow(ch.gxd, ft.k*bc*nin)
			cgxd = ch.gxd
		}
		ch.tape.Backward(ch.grad, gm[lo*no:hi*no], cgmd, gx[lo*nin:hi*nin], cgxd)
		for q := 0; q < ft.k && gxd != nil; q++ {
			copy(gxd[(q*b+lo)*nin:(q*b+hi)*nin], cgxd[q*bc*nin:(q+1)*bc*nin])
		}
	})
	for c := range ft.chunks[j] {
		for i, v := range ft.chunks[j][c].grad {
			grad[i] += v
		}
	}
}

// parallelChunks calls fn(c, lo, hi) for the nc row blocks [c·b/nc,
// (c+1)·b/nc) concurrently and waits for all.
func parallelChunks(nc, b int, fn func(c, lo, hi int)) {
	var wg sync.WaitGroup
	for c := 1; c < nc; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			fn(c, c*b/nc, (c+1)*b/nc)
		}(c)
	}
	fn(0, 0, b/nc)
	wg.Wait()
}
