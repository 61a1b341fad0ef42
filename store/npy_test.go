// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var npyCases = []struct {
	name  string
	shape []int
	data  []float64
}{
	{"scalar", []int{}, []float64{math.Pi}},
	{"empty", []int{0}, []float64{}},
	{"vector", []int{5}, []float64{1, -2.5, 1e-300, math.MaxFloat64, math.Copysign(0, -1)}},
	{"matrix", []int{2, 3}, []float64{1, 2, 3, 4, 5, 6}},
	{"cube", []int{2, 1, 3}, []float64{0.1, 0.2, 0.3, -0.4, 0.5, 1.0 / 3}},
	{"empty rows", []int{0, 4}, []float64{}},
}

func TestNPYRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range npyCases {
		for _, dt := range []Dtype{Float64, Float32} {
			f32 := dt == Float32
			path := filepath.Join(dir, tc.name+".npy")
			if err := WriteNPY(path, tc.shape, tc.data, dt); err != nil {
				t.Fatalf("%s f32=%v: %v", tc.name, f32, err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			hlen := int(raw[8]) | int(raw[9])<<8
			if (10+hlen)%64 != 0 || raw[10+hlen-1] != '\n' {
				t.Errorf("%s: header of %d bytes is not 64-aligned and newline-terminated", tc.name, hlen)
			}
			shape, data, err := ReadNPY(path)
			if err != nil {
				t.Fatalf("%s f32=%v: %v", tc.name, f32, err)
			}
			if !reflect.DeepEqual(shape, tc.shape) {
				t.Errorf("%s f32=%v: shape %v, want %v", tc.name, f32, shape, tc.shape)
			}
			want := tc.data
			if f32 {
				want = make([]float64, len(tc.data))
				for i, v := range tc.data {
					want[i] = float64(float32(v))
				}
			}
			if !equalFloats(data, want) {
				t.Errorf("%s f32=%v: data %v, want %v", tc.name, f32, data, want)
			}
		}
	}
	if err := WriteNPY(filepath.Join(dir, "bad.npy"), []int{2, 2}, []float64{1, 2, 3}, Float64); err == nil {
		t.Error("shape/data mismatch accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.npy")); !os.IsNotExist(err) {
		t.Error("a file was left after a failed WriteNPY")
	}
}

// TestNumpyReadsOurNPY has numpy load our files and numpy write files we
// read. Skipped when python3 with numpy is not available.
func TestNumpyReadsOurNPY(t *testing.T) {
	py := pythonH5py()
	if py == "" {
		t.Skip("python3 with numpy not available")
	}
	dir := t.TempDir()
	type file struct {
		path string
		i    int
		f32  bool
	}
	var files []file
	var paths []string
	for i, tc := range npyCases {
		for _, dt := range []Dtype{Float64, Float32} {
			f32 := dt == Float32
			path := filepath.Join(dir, fmt.Sprintf("%s_%v.npy", tc.name, f32))
			if err := WriteNPY(path, tc.shape, tc.data, dt); err != nil {
				t.Fatal(err)
			}
			files = append(files, file{path, i, f32})
			paths = append(paths, path)
		}
	}
	got := numpyLoad(t, py, paths)
	for k, f := range files {
		tc := npyCases[f.i]
		got, f32 := got[k], f.f32
		wantDtype := "<f8"
		if f32 {
			wantDtype = "<f4"
		}
		if got.Dtype != wantDtype || !sameShape(got.Shape, tc.shape...) || !got.Order || len(got.Data) != len(tc.data) {
			t.Errorf("%s f32=%v: numpy sees %s %v (C order %v, %d values)", tc.name, f32, got.Dtype, got.Shape, got.Order, len(got.Data))
			continue
		}
		for i, v := range got.Data {
			want := tc.data[i]
			if f32 {
				want = float64(float32(want))
			}
			x, ok := v.(float64)
			if str, isStr := v.(string); isStr {
				x, ok = map[string]float64{"inf": math.Inf(1), "-inf": math.Inf(-1)}[str]
			}
			if !ok || x != want {
				t.Errorf("%s f32=%v: numpy value %d = %v, want %v", tc.name, f32, i, v, want)
			}
		}
	}

	// numpy writes, we read: every dtype ReadNPY supports, both byte orders.
	script := `import sys, numpy as np
d = sys.argv[1]
a = np.arange(12, dtype=np.float64).reshape(3, 4) * 1.5 - 4
for dt in ["<f8", ">f8", "<f4", "<i8", ">i4"]:
    np.save(d + "/np_" + dt.replace("<", "le").replace(">", "be") + ".npy", a.astype(dt))
np.save(d + "/np_fortran.npy", np.asfortranarray(a))
np.save(d + "/np_bool.npy", a > 0)`
	if out, err := exec.Command(py, "-c", script, dir).CombinedOutput(); err != nil {
		t.Fatalf("numpy could not write: %v\n%s", err, out)
	}
	for _, dt := range []string{"lef8", "bef8", "lef4", "lei8", "bei4"} {
		shape, data, err := ReadNPY(filepath.Join(dir, "np_"+dt+".npy"))
		if err != nil {
			t.Fatalf("%s: %v", dt, err)
		}
		if !sameShape(shape, 3, 4) {
			t.Errorf("%s: shape %v", dt, shape)
		}
		for i, v := range data {
			want := float64(i)*1.5 - 4
			if strings.Contains(dt, "i") {
				want = math.Trunc(want) // numpy's astype truncates towards zero
			}
			if v != want {
				t.Errorf("%s: value %d = %v, want %v", dt, i, v, want)
			}
		}
	}
	for _, bad := range []string{"np_fortran.npy", "np_bool.npy"} {
		if _, _, err := ReadNPY(filepath.Join(dir, bad)); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: error %v, want one naming the file", bad, err)
		}
	}
}

// numpyArray is what numpy reports about a loaded .npy file.
type numpyArray struct {
	Dtype string
	Shape []int
	Order bool
	Sum   float64
	Data  []any
}

// numpyLoad has numpy load each path, in one python process.
func numpyLoad(t *testing.T, py string, paths []string) []numpyArray {
	t.Helper()
	script := `import sys, json, numpy as np
out = []
for p in sys.argv[1:]:
    a = np.load(p)
    s = float(a.astype(np.float64).sum())
    out.append({"dtype": a.dtype.str, "shape": list(a.shape), "order": bool(a.flags["C_CONTIGUOUS"]),
                "sum": s if np.isfinite(s) else None,
                "data": [float(x) if np.isfinite(x) else str(x) for x in a.reshape(-1)]})
print(json.dumps(out))`
	out, err := exec.Command(py, append([]string{"-c", script}, paths...)...).Output()
	if err != nil {
		t.Fatalf("numpy could not load our files: %v", err)
	}
	var got []numpyArray
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(paths) {
		t.Fatalf("numpy loaded %d of %d files", len(got), len(paths))
	}
	return got
}

func TestNPYBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.npy")
	if err := WriteNPY(good, []int{10, 10}, make([]float64, 100), Float64); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	for name, b := range map[string][]byte{
		"empty.npy":     {},
		"magic.npy":     []byte("not numpy at all, really"),
		"header.npy":    raw[:40],
		"truncated.npy": raw[:len(raw)-9],
		"version.npy":   append([]byte("\x93NUMPY\x09\x00"), raw[8:]...),
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ReadNPY(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
	}
}
