// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/posterior"
	"github.com/goldmine-hep/goldmine/store"
)

// The posterior stage: for every scan of the posterior section, the
// likelihood of the limits scan (limits.EventModels for event files, the
// expected data of limitsSimulator for simulator campaigns) times the
// priors of the card, on the grid and by MCMC (posterior.Scan), the
// nuisance parameters with their Gaussian priors: sampled by MCMC,
// integrated out on the grid by adaptive Gauss–Hermite quadrature
// (posterior.Marginalize). An ensemble model gives one posterior per
// member and their mixture. Beside them, the Gaussian posterior
// N(θ_true, I⁻¹) of the truth Fisher information at θ_true, flat on the
// grid (posterior.NewReference): the best any estimator can do, locally.
//
// Files, in WORKDIR/posterior/:
//
//	posterior.json           the summaries (PosteriorResult)
//	NAME/grid.npy            the posterior density of the parameters of
//	                         interest on the grid (shape: the resolutions)
//	NAME/grid_member_K.npy   the same for ensemble member K
//	NAME/samples.npy         the MCMC draws of the parameters of interest
//	                         (draws × parameters; all members' for a mixture)
//	reference/grid.npy       the Gaussian reference on the grid

// PosteriorResult is the content of WORKDIR/posterior/posterior.json.
type PosteriorResult struct {
	File string `json:"file"`
	Dir  string `json:"dir"`
	// Observed is true when the data are the observed events of the limits
	// section, false for Asimov data at ThetaTrue, the first point of
	// limits.theta_true.
	Observed   bool             `json:"observed"`
	ThetaTrue  []float64        `json:"theta_true,omitempty"`
	Luminosity float64          `json:"luminosity"`
	Parameters []string         `json:"parameters"`
	Priors     []string         `json:"priors"`
	Grid       limits.Grid      `json:"grid"`
	Levels     []float64        `json:"levels"`
	Scans      []*ScanPosterior `json:"scans"`
	// Reference is the Gaussian posterior of the truth Fisher information.
	Reference *ReferencePosterior `json:"reference,omitempty"`
	Warnings  []string            `json:"warnings,omitempty"`
}

// ScanPosterior is the posterior from the likelihood of one limits scan.
type ScanPosterior struct {
	Name string `json:"name"`
	Mode string `json:"mode"`
	// Members is the number of ensemble members whose posteriors are
	// mixed (1 for a single model or an ensemble-mean likelihood).
	Members int `json:"members"`
	// Nuisance is the number of nuisance parameters marginalised.
	Nuisance int `json:"nuisance"`
	// Grid and MCMC summarise the grid and the sampled posterior (for an
	// ensemble: the mixture, with the members' summaries and spread).
	Grid *posterior.Summary `json:"grid,omitempty"`
	MCMC *posterior.Summary `json:"mcmc,omitempty"`
	// GridFile, MemberGridFiles and SamplesFile are relative to the
	// posterior directory.
	GridFile        string   `json:"grid_file,omitempty"`
	MemberGridFiles []string `json:"member_grid_files,omitempty"`
	SamplesFile     string   `json:"samples_file,omitempty"`
	// Evaluations counts the likelihood evaluations, Seconds the time.
	Evaluations int     `json:"evaluations"`
	Seconds     float64 `json:"seconds"`
}

// ReferencePosterior is the Gaussian posterior N(θ_true, I⁻¹) of the truth
// Fisher information I at θ_true with a flat prior (posterior.Reference).
type ReferencePosterior = posterior.Reference

// posteriorName is the posterior stage's folder in the working directory.
const posteriorName = "posterior"

// posteriorDir is WORKDIR/posterior.
func (e *Env) posteriorDir() string { return e.Path(posteriorName) }

// scanLikelihoods are the likelihoods of a posterior scan's model: one, or
// one per ensemble member (posterior.members), of np parameters of
// interest and nn nuisance parameters (0 when limits.nuisance fixes
// them).
type scanLikelihoods struct {
	sc      cards.LimitScan
	members []posterior.LogLikelihood
	np, nn  int
}

