// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package sampling

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/goldmine-hep/goldmine/morphing"
	"github.com/goldmine-hep/goldmine/partition"
)

// synth is a synthetic event file generated on the fly: event i has an
// amplitude A_i(θ) = a0 + a1 θ0 + a2 θ1 with pseudo-random coefficients, so
// dσ_i(θ) = s·A_i(θ)² − negShift_i is exactly quadratic and morphs with the
// six components of two parameters at max power 2. Observables are (a1, a2).
// It holds nothing in memory, so a million events cost no memory.
type synth struct {
	n        int
	basis    [][]float64
	negEvery int // every negEvery-th event gets a negative shift (0: none)
	ids      func(i int) int
	// nuisance adds two weight columns, the SM weight times
	// exp(±alpha_i + beta_i): one nuisance parameter with a_i = alpha_i and
	// b_i = beta_i.
	nuisance bool
}

func (s *synth) nuCoeffs(i int) (alpha, beta float64) {
	_, _, a2, _ := s.coeffs(i)
	return 0.4*a2 + 0.1*(2*unif(i, 3)-1), 0.1 * unif(i, 4)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func unif(i, k int) float64 {
	return float64(splitmix(uint64(i)*8+uint64(k))>>11) / (1 << 53)
}

func (s *synth) coeffs(i int) (a0, a1, a2, shift float64) {
	a0 = 1 + unif(i, 0)
	a1 = 2*unif(i, 1) - 1
	a2 = 2*unif(i, 2) - 1
	if s.negEvery > 0 && i%s.negEvery == 0 {
		shift = 0.5
	}
	return
}

func (s *synth) weight(i int, th []float64) float64 {
	a0, a1, a2, shift := s.coeffs(i)
	A := a0 + a1*th[0] + a2*th[1]
	return (A*A - shift) * 1e-3 / float64(s.n)
}

func (s *synth) NumEvents() int      { return s.n }
func (s *synth) NumObservables() int { return 2 }
func (s *synth) NumWeights() int {
	if s.nuisance {
		return len(s.basis) + 2
	}
	return len(s.basis)
}

func (s *synth) Read(start, end, batch int, fn func(*Batch) error) error {
	if batch <= 0 {
		batch = 4096
	}
	var b Batch
	nW := len(s.basis)
	for lo := start; lo < end; lo += batch {
		hi := min(lo+batch, end)
		b.Start, b.Len = lo, hi-lo
		b.X, b.W, b.SamplingIDs = b.X[:0], b.W[:0], nil
		for i := lo; i < hi; i++ {
			_, a1, a2, _ := s.coeffs(i)
			b.X = append(b.X, a1, a2)
			for k := 0; k < nW; k++ {
				b.W = append(b.W, s.weight(i, s.basis[k]))
			}
			if s.nuisance {
				al, be := s.nuCoeffs(i)
				w0 := s.weight(i, s.basis[0])
				b.W = append(b.W, w0*math.Exp(al+be), w0*math.Exp(-al+be))
			}
			if s.ids != nil {
				b.SamplingIDs = append(b.SamplingIDs, s.ids(i))
			}
		}
		if err := fn(&b); err != nil {
			return err
		}
	}
	return nil
}

var synthBasis = [][]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {-1, 0}, {0, -1}}

func synthConfig(t testing.TB, seed uint64) *Config {
	m, err := morphing.New(morphing.Components([]int{2, 2}, 2), synthBasis)
	if err != nil {
		t.Fatal(err)
	}
	return &Config{Morpher: m, Benchmarks: synthBasis, Seed: seed}
}

