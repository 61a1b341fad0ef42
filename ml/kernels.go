// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import "math"

// floatT is the element type of the network kernels: float64 (the
// default, and the precision of every gradient check) or float32.
type floatT interface{ float32 | float64 }

// kernels is the set of batch kernels of one build and CPU. The tape
// (engine.go) calls only these; every field is set, except dot and outer
// in a set that is not narrow.
//
// Layout: a batch is row-major, one row per sample, and every layer width
// that is a column dimension of a product's result is padded to a
// multiple of lanes (the padded entries of weights and biases are zero,
// so padded outputs never reach a true output or gradient). Inner
// dimensions of products are never padded.
type kernels struct {
	name    string
	lanes32 int // padding of float32 widths
	lanes64 int // padding of float64 widths

	// gemm computes C (+)= A·B, see blasGemm; n is a multiple of the
	// lanes of the precision.
	gemm32 func(m, n, k int, a []float32, sa, sp int, b []float32, ldb int, c []float32, ldc int, acc bool)
	gemm64 func(m, n, k int, a []float64, sa, sp int, b []float64, ldb int, c []float64, ldc int, acc bool)

	// tanh overwrites each row z_r (len(z)/width rows of width, a multiple
	// of the lanes) with tanh(z_r + bias) and, if d1 is not nil, writes
	// 1 − tanh² into d1.
	tanh32 func(z, d1, bias []float32, width int)
	tanh64 func(z, d1, bias []float64, width int)

	// tanhBack writes gz = g⊙d1 + Σ_q gd_q⊙zd_q⊙(−2 f⊙d1) and
	// gzd_q = gd_q⊙d1 for the k tangent blocks q of length len(g)
	// (gd, zd, gzd nil if k = 0): the reverse pass through a tanh layer
	// with f = tanh z and its tangent.
	tanhBack32 func(gz, g, d1, f, gzd, gd, zd []float32, k int)
	tanhBack64 func(gz, g, d1, f, gzd, gd, zd []float64, k int)

	// narrow: an output layer of at most 4 columns (or half the lanes) is
	// not padded, and its products are the dot and outer kernels below.
	// The pure set runs them (gonum's level-1 and level-2 BLAS beat a GEMM
	// with a result of a few columns); the SIMD sets pad such a layer to
	// a vector and run gemm, whose register blocks are several times
	// faster than a horizontal sum per row and output (SALLY's output of
	// 2 in float32: the AVX2 dot kernel took 5–6.5 µs per batch, a quarter
	// of the epoch; padding it cut goldmine train's 20 epochs from
	// 2.8–3.5 s to 2.3–2.6 s). dot and outer are nil in a set that is not
	// narrow.
	narrow bool

	// dot writes z[r·nout+o] = Σ_{k<nin} a[r·lda+k]·w[o·ldw+k] for the
	// rows r and outputs o < nout: the forward product of a narrow output
	// layer (a few outputs), which is not padded.
	dot32 func(z, a []float32, lda int, w []float32, ldw, nin, nout int)
	dot64 func(z, a []float64, lda int, w []float64, ldw, nin, nout int)

	// outer adds Σ_r g[r·nout+o]·a[r·lda+k] to dw[o·ldw+k] for k < nin,
	// o < nout and the len(g)/nout rows r: the weight gradient of a narrow
	// output layer.
	outer32 func(dw []float32, ldw int, g, a []float32, lda, nin, nout int)
	outer64 func(dw []float64, ldw int, g, a []float64, lda, nin, nout int)

	// mul writes dst_q = d⊙src_q for the k blocks q of length len(d), a
	// multiple of the lanes (the tangents of a hidden layer).
	mul32 func(dst, d, src []float32, k int)
	mul64 func(dst, d, src []float64, k int)

	// colSum adds the column sums of the rows of src (row length width, a
	// multiple of the lanes) to dst[:width].
	colSum32 func(dst, src []float32, width int)
	colSum64 func(dst, src []float64, width int)

	// adam is one Adam or AMSGrad step on the parameters p with gradient
	// g' = scale·g: m ← β1 m + (1−β1) g', v ← β2 v + (1−β2) g'²,
	// vm ← max(vm, v) for AMSGrad (vm nil for Adam), and
	// p ← p − step·m/(√v̂/bc2 + ε) with v̂ = vm, or v for Adam. Each element
	// is updated by the same arithmetic wherever it is in the slices.
	adam func(p, g, m, v, vm []float64, scale, step, bc2 float64)
}

