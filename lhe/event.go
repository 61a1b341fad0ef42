// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
)

// Event is one <event> (the HEPEUP common block) with its weights.
type Event struct {
	Index  int     // 0-based position in the file
	Line   int     // line number of the <event> tag
	ProcID int     // IDPRUP: process id
	Weight float64 // XWGTUP: event weight
	Scale  float64 // SCALUP: scale in GeV
	AQED   float64 // AQEDUP: α_QED
	AQCD   float64 // AQCDUP: α_QCD

	Particles []Particle

	// Weights holds one value per Header.Weights entry, aligned with it.
	Weights []float64
}

// Particle is one particle line of an event.
type Particle struct {
	PDGID    int     // IDUP
	Status   int     // ISTUP: -1 incoming, 1 outgoing, 2 intermediate, ...
	Mothers  [2]int  // MOTHUP: 1-based indices of the mothers, 0 for none
	Colors   [2]int  // ICOLUP: colour and anti-colour tags
	Px, Py   float64 // PUP[0:2] in GeV
	Pz, E, M float64 // PUP[2:5] in GeV
	Lifetime float64 // VTIMUP: proper lifetime c·τ in mm
	Spin     float64 // SPINUP: cosine of the spin angle, 9 if unknown
}

// Next reads the next event. It returns false at the end of the file or on
// an error, which Err then reports.
func (r *Reader) Next() bool {
	if r.err != nil || r.done || r.closed {
		return false
	}
	for {
		if err := r.next(); err != nil {
			if err = r.cutInEvent(err); err != nil {
				r.err = err
				return false
			}
		}
		if r.done {
			return false
		}
		if r.bad == nil {
			r.complete++
			return true
		}
		// An event with a non-finite value, dropped (WithDropNonFinite).
		if r.dropped == 0 {
			r.firstDrop = r.bad
		}
		r.dropped++
	}
}

// Dropped returns the number of events skipped so far for non-finite
// values (WithDropNonFinite) and the error describing the first of them.
func (r *Reader) Dropped() (int, error) { return r.dropped, r.firstDrop }

// Truncated reports whether the file ended without </LesHouchesEvents>
// and WithAllowTruncated accepted it; the reason says where it ended.
func (r *Reader) Truncated() (reason string, ok bool) { return r.truncated, r.truncated != "" }

// Warnings describes what the reader accepted but a user should know
// (a truncated file, dropped events), with counts. It is complete once
// Next has returned false.
func (r *Reader) Warnings() []string {
	var w []string
	if r.truncated != "" {
		w = append(w, fmt.Sprintf("%s: %s; read the %d complete events (allow_truncated)", r.name, r.truncated, r.complete))
	}
	if r.dropped > 0 {
		w = append(w, fmt.Sprintf("%s: dropped %d events with non-finite values (the first: %v)", r.name, r.dropped, r.firstDrop))
	}
	return w
}

