// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build goexperiment.simd && amd64

package ml

import "simd/archsimd"

// AVX2 + FMA kernels with Go's experimental simd/archsimd package (built
// only with GOEXPERIMENT=simd, Go 1.26 or later): 8 float32 or 4 float64
// lanes. Widths are padded to 8 (float32) and 4 (float64) elements. On a
// CPU with AVX-512 the kernels of kernels_avx512_amd64.go are chosen.
//
// The matrix product keeps a block of 4 rows × 2 vectors of C in
// registers and streams the inner dimension: per step it broadcasts 4
// elements of A and loads 2 vectors of B (8 fused multiply-adds). The
// activation kernels are the scalar ones of fastmath.go lane by lane.

func selectKernels() kernels {
	k := availableKernels()
	return *k[len(k)-1]
}

// availableKernels lists the kernel sets this CPU runs, fastest last.
func availableKernels() []*kernels {
	k := []*kernels{&pureKernels}
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		k = append(k, &avx2Kernels)
		if archsimd.X86.AVX512() {
			k = append(k, &avx512Kernels)
		}
	}
	return k
}

var avx2Kernels = kernels{
	name:    "avx2",
	lanes32: 8, lanes64: 4,
	gemm32: gemmAVX32, gemm64: gemmAVX64,
	tanh32: tanhRowsAVX32, tanh64: tanhRowsAVX64,
	tanhBack32: tanhBackAVX32, tanhBack64: tanhBackAVX64,
	colSum32: colSumAVX32, colSum64: colSumAVX64,
	mul32: mulAVX32, mul64: mulAVX64,
	dot32: dotAVX32, dot64: dotAVX64,
	outer32: outerAVX32, outer64: outerAVX64,
	adam: adamAVX,
}

// load8 loads a[lo:hi] (at most 8 elements) into a vector, zero-filled.
func load8(a []float32, lo, hi int) archsimd.Float32x8 {
	if hi-lo == 8 {
		return archsimd.LoadFloat32x8Slice(a[lo:])
	}
	return archsimd.LoadFloat32x8SlicePart(a[lo:hi])
}

func load4(a []float64, lo, hi int) archsimd.Float64x4 {
	if hi-lo == 4 {
		return archsimd.LoadFloat64x4Slice(a[lo:])
	}
	return archsimd.LoadFloat64x4SlicePart(a[lo:hi])
}

func hsum8(v archsimd.Float32x8) float32 {
	s := v.GetHi().Add(v.GetLo())
	s = s.AddPairs(s)
	return s.AddPairs(s).GetElem(0)
}

func hsum4(v archsimd.Float64x4) float64 {
	s := v.GetHi().Add(v.GetLo())
	return s.AddPairs(s).GetElem(0)
}

// dotAVX32 keeps 4 rows' sums in registers per output.
func dotAVX32(z, a []float32, lda int, w []float32, ldw, nin, nout int) {
	rows := len(z) / nout
	for o := 0; o < nout; o++ {
		wo := w[o*ldw : o*ldw+nin]
		r := 0
		for ; r+4 <= rows; r += 4 {
			var s0, s1, s2, s3 archsimd.Float32x8
			q := r * lda
			for k := 0; k < nin; k += 8 {
				hi := min(k+8, nin)
				wv := load8(wo, k, hi)
				s0 = load8(a, q+k, q+hi).MulAdd(wv, s0)
				s1 = load8(a, q+lda+k, q+lda+hi).MulAdd(wv, s1)
				s2 = load8(a, q+2*lda+k, q+2*lda+hi).MulAdd(wv, s2)
				s3 = load8(a, q+3*lda+k, q+3*lda+hi).MulAdd(wv, s3)
			}
			z[r*nout+o], z[(r+1)*nout+o], z[(r+2)*nout+o], z[(r+3)*nout+o] = hsum8(s0), hsum8(s1), hsum8(s2), hsum8(s3)
		}
		for ; r < rows; r++ {
			var s archsimd.Float32x8
			for k := 0; k < nin; k += 8 {
				hi := min(k+8, nin)
				s = load8(a, r*lda+k, r*lda+hi).MulAdd(load8(wo, k, hi), s)
			}
			z[r*nout+o] = hsum8(s)
		}
	}
}

