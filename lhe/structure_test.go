// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// bundledSample is the 5000-event ZH sample shipped with the cards.
const bundledSample = "../cards/data/zh_smeft_cHW_cHq3_5000ev.lhe.gz"

// bundledText returns the decompressed bundled sample and the offsets of
// its <event> tags and of </LesHouchesEvents>.
func bundledText(t *testing.T) (text []byte, events []int, end int) {
	t.Helper()
	text = rawText(t, bundledSample)
	for i := 0; ; {
		k := bytes.Index(text[i:], []byte("<event>"))
		if k < 0 {
			break
		}
		events = append(events, i+k)
		i += k + 1
	}
	end = bytes.LastIndex(text, []byte("</LesHouchesEvents>"))
	if len(events) != 5000 || end < 0 {
		t.Fatalf("bundled sample: %d events, end tag at %d", len(events), end)
	}
	return text, events, end
}

func lineAt(text []byte, off int) int { return bytes.Count(text[:off], []byte("\n")) + 1 }

// TestDataLoss checks the three cases of silent data loss found on the
// bundled sample: each is now an error naming the file and the line, and
// a truncated file is read with WithAllowTruncated, with a warning that
// gives the number of events.
func TestDataLoss(t *testing.T) {
	text, events, _ := bundledText(t)

	// An unterminated comment after event 950.
	cut := events[951]
	comment := append(append(append([]byte(nil), text[:cut]...), "<!-- a comment that is never closed\n"...), text[cut:]...)
	n, err := readAll(comment, "comment.lhe")
	checkError(t, err, "comment.lhe", lineAt(comment, cut), -1, "unterminated comment <!--")
	if n != 951 {
		t.Errorf("comment: %d events before the error, want 951", n)
	}
	t.Logf("comment: %v", err)

	// A file cut at an event boundary, after 2501 events.
	trunc := text[:events[2501]]
	n, err = readAll(trunc, "trunc.lhe")
	checkError(t, err, "trunc.lhe", lineAt(trunc, len(trunc)-1), -1,
		fmt.Sprintf("the last complete event is event 2500 (line %d), 2501 events in all", lineAt(text, events[2500])))
	if n != 2501 {
		t.Errorf("truncated: %d events before the error, want 2501", n)
	}
	t.Logf("truncated: %v", err)
	for _, opts := range [][]Option{{WithAllowTruncated(true)}, {WithAllowTruncated(true), WithReadAhead(2)}} {
		r, err := NewReader(bytes.NewReader(trunc), "trunc.lhe", opts...)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for r.Next() {
			n++
		}
		w := r.Warnings()
		if r.Err() != nil || n != 2501 || len(w) != 1 || !strings.Contains(w[0], "read the 2501 complete events") || !strings.Contains(w[0], "trunc.lhe") {
			t.Errorf("allow_truncated: %d events, err %v, warnings %q", n, r.Err(), w)
		}
		if _, ok := r.Truncated(); !ok {
			t.Error("Truncated() is false")
		}
		r.Close()
	}

	// Two files concatenated.
	double := append(append([]byte(nil), text...), text...)
	n, err = readAll(double, "double.lhe")
	checkError(t, err, "double.lhe", lineAt(double, len(text)), -1, "a second LHE file starts here")
	if n != 5000 {
		t.Errorf("concatenated: %d events before the error", n)
	}
	t.Logf("concatenated: %v", err)

	// The complete file reads cleanly, with no warning.
	r, err := NewReader(bytes.NewReader(text), "zh.lhe")
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
	}
	if r.Err() != nil || len(r.Warnings()) != 0 {
		t.Fatalf("complete file: %v %q", r.Err(), r.Warnings())
	}
}

