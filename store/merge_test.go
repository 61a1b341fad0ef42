// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/internal/seed"
)

// mergeSample is one sample of the emulated analysis: raw events split
// into parts (each part one input file of the sample), normalised per
// event (MG5's event_norm average: weight/events) or not (sum).
type mergeSample struct {
	name    string
	id      int // sampling benchmark, -1 background
	parts   []int
	average bool
}

// rawEvents makes the raw events of a sample: observables, raw weights,
// and whether the event passes the cuts (about 10% do not).
func rawEvents(h *EventsHeader, n int, rng *rand.Rand) (x, w [][]float64, pass []bool) {
	no, nb := len(h.ObservableNames), len(h.Benchmarks)
	for i := 0; i < n; i++ {
		xi := make([]float64, no)
		for j := range xi {
			xi[j] = rng.NormFloat64() * 100
		}
		wi := make([]float64, nb)
		for j := range wi {
			wi[j] = rng.ExpFloat64() * 0.3
		}
		if i%97 == 5 {
			wi[1] = -wi[1] // negative weights are kept
		}
		x, w, pass = append(x, xi), append(w, wi), append(pass, rng.Float64() > 0.1)
	}
	return x, w, pass
}

// TestMergeEqualsWhole analyses samples as a single run of goldmine
// analyse does (rows spilled in sample order, normalised by each
// sample's event count, shuffled with the analyse/shuffle generator) and
// as parts (each part normalised by its own event count, written in file
// order with its Part), then merges the parts with the same generator: the
// merged file must be the single run's, observables and sampling ids bit
// for bit and weights and cross sections to 1e-12.
func TestMergeEqualsWhole(t *testing.T) {
	h := testHeader()
	samples := []mergeSample{
		{name: "zh", id: 0, parts: []int{700, 800, 900, 601}, average: true},
		{name: "bkg", id: -1, parts: []int{1000}},
		{name: "zh_b1", id: 1, parts: []int{450, 750}, average: true},
	}
	const cardSeed = 1234
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	no, nb := len(h.ObservableNames), len(h.Benchmarks)

	// The single run.
	sp, err := NewSpill(dir, no+nb+2)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	var scales []float64
	var parts []string
	row := make([]float64, no+nb+2)
	for si, s := range samples {
		total := 0
		for _, n := range s.parts {
			total += n
		}
		x, w, pass := rawEvents(h, total, rng)
		scale := 1.0
		if s.average {
			scale = 1 / float64(total)
		}
		scales = append(scales, scale)
		start := 0
		for k, n := range s.parts {
			ph := h.clone()
			ph.Part = &Part{Sample: s.name, Events: int64(n), Job: fmt.Sprint(100 + k)}
			path := filepath.Join(dir, fmt.Sprintf("%s_%d.h5", s.name, k))
			ew, err := CreateEvents(path, &ph)
			if err != nil {
				t.Fatal(err)
			}
			pscale := 1.0
			if s.average {
				pscale = 1 / float64(n)
			}
			pw := make([]float64, nb)
			for i := start; i < start+n; i++ {
				if !pass[i] {
					continue
				}
				copy(row, x[i])
				copy(row[no:], w[i])
				row[no+nb], row[no+nb+1] = float64(s.id), float64(si)
				if err := sp.Write(row); err != nil {
					t.Fatal(err)
				}
				for b := range pw {
					pw[b] = w[i][b] * pscale
				}
				if err := ew.Write(x[i], pw, s.id); err != nil {
					t.Fatal(err)
				}
			}
			if err := ew.Close(); err != nil {
				t.Fatal(err)
			}
			parts = append(parts, path)
			start += n
		}
	}
	whole := filepath.Join(dir, "whole.h5")
	ew, err := CreateEvents(whole, h)
	if err != nil {
		t.Fatal(err)
	}
	wantXSec := make([]float64, nb)
	err = sp.Shuffled(seed.Rand(cardSeed, "analyse/shuffle"), func(r []float64) error {
		for b := 0; b < nb; b++ {
			r[no+b] *= scales[int(r[no+nb+1])]
			wantXSec[b] += r[no+b]
		}
		return ew.Write(r[:no], r[no:no+nb], int(r[no+nb]))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}

	merged := filepath.Join(dir, "merged.h5")
	res, err := MergeEvents(merged, parts, &MergeSettings{Shuffle: seed.Rand(cardSeed, "analyse/shuffle"), Batch: 333})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Samples) != 3 || res.Samples[0].Name != "zh" || len(res.Samples[0].Files) != 4 || res.Samples[0].Events != 3001 {
		t.Fatalf("samples %+v", res.Samples)
	}
	if f := res.Samples[1].Factors; len(f) != 1 || f[0] != 1 {
		t.Errorf("a sample in one file is scaled by %v", f)
	}
	for b := range wantXSec {
		if d := math.Abs(res.XSec[b]-wantXSec[b]) / math.Abs(wantXSec[b]); d > 1e-12 {
			t.Errorf("benchmark %d: merged σ %v, single run %v (rel. %.1e)", b, res.XSec[b], wantXSec[b], d)
		}
	}
	compareEvents(t, whole, merged, 1e-12)

	// Without shuffling, the parts follow each other in input order.
	plain := filepath.Join(dir, "plain.h5")
	if _, err := MergeEvents(plain, parts, nil); err != nil {
		t.Fatal(err)
	}
	ef, err := OpenEvents(plain)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	if ef.Header().Part != nil {
		t.Error("the merged file is marked as a part")
	}
}

