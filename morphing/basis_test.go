// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// madMinerSearch emulates MadMiner's PhysicsMorpher.optimize_basis: n_trials
// random bases (fixed points first, the rest uniform in the ranges), each
// scored on its own n_test_thetas fresh uniform points, keeping the best score.
func madMinerSearch(comps [][]int, fixed [][]float64, ranges [][2]float64, rnd *rand.Rand) [][]float64 {
	var best [][]float64
	bestObj := math.Inf(1)
	for trial := 0; trial < 100; trial++ {
		basis := append(append([][]float64{}, fixed...), UniformThetas(len(comps)-len(fixed), ranges, rnd)...)
		m, err := New(comps, basis)
		if err != nil {
			continue
		}
		if v := m.MeanSquaredWeights(UniformThetas(100, ranges, rnd)); v < bestObj {
			best, bestObj = basis, v
		}
	}
	return best
}

func TestOptimizeBasisBeatsRandomSearch(t *testing.T) {
	comps := Components([]int{2, 2}, 2)
	ranges := [][2]float64{{-1, 1}, {-1, 1}}
	fixed := [][]float64{{0, 0}} // the SM, kept as in the ZH study
	const seed = 42

	mmBasis := madMinerSearch(comps, fixed, ranges, rand.New(rand.NewPCG(seed, seed)))
	res, err := OptimizeBasis(comps, &BasisSettings{Ranges: ranges, Fixed: fixed}, rand.NewPCG(seed, seed))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Basis[0], fixed[0]) {
		t.Errorf("fixed point moved: %v", res.Basis[0])
	}
	for b, th := range res.Basis {
		for p, v := range th {
			if v < ranges[p][0] || v > ranges[p][1] {
				t.Errorf("basis point %d %v outside the ranges", b, th)
			}
		}
	}

	// Judge on independent test points.
	indep := UniformThetas(20000, ranges, rand.New(rand.NewPCG(7, 7)))
	score := func(basis [][]float64) float64 {
		m, err := New(comps, basis)
		if err != nil {
			t.Fatal(err)
		}
		return m.MeanSquaredWeights(indep)
	}
	ours, mm, rb := score(res.Basis), score(mmBasis), score(res.RandomBasis)
	t.Logf("mean Σw² on 20000 independent θ: optimised %.4f, MadMiner-style best of 100 draws %.4f, best random basis on common test points %.4f (%d evaluations)",
		ours, mm, rb, res.Evaluations)
	if !(ours < mm) || !(ours < rb) {
		t.Errorf("optimised basis (%.4f) not better than random search (%.4f, %.4f)", ours, mm, rb)
	}
	if !(res.Objective <= res.RandomObjective) {
		t.Errorf("objective %v above random objective %v", res.Objective, res.RandomObjective)
	}

	// The basis MadMiner actually chose for the ZH study (../shared/reference/zh/reference.json).
	var ref struct {
		Morphing struct {
			Basis [][]float64 `json:"basis"`
		} `json:"morphing"`
	}
	readJSON(t, filepath.Join(repotest.Shared(t, ""), "reference", "zh", "reference.json"), &ref)
	zh := score(ref.Morphing.Basis)
	t.Logf("MadMiner's ZH basis: %.4f", zh)
	if !(ours < zh) {
		t.Errorf("optimised basis (%.4f) not better than MadMiner's ZH basis (%.4f)", ours, zh)
	}

	// Same seed, same basis.
	res2, err := OptimizeBasis(comps, &BasisSettings{Ranges: ranges, Fixed: fixed}, rand.NewPCG(seed, seed))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Basis, res2.Basis) {
		t.Error("same seed gave a different basis")
	}
}

