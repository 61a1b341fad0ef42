// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"
)

// Settings configures Scan and Calibrate. A nil *Settings means defaults.
type Settings struct {
	// DoF is the number of degrees of freedom of Wilks' χ²; 0 means the
	// number of physics parameters.
	DoF int
	// GridOnly takes the best fit from the grid points only (MadMiner).
	GridOnly bool
	// FixNuisance fixes the nuisance parameters at 0 instead of profiling.
	FixNuisance bool
	// Progress receives one line per stage; nil is silent.
	Progress io.Writer
	// Bounds, if not nil, confines the continuous best fit of the physics
	// parameters to these [min, max] ranges (usually the scanned grid), so
	// that a learned likelihood cannot pull the fit into a region it was
	// never trained on.
	Bounds [][2]float64
}

// inBounds reports whether the physics parameters lie within b.
func inBounds(x []float64, b [][2]float64) bool {
	for p, r := range b {
		if p < len(x) && (x[p] < r[0] || x[p] > r[1]) {
			return false
		}
	}
	return true
}

func (s *Settings) orDefault() *Settings {
	if s == nil {
		return &Settings{}
	}
	return s
}

// Result is a p-value scan, as written to limits.json.
type Result struct {
	// Name names the scan (the card's scans[].name), Mode its likelihood.
	Name       string      `json:"name,omitempty"`
	Mode       string      `json:"mode,omitempty"`
	Parameters []string    `json:"parameters,omitempty"`
	Points     [][]float64 `json:"theta_grid"`
	// LogLikelihood is the profiled log L (with the nuisance constraint)
	// at each point; Kin and Rate are its two parts.
	LogLikelihood     Floats      `json:"log_likelihood"`
	LogLikelihoodKin  Floats      `json:"log_likelihood_kin"`
	LogLikelihoodRate Floats      `json:"log_likelihood_rate"`
	Nuisance          [][]float64 `json:"nuisance_profiled,omitempty"`
	Q                 Floats      `json:"q"`
	PValues           Floats      `json:"p_values"`
	DoF               int         `json:"dof"`
	GridBest          int         `json:"grid_best_index"`
	// BestFit is (θ̂, ν̂) of the global best fit and BestLogLikelihood its
	// log L.
	BestFit           []float64     `json:"best_fit"`
	BestLogLikelihood float64       `json:"best_log_likelihood"`
	Continuous        bool          `json:"best_fit_continuous"`
	Calibrations      []Calibration `json:"calibrations,omitempty"`
}

// Label returns the scan's name, or its mode if it has none.
func (r *Result) Label() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Mode
}

// Inside returns the numbers of grid points inside the 68% and the 95%
// CL regions (p > 0.32 and p > 0.05).
func (r *Result) Inside() (n68, n95 int) {
	for _, p := range r.PValues {
		if p > 0.32 {
			n68++
		}
		if p > 0.05 {
			n95++
		}
	}
	return n68, n95
}

// PValueAt returns the p-value at the grid point theta (within a relative
// 1e-9), and false if theta is not a point of the scan.
func (r *Result) PValueAt(theta []float64) (float64, bool) {
	for k, pt := range r.Points {
		if len(pt) != len(theta) {
			continue
		}
		same := true
		for j, v := range pt {
			if math.Abs(v-theta[j]) > 1e-9*math.Max(1, math.Abs(theta[j])) {
				same = false
				break
			}
		}
		if same && k < len(r.PValues) {
			return r.PValues[k], true
		}
	}
	return 0, false
}

// objective wraps a bound likelihood into −log L with the constraint.
type objective struct {
	ll  LogLikelihood
	np  int
	err error
}

// nll returns −log L(θ, ν) + ½|ν|², and the parts of log L.
func (o *objective) nll(params []float64) (f, kin, rate float64) {
	kin, rate, err := o.ll(params)
	if err != nil {
		if o.err == nil {
			o.err = err
		}
		return math.Inf(1), kin, rate
	}
	c := 0.0
	for _, v := range params[o.np:] {
		c += 0.5 * v * v
	}
	f = -(kin + rate) + c
	if math.IsNaN(f) {
		f = math.Inf(1)
	}
	return f, kin, rate
}

