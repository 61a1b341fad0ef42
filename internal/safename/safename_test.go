// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package safename

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reason string // "" means allowed
	}{
		{"sally", ""},
		{"alices_2", ""},
		{"run_01", ""},
		{"cHW-0.5", ""},
		{"a..b", ""},
		{"0", ""},
		{"_x", ""},
		{strings.Repeat("a", MaxLen), ""},
		{"", "is empty"},
		{"..", "starts with '.'"},
		{".", "starts with '.'"},
		{".hidden", "starts with '.'"},
		{"-rf", "starts with '-'"},
		{"../x", "starts with '.'"},
		{"a/b", "path separator"},
		{"/abs", "path separator"},
		{`a\b`, "path separator"},
		{"a b", `holds ' '`},
		{"a;b", `holds ';'`},
		{"a$(x)", `holds '$'`},
		{"a`x`", "holds '`'"},
		{"a'b", `holds '\''`},
		{`a"b`, `holds '"'`},
		{"a\nb", "control character"},
		{"a\x00b", "control character"},
		{"a\x7fb", "control character"},
		{"é", "non-ASCII"},
		{strings.Repeat("a", MaxLen+1), "bytes long"},
		{strings.Repeat("a", 300), "300 bytes long"},
	} {
		err := Check(tc.name)
		if tc.reason == "" {
			if err != nil {
				t.Errorf("Check(%q) = %v, want nil", tc.name, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Reason, tc.reason) || e.Name != tc.name {
			t.Errorf("Check(%q) = %v, want an *Error saying %q", tc.name, err, tc.reason)
		}
	}
}

// TestCheckOneElement: every allowed name is one path element that stays
// in its folder.
func TestCheckOneElement(t *testing.T) {
	for _, n := range []string{"a", "a.b", "a-b", "a..", "x.."} {
		if err := Check(n); err != nil {
			t.Fatalf("Check(%q): %v", n, err)
		}
		p := filepath.Join("/w", n)
		if filepath.Dir(p) != "/w" || filepath.Base(p) != n {
			t.Errorf("%q leaves its folder: %s", n, p)
		}
	}
}
