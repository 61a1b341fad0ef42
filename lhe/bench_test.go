// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
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

func reportEvents(b *testing.B, events int) {
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkReadZH reads the 5000-event ZH sample: from the gzip file (as a
// user would), with decompression in a second goroutine, and from the
// decompressed text in memory (parsing alone).
func BenchmarkReadZH(b *testing.B) {
	path := filepath.Join(dataDir(b), zhSample)
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
			b.ReportAllocs()
			b.SetBytes(int64(len(plain)))
			events := 0
			for b.Loop() {
				r, err := bc.open()
				if err != nil {
					b.Fatal(err)
				}
				events += consume(b, r)
				r.Close()
			}
			reportEvents(b, events)
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
	plain := rawText(tb, filepath.Join(dataDir(tb), zhSample))
	i := bytes.Index(plain, []byte("\n<event>")) + 1
	j := bytes.LastIndex(plain, []byte("</event>")) + len("</event>\n")
	return plain[:i], plain[i:j], bytes.Count(plain[i:j], []byte("<event>"))
}

// BenchmarkReadRepeated streams the ZH events repeated to 100k and 1M
// events and reports the peak heap in use, which must not grow with the
// number of events.
func BenchmarkReadRepeated(b *testing.B) {
	head, body, nev := zhRepeated(b)
	for _, total := range []int{100_000, 1_000_000} {
		b.Run("n="+strconv.Itoa(total), func(b *testing.B) {
			b.ReportAllocs()
			events := 0
			var peak uint64
			var ms runtime.MemStats
			for b.Loop() {
				rr := &repeatReader{head: head, body: body, n: total / nev, tail: []byte("</LesHouchesEvents>\n")}
				r, err := NewReader(rr, "repeated")
				if err != nil {
					b.Fatal(err)
				}
				for r.Next() {
					events++
					if events%100_000 == 0 {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}
				if r.Err() != nil {
					b.Fatal(r.Err())
				}
				r.Close()
			}
			reportEvents(b, events)
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
