// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package morphing

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("reference file absent: %v", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func relClose(got, want, tol float64) bool {
	return scalar.EqualWithinAbsOrRel(got, want, tol, tol)
}

func checkMatrix(t *testing.T, name string, got *mat.Dense, want [][]float64, tol float64) {
	t.Helper()
	r, c := got.Dims()
	if r != len(want) || c != len(want[0]) {
		t.Fatalf("%s: shape %dx%d, want %dx%d", name, r, c, len(want), len(want[0]))
	}
	for i := range want {
		for j := range want[i] {
			if !relClose(got.At(i, j), want[i][j], tol) {
				t.Errorf("%s[%d,%d] = %.17g, want %.17g", name, i, j, got.At(i, j), want[i][j])
			}
		}
	}
}

// Reference: MadMiner's tutorial morphing, ../shared/reference/tutorial_2param_morphing_reference.json.
func TestTutorialReference(t *testing.T) {
	var ref struct {
		Components [][]int             `json:"components"`
		Basis      [][]float64         `json:"basis"`
		Matrix     [][]float64         `json:"morphing_matrix"`
		Points     map[string]refPoint `json:"points"`
	}
	readJSON(t, filepath.Join(repotest.Shared(t, ""), "reference", "tutorial_2param_morphing_reference.json"), &ref)

	if got := Components([]int{2, 2}, 2); !reflect.DeepEqual(got, ref.Components) {
		t.Errorf("components %v, want %v", got, ref.Components)
	}
	m, err := New(ref.Components, ref.Basis)
	if err != nil {
		t.Fatal(err)
	}
	checkMatrix(t, "matrix", m.Matrix(), ref.Matrix, 1e-9)
	if len(ref.Points) != 5 {
		t.Fatalf("%d reference points, want 5", len(ref.Points))
	}
	for key, p := range ref.Points {
		var theta []float64
		if err := json.Unmarshal([]byte(key), &theta); err != nil {
			t.Fatalf("point key %q: %v", key, err)
		}
		checkPoint(t, m, theta, p.Weights, p.Gradient)
	}
}

type refPoint struct {
	Weights  []float64   `json:"weights"`
	Gradient [][]float64 `json:"gradient"`
}

func checkPoint(t *testing.T, m *Morpher, theta, wantW []float64, wantG [][]float64) {
	t.Helper()
	w := m.WeightsTo(nil, theta)
	for b := range wantW {
		if !relClose(w[b], wantW[b], 1e-9) {
			t.Errorf("θ=%v: w[%d] = %.17g, want %.17g", theta, b, w[b], wantW[b])
		}
	}
	g := m.GradientsTo(nil, theta)
	nb := m.NumBasis()
	for p := range wantG {
		for b := range wantG[p] {
			if !relClose(g[p*nb+b], wantG[p][b], 1e-9) {
				t.Errorf("θ=%v: ∂w[%d]/∂θ%d = %.17g, want %.17g", theta, b, p, g[p*nb+b], wantG[p][b])
			}
		}
	}
}

// Reference: MadMiner on the ZH study, ../shared/reference/zh/reference.json.
func TestZHReference(t *testing.T) {
	var ref struct {
		Setup struct {
			Components [][]int                       `json:"morphing_components"`
			Benchmarks map[string]map[string]float64 `json:"benchmarks_after_set_morphing"`
			Matrix     [][]float64                   `json:"morphing_matrix"`
		} `json:"setup"`
		Morphing struct {
			Components [][]int     `json:"components"`
			Basis      [][]float64 `json:"basis"`
			Names      []string    `json:"basis_benchmark_names"`
			Matrix     [][]float64 `json:"morphing_matrix"`
			Points     []struct {
				Theta     []float64   `json:"theta"`
				Weights   []float64   `json:"weights"`
				Gradients [][]float64 `json:"weight_gradients"`
			} `json:"points"`
		} `json:"morphing"`
		Dataset struct {
			Parameters map[string]struct {
				MaxPower int `json:"max_power"`
			} `json:"parameters"`
		} `json:"dataset"`
	}
	readJSON(t, filepath.Join(repotest.Shared(t, ""), "reference", "zh", "reference.json"), &ref)
	if got := Components([]int{2, 2}, 2); !reflect.DeepEqual(got, ref.Setup.Components) {
		t.Errorf("components %v, want %v", got, ref.Setup.Components)
	}
	// Basis from setup.benchmarks_after_set_morphing, in the order of the
	// morphing basis names, parameters in the order (cHW, cHq3).
	var basis [][]float64
	for _, name := range ref.Morphing.Names {
		bm, ok := ref.Setup.Benchmarks[name]
		if !ok {
			t.Fatalf("benchmark %q missing", name)
		}
		basis = append(basis, []float64{bm["cHW"], bm["cHq3"]})
	}
	if !reflect.DeepEqual(basis, ref.Morphing.Basis) {
		t.Fatalf("basis %v, morphing.basis %v", basis, ref.Morphing.Basis)
	}
	m, err := New(ref.Setup.Components, basis)
	if err != nil {
		t.Fatal(err)
	}
	checkMatrix(t, "matrix", m.Matrix(), ref.Setup.Matrix, 1e-9)
	t.Logf("ZH basis condition number %.4g", m.Cond())

	mf, err := NewFromMatrix(ref.Setup.Components, mat.NewDense(6, 6, flatten(ref.Setup.Matrix)))
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Morphing.Points) == 0 {
		t.Fatal("no reference points")
	}
	for _, p := range ref.Morphing.Points {
		checkPoint(t, m, p.Theta, p.Weights, p.Gradients)
		checkPoint(t, mf, p.Theta, p.Weights, p.Gradients)
	}
}

