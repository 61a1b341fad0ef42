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

func readNPY(r io.Reader) ([]int, []float64, error) {
	pre := make([]byte, len(npyMagic)+2)
	if _, err := io.ReadFull(r, pre); err != nil {
		return nil, nil, fmt.Errorf("not a .npy file: %w", err)
	}
	if string(pre[:len(npyMagic)]) != npyMagic {
		return nil, nil, errors.New("not a .npy file (bad magic)")
	}
	var hlen int
	switch major := pre[len(npyMagic)]; major {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, nil, fmt.Errorf("truncated header: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, nil, fmt.Errorf("truncated header: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
		if hlen > 1<<24 {
			return nil, nil, fmt.Errorf("header length %d too large", hlen)
		}
	default:
		return nil, nil, fmt.Errorf("unsupported .npy version %d", major)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, nil, fmt.Errorf("truncated header: %w", err)
	}
	h := string(hdr)
	m := npyDescrRE.FindStringSubmatch(h)
	if m == nil {
		return nil, nil, fmt.Errorf("header has no descr: %q", h)
	}
	descr := m[1]
	if m := npyFortranRE.FindStringSubmatch(h); m == nil {
		return nil, nil, fmt.Errorf("header has no fortran_order: %q", h)
	} else if m[1] == "True" {
		return nil, nil, errors.New("fortran_order arrays are not supported")
	}
	m = npyShapeRE.FindStringSubmatch(h)
	if m == nil {
		return nil, nil, fmt.Errorf("header has no shape: %q", h)
	}
	shape := []int{}
	size := 1
	for _, s := range strings.Split(m[1], ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		s = strings.TrimSuffix(s, "L")
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, nil, fmt.Errorf("bad shape %q", m[1])
		}
		shape = append(shape, n)
		if n > 0 && size > math.MaxInt/n {
			return nil, nil, fmt.Errorf("shape %q too large", m[1])
		}
		size *= n
	}

	var order binary.ByteOrder = binary.LittleEndian
	kind := descr
	switch {
	case strings.HasPrefix(descr, "<"), strings.HasPrefix(descr, "|"), strings.HasPrefix(descr, "="):
		kind = descr[1:]
	case strings.HasPrefix(descr, ">"):
		order = binary.BigEndian
		kind = descr[1:]
	}
	var elem int
	switch kind {
	case "f8", "i8":
		elem = 8
	case "f4", "i4":
		elem = 4
	default:
		return nil, nil, fmt.Errorf("unsupported dtype %q (want f8, f4, i8 or i4)", descr)
	}
	data := make([]float64, size)
	buf := make([]byte, 8192*elem)
	for i := 0; i < size; {
		n := min(8192, size-i)
		b := buf[:n*elem]
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, nil, fmt.Errorf("truncated data after %d of %d values: %w", i, size, err)
		}
		dst := data[i : i+n]
		switch kind {
		case "f8":
			for j := range dst {
				dst[j] = math.Float64frombits(order.Uint64(b[8*j:]))
			}
		case "f4":
			for j := range dst {
				dst[j] = float64(math.Float32frombits(order.Uint32(b[4*j:])))
			}
		case "i8":
			for j := range dst {
				dst[j] = float64(int64(order.Uint64(b[8*j:])))
			}
		case "i4":
			for j := range dst {
				dst[j] = float64(int32(order.Uint32(b[4*j:])))
			}
		}
		i += n
	}
	return shape, data, nil
}
