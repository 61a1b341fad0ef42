// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package partition

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// madMinerBounds reads MadMiner's partition bounds of the 30000-event ZH
// file (DataAnalyzer._train_validation_test_split with 0.2/0.2) from
// ../shared/reference/zh/reference.json: start, end (null: the end) and
// weight factor per partition.
func madMinerBounds(t *testing.T) map[string][]*float64 {
	raw, err := os.ReadFile(filepath.Join(repotest.Shared(t, "reference/zh"), "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Dataset struct {
			PartitionBounds map[string][]*float64 `json:"partition_bounds_python_slices"`
		} `json:"dataset"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Dataset.PartitionBounds
}

func TestBounds(t *testing.T) {
	ref := madMinerBounds(t)
	const n = 30000
	prev := 0
	for _, p := range []Partition{Train, Validation, Test} {
		s, e, err := Bounds(n, p, Default())
		if err != nil {
			t.Fatal(err)
		}
		if s != prev {
			t.Errorf("%v starts at %d, want %d (partitions must tile)", p, s, prev)
		}
		prev = e
		ms, me, mf := MadMinerBounds(n, p, Default())
		want := ref[p.String()]
		wantEnd := n
		if want[1] != nil {
			wantEnd = int(*want[1])
		}
		if ms != int(*want[0]) || me != wantEnd || math.Abs(mf-*want[2]) > 1e-12 {
			t.Errorf("%v: MadMiner bounds [%d,%d) ×%v, reference %v", p, ms, me, mf, []float64{*want[0], float64(wantEnd), *want[2]})
		}
		if p == Train && (s != ms || e != me) {
			t.Errorf("train [%d,%d) differs from MadMiner's [%d,%d)", s, e, ms, me)
		}
		if p != Train && s != ms-1 {
			t.Errorf("%v starts at %d, MadMiner at %d: want exactly the off-by-one", p, s, ms)
		}
	}
	if prev != n {
		t.Errorf("partitions end at %d, want %d", prev, n)
	}
}

func TestBoundsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Partition
		s    Split
	}{
		{"fractions above one", Train, Split{Validation: 0.7, Test: 0.5}},
		{"negative fraction", Train, Split{Test: -0.1}},
		{"no test events", Test, Split{Validation: 0.2}},
		{"no validation events", Validation, Split{Test: 0.2}},
		{"unknown partition", Partition(7), Default()},
	} {
		if _, _, err := Bounds(1000, tc.p, tc.s); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	// Rounding half to even, as Python's round: 0.5·5 = 2.5 → 2.
	if s, e, err := Bounds(5, Test, Split{Test: 0.5}); err != nil || s != 2 || e != 5 {
		t.Errorf("test partition of 5 events at 0.5: [%d, %d) %v, want [2, 5)", s, e, err)
	}
}

func TestParse(t *testing.T) {
	for _, p := range []Partition{Train, Validation, Test, All} {
		got, err := Parse(p.String())
		if err != nil || got != p {
			t.Errorf("Parse(%q) = %v, %v", p.String(), got, err)
		}
	}
	if _, err := Parse("training"); err == nil {
		t.Error("unknown name accepted")
	}
}
