// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"compress/gzip"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

const zhSample = "zh_smeft_cHW_cHq3_5000ev.lhe.gz"

var sinkF float64

// consume reads every event and returns how many there were.
func consume(tb testing.TB, r *Reader) int {
	n := 0
	for r.Next() {
		ev := r.Event()
		sinkF += ev.Weights[0] + ev.Particles[2].Px
		n++
	}
	if err := r.Err(); err != nil {
		tb.Fatal(err)
	}
	return n
}

// benchEvents runs read for b.N iterations and reports events/s and the
// bytes allocated per event (setup included).
func benchEvents(b *testing.B, read func() int) {
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	alloc0 := ms.TotalAlloc
	events := 0
	for b.Loop() {
		events += read()
	}
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(ms.TotalAlloc-alloc0)/float64(events), "B/event")
}

// BenchmarkReadZH reads the 5000-event ZH sample: from the gzip file (as a
// user would), with decompression in a second goroutine, and from the
// decompressed text in memory (parsing alone).
func BenchmarkReadZH(b *testing.B) {
	path := filepath.Join(repotest.Shared(b, "data/lhe"), zhSample)
	plain := rawText(b, path)
	for _, bc := range []struct {
		name string
		open func() (*Reader, error)
	}{
		{"gzip", func() (*Reader, error) { return Open(path) }},
		{"gzip-readahead", func() (*Reader, error) { return Open(path, WithReadAhead(4)) }},
		{"plain-memory", func() (*Reader, error) { return NewReader(bytes.NewReader(plain), "zh") }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(plain)))
			benchEvents(b, func() int {
				r, err := bc.open()
				if err != nil {
					b.Fatal(err)
				}
				defer r.Close()
				return consume(b, r)
			})
		})
	}
}

// repeatReader yields head followed by body repeated n times, without
// holding more than one copy in memory.
type repeatReader struct {
	head, body []byte
	n          int
	cur        []byte
	tail       []byte
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		switch {
		case r.head != nil:
			r.cur, r.head = r.head, nil
		case r.n > 0:
			r.cur = r.body
			r.n--
		case r.tail != nil:
			r.cur, r.tail = r.tail, nil
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// zhRepeated splits the ZH sample into header and events.
func zhRepeated(tb testing.TB) (head, body []byte, nev int) {
	plain := rawText(tb, filepath.Join(repotest.Shared(tb, "data/lhe"), zhSample))
	i := bytes.Index(plain, []byte("\n<event>")) + 1
	j := bytes.LastIndex(plain, []byte("</event>")) + len("</event>\n")
	return plain[:i], plain[i:j], bytes.Count(plain[i:j], []byte("<event>"))
}

// gzipMember compresses b as one gzip member.
func gzipMember(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// BenchmarkReadRepeated streams the ZH events repeated to 100k and 1M
// events, as plain text and as a multi-member gzip stream (the events
// compressed once, the member repeated), and reports the peak heap in use,
// which must not grow with the number of events.
func BenchmarkReadRepeated(b *testing.B) {
	head, body, nev := zhRepeated(b)
	tail := []byte("</LesHouchesEvents>\n")
	zhead, zbody, ztail := gzipMember(head), gzipMember(body), gzipMember(tail)
	for _, total := range []int{100_000, 1_000_000} {
		for _, kind := range []string{"plain", "gzip"} {
			b.Run(kind+"/n="+strconv.Itoa(total), func(b *testing.B) {
				var peak uint64
				var ms runtime.MemStats
				benchEvents(b, func() int {
					rr := &repeatReader{head: head, body: body, n: total / nev, tail: tail}
					if kind == "gzip" {
						rr = &repeatReader{head: zhead, body: zbody, n: total / nev, tail: ztail}
					}
					r, err := NewReader(rr, "repeated")
					if err != nil {
						b.Fatal(err)
					}
					defer r.Close()
					n := 0
					for r.Next() {
						n++
						if n%100_000 == 0 {
							runtime.ReadMemStats(&ms)
							peak = max(peak, ms.HeapInuse)
						}
					}
					if r.Err() != nil {
						b.Fatal(r.Err())
					}
					if n != total {
						b.Fatalf("read %d events, want %d", n, total)
					}
					return n
				})
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			})
		}
	}
}
