// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

// Compat selects MadMiner's conventions where this package deliberately
// differs from MadMiner, so that a MadMiner limit can be reproduced number
// for number. The zero value is goldmine's conventions; MadMinerCompat
// switches on all of them. Each convention lives in the settings struct it
// concerns; Apply sets them all at once.
type Compat struct {
	// Partitions starts the test partition one event after the end of the
	// training partition and corrects the weights by 1/fraction
	// (Split.MadMiner). goldmine's partitions tile the events and are
	// corrected by their exact event fractions.
	Partitions bool
	// RoundAsimov rounds the expected number of Asimov events in the
	// Poisson term to an integer (RateTerm.RoundObserved). goldmine keeps
	// the expectation, which is what Asimov data mean.
	RoundAsimov bool
	// GridBestFit takes the best fit from the grid points
	// (Settings.GridOnly). goldmine minimises continuously from the best
	// grid point, so that q(θ) does not depend on the grid.
	GridBestFit bool
	// RawRatio uses log r̂ of a ratio estimator as it is in ml scans
	// (ML.Norm nil). goldmine normalises it at every θ (Normalization).
	RawRatio bool
}

// MadMinerCompat is every MadMiner convention of this package.
var MadMinerCompat = Compat{Partitions: true, RoundAsimov: true, GridBestFit: true, RawRatio: true}

// Apply switches on the conventions of c in the settings given (nil
// pointers are skipped). It never switches a convention off.
func (c Compat) Apply(split *Split, rate *RateTerm, set *Settings, ml *ML) {
	if split != nil && c.Partitions {
		split.MadMiner = true
	}
	if rate != nil && c.RoundAsimov {
		rate.RoundObserved = true
	}
	if set != nil && c.GridBestFit {
		set.GridOnly = true
	}
	if ml != nil && c.RawRatio {
		ml.Norm = nil
	}
}

// ApplyEvents switches on the conventions of c in the settings and the
// scans of FromEvents (which takes them as EventSettings.MadMiner,
// Split.MadMiner and ScanSpec.Normalize). FromEvents has one switch for
// RoundAsimov and GridBestFit together, so either turns on both; the
// other conventions are switched one by one. It never switches a
// convention off.
func (c Compat) ApplyEvents(s *EventSettings, scans []ScanSpec) {
	c.Apply(&s.Split, nil, nil, nil)
	if c.RoundAsimov || c.GridBestFit {
		s.MadMiner = true
	}
	if c.RawRatio {
		for i := range scans {
			scans[i].Normalize = false
		}
	}
}
