// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import "github.com/goldmine-hep/goldmine/internal/seed"

// MaxSeed bounds the MG5 seeds Seed derives: MG5's LO generator takes
// seeds from 0 to 30081·30081 (Template/LO/Source/ranmar.f), and it adds a
// little to the seed of each further run of a process folder.
const MaxSeed = 900_000_000

// Seed returns the MG5 seed (run card iseed) of the job id of a run whose
// seeds derive from base: from 1 to MaxSeed, from the stream of
// (base, "generate", id) of package internal/seed, so that it depends on
// nothing but the seed and the job's name.
func Seed(base uint64, id string) int {
	return 1 + int(seed.Value(base, "generate", id)%MaxSeed)
}
