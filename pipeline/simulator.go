// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/plot"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/simulators"
	"github.com/goldmine-hep/goldmine/store"
)

// Simulator campaigns (cards whose samples are built-in simulators) have
// no morphing and no events file: augment draws the training samples from
// the simulator, with the joint ratio and score from its trace; Fisher
// information and limits use events simulated at the card's parameter
// points. Luminosity then means the expected number of events.

// builtin is a built-in simulator with, where known, its exact
// likelihood.
type builtin struct {
	sim   simulators.Simulator
	exact func(x, theta []float64) (float64, []float64, error) // nil if unknown
	// logLik writes log p(x_i|θ) of the events x (row-major) into dst,
	// computing what depends on θ alone once; nil if unknown.
	logLik func(dst, x, theta []float64) error
	nObs   int
}

func simulatorOf(c *cards.Card) (*builtin, error) {
	src := c.Samples[0].Simulator
	cfg := func(key string, def float64) float64 {
		if v, ok := src.Config[key]; ok {
			return v
		}
		return def
	}
	for k := range src.Config {
		known := map[string][]string{
			"gaussian":       {"sigma_z", "sigma_x"},
			"galton":         {"rows"},
			"lotka_volterra": {"x0", "y0", "t", "dt", "max_events"},
		}[src.Name]
		if !slices.Contains(known, k) {
			return nil, fmt.Errorf("pipeline: %s: simulator %s has no setting %q (known: %v)", c.Path, src.Name, k, known)
		}
	}
	np := len(c.Parameters)
	switch src.Name {
	case "gaussian":
		g := simulators.Gaussian{SigmaZ: cfg("sigma_z", 0), SigmaX: cfg("sigma_x", 0)}
		b := &builtin{sim: g.Simulate, nObs: np, exact: func(x, theta []float64) (float64, []float64, error) {
			lp, s := g.LogLikelihood(nil, x, theta)
			return lp, s, nil
		}}
		b.logLik = func(dst, x, theta []float64) error {
			score := make([]float64, np)
			for i := range dst {
				dst[i], _ = g.LogLikelihood(score, x[i*np:(i+1)*np], theta[:np])
			}
			return nil
		}
		return b, nil
	case "galton":
		if np != 1 {
			return nil, fmt.Errorf("pipeline: %s: the Galton board has one parameter, the card %d", c.Path, np)
		}
		g := simulators.Galton{Rows: int(cfg("rows", 0))}
		b := &builtin{sim: g.Simulate, exact: g.LogLikelihood, nObs: 1}
		b.logLik = func(dst, x, theta []float64) error {
			ps, err := g.Probs(theta[:1])
			if err != nil {
				return err
			}
			for i := range dst {
				k := int(x[i])
				if float64(k) != x[i] || k < 0 || k >= len(ps) {
					return fmt.Errorf("x = %v is not a slot of the board", x[i])
				}
				dst[i] = math.Log(ps[k].V)
			}
			return nil
		}
		return b, nil
	case "lotka_volterra":
		if np != 4 {
			return nil, fmt.Errorf("pipeline: %s: Lotka–Volterra has four (log-rate) parameters, the card %d", c.Path, np)
		}
		lv := simulators.LotkaVolterra{X0: int(cfg("x0", 0)), Y0: int(cfg("y0", 0)), T: cfg("t", 0), Dt: cfg("dt", 0), MaxEvents: int(cfg("max_events", 0))}
		return &builtin{sim: lv.Simulate, nObs: 9}, nil
	}
	return nil, fmt.Errorf("pipeline: %s: unknown simulator %q (want gaussian, galton or lotka_volterra)", c.Path, src.Name)
}

