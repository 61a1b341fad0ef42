// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"runtime"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/lhe"
	"github.com/goldmine-hep/goldmine/observables"
)

// BenchmarkAnalyseZH30k runs goldmine analyse on the 30000-event ZH file
// with MadMiner's seven observables and its cut (MadMiner's LHEReader
// needs 198 s for this on the same machine, reference.json).
func BenchmarkAnalyseZH30k(b *testing.B) {
	env := NewEnv(zh30kCardB(b), b.TempDir(), nil, nil)
	if _, err := Setup(env); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Analyse(env)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.EventsRead)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	}
}

// BenchmarkReadAnalyse streams the ZH events repeated to 100k and 1M
// events (plain text, and a gzip stream of repeated members) through the
// LHE reader and the analysis of cards/zh.yaml (objects, the five MadMiner
// observables), and reports events/s, bytes allocated per event and the
// peak heap, which must not grow with the number of events.
func BenchmarkReadAnalyse(b *testing.B) {
	raw, err := os.ReadFile(repotest.BundledZH(b))
	if err != nil {
		b.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	i := bytes.Index(plain, []byte("\n<event>")) + 1
	j := bytes.LastIndex(plain, []byte("</event>")) + len("</event>\n")
	head, body, tail := plain[:i], plain[i:j], []byte("</LesHouchesEvents>\n")
	nev := bytes.Count(body, []byte("<event>"))
	member := func(p []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(p)
		zw.Close()
		return buf.Bytes()
	}
	zhead, zbody, ztail := member(head), member(body), member(tail)
	an, err := compileAnalysis(loadCard(b, "cards/zh.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, total := range []int{100_000, 1_000_000} {
		for _, kind := range []string{"plain", "gzip"} {
			b.Run(fmt.Sprintf("%s/n=%d", kind, total), func(b *testing.B) {
				var ms runtime.MemStats
				var peak uint64
				b.ReportAllocs()
				for it := 0; it < b.N; it++ {
					h, bo, t := head, body, tail
					if kind == "gzip" {
						h, bo, t = zhead, zbody, ztail
					}
					parts := []io.Reader{bytes.NewReader(h)}
					for k := 0; k < total/nev; k++ {
						parts = append(parts, bytes.NewReader(bo))
					}
					parts = append(parts, bytes.NewReader(t))
					r, err := lhe.NewReader(io.MultiReader(parts...), "repeated")
					if err != nil {
						b.Fatal(err)
					}
					var ev observables.Event
					var counts observables.Counts
					x := make([]float64, len(an.names))
					n := 0
					for r.Next() {
						le := r.Event()
						ev.Reset()
						for _, p := range le.Particles {
							ev.AddLHE(p.PDGID, p.Status, p.Px, p.Py, p.Pz, p.E)
						}
						ev.Finish()
						if x, _, _, err = an.Process(x, &ev, &counts); err != nil {
							b.Fatal(err)
						}
						if n++; n%100_000 == 0 {
							runtime.ReadMemStats(&ms)
							peak = max(peak, ms.HeapInuse)
						}
					}
					if err := r.Err(); err != nil {
						b.Fatal(err)
					}
					r.Close()
					if n != total || counts.Passed != total {
						b.Fatalf("read %d events, %d passed; want %d", n, counts.Passed, total)
					}
				}
				b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			})
		}
	}
}
