// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package study

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/moments"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
)

// Histogram is a histogram baseline of the events study: log r̂ is the
// log ratio of the normalised histograms of some observables at θ0 and θ1.
type Histogram struct {
	// Name is the method name in the table (histo_1d, histo_2d, ...).
	Name string
	// Observables are the indices of the histogrammed observables.
	Observables []int
	// Bins is the number of adaptive bins per observable; 0 means
	// MadMiner's default for that many observables (25 for one, 8 for two).
	Bins int
}

// EventConfig configures the sample-efficiency study on weighted events
// whose likelihood ratio is known exactly: parton-level events whose
// observables are the whole event record, so that nothing is latent and
// the morphing of each event's weights is its likelihood ratio
// (sampling.ExactLogRatios).
type EventConfig struct {
	// Source holds the events; Sampling its morpher and benchmarks (as
	// sampling.ConfigFromHeader gives them) and the partition split. Its
	// Seed and Log are replaced by the study's.
	Source   sampling.Source
	Sampling *sampling.Config
	// Methods are the ratio methods of package ml, and ml.SALLY for SALLY
	// + histogram; nil means CARL, ROLR, CASCAL, RASCAL, ALICE, ALICES,
	// SALLY.
	Methods []ml.Method
	// Histograms are the histogram baselines.
	Histograms []Histogram
	// Features selects the observables fed to the networks; nil means all.
	Features []int
	// SallyBins is the number of adaptive bins per score component of the
	// SALLY histogram; 0 means MadMiner's default for that many components.
	SallyBins int
	// SallyHidden lists SALLY's hidden-layer widths; nil means Hidden.
	SallyHidden []int
	// SallyScaled trains SALLY on the joint score divided per component by
	// its root mean square over the training sample, and multiplies the
	// estimated score back: every component then weighs alike in the
	// loss. MadMiner regresses the raw score.
	SallyScaled bool
	// Sizes are the training-set sizes; nil means 1000, 3000, 10000,
	// 30000, 100000.
	Sizes []int
	// Seeds is the number of seeds per size; 0 means 3.
	Seeds int
	// Theta0 gives the range [lo, hi] of every parameter: the box of the
	// uniform θ0 prior in training and of the evaluation grid.
	Theta0 [][2]float64
	// Grid is the number of evenly spaced evaluation points per parameter
	// (edges included); nil means 10 for the first parameter and 5 for
	// every other.
	Grid []int
	// Theta1 is the reference hypothesis; nil means 0 for every parameter.
	Theta1 []float64
	// TestEvents is the number of held-out test events per θ0 point; 0
	// means 1000.
	TestEvents int
	// FisherEvents is the number of test events at θ1 over which SALLY's
	// Fisher information and the truth are computed; 0 means 20000.
	FisherEvents int
	// Hidden, Settings and Steps are as in Config (Steps: the same number
	// of optimizer steps for every training; 0 means 60000).
	Hidden   []int
	Settings *ml.Settings
	Steps    int
	// Seed offsets all seeds.
	Seed uint64
	// Log receives one line per trained model; nil means silent.
	Log io.Writer
	// Context, if not nil, stops the study between two trainings when it
	// is cancelled, with its error.
	Context context.Context
}

// FisherRow compares SALLY's Fisher information at θ1 with the truth at one
// training size: the ratio det I_SALLY / det I_true per seed.
type FisherRow struct {
	Size  int       `json:"size"`
	Ratio []float64 `json:"det_ratio"`
	Mean  float64   `json:"mean"`
	Std   float64   `json:"std"`
	// Diag holds, per seed, the diagonal of I_SALLY divided by that of
	// I_true.
	Diag [][]float64 `json:"diag_ratio"`
}

