// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
)

func TestExpressions(t *testing.T) {
	var ev Event
	buildMixed(&ev)
	ev.Finish()
	e0, e1, j0, j1 := ev.E[0], ev.E[1], ev.J[0], ev.J[1]
	h := ev.P[9]
	for _, tc := range []struct {
		src  string
		want float64
	}{
		{"(e[0] + e[1]).pt", e0.Add(e1).Pt()},
		{"(e[0] + e[1]).m", e0.Add(e1).M()},
		{"e[0].deltaphi(e[1])", e0.DeltaPhi(e1)},
		{"j[0].deltaR(j[1])", j0.DeltaR(j1)},
		{"j[0].deltaeta(j[1])", j0.Eta() - j1.Eta()},
		{"(p[0]+p[1]+p[2]).m", ev.P[0].Add(ev.P[1]).Add(ev.P[2]).M()},
		{"(p[0]-p[1]).e", ev.P[0].E - ev.P[1].E},
		{"met.pt", ev.MET.Pt()},
		{"met.phi", ev.MET.Phi()},
		{"visible.e + all.pz", ev.Visible.E + ev.All.Pz},
		{"abs(e[1].eta - e[0].eta)", math.Abs(e1.Eta() - e0.Eta())},
		{"math.cos(e[0].phi) + np.abs(-2.5) + sqrt(4) + sinh(1.) + np.arctan2(1, 2)", math.Cos(e0.Phi()) + 2.5 + 2 + math.Sinh(1) + math.Atan2(1, 2)},
		{"pi + math.pi + np.pi", 3 * math.Pi},
		{"cosh(2) ** 2 - sinh(2) ** 2", 1},
		{"pow(2, 10) + exp(0) + log(math.e)", 1026},
		{"len(e) + 10 * len(j) + 100 * len(v)", 2 + 20 + 200},
		{"[x for x in p if abs(x.pdgid) == 25][0].pt", h.Pt()},
		{"(e[0] + e[1] + [x for x in p if abs(x.pdgid) == 25][0]).m", e0.Add(e1).Add(h).M()},
		{"sum([x.pt for x in j])", j0.Pt() + j1.Pt()},
		{"sum(x.pt for x in j)", j0.Pt() + j1.Pt()},
		{"len([x for x in p if x.charge != 0 if x.pt > 15])", 3}, // mu+ (30), e+ (20), b (40)
		{"e[0].pt > 15. and j[1].pt < 10", 1},
		{"e[0].pt > 25 or not j[0].b_tag", 0},
		{"e[-1].pt", e1.Pt()},
		{"e[0].charge + e[1].charge", 0},
		{"mu[0].charge", 1},
		{"l[0].pdgid", -13},
		{"j[0].b_tag", 1},
		{"1. if len(e) >= 2 else 0.", 1},
		{"e[5].pt if len(e) > 5 else -1", -1},
		{"True and not False", 1},
		{".5e1 + 1.e1 + 2.", 17},
		{"max(e[0].pt, e[1].pt, 3)", math.Max(e0.Pt(), e1.Pt())},
		{"boost_to_com(all).p", 0},
		{"not len(e) == 3", 1},
		{"not len(e) == 2 or len(j) == 2", 1},
		{"not len(e) == 2 and len(j) == 2", 0},
		{"not not len(e) == 2", 1},
		{"l[0].pdgid not in [11, -11]", 1},
		{"abs(l[0].pdgid) in [13, 15]", 1},
		{"abs(l[0].pdgid) in (11, 13)", 1},
		{"(1, 2)[1] + (3) * (2 + 1)", 11},
		{"0 < e[0].pt < 100 < 1000", 1},
		{"1 < e[0].pt < 10", 0},
		{"len(j) > 5 and j[5].pt > 0", 0},
		{"-7 % 3 + 7.5 % 2", 2 + 1.5},
		{"p_in[0].pz + 10 * len(p_in)", 510},
		{"p_in[0].pdgid", 2},
		{"p_in[0].helicity + p_in[0].spin", -2},
		{"e[0].helicity", 9},
		{"(p_in[0] + e[0]).helicity", 0},
	} {
		p, err := Compile("t", tc.src)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		got, err := p.Eval(&ev, nil)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if !near(got, tc.want, 1e-12) {
			t.Errorf("%q = %v, want %v (translated %s)", tc.src, got, tc.want, p)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		src    string
		column int
		msg    string
	}{
		{"e[0].pt +", 9, ""},
		{"(e[0].pt", 1, "unclosed"},
		{"e[0].pt)", 8, "unmatched"},
		{"e[0].foo", 6, "unknown particle attribute \"foo\""},
		{"e[0].deltafoo(e[1])", 6, "unknown particle method"},
		{"pt_z > 50", 1, "unknown name pt_z"},
		{"e[0].pt $ 3", 9, "unexpected character"},
		{"", 1, "empty"},
		{"x for x in p", 3, "'for' outside"},
		{"[x for x in p if x.pt > 3", 1, "unclosed"},
		{"lambda x: x", 1, "not supported"},
		{"e[0].pt // 2", 9, "floor division"},
		{"e[0]", 0, "not a number"},
		{"__st", 1, "reserved"},
		{"e[0].pt if e[0].pt > 1", 9, "without 'else'"},
	} {
		_, err := Compile("obs", tc.src)
		if err == nil {
			t.Errorf("%q: no error", tc.src)
			continue
		}
		s := err.Error()
		if !strings.HasPrefix(s, "observables: obs ") || !strings.Contains(s, tc.msg) {
			t.Errorf("%q: error %q lacks the name or %q", tc.src, s, tc.msg)
		}
		if tc.column > 0 && !strings.Contains(s, "column "+itoa(tc.column)+":") {
			t.Errorf("%q: error %q does not name column %d", tc.src, s, tc.column)
		}
	}
}

func itoa(i int) string {
	const d = "0123456789"
	if i < 10 {
		return d[i : i+1]
	}
	return itoa(i/10) + d[i%10:i%10+1]
}

func TestMissingObject(t *testing.T) {
	var ev Event
	ev.Reset()
	ev.AddLHE(11, 1, 10, 0, 0, 10)
	ev.Finish()
	for _, src := range []string{"e[1].pt", "j[0].pt", "(e[0] + e[1]).m", "[x for x in p if x.pdgid == 25][0].pt", "e[-2].pt", "e[0].deltaphi(mu[0])"} {
		p, err := Compile("o", src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Eval(&ev, nil); !errors.Is(err, ErrMissingObject) {
			t.Errorf("%q: error %v, want ErrMissingObject", src, err)
		}
		if _, err := p.EvalBool(&ev, nil); !errors.Is(err, ErrMissingObject) {
			t.Errorf("%q as cut: error %v, want ErrMissingObject", src, err)
		}
	}
	p, _ := Compile("o", "e[0].pt / (e[0].pt - 10)")
	if _, err := p.Eval(&ev, nil); !errors.Is(err, ErrNotFinite) {
		t.Errorf("division by zero: %v, want ErrNotFinite", err)
	}
}

func TestVarsInCuts(t *testing.T) {
	var ev Event
	ev.Reset()
	ev.AddLHE(11, 1, 60, 0, 0, 60)
	ev.Finish()
	c := Compiler{Vars: []string{"pt_z", "m_ee"}}
	p, err := c.Compile("cut", "pt_z > 50 and m_ee < 100 and e[0].pt > pt_z - 20")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		vars []float64
		want bool
	}{{[]float64{55, 90}, true}, {[]float64{45, 90}, false}, {[]float64{55, 120}, false}, {[]float64{90, 90}, false}} {
		got, err := p.EvalBool(&ev, tc.vars)
		if err != nil || got != tc.want {
			t.Errorf("vars %v: %v, %v; want %v", tc.vars, got, err, tc.want)
		}
	}
	if _, err := p.EvalBool(&ev, []float64{55}); err == nil {
		t.Error("too few vars: no error")
	}
}

func TestAnalysisDefaultsAndDrops(t *testing.T) {
	a, err := NewAnalysis(
		[]Observable{
			{Name: "pt_e1", Definition: "e[0].pt", Required: true},
			{Name: "pt_e2", Definition: "e[1].pt", Default: -99},
			{Name: "pt_j1", Definition: "j[0].pt", Required: true},
		},
		[]Cut{{Definition: "pt_e1 > 20"}, {Definition: "mu[0].pt > 5", PassIfUndefined: true}},
		[]Efficiency{{Definition: "0.5 if pt_e2 < 0 else 0.9"}, {Definition: "a[0].pt", ValueIfUndefined: 0.8}},
	)
	if err != nil {
		t.Fatal(err)
	}
	var c Counts
	var ev Event
	var x []float64
	// 1: one electron (pT 30) and a jet: pt_e2 defaults, cuts pass.
	ev.Reset()
	ev.AddLHE(11, 1, 30, 0, 0, 30)
	ev.AddLHE(21, 1, 0, 40, 0, 40)
	ev.Finish()
	x, eff, pass, err := a.Process(x, &ev, &c)
	if err != nil || !pass || x[0] != 30 || x[1] != -99 || x[2] != 40 || !near(eff, 0.5*0.8, 1e-15) {
		t.Errorf("event 1: x %v eff %v pass %v err %v", x, eff, pass, err)
	}
	// 2: no jet: dropped by the required pt_j1.
	ev.Reset()
	ev.AddLHE(11, 1, 30, 0, 0, 30)
	ev.Finish()
	if _, _, pass, err = a.Process(x, &ev, &c); pass || err != nil {
		t.Errorf("event 2 kept")
	}
	// 3: electron of 10 GeV fails the first cut.
	ev.Reset()
	ev.AddLHE(11, 1, 10, 0, 0, 10)
	ev.AddLHE(21, 1, 0, 40, 0, 40)
	ev.Finish()
	if _, _, pass, err = a.Process(x, &ev, &c); pass || err != nil {
		t.Errorf("event 3 kept")
	}
	if c.Events != 3 || c.Passed != 1 || c.ObsMissing[1] != 3 || c.ObsMissing[2] != 1 || c.ObsDropped[2] != 1 ||
		c.CutFail[0] != 1 || c.CutPass[0] != 1 || c.CutUndefined[1] != 2 || c.EffUndefined[1] != 1 {
		t.Errorf("counts %+v", c)
	}
	var total Counts
	total.Add(c)
	total.Add(c)
	if total.Events != 6 || total.CutFail[0] != 2 || total.EffSum[0] != 1 {
		t.Errorf("merged counts %+v", total)
	}
	for _, name := range []string{"lambda", "__x", "2x", "m ee", ""} {
		if _, err := NewAnalysis([]Observable{{Name: name, Definition: "1"}}, nil, nil); err == nil {
			t.Errorf("observable named %q accepted", name)
		}
	}
	if _, err := NewAnalysis([]Observable{{Name: "x", Definition: "1"}, {Name: "x", Definition: "2"}}, nil, nil); err == nil {
		t.Error("duplicate observable accepted")
	}
}

func TestFuncObservable(t *testing.T) {
	ht := func(ev *Event) (float64, error) {
		if len(ev.J) == 0 {
			return 0, ErrMissingObject
		}
		s := 0.0
		for _, j := range ev.J {
			s += j.Pt()
		}
		return s, nil
	}
	a, err := NewAnalysis([]Observable{
		{Name: "ht_j", Func: ht, Required: true},
		{Name: "pt_e1", Definition: "e[0].pt", Default: -1},
	}, []Cut{{Definition: "ht_j > 30"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ev Event
	var c Counts
	for _, pts := range [][]float64{{20, 15}, {10}, nil} {
		ev.Reset()
		for _, pt := range pts {
			ev.AddLHE(21, 1, pt, 0, 0, pt)
		}
		ev.Finish()
		x, _, pass, err := a.Process(nil, &ev, &c)
		if err != nil {
			t.Fatal(err)
		}
		want := 0.0
		for _, pt := range pts {
			want += pt
		}
		if len(pts) > 0 && x[0] != want {
			t.Errorf("ht_j = %v, want %v", x[0], want)
		}
		if pass != (want > 30) {
			t.Errorf("jets %v: pass %v", pts, pass)
		}
	}
	if c.ObsDropped[0] != 1 || c.CutFail[0] != 1 || c.Passed != 1 {
		t.Errorf("counts %+v", c)
	}
	bad, _ := NewAnalysis([]Observable{{Name: "f", Func: func(*Event) (float64, error) { return 0, errors.New("boom") }}}, nil, nil)
	if _, _, _, err := bad.Process(nil, &ev, nil); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("function error not returned: %v", err)
	}
}

func TestDefaultObservables(t *testing.T) {
	obs := DefaultObservables(2, 1, 2, true, true, true, true)
	names := make(map[string]string)
	for _, o := range obs {
		names[o.Name] = o.Definition
	}
	for n, def := range map[string]string{
		"et_miss": "met.pt", "phi_miss": "met.phi", "e_visible": "visible.e", "eta_visible": "visible.eta",
		"n_ls": "len(l)", "n_as": "len(a)", "n_js": "len(j)", "pt_l2": "l[1].pt", "phi_a1": "a[0].phi",
		"e_j2": "j[1].e", "charge_l1": "l[0].charge", "charge_l2": "l[1].charge",
	} {
		if names[n] != def {
			t.Errorf("%s = %q, want %q", n, names[n], def)
		}
	}
	if len(obs) != 4+3+2*5+1*4+2*4 {
		t.Errorf("%d default observables", len(obs))
	}
	// They work on an LHE event, unlike MadMiner's (undefined visible).
	a, err := NewAnalysis(obs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ev Event
	buildMixed(&ev)
	ev.Finish()
	x, _, pass, err := a.Process(nil, &ev, nil)
	if err != nil || !pass {
		t.Fatalf("pass %v err %v", pass, err)
	}
	for i, o := range obs {
		if o.Name == "charge_l1" && x[i] != 1 {
			t.Errorf("charge_l1 = %v, want +1 (the mu+)", x[i])
		}
		if o.Name == "pt_a2" {
			t.Error("pt_a2 present with nPhotons = 1")
		}
	}
}

// A Program is shared by goroutines that each own an Event.
func TestConcurrentEval(t *testing.T) {
	p, err := Compile("m", "(e[0] + e[1]).m")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ev Event
			for i := range 200 {
				x := float64(g*1000 + i + 1)
				ev.Reset()
				ev.AddLHE(11, 1, x, 0, 0, x)
				ev.AddLHE(-11, 1, -x, 0, 0, x)
				ev.Finish()
				got, err := p.Eval(&ev, nil)
				if err != nil || !near(got, 2*x, 1e-12) {
					errs <- errors.New("wrong mass")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// FuzzCompile feeds arbitrary definitions to the compiler and evaluates
// those that compile: neither may panic. Run it with
//
//	go test ./observables -run '^$' -fuzz FuzzCompile -fuzztime 60s
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"(e[0] + e[1]).pt", "e[0].deltaphi(e[1])", "(p[0]+p[1]+p[2]).m", "j[0].deltaR(j[1])",
		"met.pt", "abs(e[0].eta)", "math.cos(j[0].phi)", "e[0].pt > 20. and j[1].eta < 2",
		"[x for x in p if abs(x.pdgid) == 25][0].pt", "sum([x.pt for x in j])", "1 if len(e) else 2",
		"e[-1].pt ** 2", "boost_to_com(e[0]).e", "'a' + 'b'", "[1, 2][3]", "{}", "p[0:2]",
	} {
		f.Add(s)
	}
	var ev Event
	buildMixed(&ev)
	ev.Finish()
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Compile("fuzz", src)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "observables: fuzz ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		_, _ = p.Eval(&ev, nil)
		_, _ = p.EvalBool(&ev, nil)
	})
}
