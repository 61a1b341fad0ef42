// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build goexperiment.simd && amd64

package ml

import "simd/archsimd"

// AVX-512 kernels: the AVX2 kernels' schemes on 16 float32 or 8 float64
// lanes, with the padding of the AVX2 kernels (widths are multiples of 8
// float32 or 4 float64), whose last 256-bit vector of a row, if any, the
// AVX2 kernels compute. archsimd's vector types cannot be type
// parameters, hence the copies per width.
//
// The matrix product is the AVX2 one (gemm_avx2_amd64.go). Its 512-bit
// archsimd version had the register spills of the old 256-bit one
// (kernels_simd_amd64.go), which ran at a quarter of the assembly
// blocks' speed; on the AMD EPYC cores this project runs on, a 512-bit
// fused multiply-add issues as two 256-bit halves, so a 512-bit block
// could at best tie with the 256-bit one. (Not measured: the machine at
// hand has no AVX-512.)

var avx512Kernels = kernels{
	name:    "avx512",
	lanes32: 8, lanes64: 4,
	gemm32: gemmAVX32, gemm64: gemmAVX64,
	tanh32: tanhRowsZ32, tanh64: tanhRowsZ64,
	tanhBack32: tanhBackZ32, tanhBack64: tanhBackZ64,
	colSum32: colSumZ32, colSum64: colSumZ64,
	mul32: mulZ32, mul64: mulZ64,
	adam: adamZ,
}

func mulZ32(dst, d, src []float32, k int) {
	n := len(d)
	nz := n - n%16
	for i := 0; i < nz; i += 16 {
		v := archsimd.LoadFloat32x16Slice(d[i:])
		for q := i; q < k*n; q += n {
			v.Mul(archsimd.LoadFloat32x16Slice(src[q:])).StoreSlice(dst[q:])
		}
	}
	if nz < n {
		v := archsimd.LoadFloat32x8Slice(d[nz:])
		for q := nz; q < k*n; q += n {
			v.Mul(archsimd.LoadFloat32x8Slice(src[q:])).StoreSlice(dst[q:])
		}
	}
}

func mulZ64(dst, d, src []float64, k int) {
	n := len(d)
	nz := n - n%8
	for i := 0; i < nz; i += 8 {
		v := archsimd.LoadFloat64x8Slice(d[i:])
		for q := i; q < k*n; q += n {
			v.Mul(archsimd.LoadFloat64x8Slice(src[q:])).StoreSlice(dst[q:])
		}
	}
	if nz < n {
		v := archsimd.LoadFloat64x4Slice(d[nz:])
		for q := nz; q < k*n; q += n {
			v.Mul(archsimd.LoadFloat64x4Slice(src[q:])).StoreSlice(dst[q:])
		}
	}
}

func colSumZ32(dst, src []float32, width int) {
	wz := width - width%16
	for j := 0; j < wz; j += 16 {
		s := archsimd.LoadFloat32x16Slice(dst[j:])
		for r := j; r < len(src); r += width {
			s = s.Add(archsimd.LoadFloat32x16Slice(src[r:]))
		}
		s.StoreSlice(dst[j:])
	}
	if wz < width {
		s := archsimd.LoadFloat32x8Slice(dst[wz:])
		for r := wz; r < len(src); r += width {
			s = s.Add(archsimd.LoadFloat32x8Slice(src[r:]))
		}
		s.StoreSlice(dst[wz:])
	}
}

func colSumZ64(dst, src []float64, width int) {
	wz := width - width%8
	for j := 0; j < wz; j += 8 {
		s := archsimd.LoadFloat64x8Slice(dst[j:])
		for r := j; r < len(src); r += width {
			s = s.Add(archsimd.LoadFloat64x8Slice(src[r:]))
		}
		s.StoreSlice(dst[j:])
	}
	if wz < width {
		s := archsimd.LoadFloat64x4Slice(dst[wz:])
		for r := wz; r < len(src); r += width {
			s = s.Add(archsimd.LoadFloat64x4Slice(src[r:]))
		}
		s.StoreSlice(dst[wz:])
	}
}

