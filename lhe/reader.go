// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"io"
	"os"
)

// Error is the error type of the package: a message with its position.
type Error struct {
	File  string // file name given to Open or NewReader
	Line  int    // 1-based line number, 0 if unknown
	Event int    // 0-based event index, -1 outside events
	Msg   string
	Err   error // underlying error, if any
}

func (e *Error) Error() string {
	s := "lhe: " + e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Event >= 0 {
		s += fmt.Sprintf(": event %d", e.Event)
	}
	return s + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

func newError(file string, line, event int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Event: event, Msg: fmt.Sprintf(format, args...)}
}

// Option configures a Reader.
type Option func(*config) error

type config struct {
	readAhead      int
	allowTruncated bool
	dropNonFinite  bool
}

// WithAllowTruncated(true) accepts a file that ends without
// </LesHouchesEvents>, as an interrupted copy or an unfinished generator
// run leaves it: the complete events are read, an incomplete last event is
// dropped, and Warnings says so with the count. By default such a file is
// an error naming the last complete event. A gzip stream cut short counts
// as truncated too; trailing garbage after the stream and text after
// </LesHouchesEvents> are errors either way.
func WithAllowTruncated(ok bool) Option {
	return func(c *config) error {
		c.allowTruncated = ok
		return nil
	}
}

// WithDropNonFinite(true) skips events that carry a NaN or infinite value
// (a momentum component, a weight, the scale or a coupling) instead of
// failing at the first: Next moves on to the next event, Dropped counts
// them and Warnings reports the count and the first one. By default such
// an event is an error naming the file, line, event and field.
func WithDropNonFinite(ok bool) Option {
	return func(c *config) error {
		c.dropNonFinite = ok
		return nil
	}
}

// WithReadAhead makes the Reader read (and decompress) the input in a
// separate goroutine, n chunks of 256 KiB ahead of the parser. n ≤ 0
// disables it (the default).
func WithReadAhead(n int) Option {
	return func(c *config) error {
		if n > 1024 {
			return fmt.Errorf("lhe: read-ahead of %d chunks is too large", n)
		}
		c.readAhead = n
		return nil
	}
}

const (
	bufSize     = 256 << 10
	maxLineSize = 64 << 20  // longest line accepted
	maxHeader   = 256 << 20 // longest header accepted
	maxNUP      = 1 << 20   // most particles per event accepted
)

// Reader reads LHE events one at a time.
type Reader struct {
	name   string
	file   *os.File
	gz     *gzip.Reader
	ra     *readAhead
	src    io.Reader
	closed bool

	// line buffer
	buf      []byte
	pos, end int
	eof      bool
	rerr     error
	line     int // number of the line last returned by readLine

	hdr     *Header
	nw      int
	ev      Event
	err     error
	done    bool
	pending bool // the <event> tag ending the header is read but not yet parsed

	stamp   []uint32
	gen     uint32
	wblock  []float64
	nrwgt   int    // weights read so far from the current <rwgt>
	skipBuf []byte // closing tag of a skipped multi-line block
	nevents int    // events met so far (dropped ones included)

	cfg       config
	hasNUL    bool   // the input read so far holds a NUL byte
	endTag    []byte // </LesHouchesEvents> line met while reading the header
	complete  int    // complete events handed out
	truncated string // why the file counts as truncated (WithAllowTruncated)
	bad       error  // first non-finite value of the current event
	dropped   int    // events dropped for non-finite values
	firstDrop error  // the first of them
}

// Open opens the LHE file at path, plain or gzip-compressed, and reads its
// header. Close closes the file.
func Open(path string, opts ...Option) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Event: -1, Msg: "could not open file: " + err.Error(), Err: err}
	}
	r, err := newReader(f, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	return r, nil
}

// NewReader returns a Reader reading from rd, plain or gzip-compressed
// (detected from the magic bytes), and reads the header. name is used in
// error messages. Close does not close rd.
func NewReader(rd io.Reader, name string, opts ...Option) (*Reader, error) {
	return newReader(rd, name, opts)
}

func newReader(rd io.Reader, name string, opts []Option) (*Reader, error) {
	var cfg config
	for i, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("lhe: option %d: %w", i, err)
		}
	}
	r := &Reader{name: name, cfg: cfg}
	br := bufio.NewReaderSize(rd, 64<<10)
	magic, err := br.Peek(2)
	switch {
	case err == nil && magic[0] == 0x1f && magic[1] == 0x8b:
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, &Error{File: name, Line: 1, Event: -1, Msg: "could not open gzip stream: " + err.Error(), Err: err}
		}
		gz.Multistream(false)
		r.gz = gz
		r.src = &gzipMembers{gz: gz, br: br}
	case err != nil && err != io.EOF:
		return nil, &Error{File: name, Line: 1, Event: -1, Msg: "could not read: " + err.Error(), Err: err}
	default:
		r.src = br
	}
	if cfg.readAhead > 0 {
		r.ra = newReadAhead(r.src, cfg.readAhead)
		r.src = r.ra
	}
	r.buf = make([]byte, bufSize)
	if err := r.readHeader(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// Header returns the parsed header.
func (r *Reader) Header() *Header { return r.hdr }

// Event returns the current event. It is valid until the next call to Next:
// the Reader reuses it.
func (r *Reader) Event() *Event { return &r.ev }

// Err returns the first error met by Next, or nil at a clean end of file.
func (r *Reader) Err() error { return r.err }

// Close releases the Reader's resources and closes the file opened by
// Open. It is idempotent.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	var err error
	if r.ra != nil {
		r.ra.stop()
	}
	if r.gz != nil {
		err = r.gz.Close()
	}
	if r.file != nil {
		if e := r.file.Close(); err == nil {
			err = e
		}
	}
	return err
}

