// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
)

// Summary describes a posterior over the parameters of interest; it is
// the content of a posterior JSON summary (WriteJSON).
type Summary struct {
	// Method is "grid", "stretch", "slice" or "mixture".
	Method string `json:"method"`
	// Params holds one entry per parameter of interest.
	Params []ParamSummary `json:"parameters"`
	// Cov is the posterior covariance of the parameters of interest.
	Cov [][]float64 `json:"covariance"`
	// Regions holds the areas of the 2-D highest-posterior-density regions
	// of every pair of parameters of interest: exact for a grid
	// (Grid.Volume), a kernel density estimate for draws (Chains.Areas).
	Regions []Region `json:"regions,omitempty"`
	// Draws is the number of MCMC draws (0 for a grid).
	Draws int `json:"draws,omitempty"`
	// Diagnostics holds the MCMC convergence diagnostics.
	Diagnostics *Diagnostics `json:"diagnostics,omitempty"`
	// Members holds the summaries of the ensemble members of a mixture,
	// and Spread their spread.
	Members []*Summary `json:"members,omitempty"`
	Spread  *Spread    `json:"member_spread,omitempty"`
}

// ParamSummary summarises the marginal posterior of one parameter.
type ParamSummary struct {
	Name string  `json:"name"`
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	// HPD holds the highest-posterior-density regions at each credibility
	// level.
	HPD []HPD `json:"hpd"`
}

// HPD is a 1-D highest-posterior-density region: for a grid, the possibly
// disjoint intervals where the marginal density exceeds the level; for
// MCMC draws, the shortest interval holding the fraction CL of the draws
// (one interval, exact for unimodal marginals; Chen and Shao 1999).
type HPD struct {
	CL        float64    `json:"cl"`
	Intervals []Interval `json:"intervals"`
}

// Region is the area of the 2-D highest-posterior-density region of two
// parameters at one credibility level.
type Region struct {
	Params [2]string `json:"parameters"`
	CL     float64   `json:"cl"`
	Area   float64   `json:"area"`
}

// Diagnostics are the convergence diagnostics of an MCMC run, one entry
// per parameter (nuisance parameters included) in ESSBulk, ESSTail and
// RHat; see RHat, BulkESS and TailESS.
type Diagnostics struct {
	Names       []string  `json:"names"`
	Chains      int       `json:"chains"`
	Steps       int       `json:"steps"`
	Acceptance  float64   `json:"acceptance"`
	Evaluations int       `json:"evaluations"`
	ESSBulk     []float64 `json:"ess_bulk"`
	ESSTail     []float64 `json:"ess_tail"`
	RHat        []float64 `json:"rhat"`
}

// The thresholds of Unconverged: chains have not converged for a
// parameter with R̂ above MaxRHat or a bulk effective sample size below
// MinBulkESS (Vehtari et al. 2021).
const (
	MaxRHat    = 1.01
	MinBulkESS = 100
)

// Unconverged describes, one message per parameter and diagnostic, where
// the chains of the summary (and of each ensemble member, prefixed
// "member K: ") fail MaxRHat or MinBulkESS. A summary without
// diagnostics (a grid, a mixture) gives only its members'.
func (s *Summary) Unconverged() []string {
	var out []string
	check := func(who string, d *Diagnostics) {
		if d == nil {
			return
		}
		for i, name := range d.Names {
			if r := d.RHat[i]; r > MaxRHat {
				out = append(out, fmt.Sprintf("%sR̂(%s) = %.3f > %g", who, name, r, MaxRHat))
			}
			if n := d.ESSBulk[i]; n < MinBulkESS {
				out = append(out, fmt.Sprintf("%sbulk ESS(%s) = %.1f < %d", who, name, n, MinBulkESS))
			}
		}
	}
	check("", s.Diagnostics)
	for k, m := range s.Members {
		check(fmt.Sprintf("member %d: ", k), m.Diagnostics)
	}
	return out
}

