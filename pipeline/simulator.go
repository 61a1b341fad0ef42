// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/plot"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/simulators"
	"github.com/goldmine-hep/goldmine/study"
)

// Simulator campaigns (cards whose samples are built-in simulators) have
// no morphing and no events file: augment draws the training samples from
// the simulator, with the joint ratio and score from its trace; Fisher
// information and limits use events simulated at the card's parameter
// points. Luminosity then means the expected number of events.

// simulatorOf returns the built-in simulator of a simulator campaign.
func simulatorOf(c *cards.Card) (*simulators.Model, error) {
	src := c.Samples[0].Simulator
	m, err := simulators.Builtin(src.Name, src.Config, len(c.Parameters))
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", c.Path, err)
	}
	return m, nil
}

// simThetas resolves a θ specification of a simulator campaign, whose
// benchmarks are those of the card (sampling.ThetaSpec.Resolve).
func simThetas(c *cards.Card, t *cards.ThetaSpec, rnd *rand.Rand) ([][]float64, error) {
	var names []string
	var values [][]float64
	for _, b := range c.Benchmarks {
		names, values = append(names, b.Name), append(values, c.BenchmarkValues(b))
	}
	spec, err := thetaSpec(names, t)
	if err != nil {
		return nil, err
	}
	pts, err := spec.Resolve(values, len(c.Parameters), rnd)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(pts))
	for i, p := range pts {
		out[i] = p.Theta
	}
	return out, nil
}

// augmentSimulator draws the card's samples from its simulator and writes
// them as augment does for event files.
func augmentSimulator(e *Env) (*AugmentResult, error) {
	c := e.Card
	b, err := simulatorOf(c)
	if err != nil {
		return nil, err
	}
	out := &AugmentResult{Dir: e.Path("samples")}
	for k, sp := range c.Sampling.Samples {
		rnd := e.rng("augment/thetas/" + sp.Name)
		cfg := &simulators.Config{Seed: e.Seed + uint64(k)*0x9e3779b9}
		th := sp.Theta
		if th == nil {
			th = sp.Theta0
		}
		thetas, err := simThetas(c, th, rnd)
		if err != nil {
			return nil, fmt.Errorf("pipeline: %s: sampling sample %s: %w", c.Path, sp.Name, err)
		}
		var s *simulators.Sample
		kind := samplingKind(sp.Method)
		if kind == sampling.Ratio {
			var th1 [][]float64
			if th1, err = simThetas(c, sp.Theta1, rnd); err != nil {
				return nil, fmt.Errorf("pipeline: %s: sampling sample %s: theta1: %w", c.Path, sp.Name, err)
			}
			s, err = simulators.SampleRatio(b.Simulate, thetas, th1, sp.N, cfg)
		} else {
			s, err = simulators.SampleScore(b.Simulate, thetas, sp.N, cfg)
		}
		if err != nil {
			return nil, fmt.Errorf("pipeline: sampling sample %s: %w", sp.Name, err)
		}
		part, err := partition.Parse(sp.Partition)
		if err != nil {
			return nil, err
		}
		res := sampling.Simulated(sp.Name, kind, part, s, thetas)
		root, err := e.Root()
		if err != nil {
			return nil, err
		}
		m, err := sampling.WriteIn(root, filepath.Join("samples", sp.Name), res, &sampling.WriteSettings{Seed: cfg.Seed, Float64: c.Sampling.Float64})
		if err != nil {
			return nil, err
		}
		out.Samples = append(out.Samples, m)
	}
	return out, nil
}

// simulated returns the campaign's simulator and mcEvents events it
// simulated at θ (seeded by the step name).
func simulated(e *Env, theta []float64, step string) (*simulators.Model, *simulators.Sample, error) {
	b, err := simulatorOf(e.Card)
	if err != nil {
		return nil, nil, err
	}
	h := e.rng(step)
	s, err := simulators.SampleScore(b.Simulate, [][]float64{theta}, mcEvents, &simulators.Config{Seed: h.Uint64()})
	return b, s, err
}

