// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import "math"

// LotkaVolterra is the stochastic Lotka–Volterra predator–prey model as a
// Markov jump process, simulated exactly with Gillespie's algorithm. With
// X predators, Y prey and θ = (log c1, log c2, log c3, log c4):
//
//	predator born   rate c1·X·Y   X → X+1
//	predator dies   rate c2·X     X → X−1
//	prey born       rate c3·Y     Y → Y+1
//	prey eaten      rate c4·X·Y   Y → Y−1
//
// Each step draws the waiting time from Exponential(a0), a0 = Σ_j a_j, and
// the reaction from Categorical(a_1..a_4), both through the tracer, so the
// joint score and ratio cover the whole jump history. The step whose
// waiting time passes the end time T draws no reaction; the simulation
// also stops at extinction (a0 = 0, no draw) or after MaxEvents reactions.
//
// The populations are recorded every Dt from 0 to T. The observables x are
// the nine summary statistics used in the literature (e.g. Papamakarios,
// Sterratt, Murray, arXiv:1805.07226): log(1 + mean) and log(1 + variance)
// of each series (the 1 + keeps extinct series finite), the
// autocorrelations of each series at lags 1 and 2, and the
// cross-correlation of the two series at lag 0, in the order
//
//	logmean X, logmean Y, logvar X, logvar Y,
//	ac1 X, ac2 X, ac1 Y, ac2 Y, cross(X, Y).
//
// A constant series has autocorrelations and cross-correlation 0.
type LotkaVolterra struct {
	// X0 and Y0 are the initial predator and prey counts; 0 means 50 and
	// 100.
	X0, Y0 int
	// T is the duration and Dt the recording interval; 0 means 30 and 0.2.
	T, Dt float64
	// MaxEvents caps the number of reactions; 0 means 100000.
	MaxEvents int
}

// LotkaVolterraTheta is the usual true parameter point
// θ = log(0.01, 0.5, 1, 0.01).
var LotkaVolterraTheta = []float64{math.Log(0.01), math.Log(0.5), math.Log(1), math.Log(0.01)}

func (lv LotkaVolterra) config() (x0, y0 int, tEnd, dt float64, maxEv int) {
	x0, y0, tEnd, dt, maxEv = lv.X0, lv.Y0, lv.T, lv.Dt, lv.MaxEvents
	if x0 == 0 {
		x0 = 50
	}
	if y0 == 0 {
		y0 = 100
	}
	if tEnd == 0 {
		tEnd = 30
	}
	if dt == 0 {
		dt = 0.2
	}
	if maxEv == 0 {
		maxEv = 100000
	}
	return
}

// Series runs the jump process and returns the recorded predator and prey
// counts at times 0, Dt, 2Dt, … ≤ T, and the number of reactions.
func (lv LotkaVolterra) Series(theta []Dual, t *Tracer) (xs, ys []float64, events int) {
	x0, y0, tEnd, dt, maxEv := lv.config()
	if len(theta) != 4 {
		t.fail("Lotka–Volterra needs 4 parameters, got %d", len(theta))
	}
	if x0 < 0 || y0 < 0 || !(tEnd > 0) || !(dt > 0) || maxEv < 0 {
		t.fail("Lotka–Volterra: bad configuration %+v", lv)
	}
	nrec := int(math.Floor(tEnd/dt+1e-9)) + 1
	xs, ys = make([]float64, nrec), make([]float64, nrec)
	c := make([]Dual, 4)
	for j := range c {
		c[j] = Exp(theta[j])
	}
	x, y := x0, y0
	now, i := 0.0, 0
	a := make([]Dual, 4)
	for events < maxEv {
		fx, fy := float64(x), float64(y)
		a[0] = c[0].MulScalar(fx * fy)
		a[1] = c[1].MulScalar(fx)
		a[2] = c[2].MulScalar(fy)
		a[3] = c[3].MulScalar(fx * fy)
		a0 := Sum(a...)
		if a0.V == 0 {
			break
		}
		next := now + t.Exponential(a0)
		for i < nrec && float64(i)*dt < next {
			xs[i], ys[i] = fx, fy
			i++
		}
		if next > tEnd {
			break
		}
		switch t.Categorical(a) {
		case 0:
			x++
		case 1:
			x--
		case 2:
			y++
		case 3:
			y--
		}
		now = next
		events++
	}
	for ; i < nrec; i++ {
		xs[i], ys[i] = float64(x), float64(y)
	}
	return xs, ys, events
}

// Simulate is the Simulator of the model; x holds the nine summary
// statistics.
func (lv LotkaVolterra) Simulate(theta []Dual, t *Tracer) []float64 {
	xs, ys, _ := lv.Series(theta, t)
	return LotkaVolterraStats(nil, xs, ys)
}

// LotkaVolterraStats writes the nine summary statistics of the predator
// series xs and prey series ys (same length ≥ 3) into dst (allocated if
// shorter than 9) and returns it. It panics if the lengths differ or are
// below 3.
func LotkaVolterraStats(dst, xs, ys []float64) []float64 {
	if len(xs) != len(ys) || len(xs) < 3 {
		panic("simulators: bad Lotka–Volterra series lengths")
	}
	if len(dst) < 9 {
		dst = make([]float64, 9)
	}
	mx, vx := meanVar(xs)
	my, vy := meanVar(ys)
	dst[0], dst[1] = math.Log1p(mx), math.Log1p(my)
	dst[2], dst[3] = math.Log1p(vx), math.Log1p(vy)
	dst[4], dst[5] = corr(xs, xs, mx, mx, vx, vx, 1), corr(xs, xs, mx, mx, vx, vx, 2)
	dst[6], dst[7] = corr(ys, ys, my, my, vy, vy, 1), corr(ys, ys, my, my, vy, vy, 2)
	dst[8] = corr(xs, ys, mx, my, vx, vy, 0)
	return dst[:9]
}

func meanVar(a []float64) (m, v float64) {
	for _, x := range a {
		m += x
	}
	m /= float64(len(a))
	for _, x := range a {
		v += (x - m) * (x - m)
	}
	return m, v / float64(len(a))
}

// corr is Σ_i (a_i − ma)(b_{i+lag} − mb) / (n √(va vb)), 0 for a constant
// series.
func corr(a, b []float64, ma, mb, va, vb float64, lag int) float64 {
	if va == 0 || vb == 0 {
		return 0
	}
	s := 0.0
	for i := 0; i+lag < len(a); i++ {
		s += (a[i] - ma) * (b[i+lag] - mb)
	}
	return s / (float64(len(a)) * math.Sqrt(va*vb))
}
