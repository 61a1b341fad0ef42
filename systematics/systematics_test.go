// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package systematics

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/store"
)

// ppjj are the systematics MadMiner was given for
// ../shared/data/madminer/ppjj_scale_nuisance_1000ev.h5 (from
// ppjj_145syst_1000ev.lhe.gz), and a norm systematic.
var ppjj = []Systematic{
	{Name: "mu_scale", Kind: Scale, Scale: "mu", Factors: []float64{0.5, 2}},
	{Name: "pdf_nnpdf", Kind: PDF, PDF: "NNPDF23_lo_as_0130_qed", Members: 100},
	{Name: "lumi", Kind: Norm, Value: 0.1},
}

func TestNamesMatchMadMiner(t *testing.T) {
	h, err := store.ReadEventsHeader(repotest.Shared(t, "data/madminer/ppjj_scale_nuisance_1000ev.h5"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(ppjj, nil)
	if err != nil {
		t.Fatal(err)
	}
	// MadMiner stores both of its systematics, with the scale values
	// written as Python prints them.
	for i, want := range h.Systematics {
		if got := m.Systematics[i]; got != want {
			t.Errorf("systematic %d: %+v, MadMiner %+v", i, got, want)
		}
	}
	// MadMiner's file has only the scale parameter (its pdf and norm
	// parameters are lost, a MadMiner defect); ours starts with the same.
	if got, want := m.Parameters[0], h.NuisanceParameters[0]; got != want {
		t.Errorf("scale nuisance parameter %+v, MadMiner %+v", got, want)
	}
	if n := len(m.Parameters); n != 1+100+1 {
		t.Errorf("%d nuisance parameters, want 102", n)
	}
	if got := m.Systematics[2].Value; got != "0.1" {
		t.Errorf("norm value %q, want Python's 0.1", got)
	}
	last := m.Parameters[len(m.Parameters)-1]
	if last.Name != "lumi_nuisance_param_0" || last.BenchmarkPositive != "lumi_nuisance_param_0_benchmark_0" || last.BenchmarkNegative != "" {
		t.Errorf("norm parameter %+v", last)
	}
	// One variation per nuisance benchmark, in the order of the
	// parameters: scale up, scale down, 100 PDF members, norm.
	if n := len(m.Variations); n != 2+100+1 {
		t.Fatalf("%d variations, want 103", n)
	}
	if v := m.Variations[0]; v.MuR != 2 || v.MuF != 2 || v.Benchmark != "mu_scale_nuisance_param_0_benchmark_0" {
		t.Errorf("scale up %+v", v)
	}
	if v := m.Variations[1]; v.MuR != 0.5 || v.MuF != 0.5 || v.Benchmark != "mu_scale_nuisance_param_0_benchmark_1" {
		t.Errorf("scale down %+v", v)
	}
	if v := m.Variations[102]; v.Factor != 1.1 {
		t.Errorf("norm factor %v, want 1.1", v.Factor)
	}
}

func TestUsedAndOneSided(t *testing.T) {
	m, err := New([]Systematic{
		{Name: "mur_up", Kind: Scale, Scale: "mur", Factors: []float64{2}},
		{Name: "muf_down", Kind: Scale, Scale: "muf", Factors: []float64{0.5}},
	}, func(name string) bool { return name == "muf_down" })
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Systematics) != 1 || m.Systematics[0].Name != "muf_down" || m.Systematics[0].Value != "0.5,1.0" {
		t.Errorf("used systematics %+v", m.Systematics)
	}
	up, down := m.Variations[0], m.Variations[1]
	if up.MuR != 2 || up.MuF != 1 || down.MuR != 1 || down.MuF != 0.5 {
		t.Errorf("variations %+v %+v", up, down)
	}
	// A one-sided downward variation is the parameter's positive one.
	if p := m.Parameters[1]; p.BenchmarkPositive != "muf_down_nuisance_param_0_benchmark_1" || p.BenchmarkNegative != "" {
		t.Errorf("one-sided parameter %+v", p)
	}
	if _, err := New([]Systematic{{Name: "p", Kind: PDF, PDF: "x"}}, nil); err == nil {
		t.Error("pdf without members accepted")
	}
	if _, err := New([]Systematic{{Name: "p", Kind: "shape"}}, nil); err == nil {
		t.Error("unknown kind accepted")
	}
}

// rawWeightAttrs returns the MUR, MUF, PDF and DYN_SCALE attributes of
// every <weight id=...> of an MG5 header, read with a regular expression
// independent of package lhe.
func rawWeightAttrs(t *testing.T, path string) map[string]map[string]string {
	text := repotest.ReadGzip(t, path)
	text = text[:bytes.Index(text, []byte("</initrwgt>"))]
	re := regexp.MustCompile(`<weight id=["']?(\w+)["']?([^>]*)>`)
	attr := regexp.MustCompile(`(\w+)=["']?([-\w.+]+)`)
	out := map[string]map[string]string{}
	for _, m := range re.FindAllSubmatch(text, -1) {
		a := map[string]string{}
		for _, kv := range attr.FindAllSubmatch(m[2], -1) {
			a[strings.ToUpper(string(kv[1]))] = string(kv[2])
		}
		out[string(m[1])] = a
	}
	return out
}

func TestSourcesPPJJ(t *testing.T) {
	path := repotest.Shared(t, "data/lhe/ppjj_145syst_1000ev.lhe.gz")
	r, err := lhe.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	m, err := New(ppjj, nil)
	if err != nil {
		t.Fatal(err)
	}
	idx, fac, err := m.Sources(h, []string{"mu_scale", "pdf_nnpdf", "lumi"})
	if err != nil {
		t.Fatal(err)
	}
	attrs := rawWeightAttrs(t, path)
	num := func(id, key string) float64 {
		v, err := strconv.ParseFloat(attrs[id][key], 64)
		if err != nil {
			t.Fatalf("weight %s: attribute %s %q: %v", id, key, attrs[id][key], err)
		}
		return v
	}
	central := -1.0
	for id, a := range attrs {
		if a["MUR"] == "1.0" && a["MUF"] == "1.0" && (a["DYN_SCALE"] == "" || a["DYN_SCALE"] == "-1") {
			if c := num(id, "PDF"); central < 0 || c < central {
				central = c
			}
		}
	}
	for i, v := range m.Variations {
		if v.Kind == Norm {
			if idx[i] != -1 || fac[i] != 1.1 {
				t.Errorf("norm variation: index %d factor %v, want -1 and 1.1", idx[i], fac[i])
			}
			continue
		}
		id := h.Weights[idx[i]].ID
		if dyn := attrs[id]["DYN_SCALE"]; dyn != "" && dyn != "-1" {
			t.Errorf("%s took weight %s of dynamical scale %s", v.Benchmark, id, dyn)
		}
		switch v.Kind {
		case Scale:
			if num(id, "MUR") != v.MuR || num(id, "MUF") != v.MuF || num(id, "PDF") != central {
				t.Errorf("%s took weight %s %v, want MUR=%g MUF=%g PDF=%g", v.Benchmark, id, attrs[id], v.MuR, v.MuF, central)
			}
		case PDF:
			if num(id, "MUR") != 1 || num(id, "MUF") != 1 || num(id, "PDF") != central+float64(v.Member) {
				t.Errorf("%s took weight %s %v, want PDF=%g", v.Benchmark, id, attrs[id], central+float64(v.Member))
			}
		}
	}
	// Members 1 and 100 are the weights with ids 46 and 145 (PDF 247001
	// and 247100), as the file's header shows.
	if got := h.Weights[idx[2]].ID; got != "46" {
		t.Errorf("PDF member 1 is weight %s, want 46", got)
	}
	if got := h.Weights[idx[101]].ID; got != "145" {
		t.Errorf("PDF member 100 is weight %s, want 145", got)
	}

	// A sample without the systematics takes the nominal weight.
	idx, fac, err = m.Sources(h, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range idx {
		if idx[i] != -1 || fac[i] != 1 {
			t.Fatalf("variation %d of a sample without systematics: %d, %v", i, idx[i], fac[i])
		}
	}

	// A variation the file lacks is an error naming it.
	m, err = New([]Systematic{{Name: "wide", Kind: Scale, Factors: []float64{0.25, 4}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Sources(h, []string{"wide"}); err == nil || !strings.Contains(err.Error(), "MUR=4") {
		t.Errorf("missing variation: %v, want an error naming MUR=4", err)
	}
	m, err = New([]Systematic{{Name: "ct", Kind: PDF, PDF: "CT14", Members: 2}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Sources(h, []string{"ct"}); err == nil || !strings.Contains(err.Error(), "CT14") {
		t.Errorf("missing PDF set: %v, want an error naming it", err)
	}
}