// Adam's constants (PyTorch's defaults).
const (
	adamB1, adamB2, adamEps = 0.9, 0.999, 1e-8
)

// pureKernels are the kernels of the default build: gonum's BLAS for the
// products and plain Go loops for the rest. No padding.
var pureKernels = kernels{
	name:    "gonum",
	lanes32: 1, lanes64: 1,
	narrow: true,
	gemm32: blasGemm[float32], gemm64: blasGemm[float64],
	tanh32: tanhRows32, tanh64: tanhRows64,
	tanhBack32: tanhBack[float32], tanhBack64: tanhBack[float64],
	colSum32: colSums[float32], colSum64: colSums[float64],
	mul32: mulBlocks[float32], mul64: mulBlocks[float64],
	dot32: blasDots[float32], dot64: blasDots[float64],
	outer32: blasOuters[float32], outer64: blasOuters[float64],
	adam: adamStep,
}

func adamStep(p, g, m, v, vm []float64, scale, step, bc2 float64) {
	for i, gi := range g {
		gi *= scale
		m[i] = adamB1*m[i] + (1-adamB1)*gi
		v[i] = adamB2*v[i] + (1-adamB2)*gi*gi
		vi := v[i]
		if vm != nil {
			vm[i] = math.Max(vm[i], vi)
			vi = vm[i]
		}
		p[i] -= step * m[i] / (math.Sqrt(vi)/bc2 + adamEps)
	}
}

// blasDots is the dot kernel with a dot product per row and output:
// gonum's assembly in float64, dotFixed in float32.
func blasDots[F floatT](z, a []F, lda int, w []F, ldw, nin, nout int) {
	for r := 0; r < len(z)/nout; r++ {
		ar := a[r*lda : r*lda+nin]
		for o := 0; o < nout; o++ {
			wo := w[o*ldw : o*ldw+nin]
			switch ar := any(ar).(type) {
			case []float64:
				z[r*nout+o] = F(impl.Ddot(nin, ar, 1, any(wo).([]float64), 1))
			case []float32:
				z[r*nout+o] = F(dotFixed(ar, any(wo).([]float32)))
			}
		}
	}
}

// dotFixed returns Σ a[k]·b[k] (len(b) ≥ len(a)) summed in four
// interleaved partial sums, an order set by k alone. gonum's float32 dot
// product first steps to a 16-byte boundary of its operands, so that its
// sum depended in the last bits on where a buffer lay; its float64 one
// does not.
func dotFixed(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	k := 0
	for ; k+4 <= len(a); k += 4 {
		s0 += a[k] * b[k]
		s1 += a[k+1] * b[k+1]
		s2 += a[k+2] * b[k+2]
		s3 += a[k+3] * b[k+3]
	}
	for ; k < len(a); k++ {
		s0 += a[k] * b[k]
	}
	return (s0 + s1) + (s2 + s3)
}

// blasOuters is the outer kernel with gonum's assembly axpy per row and output.
func blasOuters[F floatT](dw []F, ldw int, g, a []F, lda, nin, nout int) {
	for r := 0; r < len(g)/nout; r++ {
		ar := a[r*lda : r*lda+nin]
		for o := 0; o < nout; o++ {
			row := dw[o*ldw : o*ldw+nin]
			switch ar := any(ar).(type) {
			case []float64:
				impl.Daxpy(nin, float64(g[r*nout+o]), ar, 1, any(row).([]float64), 1)
			case []float32:
				impl.Saxpy(nin, float32(g[r*nout+o]), ar, 1, any(row).([]float32), 1)
			}
		}
	}
}

