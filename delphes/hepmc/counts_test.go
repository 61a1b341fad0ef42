// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package hepmc

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestDeclaredCounts checks that the counts of E, V and P lines are
// bounded by what the event holds before anything is allocated from them:
// each hostile count is an error naming the line, in well under a second,
// with little memory allocated.
func TestDeclaredCounts(t *testing.T) {
	const v2 = "HepMC::Version 2.06.09\nHepMC::IO_GenEvent-START_EVENT_LISTING\n"
	const end2 = "HepMC::IO_GenEvent-END_EVENT_LISTING\n"
	good2 := v2 + "E 1 0 0 0 0 20 -1 2 0 0 0 2 1.5 2.5\nU GEV MM\n" +
		"V -1 0 0 0 0 0 1 1 0\nP 1 2212 0 0 7000 7000 0 3 0 0 -1 0\nP 3 1 1 2 30 30.1 0 1 0 0 0 0\n" +
		"V -2 0 0 0 0 0 1 0 0\nP 2 2212 0 0 -7000 7000 0 3 0 0 0 0\n" + end2
	const v3 = "HepMC::Version 3.02.05\nHepMC::Asciiv3-START_EVENT_LISTING\n"
	const end3 = "HepMC::Asciiv3-END_EVENT_LISTING\n"
	good3 := v3 + "E 0 1 2\nU GEV MM\nP 1 0 2212 0 0 10 10 0 4\nP 2 1 11 0 0 10 10 0 1\n" + end3
	for _, c := range []struct {
		name, text, old, new, want string
	}{
		{"v2 vertices", good2, "-1 2 0 0 0 2", "-1 2000000000000 0 0 0 2", "t.hepmc:3: event: the E line (line 3) declares 2000000000000 vertices, the event has 2 V lines"},
		{"v2 negative vertices", good2, "-1 2 0 0 0 2", "-1 -5 0 0 0 2", "t.hepmc:3: the E line declares -5 vertices"},
		{"v2 random states", good2, "-1 2 0 0 0 2", "-1 2 0 0 999999999999 2", "t.hepmc:3: the E line declares 999999999999 random states, the line holds 15 fields"},
		{"v2 weights", good2, "0 0 0 2 1.5 2.5", "0 0 0 999999999 1.5 2.5", "t.hepmc:3: the E line declares 999999999 weights"},
		{"v2 vertex particles", good2, "V -1 0 0 0 0 0 1 1 0", "V -1 0 0 0 0 0 1 1000000000000 0", "t.hepmc:3: event: the V lines declare 1000000000002 particles, the event has 3 P lines"},
		{"v2 vertex weights", good2, "V -1 0 0 0 0 0 1 1 0", "V -1 0 0 0 0 0 1 1 100000000", "t.hepmc:5: the V line declares 1 orphans, 1 outgoing particles and 100000000 weights"},
		{"v2 flow", good2, "30.1 0 1 0 0 0 0", "30.1 0 1 0 0 0 99999999999", "t.hepmc:7: the P line declares 99999999999 flow entries"},
		{"v3 particles", good3, "E 0 1 2", "E 0 1 2000000000000", "t.hepmc:3: event 0: the E line declares 2000000000000 particles, the event has 2 P lines"},
		{"v3 fewer particles", good3, "E 0 1 2", "E 0 1 1", "the E line declares 1 particles, the event has 2 P lines"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(c.text, c.old) {
				t.Fatalf("test bug: %q not in the text", c.old)
			}
			text := strings.Replace(c.text, c.old, c.new, 1)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			r, err := NewReader(strings.NewReader(text), "t.hepmc")
			if err == nil {
				for r.Next() {
				}
				err = r.Err()
			}
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 10<<20 || took > time.Second {
				t.Errorf("%d bytes allocated in %v", alloc, took)
			}
		})
	}
	for _, text := range []string{good2, good3} {
		r, err := NewReader(strings.NewReader(text), "t.hepmc")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for r.Next() {
			n++
		}
		if r.Err() != nil || n != 1 {
			t.Fatalf("good file: %d events, %v", n, r.Err())
		}
	}
}