// mcEvents is the number of simulated events behind expectations.
const mcEvents = 10000

// fisherSimulator computes the Fisher information items of a simulator
// campaign for fisher.luminosity expected events: truth (the joint score,
// N E[t(x,z) t(x,z)ᵀ]), exact (N E[t(x) t(x)ᵀ] with the exact score, for
// simulators with a known likelihood), sally and ratio (the estimated
// score of a trained model).
func fisherSimulator(e *Env) (*FisherPoint, error) {
	c := e.Card
	fc := c.Fisher
	theta := fc.Theta[0]
	b, s, err := simulated(e, theta, "fisher/events")
	if err != nil {
		return nil, err
	}
	np, params := len(c.Parameters), c.ParameterNames()
	out := &FisherPoint{Theta: theta}
	info := func(t []float64) *fisher.Information { return fisher.FromScores(t, np, fc.Luminosity) }
	x := mat.NewDense(s.N, s.NObs, s.X)
	for _, it := range fc.Items {
		var in *fisher.Information
		switch it.Kind {
		case "truth":
			in = info(s.TXZ0)
		case "sally":
			en, _, err := scorers(e, it.Model)
			if err != nil {
				return nil, err
			}
			t, err := en.ScoreRows(nil, s.X)
			if err != nil {
				return nil, err
			}
			in = info(t)
		case "ratio":
			// An ensemble's score is its members' mean score (MadMiner's
			// Ensemble.calculate_fisher_information, mode "score").
			en, err := loadModel(e, it.Model)
			if err != nil {
				return nil, err
			}
			th := mat.NewDense(s.N, np, nil)
			for i := 0; i < s.N; i++ {
				th.SetRow(i, theta)
			}
			_, _, score, err := en.LogRatio(x, th)
			if err != nil {
				return nil, fmt.Errorf("pipeline: fisher item %s: %w", it.Name, err)
			}
			in = info(score.RawMatrix().Data)
		default: // cards reject the other kinds for simulator campaigns
			return nil, fmt.Errorf("pipeline: fisher item %s: kind %s is not available for simulator campaigns", it.Name, it.Kind)
		}
		out.Results = append(out.Results, fisher.NewResult(it.Name, string(it.Kind), params, theta, fc.Luminosity, in))
	}
	if b.LogLikelihood != nil {
		t, err := b.Scores(s.X, theta)
		if err != nil {
			return nil, err
		}
		out.Results = append(out.Results, fisher.NewResult("exact", "exact", params, theta, fc.Luminosity, info(t)))
	}
	return out, nil
}