// MarshalJSON writes non-finite diagnostics (constant chains) as null.
func (d *Diagnostics) MarshalJSON() ([]byte, error) {
	nullable := func(v []float64) []*float64 {
		out := make([]*float64, len(v))
		for i := range v {
			if !math.IsNaN(v[i]) && !math.IsInf(v[i], 0) {
				out[i] = &v[i]
			}
		}
		return out
	}
	type plain Diagnostics
	return json.Marshal(struct {
		*plain
		ESSBulk []*float64 `json:"ess_bulk"`
		ESSTail []*float64 `json:"ess_tail"`
		RHat    []*float64 `json:"rhat"`
	}{(*plain)(d), nullable(d.ESSBulk), nullable(d.ESSTail), nullable(d.RHat)})
}

// UnmarshalJSON reads null diagnostics back as NaN.
func (d *Diagnostics) UnmarshalJSON(b []byte) error {
	type plain Diagnostics
	aux := struct {
		*plain
		ESSBulk []*float64 `json:"ess_bulk"`
		ESSTail []*float64 `json:"ess_tail"`
		RHat    []*float64 `json:"rhat"`
	}{plain: (*plain)(d)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	finite := func(v []*float64) []float64 {
		out := make([]float64, len(v))
		for i, p := range v {
			out[i] = math.NaN()
			if p != nil {
				out[i] = *p
			}
		}
		return out
	}
	d.ESSBulk, d.ESSTail, d.RHat = finite(aux.ESSBulk), finite(aux.ESSTail), finite(aux.RHat)
	return nil
}

// Spread is the spread of the ensemble members' posteriors, per parameter
// of interest: the standard deviation over members (normalised by M − 1)
// of their posterior means and standard deviations, and the smallest and
// largest member mean; per region of the mixture, the range of the
// members' areas.
type Spread struct {
	Mean      []float64    `json:"std_of_means"`
	Std       []float64    `json:"std_of_stds"`
	MeanRange [][2]float64 `json:"range_of_means"`
	AreaRange [][2]float64 `json:"range_of_areas,omitempty"`
}

// SummarySettings configures the summaries. A nil *SummarySettings means
// all defaults.
type SummarySettings struct {
	// CLs are the credibility levels of the HPD regions; nil means 0.68
	// and 0.95.
	CLs []float64
}

func (s *SummarySettings) cls() ([]float64, error) {
	if s == nil || s.CLs == nil {
		return []float64{0.68, 0.95}, nil
	}
	for _, cl := range s.CLs {
		if !(cl > 0 && cl < 1) {
			return nil, fmt.Errorf("posterior: credibility level %v outside (0, 1)", cl)
		}
	}
	return s.CLs, nil
}

func covRows(n int, at func(i, j int) float64) [][]float64 {
	c := make([][]float64, n)
	for i := range c {
		c[i] = make([]float64, n)
		for j := range c[i] {
			c[i][j] = at(i, j)
		}
	}
	return c
}

// Summary summarises the marginal posterior of the parameters of
// interest: means, standard deviations and covariance, 1-D HPD intervals
// from each 1-D marginal and the HPD areas of each pair.
func (g *Grid) Summary(s *SummarySettings) (*Summary, error) {
	cls, err := s.cls()
	if err != nil {
		return nil, err
	}
	k := g.numPOI()
	poi := make([]int, k)
	for i := range poi {
		poi[i] = i
	}
	mg := g
	if k < g.Dim() {
		mg = g.Marginal(poi...)
	}
	mu, cov := mg.Mean(), mg.Cov()
	out := &Summary{Method: "grid", Cov: covRows(k, cov.At)}
	for i := range k {
		m1 := mg.Marginal(i)
		ps := ParamSummary{Name: mg.Names[i], Mean: mu[i], Std: math.Sqrt(cov.At(i, i))}
		for _, cl := range cls {
			ps.HPD = append(ps.HPD, HPD{CL: cl, Intervals: m1.Intervals(cl)})
		}
		out.Params = append(out.Params, ps)
	}
	for i := range k {
		for j := i + 1; j < k; j++ {
			m2 := mg.Marginal(i, j)
			for _, cl := range cls {
				out.Regions = append(out.Regions, Region{Params: [2]string{mg.Names[i], mg.Names[j]}, CL: cl, Area: m2.Volume(cl)})
			}
		}
	}
	return out, nil
}

// Diagnose returns the convergence diagnostics of the chains. The ESS
// treats every walker as a chain (so that it averages the walkers'
// autocovariances, as emcee does). R̂ compares the independent ensembles,
// each one's walkers pooled step by step into one chain: a single walker
// of a run of a few thousand steps has too few effective draws for R̂ to
// reach 1.01 even when the ensembles agree. It panics if the chains have
// fewer than 4 steps.
func (ch *Chains) Diagnose() *Diagnostics {
	d := &Diagnostics{Names: slices.Clone(ch.Names), Chains: len(ch.Samples), Steps: ch.Steps(),
		Acceptance: ch.Acceptance, Evaluations: ch.Evaluations}
	w := max(1, ch.Walkers)
	for p := range ch.Dim {
		tr := ch.Trace(p)
		d.ESSBulk = append(d.ESSBulk, BulkESS(tr))
		d.ESSTail = append(d.ESSTail, TailESS(tr))
		d.RHat = append(d.RHat, RHat(pool(tr, w)))
	}
	return d
}

// pool merges consecutive groups of w chains into one chain each,
// interleaving their draws step by step.
func pool(chains [][]float64, w int) [][]float64 {
	if w == 1 || len(chains)%w != 0 {
		return chains
	}
	out := make([][]float64, 0, len(chains)/w)
	for e := 0; e < len(chains); e += w {
		n := len(chains[e])
		c := make([]float64, 0, n*w)
		for t := range n {
			for k := range w {
				c = append(c, chains[e+k][t])
			}
		}
		out = append(out, c)
	}
	return out
}

// shortest returns the shortest interval holding ⌈cl·n⌉ of the sorted
// draws s.
func shortest(s []float64, cl float64) Interval {
	n := len(s)
	m := max(1, min(n, int(math.Ceil(cl*float64(n)))))
	best := Interval{s[0], s[m-1]}
	for i := 1; i+m-1 < n; i++ {
		if s[i+m-1]-s[i] < best[1]-best[0] {
			best = Interval{s[i], s[i+m-1]}
		}
	}
	return best
}

// Summary summarises the draws of the parameters of interest: means,
// standard deviations, covariance, shortest intervals, the HPD areas of
// each pair (Areas), and (except for mixtures) the convergence
// diagnostics.
func (ch *Chains) Summary(s *SummarySettings) (*Summary, error) {
	cls, err := s.cls()
	if err != nil {
		return nil, err
	}
	if ch.Steps() == 0 {
		return nil, fmt.Errorf("posterior: no draws to summarise")
	}
	k := ch.POI
	shape, flat := ch.Flat(k)
	n := shape[0]
	out := &Summary{Method: ch.Method, Draws: n}
	mu := make([]float64, k)
	for t := range n {
		for i := range k {
			mu[i] += flat[t*k+i]
		}
	}
	for i := range mu {
		mu[i] /= float64(n)
	}
	out.Cov = covRows(k, func(i, j int) float64 {
		c := 0.0
		for t := range n {
			c += (flat[t*k+i] - mu[i]) * (flat[t*k+j] - mu[j])
		}
		return c / float64(n-1)
	})
	col := make([]float64, n)
	for i := range k {
		for t := range n {
			col[t] = flat[t*k+i]
		}
		slices.Sort(col)
		ps := ParamSummary{Name: ch.Names[i], Mean: mu[i], Std: math.Sqrt(out.Cov[i][i])}
		for _, cl := range cls {
			ps.HPD = append(ps.HPD, HPD{CL: cl, Intervals: []Interval{shortest(col, cl)}})
		}
		out.Params = append(out.Params, ps)
	}
	for i := range k {
		for j := i + 1; j < k; j++ {
			areas, err := ch.Areas(i, j, cls)
			if err != nil {
				return nil, err
			}
			for c, cl := range cls {
				out.Regions = append(out.Regions, Region{Params: [2]string{ch.Names[i], ch.Names[j]}, CL: cl, Area: areas[c]})
			}
		}
	}
	if ch.Method != "mixture" && ch.Steps() >= 4 {
		out.Diagnostics = ch.Diagnose()
	}
	return out, nil
}

// Draws returns n of the draws of the parameters of interest, spread
// evenly over the chains and over time: draw i comes from chain i mod C,
// from the (i div C)-th of ⌈n/C⌉ equal blocks of steps, at a random step
// in the block chosen with src. Spread out like this, draws from
// well-mixed chains are nearly independent, as simulation-based
// calibration needs. It returns an error if the chains hold fewer than n
// draws.
func (ch *Chains) Draws(n int, src rand.Source) ([][]float64, error) {
	nc, steps := len(ch.Samples), ch.Steps()
	if n > nc*steps {
		return nil, fmt.Errorf("posterior: %d draws wanted from %d chains of %d steps", n, nc, steps)
	}
	rng := rand.New(src)
	per := (n + nc - 1) / nc
	space := steps / per
	out := make([][]float64, n)
	for i := range out {
		c, j := i%nc, i/nc
		t := j*space + rng.IntN(space)
		out[i] = slices.Clone(ch.Samples[c][t*ch.Dim : t*ch.Dim+ch.POI])
	}
	return out, nil
}

// Mix returns the equal-weight mixture of the posteriors of ensemble
// members sampled with the same settings: all chains of all members, each
// cut to the shortest member's steps. Every member must have the same
// number of chains and parameters.
func Mix(members ...*Chains) (*Chains, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("posterior: mixture of no chains")
	}
	m0 := members[0]
	steps := m0.Steps()
	for _, m := range members {
		steps = min(steps, m.Steps())
	}
	out := &Chains{Method: "mixture", Names: slices.Clone(m0.Names), Dim: m0.Dim, POI: m0.POI, Walkers: m0.Walkers}
	var acc float64
	for i, m := range members {
		if m.Dim != m0.Dim || m.POI != m0.POI || len(m.Samples) != len(m0.Samples) {
			return nil, fmt.Errorf("posterior: mixture member %d has %d chains of %d parameters (%d of interest), member 0 %d of %d (%d)",
				i, len(m.Samples), m.Dim, m.POI, len(m0.Samples), m0.Dim, m0.POI)
		}
		for c := range m.Samples {
			out.Samples = append(out.Samples, m.Samples[c][:steps*m.Dim])
			out.LogPost = append(out.LogPost, m.LogPost[c][:steps])
		}
		out.Evaluations += m.Evaluations
		acc += m.Acceptance
	}
	out.Acceptance = acc / float64(len(members))
	return out, nil
}