// fill reads more input into the buffer, keeping buf[pos:end].
func (r *Reader) fill() {
	if r.pos > 0 {
		n := copy(r.buf, r.buf[r.pos:r.end])
		r.pos, r.end = 0, n
	}
	if r.end == len(r.buf) {
		if len(r.buf) >= maxLineSize {
			r.rerr = newError(r.name, r.line+1, -1, "line longer than %d bytes", maxLineSize)
			return
		}
		nb := make([]byte, 2*len(r.buf))
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := r.src.Read(r.buf[r.end:])
		if n > 0 && !r.hasNUL && bytes.IndexByte(r.buf[r.end:r.end+n], 0) >= 0 {
			r.hasNUL = true
		}
		r.end += n
		if err != nil {
			if err == io.EOF {
				r.eof = true
			} else {
				r.rerr = err
			}
			return
		}
		if n > 0 {
			return
		}
	}
	r.rerr = io.ErrNoProgress
}

// readLine returns the next line without its end-of-line characters. The
// slice is valid until the next call. ok is false at end of input or on a
// read error (r.rerr).
func (r *Reader) readLine() (line []byte, ok bool) {
	for {
		if i := bytes.IndexByte(r.buf[r.pos:r.end], '\n'); i >= 0 {
			line = r.buf[r.pos : r.pos+i]
			r.pos += i + 1
			r.line++
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			return r.checkNUL(line)
		}
		if r.eof || r.rerr != nil {
			if r.pos < r.end && r.rerr == nil {
				line = r.buf[r.pos:r.end]
				r.pos = r.end
				r.line++
				if n := len(line); n > 0 && line[n-1] == '\r' {
					line = line[:n-1]
				}
				return r.checkNUL(line)
			}
			return nil, false
		}
		r.fill()
	}
}

// checkNUL turns a line holding a NUL byte into a read error: NUL is not
// text, and a block of them is what a damaged disk or an interrupted copy
// leaves behind. The check runs only once a NUL has been seen in the input.
func (r *Reader) checkNUL(line []byte) ([]byte, bool) {
	if r.hasNUL {
		if i := bytes.IndexByte(line, 0); i >= 0 {
			r.rerr = newError(r.name, r.line, -1, "NUL byte at column %d (damaged or binary data)", i+1)
			r.pos, r.end, r.eof = 0, 0, true
			return nil, false
		}
	}
	return line, true
}

// readErr wraps the pending read error with the current position.
func (r *Reader) readErr(event int) error {
	err := r.rerr
	var le *Error
	if errors.As(err, &le) {
		if le.Event < 0 {
			le.Event = event
		}
		return le
	}
	msg := "could not read: " + err.Error()
	line := r.line + 1
	var tg *trailingGarbage
	switch {
	case errors.As(err, &tg):
		msg, line = tg.Error(), r.line
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "could not read: unexpected end of input (truncated file?)"
	case errors.Is(err, gzip.ErrChecksum):
		msg = "could not read: gzip checksum mismatch (damaged file)"
	}
	return &Error{File: r.name, Line: line, Event: event, Msg: msg, Err: err}
}

// gzipMembers reads the members of a gzip stream one after the other, as
// gzip -d does, but reports bytes after the last member that do not start
// another member as trailing garbage instead of a bad header.
type gzipMembers struct {
	gz *gzip.Reader
	br *bufio.Reader
}

// trailingGarbage is the error for bytes after the gzip stream.
type trailingGarbage struct {
	n    int64 // bytes counted (at most maxGarbage + 1)
	more bool  // more than maxGarbage
}

const maxGarbage = 1 << 20

func (e *trailingGarbage) Error() string {
	n := fmt.Sprintf("%d bytes", e.n)
	if e.more {
		n = fmt.Sprintf("more than %d bytes", maxGarbage)
	}
	return "the gzip stream is followed by " + n + " of trailing garbage (not gzip data)"
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	for {
		n, err := g.gz.Read(p)
		if err != io.EOF {
			return n, err
		}
		// End of a member: another one, the end of the file, or garbage.
		magic, perr := g.br.Peek(2)
		switch {
		case len(magic) == 0 && perr == io.EOF:
			return n, io.EOF
		case len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b:
			if err := g.gz.Reset(g.br); err != nil {
				return n, err
			}
			g.gz.Multistream(false)
			if n > 0 {
				return n, nil
			}
		case perr != nil && perr != io.EOF:
			return n, perr
		default:
			k, _ := io.CopyN(io.Discard, g.br, maxGarbage+1)
			return n, &trailingGarbage{n: min(k, maxGarbage), more: k > maxGarbage}
		}
	}
}

// readHeader reads every line before the first <event> and parses it.
func (r *Reader) readHeader() error {
	var text []byte
	for {
		line, ok := r.readLine()
		if !ok {
			if r.rerr != nil {
				return r.readErr(-1)
			}
			break
		}
		if t := trimLeft(line); isEventTag(t) {
			r.pending = true
			break
		} else if hasTag(t, "</LesHouchesEvents") {
			// A file without events: the end tag is handled by next.
			r.endTag = append([]byte(nil), t...)
			break
		}
		text = append(text, line...)
		text = append(text, '\n')
		if len(text) > maxHeader {
			return newError(r.name, r.line, -1, "header longer than %d bytes", maxHeader)
		}
	}
	h, err := parseHeader(r.name, text, 1)
	if err != nil {
		return err
	}
	r.hdr = h
	r.nw = len(h.Weights)
	r.stamp = make([]uint32, r.nw)
	r.ev.Weights = make([]float64, r.nw)
	return nil
}

func isEventTag(t []byte) bool {
	return hasTag(t, "<event")
}
