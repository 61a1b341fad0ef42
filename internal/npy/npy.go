// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package npy is goldmine's one codec for the NumPy .npy format (versions
// 1.0–3.0), used by package store for sample and result arrays and by
// package ml for model tensors.
//
// Writing produces version 1.0 files, little-endian '<f8' or '<f4', C
// order, with the header padded to a multiple of 64 bytes as NumPy does.
// Reading accepts float64, float32, int64 and int32 data in either byte
// order, in C order, and returns float64 values.
//
// A header is checked before anything is allocated from it: the dict must
// hold exactly the keys descr, fortran_order and shape; Fortran order and
// other dtypes are errors; the shape's size in bytes must not overflow,
// and when the size of the input is known (an *os.File, or a reader with
// a Stat method) the data the shape declares must be exactly what follows
// the header. Otherwise the values are read in chunks, so memory follows
// the bytes really there, not the header's claim.
package npy

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"strconv"
	"strings"
)

const magic = "\x93NUMPY"

// maxHeader is the longest header dict accepted (NumPy itself refuses
// headers above 10 kB unless told otherwise).
const maxHeader = 1 << 20

// Header is the parsed header of a .npy file.
type Header struct {
	Shape    []int            // dimensions; empty for a 0-d array
	Kind     byte             // 'f' (float) or 'i' (signed integer)
	ItemSize int              // bytes per value: 4 or 8
	Order    binary.ByteOrder // byte order of the values
	Offset   int64            // bytes before the data (magic, version, length, dict)
}

// Len returns the number of values the shape holds.
func (h *Header) Len() int {
	n := 1
	for _, d := range h.Shape {
		n *= d
	}
	return n
}

// DataSize returns the number of data bytes the shape declares.
func (h *Header) DataSize() int64 { return int64(h.Len()) * int64(h.ItemSize) }

// Descr returns the dtype as NumPy writes it, e.g. "<f8".
func (h *Header) Descr() string {
	o := "<"
	if h.Order == binary.BigEndian {
		o = ">"
	}
	return o + string(h.Kind) + strconv.Itoa(h.ItemSize)
}

// ShapeString formats the shape as a Python tuple, as in the header.
func ShapeString(shape []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

// CheckSize checks that a file of size bytes holds exactly the data the
// header declares after the header.
func (h *Header) CheckSize(size int64) error {
	avail := size - h.Offset
	if need := h.DataSize(); avail != need {
		what := "truncated?"
		if avail > need {
			what = "trailing bytes"
		}
		return fmt.Errorf("npy: shape %s of %s needs %d bytes of data, the file has %d after its %d-byte header (%s)",
			ShapeString(h.Shape), h.Descr(), need, avail, h.Offset, what)
	}
	return nil
}

// ReadHeader reads and checks the header of a .npy stream. r is left at
// the first data byte.
func ReadHeader(r io.Reader) (*Header, error) {
	pre := make([]byte, len(magic)+2)
	if _, err := io.ReadFull(r, pre); err != nil {
		return nil, fmt.Errorf("npy: not a .npy file: %w", err)
	}
	if string(pre[:len(magic)]) != magic {
		return nil, errors.New("npy: not a .npy file (bad magic)")
	}
	var hlen int
	var off int64
	switch major := pre[len(magic)]; major {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npy: truncated header: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
		off = 10
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npy: truncated header: %w", err)
		}
		l := binary.LittleEndian.Uint32(b[:])
		if l > maxHeader {
			return nil, fmt.Errorf("npy: header length %d is too large (at most %d)", l, maxHeader)
		}
		hlen = int(l)
		off = 12
	default:
		return nil, fmt.Errorf("npy: unsupported .npy version %d.%d", major, pre[len(magic)+1])
	}
	dict := make([]byte, hlen)
	if _, err := io.ReadFull(r, dict); err != nil {
		return nil, fmt.Errorf("npy: truncated header (%d bytes declared): %w", hlen, err)
	}
	h, err := parseDict(string(dict))
	if err != nil {
		return nil, err
	}
	h.Offset = off + int64(hlen)
	return h, nil
}

