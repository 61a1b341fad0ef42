// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/internal/seed"
	"github.com/goldmine-hep/goldmine/store"
)

// writeParts writes n partial files of per events each with the header h
// (the ZH card's five observables and six benchmarks), as parts of one
// sample, with random observables and positive weights.
func writeParts(t *testing.T, dir string, h *store.EventsHeader, n, per int) []string {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, len(h.ObservableNames))
	w := make([]float64, len(h.Benchmarks))
	var paths []string
	for k := 0; k < n; k++ {
		ph := *h
		ph.Part = &store.Part{Sample: "zh", Events: int64(per)}
		ph.SignalEvents, ph.BackgroundEvents = nil, 0
		p := filepath.Join(dir, fmt.Sprint("part", k, ".h5"))
		ew, err := store.CreateEvents(p, &ph)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < per; i++ {
			for j := range x {
				x[j] = rng.NormFloat64()
			}
			for j := range w {
				w[j] = rng.Float64() / float64(per)
			}
			if err := ew.Write(x, w, i%len(w)); err != nil {
				t.Fatal(err)
			}
		}
		if err := ew.Close(); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// timedMerge merges inputs shuffled with the analyse/shuffle generator of
// s and returns the time per event and the peak HeapInuse sampled during
// the merge.
func timedMerge(t *testing.T, out string, inputs []string, s uint64) (nsPerEvent float64, peak uint64, events int) {
	t.Helper()
	// A low GOGC keeps HeapInuse close to the live heap.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var (
		res *store.MergeResult
		err error
		el  time.Duration
	)
	peak = repotest.PeakHeap(2*time.Millisecond, func() {
		start := time.Now()
		res, err = store.MergeEvents(out, inputs, &store.MergeSettings{Shuffle: seed.Rand(s, "analyse/shuffle")})
		el = time.Since(start)
	})
	if err != nil {
		t.Fatal(err)
	}
	return float64(el.Nanoseconds()) / float64(res.Events), peak, res.Events
}

// TestMergeRate compares, in one run, the time per event of merging
// partial events files of 10k events each (the ZH card's width: five
// observables, six benchmark weights; shuffled with the analyse/shuffle
// generator, as the analyse merge does) with the time per event of
// goldmine analyse reading the bundled 5000-event ZH LHE file, and wants
// the merge no slower. It merges 100 parts (10⁶ events).
//
// It also checks that the merge's memory is bounded by its batch: the
// peak heap (HeapInuse, GOGC 10) of merging 20 parts and of merging 100
// may differ only by the shuffle's permutation, one int (8 bytes)
// per event, plus 4 MiB of slack for the runtime and sampling.
func TestMergeRate(t *testing.T) {
	env := NewEnv(loadCard(t, "cards/zh.yaml"), filepath.Join(t.TempDir(), "work"), nil, nil)
	if _, err := Setup(env); err != nil {
		t.Fatal(err)
	}
	// goldmine analyse on the bundled file, the best of three runs.
	analyseNs := 0.0
	var events string
	for i := 0; i < 3; i++ {
		start := time.Now()
		res, err := Analyse(env)
		if err != nil {
			t.Fatal(err)
		}
		ns := float64(time.Since(start).Nanoseconds()) / float64(res.EventsRead)
		if i == 0 || ns < analyseNs {
			analyseNs = ns
		}
		events = res.File
	}
	h, err := store.ReadEventsHeader(events)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.ObservableNames) != 5 || len(h.Benchmarks) != 6 {
		t.Fatalf("the ZH card writes %d observables and %d benchmarks, want 5 and 6", len(h.ObservableNames), len(h.Benchmarks))
	}

	// 100 parts take about 4 s here: no smaller run for -short.
	const small, large = 20, 100
	const per = 10_000
	dir := t.TempDir()
	inputs := writeParts(t, dir, h, large, per)
	nsSmall, peakSmall, nSmall := timedMerge(t, filepath.Join(dir, "small.h5"), inputs[:small], env.Seed)
	mergeNs, peakLarge, nLarge := timedMerge(t, filepath.Join(dir, "large.h5"), inputs, env.Seed)
	if nSmall != small*per || nLarge != large*per {
		t.Fatalf("merged %d and %d events, want %d and %d", nSmall, nLarge, small*per, large*per)
	}
	const mib = 1 << 20
	t.Logf("merge %d×%d: %.0f ns/event, peak heap %.1f MiB; %d×%d: %.0f ns/event, peak heap %.1f MiB",
		large, per, mergeNs, float64(peakLarge)/mib, small, per, nsSmall, float64(peakSmall)/mib)
	t.Logf("analyse (bundled ZH, 5000 events): %.0f ns/event; merge/analyse = %.3f", analyseNs, mergeNs/analyseNs)
	if mergeNs > analyseNs {
		t.Errorf("merging takes %.0f ns/event, analyse %.0f ns/event: the merge is slower by %.2f×", mergeNs, analyseNs, mergeNs/analyseNs)
	}
	bound := uint64(8*(nLarge-nSmall)) + 4*mib
	if peakLarge > peakSmall+bound {
		t.Errorf("peak heap %.1f MiB for %d events, %.1f MiB for %d: grows by more than 8 bytes an event (+4 MiB)",
			float64(peakLarge)/mib, nLarge, float64(peakSmall)/mib, nSmall)
	}
}
