// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

var regen = flag.Bool("regen", false, "rewrite the synthetic LHE files in testdata")

// synth describes a small LHE file for the normalisation tests.
type synth struct {
	head      string // text before <init> (comments, <header>)
	mode      int    // IDWTUP
	procs     []Process
	weights   []float64 // XWGTUP per event
	procIDs   []int     // IDPRUP per event; nil means the first process
	eventTag  string    // "<event>" unless set
	initExtra string    // lines after the process lines in <init>
	blocks    [][]float64
	blockTag  string // "weights" (LHEF 3 <weights>) or "rwgt"
	ids       []string
}

func (s synth) text() string {
	var b strings.Builder
	b.WriteString("<LesHouchesEvents version=\"3.0\">\n")
	b.WriteString(s.head)
	fmt.Fprintf(&b, "<init>\n 2212 2212 6.5000000E+03 6.5000000E+03 -1 -1 -1 -1 %d %d\n", s.mode, len(s.procs))
	for _, p := range s.procs {
		fmt.Fprintf(&b, " %.7E %.7E %.7E %d\n", p.XSec, p.XErr, p.XMax, p.ID)
	}
	b.WriteString(s.initExtra)
	b.WriteString("</init>\n")
	tag := s.eventTag
	if tag == "" {
		tag = "<event>"
	}
	for i, w := range s.weights {
		id := s.procs[0].ID
		if s.procIDs != nil {
			id = s.procIDs[i]
		}
		b.WriteString(tag + "\n")
		fmt.Fprintf(&b, " 3 %d %.10E 9.1188000E+01 7.5467711E-03 1.1800000E-01\n", id, w)
		b.WriteString(" 21 -1 0 0 501 502 0.0000000000E+00 0.0000000000E+00 +4.5000000000E+01 4.5000000000E+01 0.0000000000E+00 0.0000E+00 9.0000E+00\n")
		b.WriteString(" 21 -1 0 0 502 501 0.0000000000E+00 0.0000000000E+00 -4.5000000000E+01 4.5000000000E+01 0.0000000000E+00 0.0000E+00 9.0000E+00\n")
		b.WriteString(" 22 1 1 2 0 0 0.0000000000E+00 0.0000000000E+00 0.0000000000E+00 9.0000000000E+01 0.0000000000E+00 0.0000E+00 9.0000E+00\n")
		if s.blocks != nil {
			switch s.blockTag {
			case "rwgt":
				b.WriteString("<rwgt>\n")
				for k, v := range s.blocks[i] {
					fmt.Fprintf(&b, "<wgt id='%s'> %.5E </wgt>\n", s.ids[k], v)
				}
				b.WriteString("</rwgt>\n")
			default:
				b.WriteString("<weights>\n")
				for _, v := range s.blocks[i] {
					fmt.Fprintf(&b, "%.5E\n", v)
				}
				b.WriteString("</weights>\n")
			}
		}
		b.WriteString("</event>\n")
	}
	b.WriteString("</LesHouchesEvents>\n")
	return b.String()
}

// tally reads every event of the LHE text (or file) and normalises.
func tallyText(t *testing.T, name, text, override string) (*Normalization, *Header) {
	t.Helper()
	r, err := NewReader(strings.NewReader(text), name)
	if err != nil {
		t.Fatal(err)
	}
	return tallyReader(t, r, override)
}

func tallyReader(t *testing.T, r *Reader, override string) (*Normalization, *Header) {
	t.Helper()
	h := r.Header()
	tl, err := NewTally(r.name, h.Declaration(), override)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		ev := r.Event()
		tl.Add(ev.ProcID, ev.Weight)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	n, err := tl.Result()
	if err != nil {
		t.Fatal(err)
	}
	return n, h
}

func repeat(w float64, n int) []float64 {
	ws := make([]float64, n)
	for i := range ws {
		ws[i] = w
	}
	return ws
}

// scaledSum is Σ Scale(proc)·w, which must equal XSec.
func scaledSum(n *Normalization, s synth) float64 {
	var sum float64
	for i, w := range s.weights {
		id := s.procs[0].ID
		if s.procIDs != nil {
			id = s.procIDs[i]
		}
		sum += n.Scale(id) * w
	}
	return sum
}

