// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// brand replaces goldmine's name in card comments by MadMiner's: the one
// documented difference in the comment text of the cards.
func brand(s string) string { return strings.ReplaceAll(s, "goldmine", "MadMiner") }

// compareLines compares got and want line by line and reports every
// difference with its line number.
func compareLines(t *testing.T, name, got, want string) {
	t.Helper()
	g := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	w := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	n := max(len(g), len(w))
	bad := 0
	for i := 0; i < n; i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			bad++
			if bad <= 10 {
				t.Errorf("%s line %d:\n got %q\nwant %q", name, i+1, gl, wl)
			}
		}
	}
	if len(g) != len(w) {
		t.Errorf("%s: got %d lines, want %d", name, len(g), len(w))
	}
}

func TestZHParamCard(t *testing.T) {
	s, shared := zhSetup(t)
	cw, err := NewCardWriter(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"mg5_zh_cards", filepath.Join("zh", "mg5_cards")} {
		tmpl, err := ReadTemplate(filepath.Join(shared, "reference", dir, "param_card_template.dat"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(shared, "reference", dir, "param_card_0.dat"))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := cw.ParamCard(&buf, tmpl, "sm"); err != nil {
			t.Fatal(err)
		}
		// Documented difference: goldmine keeps the template's final
		// newline, MadMiner drops it.
		if !bytes.HasSuffix(buf.Bytes(), []byte("\n")) || bytes.HasSuffix(want, []byte("\n")) {
			t.Errorf("%s: final newline: got %v, MadMiner %v", dir, bytes.HasSuffix(buf.Bytes(), []byte("\n")), bytes.HasSuffix(want, []byte("\n")))
		}
		compareLines(t, dir+"/param_card_0.dat", brand(buf.String()), string(want))
	}
}

func TestZHReweightCard(t *testing.T) {
	s, shared := zhSetup(t)
	cw, err := NewCardWriter(s)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := cw.ReweightCard(&buf, "sm"); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"mg5_zh_cards", filepath.Join("zh", "mg5_cards")} {
		want, err := os.ReadFile(filepath.Join(shared, "reference", dir, "reweight_card_0.dat"))
		if err != nil {
			t.Fatal(err)
		}
		// Documented difference: goldmine ends the card with a "done"
		// answering MG5's last question (and a comment saying so).
		const tail = "\n# goldmine: answer MG5's last 'edit a card?' question\ndone\n"
		got := buf.String()
		if !strings.HasSuffix(got, tail) {
			t.Fatalf("reweight card does not end with %q", tail)
		}
		got = strings.TrimSuffix(got, tail)
		compareLines(t, dir+"/reweight_card_0.dat", brand(got), string(want))
		// Beyond line equality: the bytes agree once the brand is mapped.
		if brand(got) != string(want) {
			t.Errorf("%s: reweight card bytes differ", dir)
		}
	}
	got := cw.ReweightNames("sm")
	want := []string{"morphing_basis_vector_1", "morphing_basis_vector_2", "morphing_basis_vector_3", "morphing_basis_vector_4", "morphing_basis_vector_5"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ReweightNames = %v, want %v", got, want)
	}
}

