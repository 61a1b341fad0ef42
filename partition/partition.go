// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package partition

import (
	"fmt"
	"math"
)

// Partition selects the events a sample is drawn from.
type Partition int

const (
	Train Partition = iota
	Validation
	Test
	All
)

func (p Partition) String() string {
	switch p {
	case Train:
		return "train"
	case Validation:
		return "validation"
	case Test:
		return "test"
	case All:
		return "all"
	}
	return fmt.Sprintf("Partition(%d)", int(p))
}

// Parse parses "train", "validation", "test" or "all".
func Parse(s string) (Partition, error) {
	for _, p := range []Partition{Train, Validation, Test, All} {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("partition: unknown partition %q (want train, validation, test or all)", s)
}

// Split gives the fractions of events reserved for validation and test.
type Split struct {
	Validation float64
	Test       float64
}

// The fractions of MadMiner's SampleAugmenter defaults.
const (
	DefaultValidation = 0.2
	DefaultTest       = 0.2
)

// Default returns MadMiner's default split, 0.2 validation and 0.2 test.
func Default() Split { return Split{Validation: DefaultValidation, Test: DefaultTest} }

// Bounds returns the event range [start, end) of partition p among n events:
//
//	train      [0, r(t·n))
//	validation [r(t·n), r((1−test)·n))
//	test       [r((1−test)·n), n)
//
// with t = 1 − validation − test and r rounding half to even (Python's
// round, as MadMiner). The partitions tile all events. MadMiner starts the
// validation and test partitions one event later (round(·)+1), so one event
// between partitions is never used; goldmine does not copy that off-by-one.
// The train partition is identical to MadMiner's.
func Bounds(n int, p Partition, s Split) (start, end int, err error) {
	if !(s.Validation >= 0) || !(s.Test >= 0) || s.Validation+s.Test > 1 {
		return 0, 0, fmt.Errorf("partition: invalid split validation=%v test=%v", s.Validation, s.Test)
	}
	a := int(math.RoundToEven((1 - s.Validation - s.Test) * float64(n)))
	b := int(math.RoundToEven((1 - s.Test) * float64(n)))
	switch p {
	case Train:
		start, end = 0, a
	case Validation:
		start, end = a, b
	case Test:
		start, end = b, n
	case All:
		start, end = 0, n
	default:
		return 0, 0, fmt.Errorf("partition: unknown partition %v", p)
	}
	if end <= start {
		return 0, 0, fmt.Errorf("partition: partition %v of %d events with split %+v is empty", p, n, s)
	}
	return start, end, nil
}

// MadMinerBounds returns MadMiner's partition range and correction factor
// (DataAnalyzer._train_validation_test_split), off-by-one included, for
// comparison with reference numbers.
func MadMinerBounds(n int, p Partition, s Split) (start, end int, factor float64) {
	t := 1 - s.Validation - s.Test
	switch p {
	case Train:
		return 0, int(math.RoundToEven(t * float64(n))), 1 / t
	case Validation:
		return int(math.RoundToEven(t*float64(n))) + 1, int(math.RoundToEven((1 - s.Test) * float64(n))), 1 / s.Validation
	case Test:
		return int(math.RoundToEven((1-s.Test)*float64(n))) + 1, n, 1 / s.Test
	}
	return 0, n, 1
}
