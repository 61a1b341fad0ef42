// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"errors"
	"fmt"
	"math"
)

// Observable defines one observable, as MadMiner's add_observable.
type Observable struct {
	Name       string
	Definition string
	// Required drops events in which the observable is undefined (a
	// missing object or a non-finite value). Otherwise Default is used.
	Required bool
	// Default replaces an undefined value of an optional observable.
	// MadMiner's default None is NaN.
	Default float64
	// Func, if not nil, computes the observable in Go instead of
	// Definition (MadMiner's add_observable_from_function). An error
	// wrapping ErrMissingObject or ErrNotFinite makes the observable
	// undefined; other errors stop the analysis.
	Func func(ev *Event) (float64, error)
}

// Cut defines a selection cut, as MadMiner's add_cut. The definition may
// use the names of all observables.
type Cut struct {
	Definition string
	// PassIfUndefined decides undefined cuts (MadMiner's pass_if_not_parsed).
	PassIfUndefined bool
}

// Efficiency defines an efficiency factor, as MadMiner's add_efficiency.
// The event weight is multiplied by its value; a value ≤ 0 drops the event.
type Efficiency struct {
	Definition string
	// ValueIfUndefined is used when the efficiency is undefined (MadMiner's
	// value_if_not_parsed, default 1).
	ValueIfUndefined float64
}

// Analysis holds compiled observables, cuts and efficiencies. It is
// immutable and safe for concurrent use on different events.
type Analysis struct {
	obs  []Observable
	cuts []Cut
	effs []Efficiency

	obsProgs []*Program
	cutProgs []*Program
	effProgs []*Program
	obsNames []string
}

// NewAnalysis compiles the definitions. Observable names must be distinct
// identifiers; cuts may refer to them.
func NewAnalysis(obs []Observable, cuts []Cut, effs []Efficiency) (*Analysis, error) {
	a := &Analysis{
		obs:  append([]Observable(nil), obs...),
		cuts: append([]Cut(nil), cuts...),
		effs: append([]Efficiency(nil), effs...),
	}
	seen := make(map[string]bool, len(obs))
	for i, o := range obs {
		var ne *NameError
		if err := CheckName(o.Name); errors.As(err, &ne) {
			return nil, fmt.Errorf("observables: observable %d: name %q %s", i, o.Name, ne.Reason)
		}
		if seen[o.Name] {
			return nil, fmt.Errorf("observables: observable %d: duplicate name %q", i, o.Name)
		}
		seen[o.Name] = true
		a.obsNames = append(a.obsNames, o.Name)
		if o.Func != nil {
			a.obsProgs = append(a.obsProgs, nil)
			continue
		}
		p, err := Compile(o.Name, o.Definition)
		if err != nil {
			return nil, err
		}
		a.obsProgs = append(a.obsProgs, p)
	}
	c := Compiler{Vars: a.obsNames}
	for i, cd := range cuts {
		p, err := c.Compile(fmt.Sprintf("cut %d", i), cd.Definition)
		if err != nil {
			return nil, err
		}
		a.cutProgs = append(a.cutProgs, p)
	}
	for i, ed := range effs {
		p, err := c.Compile(fmt.Sprintf("efficiency %d", i), ed.Definition)
		if err != nil {
			return nil, err
		}
		a.effProgs = append(a.effProgs, p)
	}
	return a, nil
}

// Observables returns the observable definitions.
func (a *Analysis) Observables() []Observable { return append([]Observable(nil), a.obs...) }

// Names returns the observable names in order.
func (a *Analysis) Names() []string { return append([]string(nil), a.obsNames...) }

// Counts records what happened to the events an Analysis processed. Each
// goroutine keeps its own Counts; merge them with Add.
type Counts struct {
	Events int // events processed
	Passed int // events kept

	// Per observable: events in which it was undefined because an object
	// was missing, or because its value was not finite; and events dropped
	// because of it (required observables only; an event is attributed to
	// the first undefined required observable).
	ObsMissing, ObsNotFinite, ObsDropped []int
	// Per cut: events passing and failing (evaluated on events whose
	// required observables are all defined), and undefined ones among them.
	CutPass, CutFail, CutUndefined []int
	// Per efficiency: events passing and failing, undefined ones, and the
	// sum of the efficiency values of the passing events.
	EffPass, EffFail, EffUndefined []int
	EffSum                         []float64
}

func (c *Counts) init(a *Analysis) {
	if len(c.ObsMissing) == len(a.obsProgs) && len(c.CutPass) == len(a.cutProgs) && len(c.EffPass) == len(a.effProgs) && c.ObsMissing != nil {
		return
	}
	no, nc, ne := len(a.obsProgs), len(a.cutProgs), len(a.effProgs)
	c.ObsMissing, c.ObsNotFinite, c.ObsDropped = make([]int, no), make([]int, no), make([]int, no)
	c.CutPass, c.CutFail, c.CutUndefined = make([]int, nc), make([]int, nc), make([]int, nc)
	c.EffPass, c.EffFail, c.EffUndefined = make([]int, ne), make([]int, ne), make([]int, ne)
	c.EffSum = make([]float64, ne)
}

