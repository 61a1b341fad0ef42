// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/store"
)

// tinyScoreModel trains and saves a score estimator of 7 observables and
// 2 parameters, one epoch on 64 random events.
func tinyScoreModel(t *testing.T) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	x, txz := mat.NewDense(64, 7, nil), mat.NewDense(64, 2, nil)
	for i := 0; i < 64; i++ {
		for j := 0; j < 7; j++ {
			x.Set(i, j, rng.NormFloat64())
		}
		txz.Set(i, 0, rng.NormFloat64())
		txz.Set(i, 1, rng.NormFloat64())
	}
	method, err := ml.ParseMethod("sally")
	if err != nil {
		t.Fatal(err)
	}
	est := &ml.ScoreEstimator{Hidden: []int{4}}
	if _, err := est.Train(method, x, txz, &ml.Settings{Epochs: 1, BatchSize: 16, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "model")
	if err := est.Save(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestEvaluateHugeClaim gives goldmine evaluate a 1 kB .npy whose header
// claims shape (1e11, 7): a one-line error naming the file and both sizes,
// in under a second, with under 100 MB allocated (measured with
// runtime.MemStats; before, the claim was allocated and the process died
// out of memory).
func TestEvaluateHugeClaim(t *testing.T) {
	model := tinyScoreModel(t)
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 7), }"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(dict)+1), 0)
	b = append(append(append(b, dict...), '\n'), make([]byte, 1024-len(b)-len(dict)-1)...)
	x := filepath.Join(t.TempDir(), "huge.npy")
	if err := os.WriteFile(x, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := run(t, nil, "evaluate", model, "--x", x, "--out", filepath.Join(t.TempDir(), "out"), "--quiet")
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), x) ||
		!strings.Contains(err.Error(), "shape (100000000000, 7) of <f8 needs 5600000000000 bytes of data, the file has 943 after its 81-byte header") {
		t.Fatalf("error %v", err)
	}
	if took > time.Second || alloc > 100<<20 || after.HeapSys > 100<<20+before.HeapSys {
		t.Errorf("%v, %d MB allocated, heap grew by %d MB", took, alloc>>20, (after.HeapSys-before.HeapSys)>>20)
	}
	t.Logf("%v (%v, %d kB allocated)", err, took, alloc>>10)
}

// TestInspectMismatchedEvents builds, with h5py, an events file whose
// samples/observations claims 2·10⁹ rows (chunked, one chunk written)
// beside 5000 weights: goldmine inspect names the datasets that disagree
// and fails, where it used to print "0 events" and exit 0.
func TestInspectMismatchedEvents(t *testing.T) {
	py := h5pyPython(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "events.h5")
	writeEvents(t, good, 5000)
	bad := filepath.Join(dir, "mismatch.h5")
	script := `import sys, shutil, h5py, numpy as np
shutil.copy(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    n = f["samples/observations"].shape[1]
    del f["samples/observations"]
    d = f.create_dataset("samples/observations", shape=(2000000000, n), chunks=(1000, n), dtype="f8")
    d[0:1000] = np.ones((1000, n))
`
	if out, err := exec.Command(py, "-c", script, good, bad).CombinedOutput(); err != nil {
		t.Fatalf("h5py: %v\n%s", err, out)
	}
	out, err := run(t, nil, "inspect", bad)
	want := "the sample datasets disagree on the number of events: samples/observations has 2000000000, samples/weights has 5000, samples/sampling_benchmarks has 5000 rows"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), bad) {
		t.Fatalf("inspect: %v\n%s", err, out)
	}
	if _, err := run(t, nil, "inspect", good); err != nil {
		t.Fatal(err)
	}
}

// writeEvents writes n events of 3 observables and 2 benchmarks.
func writeEvents(t *testing.T, path string, n int) {
	t.Helper()
	h := &store.EventsHeader{
		Setup: store.Setup{
			Parameters: []store.Parameter{{Name: "a", LHABlock: "blk", LHAID: 1, MaxPower: 1, Range: [2]float64{-1, 1}}},
			Benchmarks: []store.Benchmark{{Name: "sm", Values: []float64{0}}, {Name: "b1", Values: []float64{1}}},
		},
		ObservableNames:       []string{"x1", "x2", "x3"},
		ObservableDefinitions: []string{"x1", "x2", "x3"},
	}
	w, err := store.CreateEvents(path, h)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		v := float64(i)
		if err := w.Write([]float64{v, 2 * v, 3 * v}, []float64{1e-3, 2e-3}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAugmentMismatchedEvents: goldmine augment on an events file whose
// samples/observations claims 2·10⁹ rows beside the analysed weights says
// which datasets disagree, and does not send the user back to analyse.
func TestAugmentMismatchedEvents(t *testing.T) {
	py := h5pyPython(t)
	card, work := analysed(t)
	events := filepath.Join(work, "events.h5")
	script := `import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    n = f["samples/observations"].shape[1]
    del f["samples/observations"]
    d = f.create_dataset("samples/observations", shape=(2000000000, n), chunks=(1000, n), dtype="f8")
    d[0:1000] = np.ones((1000, n))
`
	if out, err := exec.Command(py, "-c", script, events).CombinedOutput(); err != nil {
		t.Fatalf("h5py: %v\n%s", err, out)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := run(t, nil, "augment", card, "--workdir", work, "--quiet")
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "samples/observations has 2000000000") || !strings.Contains(err.Error(), "disagree") ||
		strings.Contains(err.Error(), "analyse") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("augment: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; took > 5*time.Second || alloc > 100<<20 {
		t.Errorf("augment took %v and allocated %d MB before refusing", took, alloc>>20)
	}
	t.Logf("%v (%v)", err, took)
}

// h5pyPython returns a Python with h5py and numpy, or skips the test.
func h5pyPython(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import h5py, numpy").Run() == nil {
			return p
		}
	}
	t.Skip("python3 with h5py not available")
	return ""
}