func dotAVX64(z, a []float64, lda int, w []float64, ldw, nin, nout int) {
	rows := len(z) / nout
	for o := 0; o < nout; o++ {
		wo := w[o*ldw : o*ldw+nin]
		r := 0
		for ; r+4 <= rows; r += 4 {
			var s0, s1, s2, s3 archsimd.Float64x4
			q := r * lda
			for k := 0; k < nin; k += 4 {
				hi := min(k+4, nin)
				wv := load4(wo, k, hi)
				s0 = load4(a, q+k, q+hi).MulAdd(wv, s0)
				s1 = load4(a, q+lda+k, q+lda+hi).MulAdd(wv, s1)
				s2 = load4(a, q+2*lda+k, q+2*lda+hi).MulAdd(wv, s2)
				s3 = load4(a, q+3*lda+k, q+3*lda+hi).MulAdd(wv, s3)
			}
			z[r*nout+o], z[(r+1)*nout+o], z[(r+2)*nout+o], z[(r+3)*nout+o] = hsum4(s0), hsum4(s1), hsum4(s2), hsum4(s3)
		}
		for ; r < rows; r++ {
			var s archsimd.Float64x4
			for k := 0; k < nin; k += 4 {
				hi := min(k+4, nin)
				s = load4(a, r*lda+k, r*lda+hi).MulAdd(load4(wo, k, hi), s)
			}
			z[r*nout+o] = hsum4(s)
		}
	}
}

// outerAVX32 streams the rows once per output and 8 columns.
func outerAVX32(dw []float32, ldw int, g, a []float32, lda, nin, nout int) {
	rows := len(g) / nout
	for k := 0; k < nin; k += 8 {
		hi := min(k+8, nin)
		for o := 0; o < nout; o++ {
			s := load8(dw, o*ldw+k, o*ldw+hi)
			for r := 0; r < rows; r++ {
				s = archsimd.BroadcastFloat32x8(g[r*nout+o]).MulAdd(load8(a, r*lda+k, r*lda+hi), s)
			}
			if hi-k == 8 {
				s.StoreSlice(dw[o*ldw+k:])
			} else {
				s.StoreSlicePart(dw[o*ldw+k : o*ldw+hi])
			}
		}
	}
}

func outerAVX64(dw []float64, ldw int, g, a []float64, lda, nin, nout int) {
	rows := len(g) / nout
	for k := 0; k < nin; k += 4 {
		hi := min(k+4, nin)
		for o := 0; o < nout; o++ {
			s := load4(dw, o*ldw+k, o*ldw+hi)
			for r := 0; r < rows; r++ {
				s = archsimd.BroadcastFloat64x4(g[r*nout+o]).MulAdd(load4(a, r*lda+k, r*lda+hi), s)
			}
			if hi-k == 4 {
				s.StoreSlice(dw[o*ldw+k:])
			} else {
				s.StoreSlicePart(dw[o*ldw+k : o*ldw+hi])
			}
		}
	}
}

func mulAVX32(dst, d, src []float32, k int) {
	n := len(d)
	for i := 0; i < n; i += 8 {
		v := archsimd.LoadFloat32x8Slice(d[i:])
		for q := i; q < k*n; q += n {
			v.Mul(archsimd.LoadFloat32x8Slice(src[q:])).StoreSlice(dst[q:])
		}
	}
}

func mulAVX64(dst, d, src []float64, k int) {
	n := len(d)
	for i := 0; i < n; i += 4 {
		v := archsimd.LoadFloat64x4Slice(d[i:])
		for q := i; q < k*n; q += n {
			v.Mul(archsimd.LoadFloat64x4Slice(src[q:])).StoreSlice(dst[q:])
		}
	}
}

func colSumAVX32(dst, src []float32, width int) {
	for j := 0; j < width; j += 8 {
		s := archsimd.LoadFloat32x8Slice(dst[j:])
		for r := j; r < len(src); r += width {
			s = s.Add(archsimd.LoadFloat32x8Slice(src[r:]))
		}
		s.StoreSlice(dst[j:])
	}
}

func colSumAVX64(dst, src []float64, width int) {
	for j := 0; j < width; j += 4 {
		s := archsimd.LoadFloat64x4Slice(dst[j:])
		for r := j; r < len(src); r += width {
			s = s.Add(archsimd.LoadFloat64x4Slice(src[r:]))
		}
		s.StoreSlice(dst[j:])
	}
}

