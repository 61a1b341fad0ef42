// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// testHeader is a small events header with everything MadMiner can hold:
// morphing, systematics, nuisance benchmarks and parameters (one without a
// negative benchmark), a parameter without transform.
func testHeader() *EventsHeader {
	return &EventsHeader{
		Setup: Setup{
			Parameters: []Parameter{
				{Name: "cHW", LHABlock: "smeft", LHAID: 7, MaxPower: 2, Range: [2]float64{-1, 1}, Transform: "1.0*theta"},
				{Name: "cHq3", LHABlock: "smeft", LHAID: 25, MaxPower: 1, Range: [2]float64{-0.5, 2}},
			},
			Benchmarks: []Benchmark{
				{Name: "sm", Values: []float64{0, 0}, IsReference: true},
				{Name: "b1", Values: []float64{0.25, -1.0 / 3}},
				{Name: "b2", Values: []float64{-0.7, math.Pi}},
				{Name: "b3", Values: []float64{1e-300, -2}},
				{Name: "mu_up", Values: []float64{0, 0}, IsNuisance: true},
				{Name: "mu_down", Values: []float64{0, 0}, IsNuisance: true},
				{Name: "norm_up", Values: []float64{0, 0}, IsNuisance: true},
			},
			Components:     [][]int{{0, 0}, {1, 0}, {2, 0}, {0, 1}},
			MorphingMatrix: mat.NewDense(4, 4, []float64{1, 0, 0, 0, -0.5, 1.5, 0.1, 1e-17, 3, -2, 7, 0.25, -1, 1, 2, 3}),
			Systematics: []Systematic{
				{Name: "mu", Type: "scale", Value: "0.5,1.0,2.0", Scale: "mu"},
				{Name: "norm10", Type: "norm", Value: "0.1"},
			},
		},
		ObservableNames:       []string{"pt_z", "m_zh", "eta_z"},
		ObservableDefinitions: []string{"(e[0] + e[1]).pt", "(p[0] + p[1] + p[2]).m", "(e[0] + e[1]).eta"},
		NuisanceParameters: []NuisanceParameter{
			{Name: "mu_np", Systematic: "mu", BenchmarkPositive: "mu_up", BenchmarkNegative: "mu_down"},
			{Name: "norm_np", Systematic: "norm10", BenchmarkPositive: "norm_up"},
		},
	}
}

// testRows makes n seeded random events for h.
func testRows(h *EventsHeader, n int, seed uint64) (x, w []float64, ids []int) {
	rng := rand.New(rand.NewPCG(seed, seed))
	no, nb := len(h.ObservableNames), len(h.Benchmarks)
	x = make([]float64, n*no)
	w = make([]float64, n*nb)
	ids = make([]int, n)
	for i := range x {
		x[i] = rng.NormFloat64() * 100
	}
	for i := range w {
		w[i] = rng.ExpFloat64() * 1e-6
	}
	for i := range ids {
		ids[i] = rng.IntN(5) - 1 // -1 .. 3, physics benchmarks only
	}
	if n > 0 {
		x[0] = math.Inf(1)
		w[0] = math.Copysign(0, -1)
	}
	return x, w, ids
}

// openWritten writes the events to a file in a temporary folder with
// writeEvents and opens it; the file is closed when the test ends.
func openWritten(t testing.TB, h *EventsHeader, x, w []float64, ids []int) *EventFile {
	t.Helper()
	path := filepath.Join(t.TempDir(), "events.h5")
	writeEvents(t, path, h, x, w, ids)
	ef, err := OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ef.Close() })
	return ef
}

