// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

func TestCompareSetup(t *testing.T) {
	file := testHeader().Setup
	for _, tc := range []struct {
		name string
		edit func(g *Setup)
		msg  string // "" for agreement
	}{
		{"same", func(g *Setup) {}, ""},
		{"nothing given", func(g *Setup) { *g = Setup{} }, ""},
		{"only benchmarks", func(g *Setup) { g.Parameters, g.Components, g.MorphingMatrix = nil, nil, nil }, ""},
		{"benchmarks reordered", func(g *Setup) {
			g.Benchmarks[1], g.Benchmarks[3] = g.Benchmarks[3], g.Benchmarks[1]
			g.MorphingMatrix = nil
		}, ""},
		{"nuisance benchmarks not given", func(g *Setup) { g.Benchmarks = g.Benchmarks[:4] }, ""},
		{"seven digits", func(g *Setup) { g.Benchmarks[1].Values[1] = -0.3333333 }, ""},
		{"range and transform ignored", func(g *Setup) { g.Parameters[0].Range = [2]float64{-5, 5}; g.Parameters[1].Transform = "2*theta" }, ""},
		{"parameter name", func(g *Setup) { g.Parameters[1].Name = "cHq1" }, `parameter 1 is "cHq1" in card.yaml, "cHq3" in events.h5`},
		{"parameter count", func(g *Setup) { g.Parameters = g.Parameters[:1] }, "card.yaml has 1 parameters (cHW), events.h5 has 2 (cHW, cHq3)"},
		{"lha id", func(g *Setup) { g.Parameters[0].LHAID = 8 }, "parameter cHW is LHA smeft 8 in card.yaml, smeft 7 in events.h5"},
		{"power", func(g *Setup) { g.Parameters[1].MaxPower = 2 }, "morphing power 2 in card.yaml, 1 in events.h5"},
		{"value", func(g *Setup) { g.Benchmarks[2].Values[0] = -0.71 }, `benchmark "b2" has cHW = -0.70999999999999996 in card.yaml, -0.69999999999999996 in events.h5`},
		{"unknown benchmark", func(g *Setup) { g.Benchmarks[3].Name = "b4" }, `benchmark "b4" is in card.yaml, not in events.h5 (which has sm, b1, b2, b3)`},
		{"missing benchmark", func(g *Setup) { g.Benchmarks = g.Benchmarks[:3]; g.MorphingMatrix = nil }, `benchmark "b3" is in events.h5, not in card.yaml`},
		{"component", func(g *Setup) { g.Components[2] = []int{1, 1} }, "morphing component [1 1] is in card.yaml, not in events.h5"},
		{"matrix", func(g *Setup) { g.MorphingMatrix.Set(2, 1, -1.9999) }, `component [2 0] and benchmark "b1" is -1.9999 in card.yaml, -2 in events.h5`},
		{"basis", func(g *Setup) { g.Benchmarks[0], g.Benchmarks[4] = g.Benchmarks[4], g.Benchmarks[0] }, `benchmark "mu_up" is in the morphing basis of card.yaml`},
	} {
		g := file.clone()
		tc.edit(&g)
		err := CompareSetup(&g, "card.yaml", &file, "events.h5")
		if tc.msg == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var me *MismatchError
		if !errors.As(err, &me) || me.Given != "card.yaml" || me.File != "events.h5" ||
			!strings.HasPrefix(err.Error(), "store: card.yaml and events.h5 disagree: ") || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.msg)
		}
	}
}

// MadMiner's events file carries its setup: ReadSetup and ReadEventsHeader
// give the benchmarks, parameters and morphing of zh30k_lhe_data.h5, equal
// to those of MadMiner's setup file zh30k_setup.h5 (but for the reference
// flag, which only events files carry).
func TestSetupOfEventsFile(t *testing.T) {
	dir := repotest.Shared(t, "data/madminer")
	events := filepath.Join(dir, "zh30k_lhe_data.h5")
	h, err := ReadEventsHeader(events)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadSetup(events)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*s, h.Setup) {
		t.Errorf("ReadSetup and ReadEventsHeader disagree on %s", events)
	}
	setup, err := ReadSetup(filepath.Join(dir, "zh30k_setup.h5"))
	if err != nil {
		t.Fatal(err)
	}
	if err := CompareSetup(setup, "zh30k_setup.h5", s, "zh30k_lhe_data.h5"); err != nil {
		t.Error(err)
	}
	if len(s.Parameters) != 2 || s.Parameters[0].Name != "cHW" || len(s.Benchmarks) != 6 || s.Benchmarks[0].Name != "sm" ||
		!s.Benchmarks[0].IsReference || s.MorphingMatrix == nil || len(s.Components) != 6 {
		t.Errorf("setup of %s: %+v", events, s)
	}
	other, err := ReadSetup(filepath.Join(dir, "tutorial_2param_setup.h5"))
	if err != nil {
		t.Fatal(err)
	}
	err = CompareSetup(other, "tutorial_2param_setup.h5", s, "zh30k_lhe_data.h5")
	if err == nil || !strings.Contains(err.Error(), `parameter 0 is "CWL2" in tutorial_2param_setup.h5, "cHW" in zh30k_lhe_data.h5`) {
		t.Errorf("tutorial setup against the ZH file: %v", err)
	}
}
