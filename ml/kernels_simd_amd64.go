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
// The matrix product (gemm_avx2_amd64.go) keeps a block of 6 rows × 2
// vectors of C in registers and streams the inner dimension: per step it
// broadcasts 6 elements of A and loads 2 vectors of B (12 fused
// multiply-adds). Its register blocks are assembly (gemm_fma_amd64.s):
// written with archsimd, the compiler spilled the accumulators and copied
// each one after every fused multiply-add (whose result it keeps in the
// multiplicand's register), which ran at a quarter of the speed. The
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
	adam: adamAVX,
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