func flatten(a [][]float64) []float64 {
	var out []float64
	for _, r := range a {
		out = append(out, r...)
	}
	return out
}

// MadMiner's unit test: a polynomial of degree 4 in θ1 at θ1 = -5..-1 gives
// the Lagrange weights (5, -24, 45, -40, 15) at θ1 = 1 (binomial coefficients
// with alternating sign, computed by hand from ∏_{j≠b} (1−t_j)/(t_b−t_j)).
func TestMadMinerUnitCase(t *testing.T) {
	comps := [][]int{{4, 0}, {3, 1}, {2, 2}, {1, 3}, {0, 4}}
	basis := [][]float64{{1, -5}, {1, -4}, {1, -3}, {1, -2}, {1, -1}}
	m, err := New(comps, basis)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{5, -24, 45, -40, 15}
	got := m.WeightsTo(nil, []float64{1, 1})
	for b := range want {
		if !relClose(got[b], want[b], 1e-9) {
			t.Errorf("w[%d] = %v, want %v", b, got[b], want[b])
		}
	}
}

func TestComponents(t *testing.T) {
	for _, tc := range []struct {
		max     []int
		overall int
		want    [][]int
	}{
		{[]int{2, 2}, -1, [][]int{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}}},
		{[]int{2, 2}, 1, [][]int{{0, 0}, {0, 1}, {1, 0}}},
		{[]int{2, 2}, 2, [][]int{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {2, 0}}},
		{[]int{1}, -1, [][]int{{0}, {1}}},
		{[]int{1, 0, 1}, -1, [][]int{{0, 0, 0}, {0, 0, 1}, {1, 0, 0}, {1, 0, 1}}},
	} {
		if got := Components(tc.max, tc.overall); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Components(%v, %d) = %v, want %v", tc.max, tc.overall, got, tc.want)
		}
	}
}

func randomBasis(rnd *rand.Rand, n, np int, scale float64) [][]float64 {
	b := make([][]float64, n)
	for i := range b {
		b[i] = make([]float64, np)
		for p := range b[i] {
			b[i][p] = scale * (2*rnd.Float64() - 1)
		}
	}
	return b
}

// Analytic gradients against central finite differences of WeightsTo.
func TestGradientsFD(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		max     []int
		overall int
	}{
		{[]int{2, 2}, 2}, {[]int{4, 4}, 4}, {[]int{2, 2, 2}, 2}, {[]int{3}, -1},
	} {
		comps := Components(tc.max, tc.overall)
		np := len(tc.max)
		m, err := New(comps, randomBasis(rnd, len(comps), np, 1.5))
		if err != nil {
			t.Fatal(err)
		}
		nb := m.NumBasis()
		for trial := 0; trial < 5; trial++ {
			theta := randomBasis(rnd, 1, np, 2)[0]
			g := m.GradientsTo(nil, theta)
			for b := 0; b < nb; b++ {
				f := func(x []float64) float64 { return m.WeightsTo(nil, x)[b] }
				want := fd.Gradient(nil, f, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
				for p := 0; p < np; p++ {
					if !scalar.EqualWithinAbsOrRel(g[p*nb+b], want[p], 1e-6, 1e-6) {
						t.Errorf("%v θ=%v: ∂w%d/∂θ%d = %v, FD %v", tc.max, theta, b, p, g[p*nb+b], want[p])
					}
				}
			}
		}
	}
}