// TestNormalizationRules checks each rule on small files whose cross
// section is known by construction.
func TestNormalizationRules(t *testing.T) {
	one := []Process{{XSec: 12.5, XErr: 0.1, XMax: 1, ID: 1}}
	two := []Process{{XSec: 5.2, XErr: 0.5, XMax: 1, ID: 81}, {XSec: 0.26, XErr: 0.1, XMax: 1, ID: 82}}
	runCard := func(norm string) string {
		return "<header>\n<MGRunCard>\n<![CDATA[\n  10 = nevents ! n\n  " + norm + " = event_norm ! norm\n]]>\n</MGRunCard>\n</header>\n"
	}
	mixed := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	for _, tc := range []struct {
		name     string
		s        synth
		override string
		rule     Norm
		xsec     float64
		warn     string // substring of a warning; "" means no warning
	}{
		{"IDWTUP 3 unit weights", synth{mode: 3, procs: one, weights: repeat(1, 10)}, "", NormHeader, 12.5, ""},
		{"IDWTUP -3 signed unit weights", synth{mode: -3, procs: one, weights: []float64{1, 1, -1, 1, 1, 1}}, "", NormHeader, 12.5, ""},
		{"IDWTUP 3 two processes", synth{mode: 3, procs: two, weights: mixed, procIDs: []int{81, 81, 81, 81, 81, 81, 82, 82}}, "", NormHeader, 5.46, ""},
		{"IDWTUP 2 relative weights per process", synth{mode: 2, procs: two, weights: []float64{3, 1, 2, 7, 700, 100}, procIDs: []int{81, 81, 81, 81, 82, 82}}, "", NormHeader, 5.46, ""},
		{"IDWTUP 4 pb weights", synth{mode: 4, procs: one, weights: []float64{12, 13, 12.5, 12.5}}, "", NormAverage, 12.5, ""},
		{"IDWTUP 1 pb weights", synth{mode: 1, procs: one, weights: []float64{11, 14, 12.5, 12.5}}, "", NormAverage, 12.5, ""},
		{"IDWTUP -4 no header", synth{mode: -4, procs: []Process{{XSec: -1, XErr: -1, XMax: 1, ID: 1}}, weights: []float64{2, -1, 5}}, "", NormAverage, 2, ""},
		{"IDWTUP -4 weights that sum to the header", synth{mode: -4, procs: one, weights: repeat(1.25, 10)}, "", NormSum, 12.5, "sum to the cross section of <init>"},
		{"IDWTUP -4 contradicted", synth{mode: -4, procs: one, weights: repeat(3, 10)}, "", NormAverage, 3, "combined standard errors"},
		{"IDWTUP 3 without header", synth{mode: 3, procs: []Process{{XSec: 0, ID: 1}}, weights: repeat(2, 4)}, "", NormAverage, 2, "states no cross section"},
		{"IDWTUP 3 with sum-normalised weights", synth{mode: 3, procs: one, weights: repeat(1.25, 10)}, "", NormHeader, 12.5, ""},
		{"IDWTUP 7", synth{mode: 7, procs: one, weights: repeat(12.5, 3)}, "", NormAverage, 12.5, ""},
		{"run card sum", synth{head: runCard("sum"), mode: -4, procs: one, weights: repeat(1.25, 10)}, "", NormSum, 12.5, ""},
		{"run card average", synth{head: runCard("average"), mode: -4, procs: one, weights: repeat(12.5, 10)}, "", NormAverage, 12.5, ""},
		{"run card unity", synth{head: runCard("unity"), mode: -3, procs: one, weights: repeat(1, 10)}, "", NormHeader, 12.5, ""},
		{"run card bias", synth{head: runCard("bias"), mode: -4, procs: one, weights: []float64{10, 15, 12.5}}, "", NormBias, 12.5, ""},
		{"run card beats IDWTUP", synth{head: runCard("average"), mode: -4, procs: one, weights: repeat(1.25, 10)}, "", NormAverage, 1.25, "combined standard errors"},
		{"card override sum", synth{mode: 3, procs: one, weights: repeat(2, 5)}, "sum", NormSum, 10, "combined standard errors"},
		{"card override unity", synth{mode: -4, procs: one, weights: repeat(3, 5)}, "unity", NormHeader, 12.5, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, _ := tallyText(t, "test.lhe", tc.s.text(), tc.override)
			if n.Rule != tc.rule {
				t.Errorf("rule %s (%s), want %s", n.Rule, n.Reason, tc.rule)
			}
			if math.Abs(n.XSec-tc.xsec) > 1e-9*tc.xsec {
				t.Errorf("σ = %.12g, want %.12g", n.XSec, tc.xsec)
			}
			if got := scaledSum(n, tc.s); math.Abs(got-n.XSec) > 1e-9*math.Abs(n.XSec) {
				t.Errorf("Σ scale·w = %.12g, σ = %.12g", got, n.XSec)
			}
			warnings := strings.Join(n.Warnings, "\n")
			switch {
			case tc.warn == "" && len(n.Warnings) > 0:
				t.Errorf("unexpected warnings:\n%s", warnings)
			case tc.warn != "" && !strings.Contains(warnings, tc.warn):
				t.Errorf("warnings lack %q:\n%s", tc.warn, warnings)
			case tc.warn != "" && !strings.Contains(warnings, "test.lhe"):
				t.Errorf("warnings do not name the file:\n%s", warnings)
			}
		})
	}
}

