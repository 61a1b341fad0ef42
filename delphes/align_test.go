// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"bufio"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

func keys(nums []int64, ws [][]float64) []AlignKey {
	n := max(len(nums), len(ws))
	out := make([]AlignKey, n)
	for i := range out {
		out[i].Number = -1
		if nums != nil {
			out[i].Number = nums[i]
		}
		if ws != nil {
			out[i].Weights = ws[i]
		}
	}
	return out
}

func TestAlignSynthetic(t *testing.T) {
	w := func(vs ...float64) []float64 { return vs }
	refW := [][]float64{w(1, 2), w(1, 3), w(1, 4), w(1, 5), w(1, 6)}
	for _, tc := range []struct {
		name     string
		ref, det []AlignKey
		mode     string
		pairs    []int
		dropped  []int
		err      string
	}{
		{name: "numbers, none dropped", ref: keys([]int64{0, 1, 2}, nil), det: keys([]int64{0, 1, 2}, nil), mode: "number", pairs: []int{0, 1, 2}, dropped: []int{}},
		{name: "numbers, dropped", ref: keys([]int64{1, 2, 3, 4, 5}, nil), det: keys([]int64{2, 5}, nil), mode: "number", pairs: []int{1, 4}, dropped: []int{0, 2, 3}},
		{name: "numbers, unknown", ref: keys([]int64{1, 2, 3}, nil), det: keys([]int64{4}, nil), err: "number 4, which no reference event has"},
		{name: "numbers, reordered", ref: keys([]int64{1, 2, 3}, nil), det: keys([]int64{3, 1}, nil), err: "out of order"},
		{name: "numbers, duplicate", ref: keys([]int64{1, 1, 3}, nil), det: keys([]int64{3}, nil), err: "appears twice"},
		{name: "numbers, weights disagree", ref: keys([]int64{0, 1}, refW[:2]), det: keys([]int64{0, 1}, [][]float64{w(1, 2), w(1, 3.1)}), err: "weights differ"},
		{name: "weights, none dropped", ref: keys(nil, refW), det: keys(nil, refW), mode: "weights", pairs: []int{0, 1, 2, 3, 4}, dropped: []int{}},
		{name: "weights, dropped", ref: keys(nil, refW), det: keys(nil, [][]float64{w(1, 3), w(1, 5*(1+1e-7))}), mode: "weights", pairs: []int{1, 3}, dropped: []int{0, 2, 4}},
		{name: "weights, no match", ref: keys(nil, refW), det: keys(nil, [][]float64{w(1, 3), w(1, 2)}), err: "detector event 1 (weights [1 2]) matches no reference event from 2 on"},
		{name: "weights, ambiguous", ref: keys(nil, [][]float64{w(1), w(1), w(1)}), det: keys(nil, [][]float64{w(1), w(1)}), err: "ambiguous"},
		{name: "weights, identical but complete", ref: keys(nil, [][]float64{w(1), w(1)}), det: keys(nil, [][]float64{w(1), w(1)}), mode: "weights", pairs: []int{0, 1}, dropped: []int{}},
		{name: "position", ref: keys(nil, make([][]float64, 3)), det: keys(nil, make([][]float64, 3)), mode: "position", pairs: []int{0, 1, 2}, dropped: []int{}},
		{name: "position, counts differ", ref: keys(nil, make([][]float64, 3)), det: keys(nil, make([][]float64, 2)), err: "3 reference and 2 detector events"},
		{name: "more detector events", ref: keys([]int64{0}, nil), det: keys([]int64{0, 1}, nil), err: "2 detector events but only 1"},
		{name: "mixed numbers fall back to weights", ref: keys([]int64{0, -1, 2}, refW[:3]), det: keys([]int64{0, 2}, [][]float64{w(1, 2), w(1, 4)}), mode: "weights", pairs: []int{0, 2}, dropped: []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Align(tc.ref, tc.det, nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "delphes: align: ") {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Mode != tc.mode || !slices.Equal(a.Ref, tc.pairs) || !slices.Equal(a.Dropped, tc.dropped) {
				t.Errorf("got %+v, want mode %s pairs %v dropped %v", a, tc.mode, tc.pairs, tc.dropped)
			}
		})
	}
}

