// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// h5Summary is one dataset as summarised by testdata/h5summary.py.
type h5Summary struct {
	Dtype   string    `json:"dtype"`
	Shape   []int     `json:"shape"`
	Strings []string  `json:"strings"`
	First   []float64 `json:"first"`
	Last    []float64 `json:"last"`
	Sum     *float64  `json:"sum"`
}

// loadSummaries reads the committed h5py summaries of the shared MadMiner
// files (testdata/madminer_h5py.json, made by testdata/h5summary.py).
func loadSummaries(t testing.TB) map[string]map[string]h5Summary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "madminer_h5py.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]map[string]h5Summary
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// pythonH5py returns a python3 interpreter that can import h5py and numpy,
// or "" if there is none.
func pythonH5py() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if err := exec.Command(py, "-c", "import h5py, numpy").Run(); err == nil {
			return py
		}
	}
	return ""
}

// runSummary runs testdata/h5summary.py on paths with python py, in one
// process, and returns the summaries by base name.
func runSummary(t testing.TB, py string, paths ...string) map[string]map[string]h5Summary {
	t.Helper()
	args := append([]string{filepath.Join("testdata", "h5summary.py")}, paths...)
	out, err := exec.Command(py, args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("h5summary.py %v: %v\n%s", paths, err, ee.Stderr)
		}
		t.Fatalf("h5summary.py %v: %v", paths, err)
	}
	var m map[string]map[string]h5Summary
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

// numSummary accumulates the first and last 8 values, the sum and the sum of
// absolute values of a stream of numbers.
type numSummary struct {
	first, last []float64
	sum, sumAbs float64
	n           int
}

func (s *numSummary) add(v ...float64) {
	for _, x := range v {
		if len(s.first) < 8 {
			s.first = append(s.first, x)
		}
		s.last = append(s.last, x)
		if len(s.last) > 8 {
			s.last = s.last[1:]
		}
		s.sum += x
		s.sumAbs += math.Abs(x)
		s.n++
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}
