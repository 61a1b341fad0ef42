// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/observables"
)

// base is a small valid card; the malformed cases below edit it.
const base = `workdir: w
seed: 7
parameters:
  - name: CWL2
    lha_block: dim6
    lha_id: 2
    range: [-20, 20]
  - name: cwl2
    lha_block: dim6
    lha_id: 5
    range: [-20, 20]
benchmarks:
  - name: sm
    values: {CWL2: 0, cwl2: 0}
  - name: w
    values: {CWL2: 15.2, cwl2: 0.1}
samples:
  - name: s
    lhe: s.lhe.gz
    sampled_from: sm
observables:
  - name: pt_j1
    expr: "j[0].pt"
cuts:
  - expr: "pt_j1 > 30"
`

// trainingSection returns a sampling and a training section (from line 26
// of base) whose training entry, on line 30, carries extra.
func trainingSection(extra string) string {
	return "sampling:\n  samples:\n    - {name: a, method: local, theta: {benchmark: sm}, n_samples: 10}\n" +
		"training:\n  - {name: t, method: sally, sample: a, " + extra + "}\n"
}

// validationSection is trainingSection with two more samples, b (local)
// and r (ratio), for validation_sample.
func validationSection(extra string) string {
	return "sampling:\n  samples:\n    - {name: a, method: local, theta: {benchmark: sm}, n_samples: 10}\n" +
		"    - {name: b, method: local, theta: {benchmark: sm}, n_samples: 10}\n" +
		"    - {name: r, method: ratio, theta0: {benchmark: w}, theta1: {benchmark: sm}, n_samples: 10}\n" +
		"training:\n  - {name: t, method: sally, sample: a, " + extra + "}\n"
}

