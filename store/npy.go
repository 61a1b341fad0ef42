// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/internal/npy"
)

// Dtype is the element type WriteNPY stores.
type Dtype int

const (
	Float64 Dtype = iota // little-endian float64, '<f8'
	Float32              // little-endian float32, '<f4' (MadMiner's samples)
)

// WriteNPY writes data, in C (row-major) order with the given shape, to a
// version 1.0 .npy file at path, atomically, with elements of type dt.
func WriteNPY(path string, shape []int, data []float64, dt Dtype) error {
	if err := checkShape(shape, len(data)); err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		return npy.Write(w, shape, data, dt == Float32)
	})
}

// WriteNPYIn is WriteNPY for the file name inside root; every write goes
// through root.
func WriteNPYIn(root *os.Root, name string, shape []int, data []float64, dt Dtype) error {
	if err := checkShape(shape, len(data)); err != nil {
		return fmt.Errorf("store: %s: %w", filepath.Join(root.Name(), name), err)
	}
	return WriteFileAtomicIn(root, name, func(w io.Writer) error {
		return npy.Write(w, shape, data, dt == Float32)
	})
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

// ReadNPY reads a .npy file in C order holding float64, float32, int64 or
// int32 values, little- or big-endian, and returns its shape and its values
// converted to float64. The shape is checked against the size of the file
// before anything is allocated.
func ReadNPY(path string) (shape []int, data []float64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	shape, data, err = npy.Read(f)
	if err != nil {
		return nil, nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return shape, data, nil
}
