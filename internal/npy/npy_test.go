// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package npy

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
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
		{[]int{2, 1, 3}, []float64{0.1, 0.2, 0.3, -0.4, 0.5, 1.0 / 3}},
	} {
		for _, f32 := range []bool{false, true} {
			var buf bytes.Buffer
			if err := Write(&buf, tc.shape, tc.data, f32); err != nil {
				t.Fatal(err)
			}
			size := 8
			if f32 {
				size = 4
			}
			if (buf.Len()-len(tc.data)*size)%64 != 0 {
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
				want := tc.data[i]
				if f32 {
					want = float64(float32(want))
				}
				if math.Float64bits(data[i]) != math.Float64bits(want) {
					t.Errorf("shape %v value %d: got %v, want %v", tc.shape, i, data[i], want)
				}
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

// rawNPY builds a version 1.0 file with the given dict and data bytes.
func rawNPY(dict string, data []byte) []byte {
	b := []byte(magic + "\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(dict)+1))
	b = append(b, dict...)
	b = append(b, '\n')
	return append(b, data...)
}

func TestDtypesAndOrders(t *testing.T) {
	for _, c := range []struct {
		descr string
		raw   []byte
	}{
		{"<f8", binary.LittleEndian.AppendUint64(nil, math.Float64bits(-2.5))},
		{">f8", binary.BigEndian.AppendUint64(nil, math.Float64bits(-2.5))},
		{"<f4", binary.LittleEndian.AppendUint32(nil, math.Float32bits(-2.5))},
		{">f4", binary.BigEndian.AppendUint32(nil, math.Float32bits(-2.5))},
		{"<i8", binary.LittleEndian.AppendUint64(nil, uint64(0xfffffffffffffffd))},
		{">i4", binary.BigEndian.AppendUint32(nil, uint32(0xfffffffd))},
		{"=i4", binary.LittleEndian.AppendUint32(nil, uint32(0xfffffffd))},
	} {
		shape, data, err := Read(bytes.NewReader(rawNPY("{'descr': '"+c.descr+"', 'fortran_order': False, 'shape': (1,), }", c.raw)))
		want := -2.5
		if strings.Contains(c.descr, "i") {
			want = -3
		}
		if err != nil || !reflect.DeepEqual(shape, []int{1}) || data[0] != want {
			t.Errorf("%s: %v %v %v", c.descr, shape, data, err)
		}
	}
}

// TestBadHeaders checks that every malformed header is an error, before
// anything is allocated from it.
func TestBadHeaders(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		msg  string
	}{
		{"empty", nil, "not a .npy file"},
		{"magic", []byte("not numpy at all"), "bad magic"},
		{"version", []byte(magic + "\x09\x00\x00\x00"), "unsupported .npy version 9.0"},
		{"short length", []byte(magic + "\x01\x00\x10"), "truncated header"},
		{"short dict", []byte(magic + "\x01\x00\x10\x00{'de"), "truncated header"},
		{"huge v2 header", []byte(magic + "\x02\x00\xff\xff\xff\x7f"), "header length 2147483647 is too large"},
		{"not a dict", rawNPY("[1, 2]", nil), "not a dict"},
		{"no shape", rawNPY("{'descr': '<f8', 'fortran_order': False}", nil), "no shape"},
		{"extra key", rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", nil), `unexpected key "x"`},
		{"duplicate key", rawNPY("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", nil), "given twice"},
		{"fortran", rawNPY("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", make([]byte, 32)), "Fortran-order arrays are not supported"},
		{"bool", rawNPY("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", make([]byte, 2)), `unsupported dtype "|b1"`},
		{"complex", rawNPY("{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }", make([]byte, 32)), `unsupported dtype "<c16"`},
		{"structured", rawNPY("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }", make([]byte, 16)), "structured dtypes"},
		{"negative", rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }", nil), "not a tuple of non-negative integers"},
		{"overflow", rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", nil), "too large"},
		{"unclosed", rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,", nil), "not a tuple"},
		{"truncated data", rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", make([]byte, 20)), "truncated data after 0 of the 3 values"},
		{"trailing data", rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", make([]byte, 16)), "bytes after the 1 values"},
		{"bad fortran_order", rawNPY("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", make([]byte, 8)), "fortran_order is"},
	} {
		_, _, err := Read(bytes.NewReader(c.b))
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "npy: ") {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.msg)
		}
	}
	if err := Write(new(bytes.Buffer), []int{2, 2}, []float64{1}, false); err == nil {
		t.Error("shape mismatch not reported")
	}
}

// TestHugeShapeIsCheap reads a 1 kB file whose header claims shape
// (1e11, 7): the error comes from the file size, at once, with no large
// allocation; the same bytes through a plain io.Reader (size unknown) fail
// at the end of the data, having allocated only for the data there.
func TestHugeShapeIsCheap(t *testing.T) {
	b := rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 7), }", make([]byte, 1000))
	path := filepath.Join(t.TempDir(), "huge.npy")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, _, err := ReadFile(path)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "shape (100000000000, 7) of <f8 needs 5600000000000 bytes of data, the file has 1000 after its 81-byte header") {
		t.Fatalf("error %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 || took > time.Second {
		t.Errorf("%d bytes allocated, %v", alloc, took)
	}
	runtime.ReadMemStats(&before)
	_, _, err = Read(bytes.NewReader(b))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "truncated data after 0 of the 700000000000 values") {
		t.Fatalf("plain reader: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("plain reader: %d bytes allocated", alloc)
	}
	t.Logf("%v in %v", err, took)
}

func TestEncodeHeaderFixedSize(t *testing.T) {
	h, err := EncodeHeader([]int{12345678, 3}, true, 256)
	if err != nil || len(h) != 256 || h[255] != '\n' {
		t.Fatalf("%q %v", h, err)
	}
	got, err := ReadHeader(bytes.NewReader(h))
	if err != nil || !reflect.DeepEqual(got.Shape, []int{12345678, 3}) || got.Descr() != "<f4" || got.Offset != 256 {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := EncodeHeader([]int{1}, false, 32); err == nil {
		t.Error("header wider than the reserved size accepted")
	}
}
