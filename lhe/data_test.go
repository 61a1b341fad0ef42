// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// rawText returns the decompressed content of an LHE file, read with
// compress/gzip and os only (independent of the Reader).
func rawText(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			tb.Fatal(err)
		}
		b, err = io.ReadAll(zr)
		if err != nil {
			tb.Fatal(err)
		}
	}
	return b
}

// indep is what the independent scan of a file finds.
type indep struct {
	ids    []string // declared weight ids, unique, in order
	events []indepEvent
}

type indepEvent struct {
	line    int // line of the <event> tag
	fields  [][]string
	wgts    map[string]float64 // <rwgt> weights by id
	nwgt    int                // number of <wgt elements
	weights []float64          // <weights> values
}

var (
	reWeightID  = regexp.MustCompile(`<weight\s+id=['"]([^'"]*)['"]`)
	reWeightInf = regexp.MustCompile(`<weightinfo\s+name=['"]([^'"]*)['"]`)
	reWgt       = regexp.MustCompile(`<wgt\s+id=['"]([^'"]*)['"]\s*>([^<]*)</wgt>`)
	reWeights   = regexp.MustCompile(`(?s)<weights>(.*?)</weights>`)
	reEventTag  = regexp.MustCompile(`(?m)^\s*<event[ >]`)
)

// scanIndependently finds events, particle fields and weights with regular
// expressions, strings.Fields and strconv, never with the Reader.
func scanIndependently(tb testing.TB, text []byte) indep {
	tb.Helper()
	var in indep
	first := reEventTag.FindIndex(text)
	head := text
	if first != nil {
		head = text[:first[0]]
	}
	seen := map[string]bool{}
	for _, m := range reWeightID.FindAllSubmatch(head, -1) {
		if id := string(m[1]); !seen[id] {
			seen[id] = true
			in.ids = append(in.ids, id)
		}
	}
	if len(in.ids) == 0 {
		for _, m := range reWeightInf.FindAllSubmatch(head, -1) {
			in.ids = append(in.ids, string(m[1]))
		}
	}
	locs := reEventTag.FindAllIndex(text, -1)
	for k, loc := range locs {
		end := len(text)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		body := text[loc[0]:end]
		ev := indepEvent{line: 1 + bytes.Count(text[:loc[0]], []byte("\n")), wgts: map[string]float64{}}
		lines := strings.Split(string(body), "\n")[1:]
		nup := -1
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) == 0 {
				continue
			}
			if nup < 0 {
				if len(f) != 6 {
					tb.Fatalf("line %d: event line has %d fields", ev.line+1, len(f))
				}
				nup, _ = strconv.Atoi(f[0])
				ev.fields = append(ev.fields, f)
				continue
			}
			if len(ev.fields) <= nup {
				ev.fields = append(ev.fields, f)
			}
		}
		for _, m := range reWgt.FindAllSubmatch(body, -1) {
			v, err := strconv.ParseFloat(strings.TrimSpace(string(m[2])), 64)
			if err != nil {
				tb.Fatal(err)
			}
			ev.wgts[string(m[1])] = v
		}
		ev.nwgt = bytes.Count(body, []byte("<wgt "))
		if m := reWeights.FindSubmatch(body); m != nil {
			for _, f := range strings.Fields(string(m[1])) {
				v, err := strconv.ParseFloat(f, 64)
				if err != nil {
					tb.Fatal(err)
				}
				ev.weights = append(ev.weights, v)
			}
		}
		in.events = append(in.events, ev)
	}
	return in
}

// strconvFloat parses a field as the generators write it, with strconv.
func strconvFloat(tb testing.TB, s string) float64 {
	tb.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		tb.Fatalf("strconv: %v", err)
	}
	return v
}

