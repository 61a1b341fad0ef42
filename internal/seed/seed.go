// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package seed derives the random streams of a campaign: every random
// step draws from a PCG generator seeded with the campaign seed and a
// stream number hashed from the step's name ("analyse/shuffle",
// "analyse/smearing/zh", ...), so that steps never share numbers, adding
// a step changes no other step, and a result does not depend on the order
// in which steps (or shards of a step) run.
package seed

import "math/rand/v2"

// Stream returns the stream number of a step: the 64-bit FNV-1a hash of
// its name.
func Stream(step string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(step); i++ {
		h ^= uint64(step[i])
		h *= 1099511628211
	}
	return h
}

// Rand returns the generator of the named step of a campaign with the
// given seed.
func Rand(seed uint64, step string) *rand.Rand {
	return rand.New(rand.NewPCG(seed, Stream(step)))
}
