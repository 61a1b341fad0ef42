// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"math"
	"testing"
)

// MadMinerCompat reproduces MadMiner's expected rate and histogram p-value
// grids of ../shared/reference/zh/reference.json (limits.rate, limits.histo;
// AsymptoticLimits.expected_limits on the 30k ZH file) to 1e-6, and each of
// its switches is needed: without any one of them some p-value differs by
// more than 1e-6.
func TestMadMinerCompat(t *testing.T) {
	ev, ref := loadZH(t)
	// worst returns the largest relative difference of the rate and histo
	// p-values from MadMiner's with conventions c.
	worst := func(c Compat) float64 {
		split := Split{Test: 0.2}
		set := &Settings{}
		c.Apply(&split, nil, set, nil)
		m, train, _, asimov, rate, points := zhSetup(t, ev, ref, split)
		rate.RoundObserved = false
		c.Apply(nil, rate, nil, nil)
		rr, err := Scan(&Rate{Term: rate}, asimov, points, set)
		if err != nil {
			t.Fatal(err)
		}
		h, err := NewHisto(m, train, HistoConfig{Bins: []Binning{{N: 25}}, BinningThetas: points, Rate: rate})
		if err != nil {
			t.Fatal(err)
		}
		hr, err := Scan(h, asimov, points, set)
		if err != nil {
			t.Fatal(err)
		}
		var w float64
		for i := range points {
			for _, d := range [][2]float64{{rr.PValues[i], ref.Rate.P[i]}, {hr.PValues[i], ref.Histo.P[i]}} {
				w = math.Max(w, math.Abs(d[0]-d[1])/math.Max(math.Abs(d[1]), 1e-300))
			}
		}
		return w
	}
	if w := worst(MadMinerCompat); w > 1e-6 {
		t.Errorf("MadMinerCompat: p-values differ from MadMiner's by up to %.3g (relative)", w)
	}
	for _, tc := range []struct {
		name string
		c    Compat
	}{
		{"goldmine", Compat{}},
		{"without Partitions", Compat{RoundAsimov: true, GridBestFit: true}},
		{"without RoundAsimov", Compat{Partitions: true, GridBestFit: true}},
		{"without GridBestFit", Compat{Partitions: true, RoundAsimov: true}},
	} {
		if w := worst(tc.c); w < 1e-6 {
			t.Errorf("%s: p-values equal MadMiner's to %.3g: the switch does nothing", tc.name, w)
		} else {
			t.Logf("%s: p-values differ from MadMiner's by up to %.3g (relative)", tc.name, w)
		}
	}
	ml := &ML{Norm: &Normalization{}}
	Compat{}.Apply(nil, nil, nil, ml)
	if ml.Norm == nil {
		t.Error("the zero Compat switched the normalisation off")
	}
	MadMinerCompat.Apply(nil, nil, nil, ml)
	if ml.Norm != nil {
		t.Error("MadMinerCompat kept the normalisation of ml scans")
	}
}

// ApplyEvents maps each convention to the settings and scans of FromEvents.
func TestCompatApplyEvents(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		c                      Compat
		split, madMiner, normd bool
	}{
		{"goldmine", Compat{}, false, false, true},
		{"Partitions", Compat{Partitions: true}, true, false, true},
		{"RoundAsimov", Compat{RoundAsimov: true}, false, true, true},
		{"GridBestFit", Compat{GridBestFit: true}, false, true, true},
		{"RawRatio", Compat{RawRatio: true}, false, false, false},
		{"MadMinerCompat", MadMinerCompat, true, true, false},
	} {
		var s EventSettings
		scans := []ScanSpec{{Name: "rate", Mode: ModeRate, Normalize: true}, {Name: "ml", Mode: ModeML, Normalize: true}}
		tc.c.ApplyEvents(&s, scans)
		if s.Split.MadMiner != tc.split || s.MadMiner != tc.madMiner || scans[0].Normalize != tc.normd || scans[1].Normalize != tc.normd {
			t.Errorf("%s: Split.MadMiner %v, MadMiner %v, Normalize %v %v; want %v, %v, %v", tc.name,
				s.Split.MadMiner, s.MadMiner, scans[0].Normalize, scans[1].Normalize, tc.split, tc.madMiner, tc.normd)
		}
	}
}
