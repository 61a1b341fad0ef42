// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe_test

import (
	"fmt"
	"log"

	"github.com/goldmine-hep/goldmine/lhe"
)

// Example reads the weights declared in a file's header, then sums the
// nominal and the reweighted event weights.
func Example() {
	r, err := lhe.Open("testdata/small.lhe")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	h := r.Header()
	fmt.Println("event_norm:", h.RunCard["event_norm"])
	for _, w := range h.Weights {
		fmt.Printf("weight %s (group %s): %v\n", w.ID, w.Group, w.ParamSets)
	}

	var sum float64
	sums := make([]float64, len(h.Weights))
	for r.Next() {
		ev := r.Event()
		sum += ev.Weight
		for i, w := range ev.Weights {
			sums[i] += w
		}
	}
	if err := r.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("nominal: %.7g\n", sum)
	for i, w := range h.Weights {
		fmt.Printf("%s: %.7g\n", w.ID, sums[i])
	}

	// Output:
	// event_norm: average
	// weight bench_1 (group mg_reweighting): [{smeft 7 -0.5} {smeft 25 0.25}]
	// weight bench_2 (group mg_reweighting): [{smeft 7 1}]
	// nominal: 0
	// bench_1: 0.03521968
	// bench_2: 0.1197605
}

// Example_pipeline reads batches of events in one goroutine while the
// caller analyses them in order in another; batches are recycled, so the
// steady state allocates nothing.
func Example_pipeline() {
	r, err := lhe.Open("testdata/small.lhe", lhe.WithReadAhead(2))
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	const nbuf = 3
	free := make(chan []lhe.Event, nbuf)
	full := make(chan []lhe.Event, nbuf)
	for i := 0; i < nbuf; i++ {
		free <- make([]lhe.Event, 1)
	}
	go func() {
		defer close(full)
		for batch := range free {
			n := r.ReadBatch(batch)
			if n > 0 {
				full <- batch[:n]
			}
			if n < len(batch) {
				return
			}
		}
	}()

	for batch := range full {
		for i := range batch {
			ev := &batch[i]
			fmt.Printf("event %d (line %d): %d particles, weights %v\n", ev.Index, ev.Line, len(ev.Particles), ev.Weights)
		}
		free <- batch[:cap(batch)]
	}
	if err := r.Err(); err != nil {
		log.Fatal(err)
	}

	// Output:
	// event 0 (line 35): 3 particles, weights [0.012515099 -0.023576964]
	// event 1 (line 48): 3 particles, weights [0.022704583 0.14333751]
}