// adamAVX is adamStep on 4 lanes; the tail is a partial vector, so that
// every element gets the same arithmetic.
func adamAVX(p, g, m, v, vm []float64, scale, step, bc2 float64) {
	c := archsimd.BroadcastFloat64x4
	sc, st, ib := c(scale), c(step), c(1/bc2)
	b1, c1, b2, c2, eps := c(adamB1), c(1-adamB1), c(adamB2), c(1-adamB2), c(adamEps)
	for i := 0; i < len(g); i += 4 {
		gi := archsimd.LoadFloat64x4SlicePart(g[i:]).Mul(sc)
		mi := archsimd.LoadFloat64x4SlicePart(m[i:]).Mul(b1).Add(gi.Mul(c1))
		vi := archsimd.LoadFloat64x4SlicePart(v[i:]).Mul(b2).Add(gi.Mul(gi).Mul(c2))
		mi.StoreSlicePart(m[i:])
		vi.StoreSlicePart(v[i:])
		if vm != nil {
			vi = archsimd.LoadFloat64x4SlicePart(vm[i:]).Max(vi)
			vi.StoreSlicePart(vm[i:])
		}
		pi := archsimd.LoadFloat64x4SlicePart(p[i:])
		pi.Sub(st.Mul(mi).Div(vi.Sqrt().Mul(ib).Add(eps))).StoreSlicePart(p[i:])
	}
}

func gemmAVX32(m, n, k int, a []float32, sa, sp int, b []float32, ldb int, c []float32, ldc int, acc bool) {
	if n%8 != 0 {
		panic("ml: gemm width is not a multiple of 8")
	}
	i := 0
	for ; i+4 <= m; i += 4 {
		c0, c1, c2, c3 := c[i*ldc:], c[(i+1)*ldc:], c[(i+2)*ldc:], c[(i+3)*ldc:]
		j := 0
		for ; j+16 <= n; j += 16 {
			var s00, s01, s10, s11, s20, s21, s30, s31 archsimd.Float32x8
			if acc {
				s00, s01 = archsimd.LoadFloat32x8Slice(c0[j:]), archsimd.LoadFloat32x8Slice(c0[j+8:])
				s10, s11 = archsimd.LoadFloat32x8Slice(c1[j:]), archsimd.LoadFloat32x8Slice(c1[j+8:])
				s20, s21 = archsimd.LoadFloat32x8Slice(c2[j:]), archsimd.LoadFloat32x8Slice(c2[j+8:])
				s30, s31 = archsimd.LoadFloat32x8Slice(c3[j:]), archsimd.LoadFloat32x8Slice(c3[j+8:])
			}
			q := i * sa
			for p := 0; p < k; p++ {
				bp := b[p*ldb+j:]
				b0 := archsimd.LoadFloat32x8Slice(bp)
				b1 := archsimd.LoadFloat32x8Slice(bp[8:])
				a0 := archsimd.BroadcastFloat32x8(a[q])
				a1 := archsimd.BroadcastFloat32x8(a[q+sa])
				a2 := archsimd.BroadcastFloat32x8(a[q+2*sa])
				a3 := archsimd.BroadcastFloat32x8(a[q+3*sa])
				s00 = a0.MulAdd(b0, s00)
				s01 = a0.MulAdd(b1, s01)
				s10 = a1.MulAdd(b0, s10)
				s11 = a1.MulAdd(b1, s11)
				s20 = a2.MulAdd(b0, s20)
				s21 = a2.MulAdd(b1, s21)
				s30 = a3.MulAdd(b0, s30)
				s31 = a3.MulAdd(b1, s31)
				q += sp
			}
			s00.StoreSlice(c0[j:])
			s01.StoreSlice(c0[j+8:])
			s10.StoreSlice(c1[j:])
			s11.StoreSlice(c1[j+8:])
			s20.StoreSlice(c2[j:])
			s21.StoreSlice(c2[j+8:])
			s30.StoreSlice(c3[j:])
			s31.StoreSlice(c3[j+8:])
		}
		for ; j < n; j += 8 {
			var s0, s1, s2, s3 archsimd.Float32x8
			if acc {
				s0, s1 = archsimd.LoadFloat32x8Slice(c0[j:]), archsimd.LoadFloat32x8Slice(c1[j:])
				s2, s3 = archsimd.LoadFloat32x8Slice(c2[j:]), archsimd.LoadFloat32x8Slice(c3[j:])
			}
			q := i * sa
			for p := 0; p < k; p++ {
				b0 := archsimd.LoadFloat32x8Slice(b[p*ldb+j:])
				s0 = archsimd.BroadcastFloat32x8(a[q]).MulAdd(b0, s0)
				s1 = archsimd.BroadcastFloat32x8(a[q+sa]).MulAdd(b0, s1)
				s2 = archsimd.BroadcastFloat32x8(a[q+2*sa]).MulAdd(b0, s2)
				s3 = archsimd.BroadcastFloat32x8(a[q+3*sa]).MulAdd(b0, s3)
				q += sp
			}
			s0.StoreSlice(c0[j:])
			s1.StoreSlice(c1[j:])
			s2.StoreSlice(c2[j:])
			s3.StoreSlice(c3[j:])
		}
	}
	for ; i < m; i++ {
		ci := c[i*ldc:]
		for j := 0; j < n; j += 8 {
			var s archsimd.Float32x8
			if acc {
				s = archsimd.LoadFloat32x8Slice(ci[j:])
			}
			q := i * sa
			for p := 0; p < k; p++ {
				s = archsimd.BroadcastFloat32x8(a[q]).MulAdd(archsimd.LoadFloat32x8Slice(b[p*ldb+j:]), s)
				q += sp
			}
			s.StoreSlice(ci[j:])
		}
	}
}