// compareEvents compares two events files: headers, observables and
// sampling ids exactly, weights to a relative tol (exactly when tol is 0).
func compareEvents(t *testing.T, want, got string, tol float64) {
	t.Helper()
	a, err := OpenEvents(want)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenEvents(got)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if d := diffHeaders(a.Header(), b.Header()); d != "" {
		t.Fatalf("headers differ: %s", d)
	}
	ha, hb := a.Header(), b.Header()
	if fmt.Sprint(ha.SignalEvents, ha.BackgroundEvents) != fmt.Sprint(hb.SignalEvents, hb.BackgroundEvents) {
		t.Errorf("sample summary %v %d, want %v %d", hb.SignalEvents, hb.BackgroundEvents, ha.SignalEvents, ha.BackgroundEvents)
	}
	if a.N() != b.N() {
		t.Fatalf("%d events, want %d", b.N(), a.N())
	}
	var ba Batch
	worst := 0.0
	err = a.Read(0, -1, 1000, func(x *Batch) error {
		ba.X = append(ba.X[:0], x.X...)
		ba.Weights = append(ba.Weights[:0], x.Weights...)
		ba.SamplingBenchmarks = append(ba.SamplingBenchmarks[:0], x.SamplingBenchmarks...)
		return b.Read(x.Start, x.Start+x.N, x.N, func(y *Batch) error {
			for i := range y.X {
				if math.Float64bits(y.X[i]) != math.Float64bits(ba.X[i]) {
					return fmt.Errorf("observable %d of event block %d: %v, want %v", i, x.Start, y.X[i], ba.X[i])
				}
			}
			for i := range y.SamplingBenchmarks {
				if y.SamplingBenchmarks[i] != ba.SamplingBenchmarks[i] {
					return fmt.Errorf("event %d: sampling benchmark %d, want %d", x.Start+i, y.SamplingBenchmarks[i], ba.SamplingBenchmarks[i])
				}
			}
			for i := range y.Weights {
				d := math.Abs(y.Weights[i]-ba.Weights[i]) / math.Max(math.Abs(ba.Weights[i]), math.SmallestNonzeroFloat64)
				worst = math.Max(worst, d)
				if d > tol {
					return fmt.Errorf("weight %d of event block %d: %v, want %v", i, x.Start, y.Weights[i], ba.Weights[i])
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("largest relative weight difference %.2g", worst)
}

func TestMergeRefusesDifferentHeaders(t *testing.T) {
	dir := t.TempDir()
	h := testHeader()
	x, w, ids := testRows(h, 20, 1)
	a := filepath.Join(dir, "a.h5")
	writeEvents(t, a, h, x, w, ids)
	for _, tc := range []struct {
		name string
		edit func(h *EventsHeader)
		want string
	}{
		{"benchmark", func(h *EventsHeader) { h.Benchmarks[2].Name = "other" }, "benchmark 2: b2"},
		{"benchmark value", func(h *EventsHeader) { h.Benchmarks[1].Values = []float64{0.25, 0.5} }, "benchmark 1"},
		{"observable", func(h *EventsHeader) { h.ObservableDefinitions[1] = "p[0].m" }, "observable m_zh"},
		{"observables", func(h *EventsHeader) { h.ObservableNames[0] = "pt" }, "observables"},
		{"nuisance", func(h *EventsHeader) { h.NuisanceParameters[1].BenchmarkPositive = "mu_up" }, "nuisance parameters"},
		{"parameter", func(h *EventsHeader) { h.Parameters[1].Range[1] = 3 }, "parameter 1"},
		{"morphing", func(h *EventsHeader) { h.MorphingMatrix.Set(1, 1, 1.25) }, "morphing matrix element (1, 1)"},
		{"systematics", func(h *EventsHeader) { h.Systematics[1].Value = "0.2" }, "systematics"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hb := testHeader()
			tc.edit(hb)
			b := filepath.Join(dir, tc.name+".h5")
			writeEvents(t, b, hb, x, w, ids)
			out := filepath.Join(dir, "out.h5")
			_, err := MergeEvents(out, []string{a, b}, nil)
			if err == nil || !strings.Contains(err.Error(), a) || !strings.Contains(err.Error(), b) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %s, %s and %q", err, a, b, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a refused merge left its output")
			}
		})
	}
}

// TestMergeAtomic: a merge that fails half-way (an input vanishes after
// the headers were read) leaves neither its output nor a temporary file.
func TestMergeAtomic(t *testing.T) {
	dir := t.TempDir()
	h := testHeader()
	x, w, ids := testRows(h, 50, 2)
	var inputs []string
	for i := 0; i < 3; i++ {
		p := filepath.Join(dir, fmt.Sprint("p", i, ".h5"))
		writeEvents(t, p, h, x, w, ids)
		inputs = append(inputs, p)
	}
	// A truncated last input passes the header check but not the read.
	data, err := os.ReadFile(inputs[2])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inputs[2], data[:len(data)-200], 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out", "merged.h5")
	os.MkdirAll(filepath.Dir(out), 0o755)
	if _, err := MergeEvents(out, inputs, &MergeSettings{Shuffle: rand.New(rand.NewPCG(1, 1))}); err == nil {
		t.Fatal("merge of a truncated input succeeded")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 0 {
		t.Errorf("a failed merge left %v", entries)
	}
}

func TestPartRoundTrip(t *testing.T) {
	dir := t.TempDir()
	h := testHeader()
	h.Part = &Part{Sample: "zh", Events: 1234, Job: "42"}
	x, w, ids := testRows(h, 10, 3)
	p := filepath.Join(dir, "p.h5")
	writeEvents(t, p, h, x, w, ids)
	got, err := ReadEventsHeader(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Part == nil || *got.Part != *h.Part {
		t.Errorf("part %+v, want %+v", got.Part, h.Part)
	}
	h.Part = &Part{Sample: "zh"}
	if _, err := CreateEvents(filepath.Join(dir, "q.h5"), h); err == nil {
		t.Error("a part of 0 events was accepted")
	}
}

// BenchmarkMerge merges 100 partial files of 10k events each (7
// observables, 6 weights, as the ZH study), shuffled, and reports
// events/s and the peak heap, which stays at a few batches whatever the
// number of events.
func BenchmarkMerge(b *testing.B) {
	dir := b.TempDir()
	var inputs []string
	for i := 0; i < 100; i++ {
		p := filepath.Join(dir, fmt.Sprint("part", i, ".h5"))
		writeBenchFile(b, p, 10_000)
		inputs = append(inputs, p)
	}
	out := filepath.Join(dir, "merged.h5")
	b.ReportAllocs()
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		var (
			res *MergeResult
			err error
		)
		peak = max(peak, repotest.PeakHeap(2*time.Millisecond, func() {
			res, err = MergeEvents(out, inputs, &MergeSettings{Shuffle: rand.New(rand.NewPCG(1, 2))})
		}))
		if err != nil {
			b.Fatal(err)
		}
		benchSink += res.XSec[0]
	}
	b.ReportMetric(float64(100*10_000)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
