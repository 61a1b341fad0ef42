// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"fmt"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/seed"
)

// TestSeed: the seed of a job is 1 + the job's stream value of package
// seed modulo MaxSeed, in MG5's range, the same for the same (base, id)
// and different for other jobs or bases.
func TestSeed(t *testing.T) {
	seen := map[int]string{}
	for _, base := range []uint64{0, 1, 12, 1 << 63} {
		for _, id := range []string{"sm.j0", "sm.j1", "bsm.j0", "bg.j10"} {
			s := Seed(base, id)
			if want := 1 + int(seed.Value(base, "generate", id)%MaxSeed); s != want {
				t.Errorf("Seed(%d, %s) = %d, want %d", base, id, s, want)
			}
			if s < 1 || s > MaxSeed || MaxSeed > 30081*30081 {
				t.Errorf("Seed(%d, %s) = %d outside [1, %d]", base, id, s, MaxSeed)
			}
			if s != Seed(base, id) {
				t.Errorf("Seed(%d, %s) is not reproducible", base, id)
			}
			key := fmt.Sprintf("Seed(%d, %s)", base, id)
			if prev, dup := seen[s]; dup {
				t.Errorf("%s = %d, as %s", key, s, prev)
			}
			seen[s] = key
		}
	}
}
