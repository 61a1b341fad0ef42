// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestNoAllocsPerEvent checks that Next allocates nothing once warmed up,
// reading plain text and gzip.
func TestNoAllocsPerEvent(t *testing.T) {
	head, body, _ := zhRepeated(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(head)
	for i := 0; i < 4; i++ {
		zw.Write(body)
	}
	zw.Close()
	for _, bc := range []struct {
		name string
		open func() (*Reader, error)
	}{
		{"plain", func() (*Reader, error) {
			return NewReader(&repeatReader{head: head, body: body, n: 4}, "plain")
		}},
		{"gzip", func() (*Reader, error) { return NewReader(bytes.NewReader(gz.Bytes()), "gzip") }},
		{"gzip-readahead", func() (*Reader, error) {
			return NewReader(bytes.NewReader(gz.Bytes()), "gzip", WithReadAhead(2))
		}},
		// <mgrwt> blocks, 145 weights.
		{"ppjj", func() (*Reader, error) {
			return Open(filepath.Join(repotest.Shared(t, "data/lhe"), "ppjj_145syst_1000ev.lhe.gz"))
		}},
	} {
		t.Run(bc.name, func(t *testing.T) {
			r, err := bc.open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for i := 0; i < 100; i++ {
				if !r.Next() {
					t.Fatal(r.Err())
				}
			}
			allocs := testing.AllocsPerRun(800, func() {
				if !r.Next() {
					t.Fatal(r.Err())
				}
			})
			if allocs != 0 {
				t.Errorf("%v allocations per event", allocs)
			}
		})
	}
}

// TestReadAheadSameEvents checks that WithReadAhead changes nothing but
// the scheduling: same events, same weights, same errors.
func TestReadAheadSameEvents(t *testing.T) {
	path := filepath.Join(repotest.Shared(t, "data/lhe"), "ppjj_145syst_1000ev.lhe.gz")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path, WithReadAhead(2))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := 0
	for a.Next() {
		if !b.Next() {
			t.Fatalf("read-ahead reader stopped at event %d: %v", n, b.Err())
		}
		ea, eb := a.Event(), b.Event()
		if fmt.Sprint(ea) != fmt.Sprint(eb) {
			t.Fatalf("event %d differs", n)
		}
		n++
	}
	if b.Next() || a.Err() != nil || b.Err() != nil || n != 1000 {
		t.Fatalf("n=%d errs %v %v", n, a.Err(), b.Err())
	}
	// Closing a read-ahead reader before the end stops its goroutine.
	c, err := Open(path, WithReadAhead(1))
	if err != nil {
		t.Fatal(err)
	}
	c.Next()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, WithReadAhead(5000)); err == nil {
		t.Fatal("no error for an absurd read-ahead")
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := Open("testdata/does-not-exist.lhe")
	var le *Error
	if !errors.As(err, &le) || le.File != "testdata/does-not-exist.lhe" || !strings.Contains(err.Error(), "could not open") {
		t.Fatalf("got %v", err)
	}
}

// TestCRLF reads the small file with Windows line ends.
func TestCRLF(t *testing.T) {
	text := strings.ReplaceAll(readTestdata(t, "small.lhe"), "\n", "\r\n")
	r, err := NewReader(strings.NewReader(text), "crlf.lhe")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r.Next() {
		if w := r.Event().Weights[1]; n == 0 && w != -2.3576964e-02 {
			t.Errorf("weight %v", w)
		}
		n++
	}
	if r.Err() != nil || n != 2 || r.Header().RunCard["nevents"] != "2" {
		t.Fatalf("n=%d err=%v run card %v", n, r.Err(), r.Header().RunCard)
	}
}

