// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"slices"
	"testing"
)

func TestNuisanceBenchmarks(t *testing.T) {
	h := &EventsHeader{
		Setup: Setup{Benchmarks: []Benchmark{{Name: "sm"}, {Name: "ref", IsReference: true}, {Name: "mur_up"}, {Name: "mur_down"}, {Name: "pdf_1"}}},
		NuisanceParameters: []NuisanceParameter{
			{Name: "mur", BenchmarkPositive: "mur_up", BenchmarkNegative: "mur_down"},
			{Name: "pdf", BenchmarkPositive: "pdf_1"},
		},
	}
	ref, up, down, err := h.NuisanceBenchmarks()
	if err != nil || ref != 1 || !slices.Equal(up, []int{2, 4}) || !slices.Equal(down, []int{3, -1}) {
		t.Errorf("ref %d, up %v, down %v, err %v", ref, up, down, err)
	}
	h.Benchmarks[1].IsReference = false
	if ref, _, _, _ := h.NuisanceBenchmarks(); ref != 0 {
		t.Errorf("reference %d without a marked one, want the first", ref)
	}
	h.NuisanceParameters[1].BenchmarkPositive = "pdf_2"
	if _, _, _, err := h.NuisanceBenchmarks(); err == nil {
		t.Error("a missing +1σ benchmark accepted")
	}
}
