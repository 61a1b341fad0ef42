// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lineOf returns the 1-based number of the n-th (0-based) line of text
// containing sub.
func lineOf(t *testing.T, text, sub string, n int) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			if n == 0 {
				return i + 1
			}
			n--
		}
	}
	t.Fatalf("%q not found", sub)
	return 0
}

// readAll reads every event of text and returns the events read and the
// error.
func readAll(text []byte, name string, opts ...Option) (int, error) {
	r, err := NewReader(bytes.NewReader(text), name, opts...)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	for r.Next() {
		n++
	}
	return n, r.Err()
}

func TestSmallFile(t *testing.T) {
	text := readTestdata(t, "small.lhe")
	r, err := NewReader(strings.NewReader(text), "small.lhe")
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header()
	if h.RunCard["nevents"] != "2" || h.RunCard["use_syst"] != "False" || h.RunCard["event_norm"] != "average" || len(h.RunCard) != 3 {
		t.Errorf("run card: %v", h.RunCard)
	}
	if h.ParamBlocks["mass"][25] != 125.09 || h.ParamBlocks["decay"][25] != 4.07e-3 || len(h.ParamBlocks["smeft"]) != 2 {
		t.Errorf("param blocks: %v", h.ParamBlocks)
	}
	want := [][]ParamSet{{{"smeft", 7, -0.5}, {"smeft", 25, 0.25}}, {{"smeft", 7, 1}}}
	for i, w := range h.Weights {
		if fmt.Sprint(w.ParamSets) != fmt.Sprint(want[i]) {
			t.Errorf("weight %s: %v, want %v", w.ID, w.ParamSets, want[i])
		}
	}
	wantW := [][]float64{{1.2515099e-02, -2.3576964e-02}, {2.2704583e-02, 1.4333751e-01}}
	wantLine := []int{lineOf(t, text, "<event>", 0), lineOf(t, text, "<event>", 1)}
	n := 0
	for r.Next() {
		ev := r.Event()
		if ev.Index != n || ev.Line != wantLine[n] || len(ev.Particles) != 3 {
			t.Errorf("event %d: index %d line %d (want %d), %d particles", n, ev.Index, ev.Line, wantLine[n], len(ev.Particles))
		}
		for i, w := range wantW[n] {
			if ev.Weights[i] != w {
				t.Errorf("event %d weight %d: %v, want %v", n, i, ev.Weights[i], w)
			}
		}
		n++
	}
	if r.Err() != nil || n != 2 {
		t.Fatalf("%d events, err %v", n, r.Err())
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if r.Next() {
		t.Fatal("Next after Close")
	}
}

// TestLHEF3 reads a hand-written LHEF 3 file: <weights> over several lines
// with a Fortran exponent, unquoted attributes, an unclosed weight group and
// an unterminated weight body (MG5-style invalid XML).
func TestLHEF3(t *testing.T) {
	r, err := NewReader(strings.NewReader(readTestdata(t, "lhef3.lhe")), "lhef3.lhe")
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header()
	if len(h.Weights) != 4 || len(h.WeightGroups) != 3 {
		t.Fatalf("%d weights %d groups: %+v", len(h.Weights), len(h.WeightGroups), h.WeightGroups)
	}
	w := h.Weights
	if w[0].Params["MUF"] != 1 || w[1].Params["MUR"] != 2 || w[1].Params["MUF"] != 2 || w[2].ID != "1003" ||
		w[2].Params["PDF"] != 260001 || w[2].Group != "pdf" || w[3].Group != "unclosed" || w[3].Text != "unterminated body" {
		t.Errorf("weights: %+v", w)
	}
	if h.Init.Energies != [2]float64{4000, 4000} {
		t.Errorf("energies %v", h.Init.Energies)
	}
	if !r.Next() {
		t.Fatal(r.Err())
	}
	ev := r.Event()
	if fmt.Sprint(ev.Weights) != "[1 -2 3 4.5]" || ev.Weight != -50 || ev.Particles[1].Pz != -10 || ev.Particles[0].Spin != 9 {
		t.Errorf("event: %+v", ev)
	}
	if r.Next() || r.Err() != nil {
		t.Fatalf("extra event or error: %v", r.Err())
	}
}

// TestMalformed checks that each kind of bad input gives an *Error naming
// the file and the right line (and event).
func TestMalformed(t *testing.T) {
	small := readTestdata(t, "small.lhe")
	lhef3 := readTestdata(t, "lhef3.lhe")
	ev1 := lineOf(t, small, "<event>", 0)
	ev2 := lineOf(t, small, "<event>", 1)
	cases := []struct {
		name  string
		text  string
		line  int // want line; computed from the text below
		event int
		msg   string
	}{
		{"empty", "", 1, -1, "empty file"},
		{"blank", "\n\n  \n", 1, -1, "empty file"},
		{"not lhe", "hello\nworld\n", 1, -1, "not a Les Houches event file"},
		{"no init", strings.Replace(small, "<init>", "<inot>", 1), 0, -1, "no <init> block"},
		{"bad init", strings.Replace(small, "-4 1\n", "-4 x\n", 1), lineOf(t, small, "2212 2212", 0), -1, "<init> field 10"},
		{"missing process", strings.Replace(small, "1.903100e-02 3.539600e-05 1.903100e-02 1\n", "", 1), 0, -1, "declares 1 processes, found 0"},
		{"non-numeric momentum", strings.Replace(small, "+4.0258082934e+01", "+4.0258O82934e+01", 1),
			lineOf(t, small, "+4.0258082934e+01", 0), 0, `non-numeric pz "+4.0258O82934e+01"`},
		{"non-numeric weight", strings.Replace(small, "-1.9031000e-02 6.73", "abc 6.73", 1),
			ev2 + 1, 1, "non-numeric XWGTUP"},
		{"missing </event> then <event>", strings.Replace(small, "</event>\n<event>", "<event>", 1),
			ev2 - 1, 0, "missing </event>"},
		{"missing </event> at end", small[:strings.LastIndex(small, "</event>")],
			strings.Count(small[:strings.LastIndex(small, "</event>")], "\n"), 1, "missing </event>: end of file"},
		{"fewer weights", strings.Replace(small, "<wgt id='bench_1'> +2.2704583e-02 </wgt>\n", "", 1),
			lineOf(t, small, "</event>", 1) - 1, 1, `<rwgt> has 1 weights, the header declares 2 (first missing: "bench_1")`},
		{"unknown weight id", strings.Replace(small, "<wgt id='bench_2'> -2.3", "<wgt id='bench_3'> -2.3", 1),
			lineOf(t, small, "<wgt id='bench_2'> -2.3", 0), 0, `unknown weight id "bench_3"`},
		{"repeated weight id", strings.Replace(small, "<wgt id='bench_2'> -2.3", "<wgt id='bench_1'> -2.3", 1),
			lineOf(t, small, "<wgt id='bench_2'> -2.3", 0), 0, `weight id "bench_1" given twice`},
		{"no weights", strings.Replace(small, "<rwgt>\n<wgt id='bench_2'> +1.4333751e-01 </wgt>\n<wgt id='bench_1'> +2.2704583e-02 </wgt>\n</rwgt>\n", "", 1),
			lineOf(t, small, "</event>", 1) - 4, 1, "no <rwgt> or <weights> block"},
		{"NUP too large", strings.Replace(small, " 3      1 +1.9031000e-02", " 4      1 +1.9031000e-02", 1),
			ev1 + 5, 0, "NUP mismatch: event line declares 4 particles, found 3"},
		{"NUP too small", strings.Replace(small, " 3      1 +1.9031000e-02", " 2      1 +1.9031000e-02", 1),
			ev1 + 4, 0, "NUP mismatch: event line declares 2 particles, found more"},
		{"short particle", strings.Replace(small, " 0.0000e+00 1.0000e+00\n        1 -1", "\n        1 -1", 1),
			ev1 + 2, 0, "particle 1 has 11 fields, want 13"},
		{"data outside event", strings.Replace(small, "</event>\n<event>\n", "</event>\n", 1),
			ev2, 1, "data line outside <event>"},
		{"weights count", strings.Replace(lhef3, "3.0\n", "", 1), lineOf(t, lhef3, "</event>", 0) - 1, 0, "<weights> has 3 values, the header declares 4"},
		{"weights non-numeric", strings.Replace(lhef3, "3.0\n", "3.x\n", 1), lineOf(t, lhef3, "  3.0", 0), 0, `<weights>: non-numeric weight "3.x"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, opts := range [][]Option{nil, {WithReadAhead(2)}} {
				_, err := readAll([]byte(c.text), "bad.lhe", opts...)
				checkError(t, err, "bad.lhe", c.line, c.event, c.msg)
			}
		})
	}
}

func checkError(t *testing.T, err error, file string, line, event int, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", msg)
	}
	var le *Error
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if le.File != file || (line > 0 && le.Line != line) || le.Event != event || !strings.Contains(err.Error(), msg) {
		t.Fatalf("got %q (file %q line %d event %d), want file %q line %d event %d containing %q",
			err, le.File, le.Line, le.Event, file, line, event, msg)
	}
	if !strings.HasPrefix(err.Error(), fmt.Sprintf("lhe: %s:", file)) {
		t.Fatalf("error %q does not start with the file name", err)
	}
}

// TestTruncatedGzip cuts a gzip stream in the middle of an event and at the
// very end (missing trailer): both are errors with a position.
func TestTruncatedGzip(t *testing.T) {
	small := readTestdata(t, "small.lhe")
	var big strings.Builder
	head := small[:strings.Index(small, "<event>")]
	evs := small[strings.Index(small, "<event>"):strings.Index(small, "</LesHouchesEvents>")]
	big.WriteString(head)
	for i := 0; i < 2000; i++ {
		big.WriteString(evs)
	}
	big.WriteString("</LesHouchesEvents>\n")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, big.String())
	zw.Close()
	gz := buf.Bytes()

	n, err := readAll(gz, "full.lhe.gz")
	if err != nil || n != 4000 {
		t.Fatalf("full stream: %d events, %v", n, err)
	}
	for _, cut := range []int{len(gz) / 2, len(gz) - 4, 10, 2} {
		for _, opts := range [][]Option{nil, {WithReadAhead(3)}} {
			n, err := readAll(gz[:cut], "cut.lhe.gz", opts...)
			var le *Error
			if !errors.As(err, &le) || le.File != "cut.lhe.gz" || le.Line < 1 {
				t.Fatalf("cut at %d: %d events, error %v", cut, n, err)
			}
			if cut > 100 && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("cut at %d: %v does not wrap io.ErrUnexpectedEOF", cut, err)
			}
			t.Logf("cut at %d/%d: %v", cut, len(gz), err)
		}
	}
}

// TestCommentsBetweenEvents checks that multi-line XML comments between
// events, even holding numbers, are skipped.
func TestCommentsBetweenEvents(t *testing.T) {
	small := readTestdata(t, "small.lhe")
	text := strings.Replace(small, "</event>\n<event>", "</event>\n<!-- a comment\n 1 2 3\n-->\n<!-- one line -->\n<event>", 1)
	n, err := readAll([]byte(text), "comments.lhe")
	if err != nil || n != 2 {
		t.Fatalf("n=%d err=%v", n, err)
	}
}

// TestInitInBanner checks that an "<init>" quoted inside the header does not
// hide the real block after </header>.
func TestInitInBanner(t *testing.T) {
	small := readTestdata(t, "small.lhe")
	text := strings.Replace(small, "<header>\n", "<header>\n<MGProcCard>\n# <init>\n# 1 2 3\n</MGProcCard>\n", 1)
	r, err := NewReader(strings.NewReader(text), "banner.lhe")
	if err != nil {
		t.Fatal(err)
	}
	if p := r.Header().Init.Processes; len(p) != 1 || p[0].XSec != 1.9031e-02 {
		t.Fatalf("init: %+v", r.Header().Init)
	}
}