// dst is returned and written in place.
func TestDstReturned(t *testing.T) {
	m, err := New(Components([]int{2}, -1), [][]float64{{-1}, {0}, {1}})
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float64, 3)
	if got := m.WeightsTo(dst, []float64{0.5}); &got[0] != &dst[0] {
		t.Error("WeightsTo did not return dst")
	}
	// Lagrange weights at t=0.5 for nodes -1,0,1: (-1/8, 3/4, 3/8).
	for b, want := range []float64{-0.125, 0.75, 0.375} {
		if !relClose(dst[b], want, 1e-14) {
			t.Errorf("w[%d] = %v, want %v", b, dst[b], want)
		}
	}
	g := make([]float64, 3)
	if got := m.GradientsTo(g, []float64{0.5}); &got[0] != &g[0] {
		t.Error("GradientsTo did not return dst")
	}
}

// The over-determined path reproduces every polynomial in the span of the
// components exactly, like the square path: Σ_b w_b f(θ_b) = f(θ).
func TestOverdetermined(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	comps := Components([]int{2, 2}, 2)
	basis := randomBasis(rnd, len(comps), 2, 1)
	sq, err := New(comps, basis)
	if err != nil {
		t.Fatal(err)
	}
	extra := append(append([][]float64{}, basis...), basis[2], []float64{0.3, -0.7}, []float64{-0.9, 0.2})
	od, err := New(comps, extra)
	if err != nil {
		t.Fatal(err)
	}
	if od.NumBasis() != len(extra) {
		t.Fatalf("NumBasis %d, want %d", od.NumBasis(), len(extra))
	}
	coef := []float64{0.7, -1.3, 2.1, 0.4, -0.8, 1.9}
	f := func(th []float64) float64 {
		var s float64
		for c, n := range comps {
			s += coef[c] * math.Pow(th[0], float64(n[0])) * math.Pow(th[1], float64(n[1]))
		}
		return s
	}
	for trial := 0; trial < 20; trial++ {
		th := randomBasis(rnd, 1, 2, 1.5)[0]
		want := f(th)
		for _, tc := range []struct {
			name  string
			m     *Morpher
			basis [][]float64
		}{{"square", sq, basis}, {"over-determined", od, extra}} {
			w := tc.m.WeightsTo(nil, th)
			var got float64
			for b, v := range w {
				got += v * f(tc.basis[b])
			}
			if !scalar.EqualWithinAbsOrRel(got, want, 1e-10, 1e-10) {
				t.Errorf("%s θ=%v: Σ w f = %v, want %v", tc.name, th, got, want)
			}
		}
		// The minimum-norm solution never has larger Σw² than the square one
		// padded with zeros, which is also a solution.
		if od.MeanSquaredWeights([][]float64{th}) > sq.MeanSquaredWeights([][]float64{th})*(1+1e-12) {
			t.Errorf("θ=%v: over-determined Σw² larger than square", th)
		}
	}
	// With no extra points the SVD path would give the square answer: check
	// that a duplicated point splits its weight equally.
	dup := append(append([][]float64{}, basis...), basis[0])
	md, err := New(comps, dup)
	if err != nil {
		t.Fatal(err)
	}
	th := []float64{0.2, 0.4}
	ws, wd := sq.WeightsTo(nil, th), md.WeightsTo(nil, th)
	if !relClose(wd[0], ws[0]/2, 1e-10) || !relClose(wd[len(dup)-1], ws[0]/2, 1e-10) {
		t.Errorf("duplicated point weights %v, %v; want %v each", wd[0], wd[len(dup)-1], ws[0]/2)
	}
	for b := 1; b < len(basis); b++ {
		if !relClose(wd[b], ws[b], 1e-10) {
			t.Errorf("w[%d] = %v, square %v", b, wd[b], ws[b])
		}
	}
}

func TestSingular(t *testing.T) {
	comps := Components([]int{2, 2}, 2)
	for _, tc := range []struct {
		name  string
		basis [][]float64
	}{
		{"repeated point", [][]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {1, 0}, {-1, 1}}},
		{"collinear points", [][]float64{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}}},
		{"nearly repeated", [][]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {1, 1e-13}, {-1, 1}}},
	} {
		m, err := New(comps, tc.basis)
		var se *SingularError
		if !errors.As(err, &se) {
			t.Errorf("%s: got %v, %v; want *SingularError", tc.name, m, err)
			continue
		}
		if !(se.Cond > MaxCond) {
			t.Errorf("%s: Cond %v not above MaxCond", tc.name, se.Cond)
		}
	}
	if _, err := New(comps, [][]float64{{0, 0}, {1, 0}}); err == nil {
		t.Error("too few basis points: no error")
	}
	if _, err := New(comps, [][]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {2, 0}, {math.NaN(), 1}}); err == nil {
		t.Error("NaN basis point: no error")
	}
	if _, err := New([][]int{{0, 1}, {0, 1}}, [][]float64{{0, 0}, {1, 1}}); err == nil {
		t.Error("repeated component: no error")
	}
}

