// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat/distuv"
)

// allDists uses every distribution of the tracer, with data-dependent
// control flow (the Bernoulli outcome and the Poisson count decide how many
// further draws happen). Its uniform draw has a θ-dependent support, so
// E[t] = 0 does not hold for it (see TestUniformSupportBoundary); the
// statistical tests use allDistsFixed.
func allDists(theta []Dual, t *Tracer) []float64 { return allDistsU(theta, t, true) }

func allDistsFixed(theta []Dual, t *Tracer) []float64 { return allDistsU(theta, t, false) }

func allDistsU(theta []Dual, t *Tracer, thetaSupport bool) []float64 {
	a := t.Normal(theta[0], Exp(theta[1]))
	b := t.Bernoulli(Sigmoid(theta[0].Sub(theta[1])))
	if b {
		a += t.Normal(Const(a), Const(0.5))
	}
	n := t.Poisson(Exp(theta[0].AddScalar(0.5)))
	s := 0.0
	for i := 0; i < n; i++ {
		s += t.Normal(theta[1].MulScalar(float64(i)), Const(1))
	}
	w := t.Exponential(Exp(theta[1]))
	c := t.Categorical([]Dual{Exp(theta[0]), Const(1), Square(theta[1]).AddScalar(0.5)})
	hi := Const(2)
	if thetaSupport {
		hi = Exp(theta[1]).AddScalar(1)
	}
	u := t.Uniform(Const(-1), hi)
	return []float64{a, float64(n), s, w, float64(c), u}
}

// allDistsLogProb evaluates log p(z|θ) of an allDists trace independently
// with gonum's distributions.
func allDistsLogProb(thetaSupport bool) func(tr *Trace, th []float64) float64 {
	return func(tr *Trace, th []float64) float64 { return allDistsLogProbU(tr, th, thetaSupport) }
}

func allDistsLogProbU(tr *Trace, th []float64, thetaSupport bool) float64 {
	d := tr.Draws
	i := 0
	next := func() float64 { v := d[i].Value; i++; return v }
	lp := 0.0
	a := next()
	lp += distuv.Normal{Mu: th[0], Sigma: math.Exp(th[1])}.LogProb(a)
	pb := 1 / (1 + math.Exp(-(th[0] - th[1])))
	if next() == 1 {
		lp += math.Log(pb)
		lp += distuv.Normal{Mu: a, Sigma: 0.5}.LogProb(next())
	} else {
		lp += math.Log(1 - pb)
	}
	n := next()
	lp += distuv.Poisson{Lambda: math.Exp(th[0] + 0.5)}.LogProb(n)
	for k := 0; k < int(n); k++ {
		lp += distuv.Normal{Mu: th[1] * float64(k), Sigma: 1}.LogProb(next())
	}
	lp += distuv.Exponential{Rate: math.Exp(th[1])}.LogProb(next())
	ws := []float64{math.Exp(th[0]), 1, th[1]*th[1] + 0.5}
	lp += math.Log(ws[int(next())] / (ws[0] + ws[1] + ws[2]))
	hi := 2.0
	if thetaSupport {
		hi = math.Exp(th[1]) + 1
	}
	lp += distuv.Uniform{Min: -1, Max: hi}.LogProb(next())
	return lp
}

// TestUniformSupportBoundary: for u ~ U(0, e^θ) the joint score is
// exactly −1 whatever u, so E[t] = −1 ≠ 0: with a θ-dependent support the
// boundary term breaks the zero-mean identity (documented at Uniform).
func TestUniformSupportBoundary(t *testing.T) {
	sim := func(th []Dual, tr *Tracer) []float64 { return []float64{tr.Uniform(Const(0), Exp(th[0]))} }
	for i := uint64(0); i < 10; i++ {
		r, err := Simulate(sim, []float64{0.3}, rand.NewPCG(i, 1))
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinAbsOrRel(r.Score[0], -1, 1e-14, 1e-14) || !scalar.EqualWithinAbsOrRel(r.LogProb, -0.3, 1e-14, 1e-14) {
			t.Errorf("U(0, e^0.3): log p %v, score %v; want −0.3, −1", r.LogProb, r.Score)
		}
		// Replayed where the value leaves the support: log p = −∞.
		re, err := Rescore(sim, r.Trace, []float64{math.Log(r.X[0] / 2)})
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsInf(re.LogProb, -1) {
			t.Errorf("value outside the support: log p %v", re.LogProb)
		}
	}
}

