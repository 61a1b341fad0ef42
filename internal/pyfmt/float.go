// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pyfmt

import (
	"math"
	"strconv"
	"strings"
)

// Float formats v as Python 3's repr(float) and str(float) do: the
// shortest digits that round-trip, fixed notation with at least one
// decimal ("1.0", "1234567.0") for 1e-4 ≤ |v| < 1e16, exponent notation
// with a signed two-digit exponent ("1e-05", "1e+16") outside, and "nan",
// "inf", "-inf", "-0.0" for the special values.
func Float(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v == 0:
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(v, 'e', -1, 64)
	k := strings.LastIndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[k+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	f := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsRune(f, '.') {
		f += ".0"
	}
	return f
}