func dotsF[F floatT](ks *kernels, z, a []F, lda int, w []F, ldw, nin, nout int) {
	switch z := any(z).(type) {
	case []float64:
		ks.dot64(z, any(a).([]float64), lda, any(w).([]float64), ldw, nin, nout)
	case []float32:
		ks.dot32(z, any(a).([]float32), lda, any(w).([]float32), ldw, nin, nout)
	}
}

func outersF[F floatT](ks *kernels, dw []F, ldw int, g, a []F, lda, nin, nout int) {
	switch dw := any(dw).(type) {
	case []float64:
		ks.outer64(dw, ldw, any(g).([]float64), any(a).([]float64), lda, nin, nout)
	case []float32:
		ks.outer32(dw, ldw, any(g).([]float32), any(a).([]float32), lda, nin, nout)
	}
}

// mulBlocksF is mulBlocks with the kernels of ks.
func mulBlocksF[F floatT](ks *kernels, dst, d, src []F, k int) {
	switch dst := any(dst).(type) {
	case []float64:
		ks.mul64(dst, any(d).([]float64), any(src).([]float64), k)
	case []float32:
		ks.mul32(dst, any(d).([]float32), any(src).([]float32), k)
	}
}

// colSumsF adds the column sums of src to dst with the kernels of ks.
func colSumsF[F floatT](ks *kernels, dst, src []F, width int) {
	switch dst := any(dst).(type) {
	case []float64:
		ks.colSum64(dst, any(src).([]float64), width)
	case []float32:
		ks.colSum32(dst, any(src).([]float32), width)
	}
}

// kern holds the kernels chosen once for this build and CPU: the SIMD
// kernels of kernels_simd_amd64.go when built with GOEXPERIMENT=simd on
// a CPU with AVX2 and FMA, otherwise pureKernels.
var kern = selectKernels()

// KernelName returns the name of the batch kernels in use: "gonum" (the
// default build: gonum's BLAS and plain Go), "avx2" or "avx512" (built
// with GOEXPERIMENT=simd on a CPU that has them).
func KernelName() string { return kern.name }

func lanes[F floatT](ks *kernels) int {
	var z F
	if _, ok := any(z).(float32); ok {
		return ks.lanes32
	}
	return ks.lanes64
}

func padWidth(n, lanes int) int { return (n + lanes - 1) / lanes * lanes }

func gemm[F floatT](ks *kernels, m, n, k int, a []F, sa, sp int, b []F, ldb int, c []F, ldc int, acc bool) {
	switch a := any(a).(type) {
	case []float64:
		ks.gemm64(m, n, k, a, sa, sp, any(b).([]float64), ldb, any(c).([]float64), ldc, acc)
	case []float32:
		ks.gemm32(m, n, k, a, sa, sp, any(b).([]float32), ldb, any(c).([]float32), ldc, acc)
	}
}

// actForward overwrites the rows of z with act(z_r + bias) and, if d1 is
// not nil, writes act′ into d1.
func actForward[F floatT](ks *kernels, act Activation, z, d1, bias []F, width int) {
	if act == Tanh {
		switch z := any(z).(type) {
		case []float64:
			ks.tanh64(z, asF64(d1), any(bias).([]float64), width)
		case []float32:
			ks.tanh32(z, asF32(d1), any(bias).([]float32), width)
		}
		return
	}
	for r := 0; r < len(z); r += width {
		row := z[r : r+width]
		for j, b := range bias[:width] {
			row[j] += b
		}
	}
	switch act {
	case Sigmoid:
		for i, v := range z {
			f, g := sigmoidF(v)
			z[i] = f
			if d1 != nil {
				d1[i] = g
			}
		}
	case ReLU, LReLU:
		slope := F(0)
		if act == LReLU {
			slope = lreluSlope
		}
		for i, v := range z {
			f, g := v, F(1)
			if !(v > 0) {
				f, g = 0, slope
				if slope != 0 {
					f = slope * v
				}
			}
			z[i] = f
			if d1 != nil {
				d1[i] = g
			}
		}
	default:
		for i, v := range z {
			f, g, _ := act.eval(float64(v))
			z[i] = F(f)
			if d1 != nil {
				d1[i] = F(g)
			}
		}
	}
}