// limitsSimulator scans the card's grid with expected data at θ_true:
// mcEvents simulated events weighted to limits.luminosity expected events.
// Modes: ml (a trained ratio or likelihood model) and exact (the
// simulator's own likelihood). When bands is set, it also returns the
// members' bands of the ensemble scans (simulatorBands).
func limitsSimulator(e *Env, bands bool) (*limits.Output, []*limits.Band, error) {
	c := e.Card
	lc := c.Limits
	b, s, err := simulated(e, lc.ThetaTrue[0], "limits/asimov")
	if err != nil {
		return nil, nil, err
	}
	data := limits.Expected(s.X, s.NObs, lc.Luminosity)
	points, err := limitsGrid(&lc.Grid).Points()
	if err != nil {
		return nil, nil, err
	}
	np, params := len(c.Parameters), c.ParameterNames()
	set := &limits.Settings{Progress: e.Log, Bounds: lc.Grid.Ranges}
	if lc.Compat.MadMiner() {
		// Of MadMiner's conventions only the best fit on the grid applies:
		// there are no partitions, rate term or ratio normalisation here.
		limits.MadMinerCompat.Apply(nil, nil, set, nil)
	}
	out := &limits.Output{Luminosity: lc.Luminosity, ThetaTrue: lc.ThetaTrue[0]}
	for _, sc := range lc.Scans {
		var fn limits.LogRatioFunc
		switch sc.Mode {
		case "ml":
			if fn, _, _, err = logRatio(e, sc.Model); err != nil {
				return nil, nil, err
			}
		case "exact":
			if b.LogLikelihoodRows == nil {
				return nil, nil, fmt.Errorf("pipeline: limits scan %s: simulator %s has no known likelihood", sc.Name, c.Samples[0].Simulator.Name)
			}
			fn = b.LogLikelihoodRows
		default: // cards reject the other modes for simulator campaigns
			return nil, nil, fmt.Errorf("pipeline: limits scan %s: mode %s is not available for simulator campaigns", sc.Name, sc.Mode)
		}
		res, err := limits.Scan(&limits.ML{LogRatio: fn, Params: np}, data, points, set)
		if err != nil {
			return nil, nil, fmt.Errorf("pipeline: limits scan %s: %w", sc.Name, err)
		}
		res.Name, res.Mode, res.Parameters = sc.Name, string(sc.Mode), params
		out.Results = append(out.Results, res)
	}
	if !bands {
		return out, nil, nil
	}
	bs, err := simulatorBands(e, data, points, set, out)
	return out, bs, err
}

// StudyResult is what goldmine study writes to WORKDIR/study.json.
type StudyResult struct {
	*study.Result
	File   string `json:"file"`
	Figure string `json:"figure"`
}

// studyStage runs the sample-efficiency study of the card's study section on
// its Galton board, and writes WORKDIR/study.json, a table and a figure of
// the expected squared error of log r̂ against the training-set size.
func studyStage(ctx context.Context, e *Env) (any, error) {
	c := e.Card
	if c.Study == nil {
		return nil, fmt.Errorf("pipeline: %s: no study section", c.Path)
	}
	if !c.IsSimulator() {
		return eventStudyStage(ctx, e)
	}
	st := c.Study
	cfg := &study.Config{
		Board:      simulators.Galton{Rows: int(c.Samples[0].Simulator.Config["rows"])},
		Sizes:      st.Sizes,
		Seeds:      st.Seeds,
		Steps:      st.Steps,
		MinEpochs:  st.MinEpochs,
		Hidden:     st.Hidden,
		Theta0Lo:   st.Theta0[0],
		Theta0Hi:   st.Theta0[1],
		Theta1:     st.Theta1,
		GridPoints: st.GridPoints,
		SallyBins:  st.SallyBins,
		Seed:       e.Seed,
		Log:        e.Log,
		Context:    ctx,
	}
	var err error
	if cfg.Methods, err = studyMethods(st.Methods); err != nil {
		return nil, err
	}
	r, err := study.Run(cfg)
	if err != nil {
		return nil, err
	}
	fig, err := study.Figure(r)
	if err != nil {
		return nil, err
	}
	out := &StudyResult{Result: r, File: e.Path("study.json"), Figure: e.Path("plots", "study.png")}
	return out, e.saveStudy(fig, out)
}

// studyMethods parses the methods of the study section.
func studyMethods(names []string) ([]ml.Method, error) {
	var out []ml.Method
	for _, m := range names {
		method, err := ml.ParseMethod(m)
		if err != nil {
			return nil, err
		}
		out = append(out, method)
	}
	return out, nil
}

// saveStudy writes a study's figure to plots/study.png and .pdf and its
// result v to study.json.
func (e *Env) saveStudy(fig *plot.Figure, v any) error {
	root, err := e.Root()
	if err != nil {
		return err
	}
	if err := root.MkdirAll("plots", 0o755); err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	if err := fig.SaveIn(root, filepath.Join("plots", "study.png"), filepath.Join("plots", "study.pdf")); err != nil {
		return err
	}
	return e.WriteJSON("study.json", v)
}
