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
