// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pyfmt

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// pyRepr holds Python 3.11's repr(float) of each value: the want strings
// were printed by python3 -c 'print(repr(v))', and each parses back to
// the value it names, so the table is both input and expected output.
var pyRepr = []string{
	"0.0", "-0.0", "1.0", "100.0", "1234567.0", "-0.7546379162819874",
	"0.30000000000000004", "0.1", "0.5", "2.0", "0.0001",
	"9.999999999999999e-05", "1e-05", "1.5e-07", "1234567890123456.0",
	"9999999999999998.0", "1e+16", "1.2345678901234568e+17", "-1e-300",
	"5e-324", "1.7976931348623157e+308", "123456.789", "1e+22",
	"inf", "-inf", "nan",
}

func TestFloatMatchesPythonRepr(t *testing.T) {
	for _, want := range pyRepr {
		v, err := strconv.ParseFloat(want, 64)
		if err != nil {
			t.Fatalf("bad table entry %q: %v", want, err)
		}
		if got := Float(v); got != want {
			t.Errorf("Float(%v) = %q, Python gives %q", v, got, want)
		}
	}
}

// TestFloatAgainstLivePython asks the installed Python 3 for the repr of
// the same values and of a sweep of magnitudes, where python3 exists.
func TestFloatAgainstLivePython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed: the table test covers the format")
	}
	var vals []float64
	for _, s := range pyRepr {
		v, _ := strconv.ParseFloat(s, 64)
		vals = append(vals, v)
	}
	for e := -8; e <= 18; e++ {
		for _, m := range []float64{1, 1.5, 9.999999} {
			v, _ := strconv.ParseFloat(strconv.FormatFloat(m, 'f', -1, 64)+"e"+strconv.Itoa(e), 64)
			vals = append(vals, v, -v)
		}
	}
	var src strings.Builder
	src.WriteString("import sys\nfor line in sys.stdin:\n    print(repr(float.fromhex(line.strip())))\n")
	var in strings.Builder
	for _, v := range vals {
		in.WriteString(strconv.FormatFloat(v, 'x', -1, 64) + "\n")
	}
	cmd := exec.Command(py, "-c", src.String())
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("python3 did not run: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(vals) {
		t.Fatalf("python3 printed %d lines for %d values", len(lines), len(vals))
	}
	for i, v := range vals {
		if got := Float(v); got != lines[i] {
			t.Errorf("Float(%v) = %q, python3 prints %q", v, got, lines[i])
		}
	}
}
