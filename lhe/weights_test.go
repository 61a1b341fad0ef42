// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// bundledZH is the sample shipped with the repository (a copy of the
// shared zh_smeft_cHW_cHq3_5000ev.lhe.gz).
func bundledZH(tb testing.TB) string {
	return filepath.Join(repotest.Root(tb), "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz")
}

var zhBenchmarks = []string{"sm", "morphing_basis_vector_1", "morphing_basis_vector_2",
	"morphing_basis_vector_3", "morphing_basis_vector_4", "morphing_basis_vector_5"}

// rawWeights reads, without the Reader, the XWGTUP and the <wgt> values
// of the first n events of an MG5 file: an independent account of what
// every benchmark's weight is.
func rawWeights(tb testing.TB, path string, n int) []map[string]float64 {
	text := repotest.ReadGzip(tb, path)
	wgt := regexp.MustCompile(`<wgt id='([^']+)'>\s*(\S+)\s*</wgt>`)
	var out []map[string]float64
	for _, blk := range bytes.Split(text, []byte("<event>"))[1:] {
		if len(out) == n {
			break
		}
		lines := strings.Split(strings.TrimSpace(string(blk)), "\n")
		ev := map[string]float64{}
		xwgtup, err := strconv.ParseFloat(strings.Fields(lines[0])[2], 64)
		if err != nil {
			tb.Fatal(err)
		}
		ev[""] = xwgtup
		for _, m := range wgt.FindAllStringSubmatch(string(blk), -1) {
			v, err := strconv.ParseFloat(m[2], 64)
			if err != nil {
				tb.Fatal(err)
			}
			ev[m[1]] = v
		}
		out = append(out, ev)
	}
	return out
}

func TestMapBenchmarksZH(t *testing.T) {
	path := bundledZH(t)
	want := rawWeights(t, path, 200)
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m, err := MapBenchmarks(r.Header(), zhBenchmarks, "sm", false)
	if err != nil {
		t.Fatal(err)
	}
	// A norm variation (the nominal weight times 1.1) and the weight of
	// benchmark 3 itself, as systematics add them.
	k3, _ := r.Header().WeightIndex("morphing_basis_vector_3")
	m.Add("norm_up", -1, 1.1)
	m.Add("bv3_again", k3, 1)
	dst := make([]float64, len(m.Names))
	const eff = 0.5
	for i := 0; r.Next() && i < len(want); i++ {
		if _, err := m.Fill(dst, r.Event(), eff); err != nil {
			t.Fatal(err)
		}
		for b, name := range zhBenchmarks {
			w := want[i][name]
			if name == "sm" {
				w = want[i][""] // the sampling benchmark is XWGTUP
			}
			if dst[b] != w*eff {
				t.Fatalf("event %d, %s: %v, want %v", i, name, dst[b], w*eff)
			}
		}
		if got, w := dst[6], want[i][""]*1.1*eff; got != w {
			t.Errorf("event %d: norm variation %v, want %v", i, got, w)
		}
		if got, w := dst[7], want[i]["morphing_basis_vector_3"]*eff; got != w {
			t.Errorf("event %d: added weight %v, want %v", i, got, w)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestMapBenchmarksRules(t *testing.T) {
	r, err := Open(bundledZH(t))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	if !r.Next() {
		t.Fatal(r.Err())
	}
	ev := r.Event()

	// A background takes XWGTUP for every benchmark, and so do its
	// variations.
	m, err := MapBenchmarks(h, zhBenchmarks, "", true)
	if err != nil {
		t.Fatal(err)
	}
	m.Add("norm", -1, 2)
	dst := make([]float64, len(m.Names))
	if _, err := m.Fill(dst, ev, 1); err != nil {
		t.Fatal(err)
	}
	for b := range zhBenchmarks {
		if dst[b] != ev.Weight {
			t.Errorf("background benchmark %d: %v, want XWGTUP %v", b, dst[b], ev.Weight)
		}
	}
	if dst[6] != 2*ev.Weight {
		t.Errorf("background variation %v, want %v", dst[6], 2*ev.Weight)
	}

	// A sampling benchmark with its own weight id takes it, not XWGTUP.
	m, err = MapBenchmarks(h, zhBenchmarks[1:], "morphing_basis_vector_2", false)
	if err != nil {
		t.Fatal(err)
	}
	m.Add("nominal", -1, 1)
	k, _ := h.WeightIndex("morphing_basis_vector_2")
	dst = make([]float64, len(m.Names))
	if _, err := m.Fill(dst, ev, 1); err != nil {
		t.Fatal(err)
	}
	if dst[1] != ev.Weights[k] || dst[5] != ev.Weights[k] {
		t.Errorf("sampling benchmark with own id: %v and nominal %v, want %v", dst[1], dst[5], ev.Weights[k])
	}

	for _, tc := range []struct {
		name       string
		names      []string
		from       string
		wantSubstr []string
	}{
		{"missing benchmark", []string{"sm", "bsm_point"}, "sm", []string{`"bsm_point"`, "morphing_basis_vector_1"}},
		{"sampling benchmark not mapped", []string{"morphing_basis_vector_1"}, "sm", []string{`"sm"`}},
	} {
		_, err := MapBenchmarks(h, tc.names, tc.from, false)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, s := range tc.wantSubstr {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %q does not name %s", tc.name, err, s)
			}
		}
	}
}

func TestWeightMapNonFinite(t *testing.T) {
	h := &Header{Weights: []WeightInfo{{ID: "a"}}}
	m, err := MapBenchmarks(h, []string{"sm", "a"}, "sm", false)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float64, 2)
	ev := &Event{Weight: 1, Weights: []float64{math.NaN()}}
	if _, err := m.Fill(dst, ev, 1); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("NaN weight: error %v, want one naming benchmark a", err)
	}
	ev = &Event{Weight: -1, Weights: []float64{2}}
	neg, err := m.Fill(dst, ev, 1)
	if err != nil || !neg {
		t.Errorf("negative XWGTUP: negative %v, err %v", neg, err)
	}
}

