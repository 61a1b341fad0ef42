// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/goldmine-hep/goldmine/partition"
)

func zhConfig(d *zhData) *Config {
	return &Config{Morpher: d.morpher, Benchmarks: d.benchmarks, Seed: 1}
}

// direct computes σ(θ) and ∇σ(θ) over events [start, end) times factor by
// looping over events, independently of the block sums.
func direct(d *zhData, start, end int, factor float64, theta []float64) (float64, []float64) {
	w := d.morpher.WeightsTo(nil, theta)
	g := d.morpher.GradientsTo(nil, theta)
	nb := len(w)
	var s float64
	gs := make([]float64, len(theta))
	for i := start; i < end; i++ {
		ev := d.src.W[i]
		s += dot(w, ev[:nb])
		for p := range gs {
			gs[p] += dot(g[p*nb:(p+1)*nb], ev[:nb])
		}
	}
	for p := range gs {
		gs[p] *= factor
	}
	return s * factor, gs
}

// Reference: MadMiner DataAnalyzer.xsecs / xsec_gradients on the 30k ZH file
// (../shared/reference/zh/reference.json, section xsecs).
func TestCrossSectionsZH(t *testing.T) {
	d := loadZH(t)
	ref := loadRef(t)
	cfg := zhConfig(d)

	bm, err := CrossSections(d.src, cfg, partition.All, Benchmarks(0, 1, 2, 3, 4, 5))
	if err != nil {
		t.Fatal(err)
	}
	for b, x := range bm {
		if e := relErr(x.Sigma, ref.Xsecs.BenchmarksPb[b]); e > 1e-10 {
			t.Errorf("benchmark %d: σ = %.17g, want %.17g (rel %.2g)", b, x.Sigma, ref.Xsecs.BenchmarksPb[b], e)
		}
		// At a benchmark MadMiner's uncertainty formula is sqrt(Σ W_ib²), ours too.
		if e := relErr(x.Unc, ref.Xsecs.BenchmarksUncPb[b]); e > 1e-10 {
			t.Errorf("benchmark %d: unc = %.17g, want %.17g", b, x.Unc, ref.Xsecs.BenchmarksUncPb[b])
		}
		if e := relErr(x.UncMadMiner, ref.Xsecs.BenchmarksUncPb[b]); e > 1e-10 {
			t.Errorf("benchmark %d: MadMiner's unc = %.17g, want %.17g", b, x.UncMadMiner, ref.Xsecs.BenchmarksUncPb[b])
		}
	}
	grid, err := CrossSections(d.src, cfg, partition.All, MorphingPoints(ref.Xsecs.GridTheta))
	if err != nil {
		t.Fatal(err)
	}
	if len(grid) != 25 {
		t.Fatalf("%d grid points", len(grid))
	}
	for i, x := range grid {
		if e := relErr(x.Sigma, ref.Xsecs.GridPb[i]); e > 1e-10 {
			t.Errorf("θ=%v: σ = %.17g, want %.17g (rel %.2g)", x.Theta, x.Sigma, ref.Xsecs.GridPb[i], e)
		}
		ds, _ := direct(d, 0, d.src.NumEvents(), 1, x.Theta)
		if e := relErr(x.Sigma, ds); e > 1e-12 {
			t.Errorf("θ=%v: σ = %.17g, direct sum %.17g", x.Theta, x.Sigma, ds)
		}
		// Uncertainty sqrt(Σ_i dσ_i²) by a direct loop (MadMiner's
		// grid_unc_pb uses another formula, see Xsec.Unc).
		w := d.morpher.WeightsTo(nil, x.Theta)
		var sq float64
		for _, ev := range d.src.W {
			v := dot(w, ev)
			sq += v * v
		}
		if e := relErr(x.Unc, math.Sqrt(sq)); e > 1e-9 {
			t.Errorf("θ=%v: unc = %.17g, direct %.17g", x.Theta, x.Unc, math.Sqrt(sq))
		}
		// MadMiner's uncertainty, clipped to 0 where its sum is negative.
		if want := ref.Xsecs.GridUncPb[i]; math.Abs(x.UncMadMiner-want) > 1e-10*want || (want == 0) != (x.UncMadMiner == 0) {
			t.Errorf("θ=%v: MadMiner's unc = %.17g, want %.17g (rel %.2g)", x.Theta, x.UncMadMiner, want, relErr(x.UncMadMiner, want))
		}
		if !(x.NEff > 0 && x.NEff <= float64(d.src.NumEvents())*(1+1e-12)) {
			t.Errorf("θ=%v: n_eff %v outside (0, N]", x.Theta, x.NEff)
		}
	}
	gr, err := CrossSections(d.src, cfg, partition.All, MorphingPoints(ref.Xsecs.GradientThetas))
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range gr {
		for p := range x.Grad {
			if e := relErr(x.Grad[p], ref.Xsecs.GradientsPb[i][p]); e > 1e-10 {
				t.Errorf("θ=%v: ∂σ/∂θ%d = %.17g, want %.17g (rel %.2g)", x.Theta, p, x.Grad[p], ref.Xsecs.GradientsPb[i][p], e)
			}
		}
	}
}

