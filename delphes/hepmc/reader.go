// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package hepmc

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Event is one HepMC event.
type Event struct {
	Number int // event number of the E line
	Line   int // line of the E record in the file

	// Weights are the event weights in file order; WeightNames of the
	// Reader names them.
	Weights []float64

	// Attributes holds HepMC3 event attributes ("A 0 name value"), keyed
	// by name. Nil for HepMC2.
	Attributes map[string]string

	Particles []Particle
}

// Particle is a HepMC particle. Momenta and mass are in GeV.
type Particle struct {
	ID               int // barcode (HepMC2) or id (HepMC3)
	PID              int // PDG id
	Status           int
	Px, Py, Pz, E, M float64
}

// Weight returns the weight called name and whether the reader knows it.
func (r *Reader) Weight(ev *Event, name string) (float64, bool) {
	i := slices.Index(r.names, name)
	if i < 0 || i >= len(ev.Weights) {
		return 0, false
	}
	return ev.Weights[i], true
}

// Reader streams the events of a HepMC file.
type Reader struct {
	name    string
	version int
	names   []string
	closer  io.Closer

	sc   *bufio.Scanner
	line int
	// pending is a line read ahead (the E line of the next event).
	pending    string
	hasPending bool
	done       bool

	v2header []string // HepMC2 header lines, replayed for go-hep's decoder
	ev       Event
	err      error
}

// Open opens the HepMC file at path, gzip-compressed or not, and reads
// its header.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("hepmc: %w", err)
	}
	r, err := newReader(f, path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// NewReader reads HepMC from rd, gzip-compressed or not; name is used in
// error messages.
func NewReader(rd io.Reader, name string) (*Reader, error) {
	return newReader(rd, name, nil)
}

func newReader(rd io.Reader, name string, closer io.Closer) (*Reader, error) {
	br := bufio.NewReaderSize(rd, 1<<16)
	var src io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("hepmc: %s: %w", name, err)
		}
		src = zr
	}
	sc := bufio.NewScanner(src)
	sc.Buffer(make([]byte, 0, 1<<16), 64<<20) // longest line: 64 MiB
	r := &Reader{name: name, closer: closer, sc: sc}
	if err := r.readHeader(); err != nil {
		return nil, err
	}
	return r, nil
}

// Version returns 2 for HepMC2 IO_GenEvent and 3 for HepMC3 Asciiv3.
func (r *Reader) Version() int { return r.version }

// WeightNames returns the names of the event weights, in order. It may
// be empty when the file names none.
func (r *Reader) WeightNames() []string { return slices.Clone(r.names) }

// Event returns the event read by the last call to Next. It is reused by
// the next call.
func (r *Reader) Event() *Event { return &r.ev }

// Err returns the first error met by Next.
func (r *Reader) Err() error { return r.err }

// Close closes the file opened by Open. It is idempotent and does not
// change Err.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	err := r.closer.Close()
	r.closer = nil
	return err
}

func (r *Reader) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("hepmc: %s:%d: %s", r.name, line, fmt.Sprintf(format, args...))
}

// next returns the next line; ok is false at the end of input.
func (r *Reader) next() (string, bool) {
	if r.hasPending {
		r.hasPending = false
		return r.pending, true
	}
	if !r.sc.Scan() {
		return "", false
	}
	r.line++
	return r.sc.Text(), true
}

func (r *Reader) unread(s string) {
	r.pending, r.hasPending = s, true
}

func (r *Reader) scanErr() error {
	if err := r.sc.Err(); err != nil {
		return fmt.Errorf("hepmc: %s: after line %d: %w", r.name, r.line, err)
	}
	return nil
}

const (
	startV2 = "HepMC::IO_GenEvent-START_EVENT_LISTING"
	endV2   = "HepMC::IO_GenEvent-END_EVENT_LISTING"
	startV3 = "HepMC::Asciiv3-START_EVENT_LISTING"
	endV3   = "HepMC::Asciiv3-END_EVENT_LISTING"
)