func TestParseValid(t *testing.T) {
	c, err := Parse([]byte(base), "base.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Parameters); got != 2 {
		t.Fatalf("got %d parameters, want 2", got)
	}
	// Names keep their case: CWL2 and cwl2 are two parameters.
	if c.Parameters[0].Name != "CWL2" || c.Parameters[1].Name != "cwl2" {
		t.Errorf("names lost their case: %q %q", c.Parameters[0].Name, c.Parameters[1].Name)
	}
	if got, want := c.BenchmarkValues(c.Benchmarks[1]), []float64{15.2, 0.1}; got[0] != want[0] || got[1] != want[1] {
		t.Errorf("benchmark values: got %v, want %v", got, want)
	}
	if c.Parameters[0].MorphingMaxPower != DefaultMaxPower {
		t.Errorf("default max power: got %d", c.Parameters[0].MorphingMaxPower)
	}
	if *c.Seed != 7 || c.Workdir != "w" {
		t.Errorf("seed/workdir: %d %q", *c.Seed, c.Workdir)
	}
	if c.Samples[0].KFactor != 1 {
		t.Errorf("default k-factor: %g", c.Samples[0].KFactor)
	}
	for _, tc := range []struct{ extra, prec string }{{"epochs: 2", DefaultPrecision}, {"precision: float32, workers: 3", "float32"}} {
		c, err := Parse([]byte(base+trainingSection(tc.extra)), "t.yaml", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if tr := c.Training[0]; tr.Precision != tc.prec || (tc.prec == "float32" && tr.Workers != 3) {
			t.Errorf("%s: precision %q, workers %d", tc.extra, tr.Precision, tr.Workers)
		}
	}
}

// TestParseDocumentMarkers accepts a card that opens with --- and closes
// with ..., the markers of a single YAML document.
func TestParseDocumentMarkers(t *testing.T) {
	if _, err := Parse([]byte("---\n"+base+"...\n"), "markers.yaml", Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestParseMalformed(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string // replace old by new in base
		line     int
		key      string // substring of the error's key (or message)
	}{
		{"unknown top key", "seed: 7", "seed: 7\nsede: 8", 3, "sede"},
		{"unknown nested key", "    lha_id: 2\n", "    lha_id: 2\n    lha_idx: 3\n", 7, "parameters[0].lha_idx"},
		{"duplicate key", "    lha_id: 5\n", "    lha_id: 5\n    lha_id: 6\n", 11, "parameters[1].lha_id"},
		{"duplicate top key", "workdir: w\n", "workdir: w\nworkdir: v\n", 2, "workdir"},
		{"wrong type int", "lha_id: 2", "lha_id: two", 6, "parameters[0].lha_id"},
		{"wrong type float", "range: [-20, 20]\n  - name: cwl2", "range: [-20, x]\n  - name: cwl2", 7, "parameters[0].range[1]"},
		{"range length", "range: [-20, 20]\n  - name: cwl2", "range: [-20, 20, 30]\n  - name: cwl2", 7, "parameters[0].range"},
		{"range min >= max", "    lha_id: 5\n    range: [-20, 20]", "    lha_id: 5\n    range: [20, -20]", 11, "parameters[1].range"},
		{"missing lha_block", "    lha_block: dim6\n    lha_id: 5", "    lha_id: 5", 8, "parameters[1].lha_block"},
		{"parameter twice", "  - name: cwl2\n", "  - name: CWL2\n", 8, "parameters[1].name"},
		{"benchmark missing parameter", "{CWL2: 15.2, cwl2: 0.1}", "{CWL2: 15.2}", 16, "benchmarks[1].values"},
		{"benchmark unknown parameter", "{CWL2: 15.2, cwl2: 0.1}", "{CWL2: 15.2, cwl2: 0.1, CWL3: 1}", 16, "benchmarks[1].values.CWL3"},
		{"benchmark twice", "  - name: w\n", "  - name: sm\n", 15, "benchmarks[1].name"},
		{"benchmark value not a number", "{CWL2: 15.2, cwl2: 0.1}", "{CWL2: 15.2, cwl2: abc}", 16, "benchmarks[1].values.cwl2"},
		{"unknown sampling benchmark", "sampled_from: sm", "sampled_from: bsm", 20, "samples[0].sampled_from"},
		{"observable does not compile", `expr: "j[0].pt"`, `expr: "j[0].pt +"`, 23, "observables[0].expr"},
		{"cut does not compile", `expr: "pt_j1 > 30"`, `expr: "pt_j1 >> 30"`, 25, "cuts[0].expr"},
		{"observable name not identifier", "name: pt_j1", "name: pt-j1", 22, "observables[0].name"},
		{"observable name a Python keyword", "name: pt_j1", "name: lambda", 22, "observables[0].name"},
		{"observable name reserved", "name: pt_j1", "name: __pt", 22, "observables[0].name"},
		{"observable twice", "cuts:\n", "  - name: pt_j1\n    expr: \"j[1].pt\"\ncuts:\n", 24, "observables[1].name"},
		{"transform does not compile", "    lha_id: 2\n", "    lha_id: 2\n    param_card_transform: \"theta *\"\n", 7, "parameters[0].param_card_transform"},
		{"list where mapping", "values: {CWL2: 0, cwl2: 0}", "values: [0, 0]", 14, "benchmarks[0].values"},
		{"bool wrong type", "    sampled_from: sm\n", "    sampled_from: sm\n    background: maybe\n", 21, "samples[0].background"},
		{"unknown event_norm", "    sampled_from: sm\n", "    sampled_from: sm\n    event_norm: averaged\n", 21, "samples[0].event_norm"},
		{"negative seed", "seed: 7", "seed: -7", 2, "seed"},
		{"unknown basis benchmark", "observables:", "morphing:\n  basis: [sm, nope]\nobservables:", 22, "morphing.basis[1]"},
		{"systematic bad type", "observables:", "systematics:\n  - name: s1\n    type: scales\nobservables:", 23, "systematics[0].type"},
		{"second document", "seed: 7\n", "seed: 7\n---\nseed: 8\n", 3, "a second YAML document starts here"},
		{"second document at the end", "observables:", "observables: []\n...\n---\nobservables:", 23, "a second YAML document"},
		{"training precision", "  - expr: \"pt_j1 > 30\"\n", "  - expr: \"pt_j1 > 30\"\n" + trainingSection("precision: float16"), 30, "training[0].precision"},
		{"training workers", "  - expr: \"pt_j1 > 30\"\n", "  - expr: \"pt_j1 > 30\"\n" + trainingSection("workers: -1"), 30, "training[0].workers"},
		{"unknown validation sample", "  - expr: \"pt_j1 > 30\"\n", "  - expr: \"pt_j1 > 30\"\n" + validationSection("validation_sample: nope"), 32, "training[0].validation_sample"},
		{"validation sample is the training sample", "  - expr: \"pt_j1 > 30\"\n", "  - expr: \"pt_j1 > 30\"\n" + validationSection("validation_sample: a"), 32, "the training sample itself"},
		{"validation sample of another method", "  - expr: \"pt_j1 > 30\"\n", "  - expr: \"pt_j1 > 30\"\n" + validationSection("validation_sample: r"), 32, `"r" is a ratio sample, the training sample "a" local`},
		{"validation sample and split", "  - expr: \"pt_j1 > 30\"\n", "  - expr: \"pt_j1 > 30\"\n" + validationSection("validation_sample: b, validation_split: 0.3"), 32, "training[0].validation_split"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("test bug: %q not in base card", tc.old)
			}
			src := strings.Replace(base, tc.old, tc.new, 1)
			_, err := Parse([]byte(src), "bad.yaml", Options{})
			if err == nil {
				t.Fatalf("no error for:\n%s", src)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *cards.Error", err)
			}
			if e.File != "bad.yaml" {
				t.Errorf("file: got %q", e.File)
			}
			if e.Line != tc.line {
				t.Errorf("line: got %d, want %d (%v)", e.Line, tc.line, err)
			}
			if !strings.Contains(e.Key+" "+e.Msg, tc.key) {
				t.Errorf("error %q does not name %q", err, tc.key)
			}
			if !strings.HasPrefix(err.Error(), "cards: bad.yaml:") {
				t.Errorf("error %q does not start with the file position", err)
			}
		})
	}
}