// Reference: joint_ratio_score of reference.json, r_xz and t_xz of the first
// 20 events between θ0 = (0.5, −0.5) and the SM, σ over the train partition
// (identical to MadMiner's, [0, 18000)) and over all events.
func TestJointRatioScoreZH(t *testing.T) {
	d := loadZH(t)
	ref := loadRef(t)
	cfg := zhConfig(d)
	for _, tc := range []struct {
		name string
		p    partition.Partition
		want jrsNorm
	}{{"train", partition.Train, ref.JRS.Train}, {"all", partition.All, ref.JRS.All}} {
		xs, err := CrossSections(d.src, cfg, tc.p, ThetaSpec{Points: [][]float64{ref.JRS.Theta0}})
		if err != nil {
			t.Fatal(err)
		}
		sm, err := CrossSections(d.src, cfg, tc.p, Benchmark(0))
		if err != nil {
			t.Fatal(err)
		}
		s0, s1 := xs[0], sm[0]
		for k, x := range []Xsec{s0, s1} {
			if e := relErr(x.Sigma, tc.want.Xsecs[k]); e > 1e-10 {
				t.Errorf("%s: σ%d = %.17g, want %.17g", tc.name, k, x.Sigma, tc.want.Xsecs[k])
			}
			for p := range x.Grad {
				if e := relErr(x.Grad[p], tc.want.Gradients[k][p]); e > 1e-9 {
					t.Errorf("%s: ∇σ%d[%d] = %.17g, want %.17g (rel %.2g)", tc.name, k, p, x.Grad[p], tc.want.Gradients[k][p], e)
				}
			}
		}
		w0 := d.morpher.WeightsTo(nil, ref.JRS.Theta0)
		g0 := d.morpher.GradientsTo(nil, ref.JRS.Theta0)
		for i := 0; i < 20; i++ {
			ev := d.src.W[i]
			r, tx := augment(w0, g0, s0.Sigma, s0.Grad, unit(len(ev), 0), s1.Sigma, ev)
			if e := relErr(r, tc.want.RXZ[i]); e > 1e-9 {
				t.Errorf("%s event %d: r_xz = %.17g, want %.17g", tc.name, i, r, tc.want.RXZ[i])
			}
			for p := range tx {
				if math.Abs(tx[p]-tc.want.TXZ[i][p]) > 1e-9*math.Max(1, math.Abs(tc.want.TXZ[i][p])) {
					t.Errorf("%s event %d: t_xz[%d] = %.17g, want %.17g", tc.name, i, p, tx[p], tc.want.TXZ[i][p])
				}
			}
		}
	}
}

func unit(n, i int) []float64 {
	u := make([]float64, n)
	u[i] = 1
	return u
}

// augment is the textbook formula for one event: r = (dσ(θ0)/σ0)/(dσ(θ1)/σ1)
// and t = ∇dσ(θ0)/dσ(θ0) − ∇σ0/σ0, with dσ(θ) = Σ_b w_b(θ) W_b.
func augment(w0, g0 []float64, s0 float64, gs0 []float64, w1 []float64, s1 float64, ev []float64) (float64, []float64) {
	nb := len(w0)
	d0, d1 := dot(w0, ev[:nb]), dot(w1, ev[:len(w1)])
	t := make([]float64, len(gs0))
	for p := range t {
		t[p] = dot(g0[p*nb:(p+1)*nb], ev[:nb])/d0 - gs0[p]/s0
	}
	return (d0 / s0) / (d1 / s1), t
}

// eventIndex maps an event's observables to its index.
func eventIndex(d *zhData) map[[3]float64]int {
	m := make(map[[3]float64]int, len(d.src.X))
	for i, x := range d.src.X {
		m[[3]float64{x[0], x[1], x[6]}] = i
	}
	return m
}

