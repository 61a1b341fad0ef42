// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package npy

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary bytes to the reader, through a plain reader
// (size unknown) and through a file (size checked). It must not panic,
// errors must start with "npy: ", and a successful read must return as
// many values as the shape holds. Run it for a minute with
//
//	go test -run '^$' -fuzz=FuzzRead -fuzztime=60s ./internal/npy/
func FuzzRead(f *testing.F) {
	for _, c := range []struct {
		shape []int
		data  []float64
		f32   bool
	}{
		{[]int{2, 3}, []float64{1, 2, 3, 4, 5, 6}, false},
		{[]int{}, []float64{7}, true},
		{[]int{0, 5}, nil, false},
		{[]int{3}, []float64{-1, 0, 1}, true},
	} {
		var b bytes.Buffer
		if err := Write(&b, c.shape, c.data, c.f32); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add(rawNPY("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", []byte{0, 0, 0, 1, 0, 0, 0, 2}))
	f.Add(rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 7), }", make([]byte, 64)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(shape []int, data []float64, err error) {
			if err != nil {
				if !strings.HasPrefix(err.Error(), "npy: ") {
					t.Fatalf("error %q", err)
				}
				return
			}
			n := 1
			for _, d := range shape {
				n *= d
			}
			if n != len(data) {
				t.Fatalf("shape %v with %d values", shape, len(data))
			}
		}
		check(Read(bytes.NewReader(b)))
		path := filepath.Join(dir, "f.npy")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		check(ReadFile(path))
	})
}
