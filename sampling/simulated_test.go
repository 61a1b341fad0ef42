// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"testing"

	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/simulators"
)

func TestSimulated(t *testing.T) {
	g, err := simulators.Builtin("gaussian", nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	s, err := simulators.SampleScore(g.Simulate, [][]float64{{0.1, 0.2}}, 50, &simulators.Config{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	r := Simulated("local", Local, partition.Train, s, [][]float64{{0.1, 0.2}})
	if r.N != 50 || r.NScore != 2 || len(r.TXZ0) != 100 || len(r.Points) != 1 || r.Points[0].NEff != 50 || r.Points[0].Theta[1] != 0.2 {
		t.Errorf("local sample: %d events, %d scores, points %+v", r.N, len(r.TXZ0)/2, r.Points)
	}
	if r := Simulated("plain", Plain, partition.Train, s, [][]float64{{0.1, 0.2}, {0, 0}}); r.TXZ0 != nil || r.Points[0].Theta != nil {
		t.Errorf("plain sample kept scores or a single point: %+v", r.Points)
	}
	dir := t.TempDir()
	if _, err := Write(dir, r, nil); err != nil {
		t.Fatal(err)
	}
	if back, err := Read(dir, Local, partition.Train, 2, 2); err != nil || back.N != 50 {
		t.Errorf("read back: %v", err)
	}
}
