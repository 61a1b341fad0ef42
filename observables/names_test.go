// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
		msg  string
	}{
		{"pt_e1", true, ""},
		{"_x", true, ""},
		{"CamelCase2", true, ""},
		// Names of objects, event numbers and functions: allowed, as in MadMiner.
		{"met", true, ""}, {"e", true, ""}, {"mu", true, ""}, {"j", true, ""}, {"a", true, ""},
		{"l", true, ""}, {"v", true, ""}, {"tau", true, ""}, {"p", true, ""}, {"p_truth", true, ""},
		{"visible", true, ""}, {"all", true, ""}, {"scale", true, ""}, {"ht", true, ""},
		{"weight", true, ""}, {"pi", true, ""}, {"alpha_qcd", true, ""}, {"n_particles", true, ""},
		{"sqrt", true, ""}, {"sum", true, ""}, {"len", true, ""}, {"abs", true, ""}, {"math", true, ""},
		{"np", true, ""}, {"true", true, ""}, {"nil", true, ""}, {"contains", true, ""}, {"match", true, ""},
		{"", false, "empty"},
		{"2jets", false, "start with a letter"},
		{"m ee", false, "character ' '"},
		{"m-ee", false, "character '-'"},
		{"pT€", false, "character"},
		{"lambda", false, "Python keyword"},
		{"True", false, "Python keyword"},
		{"in", false, "Python keyword"},
		{"__x", false, "reserved"},
	} {
		err := CheckName(tc.name)
		if tc.ok {
			if err != nil {
				t.Errorf("%q: %v", tc.name, err)
			}
			continue
		}
		var ne *NameError
		if !errors.As(err, &ne) || ne.Name != tc.name || !strings.Contains(err.Error(), tc.msg) ||
			!strings.HasPrefix(err.Error(), "observables: name ") {
			t.Errorf("%q: error %v, want a NameError with %q", tc.name, err, tc.msg)
		}
	}
}

// Observables named like objects: observable definitions see the objects,
// cuts and efficiencies see the observable for the bare name and the object
// for name.attr, name[i] and name(...).
func TestObservableNamespaces(t *testing.T) {
	var ev Event
	buildMixed(&ev)
	ev.Finish()
	obs := []Observable{
		{Name: "met", Definition: "met.pt"},
		{Name: "e", Definition: "len(e)"},
		{Name: "ht", Definition: "ht / 2"},
		{Name: "pi", Definition: "pi / 2"},
		{Name: "sqrt", Definition: "sqrt(16)"},
		{Name: "all", Definition: "all.e"},
		{Name: "x", Definition: "e[0].pt"},
	}
	a, err := NewAnalysis(obs, []Cut{{Definition: "met > 0 and e == 2"}}, []Efficiency{{Definition: "0.5 * (sqrt == 4)"}})
	if err != nil {
		t.Fatal(err)
	}
	vals, eff, pass, err := a.Process(nil, &ev, nil)
	if err != nil || !pass || eff != 0.5 {
		t.Fatalf("process: %v %v %v %v", vals, eff, pass, err)
	}
	want := []float64{ev.MET.Pt(), float64(len(ev.E)), ev.HT / 2, math.Pi / 2, 4, ev.All.E, ev.E[0].Pt()}
	for i, w := range want {
		if !near(vals[i], w, 1e-14) {
			t.Errorf("%s = %v, want %v", obs[i].Name, vals[i], w)
		}
	}
	c := Compiler{Vars: a.Names()}
	for _, tc := range []struct {
		src     string
		want    float64
		wantErr bool
	}{
		{"met", vals[0], false},
		{"met.pt * 2", 2 * ev.MET.Pt(), false},
		{"met + met.phi", vals[0] + ev.MET.Phi(), false},
		{"e", vals[1], false},
		{"e[0].pt + e", ev.E[0].Pt() + vals[1], false},
		{"ht", vals[2], false},
		{"pi", math.Pi / 2, false},
		{"math.pi", math.Pi, false},
		{"sqrt", 4, false},
		{"sqrt(sqrt)", 2, false},
		{"all", ev.All.E, false},
		{"[x for x in p][0].pt", ev.P[0].Pt(), false},        // the loop variable x shadows the observable x
		{"len([y for y in p if y.pt >= x and e])", 5, false}, // observables in a comprehension: μ, e⁺, b, ν, H
		// Errors, as in Python: a bare e or all is the observable (a number)
		// here, and the loop variable x a particle.
		{"len(e)", 0, true},
		{"boost_to_com(all).p", 0, true},
		{"[x for x in e][0].pt", 0, true},
		{"[x.pt for x in e if x.pt > x][0]", 0, true},
	} {
		p, err := c.Compile("cut", tc.src)
		var got float64
		if err == nil {
			got, err = p.Eval(&ev, vals)
		}
		switch {
		case tc.wantErr:
			if err == nil {
				t.Errorf("%q = %v, want an error", tc.src, got)
			}
		case err != nil || !near(got, tc.want, 1e-14):
			t.Errorf("%q = %v (%v), want %v", tc.src, got, err, tc.want)
		}
	}
	if _, err := (&Compiler{Vars: []string{"x", "x"}}).Compile("cut", "x"); err == nil {
		t.Error("duplicate variable accepted")
	}
	if _, err := (&Compiler{Vars: []string{"if"}}).Compile("cut", "1"); err == nil {
		t.Error("keyword variable accepted")
	}
}
