// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"fmt"
	"math"
	"slices"
)

// Model is a built-in simulator with, where known, its exact likelihood.
type Model struct {
	Name     string
	Simulate Simulator
	// NObs is the number of observables per event.
	NObs int
	// LogLikelihood, if not nil, returns log p(x|θ) of one event and its
	// score ∇_θ log p(x|θ).
	LogLikelihood func(x, theta []float64) (float64, []float64, error)
	// LogLikelihoodRows, if not nil, writes log p(x_i|θ) of the events x
	// (row-major, NObs values each) into dst, computing what depends on θ
	// alone once.
	LogLikelihoodRows func(dst, x, theta []float64) error
}

// knownSettings returns the settings of the built-in simulator name.
func knownSettings(name string) ([]string, bool) {
	switch name {
	case "gaussian":
		return []string{"sigma_z", "sigma_x"}, true
	case "galton":
		return []string{"rows"}, true
	case "lotka_volterra":
		return []string{"x0", "y0", "t", "dt", "max_events"}, true
	}
	return nil, false
}

// Names returns the names of the built-in simulators.
func Names() []string { return []string{"galton", "gaussian", "lotka_volterra"} }

// Builtin returns the built-in simulator name with the given settings
// (absent settings take the simulator's defaults) for nParams parameters:
//
//	gaussian        (sigma_z, sigma_x)  any number of parameters, one observable each; exact likelihood
//	galton          (rows)              one parameter, the slot index; exact likelihood (Galton.Probs)
//	lotka_volterra  (x0, y0, t, dt, max_events)  four log-rates, nine summary statistics
//
// An unknown name or setting, or a wrong number of parameters, is an
// error.
func Builtin(name string, config map[string]float64, nParams int) (*Model, error) {
	known, ok := knownSettings(name)
	if !ok {
		return nil, fmt.Errorf("simulators: unknown simulator %q (want %v)", name, Names())
	}
	for k := range config {
		if !slices.Contains(known, k) {
			return nil, fmt.Errorf("simulators: simulator %s has no setting %q (known: %v)", name, k, known)
		}
	}
	cfg := func(key string) float64 { return config[key] }
	switch name {
	case "gaussian":
		g := Gaussian{SigmaZ: cfg("sigma_z"), SigmaX: cfg("sigma_x")}
		m := &Model{Name: name, Simulate: g.Simulate, NObs: nParams, LogLikelihood: func(x, theta []float64) (float64, []float64, error) {
			lp, s := g.LogLikelihood(nil, x, theta)
			return lp, s, nil
		}}
		m.LogLikelihoodRows = func(dst, x, theta []float64) error {
			score := make([]float64, nParams)
			for i := range dst {
				dst[i], _ = g.LogLikelihood(score, x[i*nParams:(i+1)*nParams], theta[:nParams])
			}
			return nil
		}
		return m, nil
	case "galton":
		if nParams != 1 {
			return nil, fmt.Errorf("simulators: the Galton board has one parameter, not %d", nParams)
		}
		g := Galton{Rows: int(cfg("rows"))}
		m := &Model{Name: name, Simulate: g.Simulate, NObs: 1, LogLikelihood: g.LogLikelihood}
		m.LogLikelihoodRows = func(dst, x, theta []float64) error {
			ps, err := g.Probs(theta[:1])
			if err != nil {
				return err
			}
			for i := range dst {
				k := int(x[i])
				if float64(k) != x[i] || k < 0 || k >= len(ps) {
					return fmt.Errorf("simulators: x = %v is not a slot of the board", x[i])
				}
				dst[i] = math.Log(ps[k].V)
			}
			return nil
		}
		return m, nil
	default: // lotka_volterra
		if nParams != 4 {
			return nil, fmt.Errorf("simulators: Lotka–Volterra has four (log-rate) parameters, not %d", nParams)
		}
		lv := LotkaVolterra{X0: int(cfg("x0")), Y0: int(cfg("y0")), T: cfg("t"), Dt: cfg("dt"), MaxEvents: int(cfg("max_events"))}
		return &Model{Name: name, Simulate: lv.Simulate, NObs: 9}, nil
	}
}

// Scores returns the exact score ∇_θ log p(x_i|θ) of every event of x
// (row-major, NObs values each), nParams values per event.
func (m *Model) Scores(x, theta []float64) ([]float64, error) {
	if m.LogLikelihood == nil {
		return nil, fmt.Errorf("simulators: simulator %s has no known likelihood", m.Name)
	}
	n := len(x) / m.NObs
	t := make([]float64, n*len(theta))
	for i := 0; i < n; i++ {
		_, sc, err := m.LogLikelihood(x[i*m.NObs:(i+1)*m.NObs], theta)
		if err != nil {
			return nil, err
		}
		copy(t[i*len(theta):], sc)
	}
	return t, nil
}