// lheKeys reads the first n events of an LHE file with a throwaway
// scanner: the event weight followed by the <wgt> values, in file order.
func lheKeys(t *testing.T, path string, n int) []AlignKey {
	t.Helper()
	zr := repotest.OpenGzip(t, path)
	re := regexp.MustCompile(`<wgt id=[^>]*>\s*([^<\s]+)\s*</wgt>`)
	sc := bufio.NewScanner(zr)
	var out []AlignKey
	state := 0 // 0 outside, 1 first event line due, 2 inside
	for sc.Scan() && len(out) <= n {
		s := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(s, "<event"):
			out = append(out, AlignKey{Number: -1})
			state = 1
		case s == "</event>":
			state = 0
		case state == 1:
			w, err := strconv.ParseFloat(strings.Fields(s)[2], 64)
			if err != nil {
				t.Fatal(err)
			}
			out[len(out)-1].Weights = []float64{w}
			state = 2
		case state == 2:
			if m := re.FindStringSubmatch(s); m != nil {
				w, err := strconv.ParseFloat(m[1], 64)
				if err != nil {
					t.Fatal(err)
				}
				out[len(out)-1].Weights = append(out[len(out)-1].Weights, w)
			}
		}
	}
	return out[:n]
}

// TestAlignHepMCWithLHE pairs the Pythia 8 shower of the ZH sample with
// its LHE file by weights, also after removing events from the shower.
func TestAlignHepMCWithLHE(t *testing.T) {
	ref := lheKeys(t, repotest.Shared(t, "data/lhe/zh_smeft_cHW_cHq3_5000ev.lhe.gz"), 40)
	r, err := hepmc.Open(repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var det []AlignKey
	for r.Next() {
		det = append(det, AlignKey{Number: -1, Weights: slices.Clone(r.Event().Weights)})
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	a, err := Align(ref, det, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != "weights" || !slices.Equal(a.Ref, seq(0, 10)) || !slices.Equal(a.Dropped, seq(10, 40)) {
		t.Errorf("got %+v, want events 0..9 paired in order", a)
	}
	// A shower that lost events 3 and 7.
	lossy := slices.Concat(det[:3], det[4:7], det[8:])
	a, err = Align(ref[:10], lossy, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 4, 5, 6, 8, 9}; !slices.Equal(a.Ref, want) || !slices.Equal(a.Dropped, []int{3, 7}) {
		t.Errorf("lossy shower: got %+v", a)
	}
	// The wrong LHE events (shifted by one) cannot be paired.
	if _, err := Align(ref[1:11], det, nil); err == nil {
		t.Error("shifted reference: no error")
	}
}

func TestAlignKeysDelphes(t *testing.T) {
	ks, err := AlignKeys(repotest.Shared(t, cmsFile), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != 10 {
		t.Fatalf("%d keys, want 10", len(ks))
	}
	for i, k := range ks {
		// Event.Number counts from 0 in this file; its Weight branch is
		// empty (../shared/README.md).
		if k.Number != int64(i) || k.Weights != nil {
			t.Errorf("key %d: %+v", i, k)
		}
	}
	// Paired by number with a HepMC-like reference that has two extra events.
	ref := keys([]int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, nil)
	a, err := Align(ref, ks, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != "number" || !slices.Equal(a.Dropped, []int{10, 11}) {
		t.Errorf("got %+v", a)
	}
	// Against an LHE-like reference without numbers or weights: only
	// equal counts can be paired.
	if _, err := Align(keys(nil, make([][]float64, 11)), ks, nil); err == nil {
		t.Error("11 unnumbered reference events for 10 Delphes events: no error")
	}
}