// TestPerProcessScales checks that IDWTUP 2 shares each process's
// XSECUP among its own events: the relative weights of different
// processes are in unrelated units.
func TestPerProcessScales(t *testing.T) {
	s := synth{mode: 2, procs: []Process{{XSec: 5.2, ID: 81}, {XSec: 0.26, ID: 82}}, weights: []float64{3, 1, 700, 100}, procIDs: []int{81, 81, 82, 82}}
	n, _ := tallyText(t, "two.lhe", s.text(), "")
	if n.Uniform() {
		t.Fatal("one factor for two processes of IDWTUP 2")
	}
	if got, want := n.Scale(81), 5.2/4; math.Abs(got-want) > 1e-12 {
		t.Errorf("scale of process 81 = %g, want %g", got, want)
	}
	if got, want := n.Scale(82), 0.26/800; math.Abs(got-want) > 1e-15 {
		t.Errorf("scale of process 82 = %g, want %g", got, want)
	}
}

func TestNormalizationErrors(t *testing.T) {
	s := synth{head: "<header>\n<MGRunCard>\n  weird = event_norm\n</MGRunCard>\n</header>\n", mode: -4, procs: []Process{{XSec: 1, ID: 1}}, weights: []float64{1}}
	r, err := NewReader(strings.NewReader(s.text()), "bad.lhe")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewTally("bad.lhe", r.Header().Declaration(), ""); err == nil || !strings.Contains(err.Error(), "bad.lhe") || !strings.Contains(err.Error(), `"weird"`) {
		t.Errorf("unknown run card event_norm: %v", err)
	}
	if _, err := NewTally("x.lhe", Declaration{WeightMode: 3}, "averaged"); err == nil || !strings.Contains(err.Error(), "averaged") {
		t.Errorf("unknown override: %v", err)
	}
	tl, err := NewTally("empty.lhe", Declaration{WeightMode: 3}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tl.Result(); err == nil || !strings.Contains(err.Error(), "empty.lhe") {
		t.Errorf("no events: %v", err)
	}
}

// synthSherpa is a stand-in for Sherpa 3's LHEF output of e+e- → jjj
// (SHERPA/Tools/Output_LHEF.C): the <init> block is written before the
// integration, with the placeholders XSECUP = XERRUP = XMAXUP = 1 and
// IDWTUP = 3 for unweighted generation, and each event weight is the
// cross section in pb (mean 675.65 pb here, as in the Sherpa file of the
// issue). 40 events.
func synthSherpa() synth {
	ws := make([]float64, 40)
	for i := range ws {
		// Partially unweighted: ±2% and ±4% around 675.65 in blocks of
		// five, so that the mean is exactly 675.65.
		ws[i] = 675.65 * (1 + 0.02*float64(i%5-2))
	}
	return synth{
		head:     "<header>\n<!-- \n# created by SHERPA 3.0.0\n# Run data extracted from : Sherpa.yaml\n--> \n<SHRunCard> \nBEAMS: [11, -11]\nBEAM_ENERGIES: 45.6\nEVENT_GENERATION_MODE: Unweighted\n</SHRunCard> \n</header>\n",
		mode:     3,
		procs:    []Process{{XSec: 1, XErr: 1, XMax: 1, ID: 1}},
		weights:  ws,
		eventTag: "<event trials='1'>",
	}
}

// powhegScaleIDs are the scale variations of synthPOWHEGPhoton.
var powhegScaleIDs = []string{"MUR2.0_MUF2.0", "MUR0.5_MUF0.5", "MUR1.0_MUF2.0", "MUR1.0_MUF0.5", "MUR2.0_MUF1.0", "MUR0.5_MUF1.0"}

// synthPOWHEGPhoton is a stand-in for the POWHEG-BOX-V2 direct-photon file
// of the issue: IDWTUP -4, no cross section in <init> (XSECUP -1), weighted
// events (XWGTUP from 2 to about 1e9 pb, mean about 3.29e7 pb), and an
// LHEF 3 <weights> block whose nominal ("default") is in another
// normalisation than XWGTUP (event 1: XWGTUP 2.009, default 0.0026, scale
// variations 0.0020 ... 0.0034). 100 events.
func synthPOWHEGPhoton() synth {
	const n = 100
	s := synth{
		head: "<!--\nfile generated with POWHEG-BOX-V2\nInput file powheg.input contained:\nbornsuppfact 2000d0\nEnd of powheg.input content\n-->\n<header>\n<initrwgt>\n" +
			"<weightgroup name='nominal' combine='None' >\n<weight id='default' >default</weight>\n</weightgroup>\n" +
			"<weightgroup name='scale_variations' combine='None' >\n",
		mode:  -4,
		procs: []Process{{XSec: -1, XErr: -1, XMax: 1, ID: 10001}},
	}
	facs := [][2]float64{{2, 2}, {0.5, 0.5}, {1, 2}, {1, 0.5}, {2, 1}, {0.5, 1}}
	for k, id := range powhegScaleIDs {
		s.head += fmt.Sprintf("<weight id='%s' > renscfact=%gd0 facscfact=%gd0 </weight>\n", id, facs[k][0], facs[k][1])
	}
	s.head += "</weightgroup>\n</initrwgt>\n</header>\n"
	// Event 1 is the issue's; the others spread over nine decades, with a
	// block normalisation that drifts around 1/773 of XWGTUP.
	x := []float64{2.009}
	block := [][]float64{{0.0026, 0.0020, 0.0034, 0.0022, 0.0030, 0.0021, 0.0032}}
	for i := 1; i < n; i++ {
		w := 2 * math.Pow(10, 9*float64((i*37)%n)/n)
		if i%9 == 0 {
			w = -w / 10
		}
		nom := w / 773 * (1 + 0.1*math.Sin(float64(i)))
		b := []float64{nom}
		for k := range facs {
			b = append(b, nom*(0.77+0.09*float64(k)+0.01*math.Cos(float64(i+k))))
		}
		x = append(x, w)
		block = append(block, b)
	}
	s.weights, s.blocks, s.blockTag = x, block, "weights"
	return s
}

// TestSyntheticFiles checks the committed stand-ins for the Sherpa and
// POWHEG direct-photon files against their generators (go test -regen
// rewrites them) and normalises them.
func TestSyntheticFiles(t *testing.T) {
	for _, f := range []struct {
		name string
		s    synth
	}{
		{"sherpa3_eejjj_synthetic_40ev.lhe", synthSherpa()},
		{"powheg_directphoton_synthetic_100ev.lhe", synthPOWHEGPhoton()},
	} {
		path := filepath.Join("testdata", f.name)
		text := f.s.text()
		if *regen {
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./lhe -run TestSyntheticFiles -regen writes it)", err)
		}
		if string(b) != text {
			t.Errorf("%s differs from its generator (go test ./lhe -run TestSyntheticFiles -regen)", path)
		}
	}

	// Sherpa: the weights are the cross section; <init> is a placeholder.
	n, _ := tallyText(t, "sherpa.lhe", synthSherpa().text(), "")
	if n.Rule != NormAverage || math.Abs(n.XSec-675.65) > 1e-9 {
		t.Errorf("Sherpa: rule %s, σ = %.10g pb, want average, 675.65 pb", n.Rule, n.XSec)
	}
	if w := strings.Join(n.Warnings, "\n"); !strings.Contains(w, "sherpa.lhe") || !strings.Contains(w, "not 1 (mean 675.65") {
		t.Errorf("Sherpa: warning lacks the file or the evidence:\n%s", w)
	}

	// POWHEG direct photon: average of XWGTUP, no header to compare with.
	s := synthPOWHEGPhoton()
	n, h := tallyText(t, "photon.lhe", s.text(), "")
	var mean float64
	for _, w := range s.weights {
		mean += w
	}
	mean /= float64(len(s.weights))
	if n.Rule != NormAverage || n.HasHeader || math.Abs(n.XSec-mean) > 1e-6*math.Abs(mean) || len(n.Warnings) > 0 {
		t.Errorf("POWHEG photon: %+v, want average with σ = %g and no header", n, mean)
	}
	if mean < 1e7 || mean > 1e8 {
		t.Errorf("the stand-in's mean weight %g is not of the issue's size (3.29e7)", mean)
	}
	k, ok := h.NominalWeight()
	if !ok || h.Weights[k].ID != "default" {
		t.Fatalf("nominal weight %d %v, want 'default'", k, ok)
	}
}