// galtonLogProb evaluates log p(z|θ) of a Galton trace with the default
// nail response written out in float64.
func galtonLogProb(rows int) func(tr *Trace, th []float64) float64 {
	return func(tr *Trace, th []float64) float64 {
		k, lp := 0, 0.0
		for r, d := range tr.Draws {
			v := float64(r) / float64(rows-1)
			u := float64(2*k-r) / float64(rows)
			s := math.Sin(math.Pi * v)
			p := (1-s)/2 + s/(1+math.Exp(-10*th[0]*u))
			if d.Value == 1 {
				lp += math.Log(p)
			} else {
				lp += math.Log(1 - p)
				k++
			}
		}
		return lp
	}
}

// gaussianLogProb evaluates log p(z|θ) of a Gaussian-toy trace.
func gaussianLogProb(g Gaussian) func(tr *Trace, th []float64) float64 {
	return func(tr *Trace, th []float64) float64 {
		sz, sx := g.sigmas()
		lp := 0.0
		for i := range th {
			z, x := tr.Draws[2*i].Value, tr.Draws[2*i+1].Value
			lp += distuv.Normal{Mu: th[i], Sigma: sz}.LogProb(z)
			lp += distuv.Normal{Mu: z, Sigma: sx}.LogProb(x)
		}
		return lp
	}
}

// lvLogProb evaluates log p(z|θ) of a Lotka–Volterra trace by replaying
// the jump chain in float64: each waiting time contributes
// log a0 − a0·Δt and each reaction log(a_j/a0).
func lvLogProb(lv LotkaVolterra) func(tr *Trace, th []float64) float64 {
	return func(tr *Trace, th []float64) float64 {
		x0, y0, _, _, _ := lv.config()
		x, y := float64(x0), float64(y0)
		c := []float64{math.Exp(th[0]), math.Exp(th[1]), math.Exp(th[2]), math.Exp(th[3])}
		lp := 0.0
		for _, d := range tr.Draws {
			a := []float64{c[0] * x * y, c[1] * x, c[2] * y, c[3] * x * y}
			a0 := a[0] + a[1] + a[2] + a[3]
			switch d.Dist {
			case ExponentialDist:
				lp += distuv.Exponential{Rate: a0}.LogProb(d.Value)
			case CategoricalDist:
				j := int(d.Value)
				lp += math.Log(a[j] / a0)
				switch j {
				case 0:
					x++
				case 1:
					x--
				case 2:
					y++
				case 3:
					y--
				}
			default:
				panic("unexpected draw")
			}
		}
		return lp
	}
}

type testModel struct {
	name           string
	sim            Simulator
	theta          []float64 // where FD checks run and E[t] is tested
	theta0, theta1 []float64 // for E_θ1[r(θ0,θ1)] = 1
	logp           func(tr *Trace, th []float64) float64
	nStat          int // runs for the statistical tests (0: not applicable)
}

var shortLV = LotkaVolterra{T: 1, Dt: 0.1}

func testModels() []testModel {
	g := Gaussian{SigmaZ: 1.2, SigmaX: 0.7}
	lvTheta1 := []float64{math.Log(0.011), math.Log(0.45), math.Log(1.05), math.Log(0.0095)}
	return []testModel{
		{"alldists", allDists, []float64{0.3, -0.2}, []float64{0.1, -0.3}, []float64{0.3, -0.2}, allDistsLogProb(true), 0},
		{"alldists-fixed", allDistsFixed, []float64{0.3, -0.2}, []float64{0.1, -0.3}, []float64{0.3, -0.2}, allDistsLogProb(false), 20000},
		{"gaussian", g.Simulate, []float64{0.5, -1}, []float64{0.2, -0.8}, []float64{0.5, -1}, gaussianLogProb(g), 20000},
		{"galton", Galton{}.Simulate, []float64{0.4}, []float64{0.2}, []float64{0.5}, galtonLogProb(20), 20000},
		{"lotka-volterra", shortLV.Simulate, LotkaVolterraTheta, LotkaVolterraTheta, lvTheta1, lvLogProb(shortLV), 1000},
	}
}