func writeEvents(t testing.TB, path string, h *EventsHeader, x, w []float64, ids []int) {
	t.Helper()
	ew, err := CreateEvents(path, h)
	if err != nil {
		t.Fatal(err)
	}
	no, nb := len(h.ObservableNames), len(h.Benchmarks)
	for i := range ids {
		if err := ew.Write(x[i*no:(i+1)*no], w[i*nb:(i+1)*nb], ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("%s exists before Close (err %v)", path, err)
	}
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestSetupRoundTrip(t *testing.T) {
	dir := t.TempDir()
	h := testHeader()
	path := filepath.Join(dir, "setup.h5")
	if err := WriteSetup(path, &h.Setup); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSetup(path)
	if err != nil {
		t.Fatal(err)
	}
	if !equalSetups(got, &h.Setup) {
		t.Errorf("setup round trip:\n got %+v\nwant %+v", got, h.Setup)
	}

	// A setup without morphing or systematics.
	s := h.Setup
	s.Components, s.MorphingMatrix, s.Systematics = nil, nil, nil
	if err := WriteSetup(path, &s); err != nil {
		t.Fatal(err)
	}
	got, err = ReadSetup(path)
	if err != nil {
		t.Fatal(err)
	}
	if !equalSetups(got, &s) {
		t.Errorf("setup round trip without morphing:\n got %+v\nwant %+v", got, s)
	}

	// Every real setup survives ReadSetup → WriteSetup → ReadSetup.
	real := repotest.Shared(t, "data/madminer")
	files, _ := filepath.Glob(filepath.Join(real, "*.h5"))
	for _, f := range files {
		s, err := ReadSetup(f)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, filepath.Base(f))
		if err := WriteSetup(out, s); err != nil {
			t.Fatal(err)
		}
		got, err := ReadSetup(out)
		if err != nil {
			t.Fatal(err)
		}
		if !equalSetups(got, s) {
			t.Errorf("%s: setup round trip differs", filepath.Base(f))
		}
	}
}

func TestEventsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	h := testHeader()
	const n = 1001
	x, w, ids := testRows(h, n, 1)
	ef := openWritten(t, h, x, w, ids)
	if ef.N() != n || !ef.HasSamplingBenchmarks() {
		t.Fatalf("N = %d, sampling ids %v", ef.N(), ef.HasSamplingBenchmarks())
	}
	gh := ef.Header()
	if !equalSetups(&gh.Setup, &h.Setup) || !reflect.DeepEqual(gh.ObservableNames, h.ObservableNames) ||
		!reflect.DeepEqual(gh.ObservableDefinitions, h.ObservableDefinitions) || !reflect.DeepEqual(gh.NuisanceParameters, h.NuisanceParameters) {
		t.Errorf("header round trip:\n got %+v\nwant %+v", gh, h)
	}
	// SignalEvents was nil: counted from the ids over the four physics benchmarks.
	want := make([]int64, 4)
	var bkg int64
	for _, id := range ids {
		if id < 0 {
			bkg++
		} else {
			want[id]++
		}
	}
	if !reflect.DeepEqual(gh.SignalEvents, want) || gh.BackgroundEvents != bkg {
		t.Errorf("sample summary = %v, %d; want %v, %d", gh.SignalEvents, gh.BackgroundEvents, want, bkg)
	}
	no, nb := len(h.ObservableNames), len(h.Benchmarks)
	for _, batch := range []int{1, 7, 1000, 5000} {
		var gx, gw []float64
		var gid []int
		err := ef.Read(0, -1, batch, func(b *Batch) error {
			if len(b.X) != b.N*no || len(b.Weights) != b.N*nb || len(b.SamplingBenchmarks) != b.N {
				t.Fatalf("batch %d at %d: lengths %d %d %d for N=%d", batch, b.Start, len(b.X), len(b.Weights), len(b.SamplingBenchmarks), b.N)
			}
			gx = append(gx, b.X...)
			gw = append(gw, b.Weights...)
			gid = append(gid, b.SamplingBenchmarks...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !equalFloats(gx, x) || !equalFloats(gw, w) || !reflect.DeepEqual(gid, ids) {
			t.Errorf("batch %d: events differ after round trip", batch)
		}
		if !math.Signbit(gw[0]) {
			t.Errorf("batch %d: the sign of -0 was lost", batch)
		}
	}

	// WriteBatch gives the same file content as Write.
	pathB := filepath.Join(dir, "batch.h5")
	ew, err := CreateEvents(pathB, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := ew.WriteBatch(x[:10*no], w[:10*nb], ids[:10]); err != nil {
		t.Fatal(err)
	}
	if err := ew.WriteBatch(x[10*no:], w[10*nb:], ids[10:]); err != nil {
		t.Fatal(err)
	}
	if err := ew.WriteBatch(x[:no], w[:nb], ids[:2]); err == nil {
		t.Error("WriteBatch with short x accepted")
	}
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
	efB, err := OpenEvents(pathB)
	if err != nil {
		t.Fatal(err)
	}
	defer efB.Close()
	var bx, bw []float64
	var bid []int
	efB.Read(0, -1, 500, func(b *Batch) error {
		bx, bw, bid = append(bx, b.X...), append(bw, b.Weights...), append(bid, b.SamplingBenchmarks...)
		return nil
	})
	if !equalFloats(bx, x) || !equalFloats(bw, w) || !reflect.DeepEqual(bid, ids) {
		t.Error("WriteBatch: events differ after round trip")
	}

	// Explicit sample summary is stored as given.
	h2 := testHeader()
	h2.SignalEvents = []int64{10, 20, 30, 40, 0, 0, 0}
	h2.BackgroundEvents = 7
	path2 := filepath.Join(dir, "events2.h5")
	writeEvents(t, path2, h2, x[:3*no], w[:3*nb], ids[:3])
	ef2, err := OpenEvents(path2)
	if err != nil {
		t.Fatal(err)
	}
	defer ef2.Close()
	if !reflect.DeepEqual(ef2.Header().SignalEvents, h2.SignalEvents) || ef2.Header().BackgroundEvents != 7 {
		t.Errorf("explicit sample summary = %v, %d", ef2.Header().SignalEvents, ef2.Header().BackgroundEvents)
	}
}

// TestEventsCopyRealFiles copies each real events file through
// OpenEvents/CreateEvents and checks that the copy reads back identically.
func TestEventsCopyRealFiles(t *testing.T) {
	real := repotest.Shared(t, "data/madminer")
	want := loadSummaries(t)
	dir := t.TempDir()
	for _, file := range []string{"zh_lhe_data_5000ev.h5", "ppjj_scale_nuisance_1000ev.h5", "madminer2019_oldformat_926ev.h5"} {
		out := copyEvents(t, filepath.Join(real, file), filepath.Join(dir, file))
		got := goView(t, out, 97)
		w := want[file]
		if file == "madminer2019_oldformat_926ev.h5" {
			// The copy is written in the current layout: val_ranges, and the
			// sample summary and sampling ids (all -1) counted from the events.
			w = copySummaries(w)
			w["parameters/val_ranges"] = w["parameters/ranges"]
			delete(w, "parameters/ranges")
			delete(got, "samples/sampling_benchmarks")
			delete(got, "sample_summary/signal_events")
			delete(got, "sample_summary/background_events")
		}
		compareView(t, file+" (copy)", got, w)
	}
}

func copySummaries(m map[string]h5Summary) map[string]h5Summary {
	c := make(map[string]h5Summary)
	for k, v := range m {
		c[k] = v
	}
	return c
}

// copyEvents copies the events file src to dst through the store API.
func copyEvents(t testing.TB, src, dst string) string {
	t.Helper()
	ef, err := OpenEvents(src)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	ew, err := CreateEvents(dst, ef.Header())
	if err != nil {
		t.Fatal(err)
	}
	no, nb := len(ef.Header().ObservableNames), len(ef.Header().Benchmarks)
	err = ef.Read(0, -1, 1000, func(b *Batch) error {
		for i := 0; i < b.N; i++ {
			if err := ew.Write(b.X[i*no:(i+1)*no], b.Weights[i*nb:(i+1)*nb], b.SamplingBenchmarks[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		ew.Abort()
		t.Fatal(err)
	}
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestH5pyReadsOurFiles has python3 h5py read files written by store and
// compares dataset names, dtypes, shapes and values with MadMiner's own
// zh_setup.h5 and zh_lhe_data_5000ev.h5. Skipped without python3 + h5py.
func TestH5pyReadsOurFiles(t *testing.T) {
	py := pythonH5py()
	if py == "" {
		t.Skip("python3 with h5py and numpy not available")
	}
	real := repotest.Shared(t, "data/madminer")
	want := loadSummaries(t)
	dir := t.TempDir()

	s, err := ReadSetup(filepath.Join(real, "zh_setup.h5"))
	if err != nil {
		t.Fatal(err)
	}
	setupOut := filepath.Join(dir, "zh_setup.h5")
	if err := WriteSetup(setupOut, s); err != nil {
		t.Fatal(err)
	}
	eventsOut := copyEvents(t, filepath.Join(real, "zh_lhe_data_5000ev.h5"), filepath.Join(dir, "zh_lhe_data_5000ev.h5"))
	ppjjOut := copyEvents(t, filepath.Join(real, "ppjj_scale_nuisance_1000ev.h5"), filepath.Join(dir, "ppjj_scale_nuisance_1000ev.h5"))

	summaries := runSummary(t, py, setupOut, eventsOut, ppjjOut)
	for _, out := range []string{setupOut, eventsOut, ppjjOut} {
		file := filepath.Base(out)
		got, ok := summaries[file]
		if !ok {
			t.Fatalf("no h5py summary of %s", file)
		}
		ref := want[file]
		for _, name := range sortedKeys(ref) {
			g, ok := got[name]
			if !ok {
				t.Errorf("%s: h5py finds no %s in our file", file, name)
				continue
			}
			r := ref[name]
			if g.Dtype != r.Dtype || !sameShape(g.Shape, r.Shape...) {
				t.Errorf("%s: %s is %s %v in our file, %s %v in MadMiner's", file, name, g.Dtype, g.Shape, r.Dtype, r.Shape)
			}
			if !equalStrings(g.Strings, r.Strings) || !equalFloats(g.First, r.First) || !equalFloats(g.Last, r.Last) {
				t.Errorf("%s: %s values differ: ours %v %v %v, MadMiner %v %v %v", file, name, g.Strings, g.First, g.Last, r.Strings, r.First, r.Last)
			}
			if (g.Sum == nil) != (r.Sum == nil) || (g.Sum != nil && *g.Sum != *r.Sum) {
				t.Errorf("%s: %s sums differ", file, name)
			}
		}
		for _, name := range sortedKeys(got) {
			if _, ok := ref[name]; !ok {
				t.Errorf("%s: our file has %s, MadMiner's does not", file, name)
			}
		}
	}
}

// An events file marks a reference benchmark (benchmarks/is_reference), as
// MadMiner's readers do: the first physics benchmark unless the header marks
// one. Read back with our reader and, where available, with h5py.
func TestEventsMarkReference(t *testing.T) {
	dir := t.TempDir()
	py := pythonH5py()
	for _, tc := range []struct {
		name  string
		edit  func(h *EventsHeader)
		want  int
		setup bool // setup files stay unmarked, as MadMiner's
	}{
		{"first physics", func(h *EventsHeader) { h.Benchmarks[0].IsReference = false }, 0, false},
		{"given", func(h *EventsHeader) { h.Benchmarks[0].IsReference = false; h.Benchmarks[2].IsReference = true }, 2, false},
		{"nuisance first", func(h *EventsHeader) {
			h.Benchmarks[0].IsReference = false
			h.Benchmarks[0].IsNuisance = true
		}, 1, false},
		{"setup", func(h *EventsHeader) { h.Benchmarks[0].IsReference = false }, -1, true},
	} {
		h := testHeader()
		tc.edit(h)
		path := filepath.Join(dir, tc.name+".h5")
		var flags []bool
		if tc.setup {
			if err := WriteSetup(path, &h.Setup); err != nil {
				t.Fatal(err)
			}
			s, err := ReadSetup(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range s.Benchmarks {
				flags = append(flags, b.IsReference)
			}
		} else {
			x, w, ids := testRows(h, 10, 1)
			writeEvents(t, path, h, x, w, ids)
			got, err := ReadEventsHeader(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range got.Benchmarks {
				flags = append(flags, b.IsReference)
			}
			for i, b := range h.Benchmarks {
				if b.IsReference && tc.name != "given" {
					t.Errorf("%s: CreateEvents marked benchmark %d of the caller's header", tc.name, i)
				}
			}
		}
		for i, f := range flags {
			if f != (i == tc.want) {
				t.Errorf("%s: benchmark %d is_reference %v, want the reference at %d", tc.name, i, f, tc.want)
			}
		}
		if py == "" {
			continue
		}
		out, err := exec.Command(py, "-c", "import h5py, sys; print(list(h5py.File(sys.argv[1], 'r')['benchmarks/is_reference'][()]))", path).Output()
		if err != nil {
			t.Fatalf("%s: h5py: %v", tc.name, err)
		}
		want := make([]string, len(flags))
		for i := range want {
			want[i] = "0"
			if i == tc.want {
				want[i] = "1"
			}
		}
		if s := strings.TrimSpace(string(out)); s != "["+strings.Join(want, ", ")+"]" {
			t.Errorf("%s: h5py reads is_reference %s, want [%s]", tc.name, s, strings.Join(want, ", "))
		}
	}
}