// next finds the next <event> tag and parses the event. Between events it
// skips blank lines, comments, CDATA sections and other tags such as
// <eventgroup>, and it reads the end of the file: </LesHouchesEvents>,
// then nothing but white space.
func (r *Reader) next() error {
	var (
		inSkip   []byte // terminator of the comment or CDATA section being skipped
		skipLine int    // line where it started
	)
	if r.endTag != nil {
		return r.finishFile(r.endTag)
	}
	for !r.pending {
		line, ok := r.readLine()
		if !ok {
			if inSkip != nil && r.rerr == nil {
				what := "comment <!--"
				if string(inSkip) == "]]>" {
					what = "CDATA section <![CDATA["
				}
				return newError(r.name, skipLine, -1, "unterminated %s (no %s before the end of the file; the events after it would be lost)", what, inSkip)
			}
			return r.endOfInput()
		}
		t := trimLeft(line)
		if inSkip != nil {
			if bytes.Contains(t, inSkip) {
				inSkip = nil
				continue
			}
			// An event or a second opening inside: the comment or
			// section was not closed, and the events would be lost.
			start := []byte("<!--")
			if string(inSkip) == "]]>" {
				start = []byte("<![CDATA[")
			}
			if isEventTag(t) || bytes.Contains(t, start) {
				what := "comment <!--"
				if string(inSkip) == "]]>" {
					what = "CDATA section <![CDATA["
				}
				return newError(r.name, skipLine, -1, "unterminated %s: line %d, inside it, holds %q (the events after it would be lost)", what, r.line, clip(t))
			}
			continue
		}
		if len(t) == 0 {
			continue
		}
		if isEventTag(t) {
			if bytes.IndexByte(t, '>') < 0 {
				return newError(r.name, r.line, r.nevents, "unterminated <event> tag")
			}
			break
		}
		if t[0] == '<' {
			switch {
			case bytes.HasPrefix(t, []byte("<!--")):
				if !bytes.Contains(t[4:], []byte("-->")) {
					inSkip, skipLine = []byte("-->"), r.line
				}
				continue
			case bytes.HasPrefix(t, []byte("<![CDATA[")):
				if !bytes.Contains(t[9:], []byte("]]>")) {
					inSkip, skipLine = []byte("]]>"), r.line
				}
				continue
			case hasTag(t, "</LesHouchesEvents"):
				return r.finishFile(t)
			case bytes.IndexByte(t, '>') < 0:
				return newError(r.name, r.line, -1, "unterminated tag %q", clip(t))
			}
		}
		if c := t[0]; c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9') {
			return newError(r.name, r.line, r.nevents, "data line outside <event> (missing <event> tag?)")
		}
		// Other lines between events (<eventgroup>, ...) are skipped.
	}
	r.pending = false
	return r.parseEvent()
}

// finishFile checks the end of the file from the </LesHouchesEvents> line
// t on: nothing may follow but white space, XML comments and the '#'
// comment lines POWHEG writes there (its random number generator state).
func (r *Reader) finishFile(t []byte) error {
	r.endTag = nil
	endLine := r.line
	gt := bytes.IndexByte(t, '>')
	if gt < 0 {
		return newError(r.name, r.line, -1, "unterminated </LesHouchesEvents> tag")
	}
	if rest := trimSpace(t[gt+1:]); len(rest) > 0 {
		return newError(r.name, r.line, -1, "text after </LesHouchesEvents>: %q", clip(rest))
	}
	var inComment bool
	for {
		line, ok := r.readLine()
		if !ok {
			if r.rerr != nil {
				return r.readErr(-1)
			}
			if inComment {
				return newError(r.name, r.line, -1, "unterminated comment <!-- after </LesHouchesEvents> (line %d)", endLine)
			}
			r.done = true
			return nil
		}
		t := trimSpace(line)
		if inComment {
			inComment = !bytes.Contains(t, []byte("-->"))
			continue
		}
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		if bytes.HasPrefix(t, []byte("<!--")) {
			inComment = !bytes.HasSuffix(t, []byte("-->")) || len(t) < 7
			continue
		}
		if hasTag(t, "<LesHouchesEvents") || bytes.HasPrefix(t, []byte("<?xml")) {
			return newError(r.name, r.line, -1, "a second LHE file starts here, after </LesHouchesEvents> at line %d (concatenated files? read them as separate samples)", endLine)
		}
		return newError(r.name, r.line, -1, "text after </LesHouchesEvents> (line %d): %q", endLine, clip(t))
	}
}

// endOfInput handles the end of the input before </LesHouchesEvents>, or
// a read error between events.
func (r *Reader) endOfInput() error {
	if r.rerr != nil && !(r.cfg.allowTruncated && errors.Is(r.rerr, io.ErrUnexpectedEOF)) {
		return r.readErr(r.nevents)
	}
	where := "the file ends without </LesHouchesEvents>"
	if r.rerr != nil {
		where = "the gzip stream ends early, without </LesHouchesEvents>"
	}
	if r.cfg.allowTruncated {
		r.truncated = fmt.Sprintf("%s after line %d", where, r.line)
		r.done = true
		return nil
	}
	if r.rerr != nil {
		return r.readErr(r.nevents)
	}
	if r.nevents == 0 {
		return newError(r.name, r.line, -1, "%s and holds no event (truncated file?)", where)
	}
	return newError(r.name, r.line, -1, "%s: the last complete event is event %d (line %d), %d events in all: truncated file? (allow_truncated accepts it)",
		where, r.nevents-1, r.ev.Line, r.nevents)
}