// TestFileStructure checks the end of the file and the markup between
// events, each case with the line it must name.
func TestFileStructure(t *testing.T) {
	small := readTestdata(t, "small.lhe")
	endLine := lineOf(t, small, "</LesHouchesEvents>", 0)
	ev2 := lineOf(t, small, "<event>", 1)
	noEnd := strings.Replace(small, "</LesHouchesEvents>\n", "", 1)
	cases := []struct {
		name, text string
		line, ev   int
		msg        string
		events     int // read with WithAllowTruncated; -1: still an error
	}{
		{"no end tag", noEnd, endLine - 1, -1, "the last complete event is event 1", 2},
		{"no end tag, no newline", strings.TrimSuffix(noEnd, "\n"), endLine - 1, -1, "without </LesHouchesEvents>", 2},
		{"cut inside the last event", small[:strings.LastIndex(small, "<rwgt>")], strings.Count(small[:strings.LastIndex(small, "<rwgt>")], "\n"), 1, "missing </event>: end of file", 1},
		{"text after the end tag", small + "x\n", endLine + 1, -1, `text after </LesHouchesEvents> (line ` + fmt.Sprint(endLine) + `): "x"`, -1},
		{"text on the end tag line", strings.Replace(small, "</LesHouchesEvents>", "</LesHouchesEvents> tail", 1), endLine, -1, `text after </LesHouchesEvents>: "tail"`, -1},
		{"event after the end tag", small + "<event>\n", endLine + 1, -1, "text after </LesHouchesEvents>", -1},
		{"second file", small + "\n" + small, endLine + 2, -1, "a second LHE file starts here", -1},
		{"xml declaration after the end", small + "<?xml version='1.0'?>\n", endLine + 1, -1, "a second LHE file", -1},
		{"unterminated end tag", strings.Replace(small, "</LesHouchesEvents>", "</LesHouchesEvents", 1), endLine, -1, "unterminated </LesHouchesEvents> tag", -1},
		{"unterminated comment between events", strings.Replace(small, "</event>\n<event>", "</event>\n<!-- open\n<event>", 1), ev2, -1, "unterminated comment <!--", -1},
		{"unterminated CDATA between events", strings.Replace(small, "</event>\n<event>", "</event>\n<![CDATA[ open\n<event>", 1), ev2, -1, "unterminated CDATA section", -1},
		{"unterminated tag between events", strings.Replace(small, "</event>\n<event>", "</event>\n<eventgroup\n<event>", 1), ev2, -1, `unterminated tag "<eventgroup"`, -1},
		{"unterminated event tag", strings.Replace(small, "</event>\n<event>", "</event>\n<event", 1), ev2, 1, "unterminated <event> tag", -1},
		{"end tag inside an event", strings.Replace(small, "</rwgt>\n</event>\n<event>", "</rwgt>\n</LesHouchesEvents>\n", 1), ev2 - 1, 0, "</LesHouchesEvents> inside the event", -1},
		{"comment closed by a later one", strings.Replace(small, "</event>\n<event>", "</event>\n<!-- open\n<event>", 1) + "<!-- x -->\n", ev2, -1, `unterminated comment <!--: line ` + fmt.Sprint(ev2+1) + `, inside it, holds "<event>"`, -1},
		{"nested comment in the header", strings.Replace(small, "<header>", "<header>\n<!-- open\n<!-- closed -->", 1), 3, -1, "unterminated comment <!--: another <!-- opens at line 4 before the first -->", -1},
		{"nested CDATA in the header", strings.Replace(small, "]]>", "", 1) + "", 4, -1, "unterminated CDATA section <![CDATA[", -1},
		{"missing </rwgt>", strings.Replace(small, "</rwgt>\n</event>\n<event>", "</event>\n<event>", 1), ev2 - 2, 0, "missing </rwgt>: </event> inside <rwgt>", -1},
		{"cut inside a line", small[:strings.Index(small, "+4.0258082934e+01")+5], lineOf(t, small, "+4.0258082934e+01", 0), 0, "missing </event>: end of file inside the event started at line " + fmt.Sprint(lineOf(t, small, "<event>", 0)) + ", whose last line is cut short", 0},
		{"unterminated comment in the header", strings.Replace(small, "<header>", "<header>\n<!-- never closed", 1), 3, -1, "unterminated comment <!-- (no --> before the first event)", -1},
		{"unterminated CDATA in the header", strings.Replace(small, "]]>", "", 1), 4, -1, "unterminated CDATA section", -1},
		{"unterminated root tag", strings.Replace(small, `<LesHouchesEvents version="3.0">`, `<LesHouchesEvents version="3.0"`, 1), 1, -1, "unterminated <LesHouchesEvents> tag", -1},
		{"NUL in an event", strings.Replace(small, "+4.0258082934e+01 4.0258082934e+01", "+4.0258082934e+01 \x00\x00\x00", 1), lineOf(t, small, "+4.0258082934e+01", 0), 0, "NUL byte at column", -1},
		{"NUL in the header", strings.Replace(small, "BLOCK MASS", "BLOCK\x00MASS", 1), lineOf(t, small, "BLOCK MASS", 0), -1, "NUL byte", -1},
		{"too many processes", strings.Replace(small, "-4 1\n", "-4 99999\n", 1), lineOf(t, small, "2212 2212", 0), -1, "<init> declares 99999 processes, the", -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, opts := range [][]Option{nil, {WithReadAhead(2)}} {
				_, err := readAll([]byte(c.text), "s.lhe", opts...)
				checkError(t, err, "s.lhe", c.line, c.ev, c.msg)
				n, err := readAll([]byte(c.text), "s.lhe", append(opts, WithAllowTruncated(true))...)
				switch {
				case c.events < 0 && err == nil:
					t.Errorf("allow_truncated accepts it (%d events)", n)
				case c.events >= 0 && (err != nil || n != c.events):
					t.Errorf("allow_truncated: %d events (want %d), %v", n, c.events, err)
				}
			}
		})
	}
}

