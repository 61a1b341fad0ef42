// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// smallZH is cards/zh.yaml with a small SALLY sample, a one-epoch
// training and nothing after the training section; extra is appended to the
// sampling samples.
func smallZH(t *testing.T, extra string) func(string) string {
	return func(s string) string {
		i, j := strings.Index(s, "    - name: sally\n"), strings.Index(s, "training:")
		s = s[:i] + "    - name: sally\n      method: local\n      theta: {benchmark: sm}\n      n_samples: 2000\n" + extra + "\n" + s[j:]
		i, j = strings.Index(s, "training:"), strings.Index(s, "  - name: alices\n    method: alices")
		s = s[:i] + "training:\n  - name: sally\n    method: sally\n    sample: sally\n    hidden: [10]\n    epochs: 1\n" + s[j:]
		return s[:strings.Index(s, "  - name: alices\n    method: alices")] // no fisher, limits or plots
	}
}

// twoSamplingBenchmarks rewrites the events file at path with every second
// event marked as sampled at benchmark 1 instead of 0, as if the events came
// from two samples of half the size. Each event carries the weights of every
// benchmark, so either half estimates every cross section; the weights are
// doubled, so that each sample's weights add up to σ, as in a file with
// two samples.
func twoSamplingBenchmarks(t *testing.T, path string) {
	f, err := store.OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	h := *f.Header()
	h.SignalEvents = nil
	w, err := store.CreateEvents(path, &h)
	if err != nil {
		t.Fatal(err)
	}
	err = f.Read(0, f.N(), 1000, func(b *store.Batch) error {
		ids := make([]int, b.N)
		for i := range ids {
			ids[i] = (b.Start + i) % 2
		}
		for i := range b.Weights {
			b.Weights[i] *= 2
		}
		return w.WriteBatch(b.X, b.Weights, ids)
	})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// One sample's sample_only_from_closest_benchmark: false must not change the
// cross sections (and the events) of the other samples. Before the fix the
// flag was shared, so the SALLY sample at the SM was drawn from both
// benchmarks' events as soon as another sample asked for that.
func TestClosestBenchmarkPerSample(t *testing.T) {
	sally := func(extra string) []byte {
		env := NewEnv(zhCard(t, smallZH(t, extra)), t.TempDir(), nil, nil)
		analysed(t, env)
		twoSamplingBenchmarks(t, env.Path("events.h5"))
		res, err := Augment(env)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range res.Samples {
			if m.Name == "sally" {
				if len(m.Points) != 1 || m.Points[0].Closest != 0 {
					t.Fatalf("sally sampled from %+v, want benchmark 0 (sm)", m.Points)
				}
				b, err := os.ReadFile(env.Path("samples", "sally", "x_train.npy"))
				if err != nil {
					t.Fatal(err)
				}
				return append(b, jsonString(t, m.Points)...)
			}
		}
		t.Fatal("no sally sample")
		return nil
	}
	alone := sally("")
	next := sally("    - name: everywhere\n      method: plain\n      theta: {benchmark: sm}\n      n_samples: 500\n      sample_only_from_closest_benchmark: false\n")
	if string(alone) != string(next) {
		t.Errorf("the SALLY sample changed when another sample set sample_only_from_closest_benchmark: false")
	}
}

func jsonString(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// --seed reseeds every random step: training too. Before the fix the
// training seed came from the card's seed whatever --seed said.
func TestSeedFlagReseedsTraining(t *testing.T) {
	modelSeed := func(flag *uint64) (sample, model uint64) {
		env := NewEnv(zhCard(t, smallZH(t, "")), t.TempDir(), flag, nil)
		for _, stage := range []func(*Env) error{
			func(e *Env) error { _, err := Setup(e); return err },
			func(e *Env) error { _, err := Analyse(e); return err },
			func(e *Env) error { _, err := Augment(e); return err },
			func(e *Env) error { _, err := Train(e); return err },
		} {
			if err := stage(env); err != nil {
				t.Fatal(err)
			}
		}
		var man struct {
			Seed uint64 `json:"seed"`
		}
		var mod struct {
			Settings struct {
				Seed uint64 `json:"seed"`
			} `json:"settings"`
		}
		for _, f := range []struct {
			path string
			v    any
		}{{env.Path("samples", "sally", "manifest.json"), &man}, {env.Path("models", "sally", "model.json"), &mod}} {
			b, err := os.ReadFile(f.path)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, f.v); err != nil {
				t.Fatalf("%s: %v", f.path, err)
			}
		}
		return man.Seed, mod.Settings.Seed
	}
	s0, m0 := modelSeed(nil) // the card's seed, 1234
	seven := uint64(7)
	s7, m7 := modelSeed(&seven)
	if s0 != 1234 || s7 != 7 {
		t.Fatalf("sample seeds %d and %d, want 1234 and 7", s0, s7)
	}
	// The first training's seed is derived from the campaign seed as
	// before (seed + 1), so runs without --seed are unchanged.
	if m0 != 1235 || m7 != 8 {
		t.Errorf("training seeds %d (card seed 1234) and %d (--seed 7), want 1235 and 8", m0, m7)
	}
}

// σ(θ), MadMiner's uncertainty and ∇σ(θ) from goldmine's own analysis of the
// 30000-event ZH LHE file equal MadMiner's (xsecs of
// ../shared/reference/zh/reference.json: DataAnalyzer.xsecs and
// xsec_gradients on MadMiner's analysis of the same file) to 1e-10.
func TestCrossSectionsZH30kAnalysis(t *testing.T) {
	raw, err := os.ReadFile(repotest.Shared(t, "reference/zh/reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Xsecs map[string]json.RawMessage `json:"xsecs"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	var bPb, bUnc, gPb, gUnc []float64
	var gTheta, dTheta, dPb [][]float64
	for key, dst := range map[string]any{
		"benchmarks_pb": &bPb, "benchmarks_unc_pb": &bUnc, "grid_theta": &gTheta, "grid_pb": &gPb,
		"grid_unc_pb": &gUnc, "gradient_thetas": &dTheta, "gradients_pb": &dPb,
	} {
		if err := json.Unmarshal(ref.Xsecs[key], dst); err != nil {
			t.Fatalf("reference xsecs.%s: %v", key, err)
		}
	}
	env := NewEnv(zh30kCard(t, "[0.0, 0.0]"), t.TempDir(), nil, nil)
	analysed(t, env)
	f, err := store.OpenEvents(env.Path("events.h5"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := sampling.ConfigFromHeader(f.Header())
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want float64) {
		if !(math.Abs(got-want) <= 1e-10*math.Abs(want)) {
			t.Errorf("%s = %.17g, MadMiner %.17g", what, got, want)
		}
	}
	bm, err := sampling.CrossSections(sampling.FromEventFile(f), cfg, partition.All, sampling.Benchmarks(0, 1, 2, 3, 4, 5))
	if err != nil {
		t.Fatal(err)
	}
	for b, xs := range bm {
		check("σ(benchmark "+strconv.Itoa(b)+")", xs.Sigma, bPb[b])
		check("MadMiner's uncertainty of σ(benchmark "+strconv.Itoa(b)+")", xs.UncMadMiner, bUnc[b])
	}
	grid, err := sampling.CrossSections(sampling.FromEventFile(f), cfg, partition.All, sampling.MorphingPoints(gTheta))
	if err != nil {
		t.Fatal(err)
	}
	for i, xs := range grid {
		check(fmt.Sprintf("σ%v", xs.Theta), xs.Sigma, gPb[i])
		check(fmt.Sprintf("MadMiner's uncertainty of σ%v", xs.Theta), xs.UncMadMiner, gUnc[i])
	}
	gr, err := sampling.CrossSections(sampling.FromEventFile(f), cfg, partition.All, sampling.MorphingPoints(dTheta))
	if err != nil {
		t.Fatal(err)
	}
	for i, xs := range gr {
		for p := range xs.Grad {
			check(fmt.Sprintf("∂σ/∂θ%d at %v", p, xs.Theta), xs.Grad[p], dPb[i][p])
		}
	}
}