// Every drawn event of a ratio sample carries r_xz and t_xz equal to the
// formula applied to that event's weights, and t_xz equals a finite
// difference of log(dσ_i(θ)/σ(θ)).
func TestRatioSampleFormulaZH(t *testing.T) {
	d := loadZH(t)
	cfg := zhConfig(d)
	theta0 := []float64{0.5, -0.5}
	n := 3000
	if testing.Short() {
		n = 600
	}
	res, st, err := Run(d.src, cfg, Request{Name: "ratio", Kind: Ratio, Theta: MorphingPoint(theta0...), Theta1: Benchmark(0), N: n})
	if err != nil {
		t.Fatal(err)
	}
	if st.Passes != 2 || st.EventsRead > 2*int64(d.src.NumEvents()) {
		t.Errorf("source read %d times, %d events", st.Passes, st.EventsRead)
	}
	r := res[0]
	start, end, _ := partition.Bounds(d.src.NumEvents(), partition.Train, partition.Default())
	factor := float64(d.src.NumEvents()) / float64(end-start)
	s0, gs0 := direct(d, start, end, factor, theta0)
	s1, gs1 := direct(d, start, end, factor, d.benchmarks[0])
	w0, g0 := d.morpher.WeightsTo(nil, theta0), d.morpher.GradientsTo(nil, theta0)
	w1, g1 := d.morpher.WeightsTo(nil, d.benchmarks[0]), d.morpher.GradientsTo(nil, d.benchmarks[0])
	idx := eventIndex(d)
	var ny float64
	for row := 0; row < r.N; row++ {
		x := r.X[row*r.NObs : (row+1)*r.NObs]
		i, ok := idx[[3]float64{x[0], x[1], x[6]}]
		if !ok {
			t.Fatalf("row %d: drawn x not an event", row)
		}
		if i < start || i >= end {
			t.Fatalf("row %d: event %d outside the train partition", row, i)
		}
		ev := d.src.W[i]
		rw, t0 := augment(w0, g0, s0, gs0, unit(len(ev), 0), s1, ev)
		_, t1 := augment(w1, g1, s1, gs1, w1, s1, ev)
		if e := relErr(r.RXZ[row], rw); e > 1e-9 {
			t.Errorf("row %d (event %d): r_xz %.17g, formula %.17g", row, i, r.RXZ[row], rw)
		}
		for p := 0; p < 2; p++ {
			if math.Abs(r.TXZ0[row*2+p]-t0[p]) > 1e-9*math.Max(1, math.Abs(t0[p])) ||
				math.Abs(r.TXZ1[row*2+p]-t1[p]) > 1e-9*math.Max(1, math.Abs(t1[p])) {
				t.Errorf("row %d: t_xz0 %v t_xz1 %v, formula %v %v", row, r.TXZ0[row*2:row*2+2], r.TXZ1[row*2:row*2+2], t0, t1)
			}
		}
		if r.Theta0[row*2] != theta0[0] || r.Theta1[row*2] != 0 {
			t.Errorf("row %d: θ0 %v θ1 %v", row, r.Theta0[row*2:row*2+2], r.Theta1[row*2:row*2+2])
		}
		ny += r.Y[row]
		// Finite differences for a few rows (σ(θ) by a direct sum is slow).
		if row < 5 {
			logp := func(th []float64) float64 {
				s, _ := direct(d, start, end, factor, th)
				return math.Log(dot(d.morpher.WeightsTo(nil, th), ev) / s)
			}
			want := fd.Gradient(nil, logp, theta0, &fd.Settings{Formula: fd.Central, Step: 1e-5})
			for p := range want {
				if math.Abs(r.TXZ0[row*2+p]-want[p]) > 1e-6*math.Max(1, math.Abs(want[p])) {
					t.Errorf("row %d: t_xz0[%d] = %v, FD %v", row, p, r.TXZ0[row*2+p], want[p])
				}
			}
		}
	}
	if ny != float64(r.N-r.N/2) {
		t.Errorf("%v rows with y=1, want %d", ny, r.N-r.N/2)
	}
}

