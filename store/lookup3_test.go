// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import "testing"

// TestLookup3 checks the HDF5 metadata checksum against the values of Bob
// Jenkins' lookup3.c self-test. (rewriteDataspace also checks it against
// the sum the HDF5 library wrote into every header it rewrites.)
func TestLookup3(t *testing.T) {
	const four = "Four score and seven years ago"
	for _, c := range []struct {
		in   string
		init uint32
		want uint32
	}{
		{"", 0, 0xdeadbeef},
		{four, 0, 0x17770551},
		{four, 1, 0xcd628161},
	} {
		if got := lookup3([]byte(c.in), c.init); got != c.want {
			t.Errorf("lookup3(%q, %d) = %#x, want %#x", c.in, c.init, got, c.want)
		}
	}
}