func TestNominalWeight(t *testing.T) {
	for _, tc := range []struct {
		file, want string
	}{
		{"powheg_hvq_45weights_6ev.lhe", "MUR1.0_MUF1.0_PDF99208082"}, // group 'nominal'
		{"wbj_lhef3_9scale_rwgt_59ev.lhe", "1001"},                    // muR=1 muF=1
		{"powheg_W_1rwgt_100ev.lhe", ""},                              // one PDF weight, no scales
	} {
		r, err := Open(repotest.Shared(t, "data/lhe/"+tc.file))
		if err != nil {
			t.Fatal(err)
		}
		h := r.Header()
		r.Close()
		k, ok := h.NominalWeight()
		got := ""
		if ok {
			got = h.Weights[k].ID
		}
		if got != tc.want {
			t.Errorf("%s: nominal weight %q, want %q", tc.file, got, tc.want)
		}
	}
	// An id-only declaration (Sherpa, POWHEG) at the lowest PDF id, or at
	// the PDF of <init>.
	h := &Header{Weights: []WeightInfo{{ID: "MUR2_MUF1_PDF260000"}, {ID: "MUR1_MUF1_PDF260001"}, {ID: "MUR1_MUF1_PDF260000"}, {ID: "MUR1_MUF1_PDF13000"}}}
	if k, ok := h.NominalWeight(); !ok || k != 3 {
		t.Errorf("id form: nominal %d %v, want 3 (lowest PDF id)", k, ok)
	}
	h.Init.PDFSets = [2]int{260000, 260000}
	if k, ok := h.NominalWeight(); !ok || k != 2 {
		t.Errorf("id form with PDFSUP 260000: nominal %d %v, want 2", k, ok)
	}
	// MG5 systematics: MUR = MUF = 1 at the run's lhaid, not a
	// dynamical-scale alternative.
	r, err := Open(repotest.Shared(t, "data/lhe/ppjj_145syst_1000ev.lhe.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h = r.Header()
	k, ok := h.NominalWeight()
	if !ok {
		t.Fatal("ppjj: no nominal weight")
	}
	w := h.Weights[k]
	if w.Params["MUR"] != 1 || w.Params["MUF"] != 1 || w.Params["PDF"] != 247000 || w.Params["DYN_SCALE"] != 0 {
		t.Errorf("ppjj: nominal %q %v", w.ID, w.Params)
	}
	for i := 0; i < 50 && r.Next(); i++ {
		ev := r.Event()
		if math.Abs(ev.Weights[k]-ev.Weight) > 1e-6*math.Abs(ev.Weight) {
			t.Errorf("ppjj event %d: nominal weight %q = %g, XWGTUP %g", i, w.ID, ev.Weights[k], ev.Weight)
		}
	}
}

// TestSharedFilesCrossSections lists every LHE file of ../shared/data/lhe
// with the rule goldmine applies, its cross section and the one the header
// states, and checks that the two agree within the stated error plus the
// sample's Monte Carlo error wherever the header states one (and follow
// the weighting mode where it does not).
func TestSharedFilesCrossSections(t *testing.T) {
	dir := repotest.Shared(t, "data/lhe")
	want := map[string]struct {
		rule Norm
		xsec float64 // 0: the header's
	}{
		"idm_10ev.lhe":                        {NormAverage, 0},
		"powheg_W_1rwgt_100ev.lhe":            {NormAverage, 4911.62},
		"powheg_hvq_45weights_6ev.lhe":        {NormAverage, 3.7151e6},
		"pythia6_ttbar_100ev.lhe":             {NormHeader, 5.4803624},
		"pythia8_weakbosons_100ev.lhe":        {NormHeader, 48.76776},
		"wbj_amcnlo_lhef3_9scale_59ev.lhe":    {NormAverage, 50.109093},
		"wbj_lhef3_9scale_rwgt_59ev.lhe":      {NormAverage, 50.109093},
		"whizard3_eeWW_10ev.lhe":              {NormHeader, 7.1988749153},
		"mumu_ee_10000ev.lhe.gz":              {NormAverage, 0},
		"ppjj_145syst_1000ev.lhe.gz":          {NormAverage, 0},
		"vbf_aa_background_10000ev.lhe.gz":    {NormAverage, 0},
		"zh_smeft_cHW_cHq3_30000ev.lhe.gz":    {NormAverage, 0},
		"zh_smeft_cHW_cHq3_5000ev.lhe.gz":     {NormAverage, 0},
		"zh_smeft_flat_weights_5000ev.lhe.gz": {NormAverage, 0},
		"zz_2l2v_19rwgt_10000ev.lhe.gz":       {NormAverage, 0},
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.lhe*"))
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		// The 30000-event file alone takes a second; the table is the same.
		delete(want, "zh_smeft_cHW_cHq3_30000ev.lhe.gz")
	}
	t.Logf("%-38s %-8s %14s %14s %12s  %s", "file", "rule", "goldmine σ/pb", "header σ/pb", "± (hdr+MC)", "why")
	seen := 0
	for _, path := range files {
		name := filepath.Base(path)
		w, ok := want[name]
		if !ok {
			if !testing.Short() || name != "zh_smeft_cHW_cHq3_30000ev.lhe.gz" {
				t.Errorf("%s: no expectation for this file; add it to the table", name)
			}
			continue
		}
		seen++
		r, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := tallyReader(t, r, "")
		r.Close()
		tol := n.HeaderErr + n.XSecErr
		hdr := "none"
		if n.HasHeader {
			hdr = fmt.Sprintf("%.7g", n.HeaderXSec)
		}
		t.Logf("%-38s %-8s %14.7g %14s %12.3g  %s", name, n.Rule, n.XSec, hdr, tol, n.Reason)
		if n.Rule != w.rule {
			t.Errorf("%s: rule %s, want %s", name, n.Rule, w.rule)
		}
		if len(n.Warnings) > 0 {
			t.Errorf("%s: warnings %q", name, n.Warnings)
		}
		if n.HasHeader && math.Abs(n.XSec-n.HeaderXSec) > tol+1e-6*n.HeaderXSec {
			t.Errorf("%s: σ = %.7g pb, header %.7g pb: apart by more than %.3g", name, n.XSec, n.HeaderXSec, tol)
		}
		if x := w.xsec; x != 0 && math.Abs(n.XSec-x) > 1e-5*math.Abs(x) {
			t.Errorf("%s: σ = %.10g pb, want %.10g pb", name, n.XSec, x)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d expected files found in %s", seen, len(want), dir)
	}
}
