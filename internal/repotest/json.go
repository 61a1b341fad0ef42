// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package repotest

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// MaxRelDiff is the largest |a−b|/max(|a|, |b|, 1e-300) over the values.
func MaxRelDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	worst := 0.0
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		worst = math.Max(worst, math.Abs(a[i]-b[i])/math.Max(math.Max(math.Abs(a[i]), math.Abs(b[i])), 1e-300))
	}
	return worst
}

// CompareJSON compares two result files, a of a run and b of another: numbers to the relative
// tolerance tol, strings equal once the working directory dirA is replaced by dirB;
// the key "file" (a result's own path) is not compared.
func CompareJSON(t testing.TB, name, a, b, dirA, dirB string, tol float64) {
	t.Helper()
	read := func(p string) any {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return v
	}
	var walk func(at string, x, y any)
	n := 0
	walk = func(at string, x, y any) {
		switch x := x.(type) {
		case map[string]any:
			ym, ok := y.(map[string]any)
			if !ok || len(ym) != len(x) {
				t.Errorf("%s%s: %v vs %v", name, at, x, y)
				return
			}
			for k, v := range x {
				if k == "file" {
					// The path of the result file, as the run named
					// its working directory.
					continue
				}
				walk(at+"."+k, v, ym[k])
			}
		case []any:
			ys, ok := y.([]any)
			if !ok || len(ys) != len(x) {
				t.Errorf("%s%s: lengths differ", name, at)
				return
			}
			for i := range x {
				walk(fmt.Sprintf("%s[%d]", at, i), x[i], ys[i])
			}
		case float64:
			yf, ok := y.(float64)
			n++
			if !ok || MaxRelDiff([]float64{x}, []float64{yf}) > tol {
				t.Errorf("%s%s: %v and %v", name, at, x, y)
			}
		case string:
			if ys, _ := y.(string); strings.ReplaceAll(x, dirA, dirB) != ys {
				t.Errorf("%s%s: %q and %q", name, at, x, y)
			}
		default:
			if x != y {
				t.Errorf("%s%s: %v and %v", name, at, x, y)
			}
		}
	}
	walk("", read(a), read(b))
	t.Logf("%s: %d numbers agree to %.0e", name, n, tol)
}
