// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"math"
	"strconv"
)

// pow10 holds the powers of ten that are exact in float64.
var pow10 = [...]float64{
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
	1e21, 1e22,
}

// parseFloat parses a decimal floating-point number such as "+1.25e-03",
// "-.5E+02", "9." or the Fortran form "2d0". Numbers whose mantissa fits in
// 53 bits and whose decimal exponent is at most 22 in magnitude are
// converted exactly (Clinger's fast path); all others go through
// strconv.ParseFloat, so the result is always correctly rounded.
func parseFloat(b []byte) (float64, bool) {
	n := len(b)
	if n == 0 {
		return 0, false
	}
	neg, i := scanSign(b, 0)
	var (
		mant     uint64
		nd       int // significant digits kept in mant
		dp       int // decimal exponent adjustment from the mantissa digits
		digits   bool
		dot      bool
		truncate bool
	)
	for ; i < n; i++ {
		c := b[i]
		if c >= '0' && c <= '9' {
			digits = true
			if nd < 19 {
				mant = mant*10 + uint64(c-'0')
				if mant != 0 {
					nd++
				}
				if dot {
					dp--
				}
			} else {
				if c != '0' {
					truncate = true
				}
				if !dot {
					dp++
				}
			}
			continue
		}
		if c == '.' && !dot {
			dot = true
			continue
		}
		break
	}
	if !digits {
		return parseSpecial(b)
	}
	exp := 0
	if i < n {
		switch b[i] {
		case 'e', 'E', 'd', 'D':
		default:
			return 0, false
		}
		var ok bool
		if exp, i, ok = scanExp(b, i+1); !ok || i < n {
			return 0, false
		}
	}
	if mant == 0 {
		if neg {
			return math.Copysign(0, -1), true
		}
		return 0, true
	}
	e10 := dp + exp
	if f, ok := exactFloat(mant, e10, neg); ok && !truncate {
		return f, true
	}
	return parseSlow(b)
}

// scanSign reads an optional sign at b[i] and returns whether it is a
// minus and the offset after it.
func scanSign(b []byte, i int) (neg bool, next int) {
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		return b[i] == '-', i + 1
	}
	return false, i
}

// scanDigits appends the decimal digits at b[i] to mant (wrapping past
// 19 digits, which the callers reject) and returns it and the offset
// after the last digit.
func scanDigits(b []byte, i int, mant uint64) (uint64, int) {
	for i < len(b) {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
		i++
	}
	return mant, i
}

// scanExp reads the decimal exponent at b[i] (an optional sign and
// digits, its magnitude capped at 100000) and returns it, the offset
// after its last digit and whether it had any digit.
func scanExp(b []byte, i int) (exp, next int, ok bool) {
	neg, i := scanSign(b, i)
	e0 := i
	for i < len(b) {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		if exp < 100000 {
			exp = exp*10 + int(c)
		}
		i++
	}
	if neg {
		exp = -exp
	}
	return exp, i, i > e0
}

// exactFloat returns ±mant·10^e10 and true when the conversion is exact
// (Clinger's fast path: mant below 2⁵³ and |e10| ≤ 22).
func exactFloat(mant uint64, e10 int, neg bool) (float64, bool) {
	if mant >= 1<<53 || e10 < -22 || e10 > 22 {
		return 0, false
	}
	f := float64(mant)
	if e10 > 0 {
		f *= pow10[e10]
	} else if e10 < 0 {
		f /= pow10[-e10]
	}
	if neg {
		f = -f
	}
	return f, true
}

// parseSlow converts b with strconv, mapping a Fortran exponent letter d/D
// to e first.
func parseSlow(b []byte) (float64, bool) {
	var arr [64]byte
	var s []byte
	if len(b) <= len(arr) {
		s = arr[:len(b)]
	} else {
		s = make([]byte, len(b))
	}
	copy(s, b)
	for i, c := range s {
		if c == 'd' || c == 'D' {
			s[i] = 'e'
		}
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil {
		// Out-of-range values are reported as ±Inf by strconv with an
		// ErrRange error: keep them, they are numbers.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// parseSpecial accepts nan and inf spellings (as Fortran and C print them,
// C's printf writing "-nan" too).
func parseSpecial(b []byte) (float64, bool) {
	if len(b) > 16 {
		return 0, false
	}
	if len(b) > 1 && (b[0] == '-' || b[0] == '+') && (b[1] == 'n' || b[1] == 'N') {
		b = b[1:] // a signed NaN is still NaN
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// parseInt parses a decimal integer with an optional sign.
func parseInt(b []byte) (int, bool) {
	n := len(b)
	if n == 0 {
		return 0, false
	}
	neg, i := scanSign(b, 0)
	if i == n || n-i > 18 {
		return 0, false
	}
	v := 0
	for ; i < n; i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// isSpace reports whether c separates fields.
// Every control character counts, as in the scan functions.
func isSpace(c byte) bool {
	return c <= ' '
}

// field returns the bounds [s,e) of the first field of b at or after i.
// s == e == len(b) when there is none.
func field(b []byte, i int) (s, e int) {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	s = i
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	return s, i
}

// trimSpace returns b without leading and trailing white space.
func trimSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

// trimLeft returns b without leading white space.
func trimLeft(b []byte) []byte {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return b[i:]
}

// scanFloat parses the field of b that starts at or after i (after white
// space) as a float. It returns the value, the offset just after the field
// and whether the field is a valid number. An absent field gives
// next == len(b) and ok == false.
func scanFloat(b []byte, i int) (v float64, next int, ok bool) {
	n := len(b)
	for i < n && b[i] <= ' ' {
		i++
	}
	start := i
	neg, i := scanSign(b, i)
	d0 := i
	mant, i := scanDigits(b, i, 0)
	nint := i - d0
	nfrac := 0
	if i < n && b[i] == '.' {
		d1 := i + 1
		mant, i = scanDigits(b, d1, mant)
		nfrac = i - d1
	}
	if nint+nfrac == 0 || nint+nfrac > 19 {
		return scanFloatSlow(b, start)
	}
	exp := 0
	if i < n && b[i] > ' ' {
		switch b[i] {
		case 'e', 'E', 'd', 'D':
		default:
			return scanFloatSlow(b, start)
		}
		var ok bool
		if exp, i, ok = scanExp(b, i+1); !ok || (i < n && b[i] > ' ') {
			return scanFloatSlow(b, start)
		}
	}
	e10 := exp - nfrac
	if f, ok := exactFloat(mant, e10, neg); ok {
		return f, i, true
	}
	return scanFloatSlow(b, start)
}

// scanFloatSlow parses the field starting at b[start] with parseFloat.
func scanFloatSlow(b []byte, start int) (float64, int, bool) {
	e := start
	for e < len(b) && b[e] > ' ' {
		e++
	}
	if e == start {
		return 0, e, false
	}
	v, ok := parseFloat(b[start:e])
	return v, e, ok
}

// scanInt parses the field of b that starts at or after i as an integer,
// like scanFloat.
func scanInt(b []byte, i int) (v int, next int, ok bool) {
	n := len(b)
	for i < n && b[i] <= ' ' {
		i++
	}
	neg, i := scanSign(b, i)
	d0 := i
	u, i := scanDigits(b, i, 0)
	if i == d0 || i-d0 > 18 || (i < n && b[i] > ' ') {
		for i < n && b[i] > ' ' {
			i++
		}
		return 0, i, false
	}
	v = int(u)
	if neg {
		v = -v
	}
	return v, i, true
}