// TestTrailingComments accepts what POWHEG and XML allow after the end
// tag: '#' lines, comments and white space.
func TestTrailingComments(t *testing.T) {
	small := readTestdata(t, "small.lhe")
	for _, tail := range []string{"\n\n  \n", " #Random number generator exit values: 1 2 0\n", "<!-- a comment -->\n", "<!-- a\nlong comment\n-->\n", "\t\r\n"} {
		n, err := readAll([]byte(small+tail), "tail.lhe")
		if err != nil || n != 2 {
			t.Errorf("tail %q: %d events, %v", tail, n, err)
		}
	}
	_, err := readAll([]byte(small+"<!-- open\n"), "tail.lhe")
	checkError(t, err, "tail.lhe", 0, -1, "unterminated comment <!-- after </LesHouchesEvents>")
}

// TestGzipTrailingGarbage checks that bytes after the gzip stream are
// reported as such, that a second gzip member holding a second file is
// the concatenation error, and that more members of one file are read.
func TestGzipTrailingGarbage(t *testing.T) {
	small := readTestdata(t, "small.lhe")
	gz := gzipMember([]byte(small))
	lines := strings.Count(small, "\n")
	for _, c := range []struct {
		tail []byte
		msg  string
	}{
		{[]byte("garbage garbage garbage"), "followed by 23 bytes of trailing garbage"},
		{bytes.Repeat([]byte{0}, 512), "followed by 512 bytes of trailing garbage"},
		{[]byte{1, 2, 3}, "followed by 3 bytes of trailing garbage"},
		{bytes.Repeat([]byte("x"), 3<<20), "more than 1048576 bytes of trailing garbage"},
		{gzipMember([]byte(small)), "a second LHE file starts here"},
		{gzipMember([]byte("junk\n")), "text after </LesHouchesEvents>"},
		{gzipMember([]byte("\n\n"))[:12], "unexpected end of input"},
	} {
		for _, opts := range [][]Option{nil, {WithReadAhead(1)}, {WithAllowTruncated(true)}} {
			n, err := readAll(append(append([]byte(nil), gz...), c.tail...), "g.lhe.gz", opts...)
			checkError(t, err, "g.lhe.gz", 0, -1, c.msg)
			var le *Error
			if errors.As(err, &le); le.Line < lines {
				t.Errorf("%q: line %d, want at least %d", c.msg, le.Line, lines)
			}
			if n != 2 {
				t.Errorf("%q: %d events before the error", c.msg, n)
			}
		}
	}
	// One file split over three members.
	i, j := strings.Index(small, "<event>"), strings.LastIndex(small, "<event>")
	multi := append(append(gzipMember([]byte(small[:i])), gzipMember([]byte(small[i:j]))...), gzipMember([]byte(small[j:]))...)
	if n, err := readAll(multi, "m.lhe.gz"); err != nil || n != 2 {
		t.Fatalf("three members: %d events, %v", n, err)
	}
}