// posteriorStage computes the posteriors of the card's posterior section
// and writes WORKDIR/posterior/.
func posteriorStage(e *Env) (*PosteriorResult, error) {
	c := e.Card
	pc := c.Posterior
	if pc == nil {
		return nil, fmt.Errorf("pipeline: %s: no posterior section", c.Path)
	}
	lc := c.Limits
	// Every file is written through the working directory's root;
	// posterior.json, written last, marks a complete directory.
	if err := e.Fresh(posteriorName); err != nil {
		return nil, err
	}
	dir := e.posteriorDir()
	res := &PosteriorResult{File: filepath.Join(dir, "posterior.json"), Dir: dir, Observed: lc.Observed != "",
		Luminosity: lc.Luminosity, Parameters: c.ParameterNames(), Levels: pc.Levels,
		Grid: limitsGrid(pc.Grid)}
	if !res.Observed {
		res.ThetaTrue = lc.ThetaTrue[0]
	}
	priors, err := cardPriors(pc.Priors)
	if err != nil {
		return nil, err
	}
	for _, p := range pc.Priors {
		res.Priors = append(res.Priors, priorString(p))
	}
	var scans []*scanLikelihoods
	var info *mat.SymDense
	if c.IsSimulator() {
		scans, info, err = simulatorLikelihoods(e)
	} else {
		scans, info, err = eventLikelihoods(e)
	}
	if err != nil {
		return nil, err
	}
	poiAxes, err := res.Grid.Axes()
	if err != nil {
		return nil, err
	}
	for _, sl := range scans {
		sp, warn, err := scanPosterior(e, sl, priors, poiAxes)
		if err != nil {
			return nil, fmt.Errorf("pipeline: posterior of scan %s: %w", sl.sc.Name, err)
		}
		res.Scans = append(res.Scans, sp)
		res.Warnings = append(res.Warnings, warn...)
	}
	if *pc.Reference && !res.Observed && info != nil {
		ref, err := referencePosterior(e, info, lc.ThetaTrue[0], poiAxes)
		if err != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("no Gaussian reference: %v", err))
		} else {
			res.Reference = ref
		}
	}
	return res, e.WriteJSON(filepath.Join(posteriorName, "posterior.json"), res)
}

// cardPriors maps the card's priors to the posterior package's.
func cardPriors(ps []cards.Prior) (posterior.Priors, error) {
	var out posterior.Priors
	for i, p := range ps {
		var pr posterior.Prior
		switch p.Kind {
		case "flat", "uniform":
			pr = posterior.Uniform{Min: p.Range[0], Max: p.Range[1]}
		case "gaussian":
			pr = posterior.Gaussian{Mu: p.Mean, Sigma: p.Std, Min: p.Range[0], Max: p.Range[1]}
		case "log_uniform":
			pr = posterior.LogUniform{Min: p.Range[0], Max: p.Range[1]}
		default: // the card loader accepts no other kind
			return nil, fmt.Errorf("pipeline: prior %d: unknown kind %q", i, p.Kind)
		}
		out = append(out, pr)
	}
	return out, out.Validate()
}

func priorString(p cards.Prior) string {
	switch p.Kind {
	case "gaussian":
		if p.Range != [2]float64{} {
			return fmt.Sprintf("gaussian(%g, %g) on %v", p.Mean, p.Std, p.Range)
		}
		return fmt.Sprintf("gaussian(%g, %g)", p.Mean, p.Std)
	}
	return fmt.Sprintf("%s on %v", p.Kind, p.Range)
}

// eventLikelihoods builds the likelihoods of the posterior scans of an
// event-file campaign from the limits plan (planLimits, as the limits
// stage scans them) and the truth Fisher information at θ_true.
func eventLikelihoods(e *Env) ([]*scanLikelihoods, *mat.SymDense, error) {
	c := e.Card
	f, m, p, err := openLimits(e)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	want := c.PosteriorScans()
	var (
		specs   []limits.ScanSpec
		scorers []*ml.Ensemble
		owner   []int
		out     []*scanLikelihoods
	)
	for i, sc := range p.cards {
		if !slices.ContainsFunc(want, func(w cards.LimitScan) bool { return w.Name == sc.Name }) {
			continue
		}
		s, sm := []limits.ScanSpec{p.scans[i]}, []*ml.Ensemble{p.scorers[i]}
		if *c.Posterior.Members && p.models[i] != nil && len(p.models[i].Members) > 1 {
			if s, sm, err = p.memberSpecs(i); err != nil {
				return nil, nil, err
			}
		}
		for range s {
			owner = append(owner, len(out))
		}
		specs, scorers = append(specs, s...), append(scorers, sm...)
		out = append(out, &scanLikelihoods{sc: sc})
	}
	p.observe(scorers)
	p.set.Progress = nil
	em, err := limits.NewEventModels(f, m, p.set)
	if err != nil {
		return nil, nil, fmt.Errorf("pipeline: %w", err)
	}
	for j, spec := range specs {
		b, err := em.Model(j, spec)
		if err != nil {
			return nil, nil, fmt.Errorf("pipeline: %w", err)
		}
		ll, err := b.Model.Bind(b.Data)
		if err != nil {
			return nil, nil, fmt.Errorf("pipeline: posterior of scan %s: %w", spec.Name, err)
		}
		sl := out[owner[j]]
		sl.np, sl.nn = b.Model.NumParams(), b.Model.NumNuisance()
		sl.members = append(sl.members, ll.Total(sl.np, sl.nn, p.set.FixNuisance))
		if p.set.FixNuisance {
			sl.nn = 0
		}
	}
	var info *mat.SymDense
	if *c.Posterior.Reference && c.Limits.Observed == "" {
		fo, err := fisher.FromEvents(f, m, []fisher.Item{{Name: "truth", Kind: fisher.KindTruth}},
			fisher.Settings{Theta: c.Limits.ThetaTrue[0], Luminosity: c.Limits.Luminosity, Parameters: c.ParameterNames()})
		if err != nil {
			return nil, nil, fmt.Errorf("pipeline: truth Fisher information: %w", err)
		}
		info = fo.Results[0].Info().Matrix
	}
	return out, info, nil
}

