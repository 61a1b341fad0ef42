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

// bind binds model to the data, telling it the grid points in advance if
// it can evaluate them together (ML with LogRatioGrid).
func bind(model Model, data *Data, points [][]float64) (LogLikelihood, error) {
	if g, ok := model.(interface {
		bindPoints(*Data, [][]float64) (LogLikelihood, error)
	}); ok {
		return g.bindPoints(data, points)
	}
	return model.Bind(data)
}

// Scan evaluates the profile likelihood ratio on the points. It is
// ScanPoints over every point followed by MergeScan.
func Scan(model Model, data *Data, points [][]float64, s *Settings) (*Result, error) {
	s = s.orDefault()
	ll, err := bind(model, data, points)
	if err != nil {
		return nil, err
	}
	o := &objective{ll: ll, np: model.NumParams()}
	c, err := o.points(model, points, nil, s)
	if err != nil {
		return nil, err
	}
	return o.finish(model, points, []*ScanChunk{c}, s)
}

// points profiles the likelihood at the points of indices (nil: all).
func (o *objective) points(model Model, points [][]float64, indices []int, s *Settings) (*ScanChunk, error) {
	np, nn := model.NumParams(), model.NumNuisance()
	if len(points) == 0 {
		return nil, errors.New("limits: no parameter points")
	}
	if indices == nil {
		indices = make([]int, len(points))
		for i := range indices {
			indices[i] = i
		}
	}
	c := &ScanChunk{
		Indices: append([]int(nil), indices...),
		NLL:     make(ExactFloats, len(indices)),
		Kin:     make(ExactFloats, len(indices)),
		Rate:    make(ExactFloats, len(indices)),
	}
	if nn > 0 {
		c.Nuisance = make([]ExactFloats, len(indices))
	}
	nu0 := make([]float64, nn)
	for k, i := range indices {
		if i < 0 || i >= len(points) {
			return nil, fmt.Errorf("limits: point index %d outside the grid of %d points", i, len(points))
		}
		th := points[i]
		if len(th) != np {
			return nil, fmt.Errorf("limits: point %d has %d parameters, model %d", i, len(th), np)
		}
		nu, f, kin, rate := o.profile(th, nu0, s.FixNuisance)
		if o.err != nil {
			return nil, o.err
		}
		c.NLL[k], c.Kin[k], c.Rate[k] = f, kin, rate
		if nn > 0 {
			c.Nuisance[k] = nu
		}
		if s.Progress != nil && (k+1)%100 == 0 {
			fmt.Fprintf(s.Progress, "limits: %d/%d points\n", k+1, len(indices))
		}
	}
	return c, nil
}

// finish assembles the scan from chunks that cover every point once: the
// grid best fit over all chunks, the continuous best fit started from it
// (binding the model when o is nil), q and the p-values.
func (o *objective) finish(model Model, points [][]float64, chunks []*ScanChunk, s *Settings) (*Result, error) {
	np, nn := model.NumParams(), model.NumNuisance()
	n := len(points)
	if n == 0 {
		return nil, errors.New("limits: no parameter points")
	}
	nll := make([]float64, n)
	nus := make([][]float64, n)
	res := &Result{Points: points, DoF: s.DoF}
	if res.DoF == 0 {
		res.DoF = np
	}
	res.LogLikelihoodKin = make([]float64, n)
	res.LogLikelihoodRate = make([]float64, n)
	owner := make([]int, n)
	for i := range owner {
		owner[i] = -1
	}
	for ci, c := range chunks {
		if len(c.NLL) != len(c.Indices) || len(c.Kin) != len(c.Indices) || len(c.Rate) != len(c.Indices) ||
			(nn > 0 && len(c.Nuisance) != len(c.Indices)) {
			return nil, fmt.Errorf("limits: scan chunk %d: %d points but %d, %d, %d values and %d nuisance rows", ci, len(c.Indices), len(c.NLL), len(c.Kin), len(c.Rate), len(c.Nuisance))
		}
		for k, i := range c.Indices {
			if i < 0 || i >= n {
				return nil, fmt.Errorf("limits: scan chunk %d: point index %d outside the grid of %d points", ci, i, n)
			}
			if owner[i] >= 0 {
				return nil, fmt.Errorf("limits: point %d is in scan chunks %d and %d", i, owner[i], ci)
			}
			owner[i] = ci
			nll[i], res.LogLikelihoodKin[i], res.LogLikelihoodRate[i] = c.NLL[k], c.Kin[k], c.Rate[k]
			if nn > 0 {
				if len(c.Nuisance[k]) != nn {
					return nil, fmt.Errorf("limits: scan chunk %d, point %d: %d nuisance parameters, model %d", ci, i, len(c.Nuisance[k]), nn)
				}
				nus[i] = append([]float64(nil), c.Nuisance[k]...)
			} else {
				nus[i] = []float64{}
			}
		}
	}
	for i, c := range owner {
		if c < 0 {
			return nil, fmt.Errorf("limits: point %d is in no scan chunk", i)
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
		if o == nil {
			return nil, errors.New("limits: the continuous best fit needs the bound model")
		}
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
	res.LogLikelihood = make([]float64, n)
	res.Q = make([]float64, n)
	res.PValues = make([]float64, n)
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
	if toys.Generate == nil || toys.N < 1 {
		return nil, fmt.Errorf("limits: calibration needs a generator and at least one toy (got %d)", toys.N)
	}
	b, err := CalibrateBatch(model, points, toys, 0, ToyBatchRand(toys.Seed, 0), s)
	if err != nil {
		return nil, err
	}
	dof := s.orDefault().DoF
	if dof == 0 {
		dof = model.NumParams()
	}
	return MergeCalibration([]*ToyBatch{b}, toys.QObserved, dof)
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
