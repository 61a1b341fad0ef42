// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package seed

import (
	"math/rand/v2"
	"strconv"
)

// ShardStep returns the step name of shard id of a step: step + "#" + id,
// for example "limits/toys/zh_2d#3". Card names never hold "#" (they are
// made of letters, digits, '_', '.' and '-'), so the shards of one step
// never share a name with another step or another step's shard.
func ShardStep(step, id string) string { return step + "#" + id }

// Shard returns the generator of shard id of a step of a campaign with the
// given seed: Rand(seed, ShardStep(step, id)). A shard's numbers depend
// only on (seed, step, id), never on where, when or in which order the
// shards run, and a step run in one piece draws the same numbers as its
// shards when it uses the same per-shard generators.
func Shard(seed uint64, step, id string) *rand.Rand {
	return Rand(seed, ShardStep(step, id))
}

// ShardIndex is Shard with the decimal shard index as id.
func ShardIndex(seed uint64, step string, index int) *rand.Rand {
	return Shard(seed, step, strconv.Itoa(index))
}

// Value returns one 64-bit seed for shard id of a step, for programs that
// take an integer seed rather than a generator (MadGraph's iseed, a
// toy batch's seed): the SplitMix64 finaliser of seed + Stream(ShardStep).
// It is a pure function of its arguments, the same on every machine:
// FNV-1a over the bytes of the name, then 64-bit wrap-around arithmetic.
func Value(seed uint64, step, id string) uint64 {
	z := seed + Stream(ShardStep(step, id))
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