func TestZHRunCard(t *testing.T) {
	_, shared := zhSetup(t)
	// The 30000-event run card MadMiner wrote came from the 5000-event
	// template with nevents changed (reference.json generate.nevents);
	// goldmine changes it through a run card setting.
	tmpl, err := ReadTemplate(filepath.Join(shared, "reference", "mg5_zh_cards", "run_card.dat"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(shared, "reference", "zh", "mg5_cards", "run_card_0.dat"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteRunCard(&buf, tmpl, nil, []Setting{{Key: "nevents", Value: "30000"}, {Key: "iseed", Value: "1234"}}); err != nil {
		t.Fatal(err)
	}
	compareLines(t, "zh/mg5_cards/run_card_0.dat", brand(buf.String()), string(want))
	if brand(buf.String()) != string(want) {
		t.Errorf("run card bytes differ")
	}
}

func TestRunCardSystematics(t *testing.T) {
	_, shared := zhSetup(t)
	tmpl, err := ReadTemplate(filepath.Join(shared, "reference", "mg5_zh_cards", "run_card.dat"))
	if err != nil {
		t.Fatal(err)
	}
	syst := []Systematic{
		{Name: "scale", Type: SystematicScale, Scale: "mu", Variations: []float64{0.5, 1, 2}},
		{Name: "pdf", Type: SystematicPDF, PDF: "CT10"},
		{Name: "lumi", Type: SystematicNorm},
	}
	var buf bytes.Buffer
	if err := WriteRunCard(&buf, tmpl, syst, []Setting{{Key: "newkey", Value: "7"}}); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	// The template's own systematics lines are commented out, and the
	// new section sets them as plain text (MadMiner would write
	// --mur=b'0.5,1.0,2.0' after loading its setup file).
	for _, want := range []string{
		"\n#   False = use_syst      ! Enable systematics studies # Commented out by goldmine\n",
		"\n# systematics = systematics_program ! none, systematics [python], SysCalc [depreceted, C++] # Commented out by goldmine\n",
		"\n7 = newkey\n",
		"\nTrue = use_syst\nsystematics = systematics_program\n['--mur=0.5,1.0,2.0', '--muf=0.5,1.0,2.0', '--together=mur,muf', '--dyn=-1', '--pdf=CT10'] = systematics_arguments\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("run card lacks %q", want)
		}
	}
	if strings.Contains(got, "b'") {
		t.Errorf("run card contains a bytes literal")
	}
	// Every active (uncommented) entry appears once.
	count := map[string]int{}
	for _, l := range strings.Split(got, "\n") {
		c := l
		if k := strings.IndexAny(c, "#!"); k >= 0 {
			c = c[:k]
		}
		if p := strings.Split(c, "="); len(p) >= 2 {
			count[strings.TrimSpace(p[len(p)-1])]++
		}
	}
	for _, k := range []string{"use_syst", "systematics_program", "systematics_arguments", "nevents", "newkey"} {
		if count[k] != 1 {
			t.Errorf("entry %s appears %d times, want 1", k, count[k])
		}
	}
}

func TestSystematicsArguments(t *testing.T) {
	for _, tc := range []struct {
		name string
		syst []Systematic
		want string
		err  bool
	}{
		{"none", nil, "", false},
		{"norm only", []Systematic{{Name: "n", Type: SystematicNorm}}, "", false},
		{"mur default", []Systematic{{Name: "s", Type: SystematicScale, Scale: "mur"}}, "['--mur=0.5,1.0,2.0', '--dyn=-1']", false},
		{"muf", []Systematic{{Name: "s", Type: SystematicScale, Scale: "muf", Variations: []float64{0.25, 4}}}, "['--muf=0.25,4.0', '--dyn=-1']", false},
		{"mu twice", []Systematic{{Name: "a", Type: SystematicScale}, {Name: "b", Type: SystematicScale, Scale: "mur"}}, "", true},
		{"two pdf", []Systematic{{Name: "a", Type: SystematicPDF, PDF: "CT10"}, {Name: "b", Type: SystematicPDF, PDF: "NNPDF"}}, "", true},
		{"bad type", []Systematic{{Name: "a", Type: "shape"}}, "", true},
		{"bad factor", []Systematic{{Name: "a", Type: SystematicScale, Variations: []float64{0}}}, "", true},
	} {
		got, err := SystematicsArguments(tc.syst)
		if (err != nil) != tc.err {
			t.Errorf("%s: err = %v, want error %v", tc.name, err, tc.err)
			continue
		}
		if err == nil && got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPyFloat(t *testing.T) {
	// want: Python 3.11 repr(float(x)).
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1, "1.0"},
		{100, "100.0"},
		{-0.7546379162819874, "-0.7546379162819874"},
		{0.30000000000000004, "0.30000000000000004"},
		{1e-4, "0.0001"},
		{1e-5, "1e-05"},
		{1.5e-7, "1.5e-07"},
		{1234567890123456, "1234567890123456.0"},
		{1e16, "1e+16"},
		{1.2345678901234568e17, "1.2345678901234568e+17"},
		{math.Inf(-1), "-inf"},
	} {
		if got := pyFloat(tc.v); got != tc.want {
			t.Errorf("pyFloat(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestTransforms(t *testing.T) {
	s := Setup{
		Parameters: []Parameter{
			{Name: "a", Block: "smeft", ID: 1, Transform: "theta**2 + 1"},
			{Name: "b", Block: "DECAY", ID: 6},
			{Name: "c", Block: "smeft", ID: 3, Transform: "2"},
		},
		Benchmarks: []Benchmark{{Name: "x", Values: map[string]float64{"a": 3, "b": 1.5, "c": 9}}},
	}
	cw, err := NewCardWriter(s)
	if err != nil {
		t.Fatal(err)
	}
	v, err := cw.CardValues("x")
	if err != nil {
		t.Fatal(err)
	}
	if v[0] != 10 || v[1] != 1.5 || v[2] != 2 {
		t.Errorf("CardValues = %v, want [10 1.5 2]", v)
	}
	tmpl := Template{Name: "t.dat", Text: []byte("BLOCK SMEFT # c\n  1 0.0 # a\n  3 0.0\nDECAY 6 1.4 # wt\nBLOCK other\n  1 5.0\n")}
	var buf bytes.Buffer
	if err := cw.ParamCard(&buf, tmpl, "x"); err != nil {
		t.Fatal(err)
	}
	want := "BLOCK SMEFT # c\n    1    10.0    # goldmine\n    3    2.0    # goldmine\nDECAY    6    1.5    # goldmine\nBLOCK other\n  1 5.0\n"
	if buf.String() != want {
		t.Errorf("param card:\n got %q\nwant %q", buf.String(), want)
	}

	// Errors name the problem.
	for _, tc := range []struct {
		name string
		s    Setup
		msg  string
	}{
		{"bad expr", Setup{Parameters: []Parameter{{Name: "a", Block: "b", ID: 1, Transform: "theta +* 2"}}}, "could not compile"},
		{"string expr", Setup{Parameters: []Parameter{{Name: "a", Block: "b", ID: 1, Transform: "'x'"}}}, "could not compile"},
		{"dup entry", Setup{Parameters: []Parameter{{Name: "a", Block: "b", ID: 1}, {Name: "c", Block: "B", ID: 1}}}, "both set"},
		{"missing value", Setup{Parameters: []Parameter{{Name: "a", Block: "b", ID: 1}}, Benchmarks: []Benchmark{{Name: "x", Values: map[string]float64{}}}}, "no value"},
		{"unknown param", Setup{Parameters: []Parameter{{Name: "a", Block: "b", ID: 1}}, Benchmarks: []Benchmark{{Name: "x", Values: map[string]float64{"a": 1, "z": 2}}}}, "unknown parameter"},
	} {
		_, err := NewCardWriter(tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "madgraph: ") {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.msg)
		}
	}
	cw, err = NewCardWriter(Setup{
		Parameters: []Parameter{{Name: "a", Block: "smeft", ID: 99}, {Name: "l", Block: "x", ID: 1, Transform: "1/theta"}},
		Benchmarks: []Benchmark{{Name: "x", Values: map[string]float64{"a": 1, "l": 1}}, {Name: "zero", Values: map[string]float64{"a": 1, "l": 0}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	err = cw.ParamCard(&buf, tmpl, "x")
	if err == nil || !strings.Contains(err.Error(), "t.dat") || !strings.Contains(err.Error(), "id 99") {
		t.Errorf("missing entry: err = %v", err)
	}
	if _, err := cw.CardValues("zero"); err == nil || !strings.Contains(err.Error(), "+Inf") {
		t.Errorf("1/0 transform: err = %v", err)
	}
}
