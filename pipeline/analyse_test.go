// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/store"
)

// readAll returns the rows of an events file.
func readAll(t *testing.T, path string) (h *store.EventsHeader, x, w [][]float64, ids []int) {
	t.Helper()
	f, err := store.OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h = f.Header()
	nObs, nW := len(h.ObservableNames), len(h.Benchmarks)
	err = f.Read(0, -1, 1000, func(b *store.Batch) error {
		for i := 0; i < b.N; i++ {
			x = append(x, append([]float64(nil), b.X[i*nObs:(i+1)*nObs]...))
			w = append(w, append([]float64(nil), b.Weights[i*nW:(i+1)*nW]...))
			if b.SamplingBenchmarks != nil {
				ids = append(ids, b.SamplingBenchmarks[i])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, x, w, ids
}

// zhCard is cards/zh.yaml with the shared 5000-event sample, shuffling off.
func zhCard(t *testing.T, edit func(string) string) *cards.Card {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repotest.Root(t), "cards", "zh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "lhe: data/zh_smeft_cHW_cHq3_5000ev.lhe.gz", "lhe: "+repotest.BundledZH(t), 1)
	s = strings.Replace(s, "seed: 1234\n", "seed: 1234\nshuffle: false\n", 1)
	if edit != nil {
		s = edit(s)
	}
	return writeCard(t, s)
}

func TestAnalyseZHMatchesMadMiner(t *testing.T) {
	ref := repotest.Shared(t, "data/madminer/zh_lhe_data_5000ev.h5")
	env := NewEnv(zhCard(t, nil), t.TempDir(), nil, nil)
	res := analysed(t, env)
	wh, wx, ww, wids := readAll(t, ref)
	gh, gx, gw, gids := readAll(t, res.File)
	if len(gx) != len(wx) {
		t.Fatalf("got %d events, MadMiner has %d", len(gx), len(wx))
	}
	for i, n := range wh.ObservableNames {
		if gh.ObservableNames[i] != n || gh.ObservableDefinitions[i] != wh.ObservableDefinitions[i] {
			t.Errorf("observable %d: got %s=%q, want %s=%q", i, gh.ObservableNames[i], gh.ObservableDefinitions[i], n, wh.ObservableDefinitions[i])
		}
	}
	// MadMiner shuffled its file when saving: pair rows by their weights,
	// which identify an event (sorted lexicographically on both sides).
	order := func(w [][]float64) []int {
		idx := make([]int, len(w))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool {
			wa, wb := w[idx[a]], w[idx[b]]
			for k := 1; k < len(wa); k++ {
				if wa[k] != wb[k] {
					return wa[k] < wb[k]
				}
			}
			return false
		})
		return idx
	}
	gi, wi := order(gw), order(ww)
	perm := func(rows [][]float64, idx []int) [][]float64 {
		out := make([][]float64, len(idx))
		for i, j := range idx {
			out[i] = rows[j]
		}
		return out
	}
	gx, gw, wx, ww = perm(gx, gi), perm(gw, gi), perm(wx, wi), perm(ww, wi)
	if wids != nil {
		g2, w2 := make([]int, len(gi)), make([]int, len(wi))
		for i := range gi {
			g2[i], w2[i] = gids[gi[i]], wids[wi[i]]
		}
		gids, wids = g2, w2
	}
	bad := 0
	for i := range wx {
		for k := range wx[i] {
			if !scalar.EqualWithinAbsOrRel(gx[i][k], wx[i][k], 1e-12, 1e-9) {
				if bad++; bad < 10 {
					t.Errorf("event %d observable %s: got %.12g, MadMiner %.12g", i, wh.ObservableNames[k], gx[i][k], wx[i][k])
				}
			}
		}
		for b := range ww[i] {
			if !scalar.EqualWithinAbsOrRel(gw[i][b], ww[i][b], 0, 1e-12) {
				if bad++; bad < 10 {
					t.Errorf("event %d weight %d: got %.17g, MadMiner %.17g", i, b, gw[i][b], ww[i][b])
				}
			}
		}
		if wids != nil && gids[i] != wids[i] {
			if bad++; bad < 10 {
				t.Errorf("event %d sampling benchmark: got %d, want %d", i, gids[i], wids[i])
			}
		}
	}
	// Cross sections per benchmark: MadMiner's Σ weights.
	for b, name := range res.Benchmarks {
		var want float64
		for i := range ww {
			want += ww[i][b]
		}
		if !scalar.EqualWithinAbsOrRel(res.XSecPB[name], want, 0, 1e-12) {
			t.Errorf("σ(%s): got %.15g pb, MadMiner %.15g pb", name, res.XSecPB[name], want)
		}
	}
}

func TestAnalyseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(string) string
		want []string
	}{
		{
			"benchmark missing from file",
			func(s string) string {
				return strings.Replace(s, "  - name: morphing_basis_vector_5\n    values: {cHW: -0.5443482262188049, cHq3: -0.9385143633006059}\n",
					"  - name: morphing_basis_vector_5\n    values: {cHW: -0.5443482262188049, cHq3: -0.9385143633006059}\n  - name: extra\n    values: {cHW: 0.5, cHq3: 0.5}\n", 1)
			},
			[]string{"zh_smeft_cHW_cHq3_5000ev.lhe.gz", `"extra"`, "no weight"},
		},
		{
			"every event dropped by a cut",
			func(s string) string { return s + "cuts:\n  - {name: impossible, expr: \"pt_z < 0\"}\n" },
			[]string{"no event passed", "impossible"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := NewEnv(zhCard(t, tc.edit), t.TempDir(), nil, nil)
			if _, err := Setup(env); err != nil {
				t.Fatal(err)
			}
			_, err := Analyse(env)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if _, serr := os.Stat(env.Path("events.h5")); serr == nil {
				t.Error("a failed analysis left an events file behind")
			}
		})
	}
}

func TestAnalyseFlatWeightsWarns(t *testing.T) {
	flat := repotest.Shared(t, "data/lhe/zh_smeft_flat_weights_5000ev.lhe.gz")
	c := zhCard(t, func(s string) string {
		return strings.Replace(s, repotest.BundledZH(t), flat, -1)
	})
	if c.ResolvePath(c.Samples[0].LHE) != flat {
		t.Fatalf("sample is %s", c.Samples[0].LHE)
	}
	env := NewEnv(c, t.TempDir(), nil, nil)
	res := analysed(t, env)
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "proportional") {
		t.Errorf("no warning about θ-independent weights: %v", res.Warnings)
	}
	// And the real sample does not warn.
	res = analysed(t, NewEnv(zhCard(t, nil), t.TempDir(), nil, nil))
	for _, w := range res.Warnings {
		if strings.Contains(w, "proportional") {
			t.Errorf("false warning on the real sample: %s", w)
		}
	}
}