func asF64[F floatT](s []F) []float64 {
	if s == nil {
		return nil
	}
	return any(s).([]float64)
}

func asF32[F floatT](s []F) []float32 {
	if s == nil {
		return nil
	}
	return any(s).([]float32)
}

func sigmoidF[F floatT](x F) (F, F) {
	switch x := any(x).(type) {
	case float64:
		f, d := sigmoid64(x)
		return F(f), F(d)
	case float32:
		f, d := sigmoid32(x)
		return F(f), F(d)
	}
	panic("unreachable")
}

func tanhRows64(z, d1, bias []float64, width int) {
	for r := 0; r < len(z); r += width {
		row := z[r : r+width]
		for j, b := range bias[:width] {
			f, g := tanh64(row[j] + b)
			row[j] = f
			if d1 != nil {
				d1[r+j] = g
			}
		}
	}
}

func tanhRows32(z, d1, bias []float32, width int) {
	for r := 0; r < len(z); r += width {
		row := z[r : r+width]
		for j, b := range bias[:width] {
			f, g := tanh32(row[j] + b)
			row[j] = f
			if d1 != nil {
				d1[r+j] = g
			}
		}
	}
}

// actD2 returns act″ from f = act(z) and d1 = act′(z) (every supported
// activation's second derivative is a function of these two).
func actD2[F floatT](act Activation, f, d1 F) F {
	switch act {
	case Tanh:
		return -2 * f * d1
	case Sigmoid:
		return d1 * (1 - 2*f)
	case Softplus:
		return d1 * (1 - d1)
	case ELU:
		if f > 0 {
			return 0
		}
		return d1
	}
	return 0 // ReLU, LReLU
}

// actBackward is the reverse pass through a hidden activation for the
// primal values and k tangent blocks (see kernels.tanhBack).
func actBackward[F floatT](ks *kernels, act Activation, gz, g, d1, f, gzd, gd, zd []F, k int) {
	if act == Tanh {
		switch gz := any(gz).(type) {
		case []float64:
			ks.tanhBack64(gz, asF64(g), asF64(d1), asF64(f), asF64(gzd), asF64(gd), asF64(zd), k)
		case []float32:
			ks.tanhBack32(gz, asF32(g), asF32(d1), asF32(f), asF32(gzd), asF32(gd), asF32(zd), k)
		}
		return
	}
	n := len(g)
	for i, v := range g {
		gz[i] = v * d1[i]
	}
	if k == 0 {
		return
	}
	curved := act != ReLU && act != LReLU
	for q := 0; q < k; q++ {
		gdq, zdq, gzdq := gd[q*n:(q+1)*n], zd[q*n:(q+1)*n], gzd[q*n:(q+1)*n]
		for i, v := range gdq {
			if curved {
				gz[i] += v * zdq[i] * actD2(act, f[i], d1[i])
			}
			gzdq[i] = v * d1[i]
		}
	}
}

func tanhBack[F floatT](gz, g, d1, f, gzd, gd, zd []F, k int) {
	n := len(g)
	for i, v := range g {
		gz[i] = v * d1[i]
	}
	for q := 0; q < k; q++ {
		gdq, zdq, gzdq := gd[q*n:(q+1)*n], zd[q*n:(q+1)*n], gzd[q*n:(q+1)*n]
		for i, v := range gdq {
			gz[i] += v * zdq[i] * (-2 * f[i] * d1[i])
			gzdq[i] = v * d1[i]
		}
	}
}

// mulBlocks writes dst_q = d⊙src_q for the k blocks q of length len(d).
func mulBlocks[F floatT](dst, d, src []F, k int) {
	n := len(d)
	for q := 0; q < k; q++ {
		s, o := src[q*n:(q+1)*n], dst[q*n:(q+1)*n]
		for i, v := range d {
			o[i] = v * s[i]
		}
	}
}

// colSums adds the column sums of the rows of src (row length width)
// to dst[:width].
func colSums[F floatT](dst, src []F, width int) {
	dst = dst[:width]
	for r := 0; r < len(src); r += width {
		for j, v := range src[r : r+width] {
			dst[j] += v
		}
	}
}
