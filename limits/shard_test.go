// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/seed"
	"github.com/goldmine-hep/goldmine/limits/internal/mmdata"
)

// sameFloats compares exactly, NaN equal to NaN.
func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

// roundTrip sends v through JSON, as a chunk file between jobs.
func roundTrip[T any](t *testing.T, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameResult compares two scans field by field, exactly.
func sameResult(t *testing.T, got, want *Result) {
	t.Helper()
	for _, f := range []struct {
		name string
		a, b []float64
	}{
		{"log_likelihood", got.LogLikelihood, want.LogLikelihood},
		{"log_likelihood_kin", got.LogLikelihoodKin, want.LogLikelihoodKin},
		{"log_likelihood_rate", got.LogLikelihoodRate, want.LogLikelihoodRate},
		{"q", got.Q, want.Q},
		{"p_values", got.PValues, want.PValues},
		{"best_fit", got.BestFit, want.BestFit},
		{"best_log_likelihood", []float64{got.BestLogLikelihood}, []float64{want.BestLogLikelihood}},
	} {
		if !sameFloats(f.a, f.b) {
			t.Errorf("%s: merged %v, unsharded %v", f.name, f.a, f.b)
		}
	}
	if got.GridBest != want.GridBest || got.Continuous != want.Continuous || got.DoF != want.DoF {
		t.Errorf("grid best %d, continuous %v, dof %d; unsharded %d, %v, %d", got.GridBest, got.Continuous, got.DoF, want.GridBest, want.Continuous, want.DoF)
	}
	if len(got.Nuisance) != len(want.Nuisance) {
		t.Fatalf("%d nuisance rows, unsharded %d", len(got.Nuisance), len(want.Nuisance))
	}
	for i := range got.Nuisance {
		if !sameFloats(got.Nuisance[i], want.Nuisance[i]) {
			t.Errorf("point %d: ν̂ %v, unsharded %v", i, got.Nuisance[i], want.Nuisance[i])
		}
	}
}

// TestScanChunksEqualScan cuts grid scans into chunks of 7 points, sends
// each chunk through JSON, merges them in reverse order and compares with
// the unsharded scan: a smooth model with a continuous best fit between
// grid points, a rate model with a profiled nuisance parameter and points
// where the likelihood vanishes, and a grid-only scan.
func TestScanChunksEqualScan(t *testing.T) {
	const lumi = 3000.0
	ml := gaussToy(t, lumi)
	theta0 := []float64{0.13, -0.07}
	mlData := gaussAsimov(theta0, lumi*gaussSigma(theta0))
	mlPoints, err := Grid{Ranges: [][2]float64{{-0.4, 0.6}, {-0.5, 0.3}}, Resolutions: []int{9}}.Points()
	if err != nil {
		t.Fatal(err)
	}
	m := &mmdata.Morpher{Components: [][]int{{0}, {1}}, Matrix: [][]float64{{1, 0}, {-1, 1}}}
	const n0, delta = 1e4, 0.05
	term := &RateTerm{Morpher: m, Luminosity: 1e5, Sigma: []float64{n0 / 1e5, n0 / 1e5 * (1 + delta)}, Nuisance: []Effect{{A: 0.02}}}
	ratePoints, _ := Grid{Ranges: [][2]float64{{-30, 2}}, Resolutions: []int{33}}.Points() // σ ≤ 0 below θ = −20
	for _, tc := range []struct {
		name   string
		model  Model
		data   *Data
		points [][]float64
		set    *Settings
	}{
		{"ml continuous", ml, mlData, mlPoints, nil},
		{"ml grid only", ml, mlData, mlPoints, &Settings{GridOnly: true}},
		{"rate profiled", &Rate{Term: term, Nuisance: 1}, &Data{N: n0}, ratePoints, nil},
		{"rate fixed", &Rate{Term: term, Nuisance: 1}, &Data{N: n0}, ratePoints, &Settings{FixNuisance: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := Scan(tc.model, tc.data, tc.points, tc.set)
			if err != nil {
				t.Fatal(err)
			}
			var chunks []*ScanChunk
			for k := 0; ; k++ {
				idx := ChunkIndices(len(tc.points), 7, k)
				if idx == nil {
					break
				}
				c, err := ScanPoints(tc.model, tc.data, tc.points, idx, tc.set)
				if err != nil {
					t.Fatal(err)
				}
				chunks = append([]*ScanChunk{roundTrip(t, c)}, chunks...)
			}
			got, err := MergeScan(tc.model, tc.data, tc.points, chunks, tc.set)
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, got, want)
			if tc.name == "rate profiled" && !math.IsInf(want.Q[0], 1) {
				t.Errorf("q at θ = −30 is %v, want +Inf (a vanishing likelihood)", want.Q[0])
			}
		})
	}
}

