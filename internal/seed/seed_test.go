// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package seed

import (
	"math/rand/v2"
	"testing"
)

func TestStream(t *testing.T) {
	// FNV-1a 64 test vectors (the offset basis for "", and "a").
	for _, tc := range []struct {
		in   string
		want uint64
	}{
		{"", 0xcbf29ce484222325},
		{"a", 0xaf63dc4c8601ec8c},
		{"foobar", 0x85944171f73967e8},
	} {
		if got := Stream(tc.in); got != tc.want {
			t.Errorf("Stream(%q) = %#x, want %#x", tc.in, got, tc.want)
		}
	}
}

func TestRandReproducible(t *testing.T) {
	a, b := Rand(7, "analyse/shuffle"), Rand(7, "analyse/shuffle")
	c := Rand(7, "analyse/smearing/zh")
	want := rand.New(rand.NewPCG(7, Stream("analyse/shuffle")))
	same := true
	for i := 0; i < 10; i++ {
		x, y, z, w := a.Uint64(), b.Uint64(), c.Uint64(), want.Uint64()
		if x != y || x != w {
			t.Fatalf("draw %d: %d, %d, %d: the same step must give the same stream", i, x, y, w)
		}
		same = same && x == z
	}
	if same {
		t.Error("two steps share a stream")
	}
}
