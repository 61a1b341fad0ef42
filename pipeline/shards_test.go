// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/stage"
)

// TestShardsEqualRun runs the card of the sharded tests once with Run and
// once as shards, each stage's shards in reverse order, merged; the merged
// events file, the ensembles' predictions, fisher.json and limits.json
// equal those of Run, and Run afterwards finds every merged stage up to
// date.
func TestShardsEqualRun(t *testing.T) {
	card := repotest.ShardedCard(t)
	c, err := cards.Load(card, CardOptions())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	whole := NewEnv(c, filepath.Join(t.TempDir(), "whole"), nil, nil)
	if _, err := Run(ctx, whole); err != nil {
		t.Fatal(err)
	}

	sh := NewEnv(c, filepath.Join(t.TempDir(), "sharded"), nil, nil)
	if _, err := Setup(sh); err != nil {
		t.Fatal(err)
	}
	shardAndMerge := func(st string) {
		t.Helper()
		all, err := Shards(c, st)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range slices.Backward(all) {
			if _, err := RunShard(ctx, sh, st, s.ID); err != nil {
				t.Fatalf("shard %s/%s: %v", st, s.ID, err)
			}
		}
		if _, err := Merge(ctx, sh, st); err != nil {
			t.Fatalf("merge %s: %v", st, err)
		}
	}
	shardAndMerge("analyse")
	shardAndMerge("augment")
	shardAndMerge("train")
	if _, err := RunStage(ctx, sh, "fisher"); err != nil {
		t.Fatal(err)
	}
	shardAndMerge("limits")

	for _, st := range ShardedStages() {
		all, _ := Shards(c, st)
		t.Logf("%s: %d shards", st, len(all))
	}

	// events.h5: observables, sampling benchmarks and weights bit for bit.
	_, wx, ww, wid := readAll(t, whole.Path("events.h5"))
	_, sx, sw, sid := readAll(t, sh.Path("events.h5"))
	if len(wx) != len(sx) || !slices.Equal(wid, sid) {
		t.Fatalf("merged %d events, whole %d (or other sampling benchmarks)", len(sx), len(wx))
	}
	for i := range wx {
		for j := range wx[i] {
			if math.Float64bits(wx[i][j]) != math.Float64bits(sx[i][j]) {
				t.Fatalf("event %d, observable %d: merged %v, whole %v", i, j, sx[i][j], wx[i][j])
			}
		}
		for j := range ww[i] {
			if math.Float64bits(ww[i][j]) != math.Float64bits(sw[i][j]) {
				t.Fatalf("event %d, weight %d: merged %v, whole %v", i, j, sw[i][j], ww[i][j])
			}
		}
	}

	// The samples' files byte for byte, except the manifest's statistics
	// of the job's reading.
	for _, sp := range c.Sampling.Samples {
		files, err := os.ReadDir(whole.Path("samples", sp.Name))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			a, err := os.ReadFile(whole.Path("samples", sp.Name, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(sh.Path("samples", sp.Name, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(f.Name(), ".npy") && !bytes.Equal(a, b) {
				t.Errorf("samples/%s/%s differs", sp.Name, f.Name())
			}
			if f.Name() == "manifest.json" {
				// The sampling points and counts, not the reading.
				var ma, mb sampling.Manifest
				if err := json.Unmarshal(a, &ma); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(b, &mb); err != nil {
					t.Fatal(err)
				}
				ma.Passes, ma.EventsRead, mb.Passes, mb.EventsRead = 0, 0, 0, 0
				if !reflect.DeepEqual(ma, mb) {
					t.Errorf("samples/%s/manifest.json differs beyond the reading statistics:\n%+v\n%+v", sp.Name, ma, mb)
				}
			}
		}
	}

	// The ensembles' predictions on the first 200 events.
	var x []float64
	for _, r := range wx[:200] {
		x = append(x, r...)
	}
	for _, name := range []string{"sally", "alices"} {
		a, err := loadModel(whole, name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := loadModel(sh, name)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Members) != 2 || len(b.Members) != 2 {
			t.Fatalf("%s: %d and %d members, want 2", name, len(a.Members), len(b.Members))
		}
		theta := make([]float64, 2*200)
		for i := range 200 {
			theta[2*i], theta[2*i+1] = 0.1, -0.05
		}
		pa, pb := make([]float64, 200), make([]float64, 200)
		if name == "sally" {
			if pa, err = a.ScoreRows(nil, x); err == nil {
				pb, err = b.ScoreRows(nil, x)
			}
		} else if err = a.LogRatioRows(pa, x, theta); err == nil {
			err = b.LogRatioRows(pb, x, theta)
		}
		if err != nil {
			t.Fatal(err)
		}
		if d := repotest.MaxRelDiff(pa, pb); d > 1e-12 {
			t.Errorf("%s: predictions of the assembled ensemble differ by %.2g (relative)", name, d)
		}
	}

	for _, f := range []string{"fisher.json", "limits.json", "limits_members.json"} {
		if _, err := os.Stat(whole.Path(f)); err != nil {
			continue
		}
		repotest.CompareJSON(t, f, whole.Path(f), sh.Path(f), whole.Workdir, sh.Workdir, 1e-12)
	}

	// Run after the merges has nothing to do but the figures.
	res, err := Run(ctx, sh)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Stages {
		if r.Name != "plots" && r.Status == stage.StatusRan {
			t.Errorf("goldmine run after the merges ran %s again", r.Name)
		}
	}
}
