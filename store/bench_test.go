// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"fmt"
	"path/filepath"
	"testing"
)

// benchHeader has 7 observables and 6 benchmarks, like the 30k ZH study.
func benchHeader() *EventsHeader {
	h := testHeader()
	h.NuisanceParameters = nil
	h.Benchmarks = h.Benchmarks[:4]
	h.Benchmarks = append(h.Benchmarks, Benchmark{Name: "b4", Values: []float64{1, 1}}, Benchmark{Name: "b5", Values: []float64{-1, 1}})
	h.ObservableNames = []string{"o1", "o2", "o3", "o4", "o5", "o6", "o7"}
	h.ObservableDefinitions = h.ObservableNames
	return h
}

var benchSink float64

func writeBenchFile(b *testing.B, path string, n int) {
	h := benchHeader()
	ew, err := CreateEvents(path, h)
	if err != nil {
		b.Fatal(err)
	}
	x := make([]float64, 7)
	w := make([]float64, 6)
	for i := 0; i < n; i++ {
		for j := range x {
			x[j] = float64(i + j)
		}
		for j := range w {
			w[j] = float64(i) * 1e-6
		}
		if err := ew.Write(x, w, i%6); err != nil {
			b.Fatal(err)
		}
	}
	if err := ew.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEventsWrite writes n events of 7 observables and 6 weights.
func BenchmarkEventsWrite(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n) * 14 * 8)
			dir := b.TempDir()
			for i := 0; i < b.N; i++ {
				writeBenchFile(b, filepath.Join(dir, "bench.h5"), n)
			}
		})
	}
}

// BenchmarkEventsRead reads n events of 7 observables and 6 weights in
// batches of 10000.
func BenchmarkEventsRead(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "bench.h5")
			writeBenchFile(b, path, n)
			b.ReportAllocs()
			b.SetBytes(int64(n) * 14 * 8)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ef, err := OpenEvents(path)
				if err != nil {
					b.Fatal(err)
				}
				err = ef.Read(0, -1, 10_000, func(bt *Batch) error {
					benchSink += bt.X[0] + bt.Weights[len(bt.Weights)-1]
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				ef.Close()
			}
		})
	}
}
