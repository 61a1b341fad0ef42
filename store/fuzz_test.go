// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzHDF5 feeds arbitrary bytes, seeded with a small events file and a
// setup file written by this package, to the HDF5 readers: ReadSetup,
// OpenEvents and reading every event. They must not panic (a panic inside
// the HDF5 library is turned into an error), and every error must start
// with "store: " and name the file. Run it for a minute with
//
//	go test -run '^$' -fuzz=FuzzHDF5 -fuzztime=60s ./store/
func FuzzHDF5(f *testing.F) {
	dir := f.TempDir()
	events := filepath.Join(dir, "events.h5")
	writeTestEvents(f, events, 20)
	setup := filepath.Join(dir, "setup.h5")
	if err := WriteSetup(setup, &testHeader().Setup); err != nil {
		f.Fatal(err)
	}
	for _, p := range []string{events, setup} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	path := filepath.Join(dir, "fuzz.h5")
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		check := func(err error) {
			if err != nil && (!strings.HasPrefix(err.Error(), "store: ") || !strings.Contains(err.Error(), path)) {
				t.Fatalf("error %q does not name the file", err)
			}
		}
		_, err := ReadSetup(path)
		check(err)
		ef, err := OpenEvents(path)
		check(err)
		if err != nil {
			return
		}
		defer ef.Close()
		nObs, nW := len(ef.Header().ObservableNames), len(ef.Header().Benchmarks)
		check(ef.Read(0, -1, 7, func(b *Batch) error {
			if len(b.X) != b.N*nObs || len(b.Weights) != b.N*nW || len(b.SamplingBenchmarks) != b.N {
				t.Fatalf("batch of %d events with %d, %d, %d values", b.N, len(b.X), len(b.Weights), len(b.SamplingBenchmarks))
			}
			return nil
		}))
	})
}