func gemmAVX64(m, n, k int, a []float64, sa, sp int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	if n%4 != 0 {
		panic("ml: gemm width is not a multiple of 4")
	}
	i := 0
	for ; i+4 <= m; i += 4 {
		c0, c1, c2, c3 := c[i*ldc:], c[(i+1)*ldc:], c[(i+2)*ldc:], c[(i+3)*ldc:]
		j := 0
		for ; j+8 <= n; j += 8 {
			var s00, s01, s10, s11, s20, s21, s30, s31 archsimd.Float64x4
			if acc {
				s00, s01 = archsimd.LoadFloat64x4Slice(c0[j:]), archsimd.LoadFloat64x4Slice(c0[j+4:])
				s10, s11 = archsimd.LoadFloat64x4Slice(c1[j:]), archsimd.LoadFloat64x4Slice(c1[j+4:])
				s20, s21 = archsimd.LoadFloat64x4Slice(c2[j:]), archsimd.LoadFloat64x4Slice(c2[j+4:])
				s30, s31 = archsimd.LoadFloat64x4Slice(c3[j:]), archsimd.LoadFloat64x4Slice(c3[j+4:])
			}
			q := i * sa
			for p := 0; p < k; p++ {
				bp := b[p*ldb+j:]
				b0 := archsimd.LoadFloat64x4Slice(bp)
				b1 := archsimd.LoadFloat64x4Slice(bp[4:])
				a0 := archsimd.BroadcastFloat64x4(a[q])
				a1 := archsimd.BroadcastFloat64x4(a[q+sa])
				a2 := archsimd.BroadcastFloat64x4(a[q+2*sa])
				a3 := archsimd.BroadcastFloat64x4(a[q+3*sa])
				s00 = a0.MulAdd(b0, s00)
				s01 = a0.MulAdd(b1, s01)
				s10 = a1.MulAdd(b0, s10)
				s11 = a1.MulAdd(b1, s11)
				s20 = a2.MulAdd(b0, s20)
				s21 = a2.MulAdd(b1, s21)
				s30 = a3.MulAdd(b0, s30)
				s31 = a3.MulAdd(b1, s31)
				q += sp
			}
			s00.StoreSlice(c0[j:])
			s01.StoreSlice(c0[j+4:])
			s10.StoreSlice(c1[j:])
			s11.StoreSlice(c1[j+4:])
			s20.StoreSlice(c2[j:])
			s21.StoreSlice(c2[j+4:])
			s30.StoreSlice(c3[j:])
			s31.StoreSlice(c3[j+4:])
		}
		for ; j < n; j += 4 {
			var s0, s1, s2, s3 archsimd.Float64x4
			if acc {
				s0, s1 = archsimd.LoadFloat64x4Slice(c0[j:]), archsimd.LoadFloat64x4Slice(c1[j:])
				s2, s3 = archsimd.LoadFloat64x4Slice(c2[j:]), archsimd.LoadFloat64x4Slice(c3[j:])
			}
			q := i * sa
			for p := 0; p < k; p++ {
				b0 := archsimd.LoadFloat64x4Slice(b[p*ldb+j:])
				s0 = archsimd.BroadcastFloat64x4(a[q]).MulAdd(b0, s0)
				s1 = archsimd.BroadcastFloat64x4(a[q+sa]).MulAdd(b0, s1)
				s2 = archsimd.BroadcastFloat64x4(a[q+2*sa]).MulAdd(b0, s2)
				s3 = archsimd.BroadcastFloat64x4(a[q+3*sa]).MulAdd(b0, s3)
				q += sp
			}
			s0.StoreSlice(c0[j:])
			s1.StoreSlice(c1[j:])
			s2.StoreSlice(c2[j:])
			s3.StoreSlice(c3[j:])
		}
	}
	for ; i < m; i++ {
		ci := c[i*ldc:]
		for j := 0; j < n; j += 4 {
			var s archsimd.Float64x4
			if acc {
				s = archsimd.LoadFloat64x4Slice(ci[j:])
			}
			q := i * sa
			for p := 0; p < k; p++ {
				s = archsimd.BroadcastFloat64x4(a[q]).MulAdd(archsimd.LoadFloat64x4Slice(b[p*ldb+j:]), s)
				q += sp
			}
			s.StoreSlice(ci[j:])
		}
	}
}

