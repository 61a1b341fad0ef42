// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package partition splits the n events of a file into train,
// validation and test partitions, the one scheme every stage uses:
// sampling draws training samples from the train partition and test
// samples from the test partition, and limits fill their histograms from
// train and validation together and take Asimov data and rates from the
// test partition, so that no limit is set on the events a network was
// trained on.
//
// Bounds rounds half to even (Python's round, as MadMiner) and the
// partitions tile all events. MadMinerBounds reproduces MadMiner's
// off-by-one (its validation and test partitions start one event late)
// for comparisons with MadMiner's numbers.
package partition
