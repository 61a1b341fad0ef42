// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/limits/internal/mmdata"
)

// toyMorpher is a 2-parameter quadratic morphing with 6 basis points.
func toyMorpher(t testing.TB) (*mmdata.Morpher, [][]float64) {
	basis := [][]float64{{0, 0}, {1, 0}, {0, 1}, {-1, 0.5}, {0.7, -0.8}, {-0.4, -1}}
	m, err := mmdata.Quadratic2(basis)
	if err != nil {
		t.Fatal(err)
	}
	return m, basis
}

// toyDsigma is a positive differential cross section quadratic in θ.
func toyDsigma(x, th0, th1 float64) float64 {
	return math.Exp(-x*x/2) * ((1+0.8*th0*x)*(1+0.8*th0*x) + 0.5*th1*th1*x*x + 0.3*th1*x + 0.2)
}

// toyEvents returns n events with an observable x and benchmark weights.
func toyEvents(n int, basis [][]float64, seed uint64) (x, w []float64) {
	rnd := rand.New(rand.NewPCG(seed, seed+1))
	x = make([]float64, n)
	w = make([]float64, n*len(basis))
	for i := range x {
		x[i] = 4*rnd.Float64() - 2
		for b, th := range basis {
			w[i*len(basis)+b] = toyDsigma(x[i], th[0], th[1]) / float64(n)
		}
	}
	return x, w
}

func TestMorpherReproducesToy(t *testing.T) {
	m, basis := toyMorpher(t)
	x, w := toyEvents(10, basis, 1)
	theta := []float64{0.3, -0.2}
	wb := m.WeightsTo(nil, theta)
	for i := range x {
		got := 0.0
		for b := range wb {
			got += wb[b] * w[i*6+b]
		}
		if want := toyDsigma(x[i], theta[0], theta[1]) / 10; math.Abs(got-want) > 1e-12*want {
			t.Fatalf("event %d: morphed %g, want %g", i, got, want)
		}
	}
}

func TestTruthMatchesFiniteDifferences(t *testing.T) {
	m, basis := toyMorpher(t)
	x, w := toyEvents(500, basis, 2)
	theta := []float64{0.2, 0.1}
	tr := NewTruth(m, theta, &TruthSettings{Luminosity: 100})
	if err := tr.Add(len(x), w, nil, nil); err != nil {
		t.Fatal(err)
	}
	in, _ := tr.Information()
	// I = L Σ ∂dσ ∂dσ/dσ with the derivatives by central differences of
	// the analytic dσ.
	const h = 1e-5
	want := make([]float64, 4)
	for _, xi := range x {
		s := toyDsigma(xi, theta[0], theta[1]) / 500
		g := []float64{
			(toyDsigma(xi, theta[0]+h, theta[1]) - toyDsigma(xi, theta[0]-h, theta[1])) / (2 * h) / 500,
			(toyDsigma(xi, theta[0], theta[1]+h) - toyDsigma(xi, theta[0], theta[1]-h)) / (2 * h) / 500,
		}
		for a := 0; a < 2; a++ {
			for b := 0; b < 2; b++ {
				want[a*2+b] += 100 * g[a] * g[b] / s
			}
		}
	}
	for k := range want {
		if !relClose(flat(in)[k], want[k], 1e-7) {
			t.Errorf("I[%d] = %.12g, want %.12g", k, flat(in)[k], want[k])
		}
	}
}