// readHeader reads up to the first event.
func (r *Reader) readHeader() error {
	for {
		s, ok := r.next()
		if !ok {
			if err := r.scanErr(); err != nil {
				return err
			}
			return r.errorf(r.line, "no HepMC event listing found")
		}
		t := strings.TrimSpace(s)
		switch {
		case t == "" || strings.HasPrefix(t, "HepMC::Version"):
			r.v2header = append(r.v2header, s)
			continue
		case t == startV2:
			r.version = 2
			r.v2header = append(r.v2header, s)
			return nil
		case t == startV3:
			r.version = 3
			r.v2header = nil
			return r.readRunInfo()
		case strings.HasPrefix(t, "HepMC::"):
			return r.errorf(r.line, "unsupported HepMC format %q", t)
		default:
			return r.errorf(r.line, "not a HepMC file: %q", truncate(t))
		}
	}
}

// readRunInfo reads the HepMC3 run information before the first event:
// "W" weight names, "T" tools, "A" run attributes.
func (r *Reader) readRunInfo() error {
	for {
		s, ok := r.next()
		if !ok {
			return r.scanErr()
		}
		if s == "" {
			continue
		}
		switch s[0] {
		case 'W':
			body := strings.TrimPrefix(strings.TrimPrefix(s, "W"), " ")
			r.names = strings.Split(unescape3(body), "\n")
		case 'T', 'A':
			// tools and run attributes: not needed here.
		case 'E':
			r.unread(s)
			return nil
		case 'H':
			if strings.TrimSpace(s) == endV3 {
				r.unread(s)
				return nil
			}
			return r.errorf(r.line, "unexpected line %q in run information", truncate(s))
		default:
			return r.errorf(r.line, "unexpected line %q in run information", truncate(s))
		}
	}
}

// unescape3 undoes HepMC3's escaping of strings: "\|" is a newline and
// "\\" a backslash.
func unescape3(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '|':
				b.WriteByte('\n')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// Next reads the next event. It returns false at the end of the input or
// on error; Err tells them apart.
func (r *Reader) Next() bool {
	if r.err != nil || r.done {
		return false
	}
	var err error
	var ok bool
	if r.version == 2 {
		ok, err = r.next2()
	} else {
		ok, err = r.next3()
	}
	if err != nil {
		r.err = err
		return false
	}
	if !ok {
		r.done = true
	}
	return ok
}

// next3 reads one HepMC3 event.
func (r *Reader) next3() (bool, error) {
	ev := &r.ev
	var nPart int // particles declared by the E line
	ev.Weights = ev.Weights[:0]
	ev.Particles = ev.Particles[:0]
	ev.Attributes = nil
	// find the E line
	for {
		s, ok := r.next()
		if !ok {
			if err := r.scanErr(); err != nil {
				return false, err
			}
			return false, r.errorf(r.line, "missing %s (file truncated?)", endV3)
		}
		t := strings.TrimSpace(s)
		if t == "" {
			continue
		}
		if t == endV3 {
			return false, nil
		}
		if s[0] != 'E' {
			return false, r.errorf(r.line, "expected an E line, got %q", truncate(s))
		}
		f := strings.Fields(s)
		if len(f) < 4 {
			return false, r.errorf(r.line, "E line has %d fields, want at least 4", len(f))
		}
		n, err1 := strconv.Atoi(f[1])
		_, err2 := strconv.Atoi(f[2])
		np, err3 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || err3 != nil || np < 0 {
			return false, r.errorf(r.line, "malformed E line %q", truncate(s))
		}
		ev.Number, ev.Line = n, r.line
		// Grow with the P lines really there, not with the declared count.
		ev.Particles = slices.Grow(ev.Particles, min(np, 1<<12))
		nPart = np
		break
	}
	scale := 1.0
	for {
		s, ok := r.next()
		if !ok {
			if err := r.scanErr(); err != nil {
				return false, err
			}
			return false, r.errorf(r.line, "event %d (line %d) not terminated (file truncated?)", ev.Number, ev.Line)
		}
		if s == "" {
			continue
		}
		switch s[0] {
		case 'E':
			r.unread(s)
			return true, r.finish3(ev, nPart)
		case 'H':
			if strings.TrimSpace(s) == endV3 {
				r.unread(s)
				return true, r.finish3(ev, nPart)
			}
			return false, r.errorf(r.line, "unexpected line %q", truncate(s))
		case 'U':
			f := strings.Fields(s)
			if len(f) != 3 {
				return false, r.errorf(r.line, "malformed U line %q", truncate(s))
			}
			switch f[1] {
			case "GEV":
				scale = 1
			case "MEV":
				scale = 1e-3
			default:
				return false, r.errorf(r.line, "unknown momentum unit %q", f[1])
			}
		case 'W':
			f := strings.Fields(s[1:])
			for _, v := range f {
				w, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return false, r.errorf(r.line, "bad weight %q", v)
				}
				ev.Weights = append(ev.Weights, w)
			}
		case 'A':
			f := strings.SplitN(strings.TrimSpace(s[1:]), " ", 3)
			if len(f) < 2 {
				return false, r.errorf(r.line, "malformed A line %q", truncate(s))
			}
			if f[0] == "0" {
				if ev.Attributes == nil {
					ev.Attributes = make(map[string]string)
				}
				v := ""
				if len(f) == 3 {
					v = unescape3(f[2])
				}
				ev.Attributes[f[1]] = v
			}
		case 'P':
			// P id parent_vertex pid px py pz e m status
			f := strings.Fields(s)
			if len(f) != 10 {
				return false, r.errorf(r.line, "P line has %d fields, want 10", len(f))
			}
			var p Particle
			var err error
			var ints [4]int
			for k, idx := range []int{1, 2, 3, 9} {
				if ints[k], err = strconv.Atoi(f[idx]); err != nil {
					return false, r.errorf(r.line, "bad integer %q in P line", f[idx])
				}
			}
			var fl [5]float64
			for k := range fl {
				if fl[k], err = strconv.ParseFloat(f[4+k], 64); err != nil {
					return false, r.errorf(r.line, "bad number %q in P line", f[4+k])
				}
			}
			p.ID, p.PID, p.Status = ints[0], ints[2], ints[3]
			p.Px, p.Py, p.Pz, p.E, p.M = fl[0]*scale, fl[1]*scale, fl[2]*scale, fl[3]*scale, fl[4]*scale
			ev.Particles = append(ev.Particles, p)
		case 'V', 'T':
			// vertices and tool lines: not needed for weights and particles.
		default:
			return false, r.errorf(r.line, "unexpected line %q", truncate(s))
		}
	}
}