// minimize minimises f from x0 with Nelder–Mead, then polishes with BFGS
// on central finite-difference gradients, keeping the better result.
func minimize(f func([]float64) float64, x0 []float64) ([]float64, float64) {
	best := append([]float64(nil), x0...)
	fbest := f(best)
	if len(x0) == 0 {
		return best, fbest
	}
	p := optimize.Problem{Func: f}
	set := &optimize.Settings{
		FuncEvaluations: 20000,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-11, Relative: 1e-15, Iterations: 200},
	}
	nm := &optimize.NelderMead{}
	if r, err := optimize.Minimize(p, x0, set, nm); r != nil && (err == nil || !math.IsNaN(r.F)) && r.F < fbest {
		best, fbest = append([]float64(nil), r.X...), r.F
	}
	step := make([]float64, len(x0))
	grad := func(g, x []float64) {
		for i := range step {
			step[i] = 1e-5 * math.Max(1, math.Abs(x[i]))
		}
		// Central differences with a per-coordinate step.
		for i := range x {
			xi := x[i]
			x[i] = xi + step[i]
			fp := f(x)
			x[i] = xi - step[i]
			fm := f(x)
			x[i] = xi
			g[i] = (fp - fm) / (2 * step[i])
		}
	}
	pg := optimize.Problem{Func: f, Grad: grad}
	set2 := &optimize.Settings{
		FuncEvaluations:   5000,
		GradientThreshold: 1e-9,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-15, Iterations: 20},
	}
	if r, err := optimize.Minimize(pg, best, set2, &optimize.BFGS{}); r != nil && (err == nil || !math.IsNaN(r.F)) && r.F < fbest {
		best, fbest = append([]float64(nil), r.X...), r.F
	}
	return best, fbest
}

// profile returns the minimum of −log L over ν at fixed θ.
func (o *objective) profile(theta, nu0 []float64, fix bool) (nu []float64, f, kin, rate float64) {
	nn := len(nu0)
	params := make([]float64, len(theta)+nn)
	copy(params, theta)
	if nn > 0 && !fix {
		g := func(x []float64) float64 {
			copy(params[len(theta):], x)
			v, _, _ := o.nll(params)
			return v
		}
		nu, _ = minimize(g, nu0)
	} else {
		nu = make([]float64, nn)
	}
	copy(params[len(theta):], nu)
	f, kin, rate = o.nll(params)
	return nu, f, kin, rate
}

// Scan evaluates the profile likelihood ratio on the points.
func Scan(model Model, data *Data, points [][]float64, s *Settings) (*Result, error) {
	s = s.orDefault()
	ll, err := model.Bind(data)
	if err != nil {
		return nil, err
	}
	np, nn := model.NumParams(), model.NumNuisance()
	if len(points) == 0 {
		return nil, errors.New("limits: no parameter points")
	}
	o := &objective{ll: ll, np: np}
	res := &Result{Points: points, DoF: s.DoF}
	if res.DoF == 0 {
		res.DoF = np
	}
	nll := make([]float64, len(points))
	nus := make([][]float64, len(points))
	res.LogLikelihoodKin = make([]float64, len(points))
	res.LogLikelihoodRate = make([]float64, len(points))
	nu0 := make([]float64, nn)
	for i, th := range points {
		if len(th) != np {
			return nil, fmt.Errorf("limits: point %d has %d parameters, model %d", i, len(th), np)
		}
		nu, f, kin, rate := o.profile(th, nu0, s.FixNuisance)
		if o.err != nil {
			return nil, o.err
		}
		nll[i], nus[i] = f, nu
		res.LogLikelihoodKin[i], res.LogLikelihoodRate[i] = kin, rate
		if s.Progress != nil && (i+1)%100 == 0 {
			fmt.Fprintf(s.Progress, "limits: %d/%d points\n", i+1, len(points))
		}
	}
	best := 0
	for i, f := range nll {
		if f < nll[best] {
			best = i
		}
	}
	if math.IsInf(nll[best], 1) {
		return nil, errors.New("limits: likelihood vanishes at every point")
	}
	res.GridBest = best
	res.BestFit = append(append([]float64(nil), points[best]...), nus[best]...)
	fbest := nll[best]
	if !s.GridOnly && model.Smooth() {
		x0 := res.BestFit
		var g func([]float64) float64
		if s.FixNuisance && nn > 0 {
			full := make([]float64, np+nn)
			g = func(x []float64) float64 {
				if !inBounds(x, s.Bounds) {
					return math.Inf(1)
				}
				copy(full, x)
				v, _, _ := o.nll(full)
				return v
			}
			x0 = x0[:np]
		} else {
			g = func(x []float64) float64 {
				if !inBounds(x, s.Bounds) {
					return math.Inf(1)
				}
				v, _, _ := o.nll(x)
				return v
			}
		}
		x, f := minimize(g, x0)
		if o.err != nil {
			return nil, o.err
		}
		if f < fbest {
			fbest = f
			res.BestFit = make([]float64, np+nn) // ν stays 0 when fixed
			copy(res.BestFit, x)
			res.Continuous = true
		}
	}
	res.BestLogLikelihood = -fbest
	chi := distuv.ChiSquared{K: float64(res.DoF)}
	res.LogLikelihood = make([]float64, len(points))
	res.Q = make([]float64, len(points))
	res.PValues = make([]float64, len(points))
	for i, f := range nll {
		res.LogLikelihood[i] = -f
		q := math.Max(2*(f-fbest), 0)
		res.Q[i] = q
		res.PValues[i] = chi.Survival(q)
	}
	if nn > 0 {
		res.Nuisance = nus
	}
	return res, nil
}