// 1000 random θ × 100 events from a 1M-event file: the file is read twice.
func TestManyThetaTwoPasses(t *testing.T) {
	n := 1000000
	if testing.Short() {
		n = 100000
	}
	src := &synth{n: n, basis: synthBasis}
	cfg := synthConfig(t, 5)
	cnt := &CountingSource{Source: src}
	res, st, err := Run(cnt, cfg, Request{Name: "p", Kind: Density,
		Theta: RandomMorphingPoints(1000, Prior{Flat, -1, 1}, Prior{Flat, -1, 1}), N: 100000})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d events: %d passes, %d events read (%.2f × N)", n, cnt.Reads(), cnt.EventsRead(), float64(cnt.EventsRead())/float64(n))
	if cnt.Reads() > 2 || cnt.EventsRead() > 2*int64(n) {
		t.Errorf("file read %d times (%d events), want at most twice", cnt.Reads(), cnt.EventsRead())
	}
	if st.Passes != 2 {
		t.Errorf("Stats.Passes = %d", st.Passes)
	}
	if len(res[0].Points) != 1000 {
		t.Errorf("%d points", len(res[0].Points))
	}
	// Independent check of a few drawn events against the analytic model
	// dσ_i ∝ A_i(θ)², without morphing or block sums: σ, ∇σ by a direct
	// loop over the train events, the event found by its observables.
	r := res[0]
	start, end, _ := partition.Bounds(n, partition.Train, partition.Default())
	for row := 0; row < 3; row++ {
		th := r.Theta0[row*2 : row*2+2]
		var sig float64
		var gs [2]float64
		found := -1
		for i := start; i < end; i++ {
			a0, a1, a2, _ := src.coeffs(i)
			A := a0 + a1*th[0] + a2*th[1]
			sig += A * A
			gs[0] += 2 * A * a1
			gs[1] += 2 * A * a2
			if a1 == r.X[row*2] && a2 == r.X[row*2+1] {
				found = i
			}
		}
		if found < 0 {
			t.Fatalf("row %d: drawn event not in the train partition", row)
		}
		a0, a1, a2, _ := src.coeffs(found)
		A := a0 + a1*th[0] + a2*th[1]
		for p, ap := range []float64{a1, a2} {
			want := 2*ap/A - gs[p]/sig
			if got := r.TXZ0[row*2+p]; math.Abs(got-want) > 1e-8*math.Max(1, math.Abs(want)) {
				t.Errorf("row %d: t_xz[%d] = %.12g, analytic %.12g", row, p, got, want)
			}
		}
	}
}

// Negative weights are counted, never drawn, and the sample stays close to
// the clipped distribution.
func TestNegativeWeights(t *testing.T) {
	src := &synth{n: 20000, basis: synthBasis, negEvery: 7}
	cfg := synthConfig(t, 9)
	res, _, err := Run(src, cfg, Request{Name: "neg", Kind: Plain, Theta: MorphingPoint(0.9, -0.9), N: 5000})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.NegativeEvents == 0 {
		t.Fatal("no negative-weight events counted")
	}
	t.Logf("negative-weight events met: %d, negative blocks: %d", r.NegativeEvents, r.NegativeBlocks)
	// No drawn event has a negative weight: find events by their observables.
	type key [2]float64
	neg := map[key]bool{}
	_ = src.Read(0, src.n, 0, func(b *Batch) error {
		for i := 0; i < b.Len; i++ {
			if src.weight(b.Start+i, []float64{0.9, -0.9}) < 0 {
				neg[key{b.X[2*i], b.X[2*i+1]}] = true
			}
		}
		return nil
	})
	if len(neg) == 0 {
		t.Fatal("synthetic file has no negative weights at θ")
	}
	for row := 0; row < r.N; row++ {
		if neg[key{r.X[2*row], r.X[2*row+1]}] {
			t.Fatalf("row %d: drew an event with negative weight", row)
		}
	}
}

