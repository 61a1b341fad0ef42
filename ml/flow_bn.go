// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"cmp"
	"math"
	"slices"
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
type bnTape struct {
	b, k, d int
	batch   bool      // batch statistics (training) or running averages
	gamma   []float64 // exp(log γ), d
	mean, v []float64 // μ and σ²+ε, d
	s       []float64 // 1/√v, d
	c, cd   []float64 // z − μ (b×d) and its tangents (k·b×d)
	vd, sd  []float64 // tangents of v and s (k×d); zero without batch statistics
	ldd     []float64 // tangents of the log-determinant (k)
	logdet  float64

	// backward scratch
	cb, cdb []float64
}

// forward maps z (b×d) with tangents zd ((k·b)×d) to y and yd, and
// returns the log-determinant, which is the same for every row; its
// θ-tangents are in bt.ldd.
func (bt *bnTape) forward(logGamma, beta, runMean, runVar []float64, eps float64, z, zd, y, yd []float64, b, k int, batch bool) float64 {
	d := len(logGamma)
	bt.b, bt.k, bt.d, bt.batch = b, k, d, batch
	bt.gamma = grow(bt.gamma, d)
	bt.mean = grow(bt.mean, d)
	bt.v = grow(bt.v, d)
	bt.s = grow(bt.s, d)
	bt.c = grow(bt.c, b*d)
	bt.cd = grow(bt.cd, k*b*d)
	bt.vd = grow(bt.vd, k*d)
	bt.sd = grow(bt.sd, k*d)
	bt.ldd = grow(bt.ldd, k)
	clear(bt.vd)
	clear(bt.sd)
	clear(bt.ldd)
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
		for q := 0; q < k; q++ {
			blk := q * b * d
			md := 0.0
			if batch {
				for i := 0; i < b; i++ {
					md += zd[blk+i*d+e]
				}
				md /= fb
			}
			vd := 0.0
			for i := 0; i < b; i++ {
				c := zd[blk+i*d+e] - md
				bt.cd[blk+i*d+e] = c
				vd += bt.c[i*d+e] * c
			}
			sd := 0.0
			if batch {
				vd *= 2 / fb
				sd = -0.5 * s * s * s * vd
				bt.vd[q*d+e], bt.sd[q*d+e] = vd, sd
				bt.ldd[q] -= 0.5 * vd / v
			}
			for i := 0; i < b; i++ {
				yd[blk+i*d+e] = g * (bt.cd[blk+i*d+e]*s + bt.c[i*d+e]*sd)
			}
		}
	}
	bt.logdet = ld
	return ld
}

// backward takes the adjoints gy (b×d) of y and gyd ((k·b)×d, or nil) of
// the tangents, the sums G = Σ_i ∂L/∂log p_i and Gq[q] = Σ_i ∂L/∂score_qi
// (the log-determinant and its tangents enter every row), adds the
// gradients of log γ and β to dLogGamma and dBeta, and overwrites gy and
// gyd with the adjoints of z and zd.
func (bt *bnTape) backward(dLogGamma, dBeta, gy, gyd []float64, G float64, Gq []float64) {
	b, d, k := bt.b, bt.d, bt.k
	if gyd == nil {
		k = 0
	}
	fb := float64(b)
	bt.cb = grow(bt.cb, b)
	bt.cdb = grow(bt.cdb, k*b)
	cb, cdb := bt.cb, bt.cdb
	for e := 0; e < d; e++ {
		g, s, v := bt.gamma[e], bt.s[e], bt.v[e]
		// log γ, β and the adjoints of ĉ = c·s (+ c·ṡ in the tangents).
		dg, db := G, 0.0
		sbar := 0.0
		for i := 0; i < b; i++ {
			gi := gy[i*d+e]
			c := bt.c[i*d+e]
			db += gi
			dg += g * gi * c * s
			sbar += g * gi * c
			cb[i] = g * gi * s
		}
		for q := 0; q < k; q++ {
			blk := q * b * d
			sd := bt.sd[q*d+e]
			sdbar := 0.0 // adjoint of ṡ_q
			for i := 0; i < b; i++ {
				a := g * gyd[blk+i*d+e]
				c, cd := bt.c[i*d+e], bt.cd[blk+i*d+e]
				dg += a * (cd*s + c*sd)
				sdbar += a * c
				sbar += a * cd
				cb[i] += a * sd
				cdb[q*b+i] = a * s
			}
			if !bt.batch {
				continue
			}
			vd := bt.vd[q*d+e]
			// ṡ = −½ s³ v̇ and the log-determinant tangent −½ v̇/v.
			sbar += sdbar * (-1.5 * s * s * vd)
			vdbar := -0.5*s*s*s*sdbar - 0.5*Gq[q]/v
			// v̇ = (2/b) Σ c ċ; the adjoint of v from the tangent's logdet.
			for i := 0; i < b; i++ {
				cb[i] += vdbar * 2 / fb * bt.cd[blk+i*d+e]
				cdb[q*b+i] += vdbar * 2 / fb * bt.c[i*d+e]
			}
		}
		dLogGamma[e] += dg
		dBeta[e] += db
		if bt.batch {
			vbar := -0.5*s*s*s*sbar - 0.5*G/v
			for q := 0; q < k; q++ {
				vbar += 0.5 * Gq[q] * bt.vd[q*d+e] / (v * v)
			}
			mc := 0.0
			for i := 0; i < b; i++ {
				cb[i] += vbar * 2 / fb * bt.c[i*d+e]
				mc += cb[i]
			}
			mc /= fb
			for i := 0; i < b; i++ {
				gy[i*d+e] = cb[i] - mc
			}
			for q := 0; q < k; q++ {
				blk := q * b * d
				m := 0.0
				for i := 0; i < b; i++ {
					m += cdb[q*b+i]
				}
				m /= fb
				for i := 0; i < b; i++ {
					gyd[blk+i*d+e] = cdb[q*b+i] - m
				}
			}
			continue
		}
		for i := 0; i < b; i++ {
			gy[i*d+e] = cb[i]
		}
		for q := 0; q < k; q++ {
			blk := q * b * d
			for i := 0; i < b; i++ {
				gyd[blk+i*d+e] = cdb[q*b+i]
			}
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
