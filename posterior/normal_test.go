// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// TestNormal checks the closed-form Normal posterior of a Fisher
// information: the covariance against the 2×2 inverse written out, the
// intervals at 1σ, and the HPD ellipse's area against the highest-density
// region of the same density tabulated on a fine grid (Grid.Volume). An
// area with χ²₁ instead of χ²₂, or √det I instead of √det Σ, fails.
func TestNormal(t *testing.T) {
	a, b, d := 4.0, 1.2, 1.0
	info := mat.NewSymDense(2, []float64{a, b, b, d})
	theta := []float64{0.3, -0.1}
	g, err := NewNormal(theta, info)
	if err != nil {
		t.Fatal(err)
	}
	det := a*d - b*b
	wantCov := [][]float64{{d / det, -b / det}, {-b / det, a / det}}
	for i := range 2 {
		for j := range 2 {
			if got := g.Cov.At(i, j); math.Abs(got-wantCov[i][j]) > 1e-14 {
				t.Errorf("Cov[%d,%d] = %v, want %v", i, j, got, wantCov[i][j])
			}
		}
	}
	std := g.Std()
	oneSigma := math.Erf(1 / math.Sqrt2)
	for i, iv := range g.Intervals(oneSigma) {
		want := Interval{theta[i] - math.Sqrt(wantCov[i][i]), theta[i] + math.Sqrt(wantCov[i][i])}
		if math.Abs(iv[0]-want[0]) > 1e-12 || math.Abs(iv[1]-want[1]) > 1e-12 || math.Abs(std[i]-math.Sqrt(wantCov[i][i])) > 1e-14 {
			t.Errorf("parameter %d: interval %v, std %v, want %v", i, iv, std[i], want)
		}
	}

	axes := [][]float64{Linspace(theta[0]-7*std[0], theta[0]+7*std[0], 401), Linspace(theta[1]-7*std[1], theta[1]+7*std[1], 401)}
	flat := Priors{Uniform{axes[0][0], axes[0][400]}, Uniform{axes[1][0], axes[1][400]}}
	grid, err := EvalGrid(&Model{Priors: flat, LogLikelihood: g.LogLikelihood()}, axes, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range grid.Mean() {
		if math.Abs(m-theta[i]) > 1e-6 || math.Abs(grid.Std()[i]-std[i]) > 1e-3*std[i] {
			t.Errorf("grid parameter %d: mean %v, std %v, want %v, %v", i, m, grid.Std()[i], theta[i], std[i])
		}
	}
	for _, cl := range []float64{0.68, 0.95} {
		if got, want := g.Area(0, 1, cl), grid.Volume(cl); math.Abs(got-want) > 0.01*want {
			t.Errorf("area at %v: %v, the grid's HPD region %v", cl, got, want)
		}
	}

	for _, bad := range []struct {
		info  mat.Symmetric
		theta []float64
		err   string
	}{
		{mat.NewSymDense(2, []float64{1, 2, 2, 1}), theta, "not positive definite"},
		{info, []float64{0}, "1 parameters, information of 2"},
	} {
		if _, err := NewNormal(bad.theta, bad.info); err == nil || !strings.Contains(err.Error(), bad.err) {
			t.Errorf("NewNormal(%v, %v): error %v, want %q", bad.theta, mat.Formatted(bad.info), err, bad.err)
		}
	}
}

// TestEdgeMass checks the mass of the edge cells of a flat posterior: the
// two half cells of 11 points on [0, 1] hold 0.1; on 11 × 11 points the
// edge cells hold 1 − 0.9²; an axis of one point (a fixed parameter) has
// no edge. Counting points instead of mass (40/121) or only the first
// axis's edges fails.
func TestEdgeMass(t *testing.T) {
	ax := Linspace(0, 1, 11)
	for _, c := range []struct {
		axes [][]float64
		want float64
	}{
		{[][]float64{ax}, 0.1},
		{[][]float64{ax, ax}, 1 - 0.9*0.9},
		{[][]float64{ax, {0.5}}, 0.1},
		{[][]float64{{0.5}, ax}, 0.1},
	} {
		g, err := NewGrid(nil, c.axes, make([]float64, NumPoints(c.axes)))
		if err != nil {
			t.Fatal(err)
		}
		if got := g.EdgeMass(); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%d axes of %v points: edge mass %v, want %v", len(c.axes), NumPoints(c.axes), got, c.want)
		}
	}
}

func TestFractionOutside(t *testing.T) {
	axes := [][]float64{Linspace(-1, 1, 5), Linspace(0, 2, 3)}
	draws := []float64{
		0, 1, // inside
		-1, 0, // on the corner: inside
		1.5, 1, // outside in θ0
		0, 2.5, // outside in θ1
		-2, -1, // outside in both: counted once
	}
	if got := FractionOutside(draws, axes); got != 3.0/5 {
		t.Errorf("fraction outside %v, want 0.6", got)
	}
	if got := FractionOutside(nil, axes); got != 0 {
		t.Errorf("no draws: %v", got)
	}
}

