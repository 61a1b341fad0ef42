// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"math"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/limits"
)

// inside counts grid points with p > 0.05.
func inside(p []float64) int {
	n := 0
	for _, v := range p {
		if v > 0.05 {
			n++
		}
	}
	return n
}

// noModelScans drops the limit scans that need trained models.
func noModelScans(s string) string {
	s = strings.Replace(s, "    - {name: sally, mode: sally, model: sally}\n", "", 1)
	return strings.Replace(s, "    - {name: alices, mode: ml, model: alices}\n", "", 1)
}

func TestLimitsZH(t *testing.T) {
	env := NewEnv(zhCard(t, noModelScans), t.TempDir(), nil, nil)
	for _, stage := range []func(*Env) error{
		func(e *Env) error { _, err := Setup(e); return err },
		func(e *Env) error { _, err := Analyse(e); return err },
	} {
		if err := stage(env); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Limits(env)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Points[0].Results) != 2 {
		t.Fatalf("%d scans, want rate and histo", len(res.Points[0].Results))
	}
	rate, histo := res.Points[0].Results[0], res.Points[0].Results[1]
	for _, r := range res.Points[0].Results {
		if len(r.PValues) != 21*21 {
			t.Fatalf("%s: %d points, want 441", r.Mode, len(r.PValues))
		}
		// Asimov data at θ_true = SM. For the rate the expectation and the
		// data come from the same (test) events, so the SM is a best fit
		// with p = 1. The histogram's densities come from the training
		// events, the Asimov data from the test events: their statistical
		// difference moves the best fit a little, but the SM must stay
		// inside the 68% region.
		sm := limits.Nearest(r.Points, []float64{0, 0})
		switch r.Mode {
		case "rate":
			if r.PValues[sm] < 0.999 {
				t.Errorf("rate: p(SM) = %v, want 1", r.PValues[sm])
			}
		case "histo":
			if r.PValues[sm] < 0.32 {
				t.Errorf("histo: p(SM) = %v, the SM is outside the 68%% region of its own Asimov data", r.PValues[sm])
			}
			if math.Hypot(r.BestFit[0], r.BestFit[1]) > 0.1 {
				t.Errorf("histo: best fit %v far from the SM", r.BestFit)
			}
		}
		for i, p := range r.PValues {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("%s: p[%d] = %v", r.Mode, i, p)
			}
		}
	}
	// The rate alone leaves a flat direction (one number, two parameters);
	// shapes close it: fewer points survive with the histogram.
	if inside(histo.PValues) >= inside(rate.PValues) {
		t.Errorf("histo keeps %d points at 95%% CL, rate %d: the histogram should exclude more", inside(histo.PValues), inside(rate.PValues))
	}
}

func TestLimitsNuisanceWidens(t *testing.T) {
	scan := func(norm string, mode string) []float64 {
		c := zhCard(t, func(s string) string {
			if norm != "" {
				s = strings.Replace(s, "samples:\n  - name: zh\n", "systematics:\n  - {name: lumi, type: norm, value: "+norm+"}\nsamples:\n  - name: zh\n    systematics: [lumi]\n", 1)
			}
			return noModelScans(strings.Replace(s, "  scans:\n", "  nuisance: "+mode+"\n  scans:\n", 1))
		})
		env := NewEnv(c, t.TempDir(), nil, nil)
		analysed(t, env)
		res, err := Limits(env)
		if err != nil {
			t.Fatal(err)
		}
		return res.Points[0].Results[0].PValues // rate
	}
	fixed := scan("", "profile")
	wide := scan("0.2", "profile")
	tiny := scan("1e-7", "profile")
	frozen := scan("0.2", "fix")
	if inside(wide) <= inside(fixed) {
		t.Errorf("a 20%% normalisation uncertainty keeps %d points, no uncertainty %d: profiling must widen the interval", inside(wide), inside(fixed))
	}
	for i := range fixed {
		if math.Abs(tiny[i]-fixed[i]) > 1e-4 || math.Abs(frozen[i]-fixed[i]) > 1e-9 {
			t.Fatalf("point %d: p = %v (σ→0) and %v (fixed ν) differ from %v without nuisance", i, tiny[i], frozen[i], fixed[i])
		}
	}
}
