// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package hepmc

import (
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

func TestMapBenchmarksShower(t *testing.T) {
	r, err := Open(repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	names := []string{"sm", "morphing_basis_vector_1", "morphing_basis_vector_2",
		"morphing_basis_vector_3", "morphing_basis_vector_4", "morphing_basis_vector_5"}
	m, err := MapBenchmarks(r.WeightNames(), names, "sm", false)
	if err != nil {
		t.Fatal(err)
	}
	// The sampling benchmark takes the nominal "Weight", the others their
	// AUX_ weights.
	for b, k := range m.Index {
		if k != b {
			t.Errorf("benchmark %s takes weight %d, want %d", names[b], k, b)
		}
	}
	if !r.Next() {
		t.Fatal(r.Err())
	}
	dst := make([]float64, len(names))
	if _, err := m.Fill(dst, r.Event(), 2); err != nil {
		t.Fatal(err)
	}
	// Event 0 of the bundled LHE file, which Pythia showered: XWGTUP and
	// its five <wgt> values (Pythia writes them to 22 digits, one of them
	// off by an ulp).
	want := []float64{1.9031e-02, 1.2515099e-02, 2.3576964e-02, 8.0729833e-03, 4.8858411e-02, 2.4783999e-03}
	for b := range want {
		if got := dst[b] / 2; !scalar.EqualWithinRel(got, want[b], 1e-15) {
			t.Errorf("benchmark %s: %v, LHE %v", names[b], got, want[b])
		}
	}

	bg, err := MapBenchmarks(r.WeightNames(), names, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bg.Fill(dst, r.Event(), 1); err != nil {
		t.Fatal(err)
	}
	for b := range dst {
		if dst[b] != want[0] {
			t.Errorf("background benchmark %d: %v, want the nominal %v", b, dst[b], want[0])
		}
	}

	if _, err := MapBenchmarks(r.WeightNames(), []string{"sm", "bsm"}, "sm", false); err == nil || !strings.Contains(err.Error(), `"bsm"`) {
		t.Errorf("missing weight: %v, want an error naming bsm", err)
	}
	short := &Event{Weights: []float64{1}}
	if _, err := m.Fill(dst, short, 1); err == nil || !strings.Contains(err.Error(), "morphing_basis_vector_1") {
		t.Errorf("event with one weight: %v", err)
	}
}
