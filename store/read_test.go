// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// goDataset is a dataset as seen through the store API.
type goDataset struct {
	shape   []int
	strings []string
	nums    *numSummary
}

// goView rebuilds, from what ReadSetup and OpenEvents return, every dataset
// of a MadMiner file, so it can be compared with the h5py summary.
func goView(t *testing.T, path string, batch int) map[string]goDataset {
	t.Helper()
	s, err := ReadSetup(path)
	if err != nil {
		t.Fatal(err)
	}
	v := make(map[string]goDataset)
	str := func(name string, f func(i int) string, n int) {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, f(i))
		}
		v[name] = goDataset{shape: []int{n}, strings: out}
	}
	num := func(name string, shape []int, vals []float64) {
		ns := new(numSummary)
		ns.add(vals...)
		v[name] = goDataset{shape: shape, nums: ns}
	}
	np, nb := len(s.Parameters), len(s.Benchmarks)
	str("parameters/names", func(i int) string { return s.Parameters[i].Name }, np)
	str("parameters/lha_blocks", func(i int) string { return s.Parameters[i].LHABlock }, np)
	str("parameters/transforms", func(i int) string { return encodeNone(s.Parameters[i].Transform) }, np)
	var ids, pows, ranges []float64
	for _, p := range s.Parameters {
		ids = append(ids, float64(p.LHAID))
		pows = append(pows, float64(p.MaxPower))
		ranges = append(ranges, p.Range[:]...)
	}
	num("parameters/lha_ids", []int{np}, ids)
	num("parameters/max_power", []int{np}, pows)
	num("parameters/val_ranges", []int{np, 2}, ranges)
	str("benchmarks/names", func(i int) string { return s.Benchmarks[i].Name }, nb)
	var vals, nuis, ref []float64
	for _, b := range s.Benchmarks {
		vals = append(vals, b.Values...)
		nuis = append(nuis, float64(b2i(b.IsNuisance)))
		ref = append(ref, float64(b2i(b.IsReference)))
	}
	num("benchmarks/values", []int{nb, np}, vals)
	num("benchmarks/is_nuisance", []int{nb}, nuis)
	num("benchmarks/is_reference", []int{nb}, ref)
	if s.Components != nil {
		var c []float64
		for _, row := range s.Components {
			for _, x := range row {
				c = append(c, float64(x))
			}
		}
		num("morphing/components", []int{len(s.Components), np}, c)
		r, cc := s.MorphingMatrix.Dims()
		var m []float64
		for i := 0; i < r; i++ {
			for j := 0; j < cc; j++ {
				m = append(m, s.MorphingMatrix.At(i, j))
			}
		}
		num("morphing/morphing_matrix", []int{r, cc}, m)
	}
	if ns := len(s.Systematics); ns > 0 {
		str("systematics/names", func(i int) string { return s.Systematics[i].Name }, ns)
		str("systematics/types", func(i int) string { return s.Systematics[i].Type }, ns)
		str("systematics/values", func(i int) string { return s.Systematics[i].Value }, ns)
		str("systematics/scales", func(i int) string { return encodeNone(s.Systematics[i].Scale) }, ns)
	}

	ef, err := OpenEvents(path)
	if err != nil {
		if strings.Contains(err.Error(), "no events (samples/observations missing)") {
			return v // a setup file
		}
		t.Fatal(err)
	}
	defer ef.Close()
	h := ef.Header()
	if !equalSetups(&h.Setup, s) {
		t.Errorf("%s: OpenEvents header setup differs from ReadSetup", path)
	}
	no := len(h.ObservableNames)
	str("observables/names", func(i int) string { return h.ObservableNames[i] }, no)
	str("observables/definitions", func(i int) string { return h.ObservableDefinitions[i] }, no)
	if nn := len(h.NuisanceParameters); nn > 0 {
		str("nuisance_parameters/names", func(i int) string { return h.NuisanceParameters[i].Name }, nn)
		str("nuisance_parameters/systematics", func(i int) string { return h.NuisanceParameters[i].Systematic }, nn)
		str("nuisance_parameters/benchmark_positive", func(i int) string { return h.NuisanceParameters[i].BenchmarkPositive }, nn)
		str("nuisance_parameters/benchmark_negative", func(i int) string { return encodeNone(h.NuisanceParameters[i].BenchmarkNegative) }, nn)
	}
	if h.SignalEvents != nil {
		var sig []float64
		for _, x := range h.SignalEvents {
			sig = append(sig, float64(x))
		}
		num("sample_summary/signal_events", []int{len(sig)}, sig)
		num("sample_summary/background_events", []int{}, []float64{float64(h.BackgroundEvents)})
	}
	obs, wts, ids2 := new(numSummary), new(numSummary), new(numSummary)
	err = ef.Read(0, -1, batch, func(b *Batch) error {
		obs.add(b.X...)
		wts.add(b.Weights...)
		for _, id := range b.SamplingBenchmarks {
			ids2.add(float64(id))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := ef.N()
	v["samples/observations"] = goDataset{shape: []int{n, no}, nums: obs}
	v["samples/weights"] = goDataset{shape: []int{n, nb}, nums: wts}
	if ef.HasSamplingBenchmarks() {
		v["samples/sampling_benchmarks"] = goDataset{shape: []int{n}, nums: ids2}
	}
	return v
}

// compareView compares the store view of a file with its h5py summary: the
// same datasets, shapes, strings and values (first and last 8 exactly, sums
// to round-off).
func compareView(t *testing.T, file string, got map[string]goDataset, want map[string]h5Summary) {
	t.Helper()
	for _, name := range sortedKeys(want) {
		w := want[name]
		gname := name
		if name == "parameters/ranges" { // 2019 layout
			gname = "parameters/val_ranges"
		}
		g, ok := got[gname]
		if !ok {
			t.Errorf("%s: dataset %s not seen through the store API", file, name)
			continue
		}
		delete(got, gname)
		wshape := w.Shape
		if name == "parameters/max_power" && len(wshape) == 2 && wshape[1] == 1 { // 2019 layout
			wshape = wshape[:1]
		}
		if !sameShape(g.shape, wshape...) {
			t.Errorf("%s: %s shape %v, h5py %v", file, name, g.shape, w.Shape)
		}
		if w.Strings != nil {
			if w.Dtype != "|S256" {
				t.Errorf("%s: %s dtype %s, want |S256", file, name, w.Dtype)
			}
			n := len(w.Strings)
			if g.strings == nil || len(g.strings) < n || !equalStrings(g.strings[:n], w.Strings) {
				t.Errorf("%s: %s = %q, h5py %q", file, name, g.strings, w.Strings)
			}
			continue
		}
		if g.nums == nil {
			t.Errorf("%s: %s: store has strings, h5py numbers", file, name)
			continue
		}
		if !equalFloats(g.nums.first, w.First) || !equalFloats(g.nums.last, w.Last) {
			t.Errorf("%s: %s first/last = %v/%v, h5py %v/%v", file, name, g.nums.first, g.nums.last, w.First, w.Last)
		}
		if w.Sum == nil {
			t.Errorf("%s: %s: h5py summary has no sum", file, name)
		} else if !scalar.EqualWithinAbs(g.nums.sum, *w.Sum, 1e-12*g.nums.sumAbs+1e-300) {
			t.Errorf("%s: %s sum = %v, h5py %v", file, name, g.nums.sum, *w.Sum)
		}
	}
	for _, name := range sortedKeys(got) {
		t.Errorf("%s: store shows dataset %s that h5py does not", file, name)
	}
}

// TestReadMadMinerFiles reads every file in ../shared/data/madminer and
// compares everything the API returns with the h5py summary in
// testdata/madminer_h5py.json (made by testdata/h5summary.py with h5py 3.7.0).
func TestReadMadMinerFiles(t *testing.T) {
	dir := repotest.Shared(t, "data/madminer")
	want := loadSummaries(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.h5"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no .h5 files in", dir)
	}
	for _, path := range files {
		file := filepath.Base(path)
		t.Run(file, func(t *testing.T) {
			w, ok := want[file]
			if !ok {
				t.Fatalf("no h5py summary for %s: rerun testdata/h5summary.py", file)
			}
			compareView(t, file, goView(t, path, 333), w)
		})
	}
}

// TestReadKnownValues checks a few values chosen by hand, with their
// provenance, on top of the generic comparison above.
func TestReadKnownValues(t *testing.T) {
	dir := repotest.Shared(t, "data/madminer")

	// h5py 3.7.0: f["parameters/lha_ids"][()] == [7, 25], transforms b"1.0*theta",
	// benchmarks/values[1] == [-0.75463792, 0.06772377] (zh_setup.h5).
	s, err := ReadSetup(filepath.Join(dir, "zh_setup.h5"))
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Parameters[1]; p.Name != "cHq3" || p.LHABlock != "smeft" || p.LHAID != 25 || p.MaxPower != 2 || p.Range != [2]float64{-1, 1} || p.Transform != "1.0*theta" {
		t.Errorf("zh_setup parameter 1 = %+v", p)
	}
	if b := s.Benchmarks[1]; b.Name != "morphing_basis_vector_1" || math.Abs(b.Values[0]+0.7546379162819874) > 1e-15 || b.IsNuisance || b.IsReference {
		t.Errorf("zh_setup benchmark 1 = %+v", b)
	}

	// h5py: ppjj_scale_nuisance_1000ev.h5 systematics/scales == [b"mu", b"None"],
	// sample_summary/background_events == 1000 (scalar), signal_events == [0],
	// samples/sampling_benchmarks all -1, weights[0] == [699670.67, 581076.15, 836697.62].
	ef, err := OpenEvents(filepath.Join(dir, "ppjj_scale_nuisance_1000ev.h5"))
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	h := ef.Header()
	if len(h.Systematics) != 2 || h.Systematics[0] != (Systematic{"mu_scale", "scale", "0.5,1.0,2.0", "mu"}) || h.Systematics[1] != (Systematic{"pdf_nnpdf", "pdf", "NNPDF23_lo_as_0130_qed", ""}) {
		t.Errorf("ppjj systematics = %+v", h.Systematics)
	}
	if h.BackgroundEvents != 1000 || len(h.SignalEvents) != 1 || h.SignalEvents[0] != 0 {
		t.Errorf("ppjj sample summary = %v, %d", h.SignalEvents, h.BackgroundEvents)
	}
	if len(h.NuisanceParameters) != 1 || h.NuisanceParameters[0].BenchmarkNegative != "mu_scale_nuisance_param_0_benchmark_1" {
		t.Errorf("ppjj nuisance parameters = %+v", h.NuisanceParameters)
	}
	if !h.Benchmarks[1].IsNuisance || !h.Benchmarks[0].IsReference {
		t.Errorf("ppjj benchmark flags = %+v", h.Benchmarks)
	}
	err = ef.Read(0, 1, 1, func(b *Batch) error {
		if !equalFloats(b.Weights, []float64{699670.67, 581076.15, 836697.62}) || b.SamplingBenchmarks[0] != -1 {
			t.Errorf("ppjj event 0: weights %v, sampling %v", b.Weights, b.SamplingBenchmarks)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The 2019 layout: parameters/ranges [[-10,10],[-10,10]], max_power [[2],[2]],
	// no sampling ids (h5py on madminer2019_oldformat_926ev.h5).
	old, err := OpenEvents(filepath.Join(dir, "madminer2019_oldformat_926ev.h5"))
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	oh := old.Header()
	if old.N() != 926 || old.HasSamplingBenchmarks() || oh.Parameters[0].Range != [2]float64{-10, 10} || oh.Parameters[1].MaxPower != 2 || oh.SignalEvents != nil {
		t.Errorf("old format: N=%d sampling=%v params=%+v signal=%v", old.N(), old.HasSamplingBenchmarks(), oh.Parameters, oh.SignalEvents)
	}
}

// TestMorphingMatrixReference compares zh_setup.h5's morphing with the
// morphing matrix and components MadMiner reported for the ZH study
// (../shared/reference/zh/reference.json, setup.morphing_matrix).
func TestMorphingMatrixReference(t *testing.T) {
	dir := repotest.Shared(t, "data/madminer")
	refDir := repotest.Shared(t, "reference/zh")
	b, err := os.ReadFile(filepath.Join(refDir, "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Setup struct {
			Components [][]int     `json:"morphing_components"`
			Matrix     [][]float64 `json:"morphing_matrix"`
		} `json:"setup"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"zh_setup.h5", "zh30k_setup.h5", "zh_lhe_data_5000ev.h5"} {
		s, err := ReadSetup(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Components) != len(ref.Setup.Components) {
			t.Fatalf("%s: %d components, reference %d", file, len(s.Components), len(ref.Setup.Components))
		}
		for c := range s.Components {
			for p := range s.Components[c] {
				if s.Components[c][p] != ref.Setup.Components[c][p] {
					t.Errorf("%s: component %d = %v, reference %v", file, c, s.Components[c], ref.Setup.Components[c])
				}
			}
		}
		r, cc := s.MorphingMatrix.Dims()
		if r != len(ref.Setup.Matrix) || cc != len(ref.Setup.Matrix[0]) {
			t.Fatalf("%s: morphing matrix %d×%d, reference %d×%d", file, r, cc, len(ref.Setup.Matrix), len(ref.Setup.Matrix[0]))
		}
		for i := 0; i < r; i++ {
			for j := 0; j < cc; j++ {
				if got, want := s.MorphingMatrix.At(i, j), ref.Setup.Matrix[i][j]; !scalar.EqualWithinAbsOrRel(got, want, 1e-14, 1e-13) {
					t.Errorf("%s: M[%d][%d] = %v, reference %v", file, i, j, got, want)
				}
			}
		}
	}
}