// tanhAVX32 is tanh32 on 8 lanes: f = tanh x and d1 = 1 − f² (with
// inv = −1/(2 + expm1(u)) the signs of tanh32 fold into one division).
func tanhAVX32(x archsimd.Float32x8) (f, d1 archsimd.Float32x8) {
	xi := x.AsInt32x8()
	sign := xi.And(archsimd.BroadcastInt32x8(-1 << 31))
	a := xi.AndNot(archsimd.BroadcastInt32x8(-1 << 31)).AsFloat32x8().Min(archsimd.BroadcastFloat32x8(tanhMax32))
	u := a.Mul(archsimd.BroadcastFloat32x8(-2))
	rnd := archsimd.BroadcastFloat32x8(round32)
	t := u.MulAdd(archsimd.BroadcastFloat32x8(log2e), rnd)
	n := t.Sub(rnd)
	r := n.MulAdd(archsimd.BroadcastFloat32x8(-ln2Hi32), u)
	r = n.MulAdd(archsimd.BroadcastFloat32x8(-ln2Lo32), r)
	r2 := r.Mul(r)
	r4 := r2.Mul(r2)
	p0 := r.MulAdd(archsimd.BroadcastFloat32x8(1.0/6), archsimd.BroadcastFloat32x8(1.0/2))
	p1 := r.MulAdd(archsimd.BroadcastFloat32x8(1.0/120), archsimd.BroadcastFloat32x8(1.0/24))
	p2 := r.MulAdd(archsimd.BroadcastFloat32x8(1.0/5040), archsimd.BroadcastFloat32x8(1.0/720))
	q := r4.MulAdd(p2, r2.MulAdd(p1, p0))
	p := r2.MulAdd(q, r) // expm1(r)
	s := t.AsInt32x8().Sub(archsimd.BroadcastInt32x8(int32(0x4B400000 - 127))).ShiftAllLeft(23).AsFloat32x8()
	one := archsimd.BroadcastFloat32x8(1)
	e := p.MulAdd(s, s)           // exp(u)
	em := p.MulAdd(s, s.Sub(one)) // expm1(u)
	inv := one.Div(archsimd.BroadcastFloat32x8(-2).Sub(em))
	th := em.Mul(inv)
	d1 = e.Mul(archsimd.BroadcastFloat32x8(4)).Mul(inv).Mul(inv)
	f = th.AsInt32x8().Xor(sign).AsFloat32x8()
	return f, d1
}

// tanhAVX64 is tanh64 on 4 lanes.
func tanhAVX64(x archsimd.Float64x4) (f, d1 archsimd.Float64x4) {
	xi := x.AsInt64x4()
	sign := xi.And(archsimd.BroadcastInt64x4(-1 << 63))
	a := xi.AndNot(archsimd.BroadcastInt64x4(-1 << 63)).AsFloat64x4().Min(archsimd.BroadcastFloat64x4(tanhMax64))
	u := a.Mul(archsimd.BroadcastFloat64x4(-2))
	rnd := archsimd.BroadcastFloat64x4(round64)
	t := u.MulAdd(archsimd.BroadcastFloat64x4(log2e), rnd)
	n := t.Sub(rnd)
	r := n.MulAdd(archsimd.BroadcastFloat64x4(-ln2Hi64), u)
	r = n.MulAdd(archsimd.BroadcastFloat64x4(-ln2Lo64), r)
	r2 := r.Mul(r)
	r4 := r2.Mul(r2)
	r8 := r4.Mul(r4)
	c := func(v float64) archsimd.Float64x4 { return archsimd.BroadcastFloat64x4(v) }
	p0 := r.MulAdd(c(1.0/6), c(1.0/2))
	p1 := r.MulAdd(c(1.0/120), c(1.0/24))
	p2 := r.MulAdd(c(1.0/5040), c(1.0/720))
	p3 := r.MulAdd(c(1.0/362880), c(1.0/40320))
	p4 := r.MulAdd(c(1.0/39916800), c(1.0/3628800))
	p5 := r.MulAdd(c(1.0/6227020800), c(1.0/479001600))
	q := r8.MulAdd(r2.MulAdd(p5, p4), r4.MulAdd(r2.MulAdd(p3, p2), r2.MulAdd(p1, p0)))
	p := r2.MulAdd(q, r)
	s := t.AsInt64x4().Sub(archsimd.BroadcastInt64x4(0x4338000000000000 - 1023)).ShiftAllLeft(52).AsFloat64x4()
	one := c(1)
	e := p.MulAdd(s, s)
	em := p.MulAdd(s, s.Sub(one))
	inv := one.Div(c(-2).Sub(em))
	th := em.Mul(inv)
	d1 = e.Mul(c(4)).Mul(inv).Mul(inv)
	f = th.AsInt64x4().Xor(sign).AsFloat64x4()
	return f, d1
}

