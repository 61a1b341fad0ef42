// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/internal/seed"
	"github.com/goldmine-hep/goldmine/store"
)

// TestAnalysePartsMergeEqualsWhole cuts the bundled 5000-event ZH file
// into four LHE files of 1200, 1300, 1250 and 1250 events, analyses each
// without shuffling as a part of sample zh, merges the parts with the
// analyse/shuffle generator of the card's seed, and compares with goldmine
// analyse of the whole file: observables and sampling ids bit for bit,
// weights and cross sections to 1e-12 (each part is normalised by its own
// event count, the merge by events over the sample's).
func TestAnalysePartsMergeEqualsWhole(t *testing.T) {
	root := repotest.Root(t)
	wholeEnv := NewEnv(loadCard(t, "cards/zh.yaml"), filepath.Join(t.TempDir(), "whole"), nil, nil)
	if _, err := Setup(wholeEnv); err != nil {
		t.Fatal(err)
	}
	whole, err := Analyse(wholeEnv)
	if err != nil {
		t.Fatal(err)
	}

	// The LHE file cut into four valid LHE files.
	raw, err := os.ReadFile(filepath.Join(root, "cards/data/zh_smeft_cHW_cHq3_5000ev.lhe.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	head := text[:bytes.Index(text, []byte("<event>"))]
	events := bytes.SplitAfter(text[len(head):bytes.LastIndex(text, []byte("</event>"))+len("</event>\n")], []byte("</event>\n"))
	events = events[:len(events)-1] // the empty rest after the last
	if len(events) != 5000 {
		t.Fatalf("%d events in the bundled file", len(events))
	}
	var partials []string
	start := 0
	for k, n := range []int{1200, 1300, 1250, 1250} {
		dir := filepath.Join(t.TempDir(), fmt.Sprint("part", k))
		os.MkdirAll(dir, 0o755)
		lhe := filepath.Join(dir, "part.lhe")
		body := append(append(append([]byte(nil), head...), bytes.Join(events[start:start+n], nil)...), "</LesHouchesEvents>\n"...)
		if err := os.WriteFile(lhe, body, 0o644); err != nil {
			t.Fatal(err)
		}
		start += n
		c := loadCard(t, "cards/zh.yaml")
		c.Samples[0].LHE = lhe
		off := false
		c.Shuffle = &off
		env := NewEnv(c, filepath.Join(dir, "work"), nil, nil)
		if _, err := Setup(env); err != nil {
			t.Fatal(err)
		}
		res, err := Analyse(env)
		if err != nil {
			t.Fatal(err)
		}
		if res.EventsRead != n {
			t.Fatalf("part %d: read %d events, want %d", k, res.EventsRead, n)
		}
		partials = append(partials, markPart(t, res.File, filepath.Join(dir, "partial.h5"), &store.Part{Sample: "zh", Events: int64(n)}))
	}

	merged := filepath.Join(t.TempDir(), "merged.h5")
	res, err := store.MergeEvents(merged, partials, &store.MergeSettings{Shuffle: seed.Rand(wholeEnv.Seed, "analyse/shuffle")})
	if err != nil {
		t.Fatal(err)
	}
	for b, name := range whole.Benchmarks {
		if d := math.Abs(res.XSec[b]/whole.XSecPB[name] - 1); d > 1e-12 {
			t.Errorf("σ(%s): merged %v, whole %v (rel. %.1e)", name, res.XSec[b], whole.XSecPB[name], d)
		}
	}
	wh, wx, ww, wid := readAll(t, whole.File)
	mh, mx, mw, mid := readAll(t, merged)
	if len(wx) != len(mx) || fmt.Sprint(wh.SignalEvents, wh.BackgroundEvents) != fmt.Sprint(mh.SignalEvents, mh.BackgroundEvents) {
		t.Fatalf("merged %d events (summary %v %d), whole %d (%v %d)", len(mx), mh.SignalEvents, mh.BackgroundEvents, len(wx), wh.SignalEvents, wh.BackgroundEvents)
	}
	worst := 0.0
	for i := range wx {
		for j := range wx[i] {
			if math.Float64bits(wx[i][j]) != math.Float64bits(mx[i][j]) {
				t.Fatalf("event %d, observable %d: merged %v, whole %v", i, j, mx[i][j], wx[i][j])
			}
		}
		if wid[i] != mid[i] {
			t.Fatalf("event %d: sampling benchmark %d, whole %d", i, mid[i], wid[i])
		}
		for j := range ww[i] {
			worst = math.Max(worst, math.Abs(mw[i][j]-ww[i][j])/math.Abs(ww[i][j]))
		}
	}
	if worst > 1e-12 {
		t.Errorf("weights differ by up to %.2g (relative)", worst)
	}
	t.Logf("%d events; largest relative weight difference %.2g", len(wid), worst)
}

// markPart copies the events file src to dst with p in its header, as the
// analyse shard of a stage unit will write it.
func markPart(t *testing.T, src, dst string, p *store.Part) string {
	t.Helper()
	ef, err := store.OpenEvents(src)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	h := *ef.Header()
	h.Part, h.SignalEvents = p, nil
	w, err := store.CreateEvents(dst, &h)
	if err != nil {
		t.Fatal(err)
	}
	if err := ef.Read(0, -1, 1000, func(b *store.Batch) error { return w.WriteBatch(b.X, b.Weights, b.SamplingBenchmarks) }); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}