// simulatorLikelihoods builds the likelihoods of the posterior scans of a
// simulator campaign on the expected data of limitsSimulator, and the
// truth Fisher information (the joint score's) at θ_true.
func simulatorLikelihoods(e *Env) ([]*scanLikelihoods, *mat.SymDense, error) {
	c := e.Card
	lc := c.Limits
	b, s, err := simulated(e, lc.ThetaTrue[0], "limits/asimov")
	if err != nil {
		return nil, nil, err
	}
	data := limits.Expected(s.X, s.NObs, lc.Luminosity).Merged()
	np := len(c.Parameters)
	var out []*scanLikelihoods
	for _, sc := range c.PosteriorScans() {
		var fns []limits.LogRatioFunc
		switch sc.Mode {
		case cards.ScanML:
			en, err := loadModel(e, sc.Model)
			if err != nil {
				return nil, nil, err
			}
			models := []*ml.Ensemble{en}
			if *c.Posterior.Members && len(en.Members) > 1 {
				models = memberModels(en)
			}
			for _, one := range models {
				fn, _, _, err := ensembleLogRatio(one, sc.Model)
				if err != nil {
					return nil, nil, err
				}
				fns = append(fns, fn)
			}
		case cards.ScanExact:
			if b.LogLikelihoodRows == nil {
				return nil, nil, fmt.Errorf("pipeline: posterior of scan %s: simulator %s has no known likelihood", sc.Name, c.Samples[0].Simulator.Name)
			}
			fns = []limits.LogRatioFunc{b.LogLikelihoodRows}
		default: // cards reject the other modes for simulator campaigns
			return nil, nil, fmt.Errorf("pipeline: posterior of scan %s: mode %s is not available for simulator campaigns", sc.Name, sc.Mode)
		}
		sl := &scanLikelihoods{sc: sc, np: np}
		for _, fn := range fns {
			ll, err := (&limits.ML{LogRatio: fn, Params: np}).Bind(data)
			if err != nil {
				return nil, nil, err
			}
			sl.members = append(sl.members, ll.Total(np, 0, false))
		}
		out = append(out, sl)
	}
	return out, fisher.FromScores(s.TXZ0, np, lc.Luminosity).Matrix, nil
}