// simThetas resolves a θ specification of a simulator campaign.
func simThetas(c *cards.Card, t *cards.ThetaSpec, rnd *rand.Rand) ([][]float64, error) {
	bench := func(name string) ([]float64, error) {
		i, ok := c.BenchmarkIndex(name)
		if !ok {
			return nil, fmt.Errorf("unknown benchmark %q", name)
		}
		return c.BenchmarkValues(c.Benchmarks[i]), nil
	}
	switch {
	case t.Benchmark != "":
		v, err := bench(t.Benchmark)
		return [][]float64{v}, err
	case t.Benchmarks != nil:
		var out [][]float64
		for _, b := range t.Benchmarks {
			v, err := bench(b)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case t.Point != nil:
		return [][]float64{t.Point}, nil
	case t.Points != nil:
		return t.Points, nil
	case t.Random != nil:
		out := make([][]float64, t.Random.N)
		for i := range out {
			th := make([]float64, len(t.Random.Priors))
			for p, pr := range t.Random.Priors {
				if pr.Kind == "flat" {
					th[p] = pr.Range[0] + rnd.Float64()*(pr.Range[1]-pr.Range[0])
				} else {
					th[p] = pr.Mean + pr.Std*rnd.NormFloat64()
				}
			}
			out[i] = th
		}
		return out, nil
	}
	return nil, fmt.Errorf("empty θ specification")
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
		kind := samplingKinds[sp.Method]
		if kind == sampling.Ratio {
			var th1 [][]float64
			if th1, err = simThetas(c, sp.Theta1, rnd); err != nil {
				return nil, fmt.Errorf("pipeline: %s: sampling sample %s: theta1: %w", c.Path, sp.Name, err)
			}
			s, err = simulators.SampleRatio(b.sim, thetas, th1, sp.N, cfg)
		} else {
			s, err = simulators.SampleScore(b.sim, thetas, sp.N, cfg)
		}
		if err != nil {
			return nil, fmt.Errorf("pipeline: sampling sample %s: %w", sp.Name, err)
		}
		part, err := partition.Parse(sp.Partition)
		if err != nil {
			return nil, err
		}
		res := &sampling.Result{Name: sp.Name, Kind: kind, Partition: part, N: s.N, NObs: s.NObs, NParams: s.NParams,
			NTheta: s.NParams, NScore: s.NParams, X: s.X, Theta0: s.Theta0, Theta1: s.Theta1, Y: s.Y, RXZ: s.RXZ, TXZ0: s.TXZ0, TXZ1: s.TXZ1}
		if kind == sampling.Plain || kind == sampling.TestSample {
			res.TXZ0 = nil
		}
		// Every simulated event is independent: n_eff is the sample size.
		pt := sampling.PointReport{Benchmark: -1, Closest: -1, NEff: float64(s.N), Draws: s.N}
		if len(thetas) == 1 {
			pt.Theta = thetas[0]
		}
		res.Points = []sampling.PointReport{pt}
		m, err := sampling.Write(e.Path("samples", sp.Name), res, cfg.Seed, sampling.Stats{}, c.Sampling.Float64)
		if err != nil {
			return nil, err
		}
		out.Samples = append(out.Samples, m)
	}
	return out, nil
}

// simulated returns n events simulated at θ (seeded by the step name).
func simulated(e *Env, b *builtin, theta []float64, n int, step string) (*simulators.Sample, error) {
	h := e.rng(step)
	return simulators.SampleScore(b.sim, [][]float64{theta}, n, &simulators.Config{Seed: h.Uint64()})
}

// mcEvents is the number of simulated events behind expectations.
const mcEvents = 10000

// fisherSimulator computes the Fisher information items of a simulator
// campaign for fisher.luminosity expected events: truth (the joint score,
// N E[t(x,z) t(x,z)ᵀ]), exact (N E[t(x) t(x)ᵀ] with the exact score, for
// simulators with a known likelihood), sally and ratio (the estimated
// score of a trained model).
func fisherSimulator(e *Env) (*FisherResult, error) {
	c := e.Card
	fc := c.Fisher
	b, err := simulatorOf(c)
	if err != nil {
		return nil, err
	}
	s, err := simulated(e, b, fc.Theta, mcEvents, "fisher/events")
	if err != nil {
		return nil, err
	}
	np := len(c.Parameters)
	params := make([]string, np)
	for i, p := range c.Parameters {
		params[i] = p.Name
	}
	out := &FisherResult{File: e.Path("fisher.json"), Events: s.N}
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
			est, err := ml.Load(e.Path("models", it.Model))
			if err != nil {
				return nil, inputErr(err, "model "+it.Model, "train")
			}
			r, ok := est.(*ml.ParameterizedRatioEstimator)
			if !ok {
				return nil, fmt.Errorf("pipeline: model %s is a %T, want a parameterised ratio estimator", it.Model, est)
			}
			th := mat.NewDense(s.N, np, nil)
			for i := 0; i < s.N; i++ {
				th.SetRow(i, fc.Theta)
			}
			score, err := r.Score(nil, x, th)
			if err != nil {
				return nil, err
			}
			in = info(score.RawMatrix().Data)
		default:
			out.Skipped = append(out.Skipped, fmt.Sprintf("%s (%s: needs events with weights; simulator campaigns offer truth, sally and ratio)", it.Name, it.Kind))
			continue
		}
		out.Results = append(out.Results, fisher.NewResult(it.Name, it.Kind, params, fc.Theta, fc.Luminosity, in))
	}
	if b.exact != nil {
		t := make([]float64, s.N*np)
		for i := 0; i < s.N; i++ {
			_, sc, err := b.exact(s.X[i*s.NObs:(i+1)*s.NObs], fc.Theta)
			if err != nil {
				return nil, err
			}
			copy(t[i*np:], sc)
		}
		out.Results = append(out.Results, fisher.NewResult("exact", "exact", params, fc.Theta, fc.Luminosity, info(t)))
	}
	return out, writeJSON(out.File, out)
}

