// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import "math"

// Branch-free exponentials for the activation kernels. Both precisions
// reduce u = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in a high part with
// trailing zero bits, so that n·ln2Hi is exact, and a low part), evaluate
// expm1(r) by its Taylor series (degree 13 in float64, 7 in float32: the
// remainder is below 2e−17 resp. 2e−8 relative) and scale by 2ⁿ built
// from its bits. The same steps run lane by lane in the SIMD kernels.
const (
	log2e = 1.4426950408889634074 // 1/ln 2

	ln2Hi64   = 0.693147180559663      // ln 2 with the 12 lowest mantissa bits zero
	ln2Lo64   = 2.8235290563031577e-13 // ln 2 − ln2Hi64
	ln2Hi32   = 0.693145751953125      // ln 2 with the 9 lowest mantissa bits zero
	ln2Lo32   = 1.428606765330187e-06  // ln 2 − ln2Hi32
	round64   = 6755399441055744.0     // 1.5·2⁵²: x + round64 − round64 rounds x to an integer
	round32   = 12582912.0             // 1.5·2²³, the same in float32
	minU64    = -700.0                 // e^u is normal for u ≥ −708
	minU32    = -87.0                  // e^u is normal in float32 for u ≥ −87.3
	tanhMax64 = 350.0                  // −2·350 = minU64: beyond, tanh = 1 and 1 − tanh² < 1e−303
	tanhMax32 = 43.5                   // −2·43.5 = minU32: beyond, tanh = 1 and 1 − tanh² < 1e−37
)

// expParts64 returns e^u and e^u − 1 for u ≤ 0, both with a relative
// error of a few ulp; u below −700 is taken as −700.
func expParts64(u float64) (e, em float64) {
	if u < minU64 {
		u = minU64
	}
	n := (u*log2e + round64) - round64
	r := (u - n*ln2Hi64) - n*ln2Lo64
	p := expm1Reduced64(r)
	s := math.Float64frombits(uint64(int64(n)+1023) << 52)
	return s + s*p, s*p + (s - 1)
}

// expm1Reduced64 is the Taylor series of expm1(r) to degree 13 for
// |r| ≤ ln2/2, evaluated in Estrin's scheme (short dependency chains).
func expm1Reduced64(r float64) float64 {
	r2 := r * r
	r4 := r2 * r2
	r8 := r4 * r4
	p0 := 1.0/2 + r*(1.0/6)
	p1 := 1.0/24 + r*(1.0/120)
	p2 := 1.0/720 + r*(1.0/5040)
	p3 := 1.0/40320 + r*(1.0/362880)
	p4 := 1.0/3628800 + r*(1.0/39916800)
	p5 := 1.0/479001600 + r*(1.0/6227020800)
	q := (p0 + r2*p1) + r4*(p2+r2*p3) + r8*(p4+r2*p5)
	return r + r2*q
}

// expParts32 is expParts64 in float32 arithmetic (degree 7); u below −87
// is taken as −87.
func expParts32(u float32) (e, em float32) {
	if u < minU32 {
		u = minU32
	}
	n := (u*log2e + round32) - round32
	r := (u - n*ln2Hi32) - n*ln2Lo32
	p := expm1Reduced32(r)
	s := math.Float32frombits(uint32(int32(n)+127) << 23)
	return s + s*p, s*p + (s - 1)
}

func expm1Reduced32(r float32) float32 {
	r2 := r * r
	r4 := r2 * r2
	p0 := 1.0/2 + r*float32(1.0/6)
	p1 := 1.0/24 + r*float32(1.0/120)
	p2 := 1.0/720 + r*float32(1.0/5040)
	q := (p0 + r2*p1) + r4*p2
	return r + r2*q
}

// tanh64 returns tanh(x) = −expm1(−2|x|)/(2 + expm1(−2|x|)) with the sign
// of x, and 1 − tanh²(x) = 4e/(1+e)² with e = e^−2|x| (relative accuracy
// also where tanh saturates).
func tanh64(x float64) (f, d1 float64) {
	a := math.Abs(x)
	if a > tanhMax64 {
		a = tanhMax64
	}
	e, em := expParts64(-2 * a)
	inv := 1 / (2 + em)
	t := -em * inv
	d1 = 4 * e * inv * inv
	if x < 0 {
		t = -t
	}
	return t, d1
}

func tanh32(x float32) (f, d1 float32) {
	a := math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
	if a > tanhMax32 {
		a = tanhMax32
	}
	e, em := expParts32(-2 * a)
	inv := 1 / (2 + em)
	t := -em * inv
	d1 = 4 * e * inv * inv
	if x < 0 {
		t = -t
	}
	return t, d1
}

// sigmoid64 returns the logistic function 1/(1+e^−x) and its derivative,
// from e = e^−|x| (no overflow, relative accuracy in both tails down to
// x = −700, below which the value 1e−304 stands for 0).
func sigmoid64(x float64) (f, d1 float64) {
	e, _ := expParts64(-math.Abs(x))
	inv := 1 / (1 + e)
	f = inv
	if x < 0 {
		f = e * inv
	}
	return f, e * inv * inv
}

func sigmoid32(x float32) (f, d1 float32) {
	e, _ := expParts32(-math.Float32frombits(math.Float32bits(x) &^ (1 << 31)))
	inv := 1 / (1 + e)
	f = inv
	if x < 0 {
		f = e * inv
	}
	return f, e * inv * inv
}