func TestAnalyseShuffleIsSeeded(t *testing.T) {
	run := func(seed uint64) [][]float64 {
		c := zhCard(t, func(s string) string { return strings.Replace(s, "shuffle: false", "shuffle: true", 1) })
		env := NewEnv(c, t.TempDir(), &seed, nil)
		res := analysed(t, env)
		_, x, _, _ := readAll(t, res.File)
		return x
	}
	a, b, c := run(1), run(1), run(2)
	same := func(x, y [][]float64) bool {
		for i := range x {
			for k := range x[i] {
				if x[i][k] != y[i][k] {
					return false
				}
			}
		}
		return true
	}
	if !same(a, b) {
		t.Error("same seed, different order")
	}
	if same(a, c) {
		t.Error("different seeds, same order")
	}
}

// TestAnalyseMaxEvents stops reading early, which must stop the parsing
// goroutines cleanly (run with -race).
func TestAnalyseMaxEvents(t *testing.T) {
	c := zhCard(t, nil)
	c.Samples[0].MaxEvents = 1000
	env := NewEnv(c, t.TempDir(), nil, nil)
	res := analysed(t, env)
	if res.EventsWritten != 1000 || res.Samples[0].Events != 1000 {
		t.Errorf("%d events written, %d counted; want 1000", res.EventsWritten, res.Samples[0].Events)
	}
}