// EventResult is the table of the events study, ready for JSON. Its
// layout follows Result's.
type EventResult struct {
	Parameters int          `json:"parameters"`
	Theta1     []float64    `json:"theta1"`
	Theta0     [][2]float64 `json:"theta0_ranges"`
	Grid       [][]float64  `json:"grid"` // the evaluation θ0 points
	// GridNEff is the effective number of test events (Kish) at each grid
	// point; GridMinNEff its smallest value.
	GridNEff    []float64   `json:"grid_neff"`
	GridMinNEff float64     `json:"grid_min_neff"`
	TestEvents  int         `json:"test_events_per_point"`
	Sizes       []int       `json:"sizes"`
	Methods     []ml.Method `json:"methods"`
	Seeds       int         `json:"seeds"`
	Hidden      []int       `json:"hidden"`
	Features    []int       `json:"features,omitempty"`
	SallyBins   int         `json:"sally_bins"`
	SallyHidden []int       `json:"sally_hidden,omitempty"` // as trained, when not Hidden
	SallyScaled bool        `json:"sally_scaled_scores,omitempty"`
	Histograms  []HistoInfo `json:"histograms"`
	Settings    ml.Settings `json:"settings"`
	Epochs      []int       `json:"epochs"`
	Steps       int         `json:"steps"`
	TrivialMSE  float64     `json:"trivial_mse"`
	// TailCut is the 99th percentile of |log r| over the test events: the
	// 1% of events above it are the tail. TailShare is their share of the
	// trivial error, TrivialBulkMSE the trivial error of the others (the
	// scale of Row.BulkMSE).
	TailCut        float64 `json:"tail_cut"`
	TailShare      float64 `json:"tail_share"`
	TrivialBulkMSE float64 `json:"trivial_bulk_mse"`
	Table          []Row   `json:"table"`
	// FisherTruth is the truth Fisher information per event at θ1,
	// E[t tᵀ] over the FisherEvents test events (row-major).
	FisherTruth  []float64   `json:"fisher_truth"`
	FisherEvents int         `json:"fisher_events"`
	Fisher       []FisherRow `json:"fisher"`
	Seconds      float64     `json:"seconds"`
	// Truth holds the test events with their exact log r, the truth every
	// error was computed against (not written to JSON).
	Truth *sampling.LogRatioSample `json:"-"`
}

// HistoInfo records a histogram baseline's observables and bins.
type HistoInfo struct {
	Name        string `json:"name"`
	Observables []int  `json:"observables"`
	Bins        int    `json:"bins"`
}

// Curve returns the rows of method m in the order of r.Sizes, as
// Result.Curve.
func (r *EventResult) Curve(m ml.Method) (sizes, mean, std []float64) {
	return curve(r.Sizes, r.Table, m)
}

// WriteTable writes the table as Result.WriteTable does, then the Fisher
// determinant ratios.
func (r *EventResult) WriteTable(w io.Writer) {
	writeTable(w, r.Seeds, r.TrivialMSE, r.Sizes, r.Methods, r.Curve)
	if len(r.Fisher) > 0 {
		fmt.Fprintf(w, "%-16s", "det I_sally/I")
		for _, f := range r.Fisher {
			fmt.Fprintf(w, " %11.4g ± %-6.2g", f.Mean, f.Std)
		}
		fmt.Fprintln(w)
	}
}