// EnsembleSummary returns the summary of an ensemble's mixture posterior
// completed with its members' summaries and their spread. The summaries
// must describe the same parameters (and, for AreaRange, the same
// regions).
func EnsembleSummary(mixture *Summary, members []*Summary) (*Summary, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("posterior: ensemble of no members")
	}
	k := len(mixture.Params)
	sp := &Spread{}
	for i := range k {
		means := make([]float64, len(members))
		stds := make([]float64, len(members))
		for m, s := range members {
			if len(s.Params) != k {
				return nil, fmt.Errorf("posterior: ensemble member %d has %d parameters, the mixture %d", m, len(s.Params), k)
			}
			means[m], stds[m] = s.Params[i].Mean, s.Params[i].Std
		}
		_, vm := meanVar(means)
		_, vs := meanVar(stds)
		sp.Mean = append(sp.Mean, math.Sqrt(vm))
		sp.Std = append(sp.Std, math.Sqrt(vs))
		sp.MeanRange = append(sp.MeanRange, [2]float64{slices.Min(means), slices.Max(means)})
	}
	for r := range mixture.Regions {
		lo, hi := math.Inf(1), math.Inf(-1)
		for m, s := range members {
			if len(s.Regions) != len(mixture.Regions) {
				return nil, fmt.Errorf("posterior: ensemble member %d has %d regions, the mixture %d", m, len(s.Regions), len(mixture.Regions))
			}
			lo, hi = math.Min(lo, s.Regions[r].Area), math.Max(hi, s.Regions[r].Area)
		}
		sp.AreaRange = append(sp.AreaRange, [2]float64{lo, hi})
	}
	out := *mixture
	out.Members = members
	out.Spread = sp
	return &out, nil
}

// WriteJSON writes the summary as indented JSON to path, atomically.
func (s *Summary) WriteJSON(path string) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	})
}

// ReadSummary reads a summary written by WriteJSON.
func ReadSummary(path string) (*Summary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("posterior: could not read summary: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("posterior: could not decode %s: %w", path, err)
	}
	return &s, nil
}
