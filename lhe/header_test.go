// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

func openData(t *testing.T, name string) *Reader {
	t.Helper()
	r, err := Open(filepath.Join(repotest.Shared(t, "data/lhe"), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestZHFirstEvent checks the first event of the ZH sample against the
// numbers read by eye from the file: zcat zh_smeft_cHW_cHq3_5000ev.lhe.gz,
// lines 507-522.
func TestZHFirstEvent(t *testing.T) {
	r := openData(t, "zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	if !r.Next() {
		t.Fatal(r.Err())
	}
	ev := r.Event()
	// line 508: " 6      1 +1.9031000e-02 2.55747500e+02 7.56146200e-03 1.10972500e-01"
	if ev.Index != 0 || ev.Line != 507 || ev.ProcID != 1 || ev.Weight != 1.9031000e-02 ||
		ev.Scale != 2.55747500e+02 || ev.AQED != 7.56146200e-03 || ev.AQCD != 1.10972500e-01 {
		t.Errorf("event header: got %+v", ev)
	}
	// lines 509-514.
	want := []Particle{
		{PDGID: -1, Status: -1, Colors: [2]int{0, 501}, Px: 0, Py: 0, Pz: 4.0258082934e+01, E: 4.0258082934e+01, M: 0, Lifetime: 0, Spin: 1},
		{PDGID: 1, Status: -1, Colors: [2]int{501, 0}, Px: 0, Py: 0, Pz: -4.0617178895e+02, E: 4.0617178895e+02, M: 0, Lifetime: 0, Spin: -1},
		{PDGID: 23, Status: 2, Mothers: [2]int{1, 2}, Px: 2.3024765362e+01, Py: 4.9637370214e+01, Pz: -2.2002700961e+02, E: 2.4661884959e+02, M: 9.7030735719e+01},
		{PDGID: -11, Status: 1, Mothers: [2]int{3, 3}, Px: 3.0563229328e+01, Py: -1.1621750881e+01, Pz: -1.4889024430e+02, E: 1.5243844964e+02, M: 0, Spin: -1},
		{PDGID: 11, Status: 1, Mothers: [2]int{3, 3}, Px: -7.5384639661e+00, Py: 6.1259121095e+01, Pz: -7.1136765303e+01, E: 9.4180399947e+01, M: 0, Spin: 1},
		{PDGID: 25, Status: 1, Mothers: [2]int{1, 2}, Px: -2.3024765362e+01, Py: -4.9637370214e+01, Pz: -1.4588669641e+02, E: 1.9981102229e+02, M: 1.2509000000e+02},
	}
	if len(ev.Particles) != len(want) {
		t.Fatalf("got %d particles, want %d", len(ev.Particles), len(want))
	}
	// "-0.0000000000e+00" keeps its sign (line 509 px, line 510 py).
	if !math.Signbit(ev.Particles[0].Px) || math.Signbit(ev.Particles[0].Py) || !math.Signbit(ev.Particles[1].Py) {
		t.Errorf("signed zeros lost: %v %v %v", ev.Particles[0].Px, ev.Particles[0].Py, ev.Particles[1].Py)
	}
	for i, p := range ev.Particles {
		if p != want[i] {
			t.Errorf("particle %d:\ngot  %+v\nwant %+v", i, p, want[i])
		}
	}
	// lines 516-520.
	wantW := []float64{1.2515099e-02, 2.3576964e-02, 8.0729833e-03, 4.8858411e-02, 2.4783999e-03}
	for i, w := range wantW {
		if ev.Weights[i] != w {
			t.Errorf("weight %d: got %v, want %v", i, ev.Weights[i], w)
		}
	}
}

// TestZHHeader checks the banner of the ZH sample: run card, param card,
// init block and the reweighting ParamSets against MadMiner's benchmarks.
func TestZHHeader(t *testing.T) {
	for _, name := range []string{"zh_smeft_cHW_cHq3_5000ev.lhe.gz", "zh_smeft_cHW_cHq3_30000ev.lhe.gz"} {
		t.Run(name, func(t *testing.T) {
			r := openData(t, name)
			h := r.Header()
			if h.Version != "3.0" {
				t.Errorf("version %q", h.Version)
			}
			// Run card lines 153, 197, 307 of the 5000-event file:
			// "  5000	= nevents", "  average	= event_norm",
			// "  False	= use_syst"; line 297 is a commented-out
			// "#   False = use_syst" that must not count.
			wantRC := map[string]string{"event_norm": "average", "use_syst": "False", "lpp1": "1", "ebeam1": "6500.0"}
			if strings.Contains(name, "30000") {
				wantRC["nevents"] = "30000"
			} else {
				wantRC["nevents"] = "5000"
			}
			for k, v := range wantRC {
				if got := h.RunCard[k]; got != v {
					t.Errorf("run card %s = %q, want %q", k, got, v)
				}
			}
			// <slha> lines 317-342: mass 25 = 1.250900e+02, mass 23 =
			// 9.118760e+01, smeft 7 = 0, decay 9000008 = 4.070000e-03,
			// qnumbers 9000006 id 1 = 3.
			pb := h.ParamBlocks
			checks := []struct {
				block string
				id    int
				want  float64
			}{
				{"mass", 25, 125.09}, {"mass", 23, 91.1876}, {"mass", 9000006, 80.387},
				{"smeft", 7, 0}, {"smeft", 25, 0}, {"decay", 9000008, 4.07e-3},
				{"qnumbers 9000006", 1, 3},
			}
			for _, c := range checks {
				v, ok := pb[c.block][c.id]
				if !ok || v != c.want {
					t.Errorf("param card %s %d = %v (%v), want %v", c.block, c.id, v, ok, c.want)
				}
			}
			if !strings.Contains(h.ParamCard, "BLOCK SMEFT") || !strings.HasPrefix(h.ParamCard, "######") {
				t.Errorf("param card text not kept: %.60q", h.ParamCard)
			}
			// <init> lines 503-504.
			in := h.Init
			if in.Beams != [2]int{2212, 2212} || in.Energies != [2]float64{6500, 6500} ||
				in.PDFSets != [2]int{247000, 247000} || in.WeightMode != -4 || len(in.Processes) != 1 || in.Processes[0].ID != 1 {
				t.Errorf("init: %+v", in)
			}

			// ParamSets against MadMiner's benchmarks (cHW = smeft 7,
			// cHq3 = smeft 25): reference/zh/reference.json
			// setup.benchmarks_after_set_morphing. The LHE file writes 7
			// significant digits.
			ref := loadBenchmarks(t)
			if len(h.WeightGroups) != 1 || h.WeightGroups[0].Name != "mg_reweighting" || len(h.WeightGroups[0].Weights) != 5 {
				t.Fatalf("weight groups: %+v", h.WeightGroups)
			}
			if len(h.Weights) != 5 {
				t.Fatalf("%d weights", len(h.Weights))
			}
			for i, w := range h.Weights {
				id := fmt.Sprintf("morphing_basis_vector_%d", i+1)
				if w.ID != id || w.Group != "mg_reweighting" {
					t.Errorf("weight %d: id %q group %q", i, w.ID, w.Group)
				}
				b, ok := ref[id]
				if !ok {
					t.Fatalf("benchmark %s not in reference.json", id)
				}
				if len(w.ParamSets) != 2 {
					t.Fatalf("%s: %d ParamSets: %+v", id, len(w.ParamSets), w.ParamSets)
				}
				want := []ParamSet{{"smeft", 7, b["cHW"]}, {"smeft", 25, b["cHq3"]}}
				for k, ps := range w.ParamSets {
					if ps.Block != want[k].Block || ps.ID != want[k].ID || math.Abs(ps.Value-want[k].Value) > 5e-7*math.Max(1, math.Abs(want[k].Value)) {
						t.Errorf("%s set %d: got %+v, want %+v", id, k, ps, want[k])
					}
				}
			}
		})
	}
}

func loadBenchmarks(t *testing.T) map[string]map[string]float64 {
	t.Helper()
	path := filepath.Join(repotest.Shared(t, "data/lhe"), "..", "..", "reference", "zh", "reference.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("reference not found: %v", err)
	}
	var ref struct {
		Setup struct {
			Benchmarks map[string]map[string]float64 `json:"benchmarks_after_set_morphing"`
		} `json:"setup"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Setup.Benchmarks
}

// TestSystematicsWeights checks the 145 MG5 systematics weights of the
// ppjj sample: every weight has numeric MUR, MUF and PDF, compared with an
// independent scan of the header text (regular expressions over the
// <weight> tags, lines 355-503 of the decompressed file).
func TestSystematicsWeights(t *testing.T) {
	path := filepath.Join(repotest.Shared(t, "data/lhe"), "ppjj_145syst_1000ev.lhe.gz")
	text := string(rawText(t, path))
	r := openData(t, "ppjj_145syst_1000ev.lhe.gz")
	h := r.Header()
	if len(h.Weights) != 145 {
		t.Fatalf("got %d weights, want 145", len(h.Weights))
	}
	// Independent: each <weight ...> tag's attributes with a regexp.
	tags := regexpAll(`<weight id="(\d+)"([^>]*)>`, text)
	attr := regexpCompile(`(\w+)="([^"]*)"`)
	if len(tags) != 145 {
		t.Fatalf("independent scan found %d weight tags", len(tags))
	}
	for i, m := range tags {
		w := &h.Weights[i]
		if w.ID != m[1] {
			t.Fatalf("weight %d: id %q, want %q", i, w.ID, m[1])
		}
		want := map[string]float64{}
		for _, a := range attr.FindAllStringSubmatch(m[2], -1) {
			want[a[1]] = strconvFloat(t, a[2])
		}
		for _, k := range []string{"MUR", "MUF", "PDF"} {
			if _, ok := want[k]; !ok {
				t.Fatalf("weight %s: independent scan has no %s", w.ID, k)
			}
		}
		for k, v := range want {
			if got, ok := w.Param(k); !ok || got != v {
				t.Errorf("weight %s: %s = %v (%v), want %v", w.ID, k, got, ok, v)
			}
		}
	}
	// Spot checks read from the file (lines 357, 402 and 503).
	w2 := h.Weights[1]
	if w2.Params["MUR"] != 0.5 || w2.Params["MUF"] != 0.5 || w2.Params["DYN_SCALE"] != 1 || w2.Params["PDF"] != 247000 {
		t.Errorf("weight 2: %v", w2.Params)
	}
	w46 := h.Weights[45]
	if w46.ID != "46" || w46.Params["PDF"] != 247001 || w46.Params["MEMBERID"] != 1 || w46.Group != "NNPDF23_lo_as_0130_qed" {
		t.Errorf("weight 46: %+v", w46)
	}
	if g := h.WeightGroups; len(g) != 2 || g[0].Name != "Central scale variation" || len(g[0].Weights) != 44 ||
		g[1].Attrs["combine"] != "replicas" || len(g[1].Weights) != 101 || g[1].Weights[0] != 44 {
		t.Errorf("groups: %d %+v", len(g), g)
	}
}

// TestOtherDialects checks header details of non-MG5-LO files.
func TestOtherDialects(t *testing.T) {
	// wbj_amcnlo: <weight id="1001"> muR=0.10000E+01 muF=0.10000E+01 </weight>
	// (line 291), muR/muF only in the body.
	r := openData(t, "wbj_amcnlo_lhef3_9scale_59ev.lhe")
	h := r.Header()
	if w := h.Weights[1]; w.ID != "1002" || w.Params["MUR"] != 1 || w.Params["MUF"] != 2 || w.Group != "scale_variation" {
		t.Errorf("wbj weight 1002: %+v", w)
	}
	// The second wbj file repeats <initrwgt> inside <init> (lines 307-320):
	// ids are kept once.
	r = openData(t, "wbj_lhef3_9scale_rwgt_59ev.lhe")
	if h := r.Header(); len(h.Weights) != 9 || len(h.WeightGroups) != 1 {
		t.Errorf("repeated initrwgt: %d weights, %d groups", len(h.Weights), len(h.WeightGroups))
	}
	// powheg_hvq: negative event weights (2 events, counted with awk on
	// the third field of the event line) and LHEF 3 <weights> blocks with
	// one value per line.
	r = openData(t, "powheg_hvq_45weights_6ev.lhe")
	if h := r.Header(); len(h.Weights) != 45 || h.Weights[0].ID != "MUR1.0_MUF1.0_PDF99208082" || h.Weights[7].Params["LHAPDF2"] != 99208083 {
		t.Errorf("powheg header: %d weights, %+v", len(h.Weights), h.Weights[7])
	}
	neg := 0
	for r.Next() {
		if r.Event().Weight < 0 {
			neg++
		}
	}
	if r.Err() != nil || neg != 2 {
		t.Errorf("powheg: %d negative weights, err %v", neg, r.Err())
	}
	// Pythia 6, LHEF 1.0, two processes (lines 6-7).
	r = openData(t, "pythia6_ttbar_100ev.lhe")
	if h := r.Header(); h.Version != "1.0" || len(h.Init.Processes) != 2 || h.Init.Processes[1].ID != 82 ||
		h.Init.Processes[1].XSec != 2.602564e-01 || h.RunCard != nil {
		t.Errorf("pythia6 header: %+v", h.Init)
	}
	// zz: an empty weight body (<weight id='SM'></weight>, line 530).
	r = openData(t, "zz_2l2v_19rwgt_10000ev.lhe.gz")
	if h := r.Header(); h.Weights[0].ID != "SM" || h.Weights[0].ParamSets != nil || h.Weights[3].ParamSets[0] != (ParamSet{"smeft", 7, 1}) {
		t.Errorf("zz weights: %+v %+v", h.Weights[0], h.Weights[3])
	}
}

// TestScalesAndPDF checks the helpers that a systematics stage matches on,
// across the dialects in the shared files and a constructed older-MG5 one.
func TestScalesAndPDF(t *testing.T) {
	h := openData(t, "ppjj_145syst_1000ev.lhe.gz").Header()
	// Line 357: id="2" MUR="0.5" MUF="0.5" DYN_SCALE="1" PDF="247000".
	w := &h.Weights[1]
	mur, muf, ok := w.Scales()
	pdf, okp := w.PDF()
	dyn, okd := w.DynScale()
	if mur != 0.5 || muf != 0.5 || !ok || pdf != 247000 || !okp || dyn != 1 || !okd {
		t.Errorf("weight 2: %v %v %v %v %v %v %v", mur, muf, ok, pdf, okp, dyn, okd)
	}
	// Line 361: id="6" MUR="0.5" MUF="1.0" PDF="247000", no DYN_SCALE.
	if _, ok := h.Weights[5].DynScale(); ok {
		t.Error("weight 6 has a dynamical scale")
	}
	// Lines 402-503: PDF="247000".."247100" with the body
	// "PDF=247000 MemberID=k": the attribute wins.
	for k := 0; k <= 100; k++ {
		w := &h.Weights[44+k]
		if id, ok := w.PDF(); !ok || id != 247000+k {
			t.Errorf("weight %s: PDF %d %v, want %d", w.ID, id, ok, 247000+k)
		}
	}

	// POWHEG: renscfact=0.5d0 facscfact=1d0 (line 92); lhapdf1 and
	// lhapdf2 differ (line 95), so no single PDF id.
	h = openData(t, "powheg_hvq_45weights_6ev.lhe").Header()
	if mur, muf, ok := h.Weights[6].Scales(); mur != 0.5 || muf != 1 || !ok {
		t.Errorf("powheg scales: %v %v %v", mur, muf, ok)
	}
	if id, ok := h.Weights[7].PDF(); ok {
		t.Errorf("powheg PDF %d for two different beam PDFs", id)
	}

	// Older MG5 text forms.
	text := strings.Replace(readTestdata(t, "lhef3.lhe"), `<weight id=1003 PDF=260001 />`,
		`<weight id="1003"> PDF=260000 MemberID=7 </weight><weight id="1005"> lhapdf=13100 </weight>`, 1)
	r, err := NewReader(strings.NewReader(text), "old.lhe")
	if err != nil {
		t.Fatal(err)
	}
	h = r.Header()
	if id, ok := h.Weights[2].PDF(); id != 260007 || !ok {
		t.Errorf("PDF=260000 MemberID=7: %d %v", id, ok)
	}
	if id, ok := h.Weights[3].PDF(); id != 13100 || !ok {
		t.Errorf("lhapdf=13100: %d %v", id, ok)
	}
	if _, _, ok := h.Weights[2].Scales(); ok {
		t.Error("scales found in a PDF weight without them")
	}
}

// TestRawAndWeightIndex checks Header.Raw against the bytes before the
// first <event> tag, and WeightIndex on a Header built by hand.
func TestRawAndWeightIndex(t *testing.T) {
	path := filepath.Join(repotest.Shared(t, "data/lhe"), "zz_2l2v_19rwgt_10000ev.lhe.gz")
	text := string(rawText(t, path))
	r := openData(t, "zz_2l2v_19rwgt_10000ev.lhe.gz")
	if want := text[:strings.Index(text, "<event>")]; r.Header().Raw != want {
		t.Errorf("Raw: %d bytes, want %d", len(r.Header().Raw), len(want))
	}
	h := &Header{Weights: []WeightInfo{{ID: "a"}, {ID: "b"}}}
	if i, ok := h.WeightIndex("b"); i != 1 || !ok {
		t.Errorf("WeightIndex(b) = %d, %v", i, ok)
	}
	if i, ok := h.WeightIndex("c"); i != -1 || ok {
		t.Errorf("WeightIndex(c) = %d, %v", i, ok)
	}
	if i, ok := r.Header().WeightIndex("nope"); i != -1 || ok {
		t.Errorf("zz WeightIndex(nope) = %d, %v", i, ok)
	}
	if i, ok := r.Header().WeightIndex("cHq3_m1"); i != 8 || !ok {
		t.Errorf("zz WeightIndex(cHq3_m1) = %d, %v", i, ok)
	}
}