// TestScanFloat checks the fused field scanner against parseFloat on the
// same strings, embedded in lines.
func TestScanFloat(t *testing.T) {
	for _, s := range []string{
		"1", "-0.5", "+4.0258082934e+01", "0.", ".5", "-.93544317E+03", "2d0", "1e400",
		"12345678901234567890123", "0.000000000000000000000123", "NaN", "1e", "x", "1.0x", "--1",
		"4.02580x2934e+01", "1e+", "+", "9.",
	} {
		want, wok := parseFloat([]byte(s))
		line := []byte("  " + s + "\t next")
		got, next, ok := scanFloat(line, 0)
		if ok != wok || (ok && math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want))) {
			t.Errorf("scanFloat(%q) = %v, %v; parseFloat gives %v, %v", s, got, ok, want, wok)
		}
		if next != 2+len(s) {
			t.Errorf("scanFloat(%q): next = %d, want %d", s, next, 2+len(s))
		}
	}
	if _, next, ok := scanFloat([]byte("   "), 0); ok || next != 3 {
		t.Errorf("empty field: next %d ok %v", next, ok)
	}
}

// TestCompactTags reads an event whose closing tags share lines:
// "</rwgt></event>", and a <weights> block closed on the </event> line.
func TestCompactTags(t *testing.T) {
	small := readTestdata(t, "small.lhe")
	text := strings.ReplaceAll(small, "</rwgt>\n</event>", "</rwgt></event>")
	n, err := readAll([]byte(text), "compact.lhe")
	if err != nil || n != 2 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	text = strings.Replace(small, "+1.2515099e-02 </wgt>\n", "+1.2515099e-02 </wgt></event>\n", 1)
	_, err = readAll([]byte(text), "compact.lhe")
	checkError(t, err, "compact.lhe", lineOf(t, small, "+1.2515099e-02", 0), 0, "</event> inside <rwgt>")

	lhef3 := readTestdata(t, "lhef3.lhe")
	text = strings.Replace(lhef3, "4.5d0 </weights>\n  <scales muf=\"90.1\" mur=\"90.2\"> random stuff </scales>\n</event>", "4.5d0 </weights></event>", 1)
	if text == lhef3 {
		t.Fatal("replacement failed")
	}
	n, err = readAll([]byte(text), "compact.lhe")
	if err != nil || n != 1 {
		t.Fatalf("n=%d err=%v", n, err)
	}
}

// TestReadBatch checks that batches hold the same events as Next, that the
// copies do not alias the reader's event, and that refilling a batch
// allocates nothing.
func TestReadBatch(t *testing.T) {
	path := filepath.Join(repotest.Shared(t, "data/lhe"), zhSample)
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	batch := make([]Event, 64)
	total := 0
	for {
		n := b.ReadBatch(batch)
		for i := 0; i < n; i++ {
			if !a.Next() {
				t.Fatal(a.Err())
			}
			if fmt.Sprint(*a.Event()) != fmt.Sprint(batch[i]) {
				t.Fatalf("event %d differs", total+i)
			}
		}
		total += n
		if n < len(batch) {
			break
		}
	}
	if b.Err() != nil || total != 5000 || a.Next() {
		t.Fatalf("total %d, err %v", total, b.Err())
	}

	// No aliasing: changing the reader's event leaves the copy alone.
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Next()
	cp := c.Event().CopyTo(nil)
	want := fmt.Sprint(*cp)
	c.Event().Particles[0].Px = 42
	c.Event().Weights[0] = 42
	c.Next()
	if fmt.Sprint(*cp) != want {
		t.Fatal("copy aliases the reader's event")
	}
	allocs := testing.AllocsPerRun(20, func() {
		if c.ReadBatch(batch) != len(batch) {
			t.Fatal("short batch")
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per batch", allocs)
	}
}

// TestMultiMemberGzip reads a stream of concatenated gzip members, as
// produced by "cat a.lhe.gz b.gz".
func TestMultiMemberGzip(t *testing.T) {
	head, body, nev := zhRepeated(t)
	var s []byte
	s = append(s, gzipMember(head)...)
	for i := 0; i < 3; i++ {
		s = append(s, gzipMember(body)...)
	}
	s = append(s, gzipMember([]byte("</LesHouchesEvents>\n"))...)
	n, err := readAll(s, "multi.lhe.gz")
	if err != nil || n != 3*nev {
		t.Fatalf("n=%d (want %d), err=%v", n, 3*nev, err)
	}
}