// parseDict parses the Python dict literal of a header.
func parseDict(d string) (*Header, error) {
	p := &dictParser{s: d}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("npy: header %q: %s", clip(d), fmt.Sprintf(format, args...))
	}
	p.space()
	if !p.eat('{') {
		return nil, bad("not a dict")
	}
	var (
		descr, fortran string
		shape          []int
		seen           = make(map[string]bool)
	)
	for {
		p.space()
		if p.eat('}') {
			break
		}
		key, ok := p.str()
		if !ok {
			return nil, bad("expected a quoted key at offset %d", p.i)
		}
		if seen[key] {
			return nil, bad("key %q given twice", key)
		}
		seen[key] = true
		p.space()
		if !p.eat(':') {
			return nil, bad("expected ':' after %q", key)
		}
		p.space()
		switch key {
		case "descr":
			if descr, ok = p.str(); !ok {
				return nil, bad("descr is not a string (structured dtypes are not supported)")
			}
		case "fortran_order":
			fortran = p.word()
			if fortran != "True" && fortran != "False" {
				return nil, bad("fortran_order is %q, want True or False", fortran)
			}
		case "shape":
			if shape, ok = p.tuple(); !ok {
				return nil, bad("shape is not a tuple of non-negative integers")
			}
		default:
			return nil, bad("unexpected key %q", key)
		}
		p.space()
		if !p.eat(',') {
			p.space()
			if !p.eat('}') {
				return nil, bad("expected ',' or '}' at offset %d", p.i)
			}
			break
		}
	}
	if rest := strings.TrimSpace(d[p.i:]); rest != "" {
		return nil, bad("text after the dict")
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return nil, bad("no %s", k)
		}
	}
	if fortran == "True" {
		return nil, errors.New("npy: Fortran-order arrays are not supported (save with np.ascontiguousarray)")
	}
	h := &Header{Shape: shape, Order: binary.LittleEndian}
	kind := descr
	if len(kind) > 0 {
		switch kind[0] {
		case '<', '=', '|':
			kind = kind[1:]
		case '>':
			h.Order = binary.BigEndian
			kind = kind[1:]
		}
	}
	switch kind {
	case "f8", "i8":
		h.ItemSize = 8
	case "f4", "i4":
		h.ItemSize = 4
	default:
		return nil, fmt.Errorf("npy: unsupported dtype %q (want float64, float32, int64 or int32)", descr)
	}
	h.Kind = kind[0]
	// The data size must fit in an int64.
	size := uint64(h.ItemSize)
	for _, n := range shape {
		hi, lo := bits.Mul64(size, uint64(n))
		if hi != 0 || lo > math.MaxInt64 {
			return nil, fmt.Errorf("npy: shape %s of %s is too large", ShapeString(shape), descr)
		}
		size = lo
	}
	return h, nil
}

type dictParser struct {
	s string
	i int
}

func (p *dictParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *dictParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a string quoted with ' or ".
func (p *dictParser) str() (string, bool) {
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", false
	}
	q := p.s[p.i]
	e := strings.IndexByte(p.s[p.i+1:], q)
	if e < 0 {
		return "", false
	}
	v := p.s[p.i+1 : p.i+1+e]
	p.i += e + 2
	return v, true
}

// word reads a bare word such as True.
func (p *dictParser) word() string {
	j := p.i
	for j < len(p.s) && (p.s[j] >= 'A' && p.s[j] <= 'Z' || p.s[j] >= 'a' && p.s[j] <= 'z') {
		j++
	}
	w := p.s[p.i:j]
	p.i = j
	return w
}

// tuple reads a tuple of non-negative integers, such as (3,) or (2, 4).
func (p *dictParser) tuple() ([]int, bool) {
	if !p.eat('(') {
		return nil, false
	}
	shape := []int{}
	for {
		p.space()
		if p.eat(')') {
			return shape, true
		}
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == p.i || j-p.i > 18 {
			return nil, false
		}
		n, err := strconv.Atoi(p.s[p.i:j])
		if err != nil {
			return nil, false
		}
		p.i = j
		if p.i < len(p.s) && p.s[p.i] == 'L' { // Python 2 long
			p.i++
		}
		shape = append(shape, n)
		p.space()
		if !p.eat(',') {
			p.space()
			return shape, p.eat(')')
		}
	}
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// Decode converts len(dst) raw values from b into dst.
func (h *Header) Decode(dst []float64, b []byte) {
	o := h.Order
	switch {
	case h.Kind == 'f' && h.ItemSize == 8:
		for j := range dst {
			dst[j] = math.Float64frombits(o.Uint64(b[8*j:]))
		}
	case h.Kind == 'f' && h.ItemSize == 4:
		for j := range dst {
			dst[j] = float64(math.Float32frombits(o.Uint32(b[4*j:])))
		}
	case h.Kind == 'i' && h.ItemSize == 8:
		for j := range dst {
			dst[j] = float64(int64(o.Uint64(b[8*j:])))
		}
	case h.Kind == 'i' && h.ItemSize == 4:
		for j := range dst {
			dst[j] = float64(int32(o.Uint32(b[4*j:])))
		}
	}
}

// chunk is the number of values decoded at a time.
const chunk = 8192

// ReadData reads the h.Len() values that follow the header from r. The
// result grows chunk by chunk as the bytes arrive, so a header that claims
// more than r holds costs no more memory than the data that is there.
func ReadData(r io.Reader, h *Header) ([]float64, error) {
	n := h.Len()
	data := make([]float64, 0, min(n, 1<<20))
	buf := make([]byte, chunk*h.ItemSize)
	for len(data) < n {
		k := min(chunk, n-len(data))
		b := buf[:k*h.ItemSize]
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, fmt.Errorf("npy: truncated data after %d of the %d values of shape %s: %w", len(data), n, ShapeString(h.Shape), err)
		}
		m := len(data)
		data = append(data, make([]float64, k)...)
		h.Decode(data[m:], b)
	}
	return data, nil
}