// Add adds the counts of o to c.
func (c *Counts) Add(o Counts) {
	c.Events += o.Events
	c.Passed += o.Passed
	addInts := func(dst *[]int, src []int) {
		if len(*dst) < len(src) {
			*dst = append(*dst, make([]int, len(src)-len(*dst))...)
		}
		for i, v := range src {
			(*dst)[i] += v
		}
	}
	addInts(&c.ObsMissing, o.ObsMissing)
	addInts(&c.ObsNotFinite, o.ObsNotFinite)
	addInts(&c.ObsDropped, o.ObsDropped)
	addInts(&c.CutPass, o.CutPass)
	addInts(&c.CutFail, o.CutFail)
	addInts(&c.CutUndefined, o.CutUndefined)
	addInts(&c.EffPass, o.EffPass)
	addInts(&c.EffFail, o.EffFail)
	addInts(&c.EffUndefined, o.EffUndefined)
	if len(c.EffSum) < len(o.EffSum) {
		c.EffSum = append(c.EffSum, make([]float64, len(o.EffSum)-len(c.EffSum))...)
	}
	for i, v := range o.EffSum {
		c.EffSum[i] += v
	}
}

// Process evaluates the observables, cuts and efficiencies on the finished
// event ev, in MadMiner's order: observables first (an undefined required
// observable drops the event), then every cut (with the observable values
// as variables), then the efficiencies of events that passed. It writes the
// observable values into dst (allocated if too short) and returns them, the
// product of the efficiencies, and whether the event is kept. c may be nil.
//
// Errors other than missing objects and non-finite values (for instance a
// type mismatch found only at run time) are returned.
func (a *Analysis) Process(dst []float64, ev *Event, c *Counts) (x []float64, eff float64, pass bool, err error) {
	if c == nil {
		c = &Counts{}
	}
	c.init(a)
	c.Events++
	if cap(dst) < len(a.obsProgs) {
		dst = make([]float64, len(a.obsProgs))
	}
	x = dst[:len(a.obsProgs)]
	pass = true
	for i, p := range a.obsProgs {
		var v float64
		var e error
		if p != nil {
			v, e = p.Eval(ev, nil)
		} else {
			v, e = a.obs[i].Func(ev)
			if e == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
				e = ErrNotFinite
			}
			if e != nil && !errors.Is(e, ErrMissingObject) && !errors.Is(e, ErrNotFinite) {
				return x, 0, false, fmt.Errorf("observables: %s: %w", a.obs[i].Name, e)
			}
		}
		if e != nil {
			switch {
			case errors.Is(e, ErrMissingObject):
				c.ObsMissing[i]++
			case errors.Is(e, ErrNotFinite):
				c.ObsNotFinite[i]++
			default:
				return x, 0, false, e
			}
			if a.obs[i].Required && pass {
				c.ObsDropped[i]++
				pass = false
			}
			v = a.obs[i].Default
		}
		x[i] = v
	}
	if !pass {
		return x, 0, false, nil
	}
	for i, p := range a.cutProgs {
		ok, e := p.EvalBool(ev, x)
		if e != nil {
			if !errors.Is(e, ErrMissingObject) && !errors.Is(e, ErrNotFinite) {
				return x, 0, false, e
			}
			c.CutUndefined[i]++
			ok = a.cuts[i].PassIfUndefined
		}
		if ok {
			c.CutPass[i]++
		} else {
			c.CutFail[i]++
			pass = false
		}
	}
	if !pass {
		return x, 0, false, nil
	}
	eff = 1
	for i, p := range a.effProgs {
		v, e := p.Eval(ev, x)
		if e != nil {
			if !errors.Is(e, ErrMissingObject) && !errors.Is(e, ErrNotFinite) {
				return x, 0, false, e
			}
			c.EffUndefined[i]++
			v = a.effs[i].ValueIfUndefined
		}
		if v > 0 {
			c.EffPass[i]++
			c.EffSum[i] += v
			eff *= v
		} else {
			c.EffFail[i]++
			pass = false
		}
	}
	if !pass {
		return x, 0, false, nil
	}
	c.Passed++
	return x, eff, true, nil
}

// DefaultObservables returns MadMiner's default observables
// (add_default_observables): et_miss and phi_miss, e_visible and
// eta_visible, the numbers of leptons, photons and jets, and E, pT, η, φ of
// the nLeptons, nPhotons and nJets hardest leptons, photons and jets
// (default 0 when absent). With includeCharge the charge of each lepton is
// added too, which MadMiner intends but never does.
func DefaultObservables(nLeptons, nPhotons, nJets int, includeMET, includeVisible, includeNumbers, includeCharge bool) []Observable {
	var obs []Observable
	if includeMET {
		obs = append(obs,
			Observable{Name: "et_miss", Definition: "met.pt", Required: true, Default: math.NaN()},
			Observable{Name: "phi_miss", Definition: "met.phi", Required: true, Default: math.NaN()},
		)
	}
	if includeVisible {
		obs = append(obs,
			Observable{Name: "e_visible", Definition: "visible.e", Required: true, Default: math.NaN()},
			Observable{Name: "eta_visible", Definition: "visible.eta", Required: true, Default: math.NaN()},
		)
	}
	for _, s := range []struct {
		sym string
		n   int
	}{{"l", nLeptons}, {"a", nPhotons}, {"j", nJets}} {
		if includeNumbers {
			obs = append(obs, Observable{Name: "n_" + s.sym + "s", Definition: "len(" + s.sym + ")", Required: true, Default: math.NaN()})
		}
		for i := range s.n {
			for _, q := range []string{"e", "pt", "eta", "phi"} {
				obs = append(obs, Observable{
					Name:       fmt.Sprintf("%s_%s%d", q, s.sym, i+1),
					Definition: fmt.Sprintf("%s[%d].%s", s.sym, i, q),
				})
			}
			if includeCharge && s.sym == "l" {
				obs = append(obs, Observable{
					Name:       fmt.Sprintf("charge_%s%d", s.sym, i+1),
					Definition: fmt.Sprintf("%s[%d].charge", s.sym, i),
				})
			}
		}
	}
	return obs
}
