// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"os"
)

// spill keeps fixed-width float64 rows in a temporary file, so that events
// can be shuffled before they are written without holding them in memory:
// only the row order (one int per event) is kept in memory.
type spill struct {
	f     *os.File
	bw    *bufio.Writer
	width int
	n     int
	buf   []byte
}

func newSpill(dir string, width int) (*spill, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".spill-*")
	if err != nil {
		return nil, fmt.Errorf("pipeline: could not create spill file: %w", err)
	}
	return &spill{f: f, bw: bufio.NewWriterSize(f, 1<<20), width: width, buf: make([]byte, 8*width)}, nil
}

func (s *spill) write(row []float64) error {
	for i, v := range row[:s.width] {
		binary.LittleEndian.PutUint64(s.buf[8*i:], math.Float64bits(v))
	}
	if _, err := s.bw.Write(s.buf); err != nil {
		return fmt.Errorf("pipeline: could not write spill file: %w", err)
	}
	s.n++
	return nil
}

func (s *spill) flush() error { return s.bw.Flush() }

// read reads row i into dst.
func (s *spill) read(i int, dst []float64) error {
	if _, err := s.f.ReadAt(s.buf, int64(i)*int64(len(s.buf))); err != nil {
		return fmt.Errorf("pipeline: could not read spill file: %w", err)
	}
	for k := range dst[:s.width] {
		dst[k] = math.Float64frombits(binary.LittleEndian.Uint64(s.buf[8*k:]))
	}
	return nil
}

func (s *spill) remove() {
	name := s.f.Name()
	s.f.Close()
	os.Remove(name)
}
