// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"fmt"
	"slices"
)

// NuisanceBenchmarks returns the indices in h.Benchmarks of the reference
// benchmark (the first one when none is marked) and, per nuisance
// parameter, of its +1σ and −1σ benchmarks (−1: none).
func (h *EventsHeader) NuisanceBenchmarks() (ref int, up, down []int, err error) {
	idx := func(name string) int {
		if name == "" {
			return -1
		}
		return slices.IndexFunc(h.Benchmarks, func(b Benchmark) bool { return b.Name == name })
	}
	ref = max(0, slices.IndexFunc(h.Benchmarks, func(b Benchmark) bool { return b.IsReference }))
	for _, np := range h.NuisanceParameters {
		u := idx(np.BenchmarkPositive)
		if u < 0 {
			return ref, up, down, fmt.Errorf("store: nuisance parameter %s: benchmark %q not in the events file", np.Name, np.BenchmarkPositive)
		}
		up, down = append(up, u), append(down, idx(np.BenchmarkNegative))
	}
	return ref, up, down, nil
}
