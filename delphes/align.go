// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"fmt"
	"math"
	"slices"
)

// AlignKey identifies one event of a stream for Align.
type AlignKey struct {
	// Number is the event number, or -1 if the source has none (LHE).
	Number int64
	// Weights is a fingerprint of the event, such as its benchmark
	// weights in a fixed order; nil if unavailable.
	Weights []float64
}

// AlignOptions configures Align. A nil *AlignOptions means defaults.
type AlignOptions struct {
	// RelTol is the relative tolerance for equal weights; 0 means 1e-6,
	// enough for weights stored as float32 by Delphes.
	RelTol float64
}

// Alignment pairs detector-level events with the reference events (LHE
// or HepMC) they were made from.
type Alignment struct {
	// Mode is how events were paired: "number", "weights" or "position".
	Mode string
	// Ref[i] is the index of the reference event of detector event i.
	Ref []int
	// Dropped lists the reference events that have no detector event
	// (removed by a shower failure, matching or merging, or a crash).
	Dropped []int
}

// Align pairs each detector-level event det[i] with a reference event
// ref[Ref[i]]. Events may have been dropped between the two streams but
// never reordered. The pairing uses, in this order of preference:
//
//   - event numbers, when every key of both streams has one;
//   - weight fingerprints, when every key of both streams has weights of
//     the same length: a detector event is paired with the next
//     reference event whose weights agree within RelTol;
//   - positions, only when both streams have the same length.
//
// Any event that cannot be paired, weights that disagree for events
// paired by number, a pairing by weights that is ambiguous (dropped
// events while neighbouring reference events share the same weights)
// and different lengths without numbers or weights are errors: events
// are never silently mis-paired.
func Align(ref, det []AlignKey, opts *AlignOptions) (*Alignment, error) {
	tol := 1e-6
	if opts != nil && opts.RelTol > 0 {
		tol = opts.RelTol
	}
	switch {
	case len(det) == 0:
		return &Alignment{Mode: "position", Ref: []int{}, Dropped: seq(0, len(ref))}, nil
	case len(det) > len(ref):
		return nil, fmt.Errorf("delphes: align: %d detector events but only %d reference events", len(det), len(ref))
	case allNumbered(ref) && allNumbered(det):
		return alignNumbers(ref, det, tol)
	case weightLen(ref) > 0 && weightLen(ref) == weightLen(det):
		return alignWeights(ref, det, tol)
	case len(ref) == len(det):
		return &Alignment{Mode: "position", Ref: seq(0, len(det)), Dropped: []int{}}, nil
	}
	return nil, fmt.Errorf("delphes: align: %d reference and %d detector events, and neither event numbers nor weights on both sides: cannot tell which events were dropped", len(ref), len(det))
}

func seq(a, b int) []int {
	out := make([]int, 0, b-a)
	for i := a; i < b; i++ {
		out = append(out, i)
	}
	return out
}

func allNumbered(ks []AlignKey) bool {
	for _, k := range ks {
		if k.Number < 0 {
			return false
		}
	}
	return true
}

// weightLen returns the common number of weights of the keys, or 0.
func weightLen(ks []AlignKey) int {
	n := len(ks[0].Weights)
	for _, k := range ks {
		if len(k.Weights) != n {
			return 0
		}
	}
	return n
}

func sameWeights(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		d := math.Abs(a[i] - b[i])
		if d > tol*math.Max(math.Abs(a[i]), math.Abs(b[i])) && d > 1e-300 {
			return false
		}
	}
	return true
}

func alignNumbers(ref, det []AlignKey, tol float64) (*Alignment, error) {
	idx := make(map[int64]int, len(ref))
	for j, k := range ref {
		if _, dup := idx[k.Number]; dup {
			return nil, fmt.Errorf("delphes: align: reference event number %d appears twice (events %d and %d)", k.Number, idx[k.Number], j)
		}
		idx[k.Number] = j
	}
	a := &Alignment{Mode: "number", Ref: make([]int, len(det)), Dropped: []int{}}
	last := -1
	for i, k := range det {
		j, ok := idx[k.Number]
		switch {
		case !ok:
			return nil, fmt.Errorf("delphes: align: detector event %d has number %d, which no reference event has", i, k.Number)
		case j <= last:
			return nil, fmt.Errorf("delphes: align: detector event %d (number %d) is out of order: reference event %d was already paired", i, k.Number, last)
		case k.Weights != nil && ref[j].Weights != nil && !sameWeights(k.Weights, ref[j].Weights, tol):
			return nil, fmt.Errorf("delphes: align: detector event %d and reference event %d share number %d but their weights differ (%v vs %v): different samples?", i, j, k.Number, k.Weights, ref[j].Weights)
		}
		a.Dropped = append(a.Dropped, seq(last+1, j)...)
		a.Ref[i] = j
		last = j
	}
	a.Dropped = append(a.Dropped, seq(last+1, len(ref))...)
	return a, nil
}

func alignWeights(ref, det []AlignKey, tol float64) (*Alignment, error) {
	a := &Alignment{Mode: "weights", Ref: make([]int, len(det)), Dropped: []int{}}
	j := 0
	for i, k := range det {
		start := j
		for j < len(ref) && !sameWeights(k.Weights, ref[j].Weights, tol) {
			j++
		}
		if j == len(ref) {
			return nil, fmt.Errorf("delphes: align: detector event %d (weights %v) matches no reference event from %d on", i, k.Weights, start)
		}
		a.Dropped = append(a.Dropped, seq(start, j)...)
		a.Ref[i] = j
		j++
	}
	a.Dropped = append(a.Dropped, seq(j, len(ref))...)
	if len(a.Dropped) > 0 {
		// With dropped events, the first match is the right one only if
		// the weights tell neighbouring events apart.
		for j := 1; j < len(ref); j++ {
			if sameWeights(ref[j-1].Weights, ref[j].Weights, tol) {
				return nil, fmt.Errorf("delphes: align: %d reference events have no detector event and reference events %d and %d have the same weights: pairing by weights would be ambiguous", len(a.Dropped), j-1, j)
			}
		}
	}
	return a, nil
}

// AlignKeys reads the alignment keys of the events of a Delphes file:
// Event.Number, and the Weight branch as fingerprint when it holds
// weights (Delphes copies the HepMC weights there). tree "" means
// DefaultTree.
func AlignKeys(path, tree string) ([]AlignKey, error) {
	r, err := Open(path, Options{Tree: tree, Collections: []string{"Event"}})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var wr *Reader
	if slices.Contains(r.tree.Branches(), "Weight") {
		if wr, err = Open(path, Options{Tree: tree, Collections: []string{"Weight"}}); err != nil {
			return nil, err
		}
		defer wr.Close()
	}
	keys := make([]AlignKey, 0, r.Entries())
	for r.Next() {
		k := AlignKey{Number: r.Event().Number}
		if wr != nil {
			if !wr.Next() {
				return nil, fmt.Errorf("delphes: %s: Weight branch ends before Event: %v", path, wr.Err())
			}
			if w := wr.Event().Weights; len(w) > 0 {
				k.Weights = slices.Clone(w)
			}
		}
		keys = append(keys, k)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return keys, nil
}
