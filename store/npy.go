// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
)

const npyMagic = "\x93NUMPY"

// npyHeader returns a version 1.0 .npy header for the given dtype and shape,
// padded with spaces so that the data starts at a multiple of 64 bytes.
func npyHeader(descr string, shape []int) ([]byte, error) {
	var dims []string
	for _, n := range shape {
		dims = append(dims, strconv.Itoa(n))
	}
	var sh string
	switch len(dims) {
	case 0:
		sh = "()"
	case 1:
		sh = "(" + dims[0] + ",)"
	default:
		sh = "(" + strings.Join(dims, ", ") + ")"
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, sh)
	const pre = len(npyMagic) + 2 + 2
	total := pre + len(dict) + 1
	if pad := total % 64; pad != 0 {
		total += 64 - pad
	}
	hlen := total - pre
	if hlen > math.MaxUint16 {
		return nil, fmt.Errorf("store: npy header too long for shape %v", shape)
	}
	buf := make([]byte, 0, total)
	buf = append(buf, npyMagic...)
	buf = append(buf, 1, 0)
	buf = binary.LittleEndian.AppendUint16(buf, uint16(hlen))
	buf = append(buf, dict...)
	for len(buf) < total-1 {
		buf = append(buf, ' ')
	}
	buf = append(buf, '\n')
	return buf, nil
}

func checkShape(shape []int, n int) error {
	size := 1
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("negative dimension in shape %v", shape)
		}
		size *= d
	}
	if size != n {
		return fmt.Errorf("shape %v holds %d values, data has %d", shape, size, n)
	}
	return nil
}

// WriteNPY writes data, in C (row-major) order with the given shape, to a
// version 1.0 .npy file at path, atomically. The values are stored as
// little-endian float64 ('<f8'), or float32 ('<f4') when float32 is true.
func WriteNPY(path string, shape []int, data []float64, float32 bool) error {
	if err := checkShape(shape, len(data)); err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	descr := "<f8"
	if float32 {
		descr = "<f4"
	}
	hdr, err := npyHeader(descr, shape)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		if _, err := w.Write(hdr); err != nil {
			return err
		}
		return writeFloats(w, data, float32)
	})
}

// writeFloats writes data little-endian as float64 or float32.
func writeFloats(w io.Writer, data []float64, f32 bool) error {
	const chunk = 8192
	size := 8
	if f32 {
		size = 4
	}
	buf := make([]byte, 0, chunk*size)
	for len(data) > 0 {
		n := min(chunk, len(data))
		buf = buf[:0]
		for _, v := range data[:n] {
			if f32 {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
			} else {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
			}
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

var (
	npyDescrRE   = regexp.MustCompile(`['"]descr['"]\s*:\s*['"]([^'"]*)['"]`)
	npyFortranRE = regexp.MustCompile(`['"]fortran_order['"]\s*:\s*(True|False)`)
	npyShapeRE   = regexp.MustCompile(`['"]shape['"]\s*:\s*\(([^)]*)\)`)
)

// ReadNPY reads a .npy file in C order holding float64, float32, int64 or
// int32 values, little- or big-endian, and returns its shape and its values
// converted to float64.
func ReadNPY(path string) (shape []int, data []float64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	shape, data, err = readNPY(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return shape, data, nil
}

// npyHdr is the parsed header of a .npy file.
type npyHdr struct {
	shape []int
	size  int // number of values
	elem  int // bytes per value
	kind  byte
	order binary.ByteOrder
}

func readNPYHeader(r io.Reader) (npyHdr, error) {
	var h npyHdr
	pre := make([]byte, len(npyMagic)+2)
	if _, err := io.ReadFull(r, pre); err != nil {
		return h, fmt.Errorf("not a .npy file: %w", err)
	}
	if string(pre[:len(npyMagic)]) != npyMagic {
		return h, errors.New("not a .npy file (bad magic)")
	}
	var hlen int
	switch major := pre[len(npyMagic)]; major {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return h, fmt.Errorf("truncated header: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return h, fmt.Errorf("truncated header: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
		if hlen > 1<<24 {
			return h, fmt.Errorf("header length %d too large", hlen)
		}
	default:
		return h, fmt.Errorf("unsupported .npy version %d", major)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return h, fmt.Errorf("truncated header: %w", err)
	}
	d := string(hdr)
	m := npyDescrRE.FindStringSubmatch(d)
	if m == nil {
		return h, fmt.Errorf("header has no descr: %q", d)
	}
	descr := m[1]
	if m := npyFortranRE.FindStringSubmatch(d); m == nil {
		return h, fmt.Errorf("header has no fortran_order: %q", d)
	} else if m[1] == "True" {
		return h, errors.New("fortran_order arrays are not supported")
	}
	m = npyShapeRE.FindStringSubmatch(d)
	if m == nil {
		return h, fmt.Errorf("header has no shape: %q", d)
	}
	h.shape = []int{}
	h.size = 1
	for _, s := range strings.Split(m[1], ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		s = strings.TrimSuffix(s, "L")
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return h, fmt.Errorf("bad shape %q", m[1])
		}
		h.shape = append(h.shape, n)
		if n > 0 && h.size > math.MaxInt/n/8 {
			return h, fmt.Errorf("shape %q too large", m[1])
		}
		h.size *= n
	}

	h.order = binary.LittleEndian
	kind := descr
	switch {
	case strings.HasPrefix(descr, "<"), strings.HasPrefix(descr, "|"), strings.HasPrefix(descr, "="):
		kind = descr[1:]
	case strings.HasPrefix(descr, ">"):
		h.order = binary.BigEndian
		kind = descr[1:]
	}
	switch kind {
	case "f8", "i8":
		h.elem = 8
	case "f4", "i4":
		h.elem = 4
	default:
		return h, fmt.Errorf("unsupported dtype %q (want f8, f4, i8 or i4)", descr)
	}
	h.kind = kind[0]
	return h, nil
}

// decodeNPY converts len(dst) raw values from b into dst.
func decodeNPY(dst []float64, b []byte, kind byte, elem int, order binary.ByteOrder) {
	switch {
	case kind == 'f' && elem == 8:
		for j := range dst {
			dst[j] = math.Float64frombits(order.Uint64(b[8*j:]))
		}
	case kind == 'f' && elem == 4:
		for j := range dst {
			dst[j] = float64(math.Float32frombits(order.Uint32(b[4*j:])))
		}
	case kind == 'i' && elem == 8:
		for j := range dst {
			dst[j] = float64(int64(order.Uint64(b[8*j:])))
		}
	case kind == 'i' && elem == 4:
		for j := range dst {
			dst[j] = float64(int32(order.Uint32(b[4*j:])))
		}
	}
}

func readNPY(r io.Reader) ([]int, []float64, error) {
	h, err := readNPYHeader(r)
	if err != nil {
		return nil, nil, err
	}
	data := make([]float64, h.size)
	buf := make([]byte, 8192*h.elem)
	for i := 0; i < h.size; {
		n := min(8192, h.size-i)
		b := buf[:n*h.elem]
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, nil, fmt.Errorf("truncated data after %d of %d values: %w", i, h.size, err)
		}
		decodeNPY(data[i:i+n], b, h.kind, h.elem, h.order)
		i += n
	}
	return h.shape, data, nil
}
