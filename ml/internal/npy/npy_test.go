// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package npy

import (
	"bytes"
	"encoding/hex"
	"math"
	"reflect"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		shape []int
		data  []float64
	}{
		{[]int{3}, []float64{1, -2.5, math.Pi}},
		{[]int{2, 3}, []float64{0, 1e-300, -0, math.MaxFloat64, math.Inf(1), 5}},
		{[]int{}, []float64{42}},
		{[]int{0, 4}, []float64{}},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, tc.shape, tc.data); err != nil {
			t.Fatal(err)
		}
		if buf.Len()%64 != (len(tc.data)*8)%64 {
			t.Errorf("shape %v: header not padded to 64 bytes", tc.shape)
		}
		shape, data, err := Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(shape, tc.shape) || len(data) != len(tc.data) {
			t.Fatalf("got shape %v len %d, want %v len %d", shape, len(data), tc.shape, len(tc.data))
		}
		for i := range data {
			if math.Float64bits(data[i]) != math.Float64bits(tc.data[i]) {
				t.Errorf("shape %v value %d: got %v, want %v", tc.shape, i, data[i], tc.data[i])
			}
		}
	}
}

// TestReadNumPy reads the bytes of np.save(f, np.array([[1.5, -2.0],
// [3.0, 0.25]])) as laid out by the .npy format specification (NEP 1):
// magic, version 1.0, little-endian header length, the header dict padded
// with spaces to a 64-byte boundary, then the data (built with Python's
// struct module, independently of Write).
func TestReadNumPy(t *testing.T) {
	const h = "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2032292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000000000000f83f00000000000000c00000000000000840000000000000d03f"
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	shape, data, err := Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(shape, []int{2, 2}) || !reflect.DeepEqual(data, []float64{1.5, -2, 3, 0.25}) {
		t.Errorf("got %v %v", shape, data)
	}
}

func TestReadErrors(t *testing.T) {
	for _, b := range [][]byte{
		[]byte("not numpy"),
		[]byte("\x93NUMPY\x09\x00"),
		append([]byte("\x93NUMPY\x01\x00\x10\x00"), []byte("{'descr': '<c16'")...),
	} {
		if _, _, err := Read(bytes.NewReader(b)); err == nil {
			t.Errorf("%q: no error", b)
		}
	}
	if err := Write(new(bytes.Buffer), []int{2, 2}, []float64{1}); err == nil {
		t.Error("shape mismatch not reported")
	}
}