// TestNearInit checks the starting points NearInit draws: around the grid
// posterior's mean with its spread, at least a cell wide for a posterior
// narrower than the cells, and the nuisance parameters from N(0, σ²).
func TestNearInit(t *testing.T) {
	axes := [][]float64{Linspace(-2, 2, 81), Linspace(-1, 1, 5)}
	// θ0 ~ N(0.5, 0.3²); θ1 ~ N(0, 0.01²), far narrower than its cells
	// of 0.5.
	lp := make([]float64, NumPoints(axes))
	for k := range lp {
		x, y := axes[0][k/5], axes[1][k%5]
		lp[k] = -0.5*math.Pow((x-0.5)/0.3, 2) - 0.5*math.Pow(y/0.01, 2)
	}
	g, err := NewGrid(nil, axes, lp)
	if err != nil {
		t.Fatal(err)
	}
	init := g.NearInit(0.1)
	src := rand.NewPCG(1, 2)
	const n = 20000
	cols := make([][]float64, 3)
	dst := make([]float64, 3)
	for range n {
		init(dst, src)
		for i, v := range dst {
			cols[i] = append(cols[i], v)
		}
	}
	mu, sd := g.Mean(), g.Std()
	want := []struct{ mean, std float64 }{{mu[0], sd[0]}, {mu[1], 0.5}, {0, 0.1}}
	for i, w := range want {
		m, s := stat.MeanStdDev(cols[i], nil)
		if math.Abs(m-w.mean) > 4*w.std/math.Sqrt(n) || math.Abs(s-w.std) > 0.03*w.std {
			t.Errorf("parameter %d: draws with mean %.4f, std %.4f, want %.4f, %.4f", i, m, s, w.mean, w.std)
		}
	}
}

// TestMixtureSummary checks that one member is summarised as itself and
// an ensemble as the mixture with its members and their spread.
func TestMixtureSummary(t *testing.T) {
	axes := [][]float64{Linspace(-3, 3, 121)}
	var each []*Grid
	for _, mu := range []float64{-0.2, 0.4} {
		lp := make([]float64, 121)
		for k, x := range axes[0] {
			lp[k] = -0.5 * (x - mu) * (x - mu) / 0.25
		}
		g, err := NewGrid([]string{"a"}, axes, lp)
		if err != nil {
			t.Fatal(err)
		}
		each = append(each, g)
	}
	s := &SummarySettings{CLs: []float64{0.68}}
	one, err := MixtureSummary(each[0], each[:1], s)
	if err != nil {
		t.Fatal(err)
	}
	own, _ := each[0].Summary(s)
	if one.Method != "grid" || one.Params[0].Mean != own.Params[0].Mean || one.Params[0].Std != own.Params[0].Std || one.Members != nil {
		t.Errorf("one member: %+v, want its own summary %+v", one, own)
	}
	mix, err := MixGrids(each...)
	if err != nil {
		t.Fatal(err)
	}
	ens, err := MixtureSummary(mix, each, s)
	if err != nil {
		t.Fatal(err)
	}
	if ens.Method != "mixture" || len(ens.Members) != 2 || ens.Spread == nil {
		t.Fatalf("ensemble summary: method %q, %d members, spread %v", ens.Method, len(ens.Members), ens.Spread)
	}
	if got := ens.Spread.MeanRange[0]; math.Abs(got[0]+0.2) > 1e-3 || math.Abs(got[1]-0.4) > 1e-3 {
		t.Errorf("range of the members' means %v, want [-0.2, 0.4]", got)
	}
	if _, err := MixtureSummary(mix, nil, s); err == nil {
		t.Error("no members: no error")
	}
}

func TestUnconverged(t *testing.T) {
	s := &Summary{
		Diagnostics: &Diagnostics{Names: []string{"a", "b"}, RHat: []float64{1.005, 1.02}, ESSBulk: []float64{400, 50}},
		Members: []*Summary{
			{Diagnostics: &Diagnostics{Names: []string{"a", "b"}, RHat: []float64{math.NaN(), 1}, ESSBulk: []float64{100, 99.6}}},
			{},
		},
	}
	want := []string{"R̂(b) = 1.020 > 1.01", "bulk ESS(b) = 50.0 < 100", "member 0: bulk ESS(b) = 99.6 < 100"}
	if got := s.Unconverged(); !slices.Equal(got, want) {
		t.Errorf("Unconverged() = %q, want %q", got, want)
	}
}