// RunEvents measures the sample efficiency of the ratio estimators on
// events whose likelihood ratio is exact. The truth is
// sampling.ExactLogRatios: TestEvents test-partition events drawn from
// every θ0 of the evaluation grid, each with its exact log r(x|θ0,θ1).
// The error of a method is
//
//	MSE = (1/|G|) Σ_{θ0∈G} mean_{x~p(x|θ0)} [log r̂(x|θ0,θ1) − log r(x|θ0,θ1)]²
//
// over the grid G. For every size n and seed, every method gets n training
// events of the training partition:
//   - the ratio methods one Ratio sample of n rows (θ0 uniform in the
//     Theta0 box, one value per θ0 event; θ1 Theta1), shared by all of
//     them, trained with the same number of optimizer steps;
//   - SALLY a Local sample of n events at θ1 with the joint score; t̂(x)
//     is the summary statistic, histogrammed as below;
//   - the histograms (the baselines and SALLY's) n events drawn uniformly
//     from the training partition, each filled with its own weights at θ0
//     and θ1 (the events are weighted; morphing gives the weights at every
//     θ0), so the histogram at θ0 is the reweighted histogram of the same
//     n events. The bins are adaptive, equal quantiles of the mean over
//     the grid of the normalised distributions (MadMiner's binning fixed
//     over the grid); a test event in a cell without training events gets
//     log r̂ = 0.
//
// SALLY's Fisher information at θ1, E[t̂ t̂ᵀ], and the truth E[t tᵀ] (t
// the exact score) are computed over the same FisherEvents test events
// drawn at θ1; their determinant ratio is reported per size.
func RunEvents(cfg *EventConfig) (*EventResult, error) {
	start := time.Now()
	if cfg == nil || cfg.Source == nil || cfg.Sampling == nil || cfg.Sampling.Morpher == nil {
		return nil, errors.New("study: the events study needs events and their morphing")
	}
	c := *cfg
	np := c.Sampling.Morpher.NumParams()
	if c.Methods == nil {
		c.Methods = []ml.Method{ml.CARL, ml.ROLR, ml.CASCAL, ml.RASCAL, ml.ALICE, ml.ALICES, ml.SALLY}
	}
	if c.SallyBins == 0 {
		c.SallyBins = limits.DefaultBins(np)
	}
	if c.Sizes == nil {
		c.Sizes = []int{1000, 3000, 10000, 30000, 100000}
	}
	if c.Seeds == 0 {
		c.Seeds = 3
	}
	if c.Grid == nil {
		c.Grid = make([]int, np)
		for i := range c.Grid {
			c.Grid[i] = 5
		}
		c.Grid[0] = 10
	}
	if c.Theta1 == nil {
		c.Theta1 = make([]float64, np)
	}
	if c.TestEvents == 0 {
		c.TestEvents = 1000
	}
	if c.FisherEvents == 0 {
		c.FisherEvents = 20000
	}
	if c.Steps == 0 {
		c.Steps = 60000
	}
	switch {
	case len(c.Theta0) != np || len(c.Grid) != np || len(c.Theta1) != np:
		return nil, fmt.Errorf("study: %d parameters, but %d θ0 ranges, %d grid sizes and %d θ1 values", np, len(c.Theta0), len(c.Grid), len(c.Theta1))
	case c.Seeds < 0 || c.TestEvents < 0 || c.FisherEvents < 0 || c.SallyBins < 1:
		return nil, fmt.Errorf("study: %d seeds, %d test events, %d Fisher events, %d SALLY bins", c.Seeds, c.TestEvents, c.FisherEvents, c.SallyBins)
	}
	for i, r := range c.Theta0 {
		if !(r[1] > r[0]) {
			return nil, fmt.Errorf("study: empty θ0 range [%g, %g] of parameter %d", r[0], r[1], i)
		}
		if c.Grid[i] < 1 {
			return nil, fmt.Errorf("study: %d grid points for parameter %d", c.Grid[i], i)
		}
	}
	for _, m := range c.Methods {
		switch m {
		case ml.CARL, ml.ROLR, ml.ALICE, ml.CASCAL, ml.RASCAL, ml.ALICES, ml.SALLY:
		default:
			return nil, fmt.Errorf("study: method %q is neither a ratio method nor sally", m)
		}
	}
	nObs := c.Source.NumObservables()
	for _, h := range c.Histograms {
		if h.Name == "" || len(h.Observables) == 0 || h.Bins < 0 {
			return nil, fmt.Errorf("study: histogram %q: needs a name, observables and bins ≥ 0", h.Name)
		}
		for _, o := range h.Observables {
			if o < 0 || o >= nObs {
				return nil, fmt.Errorf("study: histogram %s: observable %d of %d", h.Name, o, nObs)
			}
		}
	}
	split := partition.Default()
	if c.Sampling.Split != nil {
		split = *c.Sampling.Split
	}
	trainLo, trainHi, err := partition.Bounds(c.Source.NumEvents(), partition.Train, split)
	if err != nil {
		return nil, fmt.Errorf("study: %w", err)
	}
	for _, n := range c.Sizes {
		if n < 8 {
			return nil, fmt.Errorf("study: training size %d is too small", n)
		}
		if len(c.Histograms) > 0 || hasMethod(c.Methods, ml.SALLY) {
			if n > trainHi-trainLo {
				return nil, fmt.Errorf("study: training size %d exceeds the %d events of the training partition (histograms draw without replacement)", n, trainHi-trainLo)
			}
		}
	}
	// ml's defaults, which the step budget counts with.
	set := c.Settings.WithDefaults()
	set.Log = nil
	scfg := *c.Sampling
	scfg.Log = nil
	scfg.Seed = c.Seed ^ 0x7e57
	morpher := c.Sampling.Morpher

	// The truth: test events at every grid point, and at θ1 with scores.
	grid := gridPoints(c.Theta0, c.Grid)
	truth, err := sampling.ExactLogRatios(c.Source, &scfg, sampling.MorphingPoints(grid), sampling.MorphingPoint(c.Theta1...), c.TestEvents)
	if err != nil {
		return nil, fmt.Errorf("study: could not draw the test events: %w", err)
	}
	res := &EventResult{Parameters: np, Theta1: c.Theta1, Theta0: c.Theta0, Grid: grid, TestEvents: c.TestEvents,
		Sizes: c.Sizes, Seeds: c.Seeds, Hidden: c.Hidden, Features: c.Features, SallyBins: c.SallyBins,
		SallyScaled: c.SallyScaled, Settings: set, Steps: c.Steps, FisherEvents: c.FisherEvents, Truth: truth}
	res.GridMinNEff = math.Inf(1)
	for _, p := range truth.Points[:len(grid)] {
		res.GridNEff = append(res.GridNEff, p.NEff)
		res.GridMinNEff = math.Min(res.GridMinNEff, p.NEff)
	}
	abs := make([]float64, truth.N)
	for i, v := range truth.LogR {
		res.TrivialMSE += v * v
		abs[i] = math.Abs(v)
	}
	res.TrivialMSE /= float64(truth.N)
	sort.Float64s(abs)
	res.TailCut = abs[int(0.99*float64(truth.N-1))]
	bulk := make([]bool, truth.N)
	zero := make([]float64, truth.N)
	var tail float64
	for i, v := range truth.LogR {
		bulk[i] = math.Abs(v) <= res.TailCut
		if !bulk[i] {
			tail += v * v
		}
	}
	res.TailShare = tail / (res.TrivialMSE * float64(truth.N))
	res.TrivialBulkMSE = maskedSqDiff(zero, truth.LogR, bulk)
	testX := mat.NewDense(truth.N, truth.NObs, truth.X)
	testTheta := mat.NewDense(truth.N, np, truth.Theta0)
	rowPoint := make([]int, truth.N) // grid point of every test row (the rows are shuffled)
	for i := range rowPoint {
		rowPoint[i] = -1
		th := truth.Theta0[i*np : (i+1)*np]
		for g, p := range grid {
			if equal(p, th) {
				rowPoint[i] = g
				break
			}
		}
		if rowPoint[i] < 0 {
			return nil, fmt.Errorf("study: test row %d has θ0 %v, not a grid point", i, th)
		}
	}
	var fishX *mat.Dense
	var fishTruth *mat.SymDense
	if hasMethod(c.Methods, ml.SALLY) {
		test := partition.Test
		fcfg := scfg
		fcfg.Seed ^= 0xf15
		loc, _, err := sampling.Run(c.Source, &fcfg, sampling.Request{Name: "fisher", Kind: sampling.Local, Theta: sampling.MorphingPoint(c.Theta1...), N: c.FisherEvents, Partition: &test})
		if err != nil {
			return nil, fmt.Errorf("study: could not draw the Fisher events: %w", err)
		}
		fishX = mat.NewDense(loc[0].N, loc[0].NObs, loc[0].X)
		fishTruth = meanOuter(mat.NewDense(loc[0].N, loc[0].NScore, loc[0].TXZ0))
		res.FisherTruth = mat.DenseCopyOf(fishTruth).RawMatrix().Data
	}

	methods := append([]ml.Method{}, c.Methods...)
	for _, h := range c.Histograms {
		methods = append(methods, ml.Method(h.Name))
		bins := h.Bins
		if bins == 0 {
			bins = limits.DefaultBins(len(h.Observables))
		}
		res.Histograms = append(res.Histograms, HistoInfo{Name: h.Name, Observables: h.Observables, Bins: bins})
	}
	res.Methods = methods
	rows := newRows(methods, c.Sizes)
	gw := make([][]float64, len(grid)) // morphing weights of the grid points
	for i, th := range grid {
		gw[i] = morpher.WeightsTo(nil, th)
	}
	w1 := morpher.WeightsTo(nil, c.Theta1)
	lr := make([]float64, truth.N)
	for si, n := range c.Sizes {
		nTrain := float64(n) * (1 - math.Max(set.ValidationSplit, 0))
		epochs := set.Epochs
		if c.Steps > 0 {
			epochs = int(math.Ceil(float64(c.Steps) * float64(set.BatchSize) / nTrain))
		}
		res.Epochs = append(res.Epochs, epochs)
		fr := FisherRow{Size: n}
		for s := 0; s < c.Seeds; s++ {
			seed := c.Seed + uint64(s)
			dcfg := scfg
			dcfg.Seed = seed<<32 ^ uint64(n)
			var data ml.Data
			if hasRatio(c.Methods) {
				priors := make([]sampling.Prior, np)
				for i, r := range c.Theta0 {
					priors[i] = sampling.Prior{Kind: sampling.Flat, A: r[0], B: r[1]}
				}
				smp, _, err := sampling.Run(c.Source, &dcfg, sampling.Request{Name: "ratio", Kind: sampling.Ratio,
					Theta: sampling.RandomMorphingPoints((n+1)/2, priors...), Theta1: sampling.MorphingPoint(c.Theta1...), N: n})
				if err != nil {
					return nil, fmt.Errorf("study: %d events, seed %d: could not draw the ratio sample: %w", n, seed, err)
				}
				data = ratioData(smp[0])
			}
			var pool *eventPool
			if len(c.Histograms) > 0 || hasMethod(c.Methods, ml.SALLY) {
				rnd := rand.New(rand.NewPCG(seed, uint64(n)^0x4157))
				if pool, err = drawPool(c.Source, trainLo, trainHi, n, rnd, morpher.NumBasis()); err != nil {
					return nil, fmt.Errorf("study: %d events, seed %d: %w", n, seed, err)
				}
			}
			for _, m := range c.Methods {
				if err := canceled(c.Context); err != nil {
					return nil, fmt.Errorf("study: %w", err)
				}
				st := set
				st.Seed = seed
				st.Epochs = epochs
				var secs float64
				if m == ml.SALLY {
					lcfg := dcfg
					lcfg.Seed ^= 0x5a11 // not the ratio sample's seed
					loc, _, err := sampling.Run(c.Source, &lcfg, sampling.Request{Name: "local", Kind: sampling.Local, Theta: sampling.MorphingPoint(c.Theta1...), N: n})
					if err != nil {
						return nil, fmt.Errorf("study: %s, %d events, seed %d: could not draw: %w", m, n, seed, err)
					}
					hidden := c.Hidden
					if c.SallyHidden != nil {
						hidden = c.SallyHidden
					}
					t0 := time.Now()
					est, summ, err := trainSally(mat.NewDense(n, loc[0].NObs, loc[0].X), mat.NewDense(n, loc[0].NScore, loc[0].TXZ0),
						&ml.ScoreEstimator{Hidden: hidden, Features: c.Features}, c.SallyScaled, &st)
					if err != nil {
						return nil, fmt.Errorf("study: %s, %d events, seed %d: %w", m, n, seed, err)
					}
					secs = time.Since(t0).Seconds()
					poolT, err := summ(mat.NewDense(pool.n, pool.nObs, pool.x))
					if err != nil {
						return nil, err
					}
					testT, err := summ(testX)
					if err != nil {
						return nil, err
					}
					h, err := newHisto(poolT, c.SallyBins, pool, gw, w1)
					if err != nil {
						return nil, fmt.Errorf("study: %s, %d events, seed %d: %w", m, n, seed, err)
					}
					h.logRatio(lr, testT, nil, rowPoint)
					fT, err := summ(fishX)
					if err != nil {
						return nil, err
					}
					fi := meanOuter(fT)
					fr.Ratio = append(fr.Ratio, mat.Det(fi)/mat.Det(fishTruth))
					d := make([]float64, np)
					for k := range d {
						d[k] = fi.At(k, k) / fishTruth.At(k, k)
					}
					fr.Diag = append(fr.Diag, d)
					if c.SallyHidden != nil && res.SallyHidden == nil {
						res.SallyHidden = append([]int{}, est.Net.Sizes[1:len(est.Net.Sizes)-1]...)
					} else if c.SallyHidden == nil && res.Hidden == nil {
						res.Hidden = append([]int{}, est.Net.Sizes[1:len(est.Net.Sizes)-1]...)
					}
				} else {
					est := &ml.ParameterizedRatioEstimator{Hidden: c.Hidden, Features: c.Features}
					t0 := time.Now()
					if _, err := est.Train(m, data, &st); err != nil {
						return nil, fmt.Errorf("study: %s, %d events, seed %d: %w", m, n, seed, err)
					}
					secs = time.Since(t0).Seconds()
					if _, err := est.LogRatio(lr, nil, testX, testTheta); err != nil {
						return nil, err
					}
					if res.Hidden == nil {
						res.Hidden = append([]int{}, est.Net.Sizes[1:len(est.Net.Sizes)-1]...)
					}
				}
				mse := meanSqDiff(lr, truth.LogR)
				r := &rows[m][si]
				r.MSE = append(r.MSE, mse)
				r.BulkMSE = append(r.BulkMSE, maskedSqDiff(lr, truth.LogR, bulk))
				r.Seconds += secs / float64(c.Seeds)
				if c.Log != nil {
					fmt.Fprintf(c.Log, "study: %-8s n=%-6d seed=%d epochs=%d MSE=%.5f (%.1fs)\n", m, n, seed, epochs, mse, secs)
				}
			}
			for hi, hc := range c.Histograms {
				obs := pool.columns(hc.Observables)
				h, err := newHisto(obs, res.Histograms[hi].Bins, pool, gw, w1)
				if err != nil {
					return nil, fmt.Errorf("study: %s, %d events, seed %d: %w", hc.Name, n, seed, err)
				}
				h.logRatio(lr, testX, hc.Observables, rowPoint)
				mse := meanSqDiff(lr, truth.LogR)
				r := &rows[ml.Method(hc.Name)][si]
				r.MSE = append(r.MSE, mse)
				r.BulkMSE = append(r.BulkMSE, maskedSqDiff(lr, truth.LogR, bulk))
				if c.Log != nil {
					fmt.Fprintf(c.Log, "study: %-8s n=%-6d seed=%d MSE=%.5f\n", hc.Name, n, seed, mse)
				}
			}
		}
		if len(fr.Ratio) > 0 {
			fr.Mean, fr.Std = moments.MeanStd(fr.Ratio)
			res.Fisher = append(res.Fisher, fr)
			if c.Log != nil {
				fmt.Fprintf(c.Log, "study: sally    n=%-6d det I_sally/det I = %.4f ± %.4f\n", n, fr.Mean, fr.Std)
			}
		}
	}
	res.Table = rows.table(methods)
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// trainSally trains est with SALLY on the joint scores t of the samples
// x and returns it with its score function. With scaled, est learns t
// divided per component by its root mean square (t is overwritten) and the
// score function multiplies the estimate back.
func trainSally(x, t *mat.Dense, est *ml.ScoreEstimator, scaled bool, st *ml.Settings) (*ml.ScoreEstimator, func(*mat.Dense) (*mat.Dense, error), error) {
	var scale []float64
	if scaled {
		scale = scaleColumns(t)
	}
	if _, err := est.Train(ml.SALLY, x, t, st); err != nil {
		return nil, nil, err
	}
	return est, func(x *mat.Dense) (*mat.Dense, error) {
		th, err := est.Score(nil, x, ml.Keep)
		if err != nil {
			return nil, err
		}
		for k, s := range scale {
			col := mat.Col(nil, k, th)
			floats.Scale(s, col)
			th.SetCol(k, col)
		}
		return th, nil
	}, nil
}

// scaleColumns divides every column of a by its root mean square (a zero
// column is left as it is) and returns the divisors.
func scaleColumns(a *mat.Dense) []float64 {
	n, d := a.Dims()
	scale := make([]float64, d)
	for k := range scale {
		col := mat.Col(nil, k, a)
		rms := math.Sqrt(floats.Dot(col, col) / float64(n))
		if rms == 0 {
			rms = 1
		}
		floats.Scale(1/rms, col)
		a.SetCol(k, col)
		scale[k] = rms
	}
	return scale
}

func hasMethod(ms []ml.Method, m ml.Method) bool {
	for _, v := range ms {
		if v == m {
			return true
		}
	}
	return false
}

func hasRatio(ms []ml.Method) bool {
	for _, m := range ms {
		if m != ml.SALLY {
			return true
		}
	}
	return false
}

// gridPoints returns the points of the evenly spaced grid with n[i] points
// over ranges[i] (the first parameter varying slowest).
func gridPoints(ranges [][2]float64, n []int) [][]float64 {
	axis := make([][]float64, len(n))
	for i, k := range n {
		for j := 0; j < k; j++ {
			v := (ranges[i][0] + ranges[i][1]) / 2
			if k > 1 {
				v = ranges[i][0] + (ranges[i][1]-ranges[i][0])*float64(j)/float64(k-1)
			}
			axis[i] = append(axis[i], v)
		}
	}
	var out [][]float64
	var rec func(i int, cur []float64)
	rec = func(i int, cur []float64) {
		if i == len(axis) {
			out = append(out, append([]float64{}, cur...))
			return
		}
		for _, v := range axis[i] {
			rec(i+1, append(cur, v))
		}
	}
	rec(0, nil)
	return out
}

// ratioData returns a Ratio sample as ml training data.
func ratioData(s *sampling.Result) ml.Data {
	np := s.NParams
	th := func(v []float64) *mat.Dense {
		m := mat.NewDense(s.N, np, nil)
		for i := 0; i < s.N; i++ {
			for k := 0; k < np; k++ {
				m.Set(i, k, v[i*s.NTheta+k])
			}
		}
		return m
	}
	return ml.Data{
		X:      mat.NewDense(s.N, s.NObs, append([]float64(nil), s.X...)),
		Theta:  th(s.Theta0),
		Theta1: th(s.Theta1),
		Y:      append([]float64(nil), s.Y...),
		RXZ:    append([]float64(nil), s.RXZ...),
		TXZ:    mat.NewDense(s.N, np, append([]float64(nil), s.TXZ0[:s.N*np]...)),
		TXZ1:   mat.NewDense(s.N, np, append([]float64(nil), s.TXZ1...)),
	}
}

// eventPool is n events of the training partition with their basis
// weights.
type eventPool struct {
	n, nObs, nB int
	x, w        []float64
}

// drawPool draws n distinct events uniformly from [lo, hi) and keeps their
// observables and first nB weights; only the drawn events are held.
func drawPool(src sampling.Source, lo, hi, n int, rnd *rand.Rand, nB int) (*eventPool, error) {
	perm := rnd.Perm(hi - lo)[:n]
	sort.Ints(perm)
	p := &eventPool{n: n, nObs: src.NumObservables(), nB: nB}
	p.x = make([]float64, 0, n*p.nObs)
	p.w = make([]float64, 0, n*nB)
	nW := src.NumWeights()
	k := 0
	err := src.Read(lo, hi, 65536, func(b *sampling.Batch) error {
		for k < n && lo+perm[k] < b.Start+b.Len {
			i := lo + perm[k] - b.Start
			p.x = append(p.x, b.X[i*p.nObs:(i+1)*p.nObs]...)
			p.w = append(p.w, b.W[i*nW:i*nW+nB]...)
			k++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("could not read the histogram events: %w", err)
	}
	if k != n {
		return nil, fmt.Errorf("read %d of %d histogram events", k, n)
	}
	return p, nil
}

// columns returns the observables cols of the pool's events as a matrix.
func (p *eventPool) columns(cols []int) *mat.Dense {
	m := mat.NewDense(p.n, len(cols), nil)
	for i := 0; i < p.n; i++ {
		for j, c := range cols {
			m.Set(i, j, p.x[i*p.nObs+c])
		}
	}
	return m
}

// histo holds the reweighted histograms of a pool of events at the grid
// points and at θ1, as normalised cell probabilities.
type histo struct {
	edges [][]float64
	p     [][]float64 // per grid point, per cell
	p1    []float64
}

// newHisto bins the pool's summaries v (pool.n × d) with bins adaptive bins
// per dimension (equal quantiles of the mean over the grid of the normalised
// distributions) and fills the histograms at every grid point (morphing
// weights gw) and at θ1 (w1) with the events' own weights.
func newHisto(v *mat.Dense, bins int, pool *eventPool, gw [][]float64, w1 []float64) (*histo, error) {
	n, d := v.Dims()
	dsig := func(w []float64) ([]float64, float64) {
		out := make([]float64, n)
		var s float64
		for i := range out {
			out[i] = dot(w, pool.w[i*pool.nB:(i+1)*pool.nB])
			s += out[i]
		}
		return out, s
	}
	grid := make([][]float64, len(gw))
	mean := make([]float64, n)
	for g, w := range gw {
		var s float64
		grid[g], s = dsig(w)
		if !(s > 0) {
			return nil, fmt.Errorf("histogram events have cross section %g at grid point %d", s, g)
		}
		for i, v := range grid[g] {
			mean[i] += v / s
		}
	}
	h := &histo{}
	col := make([]float64, n)
	for j := 0; j < d; j++ {
		mat.Col(col, j, v)
		e, err := limits.AdaptiveEdges(col, mean, bins)
		if err != nil {
			return nil, err
		}
		h.edges = append(h.edges, e)
	}
	row := make([]float64, d)
	cells := make([]int, n)
	for i := range cells {
		cells[i] = h.cell(mat.Row(row, i, v))
	}
	fill := func(ds []float64) []float64 {
		p := make([]float64, h.cells())
		var s float64
		for i, c := range cells {
			p[c] += ds[i]
			s += ds[i]
		}
		for k := range p {
			p[k] /= s
		}
		return p
	}
	for _, ds := range grid {
		h.p = append(h.p, fill(ds))
	}
	ds1, s1 := dsig(w1)
	if !(s1 > 0) {
		return nil, fmt.Errorf("histogram events have cross section %g at θ1", s1)
	}
	h.p1 = fill(ds1)
	return h, nil
}

func (h *histo) cells() int {
	k := 1
	for _, e := range h.edges {
		k *= len(e) - 1
	}
	return k
}

// cell returns the cell of v; values outside the outer edges go to the
// outer bins.
func (h *histo) cell(v []float64) int {
	c := 0
	for j, e := range h.edges {
		nb := len(e) - 1
		b := sort.SearchFloat64s(e, v[j])
		if b < len(e) && e[b] == v[j] {
			b++ // on an edge: the bin on its right
		}
		c = c*nb + min(max(b-1, 0), nb-1)
	}
	return c
}

// logRatio writes log r̂ for the test rows x (columns cols of x, or all
// when cols is nil) at their grid points; cells without pool events give 0.
func (h *histo) logRatio(dst []float64, x *mat.Dense, cols []int, point []int) {
	_, nc := x.Dims()
	if cols == nil {
		cols = make([]int, nc)
		for j := range cols {
			cols[j] = j
		}
	}
	v := make([]float64, len(cols))
	for i := range dst {
		for j, c := range cols {
			v[j] = x.At(i, c)
		}
		k := h.cell(v)
		p, p1 := h.p[point[i]][k], h.p1[k]
		if p > 0 && p1 > 0 {
			dst[i] = math.Log(p) - math.Log(p1)
		} else {
			dst[i] = 0
		}
	}
}

// meanOuter returns the mean of t tᵀ over the rows t of m.
func meanOuter(m *mat.Dense) *mat.SymDense {
	n, d := m.Dims()
	out := mat.NewSymDense(d, nil)
	out.SymRankK(out, 1/float64(n), m.T())
	return out
}

func meanSqDiff(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s / float64(len(a))
}

// maskedSqDiff is meanSqDiff over the rows where keep is true.
func maskedSqDiff(a, b []float64, keep []bool) float64 {
	var s float64
	n := 0
	for i := range a {
		if keep[i] {
			d := a[i] - b[i]
			s += d * d
			n++
		}
	}
	return s / float64(n)
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func equal(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}