func TestNewFromMatrixShape(t *testing.T) {
	comps := Components([]int{2}, -1)
	if _, err := NewFromMatrix(comps, mat.NewDense(2, 3, nil)); err == nil {
		t.Error("wrong number of rows: no error")
	}
	m, err := New(comps, [][]float64{{-1}, {0.5}, {2}})
	if err != nil {
		t.Fatal(err)
	}
	mf, err := NewFromMatrix(comps, m.Matrix())
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(mf.Cond(), m.Cond(), 1e-8) {
		t.Errorf("Cond from matrix %v, from basis %v", mf.Cond(), m.Cond())
	}
}

func TestNuisanceMorpher(t *testing.T) {
	// weights: 0 nominal, 1 = ν0+, 2 = ν0−, 3 = ν1+ (no ν1−).
	nm, err := NewNuisanceMorpher(0, []int{1, 3}, []int{2, -1})
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 20; trial++ {
		w := []float64{1 + rnd.Float64(), 0.5 + rnd.Float64(), 0.5 + rnd.Float64(), 0.2 + 2*rnd.Float64()}
		a, b, err := nm.CoefficientsTo(nil, nil, w)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			nu   []float64
			want float64
		}{
			{[]float64{1, 0}, w[1] / w[0]},
			{[]float64{-1, 0}, w[2] / w[0]},
			{[]float64{0, 1}, w[3] / w[0]},
			{[]float64{0, 0}, 1},
		} {
			if got := nm.Factor(a, b, tc.nu); !relClose(got, tc.want, 1e-13) {
				t.Errorf("ν=%v: factor %v, want %v", tc.nu, got, tc.want)
			}
		}
		nu := []float64{2*rnd.Float64() - 1, 2*rnd.Float64() - 1}
		g := nm.FactorGradientTo(nil, a, b, nu)
		want := fd.Gradient(nil, func(x []float64) float64 { return nm.Factor(a, b, x) }, nu, &fd.Settings{Formula: fd.Central})
		lg := nm.LogFactorGradientTo(nil, a, b, nu)
		f := nm.Factor(a, b, nu)
		for i := range want {
			if !scalar.EqualWithinAbsOrRel(g[i], want[i], 1e-7, 1e-7) {
				t.Errorf("ν=%v: ∂factor/∂ν%d = %v, FD %v", nu, i, g[i], want[i])
			}
			if !relClose(lg[i]*f, g[i], 1e-14) {
				t.Errorf("log gradient %v × factor %v ≠ gradient %v", lg[i], f, g[i])
			}
		}
	}
	if _, _, err := nm.CoefficientsTo(nil, nil, []float64{1, -1, 1, 1}); err == nil {
		t.Error("negative weight: no error")
	}
	if _, _, err := nm.CoefficientsTo(nil, nil, []float64{1, 1}); err == nil {
		t.Error("too few weights: no error")
	}
}

var sinkF []float64

func BenchmarkWeightsTo(b *testing.B) {
	for _, tc := range []struct {
		name    string
		max     []int
		overall int
	}{{"zh-6", []int{2, 2}, 2}, {"3p-20", []int{2, 2, 2}, -1}, {"4p-70", []int{4, 4, 4, 4}, 4}} {
		comps := Components(tc.max, tc.overall)
		rnd := rand.New(rand.NewPCG(1, 1))
		m, err := New(comps, randomBasis(rnd, len(comps), len(tc.max), 1))
		if err != nil {
			b.Fatal(err)
		}
		theta := randomBasis(rnd, 1, len(tc.max), 1)[0]
		b.Run(tc.name+"/weights", func(b *testing.B) {
			dst := make([]float64, m.NumBasis())
			b.ReportAllocs()
			for b.Loop() {
				dst = m.WeightsTo(dst, theta)
			}
			sinkF = dst
		})
		b.Run(tc.name+"/gradients", func(b *testing.B) {
			dst := make([]float64, m.NumBasis()*m.NumParams())
			b.ReportAllocs()
			for b.Loop() {
				dst = m.GradientsTo(dst, theta)
			}
			sinkF = dst
		})
	}
}
