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
