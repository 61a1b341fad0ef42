// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Spill holds fixed-width rows of float64 in a temporary file, so that
// rows can be written in one order and read back in another (a shuffle
// before an events file is written) without holding them in memory: only
// the row order, one int per row, is kept in memory while reading.
//
// Rows are appended with Write; Shuffled reads them back once all are
// written. Close removes the file; it is idempotent.
type Spill struct {
	f      *os.File
	d      dest // the spill file: name inside d's root
	bw     *bufio.Writer
	width  int
	n      int
	buf    []byte
	closed bool
}

// NewSpill creates a spill file of rows of width values in dir (created
// if needed).
func NewSpill(dir string, width int) (*Spill, error) {
	if width < 1 {
		return nil, fmt.Errorf("store: spill rows of width %d", width)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: could not create spill directory: %w", err)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("store: could not open spill directory: %w", err)
	}
	s, err := newSpill(dest{root: r, name: "spill", own: true}, width)
	if err != nil {
		r.Close()
	}
	return s, err
}

// NewSpillIn is NewSpill for the folder dir inside root (created if
// needed); every write goes through root.
func NewSpillIn(root *os.Root, dir string, width int) (*Spill, error) {
	if width < 1 {
		return nil, fmt.Errorf("store: spill rows of width %d", width)
	}
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: could not create spill directory: %w", err)
	}
	return newSpill(destIn(root, filepath.Join(dir, "spill")), width)
}

func newSpill(d dest, width int) (*Spill, error) {
	f, tmp, err := d.createTemp()
	if err != nil {
		return nil, fmt.Errorf("store: could not create spill file: %w", err)
	}
	d.name = tmp
	return &Spill{f: f, d: d, bw: bufio.NewWriterSize(f, 1<<20), width: width, buf: make([]byte, 8*width)}, nil
}

// Len returns the number of rows written.
func (s *Spill) Len() int { return s.n }

// Write appends the first Width values of row. It panics if row is
// shorter.
func (s *Spill) Write(row []float64) error {
	if len(row) < s.width {
		panic("store: spill row too short")
	}
	for i, v := range row[:s.width] {
		binary.LittleEndian.PutUint64(s.buf[8*i:], math.Float64bits(v))
	}
	if _, err := s.bw.Write(s.buf); err != nil {
		return fmt.Errorf("store: could not write spill file: %w", err)
	}
	s.n++
	return nil
}

// Shuffled calls fn with every row, in the order of rnd.Shuffle applied to
// the row indices 0…Len−1 (file order if rnd is nil). The row passed to
// fn is reused between calls; fn may modify it. An error from fn stops the
// iteration and is returned.
func (s *Spill) Shuffled(rnd *rand.Rand, fn func(row []float64) error) error {
	if err := s.bw.Flush(); err != nil {
		return fmt.Errorf("store: could not write spill file: %w", err)
	}
	order := make([]int, s.n)
	for i := range order {
		order[i] = i
	}
	if rnd != nil {
		rnd.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	row := make([]float64, s.width)
	for _, i := range order {
		if _, err := s.f.ReadAt(s.buf, int64(i)*int64(len(s.buf))); err != nil {
			return fmt.Errorf("store: could not read spill file: %w", err)
		}
		for k := range row {
			row[k] = math.Float64frombits(binary.LittleEndian.Uint64(s.buf[8*k:]))
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the spill file.
func (s *Spill) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	defer s.d.close()
	err := s.f.Close()
	if rerr := s.d.remove(s.d.name); err == nil && rerr != nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("store: could not remove spill file: %w", err)
	}
	return nil
}