func TestParseCheckExpr(t *testing.T) {
	// A checker sees cuts with the observable names known before them.
	var seen [][]string
	check := func(src string, known []string) error {
		seen = append(seen, known)
		if strings.Contains(src, "bogus") {
			return errors.New("unknown name bogus")
		}
		return nil
	}
	if _, err := Parse([]byte(base), "c.yaml", Options{CheckExpr: check}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || len(seen[1]) != 1 || seen[1][0] != "pt_j1" {
		t.Errorf("checker saw %v", seen)
	}
	src := strings.Replace(base, "pt_j1 > 30", "bogus > 30", 1)
	_, err := Parse([]byte(src), "c.yaml", Options{CheckExpr: check})
	if err == nil || !strings.Contains(err.Error(), "c.yaml:25: cuts[0].expr") || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("got %v", err)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "  \n", "# only a comment\n"} {
		if _, err := Parse([]byte(src), "e.yaml", Options{}); err == nil {
			t.Errorf("no error for %q", src)
		}
	}
}

func TestLoadZH(t *testing.T) {
	c, err := Load("zh.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Parameters) != 2 || c.Parameters[0].Name != "cHW" || c.Parameters[1].LHAID != 25 {
		t.Errorf("parameters: %+v", c.Parameters)
	}
	if len(c.Benchmarks) != 6 || len(c.Morphing.Basis) != 6 {
		t.Errorf("benchmarks %d, basis %d", len(c.Benchmarks), len(c.Morphing.Basis))
	}
	if got := c.ResolvePath(c.Samples[0].LHE); got != "data/zh_smeft_cHW_cHq3_5000ev.lhe.gz" {
		t.Errorf("sample path: %q", got)
	}
	if len(c.Observables) != 5 || !*c.Observables[4].Required {
		t.Errorf("observables: %+v", c.Observables)
	}
	if l := c.Limits; len(l.Grid.Resolutions) != 2 || l.Grid.Resolutions[1] != 21 {
		t.Errorf("integer grid resolution not broadcast: %v", l.Grid.Resolutions)
	}
	// normalize defaults to true for ml scans on event files only, and is
	// an error elsewhere.
	for _, sc := range c.Limits.Scans {
		if *sc.Normalize != (sc.Mode == "ml") {
			t.Errorf("scan %s (%s): normalize %v", sc.Name, sc.Mode, *sc.Normalize)
		}
	}
	src, err := os.ReadFile("zh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	old := "{name: histo, mode: histo,"
	if !strings.Contains(string(src), old) {
		t.Fatalf("test bug: %q not in zh.yaml", old)
	}
	_, err = Parse([]byte(strings.Replace(string(src), old, old+" normalize: true,", 1)), "zh.yaml", Options{})
	var e *Error
	if !errors.As(err, &e) || e.Key != "limits.scans[1].normalize" {
		t.Errorf("normalize on a histo scan: error %v", err)
	}
	g, err := Load("galton.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range g.Limits.Scans {
		if *sc.Normalize {
			t.Errorf("simulator scan %s normalised by default", sc.Name)
		}
	}
}

func TestTransform(t *testing.T) {
	p, err := CompileTransform("2*theta + 1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Transform(p, 0.25)
	if err != nil || got != 1.5 {
		t.Errorf("got %g, %v; want 1.5", got, err)
	}
	if _, err := CompileTransform("theta + x"); err == nil {
		t.Error("unknown variable accepted")
	}
}

// TestStudySection checks the study section of the Galton card: sally
// (SALLY + histogram) is a study method, other non-ratio methods and a
// negative number of histogram bins are errors naming the line and key.
func TestStudySection(t *testing.T) {
	src, err := os.ReadFile("galton.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(src, "galton.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Study.Methods; len(m) != 6 || m[5] != "sally" {
		t.Errorf("study methods %v", m)
	}
	line := 0
	for i, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "  methods: [carl") {
			line = i + 1
		}
	}
	for _, tc := range []struct{ old, new, key string }{
		{"alices, sally]", "alices, nde]", "study.methods[5]"},
		{"  methods: [carl", "  sally_bins: -3\n  methods: [carl", "study.sally_bins"},
	} {
		if !strings.Contains(string(src), tc.old) {
			t.Fatalf("test bug: %q not in galton.yaml", tc.old)
		}
		_, err := Parse([]byte(strings.Replace(string(src), tc.old, tc.new, 1)), "galton.yaml", Options{})
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: error %v", tc.key, err)
		}
		if e.Key != tc.key || e.Line != line {
			t.Errorf("error %v, want key %s at line %d", err, tc.key, line)
		}
	}
	// The study needs the exact likelihood ratio of the Galton board.
	gauss := strings.Replace(string(src), "      name: galton\n      config: {rows: 20}", "      name: gaussian", 1)
	var e *Error
	if _, err := Parse([]byte(gauss), "galton.yaml", Options{}); gauss == string(src) || !errors.As(err, &e) || e.Key != "study" {
		t.Errorf("a study on the gaussian simulator: %v", err)
	}
}

// MadMiner's observable names and definition strings load unchanged: the
// seven of the ZH study (dataset.observable_python_definitions of
// ../shared/reference/zh/reference.json), an observable named met (an
// object name) used by a cut, and Python's arithmetic on booleans in an
// efficiency. Expressions are compiled as the analysis compiles them.
func TestParseMadMinerNames(t *testing.T) {
	const card = `parameters:
  - name: cHW
    lha_block: smeft
    lha_id: 7
benchmarks:
  - name: sm
    values: {cHW: 0}
samples:
  - name: s
    lhe: s.lhe.gz
    sampled_from: sm
observables:
  - name: pt_h
    expr: "[x for x in p if abs(x.pdgid) == 25][0].pt"
  - name: pt_e1
    expr: "e[0].pt"
  - name: pt_e2
    expr: "e[1].pt"
  - name: eta_e1
    expr: "e[0].eta"
  - name: m_ee
    expr: "(e[0] + e[1]).m"
  - name: delta_phi_ee
    expr: "e[0].deltaphi(e[1])"
  - name: m_zh
    expr: "(e[0] + e[1] + [x for x in p if abs(x.pdgid) == 25][0]).m"
  - name: met
    expr: "met.pt"
  - name: ht
    expr: "sum(x.pt for x in e)"
cuts:
  - expr: "m_ee > 50."
  - expr: "met < 1000 and met.pt < 1000"
efficiencies:
  - expr: "1. * (e[0].pt > 50)"
  - expr: "True * 0.7 + 0.1 * (met > ht)"
`
	check := func(src string, known []string) error {
		c := observables.Compiler{Vars: known}
		_, err := c.Compile("expression", src)
		return err
	}
	c, err := Parse([]byte(card), "mm.yaml", Options{CheckExpr: check})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Observables) != 9 || c.Observables[7].Name != "met" || c.Efficiencies[0].Expr != "1. * (e[0].pt > 50)" {
		t.Errorf("observables %+v, efficiencies %+v", c.Observables, c.Efficiencies)
	}
	// The names must be those the analysis accepts, checked here at card load.
	bad := strings.Replace(card, "name: met", "name: if", 1)
	_, err = Parse([]byte(bad), "mm.yaml", Options{CheckExpr: check})
	var e *Error
	if !errors.As(err, &e) || e.Line != 27 || e.Key != "observables[7].name" || !strings.Contains(e.Msg, "Python keyword") {
		t.Errorf("keyword name: %v", err)
	}
}