// TestBinnedCovarianceFD checks the propagated covariance against the
// derivative of the information along each bin's uncertainty vector by
// central finite differences: cov = Σ_k v_k v_kᵀ, v_k = dI/dt at
// W_k → W_k + t U_k.
func TestBinnedCovarianceFD(t *testing.T) {
	m, basis := toyMorpher(t)
	x, w := toyEvents(3000, basis, 3)
	h, err := NewHistogram(6, []float64{-1, -0.3, 0.2, 1.1})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Add(len(x), [][]float64{x}, w, nil); err != nil {
		t.Fatal(err)
	}
	theta := []float64{-0.3, 0.4}
	in, err := h.Information(m, theta, 1000)
	if err != nil {
		t.Fatal(err)
	}
	W, W2 := h.Sums()
	nb := h.NumBins()
	want := make([]float64, 16)
	for k := 0; k < nb; k++ {
		const eps = 1e-4
		info := func(s float64) []float64 {
			w2 := append([]float64(nil), W...)
			for b := 0; b < 6; b++ {
				w2[k*6+b] += s * math.Sqrt(W2[k*6+b])
			}
			r, err := Binned(m, theta, 1000, nb, w2, nil, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			return flat(r)
		}
		p, q := info(eps), info(-eps)
		v := make([]float64, 4)
		for i := range v {
			v[i] = (p[i] - q[i]) / (2 * eps)
		}
		for a := 0; a < 4; a++ {
			for b := 0; b < 4; b++ {
				want[a*4+b] += v[a] * v[b]
			}
		}
	}
	for k := range want {
		if math.Abs(flatCov(in)[k]-want[k]) > 1e-6*math.Abs(want[k])+1e-9 {
			t.Errorf("cov[%d] = %.10g, finite differences %.10g", k, flatCov(in)[k], want[k])
		}
	}
}

// TestTruthCovarianceBootstrap checks the truth covariance against a
// Poisson bootstrap of the events (each event weight multiplied by a
// Poisson(1) count), whose spread is what the covariance describes.
func TestTruthCovarianceBootstrap(t *testing.T) {
	m, basis := toyMorpher(t)
	const n = 2000
	_, w := toyEvents(n, basis, 4)
	theta := []float64{0.1, -0.2}
	tr := NewTruth(m, theta, &TruthSettings{Luminosity: 50, Covariance: true})
	if err := tr.Add(n, w, nil, nil); err != nil {
		t.Fatal(err)
	}
	in, _ := tr.Information()
	rnd := rand.New(rand.NewPCG(7, 8))
	const reps = 600
	sum, sum2 := make([]float64, 4), make([]float64, 4)
	f := make([]float64, n)
	for r := 0; r < reps; r++ {
		for i := range f {
			f[i] = float64(poisson1(rnd))
		}
		bt := NewTruth(m, theta, &TruthSettings{Luminosity: 50})
		if err := bt.Add(n, w, f, nil); err != nil {
			t.Fatal(err)
		}
		bi, _ := bt.Information()
		for k, v := range flat(bi) {
			sum[k] += v
			sum2[k] += v * v
		}
	}
	for k := 0; k < 4; k++ {
		mean := sum[k] / reps
		varBoot := (sum2[k] - reps*mean*mean) / (reps - 1)
		got := flatCov(in)[k*4+k]
		// The relative standard error of a variance from 600 replicas is
		// about √(2/600) ≈ 6%; allow 20%. MadMiner's covariance (9×) fails.
		if math.Abs(got/varBoot-1) > 0.2 {
			t.Errorf("var(I[%d]): propagated %.6g, bootstrap %.6g", k, got, varBoot)
		}
	}
}

func poisson1(rnd *rand.Rand) int {
	l, k, p := math.Exp(-1), 0, 1.0
	for {
		p *= rnd.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// TestNuisanceClosedForm is MadMiner's only nuisance test: one parameter,
// one bin of N expected events whose rate changes by δ per unit θ, and a
// normalisation nuisance of relative size σ_sys. The profiled uncertainty
// must be √((1/N + σ_sys²)/δ²).
func TestNuisanceClosedForm(t *testing.T) {
	m := &mmdata.Morpher{Components: [][]int{{0}, {1}}, Matrix: [][]float64{{1, 0}, {-1, 1}}}
	const lumi, nExp, delta = 1e5, 1e4, 0.05
	xsec := nExp / lumi
	for _, sys := range []float64{0, 0.02, 0.05, 0.1} {
		for _, exact := range []bool{true, false} {
			a := sys // ∂log dσ/∂ν = σ_sys: the closed form is exact
			if !exact {
				// MadMiner's nuisance benchmark at ν = 1 with weight
				// xsec·(1+σ_sys): a = log(1+σ_sys).
				a, _ = NuisanceCoefficients(xsec, xsec*(1+sys), math.NaN())
			}
			tr := NewTruth(m, []float64{0}, &TruthSettings{Luminosity: lumi, Nuisance: 1})
			if err := tr.Add(1, []float64{xsec, xsec * (1 + delta)}, nil, []float64{a}); err != nil {
				t.Fatal(err)
			}
			in, _ := tr.Information()
			if exact {
				in.AddGaussianConstraint(1, 1)
			} else {
				in.Add(NuisanceConstraint(1, 1))
			}
			p, err := Profile(in, []int{0})
			if err != nil {
				t.Fatal(err)
			}
			got := 1 / math.Sqrt(p.At(0, 0))
			want := math.Sqrt((1/nExp + sys*sys) / (delta * delta))
			tol := 1e-12
			if !exact {
				tol = 0.1 // MadMiner's tolerance for log(1+σ) ≈ σ
			}
			if !relClose(got, want, tol) {
				t.Errorf("σ_sys=%v exact=%v: Δθ = %.15g, closed form %.15g", sys, exact, got, want)
			}
		}
	}
}

// TestProfileCovarianceFD checks the linear propagation of the covariance
// through the Schur complement against finite differences.
func TestProfileCovarianceFD(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	const n = 4
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, rnd.NormFloat64())
		}
	}
	var s mat.Dense
	s.Mul(a, a.T())
	mx, cv := make([]float64, n*n), make([]float64, n*n*n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			mx[i*n+j] = s.At(i, j) + float64(n)*b2f(i == j)
		}
	}
	// Covariance from a few random symmetric perturbation directions.
	var dirs [][]float64
	for r := 0; r < 3; r++ {
		d := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := 0; j <= i; j++ {
				v := 0.1 * rnd.NormFloat64()
				d[i*n+j], d[j*n+i] = v, v
			}
		}
		dirs = append(dirs, d)
		for x := range d {
			for y := range d {
				cv[x*n*n+y] += d[x] * d[y]
			}
		}
	}
	in := newInformation(n, mx, cv)
	keep := []int{2, 0}
	p, err := Profile(in, keep)
	if err != nil {
		t.Fatal(err)
	}
	prof := complement(n, keep)
	want := make([]float64, 16)
	for _, d := range dirs {
		const eps = 1e-6
		plus := flat(in)
		minus := flat(in)
		for k := range d {
			plus[k] += eps * d[k]
			minus[k] -= eps * d[k]
		}
		sp, _, _ := schur(mat.NewSymDense(n, plus), keep, prof)
		sm, _, _ := schur(mat.NewSymDense(n, minus), keep, prof)
		v := make([]float64, 4)
		for k := range v {
			v[k] = (sp[k] - sm[k]) / (2 * eps)
		}
		for x := range v {
			for y := range v {
				want[x*4+y] += v[x] * v[y]
			}
		}
	}
	for k := range want {
		if math.Abs(flatCov(p)[k]-want[k]) > 1e-6*(math.Abs(want[k])+1e-3) {
			t.Errorf("profiled cov[%d] = %g, finite differences %g", k, flatCov(p)[k], want[k])
		}
	}
	// Projection keeps the sub-block.
	pr := Project(in, keep)
	if pr.At(0, 1) != in.At(2, 0) || pr.CovAt(0, 1, 1, 0) != in.CovAt(2, 0, 0, 2) {
		t.Error("projection does not pick the sub-block")
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestSallyExactScoreIsTruth: with the exact score t = ∇log p(x|θ) the SALLY
// information plus the rate information is the truth information.
func TestSallyExactScoreIsTruth(t *testing.T) {
	m, basis := toyMorpher(t)
	const n = 1000
	_, w := toyEvents(n, basis, 5)
	theta := []float64{0.4, 0.3}
	tr := NewTruth(m, theta, &TruthSettings{Luminosity: 10})
	if err := tr.Add(n, w, nil, nil); err != nil {
		t.Fatal(err)
	}
	truth, _ := tr.Information()
	rh, _ := NewHistogram(6)
	if err := rh.Add(n, nil, w, nil); err != nil {
		t.Fatal(err)
	}
	rate, err := rh.Information(m, theta, 10)
	if err != nil {
		t.Fatal(err)
	}
	sigma := rh.Sigma(m, theta)[0]
	wb := m.WeightsTo(nil, theta)
	dw := m.GradientsTo(nil, theta)
	tot, _ := rh.Sums()
	gs := []float64{0, 0} // ∇σ
	for b := 0; b < 6; b++ {
		gs[0] += dw[b] * tot[b]
		gs[1] += dw[6+b] * tot[b]
	}
	score := make([]float64, 2*n)
	noisy := [][]float64{make([]float64, 2*n), make([]float64, 2*n), make([]float64, 2*n)}
	rnd := rand.New(rand.NewPCG(3, 3))
	for i := 0; i < n; i++ {
		s, g0, g1 := 0.0, 0.0, 0.0
		for b := 0; b < 6; b++ {
			s += wb[b] * w[i*6+b]
			g0 += dw[b] * w[i*6+b]
			g1 += dw[6+b] * w[i*6+b]
		}
		score[2*i] = g0/s - gs[0]/sigma
		score[2*i+1] = g1/s - gs[1]/sigma
		for e := range noisy {
			noisy[e][2*i] = score[2*i] + 0.1*rnd.NormFloat64()
			noisy[e][2*i+1] = score[2*i+1] + 0.1*rnd.NormFloat64()
		}
	}
	sa := NewSally(m, theta, 10, 1, 2)
	if err := sa.Add(n, w, [][]float64{score}); err != nil {
		t.Fatal(err)
	}
	kin, err := sa.Kinematic(sigma)
	if err != nil {
		t.Fatal(err)
	}
	kin.Add(rate)
	for k := range flat(kin) {
		if !relClose(flat(kin)[k], flat(truth)[k], 1e-10) {
			t.Errorf("SALLY+rate [%d] = %.12g, truth %.12g", k, flat(kin)[k], flat(truth)[k])
		}
	}
	// Ensemble: covariance is the sample covariance of the members.
	en := NewSally(m, theta, 10, 3, 2)
	if err := en.Add(n, w, noisy); err != nil {
		t.Fatal(err)
	}
	ek, _ := en.Kinematic(sigma)
	mem := en.Members(sigma)
	for x := 0; x < 4; x++ {
		mu := (flat(mem[0])[x] + flat(mem[1])[x] + flat(mem[2])[x]) / 3
		v := 0.0
		for _, me := range mem {
			v += (flat(me)[x] - mu) * (flat(me)[x] - mu) / 2
		}
		if !relClose(flatCov(ek)[x*4+x], v, 1e-12) {
			t.Errorf("ensemble var[%d] = %g, want %g", x, flatCov(ek)[x*4+x], v)
		}
	}
}

func TestInfoHistogramSumsToTotal(t *testing.T) {
	m, basis := toyMorpher(t)
	const n = 800
	x, w := toyEvents(n, basis, 6)
	theta := []float64{0.1, 0.1}
	ih, err := NewInfoHistogram(m, theta, 10, []float64{-1, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := ih.Add(n, x, w, nil); err != nil {
		t.Fatal(err)
	}
	_, sigma, rate, full, err := ih.Result()
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTruth(m, theta, &TruthSettings{Luminosity: 10})
	_ = tr.Add(n, w, nil, nil)
	truth, _ := tr.Information()
	tot := make([]float64, 4)
	st := 0.0
	for k := range full {
		st += sigma[k]
		for j := range tot {
			tot[j] += flat(full[k])[j]
		}
		// Within a bin the kinematic information is at least the rate one.
		if full[k].At(0, 0) < rate[k].At(0, 0)*(1-1e-12) {
			t.Errorf("bin %d: full %g < rate %g", k, full[k].At(0, 0), rate[k].At(0, 0))
		}
	}
	for j := range tot {
		if !relClose(tot[j], flat(truth)[j], 1e-12) {
			t.Errorf("Σ bins I[%d] = %g, truth %g", j, tot[j], flat(truth)[j])
		}
	}
	rh, _ := NewHistogram(6)
	_ = rh.Add(n, nil, w, nil)
	if s := rh.Sigma(m, theta)[0]; !relClose(st, s, 1e-12) {
		t.Errorf("Σ bins σ = %g, total %g", st, s)
	}
}

func TestContourHasUnitDistance(t *testing.T) {
	in := &Information{Matrix: mat.NewSymDense(2, []float64{4, 1.5, 1.5, 2})}
	pts, err := Contour(in, []float64{1, -1}, 1, 16)
	if err != nil {
		t.Fatal(err)
	}
	for k, p := range pts {
		if d := Distance(in, []float64{p[0] - 1, p[1] + 1}); math.Abs(d-1) > 1e-12 {
			t.Errorf("point %d: d = %v", k, d)
		}
	}
	if _, err := Contour(&Information{Matrix: mat.NewSymDense(2, []float64{1, 2, 2, 1})}, []float64{0, 0}, 1, 4); err == nil {
		t.Error("indefinite information gave a contour")
	}
}

func TestBadInputErrors(t *testing.T) {
	m, basis := toyMorpher(t)
	_, w := toyEvents(5, basis, 9)
	w[3*6+2] = math.NaN()
	tr := NewTruth(m, []float64{0.1, 0.2}, nil)
	err := tr.Add(5, w, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "event 3") {
		t.Errorf("NaN weight: error %v, want one naming event 3", err)
	}
	h, _ := NewHistogram(6, []float64{0})
	err = h.Add(2, [][]float64{{0.5, math.NaN()}}, make([]float64, 12), nil)
	if err == nil || !strings.Contains(err.Error(), "event 1") {
		t.Errorf("NaN observable: error %v", err)
	}
	if _, err := NewHistogram(6, []float64{1, 0}); err == nil {
		t.Error("decreasing edges accepted")
	}
	if _, err := (&Truth{}).Information(); err != ErrNoEvents {
		t.Errorf("empty truth: %v", err)
	}
}

var sinkInfo *Information

func BenchmarkTruthAdd(b *testing.B) {
	m, basis := toyMorpher(b)
	const n = 10000
	_, w := toyEvents(n, basis, 1)
	for _, cov := range []bool{false, true} {
		name := "info"
		if cov {
			name = "info+cov"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				tr := NewTruth(m, []float64{0.1, 0.2}, &TruthSettings{Covariance: cov})
				_ = tr.Add(n, w, nil, nil)
				sinkInfo, _ = tr.Information()
			}
		})
	}
}

// TestCutsAndEfficiencies: a zero factor removes an event, a factor f
// scales its weights (the information is linear in them).
func TestCutsAndEfficiencies(t *testing.T) {
	m, basis := toyMorpher(t)
	const n = 300
	x, w := toyEvents(n, basis, 12)
	theta := []float64{0.2, -0.1}
	fac := make([]float64, n)
	var kept []float64
	for i := range fac {
		if x[i] > 0 {
			fac[i] = 0.7
			for _, v := range w[i*6 : (i+1)*6] {
				kept = append(kept, 0.7*v)
			}
		}
	}
	a := NewTruth(m, theta, &TruthSettings{Luminosity: 10, Covariance: true})
	if err := a.Add(n, w, fac, nil); err != nil {
		t.Fatal(err)
	}
	b := NewTruth(m, theta, &TruthSettings{Luminosity: 10, Covariance: true})
	if err := b.Add(len(kept)/6, kept, nil, nil); err != nil {
		t.Fatal(err)
	}
	ia, _ := a.Information()
	ib, _ := b.Information()
	for k := range flat(ia) {
		if !relClose(flat(ia)[k], flat(ib)[k], 1e-13) {
			t.Errorf("I[%d]: with factors %v, on the kept events %v", k, flat(ia)[k], flat(ib)[k])
		}
	}
	for k := range flatCov(ia) {
		if !relClose(flatCov(ia)[k], flatCov(ib)[k], 1e-12) {
			t.Errorf("cov[%d]: with factors %v, on the kept events %v", k, flatCov(ia)[k], flatCov(ib)[k])
		}
	}
}

// flat returns the information matrix, row-major.
func flat(in *Information) []float64 {
	n := in.Dim()
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			out[i*n+j] = in.At(i, j)
		}
	}
	return out
}

// flatCov returns the covariance, row-major n²×n².
func flatCov(in *Information) []float64 {
	m := in.Cov.SymmetricDim()
	out := make([]float64, m*m)
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			out[i*m+j] = in.Cov.At(i, j)
		}
	}
	return out
}
