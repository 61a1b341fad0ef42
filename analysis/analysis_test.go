// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package analysis

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/observables"
	"github.com/goldmine-hep/goldmine/store"
)

// zhConfig is the analysis of the bundled ZH sample without a card: the
// setup from the benchmarks of its LHE header (sm and five basis points
// of cHW, cHq3), the Z transverse momentum and, optionally, cuts.
func zhConfig(t *testing.T, cuts ...string) *Config {
	t.Helper()
	path := repotest.BundledZH(t)
	r, err := lhe.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pts, err := lhe.ParamCardPoints(r.Header(), []lhe.ParamRef{{Block: "smeft", ID: 7}, {Block: "smeft", ID: 25}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	setup := store.Setup{
		Parameters: []store.Parameter{{Name: "cHW", LHABlock: "smeft", LHAID: 7, MaxPower: 2, Range: [2]float64{-1, 1}},
			{Name: "cHq3", LHABlock: "smeft", LHAID: 25, MaxPower: 2, Range: [2]float64{-1, 1}}},
		Benchmarks: []store.Benchmark{{Name: "sm", Values: []float64{0, 0}}},
		Components: morphing.Components([]int{2, 2}, 2),
	}
	basis := [][]float64{{0, 0}}
	for _, p := range pts {
		setup.Benchmarks = append(setup.Benchmarks, store.Benchmark{Name: p.Weight, Values: p.Values})
		basis = append(basis, p.Values)
	}
	m, err := morphing.New(setup.Components, basis)
	if err != nil {
		t.Fatal(err)
	}
	setup.MorphingMatrix = m.Matrix()
	var cc []observables.Cut
	for _, c := range cuts {
		cc = append(cc, observables.Cut{Definition: c})
	}
	an, err := observables.NewAnalysis([]observables.Observable{{Name: "pt_z", Definition: "(e[0] + e[1]).pt", Required: true}}, cc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Config{
		Setup: setup, Analysis: an, ObservableNames: []string{"pt_z"}, ObservableDefinitions: []string{"(e[0] + e[1]).pt"},
		CutNames: cuts, Seed: 1,
		Samples: []Sample{{Name: "zh", LHE: path, SampledFrom: "sm"}},
	}
}

// TestRunZH analyses the bundled ZH sample: every event read and written
// with one weight per benchmark, the SM cross section that of the file,
// cuts and max_events counted, and a shuffle that depends on the seed
// only.
func TestRunZH(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "events.h5")
	cfg := zhConfig(t)
	res, err := Run(out, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ss := res.Samples[0]
	if res.EventsRead != 5000 || res.EventsWritten != 5000 || len(res.Benchmarks) != 6 || ss.HeaderXSecPB == nil {
		t.Fatalf("read %d, wrote %d, benchmarks %v, header cross section %v", res.EventsRead, res.EventsWritten, res.Benchmarks, ss.HeaderXSecPB)
	}
	if rel := math.Abs(res.XSecPB["sm"] / *ss.HeaderXSecPB - 1); rel > 1e-6 {
		t.Errorf("SM cross section %v pb, the file says %v pb", res.XSecPB["sm"], *ss.HeaderXSecPB)
	}
	f, err := store.OpenEvents(out)
	if err != nil {
		t.Fatal(err)
	}
	n, nObs, nW := f.Shape()
	var sum float64
	err = f.ReadRows(0, n, func(_, k int, x, w []float64) error {
		for i := 0; i < k; i++ {
			sum += w[i*nW]
			if !(x[i*nObs] > 0) {
				t.Fatalf("pT(Z) = %v", x[i*nObs])
			}
		}
		return nil
	})
	f.Close()
	if err != nil || n != 5000 || nObs != 1 || nW != 6 || math.Abs(sum/res.XSecPB["sm"]-1) > 1e-9 {
		t.Errorf("events file: %d×%d observables, %d weights, Σ w_sm %v (result %v), %v", n, nObs, nW, sum, res.XSecPB["sm"], err)
	}

	cut := zhConfig(t, "pt_z > 100")
	cut.Samples[0].MaxEvents = 1000
	res, err = Run(filepath.Join(dir, "cut.h5"), cut)
	if err != nil {
		t.Fatal(err)
	}
	if ss := res.Samples[0]; ss.Events != 1000 || ss.Passed != res.EventsWritten || res.EventsWritten+res.Dropped["cut pt_z > 100"] != 1000 || res.EventsWritten == 0 || res.EventsWritten == 1000 {
		t.Errorf("1000 events with pT(Z) > 100 GeV: %d passed, %d written, dropped %v", ss.Passed, res.EventsWritten, res.Dropped)
	}

	shuffled := func(seed uint64) []byte {
		c := zhConfig(t)
		c.Shuffle, c.Seed, c.Samples[0].MaxEvents = true, seed, 500
		p := filepath.Join(dir, "shuffled.h5")
		if _, err := Run(p, c); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := shuffled(3), shuffled(3), shuffled(4)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Errorf("shuffle: same seed same file %v, other seed same file %v", bytes.Equal(a, b), bytes.Equal(a, c))
	}
}
