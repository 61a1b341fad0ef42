// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestParseFloatMatchesStrconv compares parseFloat bit for bit with
// strconv.ParseFloat on random numbers printed in the formats generators
// use.
func TestParseFloatMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	formats := []func(float64) string{
		func(x float64) string { return strconv.FormatFloat(x, 'e', 10, 64) },
		func(x float64) string { return strconv.FormatFloat(x, 'e', 7, 64) },
		func(x float64) string { return strconv.FormatFloat(x, 'e', -1, 64) },
		func(x float64) string { return strconv.FormatFloat(x, 'e', 16, 64) },
		func(x float64) string { return strconv.FormatFloat(x, 'E', 8, 64) },
		func(x float64) string { return strconv.FormatFloat(x, 'f', 10, 64) },
		func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) },
		func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) },
		func(x float64) string { return "+" + strconv.FormatFloat(math.Abs(x), 'e', 10, 64) },
		func(x float64) string { return strconv.FormatFloat(x, 'e', 25, 64) }, // >19 digits: slow path
	}
	for i := 0; i < 200000; i++ {
		var x float64
		switch i % 3 {
		case 0:
			x = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		case 1:
			x = math.Float64frombits(rng.Uint64())
			if math.IsNaN(x) || math.IsInf(x, 0) {
				continue
			}
		default:
			x = float64(rng.IntN(2000000)-1000000) / 1000
		}
		s := formats[i%len(formats)](x)
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parseFloat([]byte(s))
		if !ok || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseFloat(%q) = %v, %v; strconv gives %v", s, got, ok, want)
		}
		got, next, ok := scanFloat([]byte(" "+s+" "), 0)
		if !ok || next != len(s)+1 || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("scanFloat(%q) = %v, %d, %v; strconv gives %v", s, got, next, ok, want)
		}
	}
}

func TestParseFloatForms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0.", 0, true}, {"9.", 9, true}, {"-.93544317E+03", -935.44317, true},
		{"+1.0000e+00", 1, true}, {"2d0", 2, true}, {"0.5D-01", 0.05, true},
		{"1e308", 1e308, true}, {"1e400", math.Inf(1), true}, {"-1e400", math.Inf(-1), true},
		{"4.9e-324", 5e-324, true}, {"1e-400", 0, true},
		{"NaN", math.NaN(), true}, {"-Inf", math.Inf(-1), true},
		{"123456789012345678901234567890", 1.2345678901234568e29, true},
		{"0.000000000000000000000000000000000000001", 1e-39, true},
		{"", 0, false}, {"+", 0, false}, {".", 0, false}, {"1e", 0, false}, {"1e+", 0, false},
		{"1.0.0", 0, false}, {"1x", 0, false}, {"--1", 0, false}, {"0x10", 0, false},
		{"1_000", 0, false}, {"e5", 0, false}, {"1e5.0", 0, false}, {"4.02580x2934e+01", 0, false},
	} {
		got, ok := parseFloat([]byte(c.in))
		if ok != c.ok || (ok && !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want))) {
			t.Errorf("parseFloat(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if v, _ := parseFloat([]byte("-0.0e+00")); !math.Signbit(v) {
		t.Error("-0 lost its sign")
	}
}

func TestParseInt(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"0", 0, true}, {"-11", -11, true}, {"+501", 501, true}, {"9000005", 9000005, true},
		{"", 0, false}, {"-", 0, false}, {"1.0", 0, false}, {"1e3", 0, false}, {strings.Repeat("9", 19), 0, false},
	} {
		got, ok := parseInt([]byte(c.in))
		if ok != c.ok || got != c.want {
			t.Errorf("parseInt(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
