// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"slices"
	"testing"
)

// TestZHFromEventsMatchesMadMiner runs MadMiner's rate and histogram scans
// of the 30000-event ZH sample through FromEvents, in MadMiner's
// conventions, and compares the p-values with MadMiner's (reference.json)
// at the tolerance of TestZHExpectedLimitsMatchMadMiner.
func TestZHFromEventsMatchesMadMiner(t *testing.T) {
	ev, ref := loadZH(t)
	r := &memEvents{nObs: ev.NObs, nW: ev.NBench, x: ev.X, w: ev.W, batch: 5000}
	m := ev.Morpher()
	scans := []ScanSpec{
		{Name: "rate", Mode: ModeRate},
		{Name: "histo", Mode: ModeHisto, Columns: []int{slices.Index(ev.ObsNames, "pt_h")}, Bins: []int{25}, IncludeRate: true},
	}
	out, err := FromEvents(r, m, scans, EventSettings{Luminosity: ref.Luminosity, ThetaTrue: ref.ThetaTrue,
		Grid: Grid{Ranges: ref.Ranges, Resolutions: ref.Res}, Split: Split{Test: 0.2, MadMiner: true}, MadMiner: true})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range [][]float64{ref.Rate.P, ref.Histo.P} {
		res := out.Results[k]
		if res.Name != scans[k].Name || len(res.PValues) != len(want) {
			t.Fatalf("scan %d: %s with %d points, want %s with %d", k, res.Name, len(res.PValues), scans[k].Name, len(want))
		}
		for i := range want {
			if !relClose(res.PValues[i], want[i], 1e-6) {
				t.Errorf("%s: p[%d] = %.10g, MadMiner %.10g", res.Name, i, res.PValues[i], want[i])
			}
		}
	}
	if out.Results[0].GridBest != ref.Rate.MLE || out.Results[1].GridBest != ref.Histo.MLE {
		t.Errorf("best grid points %d %d, MadMiner %d %d", out.Results[0].GridBest, out.Results[1].GridBest, ref.Rate.MLE, ref.Histo.MLE)
	}
}

// TestFromEventsShards computes FromEvents' scans of the ZH sample as the
// jobs of a sharded campaign do (grid chunks of 7 points with ScanPoints,
// toy batches with EventModels.ToyBatch, each sent through JSON and given
// back in reverse order) and merges them through MergeChunks and
// MergeToys: the result must be FromEvents' own, exactly, with the toys in
// three batches. A calibration in three batches must differ from one in
// one batch (the batches draw toys of their own).
func TestFromEventsShards(t *testing.T) {
	ev, ref := loadZH(t)
	r := &memEvents{nObs: ev.NObs, nW: ev.NBench, x: ev.X, w: ev.W, batch: 5000}
	m := ev.Morpher()
	scans := []ScanSpec{
		{Name: "rate", Mode: ModeRate},
		{Name: "histo", Mode: ModeHisto, Columns: []int{slices.Index(ev.ObsNames, "pt_h")}, Bins: []int{10}, IncludeRate: true},
	}
	set := EventSettings{Luminosity: ref.Luminosity, ThetaTrue: ref.ThetaTrue,
		Grid: Grid{Ranges: ref.Ranges, Resolutions: []int{9}}, Split: Split{Test: 0.2},
		ToyPoints: [][]float64{{0.1, -0.1}}, Toys: 7, Seed: 5, ToyBatches: 3}
	want, err := FromEvents(r, m, scans, set)
	if err != nil {
		t.Fatal(err)
	}
	em, err := NewEventModels(r, m, set)
	if err != nil {
		t.Fatal(err)
	}
	chunks := map[int][]*ScanChunk{}
	toys := map[int][]*ToyBatch{}
	for i, sc := range scans {
		b, err := em.Model(i, sc)
		if err != nil {
			t.Fatal(err)
		}
		for k := len(em.Points)/7 + 1; k >= 0; k-- {
			idx := ChunkIndices(len(em.Points), 7, k)
			if idx == nil {
				continue
			}
			c, err := ScanPoints(b.Model, b.Data, em.Points, idx, em.Settings())
			if err != nil {
				t.Fatal(err)
			}
			chunks[i] = append(chunks[i], roundTrip(t, c))
		}
		for batch := em.NumToyBatches() - 1; batch >= 0; batch-- {
			tb, err := em.ToyBatch(b, 0, batch)
			if err != nil {
				t.Fatal(err)
			}
			toys[i] = append(toys[i], roundTrip(t, tb))
		}
	}
	merged := set
	merged.MergeChunks = func(i int) ([]*ScanChunk, error) { return chunks[i], nil }
	merged.MergeToys = func(i, k int) ([]*ToyBatch, error) { return toys[i], nil }
	got, err := FromEvents(r, m, scans, merged)
	if err != nil {
		t.Fatal(err)
	}
	for i := range scans {
		sameResult(t, got.Results[i], want.Results[i])
		gc, wc := got.Results[i].Calibrations[0], want.Results[i].Calibrations[0]
		if !sameFloats(gc.Q, wc.Q) || gc.PToys != wc.PToys || gc.NToys != 7 || gc.QObserved != wc.QObserved {
			t.Errorf("scan %s: merged calibration %+v, FromEvents %+v", scans[i].Name, gc, wc)
		}
	}
	one := set
	one.ToyBatches = 1
	single, err := FromEvents(r, m, scans[:1], one)
	if err != nil {
		t.Fatal(err)
	}
	if sameFloats(single.Results[0].Calibrations[0].Q, want.Results[0].Calibrations[0].Q) {
		t.Error("toys in one and in three batches are the same")
	}
	if got := ToyBatchSizes(7, 3); !slices.Equal(got, []int{3, 2, 2}) {
		t.Errorf("ToyBatchSizes(7, 3) = %v", got)
	}
	if got := ToyBatchSizes(2, 5); !slices.Equal(got, []int{1, 1}) {
		t.Errorf("ToyBatchSizes(2, 5) = %v", got)
	}
}