// TestNonFinite checks that NaN and infinite values are errors at the
// event, line and field that carry them, and that WithDropNonFinite skips
// those events with a count.
func TestNonFinite(t *testing.T) {
	small := readTestdata(t, "small.lhe")
	ev1 := lineOf(t, small, "<event>", 0)
	ev2 := lineOf(t, small, "<event>", 1)
	cases := []struct {
		name, text string
		line, ev   int
		msg        string
	}{
		{"NaN px", strings.Replace(small, "+2.3024765362e+01", "nan", 1), ev1 + 4, 0, `particle 3: px "nan" is not a finite number`},
		{"infinite E", strings.Replace(small, "2.4661884959e+02", "1e400", 1), ev1 + 4, 0, `particle 3: E "1e400" is not a finite number`},
		{"Inf pz", strings.Replace(small, "-4.0617178895e+02", "-Infinity", 1), ev1 + 3, 0, `particle 2: pz "-Infinity" is not a finite number`},
		{"NaN mass", strings.Replace(small, "9.1021713073e+01", "NaN", 1), ev2 + 4, 1, `particle 3: m "NaN" is not a finite number`},
		{"NaN weight", strings.Replace(small, "+1.9031000e-02 2.557", "nan 2.557", 1), ev1 + 1, 0, `XWGTUP "nan" is not a finite number`},
		{"infinite scale", strings.Replace(small, "6.73298800e+02", "1d999", 1), ev2 + 1, 1, `SCALUP "1d999" is not a finite number`},
		{"NaN reweighting weight", strings.Replace(small, "+1.4333751e-01", "nan", 1), ev2 + 7, 1, `<wgt id="bench_2">: weight "nan" is not a finite number`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := readAll([]byte(c.text), "nf.lhe")
			checkError(t, err, "nf.lhe", c.line, c.ev, c.msg)
			if n != c.ev {
				t.Errorf("%d events before the error", n)
			}
			r, err := NewReader(strings.NewReader(c.text), "nf.lhe", WithDropNonFinite(true))
			if err != nil {
				t.Fatal(err)
			}
			var idx []int
			for r.Next() {
				idx = append(idx, r.Event().Index)
			}
			d, first := r.Dropped()
			w := r.Warnings()
			if r.Err() != nil || len(idx) != 1 || idx[0] != 1-c.ev || d != 1 || first == nil || !strings.Contains(first.Error(), c.msg) ||
				len(w) != 1 || !strings.Contains(w[0], "dropped 1 events with non-finite values") {
				t.Errorf("drop: events %v, dropped %d (%v), err %v, warnings %q", idx, d, first, r.Err(), w)
			}
		})
	}
	lhef3 := readTestdata(t, "lhef3.lhe")
	_, err := readAll([]byte(strings.Replace(lhef3, "3.0\n", "inf\n", 1)), "w.lhe")
	checkError(t, err, "w.lhe", lineOf(t, lhef3, "  3.0", 0), 0, `<weights>: weight 3 "inf" is not a finite number`)

	// The <init> block: cross section and beam energies.
	for _, c := range []struct{ old, new, msg string }{
		{"1.903100e-02 3.539600e-05", "nan 3.539600e-05", `<init> process 1: XSECUP "nan" is not a finite number`},
		{"3.539600e-05 1.903100e-02 1", "3.539600e-05 inf 1", `XMAXUP "inf" is not a finite number`},
		{"6.500000e+03 6.500000e+03", "6.500000e+03 1e309", `EBMUP(2) "1e309" is not a finite number`},
	} {
		text := strings.Replace(small, c.old, c.new, 1)
		_, err := NewReader(strings.NewReader(text), "init.lhe")
		checkError(t, err, "init.lhe", lineOf(t, text, c.new, 0), -1, c.msg)
		// Dropping events does not excuse a bad header.
		_, err = NewReader(strings.NewReader(text), "init.lhe", WithDropNonFinite(true))
		checkError(t, err, "init.lhe", 0, -1, c.msg)
	}
}