func TestMergeScanErrors(t *testing.T) {
	ml := gaussToy(t, 3000)
	data := gaussAsimov([]float64{0, 0}, 3000*gaussSigma([]float64{0, 0}))
	points, _ := Grid{Ranges: [][2]float64{{-0.4, 0.6}, {-0.5, 0.3}}, Resolutions: []int{3}}.Points()
	a, err := ScanPoints(ml, data, points, []int{0, 1, 2, 3, 4}, &Settings{GridOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ScanPoints(ml, data, points, []int{4, 5, 6, 7, 8}, &Settings{GridOnly: true})
	c, _ := ScanPoints(ml, data, points, []int{5, 6, 7}, &Settings{GridOnly: true})
	for _, tc := range []struct {
		chunks []*ScanChunk
		want   string
	}{
		{[]*ScanChunk{a, b}, "point 4 is in scan chunks 0 and 1"},
		{[]*ScanChunk{a, c}, "point 8 is in no scan chunk"},
		{[]*ScanChunk{{Indices: []int{9}, NLL: ExactFloats{1}, Kin: ExactFloats{0}, Rate: ExactFloats{0}}}, "outside the grid"},
		{[]*ScanChunk{{Indices: []int{0, 1}, NLL: ExactFloats{1}}}, "2 points but 1"},
	} {
		if _, err := MergeScan(ml, data, points, tc.chunks, &Settings{GridOnly: true}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
	if _, err := ScanPoints(ml, data, points, []int{-1}, nil); err == nil {
		t.Error("a negative point index was accepted")
	}
}

// TestToyBatchesEqualUnsharded runs a toy calibration as three batches,
// each with the generator of (seed, stage, batch), through JSON and in
// reverse order, and compares with the same batches run one after the
// other in one process; one batch with Calibrate's own generator is
// Calibrate.
func TestToyBatchesEqualUnsharded(t *testing.T) {
	const lumi = 2000.0
	model := gaussToy(t, lumi)
	theta0 := []float64{0.1, -0.2}
	gen := gaussToyGenerator(theta0, lumi*gaussSigma(theta0))
	points, _ := Grid{Ranges: [][2]float64{{-0.2, 0.4}, {-0.5, 0.1}}, Resolutions: []int{3}}.Points()
	const qObs = 2.0
	sizes := []int{7, 7, 6}
	batch := func(k int) *ToyBatch {
		b, err := CalibrateBatch(model, points, Toys{Generate: gen, Theta: theta0, N: sizes[k]}, k, seed.ShardIndex(42, "limits/toys/test", k), nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var inProcess, sharded []*ToyBatch
	for k := range sizes {
		inProcess = append(inProcess, batch(k))
	}
	for k := len(sizes) - 1; k >= 0; k-- {
		sharded = append(sharded, roundTrip(t, batch(k)))
	}
	want, err := MergeCalibration(inProcess, qObs, 2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := MergeCalibration(sharded, qObs, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(roundTrip(t, got), roundTrip(t, want)) || !sameFloats(got.Q, want.Q) || got.NToys != 20 {
		t.Errorf("sharded calibration %+v, in one process %+v", got, want)
	}
	// The toy p-value counts the union: recount it by hand.
	var ge int
	for _, b := range inProcess {
		for _, q := range b.Q {
			if q >= qObs {
				ge++
			}
		}
	}
	if got.PToys != float64(ge)/20 {
		t.Errorf("p_toys %v, want %d/20", got.PToys, ge)
	}
	// One batch drawn with Calibrate's generator is Calibrate.
	cal, err := Calibrate(model, points, Toys{Generate: gen, Theta: theta0, QObserved: qObs, N: 12, Seed: 42}, nil)
	if err != nil {
		t.Fatal(err)
	}
	one, err := CalibrateBatch(model, points, Toys{Generate: gen, Theta: theta0, N: 12}, 0, rand.New(rand.NewPCG(42, 42^0x9e3779b97f4a7c15)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sameFloats(one.Q, cal.Q) {
		t.Errorf("batch q %v, Calibrate %v", one.Q, cal.Q)
	}
	// Different batches draw different toys.
	if sameFloats(inProcess[0].Q, inProcess[1].Q[:len(inProcess[0].Q)]) {
		t.Error("two batches drew the same toys")
	}
	for _, tc := range []struct {
		batches []*ToyBatch
		want    string
	}{
		{inProcess[1:], "toy batch 0 is missing"},
		{[]*ToyBatch{inProcess[0], inProcess[0]}, "given twice"},
		{[]*ToyBatch{inProcess[0], {Batch: 1, Theta: []float64{0, 0}, Q: ExactFloats{1}}}, "different θ"},
	} {
		if _, err := MergeCalibration(tc.batches, qObs, 2); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}

func TestExactFloatsJSON(t *testing.T) {
	in := ExactFloats{1.5, math.Inf(1), math.Inf(-1), math.NaN(), 0.1, -0, 5e-324}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `[1.5,"Infinity","-Infinity","NaN",0.1,0,5e-324]` {
		t.Errorf("JSON %s", b)
	}
	var out ExactFloats
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !sameFloats(out, in) {
		t.Errorf("round trip %v, want %v", out, in)
	}
}