// Generator draws one pseudo-experiment.
type Generator func(rnd *rand.Rand) (*Data, error)

// Calibration compares the asymptotic and the toy-based distribution of
// q(θ) at one point.
type Calibration struct {
	Theta []float64 `json:"theta"`
	NToys int       `json:"n_toys"`
	// QObserved is q(θ) of the data; PAsymptotic its Wilks p-value and
	// PToys the fraction of toys with q ≥ QObserved (PToysError its
	// binomial standard error).
	QObserved   float64 `json:"q_observed"`
	PAsymptotic float64 `json:"p_asymptotic"`
	PToys       float64 `json:"p_toys"`
	PToysError  float64 `json:"p_toys_error"`
	// Coverage68 and Coverage95 are the fractions of toys whose q(θ) is
	// below Wilks' 68% and 95% thresholds.
	Coverage68 float64 `json:"coverage_68"`
	Coverage95 float64 `json:"coverage_95"`
	Q          Floats  `json:"q_toys,omitempty"`
}

// Toys configures Calibrate.
type Toys struct {
	// Generate draws one pseudo-experiment at Theta, the tested point.
	Generate Generator
	Theta    []float64
	// QObserved is q(Theta) of the data.
	QObserved float64
	// N is the number of toys; Seed makes them reproducible.
	N    int
	Seed uint64
}

// Calibrate draws toys.N pseudo-experiments at toys.Theta, computes
// q(Theta) for each with the same procedure as Scan over points (profiled
// nuisance parameters, best fit started from the best of points), and
// compares them with toys.QObserved.
func Calibrate(model Model, points [][]float64, toys Toys, s *Settings) (*Calibration, error) {
	gen, theta, qObs, nToys, seed := toys.Generate, toys.Theta, toys.QObserved, toys.N, toys.Seed
	if gen == nil || nToys < 1 {
		return nil, fmt.Errorf("limits: calibration needs a generator and at least one toy (got %d)", nToys)
	}
	s = s.orDefault()
	rnd := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	dof := s.DoF
	if dof == 0 {
		dof = model.NumParams()
	}
	chi := distuv.ChiSquared{K: float64(dof)}
	c := &Calibration{Theta: append([]float64(nil), theta...), NToys: nToys, QObserved: qObs, PAsymptotic: chi.Survival(qObs)}
	t68, t95 := chi.Quantile(0.68), chi.Quantile(0.95)
	pts := append([][]float64{theta}, points...)
	for t := 0; t < nToys; t++ {
		d, err := gen(rnd)
		if err != nil {
			return nil, fmt.Errorf("limits: toy %d: %w", t, err)
		}
		r, err := Scan(model, d, pts, s)
		if err != nil {
			return nil, fmt.Errorf("limits: toy %d: %w", t, err)
		}
		q := r.Q[0]
		c.Q = append(c.Q, q)
		if q >= qObs {
			c.PToys++
		}
		if q < t68 {
			c.Coverage68++
		}
		if q < t95 {
			c.Coverage95++
		}
		if s.Progress != nil && (t+1)%100 == 0 {
			fmt.Fprintf(s.Progress, "limits: %d/%d toys\n", t+1, nToys)
		}
	}
	n := float64(nToys)
	c.PToys /= n
	c.Coverage68 /= n
	c.Coverage95 /= n
	c.PToysError = math.Sqrt(c.PToys * (1 - c.PToys) / n)
	return c, nil
}

// Nearest returns the index of the point closest to theta (Euclidean).
func Nearest(points [][]float64, theta []float64) int {
	best, bd := 0, math.Inf(1)
	for i, p := range points {
		var d float64
		for k := range p {
			d += (p[k] - theta[k]) * (p[k] - theta[k])
		}
		if d < bd {
			best, bd = i, d
		}
	}
	return best
}