// The unweighted sample at θ follows the weighted distribution: Pearson χ²
// of the drawn histogram against N·(Σ_bin dσ_i(θ))/σ(θ), in 20 equal-count
// bins of pt_h. The same sample against the SM weights must fail.
func TestChi2UnweightingZH(t *testing.T) {
	d := loadZH(t)
	cfg := zhConfig(d)
	cfg.Seed = 2024
	theta := []float64{0.8, 0.8}
	const n = 20000
	res, _, err := Run(d.src, cfg, Request{Name: "plain", Kind: Plain, Theta: MorphingPoint(theta...), N: n})
	if err != nil {
		t.Fatal(err)
	}
	start, end, _ := partition.Bounds(d.src.NumEvents(), partition.Train, partition.Default())
	// Bin edges: quantiles of pt_h over the train events.
	var v []float64
	for i := start; i < end; i++ {
		v = append(v, d.src.X[i][0])
	}
	sort.Float64s(v)
	const nb = 20
	edges := make([]float64, nb-1)
	for k := range edges {
		edges[k] = v[(k+1)*len(v)/nb]
	}
	bin := func(x float64) int { return sort.SearchFloat64s(edges, x) }
	obs := make([]float64, nb)
	for row := 0; row < res[0].N; row++ {
		obs[bin(res[0].X[row*res[0].NObs])]++
	}
	chi2 := func(th []float64) float64 {
		w := d.morpher.WeightsTo(nil, th)
		exp := make([]float64, nb)
		var tot float64
		for i := start; i < end; i++ {
			dw := math.Max(dot(w, d.src.W[i]), 0)
			exp[bin(d.src.X[i][0])] += dw
			tot += dw
		}
		return pearsonChi2(obs, exp, tot, n)
	}
	limit := distuv.ChiSquared{K: nb - 1}.Quantile(0.999)
	good, wrong := chi2(theta), chi2([]float64{0, 0})
	t.Logf("χ² (%d dof, 99.9%% limit %.1f): at θ %.1f, against SM weights %.1f", nb-1, limit, good, wrong)
	if good > limit {
		t.Errorf("χ² %.1f above %.1f: unweighted sample does not follow the weights", good, limit)
	}
	if wrong < limit {
		t.Errorf("χ² against the wrong weighting %.1f below %.1f: test has no power", wrong, limit)
	}
}

// With MadMiner's partitions (Compat.Partitions), σ and its gradient over a
// partition are sums over MadMiner's event range times 1/fraction
// (DataAnalyzer.xsecs(partition=...)), computed here directly.
func TestCrossSectionsMadMinerPartitions(t *testing.T) {
	d := loadZH(t)
	n := d.src.NumEvents()
	theta := []float64{0.5, -0.5}
	for _, split := range []partition.Split{partition.Default(), {Validation: 0, Test: 0.2}, {Validation: 0.1, Test: 0.3}} {
		for _, p := range []partition.Partition{partition.Train, partition.Validation, partition.Test, partition.All} {
			if p == partition.Validation && split.Validation == 0 {
				continue
			}
			cfg := zhConfig(d)
			cfg.Split = &split
			cfg.Compat = MadMinerCompat
			xs, err := CrossSections(d.src, cfg, p, MorphingPoint(theta...))
			if err != nil {
				t.Fatal(err)
			}
			start, end, f := partition.MadMinerBounds(n, p, split)
			s, g := direct(d, start, end, f, theta)
			if e := relErr(xs[0].Sigma, s); e > 1e-12 {
				t.Errorf("%+v %v: σ = %.17g, want %.17g", split, p, xs[0].Sigma, s)
			}
			for q := range g {
				if e := relErr(xs[0].Grad[q], g[q]); e > 1e-12 {
					t.Errorf("%+v %v: ∂σ/∂θ%d = %.17g, want %.17g", split, p, q, xs[0].Grad[q], g[q])
				}
			}
			// goldmine's own partition differs (by one event and the
			// factor) off the train partition.
			cfg.Compat = Compat{}
			own, err := CrossSections(d.src, cfg, p, MorphingPoint(theta...))
			if err != nil {
				t.Fatal(err)
			}
			e := relErr(own[0].Sigma, xs[0].Sigma)
			if same := p == partition.Train || p == partition.All; (same && e > 1e-14) || (!same && e < 1e-9) {
				t.Errorf("%+v %v: goldmine σ %.17g, MadMiner's %.17g", split, p, own[0].Sigma, xs[0].Sigma)
			}
		}
	}
}

