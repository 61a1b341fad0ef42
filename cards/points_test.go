// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// fisher.theta and limits.theta_true take one point or a list of points;
// compat is goldmine or madminer. Wrong shapes and values are errors at
// their line and key.
func TestParsePointsAndCompat(t *testing.T) {
	src, err := os.ReadFile("zh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	zh := string(src)
	edit := func(pairs ...string) string {
		s := zh
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("test bug: %q not in zh.yaml", pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		return s
	}
	c, err := Parse([]byte(zh), "zh.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Fisher.Theta, Points{{0, 0}}) || !reflect.DeepEqual(c.Limits.ThetaTrue, Points{{0, 0}}) {
		t.Errorf("one point: %v, %v", c.Fisher.Theta, c.Limits.ThetaTrue)
	}
	if c.Sampling.Compat != CompatGoldmine || c.Limits.Compat != CompatGoldmine || c.Limits.Compat.MadMiner() {
		t.Errorf("default compat %q, %q, want goldmine", c.Sampling.Compat, c.Limits.Compat)
	}
	c, err = Parse([]byte(edit("  theta: [0.0, 0.0]", "  theta: [[0.0, 0.0], [0.2, -0.1]]",
		"theta_true: [0.0, 0.0]", "theta_true: [[0, 0], [0.1, 0], [0, 0.05]]",
		"  test_split: 0.2\n", "  test_split: 0.2\n  compat: madminer\n",
		"  luminosity: 300000.0\n  theta_true", "  luminosity: 300000.0\n  compat: madminer\n  theta_true")), "zh.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Fisher.Theta, Points{{0, 0}, {0.2, -0.1}}) || len(c.Limits.ThetaTrue) != 3 || c.Limits.ThetaTrue[2][1] != 0.05 {
		t.Errorf("several points: %v, %v", c.Fisher.Theta, c.Limits.ThetaTrue)
	}
	if !c.Sampling.Compat.MadMiner() || !c.Limits.Compat.MadMiner() {
		t.Errorf("compat %q, %q, want madminer", c.Sampling.Compat, c.Limits.Compat)
	}
	// Without limits, the fisher θ defaults to the origin.
	c, err = Parse([]byte(edit("  theta: [0.0, 0.0]\n", "")), "zh.yaml", Options{})
	if err != nil || !reflect.DeepEqual(c.Fisher.Theta, Points{{0, 0}}) {
		t.Errorf("default θ: %v, %v", c.Fisher.Theta, err)
	}

	for _, tc := range []struct{ old, new, key, msg string }{
		{"  theta: [0.0, 0.0]", "  theta: [0.0]", "fisher.theta", "want 2 values, got 1"},
		{"  theta: [0.0, 0.0]", "  theta: [[0.0, 0.0], [0.2]]", "fisher.theta[1]", "want 2 values, got 1"},
		{"  theta: [0.0, 0.0]", "  theta: []", "fisher.theta", "want 2 values, got 0"},
		{"  theta: [0.0, 0.0]", "  theta: [[]]", "fisher.theta", "want 2 values, got 0"},
		{"  theta: [0.0, 0.0]", "  theta: 0.5", "fisher.theta", "want a point (a list of numbers) or a list of points"},
		{"  theta: [0.0, 0.0]", "  theta: [[0, 0], 1]", "fisher.theta[1]", "want a list"},
		{"  theta: [0.0, 0.0]", "  theta: [[0, .nan]]", "fisher.theta[0][1]", "want a finite number"},
		{"theta_true: [0.0, 0.0]", "theta_true: [[0, 0], [1, 2, 3]]", "limits.theta_true[1]", "want 2 values, got 3"},
		{"  test_split: 0.2\n", "  test_split: 0.2\n  compat: MadMiner\n", "sampling.compat", `want goldmine or madminer, got "MadMiner"`},
		{"  luminosity: 300000.0\n  theta_true", "  luminosity: 300000.0\n  compat: yes\n  theta_true", "limits.compat", "want goldmine or madminer"},
	} {
		text := edit(tc.old, tc.new)
		line := strings.Count(text[:strings.Index(text, tc.new)], "\n") + 1
		_, err := Parse([]byte(text), "zh.yaml", Options{})
		var e *Error
		if !errors.As(err, &e) || e.Key != tc.key || !strings.Contains(e.Msg, tc.msg) || (e.Line != line && e.Line != line+strings.Count(tc.new, "\n")-1) {
			t.Errorf("%s: error %v, want %s at line %d: %s", tc.new, err, tc.key, line, tc.msg)
		}
	}
	// Observed data replace the Asimov data: one θ_true only.
	_, err = Parse([]byte(edit("theta_true: [0.0, 0.0]", "theta_true: [[0, 0], [0.1, 0]]\n  observed: data.npy")), "zh.yaml", Options{})
	if err == nil || !strings.Contains(err.Error(), "limits.theta_true: observed data replace") {
		t.Errorf("several θ_true with observed data: %v", err)
	}
}
