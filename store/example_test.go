// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/store"
)

// Write a small MadMiner events file and stream it back in batches.
func Example_events() {
	dir, err := os.MkdirTemp("", "store-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "events.h5")

	h := &store.EventsHeader{
		Setup: store.Setup{
			Parameters: []store.Parameter{{Name: "cHW", LHABlock: "smeft", LHAID: 7, MaxPower: 2, Range: [2]float64{-1, 1}}},
			Benchmarks: []store.Benchmark{
				{Name: "sm", Values: []float64{0}, IsReference: true},
				{Name: "bsm", Values: []float64{1}},
			},
		},
		ObservableNames:       []string{"pt_z", "m_zh"},
		ObservableDefinitions: []string{"(e[0] + e[1]).pt", "(p[0] + p[1] + p[2]).m"},
	}
	w, err := store.CreateEvents(path, h)
	if err != nil {
		log.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		x := []float64{10 * float64(i), 250 + float64(i)}
		weights := []float64{1e-6, 1e-6 * (1 + 0.1*float64(i))}
		if err := w.Write(x, weights, 0); err != nil {
			w.Abort()
			log.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	f, err := store.OpenEvents(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	fmt.Println("events:", f.N(), "signal per benchmark:", f.Header().SignalEvents)
	err = f.Read(0, -1, 4, func(b *store.Batch) error {
		last := b.N - 1
		fmt.Printf("rows %d-%d: pt_z %g..%g, last bsm weight %.3g\n", b.Start, b.Start+last, b.X[0], b.X[2*last], b.Weights[2*last+1])
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// events: 10 signal per benchmark: [10 0]
	// rows 0-3: pt_z 0..30, last bsm weight 1.3e-06
	// rows 4-7: pt_z 40..70, last bsm weight 1.7e-06
	// rows 8-9: pt_z 80..90, last bsm weight 1.9e-06
}