// Same seed, same samples, whatever the number of workers.
func TestDeterminism(t *testing.T) {
	d := loadZH(t)
	reqs := []Request{
		{Name: "d", Kind: Density, Theta: RandomMorphingPoints(20, Prior{Flat, -1, 1}, Prior{Gaussian, 0, 0.5}), N: 400},
		{Name: "r", Kind: Ratio, Theta: RandomMorphingPoints(10, Prior{Flat, -1, 1}, Prior{Flat, -1, 1}), Theta1: RandomMorphingPoints(10, Prior{Flat, -1, 1}, Prior{Flat, -1, 1}), N: 400},
	}
	var outs [][]*Result
	for _, workers := range []int{1, 3} {
		cfg := zhConfig(d)
		cfg.Seed = 77
		cfg.Workers = workers
		cfg.BatchSize = 1000
		res, _, err := Run(d.src, cfg, reqs...)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, res)
	}
	for k := range outs[0] {
		a, b := outs[0][k], outs[1][k]
		for _, pair := range [][2][]float64{{a.X, b.X}, {a.Theta0, b.Theta0}, {a.TXZ0, b.TXZ0}, {a.RXZ, b.RXZ}, {a.Theta1, b.Theta1}} {
			if len(pair[0]) != len(pair[1]) {
				t.Fatalf("sample %d: lengths differ", k)
			}
			for i := range pair[0] {
				if pair[0][i] != pair[1][i] {
					t.Fatalf("sample %d: element %d differs between 1 and 3 workers", k, i)
				}
			}
		}
	}
	// Doubly parameterised: θ1 varies across rows.
	r := outs[0][1]
	distinct := map[float64]bool{}
	for row := 0; row < r.N; row++ {
		distinct[r.Theta1[row*2]] = true
	}
	if len(distinct) != 10 {
		t.Errorf("%d distinct θ1, want 10", len(distinct))
	}
}