// adamZ is adamAVX on 8 lanes.
func adamZ(p, g, m, v, vm []float64, scale, step, bc2 float64) {
	c := archsimd.BroadcastFloat64x8
	sc, st, ib := c(scale), c(step), c(1/bc2)
	b1, c1, b2, c2, eps := c(adamB1), c(1-adamB1), c(adamB2), c(1-adamB2), c(adamEps)
	for i := 0; i < len(g); i += 8 {
		gi := archsimd.LoadFloat64x8SlicePart(g[i:]).Mul(sc)
		mi := archsimd.LoadFloat64x8SlicePart(m[i:]).Mul(b1).Add(gi.Mul(c1))
		vi := archsimd.LoadFloat64x8SlicePart(v[i:]).Mul(b2).Add(gi.Mul(gi).Mul(c2))
		mi.StoreSlicePart(m[i:])
		vi.StoreSlicePart(v[i:])
		if vm != nil {
			vi = archsimd.LoadFloat64x8SlicePart(vm[i:]).Max(vi)
			vi.StoreSlicePart(vm[i:])
		}
		pi := archsimd.LoadFloat64x8SlicePart(p[i:])
		pi.Sub(st.Mul(mi).Div(vi.Sqrt().Mul(ib).Add(eps))).StoreSlicePart(p[i:])
	}
}

// tanhZ32 is tanhAVX32 on 16 lanes.
func tanhZ32(x archsimd.Float32x16) (f, d1 archsimd.Float32x16) {
	c := func(v float32) archsimd.Float32x16 { return archsimd.BroadcastFloat32x16(v) }
	xi := x.AsInt32x16()
	sign := xi.And(archsimd.BroadcastInt32x16(-1 << 31))
	a := xi.AndNot(archsimd.BroadcastInt32x16(-1 << 31)).AsFloat32x16().Min(c(tanhMax32))
	u := a.Mul(c(-2))
	t := u.MulAdd(c(log2e), c(round32))
	n := t.Sub(c(round32))
	r := n.MulAdd(c(-ln2Hi32), u)
	r = n.MulAdd(c(-ln2Lo32), r)
	r2 := r.Mul(r)
	r4 := r2.Mul(r2)
	p0 := r.MulAdd(c(1.0/6), c(1.0/2))
	p1 := r.MulAdd(c(1.0/120), c(1.0/24))
	p2 := r.MulAdd(c(1.0/5040), c(1.0/720))
	q := r4.MulAdd(p2, r2.MulAdd(p1, p0))
	p := r2.MulAdd(q, r)
	s := t.AsInt32x16().Sub(archsimd.BroadcastInt32x16(int32(0x4B400000 - 127))).ShiftAllLeft(23).AsFloat32x16()
	one := c(1)
	e := p.MulAdd(s, s)
	em := p.MulAdd(s, s.Sub(one))
	inv := one.Div(c(-2).Sub(em))
	d1 = e.Mul(c(4)).Mul(inv).Mul(inv)
	f = em.Mul(inv).AsInt32x16().Xor(sign).AsFloat32x16()
	return f, d1
}

// tanhZ64 is tanhAVX64 on 8 lanes.
func tanhZ64(x archsimd.Float64x8) (f, d1 archsimd.Float64x8) {
	c := func(v float64) archsimd.Float64x8 { return archsimd.BroadcastFloat64x8(v) }
	xi := x.AsInt64x8()
	sign := xi.And(archsimd.BroadcastInt64x8(-1 << 63))
	a := xi.AndNot(archsimd.BroadcastInt64x8(-1 << 63)).AsFloat64x8().Min(c(tanhMax64))
	u := a.Mul(c(-2))
	t := u.MulAdd(c(log2e), c(round64))
	n := t.Sub(c(round64))
	r := n.MulAdd(c(-ln2Hi64), u)
	r = n.MulAdd(c(-ln2Lo64), r)
	r2 := r.Mul(r)
	r4 := r2.Mul(r2)
	r8 := r4.Mul(r4)
	p0 := r.MulAdd(c(1.0/6), c(1.0/2))
	p1 := r.MulAdd(c(1.0/120), c(1.0/24))
	p2 := r.MulAdd(c(1.0/5040), c(1.0/720))
	p3 := r.MulAdd(c(1.0/362880), c(1.0/40320))
	p4 := r.MulAdd(c(1.0/39916800), c(1.0/3628800))
	p5 := r.MulAdd(c(1.0/6227020800), c(1.0/479001600))
	q := r8.MulAdd(r2.MulAdd(p5, p4), r4.MulAdd(r2.MulAdd(p3, p2), r2.MulAdd(p1, p0)))
	p := r2.MulAdd(q, r)
	s := t.AsInt64x8().Sub(archsimd.BroadcastInt64x8(0x4338000000000000 - 1023)).ShiftAllLeft(52).AsFloat64x8()
	one := c(1)
	e := p.MulAdd(s, s)
	em := p.MulAdd(s, s.Sub(one))
	inv := one.Div(c(-2).Sub(em))
	d1 = e.Mul(c(4)).Mul(inv).Mul(inv)
	f = em.Mul(inv).AsInt64x8().Xor(sign).AsFloat64x8()
	return f, d1
}