func TestObjective(t *testing.T) {
	comps := Components([]int{2, 2}, 2)
	basis := [][]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {-1, 0}, {0, -1}}
	m, err := New(comps, basis)
	if err != nil {
		t.Fatal(err)
	}
	thetas := UniformThetas(50, [][2]float64{{-1, 1}, {-1, 1}}, rand.New(rand.NewPCG(1, 1)))

	// A cross section that does not depend on θ: MadMiner's objective.
	flat := []float64{3, 0, 0, 0, 0, 0}
	got, err := Objective(m, basis, thetas, flat)
	if err != nil {
		t.Fatal(err)
	}
	if want := m.MeanSquaredWeights(thetas); !scalar.EqualWithinRel(got, want, 1e-13) {
		t.Errorf("flat cross section: objective %v, want %v", got, want)
	}

	// σ(θ) = 1 + θ0² + θ1²: direct evaluation of mean Σ w² σ_b² / σ².
	s := []float64{1, 0, 1, 0, 0, 1}
	sig := func(th []float64) float64 { return 1 + th[0]*th[0] + th[1]*th[1] }
	got, err = Objective(m, basis, thetas, s)
	if err != nil {
		t.Fatal(err)
	}
	var want float64
	for _, th := range thetas {
		w := m.WeightsTo(nil, th)
		for b := range w {
			want += w[b] * w[b] * sig(basis[b]) * sig(basis[b]) / (sig(th) * sig(th))
		}
	}
	want /= float64(len(thetas))
	if !scalar.EqualWithinRel(got, want, 1e-13) {
		t.Errorf("objective %v, want %v", got, want)
	}
	// XsecComponentsTo recovers s from the cross sections at the basis points.
	sb := make([]float64, len(basis))
	for b, th := range basis {
		sb[b] = sig(th)
	}
	sc := m.XsecComponentsTo(nil, sb)
	for c := range s {
		if !scalar.EqualWithinAbsOrRel(sc[c], s[c], 1e-13, 1e-13) {
			t.Errorf("s[%d] = %v, want %v", c, sc[c], s[c])
		}
	}
	if _, err := Objective(m, basis, [][]float64{{0, 0}}, []float64{-1, 0, 0, 0, 0, 0}); err == nil {
		t.Error("negative cross section: no error")
	}
}

// The cross-section-aware search, on the ZH cross sections, finds a basis that
// is better for its own objective than the one optimised for Σw².
func TestOptimizeBasisXsec(t *testing.T) {
	var ref struct {
		Morphing struct {
			Basis [][]float64 `json:"basis"`
		} `json:"morphing"`
		Xsecs struct {
			Benchmarks []float64 `json:"benchmarks_pb"`
		} `json:"xsecs"`
	}
	readJSON(t, filepath.Join(repotest.Shared(t, ""), "reference", "zh", "reference.json"), &ref)
	comps := Components([]int{2, 2}, 2)
	zh, err := New(comps, ref.Morphing.Basis)
	if err != nil {
		t.Fatal(err)
	}
	s := zh.XsecComponentsTo(nil, ref.Xsecs.Benchmarks)
	ranges := [][2]float64{{-1, 1}, {-1, 1}}
	fixed := [][]float64{{0, 0}}
	plain, err := OptimizeBasis(comps, &BasisSettings{Ranges: ranges, Fixed: fixed}, rand.NewPCG(3, 3))
	if err != nil {
		t.Fatal(err)
	}
	aware, err := OptimizeBasis(comps, &BasisSettings{Ranges: ranges, Fixed: fixed, XsecComponents: s}, rand.NewPCG(3, 3))
	if err != nil {
		t.Fatal(err)
	}
	indep := UniformThetas(20000, ranges, rand.New(rand.NewPCG(9, 9)))
	objP, err := Objective(plain.Morpher, plain.Basis, indep, s)
	if err != nil {
		t.Fatal(err)
	}
	objA, err := Objective(aware.Morpher, aware.Basis, indep, s)
	if err != nil {
		t.Fatal(err)
	}
	objZ, err := Objective(zh, ref.Morphing.Basis, indep, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cross-section-aware objective: aware basis %.4f, Σw²-optimised basis %.4f, MadMiner's ZH basis %.4f", objA, objP, objZ)
	if !(objA < objP) || !(objA < objZ) {
		t.Errorf("cross-section-aware basis not better on its objective")
	}
}