func tanhRowsAVX32(z, d1, bias []float32, width int) {
	for r := 0; r < len(z); r += width {
		row := z[r : r+width]
		for j := 0; j < width; j += 8 {
			f, g := tanhAVX32(archsimd.LoadFloat32x8Slice(row[j:]).Add(archsimd.LoadFloat32x8Slice(bias[j:])))
			f.StoreSlice(row[j:])
			if d1 != nil {
				g.StoreSlice(d1[r+j:])
			}
		}
	}
}

func tanhRowsAVX64(z, d1, bias []float64, width int) {
	for r := 0; r < len(z); r += width {
		row := z[r : r+width]
		for j := 0; j < width; j += 4 {
			f, g := tanhAVX64(archsimd.LoadFloat64x4Slice(row[j:]).Add(archsimd.LoadFloat64x4Slice(bias[j:])))
			f.StoreSlice(row[j:])
			if d1 != nil {
				g.StoreSlice(d1[r+j:])
			}
		}
	}
}

func tanhBackAVX32(gz, g, d1, f, gzd, gd, zd []float32, k int) {
	tanhBackFromAVX32(gz, g, d1, f, gzd, gd, zd, k, 0)
}

// tanhBackFromAVX32 is tanhBackAVX32 on the elements from lo on.
func tanhBackFromAVX32(gz, g, d1, f, gzd, gd, zd []float32, k, lo int) {
	n := len(g)
	m2 := archsimd.BroadcastFloat32x8(-2)
	for i := lo; i < n; i += 8 {
		d := archsimd.LoadFloat32x8Slice(d1[i:])
		s := archsimd.LoadFloat32x8Slice(g[i:]).Mul(d)
		if k > 0 {
			d2 := archsimd.LoadFloat32x8Slice(f[i:]).Mul(m2).Mul(d)
			for q := 0; q < k; q++ {
				o := q*n + i
				v := archsimd.LoadFloat32x8Slice(gd[o:])
				s = v.Mul(archsimd.LoadFloat32x8Slice(zd[o:])).MulAdd(d2, s)
				v.Mul(d).StoreSlice(gzd[o:])
			}
		}
		s.StoreSlice(gz[i:])
	}
}

func tanhBackAVX64(gz, g, d1, f, gzd, gd, zd []float64, k int) {
	tanhBackFromAVX64(gz, g, d1, f, gzd, gd, zd, k, 0)
}

// tanhBackFromAVX64 is tanhBackAVX64 on the elements from lo on.
func tanhBackFromAVX64(gz, g, d1, f, gzd, gd, zd []float64, k, lo int) {
	n := len(g)
	m2 := archsimd.BroadcastFloat64x4(-2)
	for i := lo; i < n; i += 4 {
		d := archsimd.LoadFloat64x4Slice(d1[i:])
		s := archsimd.LoadFloat64x4Slice(g[i:]).Mul(d)
		if k > 0 {
			d2 := archsimd.LoadFloat64x4Slice(f[i:]).Mul(m2).Mul(d)
			for q := 0; q < k; q++ {
				o := q*n + i
				v := archsimd.LoadFloat64x4Slice(gd[o:])
				s = v.Mul(archsimd.LoadFloat64x4Slice(zd[o:])).MulAdd(d2, s)
				v.Mul(d).StoreSlice(gzd[o:])
			}
		}
		s.StoreSlice(gz[i:])
	}
}