// errorf returns an error at the current line of the event being read.
func (r *Reader) errorf(format string, args ...any) error {
	return newError(r.name, r.line, r.nevents, format, args...)
}

// nonFinite handles the NaN or infinite value of field (raw as written)
// in the current event: an error, or with WithDropNonFinite a mark that
// drops the event once it is read to its end.
func (r *Reader) nonFinite(field string, raw []byte) error {
	err := r.errorf("%s %q is not a finite number", field, clip(raw))
	if !r.cfg.dropNonFinite {
		return err
	}
	if r.bad == nil {
		r.bad = err
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func (r *Reader) parseEvent() error {
	ev := &r.ev
	ev.Index = r.nevents
	ev.Line = r.line
	r.bad = nil

	// Event information line.
	var line []byte
	for {
		l, ok := r.readLine()
		if !ok {
			return r.eventEOF()
		}
		l = trimLeft(l)
		if len(l) > 0 {
			line = l
			break
		}
	}
	if line[0] == '<' || line[0] == '#' {
		return r.errorf("expected the event information line (NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP), found %q", clip(line))
	}
	nup, err := r.parseEventLine(line)
	if err != nil {
		return err
	}

	// Particles.
	// Grow the particle slice line by line, so that a huge NUP in a bad
	// file costs nothing until the lines are really there.
	ev.Particles = ev.Particles[:0]
	for i := 0; i < nup; i++ {
		if len(ev.Particles) < cap(ev.Particles) {
			ev.Particles = ev.Particles[:i+1]
		} else {
			ev.Particles = append(ev.Particles, Particle{})
		}
		l, ok := r.readLine()
		if !ok {
			return r.eventEOF()
		}
		l = trimLeft(l)
		if len(l) == 0 || l[0] == '<' || l[0] == '#' {
			return r.errorf("NUP mismatch: event line declares %d particles, found %d", nup, i)
		}
		if err := r.parseParticle(&ev.Particles[i], l, i); err != nil {
			return err
		}
	}

	// Optional blocks up to </event>.
	r.gen++
	if r.gen == 0 {
		clear(r.stamp)
		r.gen = 1
	}
	r.nrwgt = 0
	nrwgt := 0      // weights read from <rwgt>
	rwgt := false   // saw <rwgt>
	inRwgt := false // inside <rwgt>
	inWts := false  // inside <weights>
	wts := false    // saw <weights>
	skip := []byte(nil)
	r.wblock = r.wblock[:0]
	for {
		l, ok := r.readLine()
		if !ok {
			return r.eventEOF()
		}
		t := trimLeft(l)
		if len(t) == 0 {
			continue
		}
		if skip != nil {
			if bytes.Contains(t, skip) {
				skip = nil
			}
			if !hasTag(t, "</event") {
				continue
			}
			skip = nil
		}
		if inWts {
			if err := r.parseWeightValues(t, &inWts); err != nil {
				return err
			}
			if !inWts && bytes.Contains(t, []byte("</event>")) {
				return r.finishEvent(rwgt, wts, nrwgt)
			}
			continue
		}
		switch t[0] {
		case '<':
		case '#':
			continue
		default:
			if inRwgt {
				return r.errorf("unexpected line in <rwgt>: %q", clip(t))
			}
			if looksLikeParticle(t) {
				return r.errorf("NUP mismatch: event line declares %d particles, found more", nup)
			}
			continue
		}
		if hasTag(t, "</event") {
			if inRwgt {
				return r.errorf("missing </rwgt>: </event> inside <rwgt>")
			}
			return r.finishEvent(rwgt, wts, nrwgt)
		}
		switch {
		case hasTag(t, "<event"):
			return newError(r.name, r.line, r.nevents, "missing </event>: new <event> tag before the end of the event started at line %d", ev.Line)
		case hasTag(t, "</LesHouchesEvents"):
			return newError(r.name, r.line, r.nevents, "missing </event>: </LesHouchesEvents> inside the event started at line %d", ev.Line)
		case hasTag(t, "<rwgt"):
			rwgt, inRwgt = true, true
			if k := bytes.IndexByte(t, '>'); k >= 0 {
				n, closed, err := r.parseWgts(t[k+1:])
				if err != nil {
					return err
				}
				nrwgt += n
				inRwgt = !closed
			}
		case hasTag(t, "<wgt"):
			if !inRwgt {
				return r.errorf("<wgt> outside <rwgt>")
			}
			n, closed, err := r.parseWgts(t)
			if err != nil {
				return err
			}
			nrwgt += n
			inRwgt = !closed
		case hasTag(t, "</rwgt"):
			inRwgt = false
		case hasTag(t, "<weights"):
			wts, inWts = true, true
			k := bytes.IndexByte(t, '>')
			if k < 0 {
				return r.errorf("unterminated <weights> tag")
			}
			if err := r.parseWeightValues(t[k+1:], &inWts); err != nil {
				return err
			}
		default:
			// Unknown tag (<mgrwt>, <scales>, <weight name=...>, ...):
			// skip it, and its body up to the closing tag if it spans
			// several lines.
			skip = skipUntil(r.skipBuf, t)
			if skip != nil {
				r.skipBuf = skip
			}
		}
		// "</rwgt></event>" and the like: the event ends on this line.
		if !inWts && skip == nil && bytes.Contains(t[1:], []byte("</event>")) {
			if inRwgt {
				return r.errorf("</event> inside <rwgt>")
			}
			return r.finishEvent(rwgt, wts, nrwgt)
		}
	}
}

// finishEvent completes the event at its </event> tag.
func (r *Reader) finishEvent(rwgt, wts bool, nrwgt int) error {
	if err := r.finishWeights(rwgt, wts, nrwgt); err != nil {
		return err
	}
	r.nevents++
	return nil
}

// cutInEvent handles an error met while parsing an event when the input
// has ended right there: the last line is cut short, so the event is
// incomplete, not malformed. It is dropped with WithAllowTruncated, else
// reported as the end of the file inside the event.
func (r *Reader) cutInEvent(err error) error {
	var le *Error
	ended := r.eof && r.pos >= r.end && (r.rerr == nil || errors.Is(r.rerr, io.ErrUnexpectedEOF))
	if !ended || !errors.As(err, &le) || le.Event != r.nevents || r.ev.Index != r.nevents || r.ev.Line == 0 {
		return err
	}
	if r.cfg.allowTruncated {
		r.truncated = fmt.Sprintf("the file ends inside event %d (line %d), without </LesHouchesEvents>; the incomplete event is dropped", r.nevents, r.ev.Line)
		r.done = true
		return nil
	}
	return newError(r.name, r.line, r.nevents, "missing </event>: end of file inside the event started at line %d, whose last line is cut short (%s)", r.ev.Line, le.Msg)
}

// eventEOF reports the end of input inside an event.
func (r *Reader) eventEOF() error {
	cut := r.rerr == nil || errors.Is(r.rerr, io.ErrUnexpectedEOF)
	if r.cfg.allowTruncated && cut {
		r.truncated = fmt.Sprintf("the file ends inside event %d (line %d), without </LesHouchesEvents>; the incomplete event is dropped", r.nevents, r.ev.Line)
		r.done = true
		return nil
	}
	if r.rerr != nil {
		return r.readErr(r.nevents)
	}
	return newError(r.name, r.line, r.nevents, "missing </event>: end of file inside the event started at line %d", r.ev.Line)
}

// skipUntil returns the closing tag to look for when the tag opened in t
// is not closed on the same line, or nil. The result is built in dst
// (reused, since t lives in the line buffer).
func skipUntil(dst, t []byte) []byte {
	if len(t) < 2 || t[1] == '/' || t[1] == '?' {
		return nil
	}
	if t[1] == '!' {
		// A comment, skipped up to its end.
		if bytes.HasPrefix(t, []byte("<!--")) && !bytes.Contains(t[4:], []byte("-->")) {
			return append(dst[:0], "-->"...)
		}
		return nil
	}
	e := 1
	for e < len(t) && !isSpace(t[e]) && t[e] != '>' && t[e] != '/' {
		e++
	}
	name := t[1:e]
	if len(name) == 0 {
		return nil
	}
	if bytes.HasSuffix(trimSpace(t), []byte("/>")) {
		return nil
	}
	closing := append(dst[:0], '<', '/')
	closing = append(closing, name...)
	if bytes.Contains(t, closing) {
		return nil
	}
	return closing
}

// looksLikeParticle reports whether t has the shape of a particle line:
// 13 fields starting with two integers.
func looksLikeParticle(t []byte) bool {
	var f [14][]byte
	if splitFields(t, f[:]) != 13 {
		return false
	}
	_, ok1 := parseInt(f[0])
	_, ok2 := parseInt(f[1])
	return ok1 && ok2
}

func (r *Reader) parseEventLine(line []byte) (int, error) {
	ev := &r.ev
	var f [6][]byte
	if n := splitFields(line, f[:]); n != 6 {
		return 0, r.errorf("event information line has %d fields, want 6 (NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP)", n)
	}
	nup, ok := parseInt(f[0])
	if !ok || nup < 0 || nup > maxNUP {
		return 0, r.errorf("invalid NUP %q", f[0])
	}
	if ev.ProcID, ok = parseInt(f[1]); !ok {
		return 0, r.errorf("invalid IDPRUP %q", f[1])
	}
	var ok2, ok3, ok4, ok5 bool
	ev.Weight, ok2 = parseFloat(f[2])
	ev.Scale, ok3 = parseFloat(f[3])
	ev.AQED, ok4 = parseFloat(f[4])
	ev.AQCD, ok5 = parseFloat(f[5])
	switch {
	case !ok2:
		return 0, r.errorf("non-numeric XWGTUP %q", f[2])
	case !ok3:
		return 0, r.errorf("non-numeric SCALUP %q", f[3])
	case !ok4:
		return 0, r.errorf("non-numeric AQEDUP %q", f[4])
	case !ok5:
		return 0, r.errorf("non-numeric AQCDUP %q", f[5])
	}
	for k, v := range [4]float64{ev.Weight, ev.Scale, ev.AQED, ev.AQCD} {
		if !finite(v) {
			if err := r.nonFinite(eventFields[k], f[k+2]); err != nil {
				return 0, err
			}
		}
	}
	return nup, nil
}

var eventFields = [4]string{"XWGTUP", "SCALUP", "AQEDUP", "AQCDUP"}

var particleFields = [13]string{
	"IDUP", "ISTUP", "MOTHUP(1)", "MOTHUP(2)", "ICOLUP(1)", "ICOLUP(2)",
	"px", "py", "pz", "E", "m", "VTIMUP", "SPINUP",
}

func (r *Reader) parseParticle(p *Particle, l []byte, i int) error {
	var (
		ok  bool
		e   int
		bad int = -1
	)
	if p.PDGID, e, ok = scanInt(l, 0); !ok {
		bad = 0
	} else if p.Status, e, ok = scanInt(l, e); !ok {
		bad = 1
	} else if p.Mothers[0], e, ok = scanInt(l, e); !ok {
		bad = 2
	} else if p.Mothers[1], e, ok = scanInt(l, e); !ok {
		bad = 3
	} else if p.Colors[0], e, ok = scanInt(l, e); !ok {
		bad = 4
	} else if p.Colors[1], e, ok = scanInt(l, e); !ok {
		bad = 5
	} else if p.Px, e, ok = scanFloat(l, e); !ok {
		bad = 6
	} else if p.Py, e, ok = scanFloat(l, e); !ok {
		bad = 7
	} else if p.Pz, e, ok = scanFloat(l, e); !ok {
		bad = 8
	} else if p.E, e, ok = scanFloat(l, e); !ok {
		bad = 9
	} else if p.M, e, ok = scanFloat(l, e); !ok {
		bad = 10
	} else if p.Lifetime, e, ok = scanFloat(l, e); !ok {
		bad = 11
	} else if p.Spin, e, ok = scanFloat(l, e); !ok {
		bad = 12
	}
	if bad >= 0 {
		// Locate the offending field for the message.
		var f [14][]byte
		nf := splitFields(l, f[:])
		if bad >= nf {
			return r.particleFieldErr(i, nf, nil)
		}
		return r.particleFieldErr(i, bad, f[bad])
	}
	for e < len(l) && l[e] <= ' ' {
		e++
	}
	if e != len(l) {
		return r.errorf("particle %d has more than 13 fields", i+1)
	}
	if v := p.Px + p.Py + p.Pz + p.E + p.M + p.Lifetime + p.Spin; !finite(v) {
		// One of them is NaN or infinite (or they overflow together).
		var f [14][]byte
		splitFields(l, f[:])
		for k, v := range [7]float64{p.Px, p.Py, p.Pz, p.E, p.M, p.Lifetime, p.Spin} {
			if !finite(v) {
				return r.nonFinite(fmt.Sprintf("particle %d: %s", i+1, particleFields[6+k]), f[6+k])
			}
		}
	}
	return nil
}

func (r *Reader) particleFieldErr(i, k int, f []byte) error {
	if f == nil {
		return r.errorf("particle %d has %d fields, want 13", i+1, k)
	}
	return r.errorf("particle %d: non-numeric %s %q", i+1, particleFields[k], clip(f))
}

// parseWgts parses the <wgt id=...>value</wgt> elements of t. It returns
// how many it read and whether </rwgt> closed the block.
func (r *Reader) parseWgts(t []byte) (n int, closed bool, err error) {
	for {
		i := bytes.IndexByte(t, '<')
		if i < 0 {
			return n, false, nil
		}
		t = t[i:]
		if hasTag(t, "</rwgt") {
			return n, true, nil
		}
		if !hasTag(t, "<wgt") {
			// Stray tag inside <rwgt>: skip it.
			t = t[1:]
			continue
		}
		gt := bytes.IndexByte(t, '>')
		if gt < 0 {
			return n, false, r.errorf("unterminated <wgt> tag")
		}
		id, ok := wgtID(t[4:gt])
		if !ok {
			return n, false, r.errorf("<wgt> without id")
		}
		body := t[gt+1:]
		end := bytes.Index(body, []byte("</wgt"))
		if end < 0 {
			return n, false, r.errorf("<wgt id=%q> without </wgt> on the same line", clip(id))
		}
		v, ok := parseFloat(trimSpace(body[:end]))
		if !ok {
			return n, false, r.errorf("<wgt id=%q>: non-numeric weight %q", clip(id), clip(trimSpace(body[:end])))
		}
		if !finite(v) {
			if err := r.nonFinite(fmt.Sprintf("<wgt id=%q>: weight", clip(id)), trimSpace(body[:end])); err != nil {
				return n, false, err
			}
		}
		if err := r.setWeight(id, r.nrwgt, v); err != nil {
			return n, false, err
		}
		n++
		r.nrwgt++
		t = body[end:]
		if gt := bytes.IndexByte(t, '>'); gt >= 0 {
			t = t[gt+1:]
		} else {
			return n, false, nil
		}
	}
}

// wgtID extracts the id attribute value from the attribute text of a <wgt>.
func wgtID(a []byte) ([]byte, bool) {
	for {
		i := bytes.Index(a, []byte("id"))
		if i < 0 {
			return nil, false
		}
		if i > 0 && !isSpace(a[i-1]) {
			a = a[i+2:]
			continue
		}
		a = a[i+2:]
		j := 0
		for j < len(a) && isSpace(a[j]) {
			j++
		}
		if j == len(a) || a[j] != '=' {
			continue
		}
		j++
		for j < len(a) && isSpace(a[j]) {
			j++
		}
		if j == len(a) {
			return nil, false
		}
		if q := a[j]; q == '\'' || q == '"' {
			e := bytes.IndexByte(a[j+1:], q)
			if e < 0 {
				return nil, false
			}
			return a[j+1 : j+1+e], true
		}
		e := j
		for e < len(a) && !isSpace(a[e]) && a[e] != '/' {
			e++
		}
		return a[j:e], e > j
	}
}

// setWeight stores v for the weight id; k is the position of the weight in
// the event, tried first since MG5 writes weights in header order.
func (r *Reader) setWeight(id []byte, k int, v float64) error {
	h := r.hdr
	idx := -1
	if k < r.nw && string(id) == h.Weights[k].ID {
		idx = k
	} else if i, ok := h.index[string(id)]; ok {
		idx = i
	} else {
		return r.errorf("unknown weight id %q (not declared in <initrwgt>)", clip(id))
	}
	if r.stamp[idx] == r.gen {
		return r.errorf("weight id %q given twice", clip(id))
	}
	r.stamp[idx] = r.gen
	r.ev.Weights[idx] = v
	return nil
}

// parseWeightValues reads the numbers of a <weights> block from t, clearing
// *in at </weights>.
func (r *Reader) parseWeightValues(t []byte, in *bool) error {
	if i := bytes.Index(t, []byte("</weights")); i >= 0 {
		t = t[:i]
		*in = false
	}
	e := 0
	for {
		var s int
		s, e = field(t, e)
		if s == e {
			return nil
		}
		v, ok := parseFloat(t[s:e])
		if !ok {
			return r.errorf("<weights>: non-numeric weight %q", clip(t[s:e]))
		}
		if !finite(v) {
			if err := r.nonFinite(fmt.Sprintf("<weights>: weight %d", len(r.wblock)+1), t[s:e]); err != nil {
				return err
			}
		}
		if len(r.wblock) > r.nw+1<<16 {
			return r.errorf("<weights>: too many values")
		}
		r.wblock = append(r.wblock, v)
	}
}

// finishWeights checks that the event supplied every declared weight.
func (r *Reader) finishWeights(rwgt, wts bool, nrwgt int) error {
	switch {
	case rwgt:
		if nrwgt != r.nw {
			for i := range r.hdr.Weights {
				if r.stamp[i] != r.gen {
					return r.errorf("<rwgt> has %d weights, the header declares %d (first missing: %q)", nrwgt, r.nw, r.hdr.Weights[i].ID)
				}
			}
		}
	case wts:
		if len(r.wblock) != r.nw {
			return r.errorf("<weights> has %d values, the header declares %d weights", len(r.wblock), r.nw)
		}
		copy(r.ev.Weights, r.wblock)
	default:
		if r.nw > 0 {
			return r.errorf("no <rwgt> or <weights> block, the header declares %d weights", r.nw)
		}
	}
	return nil
}

// clip shortens b for error messages.
func clip(b []byte) string {
	const max = 60
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// CopyTo copies ev into dst, reusing the capacity of dst's slices, and
// returns dst. A nil dst is allocated. The copy shares no memory with ev,
// so it stays valid after the next call to Reader.Next: use it to hand
// events to other goroutines.
func (ev *Event) CopyTo(dst *Event) *Event {
	if dst == nil {
		dst = new(Event)
	}
	ps, ws := dst.Particles, dst.Weights
	*dst = *ev
	dst.Particles = append(ps[:0], ev.Particles...)
	dst.Weights = append(ws[:0], ev.Weights...)
	return dst
}

// ReadBatch reads up to len(dst) events into dst with CopyTo and returns
// how many it read. Fewer than len(dst) means the end of the file or an
// error, which Err reports. Reusing the same dst allocates nothing once the
// slices have grown, so a reading goroutine can fill batches that analysis
// goroutines consume in order.
func (r *Reader) ReadBatch(dst []Event) int {
	for i := range dst {
		if !r.Next() {
			return i
		}
		r.ev.CopyTo(&dst[i])
	}
	return len(dst)
}
