// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package seed

import (
	"math/rand/v2"
	"testing"
)

func TestShard(t *testing.T) {
	// The stream of a shard is the documented hash of its name.
	want := rand.New(rand.NewPCG(42, Stream("limits/toys/zh#3")))
	got := Shard(42, "limits/toys/zh", "3")
	idx := ShardIndex(42, "limits/toys/zh", 3)
	for i := 0; i < 5; i++ {
		w := want.Uint64()
		if g, x := got.Uint64(), idx.Uint64(); g != w || x != w {
			t.Fatalf("draw %d: Shard %d, ShardIndex %d, want %d", i, g, x, w)
		}
	}
	// Distinct shards, steps and seeds draw distinct numbers.
	first := func(r *rand.Rand) uint64 { return r.Uint64() }
	seen := map[uint64]string{}
	for _, c := range []struct {
		seed uint64
		step string
		id   string
	}{
		{42, "limits/toys/zh", "0"}, {42, "limits/toys/zh", "1"},
		{42, "limits/toys/zh", "10"}, {42, "limits/toys/zh1", "0"},
		{43, "limits/toys/zh", "0"}, {42, "analyse/shuffle", "0"},
	} {
		v := first(Shard(c.seed, c.step, c.id))
		name := ShardStep(c.step, c.id)
		if prev, ok := seen[v]; ok {
			t.Errorf("%d/%s and %s share the first draw", c.seed, name, prev)
		}
		seen[v] = name
	}
}

func TestValue(t *testing.T) {
	// want: the definition evaluated in Python with arbitrary-precision
	// integers masked to 64 bits (FNV-1a 64 of "generate/zh_sm#0" is
	// 0x8470e62aea91a51d; plus 7, then SplitMix64's finaliser).
	if got := Stream("generate/zh_sm#0"); got != 0x8470e62aea91a51d {
		t.Fatalf("Stream(generate/zh_sm#0) = %#x, want 0x8470e62aea91a51d", got)
	}
	if got := Value(7, "generate/zh_sm", "0"); got != 0xd9c77a5faeb1399d {
		t.Errorf("Value = %#x, want 0xd9c77a5faeb1399d", got)
	}
	if Value(7, "generate/zh_sm", "0") == Value(7, "generate/zh_sm", "1") {
		t.Error("two shards share a seed")
	}
	// SplitMix64 seeded with 0 first returns 0xe220a8397b1dcdaf (its
	// reference implementation): the finaliser of the golden gamma, which
	// Value computes for a seed and name whose sum is that gamma.
	if got := Value(0x9e3779b97f4a7c15-Stream("a#b"), "a", "b"); got != 0xe220a8397b1dcdaf {
		t.Errorf("finaliser of the golden gamma = %#x, want 0xe220a8397b1dcdaf", got)
	}
}
