// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"math"
	"strings"
	"testing"
)

func TestBuiltin(t *testing.T) {
	for _, name := range Names() {
		np := map[string]int{"gaussian": 2, "galton": 1, "lotka_volterra": 4}[name]
		m, err := Builtin(name, nil, np)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m.Name != name || m.Simulate == nil || m.NObs < 1 {
			t.Errorf("%s: %+v", name, m)
		}
		if (m.LogLikelihood == nil) != (m.LogLikelihoodRows == nil) || (m.LogLikelihood == nil) != (name == "lotka_volterra") {
			t.Errorf("%s: exact likelihood known: %v %v", name, m.LogLikelihood != nil, m.LogLikelihoodRows != nil)
		}
	}
	for _, tc := range []struct {
		name   string
		config map[string]float64
		np     int
		want   string
	}{
		{"galtonn", nil, 1, "unknown simulator"},
		{"galton", map[string]float64{"rowz": 10}, 1, `"rowz"`},
		{"galton", nil, 2, "one parameter"},
		{"lotka_volterra", nil, 2, "four"},
	} {
		if _, err := Builtin(tc.name, tc.config, tc.np); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v %d: %v, want an error containing %s", tc.name, tc.config, tc.np, err, tc.want)
		}
	}
}

// The row form of the exact likelihood agrees with the event form, and
// the Galton board's probabilities sum to one over its slots.
func TestBuiltinLogLikelihoodRows(t *testing.T) {
	for _, tc := range []struct {
		name  string
		np    int
		x     []float64
		theta []float64
	}{
		{"gaussian", 2, []float64{0.3, -1, 2, 0.5}, []float64{0.1, -0.2}},
		{"galton", 1, []float64{0, 3, 10, 19}, []float64{-0.3}},
	} {
		m, err := Builtin(tc.name, nil, tc.np)
		if err != nil {
			t.Fatal(err)
		}
		n := len(tc.x) / m.NObs
		dst := make([]float64, n)
		if err := m.LogLikelihoodRows(dst, tc.x, tc.theta); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			want, _, err := m.LogLikelihood(tc.x[i*m.NObs:(i+1)*m.NObs], tc.theta)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(dst[i]-want) > 1e-12 {
				t.Errorf("%s event %d: rows %v, event %v", tc.name, i, dst[i], want)
			}
		}
	}
	g, _ := Builtin("galton", map[string]float64{"rows": 12}, 1)
	x := make([]float64, 13)
	for k := range x {
		x[k] = float64(k)
	}
	lp := make([]float64, 13)
	if err := g.LogLikelihoodRows(lp, x, []float64{0.4}); err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, v := range lp {
		sum += math.Exp(v)
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("Σ p(x|θ) over the 13 slots = %v", sum)
	}
	if err := g.LogLikelihoodRows(lp[:1], []float64{2.5}, []float64{0}); err == nil {
		t.Error("x = 2.5 accepted as a slot")
	}

	// Scores is the score of LogLikelihood, event by event.
	sc, err := g.Scores(x, []float64{0.4})
	if err != nil {
		t.Fatal(err)
	}
	for k := range x {
		_, want, _ := g.LogLikelihood(x[k:k+1], []float64{0.4})
		if sc[k] != want[0] {
			t.Errorf("slot %d: score %v, want %v", k, sc[k], want[0])
		}
	}
	lv, _ := Builtin("lotka_volterra", nil, 4)
	if _, err := lv.Scores(make([]float64, 9), make([]float64, 4)); err == nil {
		t.Error("exact scores of the Lotka-Volterra model")
	}
}