// Read reads a whole .npy stream and returns its shape and its values as
// float64. When r can report its size (an *os.File does), the shape is
// checked against it before anything is read.
func Read(r io.Reader) (shape []int, data []float64, err error) {
	var size int64 = -1
	if st, ok := r.(interface{ Stat() (os.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
			if s, ok := r.(io.Seeker); ok {
				if pos, err := s.Seek(0, io.SeekCurrent); err == nil {
					size -= pos
				}
			}
		}
	}
	br := bufio.NewReaderSize(r, 1<<16)
	h, err := ReadHeader(br)
	if err != nil {
		return nil, nil, err
	}
	if size >= 0 {
		if err := h.CheckSize(size); err != nil {
			return nil, nil, err
		}
	}
	data, err = ReadData(br, h)
	if err != nil {
		return nil, nil, err
	}
	if size < 0 {
		if _, err := br.ReadByte(); err == nil {
			return nil, nil, fmt.Errorf("npy: bytes after the %d values of shape %s", len(data), ShapeString(h.Shape))
		}
	}
	return h.Shape, data, nil
}

// ReadFile reads the .npy file at path.
func ReadFile(path string) (shape []int, data []float64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("npy: %w", err)
	}
	defer f.Close()
	return Read(f)
}

// EncodeHeader returns a version 1.0 header for little-endian float64
// values ('<f8'), or float32 ('<f4') when f32 is true, of the given shape.
// It is padded with spaces so that the data starts at a multiple of 64
// bytes, or, if size > 0, at exactly size bytes (size must be a multiple
// of 64 large enough for the dict).
func EncodeHeader(shape []int, f32 bool, size int) ([]byte, error) {
	for _, d := range shape {
		if d < 0 {
			return nil, fmt.Errorf("npy: negative dimension in shape %v", shape)
		}
	}
	descr := "<f8"
	if f32 {
		descr = "<f4"
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, ShapeString(shape))
	const pre = len(magic) + 4
	total := pre + len(dict) + 1
	if pad := total % 64; pad != 0 {
		total += 64 - pad
	}
	if size > 0 {
		if size < total || size%64 != 0 {
			return nil, fmt.Errorf("npy: header for shape %v does not fit in %d bytes", shape, size)
		}
		total = size
	}
	if total-pre > math.MaxUint16 {
		return nil, fmt.Errorf("npy: header too long for shape %v", shape)
	}
	buf := make([]byte, 0, total)
	buf = append(buf, magic...)
	buf = append(buf, 1, 0)
	buf = binary.LittleEndian.AppendUint16(buf, uint16(total-pre))
	buf = append(buf, dict...)
	for len(buf) < total-1 {
		buf = append(buf, ' ')
	}
	return append(buf, '\n'), nil
}

// AppendValues appends v little-endian as float64, or float32 when f32 is
// true, to dst.
func AppendValues(dst []byte, v []float64, f32 bool) []byte {
	for _, x := range v {
		if f32 {
			dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(float32(x)))
		} else {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(x))
		}
	}
	return dst
}

// Write writes data, in C order with the given shape, as a version 1.0
// .npy stream of '<f8', or '<f4' when f32 is true. It is an error if the
// shape does not hold len(data) values.
func Write(w io.Writer, shape []int, data []float64, f32 bool) error {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("npy: negative dimension in shape %v", shape)
		}
		n *= d
	}
	if n != len(data) {
		return fmt.Errorf("npy: shape %v holds %d values, data has %d", shape, n, len(data))
	}
	hdr, err := EncodeHeader(shape, f32, 0)
	if err != nil {
		return err
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	buf := make([]byte, 0, chunk*8)
	for len(data) > 0 {
		k := min(chunk, len(data))
		if _, err := w.Write(AppendValues(buf[:0], data[:k], f32)); err != nil {
			return err
		}
		data = data[k:]
	}
	return nil
}