// finish3 checks a complete HepMC3 event: the particles the E line
// declares and the weights.
func (r *Reader) finish3(ev *Event, nPart int) error {
	if len(ev.Particles) != nPart {
		return r.errorf(ev.Line, "event %d: the E line declares %d particles, the event has %d P lines", ev.Number, nPart, len(ev.Particles))
	}
	return r.checkWeights(ev)
}

// checkWeights verifies that the event carries one weight per name, and
// settles HepMC3 name lists written with spaces instead of "\|".
func (r *Reader) checkWeights(ev *Event) error {
	if len(r.names) == 0 || len(ev.Weights) == len(r.names) {
		return nil
	}
	if len(r.names) == 1 {
		if f := strings.Fields(r.names[0]); len(f) == len(ev.Weights) {
			r.names = f
			return nil
		}
	}
	return r.errorf(ev.Line, "event %d has %d weights but the header names %d", ev.Number, len(ev.Weights), len(r.names))
}

// parseNLine parses a HepMC2 N line: N count "name1" "name2" ...
func parseNLine(s string) ([]string, error) {
	s = strings.TrimSpace(strings.TrimPrefix(s, "N"))
	sp := strings.IndexByte(s, ' ')
	cnt := s
	rest := ""
	if sp >= 0 {
		cnt, rest = s[:sp], s[sp+1:]
	}
	n, err := strconv.Atoi(cnt)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("bad weight count %q", cnt)
	}
	names := make([]string, 0, n)
	for range n {
		rest = strings.TrimLeft(rest, " ")
		if !strings.HasPrefix(rest, `"`) {
			return nil, fmt.Errorf("expected %d quoted names, found %d", n, len(names))
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return nil, fmt.Errorf("unterminated name %q", truncate(rest))
		}
		names = append(names, rest[1:1+end])
		rest = rest[end+2:]
	}
	if strings.TrimSpace(rest) != "" {
		return nil, fmt.Errorf("trailing text %q after %d names", truncate(rest), n)
	}
	return names, nil
}
