// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package analysis

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/observables"
	"github.com/goldmine-hep/goldmine/store"
)

// readWeights returns the weights of the events file at path, event by
// event.
func readWeights(t *testing.T, path string) [][]float64 {
	t.Helper()
	f, err := store.OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, _, nW := f.Shape()
	var w [][]float64
	err = f.ReadRows(0, n, func(_, k int, _, wb []float64) error {
		for i := range k {
			w = append(w, slices.Clone(wb[i*nW:(i+1)*nW]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestRunDelphesPaired analyses a real Delphes file of the first ten ZH
// events (DelphesHepMC3 on their Pythia 8 shower; Event and Weight
// branches only) with the weights of LHE files: each Delphes event gets
// the weights of its own LHE event, found by the incoming partons, also
// when the LHE file has an event that the Delphes file lacks (allowed:
// it counts with zero weight; by default: an error); swapped LHE events
// are an error.
func TestRunDelphesPaired(t *testing.T) {
	delphesPath := filepath.Join(repotest.Root(t), "delphes", "testdata", "zh_eventonly_10ev.root")
	hepmcPath := repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz")
	head, events := repotest.LHEEvents(t, string(repotest.ReadGzip(t, repotest.BundledZH(t))), 11)
	dir := t.TempDir()
	an, err := observables.NewAnalysis([]observables.Observable{{Name: "one", Definition: "1.0", Required: true}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	run := func(name string, s Sample, evs ...string) (*Result, [][]float64, error) {
		t.Helper()
		cfg := zhConfig(t)
		cfg.Analysis, cfg.ObservableNames, cfg.ObservableDefinitions, cfg.Collections = an, []string{"one"}, []string{"1.0"}, []string{}
		s.Name, s.LHE, s.SampledFrom = "zh", repotest.WriteLHE(t, dir, name+".lhe", head, evs...), "sm"
		if s.Weights == "" {
			s.Weights = WeightsLHE
		}
		cfg.Samples = []Sample{s}
		out := filepath.Join(dir, name+".h5")
		res, err := Run(out, cfg)
		if err != nil {
			return nil, nil, err
		}
		return res, readWeights(t, out), nil
	}
	// The truth: the LHE events themselves.
	_, want, err := run("lhe", Sample{}, events[:10]...)
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string, got, want [][]float64, scale float64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d events, want %d", what, len(got), len(want))
		}
		for i := range got {
			for b := range got[i] {
				if math.Abs(got[i][b]-scale*want[i][b]) > 1e-12*math.Abs(want[i][b]) {
					t.Fatalf("%s: event %d benchmark %d: weight %v, want %v (of LHE event %d)", what, i, b, got[i][b], scale*want[i][b], i)
				}
			}
		}
	}
	for _, withHepMC := range []bool{false, true} {
		s := Sample{Delphes: delphesPath}
		if withHepMC {
			s.HepMC = hepmcPath
		}
		res, got, err := run("paired", s, events[:10]...)
		if err != nil {
			t.Fatalf("with the HepMC file %v: %v", withHepMC, err)
		}
		same("paired", got, want, 1)
		if ss := res.Samples[0]; ss.Pairing != "partons" || ss.Dropped != 0 {
			t.Errorf("pairing %q, %d dropped", ss.Pairing, ss.Dropped)
		}
	}

	// LHE event 10 put in after the third: the Delphes file lacks it.
	extra := slices.Concat(events[:3], events[10:11], events[3:10])
	if _, _, err := run("extra", Sample{Delphes: delphesPath}, extra...); err == nil || !strings.Contains(err.Error(), "entry 3 (event number 3) was made from LHE event 4") {
		t.Errorf("an LHE event without a Delphes event: %v", err)
	}
	res, got, err := run("extra", Sample{Delphes: delphesPath, AllowDropped: true}, extra...)
	if err != nil {
		t.Fatal(err)
	}
	// The dropped event counts with zero weight: each kept event carries
	// its own LHE weights, normalised over the eleven events.
	same("one dropped", got, want, 10.0/11)
	if ss := res.Samples[0]; ss.Dropped != 1 || !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "1 of the 11 LHE events") }) {
		t.Errorf("dropped %d, warnings %q", ss.Dropped, res.Warnings)
	}

	swapped := slices.Concat(events[:4], events[5:6], events[4:5], events[6:10])
	if _, _, err := run("swapped", Sample{Delphes: delphesPath, AllowDropped: true}, swapped...); err == nil || !strings.Contains(err.Error(), "matches no LHE event") {
		t.Errorf("swapped LHE events: %v", err)
	}
	if _, _, err := run("short", Sample{Delphes: delphesPath}, events[:9]...); err == nil || !strings.Contains(err.Error(), "the LHE file has only 9 events") {
		t.Errorf("an LHE file short of one event: %v", err)
	}
}