// With several samples in the file, a point is sampled only from the events
// of the closest benchmark, and σ is computed over them.
func TestClosestBenchmark(t *testing.T) {
	// Events alternate between samples generated at benchmarks 0 and 3.
	src := &synth{n: 40000, basis: synthBasis, ids: func(i int) int { return 3 * (i % 2) }}
	cfg := synthConfig(t, 3)
	theta := []float64{0.9, 0.8} // closest to benchmark 3 = (1, 1)
	res, _, err := Run(src, cfg, Request{Name: "c", Kind: Local, Theta: MorphingPoint(theta...), N: 2000})
	if err != nil {
		t.Fatal(err)
	}
	p := res[0].Points[0]
	if p.Closest != 3 {
		t.Errorf("sampled from benchmark %d, want 3", p.Closest)
	}
	// σ over the odd events with factor N_3/N_{3,train}.
	start, end, _ := partition.Bounds(src.n, partition.Train, partition.Default())
	var s float64
	var inPart int
	for i := start; i < end; i++ {
		if i%2 == 1 {
			s += src.weight(i, theta)
			inPart++
		}
	}
	s *= float64(src.n/2) / float64(inPart)
	if e := relErr(p.Xsec, s); e > 1e-12 {
		t.Errorf("σ = %.17g, want %.17g over the closest sample", p.Xsec, s)
	}
	// All drawn events are odd: a1 of odd events only.
	odd := map[float64]bool{}
	for i := 1; i < src.n; i += 2 {
		_, a1, _, _ := src.coeffs(i)
		odd[a1] = true
	}
	for row := 0; row < res[0].N; row++ {
		if !odd[res[0].X[2*row]] {
			t.Fatalf("row %d drawn from another sample", row)
		}
	}
	// With AllBenchmarks both samples are combined with fractions 1/2.
	cfg.AllBenchmarks = true
	res, _, err = Run(src, cfg, Request{Name: "c", Kind: Local, Theta: MorphingPoint(theta...), N: 100})
	if err != nil {
		t.Fatal(err)
	}
	var all float64
	for i := start; i < end; i++ {
		all += src.weight(i, theta)
	}
	all *= 0.5 * float64(src.n/2) / float64(inPart)
	if e := relErr(res[0].Points[0].Xsec, all); e > 1e-12 {
		t.Errorf("σ = %.17g, want %.17g over both samples", res[0].Points[0].Xsec, all)
	}
}

// One sample's AllBenchmarks (a card's sample_only_from_closest_benchmark:
// false) applies to that sample only: a sample next to it keeps sampling
// from the closest benchmark, with the same cross sections and draws as
// when it is run alone. So does one sample's MinNEff.
func TestPerSampleOptions(t *testing.T) {
	src := &synth{n: 40000, basis: synthBasis, ids: func(i int) int { return 3 * (i % 2) }}
	cfg := synthConfig(t, 3)
	local := Request{Name: "local", Kind: Local, Theta: MorphingPoint(0.9, 0.8), N: 1000}
	alone, _, err := Run(src, cfg, local)
	if err != nil {
		t.Fatal(err)
	}
	all := Request{Name: "all", Kind: Plain, Theta: MorphingPoints([][]float64{{0.9, 0.8}, {0.1, 0.2}}), N: 1000, AllBenchmarks: true}
	both, _, err := Run(src, cfg, all, local)
	if err != nil {
		t.Fatal(err)
	}
	a, b := alone[0], both[1]
	if b.Points[0].Closest != 3 || b.Points[0].Xsec != a.Points[0].Xsec || b.Points[0].NEff != a.Points[0].NEff {
		t.Errorf("next to an AllBenchmarks sample: %+v, alone %+v", b.Points[0], a.Points[0])
	}
	if both[0].Points[0].Closest != -2 || both[0].Points[0].Xsec == a.Points[0].Xsec {
		t.Errorf("AllBenchmarks sample: %+v", both[0].Points[0])
	}
	if n := a.Points[0].NEff; n < 1000 {
		t.Fatalf("n_eff %v too small for the test", n)
	} else {
		strict := local
		strict.MinNEff = 2 * n
		if _, _, err := Run(src, cfg, all, strict); err == nil || !strings.Contains(err.Error(), `sample "local"`) {
			t.Errorf("MinNEff of one sample: %v", err)
		}
		loose := all
		loose.MinNEff = 1
		if _, _, err := Run(src, cfg, loose, local); err != nil {
			t.Errorf("MinNEff of one sample applied to another: %v", err)
		}
	}
}

var sinkRes []*Result

