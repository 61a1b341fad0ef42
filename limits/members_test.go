// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"errors"
	"slices"
	"testing"
)

// gaussRatio is log r(x|θ) = −(x − c − θ)²/2 + (x − c)²/2, the ratio of
// N(θ + c, 1) to N(c, 1): its best fit is the data's mean less c.
func gaussRatio(c float64) LogRatioFunc {
	return func(dst, x, params []float64) error {
		for i, v := range x {
			d := v - c
			dst[i] = -(d-params[0])*(d-params[0])/2 + d*d/2
		}
		return nil
	}
}

// TestModelBand: the band's members are the members' own scans on the
// same data and points, around the ensemble's scan; a member that fails
// is an error naming the scan.
func TestModelBand(t *testing.T) {
	axis := linAxis(-2, 2, 41)
	var points [][]float64
	for _, a := range axis {
		points = append(points, []float64{a})
	}
	data := Expected([]float64{-0.5, 0, 0.2, 0.4, 0.9}, 1, 20)
	members := []Model{&ML{LogRatio: gaussRatio(-0.2), Params: 1}, &ML{LogRatio: gaussRatio(0.3), Params: 1}}
	ens, err := Scan(&ML{LogRatio: gaussRatio(0.05), Params: 1}, data, points, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ModelBand("s", [][]float64{axis}, ens, members, data, points, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "s" || b.Members != 2 || len(b.PValues) != 2 {
		t.Fatalf("band %s of %d members, %d p-value sets; want s, 2, 2", b.Name, b.Members, len(b.PValues))
	}
	for k, m := range members {
		want, err := Scan(m, data, points, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(b.PValues[k], want.PValues) {
			t.Errorf("member %d: band p-values are not the member's scan", k)
		}
	}
	// The best fit of member k is the mean of the data (0.2) less its
	// shift c.
	for k, want := range []float64{0.4, -0.1} {
		if f := b.BestFits[k][0]; f < want-1e-6 || f > want+1e-6 {
			t.Errorf("member %d: best fit %v, want %v", k, f, want)
		}
	}
	boom := errors.New("boom")
	bad := &ML{LogRatio: func(dst, x, p []float64) error { return boom }, Params: 1}
	if _, err := ModelBand("s", [][]float64{axis}, ens, []Model{members[0], bad}, data, points, nil); !errors.Is(err, boom) {
		t.Errorf("a failing member: %v, want boom", err)
	}
}

// TestEventBand: the members of an ensemble scan on the ZH events are
// scanned without the toys and shard merges of the settings, each as
// FromEvents scans it alone.
func TestEventBand(t *testing.T) {
	ev, ref := loadZH(t)
	r := &memEvents{nObs: ev.NObs, nW: ev.NBench, x: ev.X, w: ev.W, batch: 5000}
	m := ev.Morpher()
	col := slices.Index(ev.ObsNames, "pt_h")
	// Two "members": histograms of other binnings.
	specs := []ScanSpec{
		{Name: "h/member_0", Mode: ModeHisto, Columns: []int{col}, Bins: []int{8}, IncludeRate: true},
		{Name: "h/member_1", Mode: ModeHisto, Columns: []int{col}, Bins: []int{12}, IncludeRate: true},
	}
	set := EventSettings{Luminosity: ref.Luminosity, ThetaTrue: ref.ThetaTrue,
		Grid: Grid{Ranges: ref.Ranges, Resolutions: []int{7}}, Split: Split{Test: 0.2}}
	ens, err := FromEvents(r, m, []ScanSpec{{Name: "h", Mode: ModeHisto, Columns: []int{col}, Bins: []int{10}, IncludeRate: true}}, set)
	if err != nil {
		t.Fatal(err)
	}
	each, err := FromEvents(r, m, specs, set)
	if err != nil {
		t.Fatal(err)
	}
	withToys := set
	withToys.ToyPoints, withToys.Toys = [][]float64{{0, 0}}, 3
	withToys.MergeChunks = func(int) ([]*ScanChunk, error) { return nil, errors.New("merged chunks used") }
	withToys.MergeToys = func(int, int) ([]*ToyBatch, error) { return nil, errors.New("merged toys used") }
	b, err := EventBand(r, m, "h", ens.Results[0], specs, withToys)
	if err != nil {
		t.Fatal(err)
	}
	if b.Members != 2 {
		t.Fatalf("%d members, want 2", b.Members)
	}
	for k := range specs {
		if !slices.Equal(b.PValues[k], each.Results[k].PValues) {
			t.Errorf("member %d: band p-values are not those of its scan alone", k)
		}
	}
	if withToys.MergeChunks == nil || withToys.Toys != 3 {
		t.Error("EventBand changed the caller's settings")
	}
}
