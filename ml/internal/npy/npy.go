// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package npy reads and writes the NumPy .npy format (versions 1.0–3.0)
// for little-endian float64 arrays in C order, the format of model weights
// in goldmine model directories. Reading also accepts float32, int32 and
// int64 data, converted to float64.
package npy

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

var magic = []byte("\x93NUMPY")

// Write writes data with the given shape as a version 1.0 .npy stream
// ('<f8', C order). It returns an error if the shape does not match
// len(data).
func Write(w io.Writer, shape []int, data []float64) error {
	n := 1
	for _, s := range shape {
		if s < 0 {
			return fmt.Errorf("npy: negative dimension in shape %v", shape)
		}
		n *= s
	}
	if n != len(data) {
		return fmt.Errorf("npy: shape %v holds %d values, got %d", shape, n, len(data))
	}
	var sh strings.Builder
	sh.WriteString("(")
	for i, s := range shape {
		if i > 0 {
			sh.WriteString(", ")
		}
		sh.WriteString(strconv.Itoa(s))
	}
	if len(shape) == 1 {
		sh.WriteString(",")
	}
	sh.WriteString(")")
	hdr := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': %s, }", sh.String())
	// Pad with spaces so that magic+version+length+header+'\n' is a
	// multiple of 64 bytes, as NumPy does.
	total := len(magic) + 2 + 2 + len(hdr) + 1
	if pad := (64 - total%64) % 64; pad > 0 {
		hdr += strings.Repeat(" ", pad)
	}
	hdr += "\n"
	if len(hdr) > math.MaxUint16 {
		return errors.New("npy: header too long")
	}
	bw := bufio.NewWriter(w)
	bw.Write(magic)
	bw.Write([]byte{1, 0})
	binary.Write(bw, binary.LittleEndian, uint16(len(hdr)))
	bw.WriteString(hdr)
	var buf [8]byte
	for _, v := range data {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
		bw.Write(buf[:])
	}
	return bw.Flush()
}

// Read reads a .npy stream and returns its shape and data as float64 in
// C order.
func Read(r io.Reader) (shape []int, data []float64, err error) {
	br := bufio.NewReader(r)
	pre := make([]byte, 8)
	if _, err := io.ReadFull(br, pre); err != nil {
		return nil, nil, fmt.Errorf("npy: could not read magic: %w", err)
	}
	if !bytes.Equal(pre[:6], magic) {
		return nil, nil, errors.New("npy: not a .npy file (bad magic)")
	}
	var hlen int
	switch pre[6] {
	case 1:
		var l uint16
		if err := binary.Read(br, binary.LittleEndian, &l); err != nil {
			return nil, nil, fmt.Errorf("npy: could not read header length: %w", err)
		}
		hlen = int(l)
	case 2, 3:
		var l uint32
		if err := binary.Read(br, binary.LittleEndian, &l); err != nil {
			return nil, nil, fmt.Errorf("npy: could not read header length: %w", err)
		}
		hlen = int(l)
	default:
		return nil, nil, fmt.Errorf("npy: unsupported version %d.%d", pre[6], pre[7])
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(br, hb); err != nil {
		return nil, nil, fmt.Errorf("npy: could not read header: %w", err)
	}
	descr, fortran, shape, err := parseHeader(string(hb))
	if err != nil {
		return nil, nil, err
	}
	if fortran {
		return nil, nil, errors.New("npy: fortran_order arrays are not supported")
	}
	n := 1
	for _, s := range shape {
		n *= s
	}
	var size int
	var conv func([]byte) float64
	switch descr {
	case "<f8":
		size, conv = 8, func(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }
	case "<f4":
		size, conv = 4, func(b []byte) float64 { return float64(math.Float32frombits(binary.LittleEndian.Uint32(b))) }
	case "<i8":
		size, conv = 8, func(b []byte) float64 { return float64(int64(binary.LittleEndian.Uint64(b))) }
	case "<i4":
		size, conv = 4, func(b []byte) float64 { return float64(int32(binary.LittleEndian.Uint32(b))) }
	default:
		return nil, nil, fmt.Errorf("npy: unsupported dtype %q (want <f8, <f4, <i8 or <i4)", descr)
	}
	data = make([]float64, n)
	buf := make([]byte, size)
	for i := range data {
		if _, err := io.ReadFull(br, buf); err != nil {
			return nil, nil, fmt.Errorf("npy: value %d of %d: %w", i, n, err)
		}
		data[i] = conv(buf)
	}
	return shape, data, nil
}

// parseHeader parses the Python dict literal of a .npy header.
func parseHeader(h string) (descr string, fortran bool, shape []int, err error) {
	h = strings.TrimSpace(h)
	get := func(key string) (string, bool) {
		k := "'" + key + "':"
		i := strings.Index(h, k)
		if i < 0 {
			return "", false
		}
		return strings.TrimSpace(h[i+len(k):]), true
	}
	v, ok := get("descr")
	if !ok || len(v) < 2 || (v[0] != '\'' && v[0] != '"') {
		return "", false, nil, fmt.Errorf("npy: header %q has no descr", h)
	}
	end := strings.IndexByte(v[1:], v[0])
	if end < 0 {
		return "", false, nil, fmt.Errorf("npy: bad descr in header %q", h)
	}
	descr = v[1 : 1+end]
	if v, ok = get("fortran_order"); !ok {
		return "", false, nil, fmt.Errorf("npy: header %q has no fortran_order", h)
	}
	fortran = strings.HasPrefix(v, "True")
	if v, ok = get("shape"); !ok || !strings.HasPrefix(v, "(") {
		return "", false, nil, fmt.Errorf("npy: header %q has no shape", h)
	}
	end = strings.IndexByte(v, ')')
	if end < 0 {
		return "", false, nil, fmt.Errorf("npy: bad shape in header %q", h)
	}
	shape = []int{}
	for _, f := range strings.Split(v[1:end], ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		s, err := strconv.Atoi(strings.TrimSuffix(f, "L"))
		if err != nil || s < 0 {
			return "", false, nil, fmt.Errorf("npy: bad dimension %q in header %q", f, h)
		}
		shape = append(shape, s)
	}
	return descr, fortran, shape, nil
}