func writeJSON(path string, v any) error {
	return store.WriteFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// limitsSimulator scans the card's grid with expected data at θ_true:
// mcEvents simulated events weighted to limits.luminosity expected events.
// Modes: ml (a trained ratio or likelihood model) and exact (the
// simulator's own likelihood).
func limitsSimulator(e *Env) (*LimitsResult, error) {
	c := e.Card
	lc := c.Limits
	b, err := simulatorOf(c)
	if err != nil {
		return nil, err
	}
	s, err := simulated(e, b, lc.ThetaTrue, mcEvents, "limits/asimov")
	if err != nil {
		return nil, err
	}
	data := &limits.Data{Dim: s.NObs, X: s.X, Weight: make([]float64, s.N), N: lc.Luminosity}
	for i := range data.Weight {
		data.Weight[i] = lc.Luminosity / float64(s.N)
	}
	points, err := limits.Grid{Ranges: lc.Grid.Ranges, Resolutions: lc.Grid.Resolutions}.Points()
	if err != nil {
		return nil, err
	}
	np := len(c.Parameters)
	params := make([]string, np)
	for i, p := range c.Parameters {
		params[i] = p.Name
	}
	set := &limits.Settings{Progress: e.Log, Bounds: lc.Grid.Ranges}
	out := &LimitsResult{File_: e.Path("limits.json")}
	out.Luminosity, out.ThetaTrue = lc.Luminosity, lc.ThetaTrue
	for _, sc := range lc.Scans {
		var fn limits.LogRatioFunc
		switch sc.Mode {
		case "ml":
			if fn, _, _, err = logRatio(e, sc.Model); err != nil {
				return nil, err
			}
		case "exact":
			if b.logLik == nil {
				return nil, fmt.Errorf("pipeline: limits scan %s: simulator %s has no known likelihood", sc.Name, c.Samples[0].Simulator.Name)
			}
			fn = b.logLik
		default:
			out.Skipped = append(out.Skipped, fmt.Sprintf("%s (%s: simulator campaigns offer ml and exact)", sc.Name, sc.Mode))
			continue
		}
		res, err := limits.Scan(&limits.ML{LogRatio: fn, Params: np}, data, points, set)
		if err != nil {
			return nil, fmt.Errorf("pipeline: limits scan %s: %w", sc.Name, err)
		}
		res.Name, res.Mode, res.Parameters = sc.Name, sc.Mode, params
		out.Results = append(out.Results, res)
	}
	return out, writeJSON(out.File_, out)
}

// StudyResult is what goldmine study writes to WORKDIR/study.json.
type StudyResult struct {
	*simulators.StudyResult
	File   string `json:"file"`
	Figure string `json:"figure"`
}

// Study runs the sample-efficiency study of the card's study section on
// its Galton board, and writes WORKDIR/study.json, a table and a figure of
// the expected squared error of log r̂ against the training-set size.
func Study(e *Env) (*StudyResult, error) {
	c := e.Card
	if c.Study == nil {
		return nil, fmt.Errorf("pipeline: %s: no study section", c.Path)
	}
	if !c.IsSimulator() || c.Samples[0].Simulator.Name != "galton" {
		return nil, fmt.Errorf("pipeline: %s: the study needs the galton simulator (exact likelihood ratio)", c.Path)
	}
	st := c.Study
	cfg := &simulators.StudyConfig{
		Board:      simulators.Galton{Rows: int(c.Samples[0].Simulator.Config["rows"])},
		Sizes:      st.Sizes,
		Seeds:      st.Seeds,
		Steps:      st.Steps,
		Hidden:     st.Hidden,
		Theta0Lo:   st.Theta0[0],
		Theta0Hi:   st.Theta0[1],
		Theta1:     st.Theta1,
		GridPoints: st.GridPoints,
		SallyBins:  st.SallyBins,
		Seed:       e.Seed,
		Log:        e.Log,
	}
	for _, m := range st.Methods {
		method, err := ml.ParseMethod(m)
		if err != nil {
			return nil, err
		}
		cfg.Methods = append(cfg.Methods, method)
	}
	r, err := simulators.Study(cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(e.Path("plots"), 0o755); err != nil {
		return nil, err
	}
	out := &StudyResult{StudyResult: r, File: e.Path("study.json"), Figure: e.Path("plots", "study.png")}
	fig, err := StudyFigure(r)
	if err != nil {
		return nil, err
	}
	if err := fig.Save(out.Figure, e.Path("plots", "study.pdf")); err != nil {
		return nil, err
	}
	return out, writeJSON(out.File, out)
}

// StudyFigure draws the study table: the error of log r̂ against the
// training size, one curve with error bars per method, log-log.
func StudyFigure(r *simulators.StudyResult) (*plot.Figure, error) {
	var series []plot.Series
	for _, m := range r.Methods {
		s := plot.Series{Label: simulators.StudyLabel(m)}
		s.X, s.Y, s.Err = r.Curve(m)
		series = append(series, s)
	}
	return plot.Curves(series, true, plot.Labels{
		Title: fmt.Sprintf("Galton board, %d rows: sample efficiency (%d seeds)", r.Rows, r.Seeds),
		X:     "training events", Y: "E[(log r̂ − log r)²]"})
}

// PrintStudy writes the study table and where it was written.
func PrintStudy(w io.Writer, r *StudyResult) {
	r.WriteTable(w)
	fmt.Fprintf(w, "wrote %s and %s\n", r.File, r.Figure)
}