func tanhRowsZ32(z, d1, bias []float32, width int) {
	wz := width - width%16
	for r := 0; r < len(z); r += width {
		row := z[r : r+width]
		for j := 0; j < wz; j += 16 {
			f, g := tanhZ32(archsimd.LoadFloat32x16Slice(row[j:]).Add(archsimd.LoadFloat32x16Slice(bias[j:])))
			f.StoreSlice(row[j:])
			if d1 != nil {
				g.StoreSlice(d1[r+j:])
			}
		}
		if wz < width {
			f, g := tanhAVX32(archsimd.LoadFloat32x8Slice(row[wz:]).Add(archsimd.LoadFloat32x8Slice(bias[wz:])))
			f.StoreSlice(row[wz:])
			if d1 != nil {
				g.StoreSlice(d1[r+wz:])
			}
		}
	}
}

func tanhRowsZ64(z, d1, bias []float64, width int) {
	wz := width - width%8
	for r := 0; r < len(z); r += width {
		row := z[r : r+width]
		for j := 0; j < wz; j += 8 {
			f, g := tanhZ64(archsimd.LoadFloat64x8Slice(row[j:]).Add(archsimd.LoadFloat64x8Slice(bias[j:])))
			f.StoreSlice(row[j:])
			if d1 != nil {
				g.StoreSlice(d1[r+j:])
			}
		}
		if wz < width {
			f, g := tanhAVX64(archsimd.LoadFloat64x4Slice(row[wz:]).Add(archsimd.LoadFloat64x4Slice(bias[wz:])))
			f.StoreSlice(row[wz:])
			if d1 != nil {
				g.StoreSlice(d1[r+wz:])
			}
		}
	}
}

func tanhBackZ32(gz, g, d1, f, gzd, gd, zd []float32, k int) {
	n := len(g)
	nz := n - n%16
	m2 := archsimd.BroadcastFloat32x16(-2)
	for i := 0; i < nz; i += 16 {
		d := archsimd.LoadFloat32x16Slice(d1[i:])
		s := archsimd.LoadFloat32x16Slice(g[i:]).Mul(d)
		if k > 0 {
			d2 := archsimd.LoadFloat32x16Slice(f[i:]).Mul(m2).Mul(d)
			for q := 0; q < k; q++ {
				o := q*n + i
				v := archsimd.LoadFloat32x16Slice(gd[o:])
				s = v.Mul(archsimd.LoadFloat32x16Slice(zd[o:])).MulAdd(d2, s)
				v.Mul(d).StoreSlice(gzd[o:])
			}
		}
		s.StoreSlice(gz[i:])
	}
	if nz < n {
		tanhBackFromAVX32(gz, g, d1, f, gzd, gd, zd, k, nz)
	}
}

func tanhBackZ64(gz, g, d1, f, gzd, gd, zd []float64, k int) {
	n := len(g)
	nz := n - n%8
	m2 := archsimd.BroadcastFloat64x8(-2)
	for i := 0; i < nz; i += 8 {
		d := archsimd.LoadFloat64x8Slice(d1[i:])
		s := archsimd.LoadFloat64x8Slice(g[i:]).Mul(d)
		if k > 0 {
			d2 := archsimd.LoadFloat64x8Slice(f[i:]).Mul(m2).Mul(d)
			for q := 0; q < k; q++ {
				o := q*n + i
				v := archsimd.LoadFloat64x8Slice(gd[o:])
				s = v.Mul(archsimd.LoadFloat64x8Slice(zd[o:])).MulAdd(d2, s)
				v.Mul(d).StoreSlice(gzd[o:])
			}
		}
		s.StoreSlice(gz[i:])
	}
	if nz < n {
		tanhBackFromAVX64(gz, g, d1, f, gzd, gd, zd, k, nz)
	}
}
