// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/store"
)

// The SALLY training sample of the ZH reference (sample_train_local at the
// SM, 100k samples, three seeds): MadMiner reports n_eff = 18000 and the mean
// and standard deviation of t_xz. Our sample must agree within the spread of
// sampling noise, and n_eff (all SM weights are equal) must be exactly the
// number of train events.
func TestLocalSampleMatchesSALLYReferenceZH(t *testing.T) {
	if testing.Short() {
		t.Skip("100k samples")
	}
	d := loadZH(t)
	raw, err := os.ReadFile(filepath.Join(repotest.Shared(t, ""), "reference", "zh", "reference.json"))
	if err != nil {
		t.Skip(err)
	}
	var ref struct {
		Sally struct {
			Runs []struct {
				NEff float64   `json:"effective_n_samples"`
				Mean []float64 `json:"t_xz_mean"`
				Std  []float64 `json:"t_xz_std"`
			} `json:"runs"`
		} `json:"sally"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	cfg := zhConfig(d)
	cfg.Seed = 3
	res, _, err := Run(d.src, cfg, Request{Name: "sally", Kind: Local, Theta: Benchmark(0), N: 100000})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if e := relErr(r.Points[0].NEff, ref.Sally.Runs[0].NEff); e > 1e-9 {
		t.Errorf("n_eff %v, MadMiner %v", r.Points[0].NEff, ref.Sally.Runs[0].NEff)
	}
	for p := 0; p < 2; p++ {
		col := make([]float64, r.N)
		for i := range col {
			col[i] = r.TXZ0[i*2+p]
		}
		mean, std := stat.MeanStdDev(col, nil)
		var mm, ms float64
		for _, run := range ref.Sally.Runs {
			mm += run.Mean[p] / float64(len(ref.Sally.Runs))
			ms += run.Std[p] / float64(len(ref.Sally.Runs))
		}
		t.Logf("t_xz[%d]: mean %.4f std %.4f; MadMiner mean %.4f std %.4f", p, mean, std, mm, ms)
		// Standard error of the mean is std/sqrt(n) ≈ 0.007 for p=1.
		if math.Abs(mean-mm) > 5*ms/math.Sqrt(float64(r.N))+0.01 {
			t.Errorf("t_xz[%d] mean %.4f far from MadMiner's %.4f", p, mean, mm)
		}
		if math.Abs(std-ms) > 0.05*ms {
			t.Errorf("t_xz[%d] std %.4f differs from MadMiner's %.4f by more than 5%%", p, std, ms)
		}
	}
}

// Write stores MadMiner's file names, shapes and dtype, and a manifest.
func TestWrite(t *testing.T) {
	src := &synth{n: 5000, basis: synthBasis}
	cfg := synthConfig(t, 4)
	res, st, err := Run(src, cfg,
		Request{Name: "ratio", Kind: Ratio, Theta: MorphingPoint(0.5, 0.5), Theta1: Benchmark(0), N: 300},
		Request{Name: "local", Kind: Local, Theta: Benchmark(0), N: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, double := range []bool{false, true} {
		dir := t.TempDir()
		man, err := Write(filepath.Join(dir, "ratio"), res[0], &WriteSettings{Seed: cfg.Seed, Stats: st, Float64: double})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"x_train.npy": 2, "theta0_train.npy": 2, "theta1_train.npy": 2, "y_train.npy": 1, "r_xz_train.npy": 1, "t_xz0_train.npy": 2, "t_xz1_train.npy": 2}
		if len(man.Files) != len(want) {
			t.Errorf("files %v", man.Files)
		}
		for name, width := range want {
			shape, data, err := store.ReadNPY(filepath.Join(dir, "ratio", name))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(shape) != 2 || shape[0] != 300 || shape[1] != width {
				t.Errorf("%s: shape %v", name, shape)
			}
			raw, _ := os.ReadFile(filepath.Join(dir, "ratio", name))
			descr := "'<f4'"
			if double {
				descr = "'<f8'"
			}
			if !containsBytes(raw[:128], descr) {
				t.Errorf("%s: header lacks %s", name, descr)
			}
			if name == "r_xz_train.npy" {
				for i, v := range data {
					tol := 1e-6 * math.Abs(res[0].RXZ[i])
					if double {
						tol = 0
					}
					if math.Abs(v-res[0].RXZ[i]) > tol {
						t.Fatalf("r_xz[%d] = %v, want %v", i, v, res[0].RXZ[i])
					}
				}
			}
		}
		var m Manifest
		raw, err := os.ReadFile(filepath.Join(dir, "ratio", "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if m.Seed != 4 || m.NSamples != 300 || m.Passes != 2 || m.Kind != "ratio" || len(m.Points) != 2 || !(m.NEffMin > 0) {
			t.Errorf("manifest %+v", m)
		}
	}
	dir := t.TempDir()
	man, err := Write(dir, res[1], &WriteSettings{Seed: cfg.Seed, Stats: st})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range man.Files {
		names = append(names, f.Name)
	}
	if len(names) != 3 || names[0] != "x_train.npy" || names[1] != "theta_train.npy" || names[2] != "t_xz_train.npy" {
		t.Errorf("local sample files %v", names)
	}

	// Read gives back, in float64, what training needs.
	back, err := Read(dir, Local, partition.Train, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if back.N != 200 || back.NObs != 2 || back.Theta0 != nil || len(back.TXZ0) != 400 || back.TXZ0[7] != float64(float32(res[1].TXZ0[7])) {
		t.Errorf("read back %d rows, %d observables, θ %v, %d scores", back.N, back.NObs, back.Theta0 != nil, len(back.TXZ0))
	}
	if _, err := Read(dir, Local, partition.Train, 3, 2); err == nil || !strings.Contains(err.Error(), "x_train.npy") {
		t.Errorf("x of 2 columns read as 3: %v", err)
	}
	if _, err := Read(dir, Density, partition.Train, 2, 2); err != nil {
		t.Errorf("density arrays: %v", err)
	}
	if _, err := Read(dir, Ratio, partition.Train, 2, 2); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ratio arrays of a local sample: %v, want a missing file", err)
	}
	// An array with fewer rows than x is named with both files.
	if err := store.WriteNPY(filepath.Join(dir, "t_xz_train.npy"), []int{199, 2}, make([]float64, 398), store.Float64); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir, Local, partition.Train, 2, 2); err == nil || !strings.Contains(err.Error(), "has 199 rows, "+filepath.Join(dir, "x_train.npy")+" of the same sample has 200") {
		t.Errorf("short t_xz: %v", err)
	}
}

func containsBytes(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return true
		}
	}
	return false
}
