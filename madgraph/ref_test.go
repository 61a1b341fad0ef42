// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// zhSetup returns the ZH study's setup as MadMiner recorded it in
// reference/zh/reference.json (setup.benchmarks_added, in order; the
// parameters are those of madminer_calls_setup: cHW = smeft 7,
// cHq3 = smeft 25, transform '1.0*theta').
func zhSetup(t testing.TB) (Setup, string) {
	t.Helper()
	shared := repotest.Shared(t, "")
	b, err := os.ReadFile(filepath.Join(shared, "reference", "zh", "reference.json"))
	if err != nil {
		t.Skipf("ZH reference absent: %v", err)
	}
	var ref struct {
		Setup struct {
			Added [][2]json.RawMessage          `json:"benchmarks_added"`
			After map[string]map[string]float64 `json:"benchmarks_after_set_morphing"`
		} `json:"setup"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	s := Setup{Parameters: []Parameter{
		{Name: "cHW", Block: "smeft", ID: 7, Transform: "1.0*theta"},
		{Name: "cHq3", Block: "smeft", ID: 25, Transform: "1.0*theta"},
	}}
	for _, a := range ref.Setup.Added {
		var name string
		if err := json.Unmarshal(a[0], &name); err != nil {
			t.Fatal(err)
		}
		vals, ok := ref.Setup.After[name]
		if !ok {
			t.Fatalf("benchmark %s missing from benchmarks_after_set_morphing", name)
		}
		s.Benchmarks = append(s.Benchmarks, Benchmark{Name: name, Values: vals})
	}
	if len(s.Benchmarks) != 6 {
		t.Fatalf("got %d benchmarks, want 6", len(s.Benchmarks))
	}
	return s, shared
}
