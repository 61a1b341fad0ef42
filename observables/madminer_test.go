// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/scigolib/hdf5"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// madminerEvents reads the observable names, definitions and observations
// of a MadMiner LHEReader output file.
func madminerEvents(t *testing.T, path string) (names, defs []string, obs [][]float64) {
	t.Helper()
	f, err := hdf5.Open(path)
	if err != nil {
		t.Skipf("MadMiner file %s: %v", path, err)
	}
	defer f.Close()
	ds := make(map[string]*hdf5.Dataset)
	f.Walk(func(p string, o hdf5.Object) {
		if d, ok := o.(*hdf5.Dataset); ok {
			ds[strings.TrimPrefix(p, "/")] = d
		}
	})
	for _, n := range []string{"observables/names", "observables/definitions", "samples/observations"} {
		if ds[n] == nil {
			t.Fatalf("%s: no dataset %s", path, n)
		}
	}
	if names, err = ds["observables/names"].ReadStrings(); err != nil {
		t.Fatal(err)
	}
	if defs, err = ds["observables/definitions"].ReadStrings(); err != nil {
		t.Fatal(err)
	}
	flat, err := ds["samples/observations"].Read()
	if err != nil {
		t.Fatal(err)
	}
	n := len(names)
	if n == 0 || len(flat)%n != 0 {
		t.Fatalf("%s: %d values for %d observables", path, len(flat), n)
	}
	for i := 0; i < len(flat); i += n {
		obs = append(obs, flat[i:i+n])
	}
	return names, defs, obs
}

// evalLHE compiles the definitions and evaluates them on the first n
// events of an LHE file.
func evalLHE(t *testing.T, lhe string, names, defs []string, n int) [][]float64 {
	t.Helper()
	progs := make([]*Program, len(defs))
	for i, d := range defs {
		p, err := Compile(names[i], strings.TrimRight(d, "\x00 "))
		if err != nil {
			t.Fatal(err)
		}
		progs[i] = p
	}
	var ev Event
	var rows [][]float64
	for k, ps := range readLHE(t, lhe, n) {
		fillLHE(&ev, ps)
		ev.Finish()
		row := make([]float64, len(progs))
		for i, p := range progs {
			v, err := p.Eval(&ev, nil)
			if err != nil {
				t.Fatalf("event %d: %v", k, err)
			}
			row[i] = v
		}
		rows = append(rows, row)
	}
	return rows
}

func compareRows(t *testing.T, names []string, got, want [][]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d events, MadMiner has %d", len(got), len(want))
	}
	worst := 0.0
	bad := 0
	for i := range want {
		for k := range names {
			d := math.Abs(got[i][k]-want[i][k]) / math.Max(math.Abs(want[i][k]), 1e-300)
			worst = math.Max(worst, d)
			if d > 1e-9 && bad < 10 {
				bad++
				t.Errorf("row %d %s = %.17g, MadMiner %.17g", i, names[k], got[i][k], want[i][k])
			}
		}
	}
	t.Logf("%d events × %d observables, largest relative difference %.2g", len(want), len(names), worst)
}

// TestMadMinerZH30k evaluates the definitions stored in MadMiner's
// zh30k_lhe_data.h5 (seven observables, cut m_ee > 50 passed by all
// events, rows in LHE order) on all 30000 events of the LHE file it was
// made from.
func TestMadMinerZH30k(t *testing.T) {
	if testing.Short() {
		t.Skip("30000 events: skipped in -short mode")
	}
	sh := repotest.Shared(t, "")
	names, defs, want := madminerEvents(t, filepath.Join(sh, "data", "madminer", "zh30k_lhe_data.h5"))
	got := evalLHE(t, filepath.Join(sh, "data", "lhe", "zh_smeft_cHW_cHq3_30000ev.lhe.gz"), names, defs, len(want)+1)
	compareRows(t, names, got, want)
}

// TestMadMinerZH5000 does the same for zh_lhe_data_5000ev.h5, whose five
// observables include (p[0] + p[1] + p[2]).m and (e[0] + e[1]).eta. MadMiner
// shuffled its rows, so both sides are sorted by the first observable
// (pt_z) before comparing.
func TestMadMinerZH5000(t *testing.T) {
	sh := repotest.Shared(t, "")
	names, defs, want := madminerEvents(t, filepath.Join(sh, "data", "madminer", "zh_lhe_data_5000ev.h5"))
	got := evalLHE(t, filepath.Join(sh, "data", "lhe", "zh_smeft_cHW_cHq3_5000ev.lhe.gz"), names, defs, len(want)+1)
	for _, rows := range [][][]float64{got, want} {
		sort.Slice(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
	}
	compareRows(t, names, got, want)
}
