// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"bufio"
	"fmt"
	"os"
	"slices"

	"github.com/goldmine-hep/goldmine/internal/npy"
)

// npyStreamHeader is the fixed header size of files written by NPYWriter,
// large enough for any shape, so the header can be rewritten in place.
const npyStreamHeader = 256

// NPYWriter writes a .npy array row by row when the number of rows is not
// known in advance. Memory use does not grow with the number of rows. The
// file appears at its path, atomically, only when Close succeeds.
type NPYWriter struct {
	d        dest
	tmp      string // the temporary file's name in d's root
	path     string // for messages
	rowShape []int
	rowLen   int
	f32      bool
	f        *os.File
	bw       *bufio.Writer
	buf      []byte
	n        int // values written
	err      error
	done     bool
}

// CreateNPY starts a .npy file at path whose rows have shape rowShape (nil
// or empty for a 1-D array of scalars); the final shape is (rows, rowShape...).
// Values are stored little-endian as float64, or float32 when float32 is true.
func CreateNPY(path string, rowShape []int, float32 bool) (*NPYWriter, error) {
	d, err := destAt(path)
	if err != nil {
		return nil, err
	}
	w, err := createNPY(d, rowShape, float32)
	if err != nil {
		d.close()
	}
	return w, err
}

// CreateNPYIn is CreateNPY for the file name inside root; every write
// goes through root.
func CreateNPYIn(root *os.Root, name string, rowShape []int, float32 bool) (*NPYWriter, error) {
	return createNPY(destIn(root, name), rowShape, float32)
}

func createNPY(d dest, rowShape []int, float32 bool) (*NPYWriter, error) {
	rowLen := 1
	for _, n := range rowShape {
		if n <= 0 {
			return nil, fmt.Errorf("store: %s: bad row shape %v", d.path(), rowShape)
		}
		rowLen *= n
	}
	f, tmp, err := d.createTemp()
	if err != nil {
		return nil, err
	}
	w := &NPYWriter{d: d, tmp: tmp, path: d.path(), rowShape: slices.Clone(rowShape), rowLen: rowLen, f32: float32, f: f, bw: bufio.NewWriterSize(f, 1<<20)}
	if _, err := w.bw.Write(make([]byte, npyStreamHeader)); err != nil {
		w.Abort()
		return nil, fmt.Errorf("store: %s: %w", d.path(), err)
	}
	return w, nil
}

// Write appends values in C order; at Close their number must be a multiple
// of the row size. The slice is not retained.
func (w *NPYWriter) Write(values ...float64) error {
	if w.err != nil {
		return w.err
	}
	if w.done {
		return fmt.Errorf("store: %s: write after close", w.path)
	}
	for len(values) > 0 {
		k := min(len(values), 4096)
		w.buf = npy.AppendValues(w.buf[:0], values[:k], w.f32)
		if _, err := w.bw.Write(w.buf); err != nil {
			w.err = fmt.Errorf("store: %s: %w", w.path, err)
			return w.err
		}
		w.n += k
		values = values[k:]
	}
	return nil
}

// Rows returns the number of complete rows written so far.
func (w *NPYWriter) Rows() int { return w.n / w.rowLen }

// Abort discards the file. Abort after Close is a no-op.
func (w *NPYWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	defer w.d.close()
	w.f.Close()
	if err := w.d.remove(w.tmp); err != nil {
		return fmt.Errorf("store: %s: %w", w.path, err)
	}
	return nil
}

// Close writes the header with the final shape and renames the file into place.
func (w *NPYWriter) Close() error {
	if w.done {
		return w.err
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	if w.n%w.rowLen != 0 {
		w.Abort()
		w.err = fmt.Errorf("store: %s: %d values is not a whole number of rows of %d", w.path, w.n, w.rowLen)
		return w.err
	}
	fail := func(err error) error {
		w.Abort()
		w.err = fmt.Errorf("store: %s: %w", w.path, err)
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		return fail(err)
	}
	shape := append([]int{w.n / w.rowLen}, w.rowShape...)
	full, err := npy.EncodeHeader(shape, w.f32, npyStreamHeader)
	if err != nil {
		return fail(err)
	}
	if _, err := w.f.WriteAt(full, 0); err != nil {
		return fail(err)
	}
	if err := w.f.Sync(); err != nil {
		return fail(err)
	}
	if err := w.f.Close(); err != nil {
		return fail(err)
	}
	w.done = true
	defer w.d.close()
	w.err = w.d.commitTemp(w.tmp)
	return w.err
}

// NPYFile gives random access to the rows of a float64 or float32 .npy file
// in C order, without loading it.
type NPYFile struct {
	path   string
	f      *os.File
	h      *npy.Header
	rowLen int
	buf    []byte
}

// OpenNPY opens a .npy file for reading rows. The dtypes of ReadNPY are
// supported; the shape is checked against the size of the file.
func OpenNPY(path string) (*NPYFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	hdr, err := npy.ReadHeader(bufio.NewReader(f))
	if err == nil {
		var st os.FileInfo
		if st, err = f.Stat(); err == nil {
			err = hdr.CheckSize(st.Size())
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	nf := &NPYFile{path: path, f: f, h: hdr, rowLen: 1}
	if len(hdr.Shape) > 1 {
		for _, d := range hdr.Shape[1:] {
			nf.rowLen *= d
		}
	}
	return nf, nil
}

// Shape returns the array's shape. It must not be modified.
func (nf *NPYFile) Shape() []int { return nf.h.Shape }

// Rows returns the length of the first dimension (1 for a 0-d array).
func (nf *NPYFile) Rows() int {
	if len(nf.h.Shape) == 0 {
		return 1
	}
	return nf.h.Shape[0]
}

// RowLen returns the number of values in one row.
func (nf *NPYFile) RowLen() int { return nf.rowLen }

// ReadRows reads rows [start, start+n) into dst, which is grown if needed
// and returned.
func (nf *NPYFile) ReadRows(dst []float64, start, n int) ([]float64, error) {
	if start < 0 || n < 0 || start+n > nf.Rows() {
		return dst, fmt.Errorf("store: %s: rows [%d, %d) out of range for %d rows", nf.path, start, start+n, nf.Rows())
	}
	m := n * nf.rowLen
	if cap(dst) < m {
		dst = make([]float64, m)
	}
	dst = dst[:m]
	elem := nf.h.ItemSize
	if cap(nf.buf) < m*elem {
		nf.buf = make([]byte, m*elem)
	}
	b := nf.buf[:m*elem]
	if _, err := nf.f.ReadAt(b, nf.h.Offset+int64(start*nf.rowLen*elem)); err != nil {
		return dst, fmt.Errorf("store: %s: could not read rows [%d, %d): %w", nf.path, start, start+n, err)
	}
	nf.h.Decode(dst, b)
	return dst, nil
}

// Close closes the file.
func (nf *NPYFile) Close() error { return nf.f.Close() }