// BenchmarkManyTheta shows the cost against the number of parameter points
// at 100 draws each, on a 1M-event synthetic file generated on the fly (the
// generation is part of both passes and the same for every n_θ).
func BenchmarkManyTheta(b *testing.B) {
	src := &synth{n: 1000000, basis: synthBasis}
	cfg := synthConfig(b, 1)
	for _, nt := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("ntheta=%d", nt), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, st, err := Run(src, cfg, Request{Name: "b", Kind: Density,
					Theta: RandomMorphingPoints(nt, Prior{Flat, -1, 1}, Prior{Flat, -1, 1}), N: 100 * nt})
				if err != nil {
					b.Fatal(err)
				}
				if st.Passes != 2 {
					b.Fatalf("%d passes", st.Passes)
				}
				sinkRes = res
			}
		})
	}
}

// The nuisance part of the joint score at ν = 0 equals the derivative of
// log(dσ_i(θ,ν)/σ(θ,ν)) in ν, with dσ_i(θ,ν) = dσ_i(θ) exp(a_i ν + b_i ν²)
// and σ(θ,ν) summed directly over the train events.
func TestNuisanceScore(t *testing.T) {
	src := &synth{n: 4000, basis: synthBasis, nuisance: true}
	cfg := synthConfig(t, 8)
	nm, err := morphing.NewNuisanceMorpher(0, []int{6}, []int{7})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Nuisance = nm
	theta := []float64{0.4, -0.3}
	res, _, err := Run(src, cfg, Request{Name: "l", Kind: Local, Theta: MorphingPoint(theta...), N: 200})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.NScore != 3 || len(r.TXZ0) != 3*r.N {
		t.Fatalf("score width %d", r.NScore)
	}
	start, end, _ := partition.Bounds(src.n, partition.Train, partition.Default())
	byA1 := map[float64]int{}
	for i := start; i < end; i++ {
		_, a1, _, _ := src.coeffs(i)
		byA1[a1] = i
	}
	logp := func(ev int) func(float64) float64 {
		return func(nu float64) float64 {
			var sig float64
			for i := start; i < end; i++ {
				al, be := src.nuCoeffs(i)
				sig += src.weight(i, theta) * math.Exp(al*nu+be*nu*nu)
			}
			al, be := src.nuCoeffs(ev)
			return math.Log(src.weight(ev, theta) * math.Exp(al*nu+be*nu*nu) / sig)
		}
	}
	for row := 0; row < 10; row++ {
		ev, ok := byA1[r.X[2*row]]
		if !ok {
			t.Fatalf("row %d: event not found", row)
		}
		want := fd.Derivative(logp(ev), 0, &fd.Settings{Formula: fd.Central, Step: 1e-4})
		if got := r.TXZ0[row*3+2]; math.Abs(got-want) > 1e-7 {
			t.Errorf("row %d: t_ν = %.10g, FD %.10g", row, got, want)
		}
	}
	// Without a nuisance morpher the score has only the θ components.
	cfg.Nuisance = nil
	res, _, err = Run(src, cfg, Request{Name: "l", Kind: Local, Theta: MorphingPoint(theta...), N: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].NScore != 2 {
		t.Errorf("score width %d without nuisance", res[0].NScore)
	}
}

// Bad weights are errors naming the event; warnings go to Config.Log.
func TestBadInputAndLog(t *testing.T) {
	cfg := synthConfig(t, 1)
	src := &MemSource{}
	for i := 0; i < 100; i++ {
		src.X = append(src.X, []float64{float64(i)})
		src.W = append(src.W, []float64{1, 1, 1, 1, 1, 1})
	}
	src.W[42] = []float64{1, math.NaN(), 1, 1, 1, 1}
	_, _, err := Run(src, cfg, Request{Name: "p", Kind: Plain, Theta: Benchmark(0), N: 10})
	if err == nil || !strings.Contains(err.Error(), "event 42") {
		t.Errorf("NaN weight: error %v, want one naming event 42", err)
	}
	src.W[42] = []float64{1, 1, 1}
	if _, _, err := Run(src, cfg, Request{Name: "p", Kind: Plain, Theta: Benchmark(0), N: 10}); err == nil {
		t.Error("short weight row: no error")
	}

	var log strings.Builder
	cfg.Log = &log
	neg := &synth{n: 5000, basis: synthBasis, negEvery: 5}
	res, _, err := Run(neg, cfg, Request{Name: "neg", Kind: Plain, Theta: MorphingPoint(0.9, -0.9), N: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].NegativeEvents == 0 || !strings.Contains(log.String(), "negative weight") {
		t.Errorf("no negative-weight warning in log %q", log.String())
	}
}

// Several partitions in one run: still two passes, and every sample stays
// inside its partition.
func TestPartitionsInOneRun(t *testing.T) {
	src := &synth{n: 30000, basis: synthBasis}
	cfg := synthConfig(t, 12)
	all, val := partition.All, partition.Validation
	res, st, err := Run(src, cfg,
		Request{Name: "train", Kind: Local, Theta: Benchmark(0), N: 3000},
		Request{Name: "val", Kind: Plain, Theta: MorphingPoint(0.3, 0.3), N: 3000, Partition: &val},
		Request{Name: "test", Kind: TestSample, Theta: Benchmarks(1, 2), N: 3000},
		Request{Name: "all", Kind: Plain, Theta: Benchmark(3), N: 3000, Partition: &all})
	if err != nil {
		t.Fatal(err)
	}
	if st.Passes != 2 || st.EventsRead != 2*int64(src.n) {
		t.Errorf("%d passes, %d events read", st.Passes, st.EventsRead)
	}
	index := map[float64]int{}
	for i := 0; i < src.n; i++ {
		_, a1, _, _ := src.coeffs(i)
		index[a1] = i
	}
	seen := map[partition.Partition][2]int{}
	for _, r := range res {
		lo, hi, _ := partition.Bounds(src.n, r.Partition, partition.Default())
		mn, mx := src.n, -1
		for row := 0; row < r.N; row++ {
			i := index[r.X[2*row]]
			if i < lo || i >= hi {
				t.Fatalf("%s: row %d is event %d outside [%d, %d)", r.Name, row, i, lo, hi)
			}
			mn, mx = min(mn, i), max(mx, i)
		}
		seen[r.Partition] = [2]int{mn, mx}
	}
	t.Logf("event ranges drawn: %v", seen)
	if r := seen[partition.All]; r[0] > 1000 || r[1] < src.n-1000 {
		t.Errorf("the all-events sample covers only %v", r)
	}
}

// Points with non-nominal ν: σ(θ,ν), the joint score in (θ, ν) and the joint
// ratio of drawn events against the analytic model, by finite differences of
// log(dσ_i(θ,ν)/σ(θ,ν)) with σ summed directly over the train events.
func TestRandomNuisance(t *testing.T) {
	src := &synth{n: 6000, basis: synthBasis, nuisance: true}
	cfg := synthConfig(t, 21)
	nm, err := morphing.NewNuisanceMorpher(0, []int{6}, []int{7})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Nuisance = nm
	res, st, err := Run(src, cfg,
		Request{Name: "d", Kind: Density, Theta: RandomMorphingPoints(4, Prior{Flat, -1, 1}, Prior{Flat, -1, 1}), Nu: &NuSpec{Random: true}, N: 400},
		Request{Name: "r", Kind: Ratio, Theta: MorphingPoint(0.3, 0.2), Nu: &NuSpec{Values: []float64{0.8}}, Theta1: Benchmark(0), N: 200})
	if err != nil {
		t.Fatal(err)
	}
	if st.Passes != 2 {
		t.Errorf("%d passes", st.Passes)
	}
	start, end, _ := partition.Bounds(src.n, partition.Train, partition.Default())
	byA1 := map[float64]int{}
	for i := start; i < end; i++ {
		_, a1, _, _ := src.coeffs(i)
		byA1[a1] = i
	}
	dsig := func(i int, x []float64) float64 { // x = (θ0, θ1, ν)
		al, be := src.nuCoeffs(i)
		return src.weight(i, x[:2]) * math.Exp(al*x[2]+be*x[2]*x[2])
	}
	logp := func(ev int) func([]float64) float64 {
		return func(x []float64) float64 {
			var sig float64
			for i := start; i < end; i++ {
				sig += dsig(i, x)
			}
			return math.Log(dsig(ev, x) / sig)
		}
	}
	d := res[0]
	if d.NTheta != 3 || d.NScore != 3 {
		t.Fatalf("NTheta %d NScore %d, want 3 and 3", d.NTheta, d.NScore)
	}
	nus := map[float64]bool{}
	for row := 0; row < 8; row++ {
		ev, ok := byA1[d.X[2*row]]
		if !ok {
			t.Fatalf("row %d: event not found", row)
		}
		x := d.Theta0[row*3 : row*3+3]
		nus[x[2]] = true
		want := fd.Gradient(nil, logp(ev), x, &fd.Settings{Formula: fd.Central, Step: 1e-4})
		for k := range want {
			if got := d.TXZ0[row*3+k]; math.Abs(got-want[k]) > 1e-6*math.Max(1, math.Abs(want[k])) {
				t.Errorf("row %d θν=%v: t[%d] = %.10g, FD %.10g", row, x, k, got, want[k])
			}
		}
	}
	if len(nus) < 2 {
		t.Errorf("ν not random across points: %v", nus)
	}
	// Ratio: r = [dσ_i(θ0,ν0)/σ(θ0,ν0)] / [dσ_i(θ1,0)/σ(θ1,0)].
	r := res[1]
	x0 := []float64{0.3, 0.2, 0.8}
	x1 := []float64{0, 0, 0}
	var s0, s1 float64
	for i := start; i < end; i++ {
		s0 += dsig(i, x0)
		s1 += dsig(i, x1)
	}
	for row := 0; row < r.N; row++ {
		ev := byA1[r.X[2*row]]
		want := (dsig(ev, x0) / s0) / (dsig(ev, x1) / s1)
		if e := relErr(r.RXZ[row], want); e > 1e-10 {
			t.Fatalf("row %d: r_xz %.15g, want %.15g", row, r.RXZ[row], want)
		}
		if r.Theta0[row*3+2] != 0.8 || r.Theta1[row*3+2] != 0 {
			t.Fatalf("row %d: θ0 %v θ1 %v", row, r.Theta0[row*3:row*3+3], r.Theta1[row*3:row*3+3])
		}
	}
}

// The unweighted sample at ν ≠ 0 follows dσ_i(θ) exp(a_i ν + b_i ν²): χ² of
// the a2 histogram, which the nuisance parameter shifts, against that
// weighting passes, against the nominal one fails.
func TestNuisanceChi2(t *testing.T) {
	src := &synth{n: 40000, basis: synthBasis, nuisance: true}
	cfg := synthConfig(t, 5)
	nm, err := morphing.NewNuisanceMorpher(0, []int{6}, []int{7})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Nuisance = nm
	const n, nb = 20000, 10
	theta := []float64{0.2, 0.1}
	res, _, err := Run(src, cfg, Request{Name: "p", Kind: Plain, Theta: MorphingPoint(theta...), Nu: &NuSpec{Values: []float64{1.5}}, N: n})
	if err != nil {
		t.Fatal(err)
	}
	bin := func(a2 float64) int { return min(int((a2+1)/2*nb), nb-1) }
	obs := make([]float64, nb)
	for row := 0; row < n; row++ {
		obs[bin(res[0].X[2*row+1])]++
	}
	start, end, _ := partition.Bounds(src.n, partition.Train, partition.Default())
	chi2 := func(nu float64) float64 {
		exp := make([]float64, nb)
		var tot float64
		for i := start; i < end; i++ {
			al, be := src.nuCoeffs(i)
			_, _, a2, _ := src.coeffs(i)
			w := src.weight(i, theta) * math.Exp(al*nu+be*nu*nu)
			exp[bin(a2)] += w
			tot += w
		}
		return pearsonChi2(obs, exp, tot, n)
	}
	limit := distuv.ChiSquared{K: nb - 1}.Quantile(0.999)
	good, wrong := chi2(1.5), chi2(0)
	t.Logf("χ² (%d dof, limit %.1f): ν=1.5 weights %.1f, nominal weights %.1f", nb-1, limit, good, wrong)
	if good > limit || wrong < limit {
		t.Errorf("χ² %.1f (want < %.1f), wrong weighting %.1f (want > %.1f)", good, limit, wrong, limit)
	}
}