// TestTraceScoreFD: the traced joint score equals the finite-difference
// gradient of the traced log p(z|θ) of the same trace (replayed at θ±h),
// the traced log p equals an independent evaluation, and replaying at the
// θ of the run reproduces x, log p and the score exactly.
func TestTraceScoreFD(t *testing.T) {
	for _, m := range testModels() {
		for seed := uint64(1); seed <= 3; seed++ {
			run, err := Simulate(m.sim, m.theta, rand.NewPCG(seed, 7))
			if err != nil {
				t.Fatalf("%s: %v", m.name, err)
			}
			if want := m.logp(run.Trace, m.theta); !scalar.EqualWithinAbsOrRel(run.LogProb, want, 1e-9, 1e-11) {
				t.Errorf("%s seed %d: traced log p %v, independent %v", m.name, seed, run.LogProb, want)
			}
			re, err := Rescore(m.sim, run.Trace, m.theta)
			if err != nil {
				t.Fatalf("%s: %v", m.name, err)
			}
			if re.LogProb != run.LogProb || !slices.Equal(re.Score, run.Score) || !slices.Equal(re.X, run.X) {
				t.Errorf("%s seed %d: replay at the same θ differs: %v %v %v vs %v %v %v", m.name, seed,
					re.LogProb, re.Score, re.X, run.LogProb, run.Score, run.X)
			}
			lp := func(th []float64) float64 {
				r, err := Rescore(m.sim, run.Trace, th)
				if err != nil {
					t.Fatalf("%s: %v", m.name, err)
				}
				return r.LogProb
			}
			want := fd.Gradient(nil, lp, m.theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
			tol := 1e-6 * (1 + math.Abs(run.LogProb))
			for i := range want {
				if !scalar.EqualWithinAbsOrRel(run.Score[i], want[i], tol, 1e-6) {
					t.Errorf("%s seed %d: t_%d = %v, finite differences %v", m.name, seed, i, run.Score[i], want[i])
				}
			}
			// The joint ratio is exp of the difference of the independently
			// evaluated log densities.
			logR, t0, t1, err := JointRatio(m.sim, run.Trace, m.theta0, m.theta1)
			if err != nil {
				t.Fatal(err)
			}
			wantR := m.logp(run.Trace, m.theta0) - m.logp(run.Trace, m.theta1)
			if !scalar.EqualWithinAbsOrRel(math.Exp(logR), math.Exp(wantR), 1e-12, 1e-9) {
				t.Errorf("%s seed %d: r = %v, independent %v", m.name, seed, math.Exp(logR), math.Exp(wantR))
			}
			r0, _ := Rescore(m.sim, run.Trace, m.theta0)
			r1, _ := Rescore(m.sim, run.Trace, m.theta1)
			if !slices.Equal(t0, r0.Score) || !slices.Equal(t1, r1.Score) {
				t.Errorf("%s: JointRatio scores differ from Rescore", m.name)
			}
		}
	}
}

// meanSE returns the sample mean and its standard error.
func meanSE(v []float64) (m, se float64) {
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return m, math.Sqrt(s / float64(len(v)-1) / float64(len(v)))
}

// zStat is |mean − want| in units of the standard error.
func zStat(v []float64, want float64) float64 {
	m, se := meanSE(v)
	return math.Abs(m-want) / se
}

// TestScoreAndRatioExpectations checks E_θ[t(x,z|θ)] = 0 and
// E_θ1[r(x,z|θ0,θ1)] = 1 within 4 standard errors (fixed seeds). The same
// statistics with a deliberately wrong implementation (the ratio inverted,
// r(θ1,θ0) instead of r(θ0,θ1), i.e. a sign flip of log r; or the score
// evaluated at θ+δ instead of θ) must fail the same threshold, which shows
// that the test can fail.
func TestScoreAndRatioExpectations(t *testing.T) {
	for _, m := range testModels() {
		n := m.nStat
		if n == 0 {
			continue
		}
		if testing.Short() && m.name == "lotka-volterra" {
			n = 300
		}
		k := len(m.theta)
		ts := make([][]float64, k)
		tsWrong := make([][]float64, k)
		rs := make([]float64, n)
		rsWrong := make([]float64, n)
		shifted := append([]float64(nil), m.theta...)
		for i := range shifted {
			shifted[i] += 0.3
		}
		if m.name == "lotka-volterra" {
			for i := range shifted {
				shifted[i] = m.theta1[i]
			}
		}
		for i := 0; i < n; i++ {
			run, err := Simulate(m.sim, m.theta, rand.NewPCG(uint64(i), 11))
			if err != nil {
				t.Fatal(err)
			}
			wrong, err := Rescore(m.sim, run.Trace, shifted)
			if err != nil {
				t.Fatal(err)
			}
			for j := 0; j < k; j++ {
				ts[j] = append(ts[j], run.Score[j])
				tsWrong[j] = append(tsWrong[j], wrong.Score[j])
			}
			run1, err := Simulate(m.sim, m.theta1, rand.NewPCG(uint64(i), 13))
			if err != nil {
				t.Fatal(err)
			}
			logR, _, _, err := JointRatio(m.sim, run1.Trace, m.theta0, m.theta1)
			if err != nil {
				t.Fatal(err)
			}
			rs[i], rsWrong[i] = math.Exp(logR), math.Exp(-logR)
		}
		const thr = 4
		maxWrong := 0.0
		for j := 0; j < k; j++ {
			if z := zStat(ts[j], 0); z > thr {
				t.Errorf("%s: E[t_%d] deviates from 0 by %.1f standard errors", m.name, j, z)
			}
			maxWrong = math.Max(maxWrong, zStat(tsWrong[j], 0))
		}
		if maxWrong < thr {
			t.Errorf("%s: the score at a shifted θ passes E[t] = 0 (max z %.1f): the test has no power", m.name, maxWrong)
		}
		t.Logf("%s (n=%d): max z of E[t]=0 wrong %.1f; z of E[r]=1 %.2f, inverted %.1f", m.name, n, maxWrong, zStat(rs, 1), zStat(rsWrong, 1))
		if z := zStat(rs, 1); z > thr {
			mean, se := meanSE(rs)
			t.Errorf("%s: E_θ1[r] = %v ± %v (%.1f standard errors from 1)", m.name, mean, se, z)
		}
		if z := zStat(rsWrong, 1); z < thr {
			t.Errorf("%s: the inverted ratio passes E_θ1[r] = 1 (z %.1f): the test has no power", m.name, z)
		}
	}
}

// TestScoreFunctionIdentity checks d/dθ E_θ[f(x)] = E_θ[f(x)·t(x,z|θ)],
// with the left side exact: f(x) = x for the Gaussian toy (derivative 1)
// and f(x) = (x − 10)² for the Galton board (derivative from the exact
// Probs).
// Unlike E[t] = 0, this fails for a score with the wrong sign, which the
// test demonstrates.
func TestScoreFunctionIdentity(t *testing.T) {
	const n = 20000
	g := Galton{}
	theta := []float64{0.4}
	ps, err := g.Probs(theta)
	if err != nil {
		t.Fatal(err)
	}
	// f(x) = (x − 10)²: its expectation, the spread, depends strongly on θ.
	f := func(x float64) float64 { return (x - 10) * (x - 10) }
	dSpread := 0.0
	for k, p := range ps {
		dSpread += f(float64(k)) * p.D[0]
	}
	cases := []struct {
		name  string
		sim   Simulator
		theta []float64
		f     func(float64) float64
		want  float64
	}{
		{"gaussian", Gaussian{}.Simulate, []float64{0.3}, func(x float64) float64 { return x }, 1},
		{"galton", g.Simulate, theta, f, dSpread},
	}
	for _, c := range cases {
		v := make([]float64, n)
		for i := range v {
			run, err := Simulate(c.sim, c.theta, rand.NewPCG(uint64(i), 17))
			if err != nil {
				t.Fatal(err)
			}
			v[i] = c.f(run.X[0]) * run.Score[0]
		}
		if z := zStat(v, c.want); z > 4 {
			t.Errorf("%s: E[f(x) t] deviates from dE[f(x)]/dθ = %v by %.1f standard errors", c.name, c.want, z)
		}
		for i := range v {
			v[i] = -v[i]
		}
		if z := zStat(v, c.want); z < 4 {
			t.Errorf("%s: a sign-flipped score passes (z %.1f)", c.name, z)
		}
	}
}

func TestReplayErrors(t *testing.T) {
	run, err := Simulate(Galton{Rows: 5}.Simulate, []float64{0.1}, rand.NewPCG(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	// Too few draws in the trace.
	short := &Trace{Draws: run.Trace.Draws[:3]}
	if _, err := Rescore(Galton{Rows: 5}.Simulate, short, []float64{0.1}); err == nil || !strings.Contains(err.Error(), "only 3 draws") {
		t.Errorf("short trace: %v", err)
	}
	// Too many.
	if _, err := Rescore(Galton{Rows: 4}.Simulate, run.Trace, []float64{0.1}); err == nil || !strings.Contains(err.Error(), "made 4 draws") {
		t.Errorf("long trace: %v", err)
	}
	// Wrong distribution.
	if _, err := Rescore(Gaussian{}.Simulate, run.Trace, []float64{0.1}); err == nil || !strings.Contains(err.Error(), "Normal draw, the trace has Bernoulli") {
		t.Errorf("wrong kind: %v", err)
	}
	// Malformed recorded values.
	for _, tr := range []*Trace{
		{Draws: []Draw{{BernoulliDist, 0.5}, {BernoulliDist, 1}, {BernoulliDist, 1}, {BernoulliDist, 1}, {BernoulliDist, 1}}},
	} {
		if _, err := Rescore(Galton{Rows: 5}.Simulate, tr, []float64{0.1}); err == nil || !strings.Contains(err.Error(), "neither 0 nor 1") {
			t.Errorf("Bernoulli value 0.5: %v", err)
		}
	}
	pois := func(th []Dual, t *Tracer) []float64 { return []float64{float64(t.Poisson(Exp(th[0])))} }
	for _, v := range []float64{-1, 2.5, math.Inf(1)} {
		if _, err := Rescore(pois, &Trace{Draws: []Draw{{PoissonDist, v}}}, []float64{0}); err == nil || !strings.Contains(err.Error(), "not a count") {
			t.Errorf("Poisson value %v: %v", v, err)
		}
	}
	cat := func(th []Dual, t *Tracer) []float64 {
		return []float64{float64(t.Categorical([]Dual{Exp(th[0]), Const(1)}))}
	}
	if _, err := Rescore(cat, &Trace{Draws: []Draw{{CategoricalDist, 2}}}, []float64{0}); err == nil || !strings.Contains(err.Error(), "outside [0, 2)") {
		t.Errorf("categorical value 2: %v", err)
	}
	// Bad parameters abort with an error, not a panic.
	bad := []struct {
		name string
		sim  Simulator
	}{
		{"sd", func(th []Dual, t *Tracer) []float64 { return []float64{t.Normal(th[0], Const(-1))} }},
		{"p", func(th []Dual, t *Tracer) []float64 { t.Bernoulli(Const(1.5)); return nil }},
		{"rate", func(th []Dual, t *Tracer) []float64 { t.Exponential(Const(0)); return nil }},
		{"poisson", func(th []Dual, t *Tracer) []float64 { t.Poisson(Const(-1)); return nil }},
		{"weights", func(th []Dual, t *Tracer) []float64 { t.Categorical([]Dual{Const(0), Const(0)}); return nil }},
		{"uniform", func(th []Dual, t *Tracer) []float64 { t.Uniform(Const(1), Const(1)); return nil }},
		{"nan", func(th []Dual, t *Tracer) []float64 { return []float64{math.NaN()} }},
	}
	for _, b := range bad {
		if _, err := Simulate(b.sim, []float64{0}, rand.NewPCG(1, 1)); err == nil || !strings.HasPrefix(err.Error(), "simulators: ") {
			t.Errorf("%s: error %v", b.name, err)
		}
	}
	errBad := errors.New("bad state")
	failing := func(th []Dual, t *Tracer) []float64 { t.Normal(th[0], Const(1)); t.Fail(errBad); return nil }
	if _, err := Simulate(failing, []float64{0}, rand.NewPCG(1, 1)); !errors.Is(err, errBad) || !strings.Contains(err.Error(), "draw 1") {
		t.Errorf("Fail: %v", err)
	}
	if _, err := Simulate(Galton{}.Simulate, nil, rand.NewPCG(1, 1)); err == nil {
		t.Error("no parameters accepted")
	}
	if _, err := Simulate(Galton{}.Simulate, []float64{math.Inf(1)}, rand.NewPCG(1, 1)); err == nil {
		t.Error("infinite parameter accepted")
	}
	if _, err := Simulate(LotkaVolterra{}.Simulate, []float64{0}, rand.NewPCG(1, 1)); err == nil {
		t.Error("Lotka–Volterra with one parameter accepted")
	}
}

func TestSimulateReproducible(t *testing.T) {
	for _, m := range testModels() {
		a, err := Simulate(m.sim, m.theta, rand.NewPCG(5, 5))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Simulate(m.sim, m.theta, rand.NewPCG(5, 5))
		c, _ := Simulate(m.sim, m.theta, rand.NewPCG(6, 5))
		if !slices.Equal(a.X, b.X) || a.LogProb != b.LogProb {
			t.Errorf("%s: same seed, different results", m.name)
		}
		if slices.Equal(a.X, c.X) && a.LogProb == c.LogProb {
			t.Errorf("%s: different seeds, same results", m.name)
		}
	}
}