// TestParseNonFiniteAndSizes checks that no number in a card may be NaN or
// infinite and that sizes which would ask for more memory than any machine
// has are errors at their line and key.
func TestParseNonFiniteAndSizes(t *testing.T) {
	src, err := os.ReadFile("zh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	zh := string(src)
	for _, c := range []struct{ old, new, key, msg string }{
		{"range: [-1.0, 1.0]", "range: [-1.0, .inf]", "parameters[0].range[1]", "want a finite number, got .inf"},
		{"theta_true: [0.0, 0.0]", "theta_true: [.nan, 0.0]", "limits.theta_true[0]", "want a finite number, got .nan"},
		{"alpha: 1.0", "alpha: -.Inf", "training[1].alpha", "want a finite number"},
		{"luminosity: 300000.0", "luminosity: .NaN", "fisher.luminosity", "want a finite number"},
		{"hidden: [50, 50]", "hidden: [100000]", "training[0].hidden[0]", "layer size 100000 is larger than 16384"},
		{"hidden: [50, 50]", "hidden: [10000, 10000]", "training[0].hidden", "hold more than 67108864 weights"},
		{"resolutions: [21]", "resolutions: [100000000]", "limits.grid.resolutions", "has more than 10000000 points"},
		{"bins: [5, 5]", "bins: [5000, 5000]", "fisher.items[3].bins", "make more than 1000000 cells"},
	} {
		if !strings.Contains(zh, c.old) {
			t.Fatalf("test bug: %q not in zh.yaml", c.old)
		}
		text := strings.Replace(zh, c.old, c.new, 1)
		line := strings.Count(text[:strings.Index(text, c.new)], "\n") + 1
		_, err := Parse([]byte(text), "zh.yaml", Options{})
		var e *Error
		if !errors.As(err, &e) || e.Key != c.key || !strings.Contains(e.Msg, c.msg) || e.Line != line {
			t.Errorf("%s: error %v, want %s at line %d: %s", c.new, err, c.key, line, c.msg)
		}
	}
}

// TestSimulatorKinds: a simulator campaign's fisher items and limit scans
// are checked at load against what a simulator offers, and unknown kinds
// and modes are card errors, not run-time surprises.
func TestSimulatorKinds(t *testing.T) {
	src, err := os.ReadFile("galton.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ old, new, key string }{
		{"{name: truth, kind: truth}", "{name: truth, kind: rate}", "fisher.items[0].kind"},
		{"{name: truth, kind: truth}", "{name: truth, kind: truht}", "fisher.items[0].kind"},
		{"{name: exact, mode: exact}", "{name: exact, mode: rate}", "limits.scans[0].mode"},
		{"{name: exact, mode: exact}", "{name: exact, mode: exactly}", "limits.scans[0].mode"},
	} {
		if !strings.Contains(string(src), tc.old) {
			t.Fatalf("test bug: %q not in galton.yaml", tc.old)
		}
		_, err := Parse([]byte(strings.Replace(string(src), tc.old, tc.new, 1)), "galton.yaml", Options{})
		var e *Error
		if !errors.As(err, &e) || e.Key != tc.key {
			t.Errorf("%s: error %v, want one at key %s", tc.new, err, tc.key)
		}
	}
	if !slices.Contains(FisherKinds(), FisherInfoHistogram) || len(SimulatorScanModes()) != 2 {
		t.Error("kind lists")
	}
}

// TestRatioTheta1 finds the single θ1 of the ratio sample a model trains
// on: a benchmark name, a point, or none.
func TestRatioTheta1(t *testing.T) {
	c, err := Load("zh.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b, p, ok := c.RatioTheta1("alices"); b != "sm" || p != nil || !ok {
		t.Errorf("alices: %q %v %v, want benchmark sm", b, p, ok)
	}
	for _, name := range []string{"sally", "nope"} {
		if _, _, ok := c.RatioTheta1(name); ok {
			t.Errorf("%s has a θ1", name)
		}
	}
	c.Sampling.Samples[1].Theta1 = &ThetaSpec{Points: [][]float64{{0.1, 0}}}
	if b, p, ok := c.RatioTheta1("alices"); b != "" || len(p) != 2 || p[0] != 0.1 || !ok {
		t.Errorf("alices at a point: %q %v %v", b, p, ok)
	}
	c.Sampling.Samples[1].Theta1 = &ThetaSpec{Points: [][]float64{{0.1, 0}, {0, 0}}}
	if _, _, ok := c.RatioTheta1("alices"); ok {
		t.Error("two θ1 points taken for one")
	}
}

// TestEventStudySection checks the study section of the events card
// zh_exact.yaml: it parses, and wrong θ0 ranges, grid sizes, unknown
// observables of a histogram or the features, and a negative alpha are
// errors naming their key.
func TestEventStudySection(t *testing.T) {
	src, err := os.ReadFile("zh_exact.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(src, "zh_exact.yaml", anyExpr)
	if err != nil {
		t.Fatal(err)
	}
	st := c.Study
	if len(st.SallyHidden) != 2 || !st.SallyScaledScores {
		t.Errorf("study section: sally_hidden %v, sally_scaled_scores %v", st.SallyHidden, st.SallyScaledScores)
	}
	if len(st.Methods) != 7 || len(st.Sizes) != 5 || st.Seeds != 3 || len(st.Histograms) != 2 ||
		st.Histograms[1].Name != "histo_2d" || len(st.Histograms[1].Observables) != 2 || st.Theta0Ranges[1] != [2]float64{-0.2, 0.2} {
		t.Errorf("study section %+v", st)
	}
	for _, tc := range []struct{ old, new, key string }{
		{"theta0_ranges: [[-1.0, 1.0], [-0.2, 0.2]]", "theta0_ranges: [[-1.0, 1.0]]", "study.theta0_ranges"},
		{"theta0_ranges: [[-1.0, 1.0], [-0.2, 0.2]]", "theta0_ranges: [[-1.0, 1.0], [0.2, -0.2]]", "study.theta0_ranges[1]"},
		{"grid: [10, 5]", "grid: [10, 0]", "study.grid[1]"},
		{"grid: [10, 5]", "grid: [10]", "study.grid"},
		{"observables: [pt_z, m_zh]", "observables: [pt_z, m_zzz]", "study.histograms[1]"},
		{"grid: [10, 5]", "grid: [10, 5]\n  features: [pt_q]", "study.features[0]"},
		{"grid: [10, 5]", "grid: [10, 5]\n  alpha: -1", "study"},
		{"grid: [10, 5]", "grid: [10, 5]\n  hidden: [-3]", "study.hidden[0]"},
		{"sally_hidden: [100, 100]", "sally_hidden: [100, 0]", "study.sally_hidden[1]"},
	} {
		if !strings.Contains(string(src), tc.old) {
			t.Fatalf("test bug: %q not in zh_exact.yaml", tc.old)
		}
		_, err := Parse([]byte(strings.Replace(string(src), tc.old, tc.new, 1)), "zh_exact.yaml", anyExpr)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: error %v", tc.key, err)
		}
		if e.Key != tc.key {
			t.Errorf("error %v, want key %s", err, tc.key)
		}
	}
}

// anyExpr accepts every expression (the observables' expressions need the
// expression language of package observables, which the pipeline checks).
var anyExpr = Options{CheckExpr: func(string, []string) error { return nil }}
