// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import "testing"

// TestAddObjectCollection checks that an object added to each collection
// is what Collection returns for it and for no other, and that an unknown
// kind panics.
func TestAddObjectCollection(t *testing.T) {
	for k := KindP; k <= KindIn; k++ {
		var ev Event
		p := NewParticle(int(k)+1, 1, 2, 3, 10)
		ev.AddObject(k, p)
		for q := KindP; q <= KindIn; q++ {
			c := ev.Collection(q)
			if q == k {
				if len(c) != 1 || c[0] != p {
					t.Errorf("kind %d: collection %v, want [%v]", k, c, p)
				}
			} else if len(c) != 0 {
				t.Errorf("kind %d: collection %d holds %v", k, q, c)
			}
		}
		if got := ev.lSet; got != (k == KindL) {
			t.Errorf("kind %d: lSet = %v", k, got)
		}
	}
	if c := new(Event).Collection(KindIn + 1); c != nil {
		t.Errorf("unknown kind: collection %v, want nil", c)
	}
	defer func() {
		if recover() == nil {
			t.Error("AddObject with an unknown kind did not panic")
		}
	}()
	new(Event).AddObject(KindIn+1, Particle{})
}