func TestRequestErrors(t *testing.T) {
	d := loadZH(t)
	for _, tc := range []struct {
		name string
		req  Request
	}{
		{"no samples", Request{Kind: Plain, Theta: Benchmark(0)}},
		{"bad benchmark", Request{Kind: Plain, Theta: Benchmark(9), N: 10}},
		{"local with two points", Request{Kind: Local, Theta: Benchmarks(0, 1), N: 10}},
		{"wrong dimension", Request{Kind: Plain, Theta: MorphingPoint(1), N: 10}},
		{"bad prior", Request{Kind: Density, Theta: RandomMorphingPoints(3, Prior{Flat, 1, -1}, Prior{Flat, 0, 1}), N: 10}},
		{"unpaired θ1", Request{Kind: Ratio, Theta: MorphingPoints([][]float64{{0, 0}, {1, 1}, {0, 1}}), Theta1: MorphingPoints([][]float64{{0, 0}, {1, 1}}), N: 10}},
		{"two specs", Request{Kind: Plain, Theta: ThetaSpec{Benchmarks: []int{0}, Points: [][]float64{{0, 0}}}, N: 10}},
	} {
		if _, _, err := Run(d.src, zhConfig(d), tc.req); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	cfg := zhConfig(d)
	cfg.MinNEff = 1e9
	if _, _, err := Run(d.src, cfg, Request{Kind: Plain, Theta: Benchmark(0), N: 10}); err == nil {
		t.Error("n_eff below the minimum: no error")
	}
}

// pearsonChi2 is Pearson's χ² of the observed counts obs (n in all)
// against the expected shape exp, which sums to tot.
func pearsonChi2(obs, exp []float64, tot, n float64) float64 {
	var c float64
	for k := range exp {
		e := exp[k] / tot * n
		c += (obs[k] - e) * (obs[k] - e) / e
	}
	return c
}

// TestOnly: each sample drawn alone with Config.Only equals that sample of
// the run of all requests (one job per sample of a sharded stage), and a
// sample drawn alone without the others' requests (a plausible wrong shard:
// the random θ of the earlier requests not resolved) differs.
func TestOnly(t *testing.T) {
	d := loadZH(t)
	reqs := []Request{
		{Name: "d", Kind: Density, Theta: RandomMorphingPoints(20, Prior{Flat, -1, 1}, Prior{Gaussian, 0, 0.5}), N: 400},
		{Name: "l", Kind: Local, Theta: Benchmark(0), N: 300},
		{Name: "r", Kind: Ratio, Theta: RandomMorphingPoints(10, Prior{Flat, -1, 1}, Prior{Flat, -1, 1}), Theta1: Benchmark(0), N: 400},
		{Name: "t", Kind: TestSample, Theta: Benchmark(0), N: 200},
	}
	run := func(only string, reqs ...Request) []*Result {
		cfg := zhConfig(d)
		cfg.Seed, cfg.Only, cfg.BatchSize = 5, only, 1000
		res, _, err := Run(d.src, cfg, reqs...)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	same := func(a, b *Result) bool {
		for _, pair := range [][2][]float64{{a.X, b.X}, {a.Theta0, b.Theta0}, {a.Theta1, b.Theta1}, {a.Y, b.Y}, {a.RXZ, b.RXZ}, {a.TXZ0, b.TXZ0}, {a.TXZ1, b.TXZ1}} {
			if !slices.Equal(pair[0], pair[1]) {
				return false
			}
		}
		return a.N == b.N && len(a.Points) == len(b.Points)
	}
	all := run("", reqs...)
	for i, rq := range reqs {
		one := run(rq.Name, reqs...)
		if len(one) != 1 || one[0].Name != rq.Name {
			t.Fatalf("Only %q returned %d samples", rq.Name, len(one))
		}
		if !same(one[0], all[i]) {
			t.Errorf("sample %s drawn alone differs from the run of all", rq.Name)
		}
	}
	if alone := run("", reqs[2]); same(alone[0], all[2]) {
		t.Errorf("sample r without the requests before it equals the run of all: the test cannot tell")
	}
	cfg := zhConfig(d)
	cfg.Only = "nope"
	if _, _, err := Run(d.src, cfg, reqs...); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Only of an unknown sample: %v", err)
	}
}

// TestChunkJoin: a sample drawn in chunks of its sampling points
// (Config.Chunk), each chunk its own run, joined in any order, equals the
// sample of the run of all requests bit for bit, points and negative
// counts included; the chunks themselves are unshuffled parts of it. Joining
// the chunks with a wrong shuffle stream, a chunk missing or one twice
// fails or differs.
func TestChunkJoin(t *testing.T) {
	d := loadZH(t)
	reqs := []Request{
		{Name: "d", Kind: Density, Theta: RandomMorphingPoints(7, Prior{Flat, -1, 1}, Prior{Gaussian, 0, 0.5}), N: 350},
		{Name: "r", Kind: Ratio, Theta: RandomMorphingPoints(10, Prior{Flat, -1, 1}, Prior{Flat, -1, 1}), Theta1: Benchmark(0), N: 401},
	}
	run := func(only string, c Chunk) []*Result {
		cfg := zhConfig(d)
		cfg.Seed, cfg.Only, cfg.Chunk, cfg.BatchSize = 5, only, c, 1000
		res, _, err := Run(d.src, cfg, reqs...)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	all := run("", Chunk{})
	for i, rq := range reqs {
		for _, count := range []int{1, 3, 7} {
			var chunks []*Result
			var dirs []string
			rows := 0
			for k := range count {
				c := run(rq.Name, Chunk{Index: k, Count: count})
				if len(c) != 1 || c[0].Chunk == nil || c[0].Chunk.Index != k {
					t.Fatalf("%s chunk %d of %d: %d results, chunk %+v", rq.Name, k, count, len(c), c[0].Chunk)
				}
				rows += c[0].N
				if count == 3 {
					// Through the files of a job, as the merge job reads them.
					dir := filepath.Join(t.TempDir(), rq.Name)
					if _, err := Write(dir, c[0], &WriteSettings{Float64: true, Stats: Stats{Passes: 1, EventsRead: int64(10 + k)}}); err != nil {
						t.Fatal(err)
					}
					dirs = append(dirs, dir)
					back, _, err := ReadWritten(dir)
					if err != nil {
						t.Fatal(err)
					}
					c[0] = back
				}
				chunks = append(chunks, c[0])
			}
			if rows != rq.N {
				t.Errorf("%s in %d chunks: %d rows, want %d", rq.Name, count, rows, rq.N)
			}
			rev := slices.Clone(chunks)
			slices.Reverse(rev)
			joined, err := Join(rev...)
			if err != nil {
				t.Fatal(err)
			}
			for _, pair := range [][2][]float64{{joined.X, all[i].X}, {joined.Theta0, all[i].Theta0}, {joined.Theta1, all[i].Theta1}, {joined.Y, all[i].Y}, {joined.RXZ, all[i].RXZ}, {joined.TXZ0, all[i].TXZ0}, {joined.TXZ1, all[i].TXZ1}} {
				if len(pair[0]) != len(pair[1]) {
					t.Fatalf("%s in %d chunks: %d values, whole %d", rq.Name, count, len(pair[0]), len(pair[1]))
				}
				for j := range pair[0] {
					if math.Float64bits(pair[0][j]) != math.Float64bits(pair[1][j]) {
						t.Fatalf("%s in %d chunks: value %d is %v, whole %v", rq.Name, count, j, pair[0][j], pair[1][j])
					}
				}
			}
			if dirs != nil {
				jw, st, err := JoinWritten(dirs...)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(jw.X, all[i].X) || !slices.Equal(jw.RXZ, all[i].RXZ) || st != (Stats{Passes: 3, EventsRead: 33}) {
					t.Errorf("%s: JoinWritten of %d chunk folders differs from the whole sample, or its statistics %+v are not the sums", rq.Name, count, st)
				}
				if _, _, err := JoinWritten(dirs[:2]...); err == nil {
					t.Errorf("%s: JoinWritten of 2 of 3 chunk folders: no error", rq.Name)
				}
			}
			if joined.Chunk != nil || joined.NegativeEvents != all[i].NegativeEvents || joined.NegativeBlocks != all[i].NegativeBlocks ||
				!reflect.DeepEqual(joined.Points, all[i].Points) {
				t.Errorf("%s in %d chunks: points, negative counts or chunk mark differ", rq.Name, count)
			}
		}
	}

	// Plausible wrong joins.
	var chunks []*Result
	for k := range 3 {
		chunks = append(chunks, run("r", Chunk{Index: k, Count: 3})[0])
	}
	if _, err := Join(chunks[0], chunks[1]); err == nil {
		t.Error("joined 2 of 3 chunks")
	}
	if _, err := Join(chunks[0], chunks[1], chunks[1]); err == nil {
		t.Error("joined a chunk twice")
	}
	for _, c := range chunks {
		c.Chunk = &ChunkInfo{Index: c.Chunk.Index, Count: 3, Seed: c.Chunk.Seed, Stream: 0}
	}
	if j, err := Join(chunks...); err != nil || slices.Equal(j.X, all[1].X) {
		t.Errorf("joined with the stream of another request: %v, equal %v", err, err == nil && slices.Equal(j.X, all[1].X))
	}
	for _, c := range []Chunk{{Index: 0, Count: 3}, {Index: 3, Count: 3}, {Index: 0, Count: 21}} {
		cfg := zhConfig(d)
		cfg.Chunk = c
		if c.Count != 3 || c.Index == 3 {
			cfg.Only = "r"
		}
		if _, _, err := Run(d.src, cfg, reqs...); err == nil {
			t.Errorf("chunk %+v (only %q) accepted", c, cfg.Only)
		}
	}
}

// TestReadWrittenBadInput: a manifest whose shapes disagree with its files
// or that lists an unknown file is an error naming the file.
func TestReadWrittenBadInput(t *testing.T) {
	d := loadZH(t)
	cfg := zhConfig(d)
	res, _, err := Run(d.src, cfg, Request{Name: "l", Kind: Local, Theta: Benchmark(0), N: 50})
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(string) string{
		"rows": func(s string) string { return strings.Replace(s, `"n_samples": 50`, `"n_samples": 51`, 1) },
		"unknown": func(s string) string {
			return strings.Replace(s, `"name": "x_train.npy"`, `"name": "../x_train.npy"`, 1)
		},
		"kind": func(s string) string { return strings.Replace(s, `"kind": "local"`, `"kind": "nope"`, 1) },
		// A width below 1 would read the file with any number of columns.
		"width": func(s string) string {
			i := strings.Index(s, `"name": "x_train.npy"`)
			j := i + strings.Index(s[i:], "]")
			k := strings.LastIndex(s[:j], ",")
			return s[:k+1] + " -1\n      " + s[j:]
		},
	} {
		dir := t.TempDir()
		if _, err := Write(dir, res[0], nil); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ReadWritten(dir); err != nil {
			t.Fatalf("%s: unedited: %v", name, err)
		}
		path := filepath.Join(dir, "manifest.json")
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if edited := edit(string(raw)); edited == string(raw) {
			t.Fatalf("%s: edit did not apply", name)
		} else if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ReadWritten(dir); err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
