// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// goldmine fisher and limits on cards/zh.yaml before training: the items
// and scans of the untrained SALLY and ALICES models are skipped with the
// reason and the others computed; --strict (or GOLDMINE_STRICT) makes that
// an error.
func TestFisherLimitsSkipUntrained(t *testing.T) {
	dir := t.TempDir()
	for _, st := range []string{"setup", "analyse"} {
		if _, err := run(t, nil, st, "../../cards/zh.yaml", "--workdir", dir, "--quiet"); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		stage    string
		computed []string
	}{
		{"fisher", []string{"truth", "rate", "pt_z", "pt_z-dphi_ee"}},
		{"limits", []string{"rate", "histo"}},
	} {
		out, err := run(t, nil, tc.stage, "../../cards/zh.yaml", "--workdir", dir, "--quiet", "--json")
		if err != nil {
			t.Fatalf("%s: %v", tc.stage, err)
		}
		var res struct {
			Points []struct {
				Results []struct{ Name string }
			}
			Skipped []struct{ Name, Reason string }
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%s --json: %v\n%s", tc.stage, err, out)
		}
		var names []string
		for _, r := range res.Points[0].Results {
			names = append(names, r.Name)
		}
		if strings.Join(names, " ") != strings.Join(tc.computed, " ") {
			t.Errorf("%s computed %v, want %v", tc.stage, names, tc.computed)
		}
		if len(res.Skipped) != 2 || res.Skipped[0].Name != "sally" || res.Skipped[1].Name != "alices" ||
			!strings.Contains(res.Skipped[0].Reason, "model sally (run goldmine train first)") {
			t.Errorf("%s skipped %+v, want sally and alices for want of their models", tc.stage, res.Skipped)
		}
		if _, err := run(t, nil, tc.stage, "../../cards/zh.yaml", "--workdir", dir, "--quiet", "--strict"); err == nil || !strings.Contains(err.Error(), "--strict") {
			t.Errorf("%s --strict: error %v, want one for the skipped", tc.stage, err)
		}
	}
	if _, err := run(t, map[string]string{"GOLDMINE_STRICT": "1"}, "fisher", "../../cards/zh.yaml", "--workdir", dir, "--quiet"); err == nil || !strings.Contains(err.Error(), "--strict") {
		t.Errorf("GOLDMINE_STRICT=1: error %v, want one for the skipped", err)
	}
}
