// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"fmt"

	"github.com/goldmine-hep/goldmine/partition"
)

// Compat selects MadMiner's conventions where goldmine deliberately differs
// from them, so that MadMiner's numbers can be reproduced. The zero value
// is goldmine's conventions; MadMinerCompat switches on all of them.
type Compat struct {
	// Partitions uses MadMiner's partition ranges and weight corrections
	// (partition.MadMinerBounds): validation and test start one event late, so one
	// event at each boundary is never used, and the weights of a partition
	// are multiplied by 1/fraction instead of by the number of events of
	// the sample over those in the partition.
	Partitions bool
}

// MadMinerCompat is every MadMiner convention of this package.
var MadMinerCompat = Compat{Partitions: true}

// bounds returns the range of partition p among n events and, with MadMiner
// partitions, MadMiner's correction factor (0 otherwise: correct by counts).
func (c Compat) bounds(n int, p partition.Partition, s partition.Split) (start, end int, factor float64, err error) {
	if !c.Partitions {
		start, end, err = partition.Bounds(n, p, s)
		return start, end, 0, err
	}
	if _, _, err := partition.Bounds(n, p, s); err != nil {
		return 0, 0, 0, err
	}
	start, end, factor = partition.MadMinerBounds(n, p, s)
	if end <= start || start < 0 || end > n {
		return 0, 0, 0, fmt.Errorf("sampling: MadMiner's partition %v of %d events with split %+v is empty", p, n, s)
	}
	return start, end, factor, nil
}