// scanPosterior computes the posterior of one scan on the grid and by
// MCMC, as the card's posterior section says (posterior.Scan), writes its
// files and returns its summary with warnings.
func scanPosterior(e *Env, sl *scanLikelihoods, poiPriors posterior.Priors, poiAxes [][]float64) (*ScanPosterior, []string, error) {
	pc := e.Card.Posterior
	start := time.Now()
	np := sl.np
	cfg := &posterior.ScanConfig{Name: sl.sc.Name, Members: sl.members, Names: e.Card.ParameterNames(), Priors: poiPriors, NumNuisance: sl.nn,
		Marginal: &posterior.MarginalSettings{Points: pc.NuisancePoints}, Summary: &posterior.SummarySettings{CLs: pc.Levels}, Log: e.Log}
	if pc.DoGrid() {
		cfg.Axes = poiAxes
	}
	if pc.DoMCMC() {
		cfg.MCMC = mcmcSettings(e, sl.sc.Name)
	}
	r, err := posterior.Scan(cfg)
	if err != nil {
		return nil, nil, err
	}
	sp := &ScanPosterior{Name: sl.sc.Name, Mode: string(sl.sc.Mode), Members: len(sl.members), Nuisance: cfg.NumNuisance,
		Grid: r.GridSummary, MCMC: r.MCMCSummary, Evaluations: r.Evaluations}
	root, err := e.Root()
	if err != nil {
		return nil, nil, err
	}
	// The scan's name follows cards.CheckName (limits.scans).
	sub := filepath.Join(posteriorName, sl.sc.Name)
	if err := root.MkdirAll(sub, 0o755); err != nil {
		return nil, nil, fmt.Errorf("pipeline: %w", err)
	}
	var warns []string
	if r.Grid != nil {
		if sp.GridFile, err = writeGrid(root, sub, "grid.npy", r.Grid); err != nil {
			return nil, nil, err
		}
		if len(r.MemberGrids) > 1 {
			for k, g := range r.MemberGrids {
				f, err := writeGrid(root, sub, fmt.Sprintf("grid_member_%d.npy", k), g)
				if err != nil {
					return nil, nil, err
				}
				sp.MemberGridFiles = append(sp.MemberGridFiles, f)
			}
		}
		if r.EdgeMass > 0.01 {
			warns = append(warns, fmt.Sprintf("scan %s: %.1f%% of the grid posterior lies in the cells at the edge of the grid: widen posterior.grid", sl.sc.Name, 100*r.EdgeMass))
		}
	}
	if r.Chains != nil {
		shape, data := r.Chains.Flat(np)
		sp.SamplesFile = filepath.Join(sl.sc.Name, "samples.npy")
		if err := store.WriteNPYIn(root, filepath.Join(posteriorName, sp.SamplesFile), shape, data, store.Float64); err != nil {
			return nil, nil, err
		}
		for _, w := range sp.MCMC.Unconverged() {
			warns = append(warns, fmt.Sprintf("scan %s: %s: run longer chains (posterior.mcmc.steps)", sl.sc.Name, w))
		}
		if r.Outside > 0.01 {
			warns = append(warns, fmt.Sprintf("scan %s: %.1f%% of the MCMC draws lie outside posterior.grid: the grid posterior is the posterior truncated to the grid; widen the grid or narrow the priors", sl.sc.Name, 100*r.Outside))
		}
	}
	sp.Seconds = time.Since(start).Seconds()
	return sp, warns, nil
}

// writeGrid writes the density of g (of the parameters of interest) into
// dir/name of root and returns the file's path relative to the posterior
// directory.
func writeGrid(root *os.Root, dir, name string, g *posterior.Grid) (string, error) {
	shape, dens := g.DensityArray()
	if err := store.WriteNPYIn(root, filepath.Join(dir, name), shape, dens, store.Float64); err != nil {
		return "", err
	}
	return filepath.Join(filepath.Base(dir), name), nil
}

// mcmcSettings maps posterior.mcmc to the sampler's settings: the seed
// from the card or from the campaign seed and the scan, progress on the
// environment's log. (posterior.Scan starts the walkers near the grid
// posterior when there is one.)
func mcmcSettings(e *Env, scan string) *posterior.Settings {
	mc := e.Card.Posterior.MCMC
	s := &posterior.Settings{Chains: mc.Chains, Walkers: mc.Walkers, Steps: mc.Steps, Burn: mc.Burn, Thin: mc.Thin}
	if mc.Sampler == "slice" {
		s.Method = posterior.Slice
	}
	if mc.Seed != nil {
		s.Seed = *mc.Seed
	} else {
		s.Seed = e.rng("posterior/mcmc/" + scan).Uint64()
	}
	if e.Log != nil {
		last := -1
		s.Progress = func(done, total int) {
			if pct := 10 * done / total; pct != last {
				last = pct
				fmt.Fprintf(e.Log, "posterior: scan %s: %d/%d steps\n", scan, done, total)
			}
		}
	}
	return s
}

// referencePosterior is the Gaussian posterior of the information info at
// θ (ReferencePosterior), on the grid with the given axes, with its grid
// written to the posterior directory.
func referencePosterior(e *Env, info *mat.SymDense, theta []float64, axes [][]float64) (*ReferencePosterior, error) {
	ref, grid, err := posterior.NewReference(theta, info, e.Card.ParameterNames(), axes, e.Card.Posterior.Levels)
	if err != nil {
		return nil, fmt.Errorf("the truth Fisher information: %w", err)
	}
	root, err := e.Root()
	if err != nil {
		return nil, err
	}
	sub := filepath.Join(posteriorName, "reference")
	if err := root.MkdirAll(sub, 0o755); err != nil {
		return nil, err
	}
	ref.GridFile, err = writeGrid(root, sub, "grid.npy", grid)
	return ref, err
}
