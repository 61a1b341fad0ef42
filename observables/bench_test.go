// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"path/filepath"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// zhFive are the five observables of MadMiner's zh_lhe_data_5000ev.h5
// (observables/definitions in ../shared/data/madminer).
var zhFive = []Observable{
	{Name: "pt_z", Definition: "(e[0] + e[1]).pt", Required: true},
	{Name: "m_zh", Definition: "(p[0] + p[1] + p[2]).m", Required: true},
	{Name: "eta_z", Definition: "(e[0] + e[1]).eta", Required: true},
	{Name: "pt_e1", Definition: "e[0].pt", Required: true},
	{Name: "dphi_ee", Definition: "e[0].deltaphi(e[1])", Required: true},
}

var sinkF float64

func zhEvents(b *testing.B, n int) [][]lheParticle {
	sh := repotest.Shared(b, "")
	return readLHE(b, filepath.Join(sh, "data", "lhe", "zh_smeft_cHW_cHq3_5000ev.lhe.gz"), n)
}

// BenchmarkEvalZH evaluates the five ZH observables on a finished event:
// one op is one event (five evaluations).
func BenchmarkEvalZH(b *testing.B) {
	evs := zhEvents(b, 1000)
	progs := make([]*Program, len(zhFive))
	for i, o := range zhFive {
		p, err := Compile(o.Name, o.Definition)
		if err != nil {
			b.Fatal(err)
		}
		progs[i] = p
	}
	events := make([]Event, len(evs))
	for i := range events {
		fillLHE(&events[i], evs[i])
		events[i].Finish()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev := &events[i%len(events)]
		for _, p := range progs {
			v, err := p.Eval(ev, nil)
			if err != nil {
				b.Fatal(err)
			}
			sinkF += v
		}
	}
}

// BenchmarkProcessZH fills one reused Event from parsed particle lines,
// finishes it and runs the Analysis with the five observables and a cut:
// the per-event work after LHE parsing.
func BenchmarkProcessZH(b *testing.B) {
	evs := zhEvents(b, 1000)
	a, err := NewAnalysis(zhFive, []Cut{{Definition: "pt_z > 20"}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var ev Event
	var c Counts
	x := make([]float64, len(zhFive))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fillLHE(&ev, evs[i%len(evs)])
		ev.Finish()
		x, _, _, err = a.Process(x, &ev, &c)
		if err != nil {
			b.Fatal(err)
		}
		sinkF += x[0]
	}
}