func TestProportionality(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events [][]float64
		want   bool
	}{
		{"rate only", [][]float64{{1, 2, 0.5}, {3, 6, 1.5}, {0, 5, 7}, {-2, -4, -1}}, true},
		{"one event differs", [][]float64{{1, 2, 0.5}, {3, 6, 1.5}, {1, 2, 0.5000001}}, false},
		{"single benchmark", [][]float64{{1}, {2}}, false},
		{"no usable event", [][]float64{{0, 1}, {0, 2}}, false},
		{"within 1e-9", [][]float64{{1, 2}, {1, 2 * (1 + 1e-12)}}, true},
	} {
		var p Proportionality
		for _, w := range tc.events {
			p.Add(w)
		}
		if got := p.Proportional(); got != tc.want {
			t.Errorf("%s: Proportional = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestProportionalityRealFiles checks the warning's evidence on real
// files: the bundled ZH sample depends on θ, the shared sample whose EFT
// couplings were bound to the decay does not.
func TestProportionalityRealFiles(t *testing.T) {
	for _, tc := range []struct {
		path string
		want bool
	}{
		{bundledZH(t), false},
		{filepath.Join(repotest.Shared(t, "data/lhe"), "zh_smeft_flat_weights_5000ev.lhe.gz"), true},
	} {
		r, err := Open(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		m, err := MapBenchmarks(r.Header(), zhBenchmarks, "sm", false)
		if err != nil {
			t.Fatal(err)
		}
		var p Proportionality
		dst := make([]float64, len(zhBenchmarks))
		for r.Next() {
			if _, err := m.Fill(dst, r.Event(), 1); err != nil {
				t.Fatal(err)
			}
			p.Add(dst)
		}
		r.Close()
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		if got := p.Proportional(); got != tc.want {
			t.Errorf("%s: Proportional = %v, want %v", filepath.Base(tc.path), got, tc.want)
		}
	}
}

// TestWeightMapRelativeToBlock: a variation read from the file is taken
// relative to its block's nominal weight and scaled to XWGTUP, and a block
// in another normalisation is reported.
func TestWeightMapRelativeToBlock(t *testing.T) {
	h := &Header{Weights: []WeightInfo{{ID: "default"}, {ID: "mur2"}}}
	m, err := MapBenchmarks(h, []string{"sm"}, "sm", false)
	if err != nil {
		t.Fatal(err)
	}
	m.Add("mur2", 1, 1)    // from the file: relative to "default"
	m.Add("norm", -1, 1.1) // the nominal times a factor
	dst := make([]float64, 3)
	for i, ev := range []*Event{
		{Index: 0, Weight: 2, Weights: []float64{4, 6}}, // block in another normalisation
		{Index: 1, Weight: 2, Weights: []float64{2, 3}},
		{Index: 2, Weight: 2, Weights: []float64{0, 5}}, // zero block nominal: as it is
	} {
		if _, err := m.Fill(dst, ev, 1); err != nil {
			t.Fatal(err)
		}
		want := []float64{2, 3, 2.2}
		if i == 2 {
			want[1] = 5
		}
		for k := range want {
			if math.Abs(dst[k]-want[k]) > 1e-15 {
				t.Errorf("event %d, weight %s: %v, want %v", i, m.Names[k], dst[k], want[k])
			}
		}
	}
	ws := m.Warnings("f.lhe")
	if len(ws) != 2 || !strings.Contains(ws[0], "in 1 of the events") || !strings.Contains(ws[1], "1 events have a nominal variation weight of 0") {
		t.Errorf("warnings %q", ws)
	}
}

// TestParamCardPoints reads the benchmarks MadMiner's reweighting set in
// the bundled sample's header (lines 480-493 of the file: "set param_card
// smeft 7 -0.7546379", "... smeft 25 0.06772377", ...).
func TestParamCardPoints(t *testing.T) {
	r, err := Open(bundledZH(t))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	params := []ParamRef{{Block: "SMEFT", ID: 7}, {Block: "smeft", ID: 25}}
	pts, err := ParamCardPoints(r.Header(), params, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{-0.7546379, 0.06772377}, {-0.5342918, 0.5096157}, {0.3497412, -0.8561461}, {0.9785294, 0.5609139}, {-0.5443482, -0.9385144}}
	if len(pts) != len(want) {
		t.Fatalf("%d points, want %d", len(pts), len(want))
	}
	for i, p := range pts {
		if p.Weight != zhBenchmarks[i+1] || p.Values[0] != want[i][0] || p.Values[1] != want[i][1] {
			t.Errorf("point %d: %+v, want %s %v", i, p, zhBenchmarks[i+1], want[i])
		}
	}
	// A parameter a weight leaves alone keeps the file's param card value
	// (mh = 125.09 in block mass).
	pts, err = ParamCardPoints(r.Header(), []ParamRef{{Block: "smeft", ID: 7}, {Block: "mass", ID: 25}}, []string{"morphing_basis_vector_3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 1 || pts[0].Values[0] != 0.3497412 || pts[0].Values[1] != 125.09 {
		t.Errorf("only bv3 with mh: %+v", pts)
	}
	if _, err := ParamCardPoints(r.Header(), params, []string{"sm"}); err == nil {
		t.Error("a weight that sets nothing was accepted")
	}
	if _, err := ParamCardPoints(r.Header(), []ParamRef{{Block: "sminputs", ID: 1}}, nil); err == nil {
		t.Error("no weight sets the parameter, no error")
	}
}