// TestAllFiles reads every file of shared/data/lhe and compares events,
// weight ids, per-event weights and every particle field with an
// independent scan of the decompressed text.
func TestAllFiles(t *testing.T) {
	dir := repotest.Shared(t, "data/lhe")
	files, err := filepath.Glob(filepath.Join(dir, "*.lhe*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no LHE files in %s (%v)", dir, err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			if testing.Short() && strings.Contains(name, "30000ev") {
				t.Skip("large file skipped in -short mode")
			}
			want := scanIndependently(t, rawText(t, path))
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			h := r.Header()
			if len(h.Weights) != len(want.ids) {
				t.Fatalf("got %d weight ids, want %d", len(h.Weights), len(want.ids))
			}
			for i, w := range h.Weights {
				if w.ID != want.ids[i] {
					t.Errorf("weight %d: id %q, want %q", i, w.ID, want.ids[i])
				}
				if j, ok := h.WeightIndex(w.ID); !ok || j != i {
					t.Errorf("WeightIndex(%q) = %d, %v, want %d", w.ID, j, ok, i)
				}
			}
			n := 0
			for r.Next() {
				ev := r.Event()
				if n >= len(want.events) {
					t.Fatalf("reader returned more than %d events", len(want.events))
				}
				we := want.events[n]
				compareEvent(t, ev, n, we, h)
				n++
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if n != len(want.events) {
				t.Fatalf("got %d events, want %d", n, len(want.events))
			}
			t.Logf("%d events, %d weight ids", n, len(h.Weights))
		})
	}
}

func compareEvent(t *testing.T, ev *Event, n int, we indepEvent, h *Header) {
	t.Helper()
	if ev.Index != n || ev.Line != we.line {
		t.Fatalf("event %d: Index %d, Line %d, want line %d", n, ev.Index, ev.Line, we.line)
	}
	f0 := we.fields[0]
	if nup, _ := strconv.Atoi(f0[0]); nup != len(ev.Particles) || len(we.fields) != nup+1 {
		t.Fatalf("event %d: %d particles, want %d", n, len(ev.Particles), nup)
	}
	if ev.Weight != strconvFloat(t, f0[2]) || ev.Scale != strconvFloat(t, f0[3]) ||
		ev.AQED != strconvFloat(t, f0[4]) || ev.AQCD != strconvFloat(t, f0[5]) {
		t.Fatalf("event %d: event line %v, got %+v", n, f0, ev)
	}
	for i := range ev.Particles {
		p := &ev.Particles[i]
		f := we.fields[i+1]
		ints := []int{p.PDGID, p.Status, p.Mothers[0], p.Mothers[1], p.Colors[0], p.Colors[1]}
		for k, v := range ints {
			if w, _ := strconv.Atoi(f[k]); w != v {
				t.Fatalf("event %d particle %d field %d: got %d, want %s", n, i, k, v, f[k])
			}
		}
		fl := []float64{p.Px, p.Py, p.Pz, p.E, p.M, p.Lifetime, p.Spin}
		for k, v := range fl {
			// Bit-exact agreement with strconv.
			if w := strconvFloat(t, f[6+k]); math.Float64bits(w) != math.Float64bits(v) {
				t.Fatalf("event %d particle %d field %d: got %v, want %v (%s)", n, i, 6+k, v, w, f[6+k])
			}
		}
	}
	if len(ev.Weights) != len(h.Weights) {
		t.Fatalf("event %d: %d weights, want %d", n, len(ev.Weights), len(h.Weights))
	}
	switch {
	case we.nwgt > 0:
		if we.nwgt != len(h.Weights) || len(we.wgts) != we.nwgt {
			t.Fatalf("event %d: file has %d <wgt> (%d ids), header %d", n, we.nwgt, len(we.wgts), len(h.Weights))
		}
		for id, w := range we.wgts {
			i, ok := h.WeightIndex(id)
			if !ok || ev.Weights[i] != w {
				t.Fatalf("event %d: weight %q = %v, want %v", n, id, ev.Weights[i], w)
			}
		}
	case we.weights != nil:
		for i, w := range we.weights {
			if ev.Weights[i] != w {
				t.Fatalf("event %d: weight %d = %v, want %v", n, i, ev.Weights[i], w)
			}
		}
	default:
		if len(h.Weights) != 0 {
			t.Fatalf("event %d: no weights in the file, header declares %d", n, len(h.Weights))
		}
	}
}

func regexpCompile(expr string) *regexp.Regexp { return regexp.MustCompile(expr) }

func regexpAll(expr, s string) [][]string {
	return regexp.MustCompile(expr).FindAllStringSubmatch(s, -1)
}
