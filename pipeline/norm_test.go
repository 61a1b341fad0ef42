// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestAnalyseCrossSections analyses other generators' LHE files as the
// background sample of a one-parameter card, as a user would, and checks
// the total cross section analyse reports (events.h5 and --json) against
// the file's own declaration: the table of issue 15.
func TestAnalyseCrossSections(t *testing.T) {
	shared := repotest.Shared(t, "data/lhe")
	synth := filepath.Join(repotest.Root(t), "lhe", "testdata")
	for _, tc := range []struct {
		file     string
		norm     string // samples[].event_norm
		rule     string
		xsec     float64
		relTol   float64
		warnings []string
	}{
		{filepath.Join(shared, "whizard3_eeWW_10ev.lhe"), "", "header", 7.1988749153, 1e-9, nil},
		{filepath.Join(shared, "pythia8_weakbosons_100ev.lhe"), "", "header", 48.76776, 1e-6, nil},
		{filepath.Join(shared, "pythia8_weakbosons_100ev.lhe"), "sum", "sum", 100, 1e-12, []string{"pythia8_weakbosons_100ev.lhe", "more than 3 combined standard errors"}},
		{filepath.Join(shared, "powheg_W_1rwgt_100ev.lhe"), "", "average", 4911.62, 1e-5, nil},
		{filepath.Join(shared, "wbj_amcnlo_lhef3_9scale_59ev.lhe"), "", "average", 50.109093, 1e-7, nil},
		{filepath.Join(synth, "sherpa3_eejjj_synthetic_40ev.lhe"), "", "average", 675.65, 1e-9, []string{"sherpa3_eejjj_synthetic_40ev.lhe", "declares unit weights", "mean 675.65"}},
	} {
		t.Run(filepath.Base(tc.file)+"/"+tc.norm, func(t *testing.T) {
			norm := ""
			if tc.norm != "" {
				norm = ", event_norm: " + tc.norm
			}
			c := writeCard(t, oneParam+fmt.Sprintf("samples:\n  - {name: b, lhe: %s, background: true%s}\nobservables:\n  - {name: n, expr: \"n_particles\", required: true}\n", tc.file, norm))
			res, err := setupAndAnalyse(t, c)
			if err != nil {
				t.Fatal(err)
			}
			ss := res.Samples[0]
			if ss.EventNorm != tc.rule || math.Abs(ss.XSecPB-tc.xsec) > tc.relTol*tc.xsec {
				t.Errorf("rule %s (%s), σ %.10g pb; want %s, %.10g pb", ss.EventNorm, ss.EventNormReason, ss.XSecPB, tc.rule, tc.xsec)
			}
			// Every event passes: the events file holds the same σ.
			for _, b := range []string{"sm", "one"} {
				if got := res.XSecPB[b]; math.Abs(got-tc.xsec) > tc.relTol*tc.xsec {
					t.Errorf("events file: σ(%s) = %.10g pb, want %.10g", b, got, tc.xsec)
				}
			}
			w := strings.Join(res.Warnings, "\n")
			for _, want := range tc.warnings {
				if !strings.Contains(w, want) {
					t.Errorf("warnings lack %q:\n%s", want, w)
				}
			}
			// Normalisation warnings name the file; others (all weights
			// proportional, negative weights) are not at issue here.
			if tc.warnings == nil && strings.Contains(w, filepath.Base(tc.file)) {
				t.Errorf("unexpected warnings:\n%s", w)
			}
		})
	}
}

// TestVariationsInTheirNominalsNormalisation analyses the stand-in for the
// POWHEG direct-photon file, whose <weights> block is in another
// normalisation than XWGTUP, with a scale systematic: the scale variations
// must come out within a factor of 2 of the nominal event by event, the
// cross section must be the mean XWGTUP (IDWTUP -4, none in <init>), and a
// warning must name the file and the evidence.
func TestVariationsInTheirNominalsNormalisation(t *testing.T) {
	file := filepath.Join(repotest.Root(t), "lhe", "testdata", "powheg_directphoton_synthetic_100ev.lhe")
	c := writeCard(t, oneParam+fmt.Sprintf(`systematics:
  - {name: mu, type: scale, scale: mu, factors: [0.5, 1, 2]}
samples:
  - {name: photon, lhe: %s, background: true, systematics: [mu]}
observables:
  - {name: n, expr: "n_particles", required: true}
`, file))
	res, err := setupAndAnalyse(t, c)
	if err != nil {
		t.Fatal(err)
	}
	ss := res.Samples[0]
	if ss.EventNorm != "average" || ss.HeaderXSecPB != nil || ss.XSecPB < 1e7 || ss.XSecPB > 1e8 {
		t.Errorf("rule %s, σ %g pb, header %v: want average of XWGTUP (about 3e7 pb), no header", ss.EventNorm, ss.XSecPB, ss.HeaderXSecPB)
	}
	h, _, w, _ := readAll(t, res.File)
	var names []string
	for _, b := range h.Setup.Benchmarks {
		names = append(names, b.Name)
	}
	if len(names) != 4 {
		t.Fatalf("benchmarks %v, want sm, one and two nuisance benchmarks", names)
	}
	for i := range w {
		for b := 2; b < 4; b++ {
			if r := w[i][b] / w[i][0]; !(r > 0.5 && r < 2) {
				t.Errorf("event %d: variation %s / nominal = %g (%g / %g), want within a factor 2", i, names[b], r, w[i][b], w[i][0])
			}
		}
	}
	warn := strings.Join(res.Warnings, "\n")
	for _, want := range []string{"powheg_directphoton_synthetic_100ev.lhe", `"default"`, "XWGTUP 2.009", "0.0026"} {
		if !strings.Contains(warn, want) {
			t.Errorf("warning lacks %q:\n%s", want, warn)
		}
	}
}
