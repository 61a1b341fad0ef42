// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package study

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/moments"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/simulators"
)

// Config configures the sample-efficiency study. A nil *Config
// means all defaults.
type Config struct {
	// Board is the Galton board; its zero value is the default 20-row
	// board with one parameter.
	Board simulators.Galton
	// Methods are the methods of package ml to train: ratio methods, and
	// ml.SALLY for SALLY + histogram (see Study); nil means CARL, ROLR,
	// ALICE, RASCAL, ALICES, SALLY.
	Methods []ml.Method
	// SallyBins is the number of adaptive bins of the SALLY histogram;
	// 0 means MadMiner's default for one summary statistic (25).
	SallyBins int
	// Sizes are the training-set sizes (events, half from θ0 and half from
	// θ1); nil means 1000, 3000, 10000, 30000, 100000.
	Sizes []int
	// Seeds is the number of seeds per size (each seed draws a new
	// training set and a new network initialisation); 0 means 3.
	Seeds int
	// Theta0Lo and Theta0Hi bound the uniform prior of θ0 in training and
	// the evaluation grid; both 0 means [−0.5, 0.5]. (For the default board
	// and θ1 = 0, θ < −0.5 puts percent-level probability on slots that
	// have p(x|θ1) ~ 1e−4, where no estimator can learn log r from
	// ≲ 10⁵ events: a wider range measures that floor, not the methods.)
	Theta0Lo, Theta0Hi float64
	// Theta1 is the reference (denominator) hypothesis θ1; default 0.
	Theta1 float64
	// GridPoints is the number of evenly spaced θ in [Theta0Lo, Theta0Hi]
	// of the evaluation grid; 0 means 21.
	GridPoints int
	// Hidden lists the hidden-layer widths of the networks; nil means the
	// ml default (100,).
	Hidden []int
	// Settings are the training settings; Seed is replaced by the study
	// seed. nil means the ml defaults (MadMiner's: 50 epochs, batch 128,
	// AMSGrad, learning rate 1e−3 → 1e−4, 25% validation with early
	// stopping on the best epoch).
	Settings *ml.Settings
	// Steps and MinEpochs set the training budget, by one rule for every
	// method: each training runs at least Steps optimizer steps and at
	// least MinEpochs epochs, i.e.
	// epochs = max(ceil(Steps·BatchSize/n_train), MinEpochs). The fixed
	// number of steps keeps the small sets from being compared
	// undertrained; the minimum number of epochs scales the steps with the
	// data at large n, where a fixed number of steps leaves the training
	// optimization-limited (see study/results/README.md: with 60000 steps
	// alone the 10⁵-event trainings ran 103 epochs, and ALICES's error
	// fell from 0.0040 to 0.0016 with 4 times the steps). Early stopping
	// keeps the epoch with the best validation loss. Steps 0 means 60000,
	// negative means use Settings.Epochs for every size (MinEpochs is
	// then ignored); MinEpochs 0 means 300, negative means no minimum.
	Steps     int
	MinEpochs int
	// Seed offsets all seeds.
	Seed uint64
	// Log receives one line per trained model; nil means silent.
	Log io.Writer
	// Context, if not nil, stops the study between two trainings when it
	// is cancelled, with its error.
	Context context.Context
}

// Row is the result for one method and one training-set size.
type Row struct {
	Method ml.Method `json:"method"`
	Size   int       `json:"size"`
	// MSE holds the expected squared error of log r̂ for every seed.
	MSE  []float64 `json:"mse"`
	Mean float64   `json:"mean"`
	// Std is the sample standard deviation over seeds (0 for one seed).
	Std float64 `json:"std"`
	// Seconds is the mean training time.
	Seconds float64 `json:"seconds"`
	// BulkMSE (events study only) holds, per seed, the error over the test
	// events outside the tail of the truth (EventResult.TailCut).
	BulkMSE []float64 `json:"mse_bulk,omitempty"`
}

// rows holds the rows of a study being run, per method one per training
// size, in the order of the sizes.
type rows map[ml.Method][]Row

// newRows returns the empty rows of methods and sizes.
func newRows(methods []ml.Method, sizes []int) rows {
	r := make(rows, len(methods))
	for _, m := range methods {
		for _, n := range sizes {
			r[m] = append(r[m], Row{Method: m, Size: n})
		}
	}
	return r
}

// table returns the rows of methods in that order, each with the mean and
// standard deviation of its errors over seeds.
func (r rows) table(methods []ml.Method) []Row {
	var t []Row
	for _, m := range methods {
		for _, row := range r[m] {
			row.Mean, row.Std = moments.MeanStd(row.MSE)
			t = append(t, row)
		}
	}
	return t
}

// Result is the table of the study, ready for JSON.
type Result struct {
	Rows       int         `json:"rows"`
	Theta1     float64     `json:"theta1"`
	Theta0Lo   float64     `json:"theta0_lo"`
	Theta0Hi   float64     `json:"theta0_hi"`
	Grid       []float64   `json:"grid"`
	Sizes      []int       `json:"sizes"`
	Methods    []ml.Method `json:"methods"`
	Seeds      int         `json:"seeds"`
	Hidden     []int       `json:"hidden"` // as trained
	SallyBins  int         `json:"sally_bins,omitempty"`
	Settings   ml.Settings `json:"settings"` // Epochs replaced per size by Epochs
	Epochs     []int       `json:"epochs"`   // per size
	Steps      int         `json:"steps"`
	MinEpochs  int         `json:"min_epochs,omitempty"`
	TrivialMSE float64     `json:"trivial_mse"` // the error of log r̂ = 0, for scale
	Table      []Row       `json:"table"`
}

// Run measures the sample efficiency of the ratio estimators on the
// Galton board, whose likelihood ratio is known exactly (Galton.Probs).
// For every training-set size and seed it draws one training sample with
// SampleRatio (θ0 uniform in [Theta0Lo, Theta0Hi], one value per event;
// θ1 = Theta1), trains every method on it with the same settings, and
// computes the expected squared error
//
//	MSE = (1/|G|) Σ_{θ∈G} Σ_x p(x|θ) [log r̂(x|θ,θ1) − log r(x|θ,θ1)]²
//
// over the evaluation grid G, exactly (the sum over the board's slots
// replaces the expectation over x ~ p(x|θ)).
//
// SALLY + histogram (ml.SALLY) gets its own training set of the same size,
// drawn at the reference θ1 with the joint score t(x,z|θ1); the estimated
// score t̂(x) is the summary statistic, binned adaptively (SallyBins equal
// quantiles of the mean of p(x|θ) over the grid, MadMiner's binning fixed
// over the scan grid), and log r̂ is the log ratio of
// the histograms at θ and θ1. The histograms are filled with the exact
// slot probabilities, the limit of unlimited simulation for the
// histograms, so the training size measures only SALLY's training: the
// error left is that of the summary and of the binning.
func Run(cfg *Config) (*Result, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if c.Methods == nil {
		c.Methods = []ml.Method{ml.CARL, ml.ROLR, ml.ALICE, ml.RASCAL, ml.ALICES, ml.SALLY}
	}
	if c.SallyBins == 0 {
		c.SallyBins = limits.DefaultBins(1)
	}
	if c.Sizes == nil {
		c.Sizes = []int{1000, 3000, 10000, 30000, 100000}
	}
	if c.Seeds == 0 {
		c.Seeds = 3
	}
	if c.Theta0Lo == 0 && c.Theta0Hi == 0 {
		c.Theta0Lo, c.Theta0Hi = -0.5, 0.5
	}
	if c.GridPoints == 0 {
		c.GridPoints = 21
	}
	if c.Steps == 0 {
		c.Steps = 60000
	}
	if c.MinEpochs == 0 {
		c.MinEpochs = 300
	}
	switch {
	case c.Seeds < 0:
		return nil, fmt.Errorf("simulators: study: %d seeds", c.Seeds)
	case !(c.Theta0Hi > c.Theta0Lo):
		return nil, fmt.Errorf("simulators: study: empty θ0 range [%g, %g]", c.Theta0Lo, c.Theta0Hi)
	case c.GridPoints < 1:
		return nil, fmt.Errorf("simulators: study: %d grid points", c.GridPoints)
	case c.SallyBins < 1:
		return nil, fmt.Errorf("simulators: study: %d SALLY bins", c.SallyBins)
	}
	for _, m := range c.Methods {
		switch m {
		case ml.CARL, ml.ROLR, ml.ALICE, ml.CASCAL, ml.RASCAL, ml.ALICES, ml.SALLY:
		default:
			return nil, fmt.Errorf("simulators: study: method %q is neither a ratio method nor sally", m)
		}
	}
	for _, n := range c.Sizes {
		if n < 8 {
			return nil, fmt.Errorf("simulators: study: training size %d is too small", n)
		}
	}
	// ml's defaults, which the step budget counts with.
	set := c.Settings.WithDefaults()
	set.Log = nil

	// Exact truth on the grid.
	grid := make([]float64, c.GridPoints)
	for i := range grid {
		if c.GridPoints == 1 {
			grid[i] = (c.Theta0Lo + c.Theta0Hi) / 2
			continue
		}
		grid[i] = c.Theta0Lo + (c.Theta0Hi-c.Theta0Lo)*float64(i)/float64(c.GridPoints-1)
	}
	p1, err := c.Board.Probs([]float64{c.Theta1})
	if err != nil {
		return nil, err
	}
	nx := len(p1)
	px := make([][]float64, len(grid))
	logR := make([][]float64, len(grid))
	for i, th := range grid {
		p, err := c.Board.Probs([]float64{th})
		if err != nil {
			return nil, err
		}
		px[i], logR[i] = make([]float64, nx), make([]float64, nx)
		for k := range p {
			px[i][k] = p[k].V
			logR[i][k] = math.Log(p[k].V) - math.Log(p1[k].V)
		}
	}
	p1v := make([]float64, nx)
	for k := range p1 {
		p1v[k] = p1[k].V
	}
	trivial := expectedMSE(mat.NewDense(len(grid), nx, nil), px, logR)
	xs := mat.NewDense(nx, 1, nil)
	for k := 0; k < nx; k++ {
		xs.Set(k, 0, float64(k))
	}
	thetas := mat.NewDense(len(grid), 1, grid)

	res := &Result{Rows: nx - 1, Theta1: c.Theta1, Theta0Lo: c.Theta0Lo, Theta0Hi: c.Theta0Hi,
		Grid: grid, Sizes: c.Sizes, Methods: c.Methods, Seeds: c.Seeds, Hidden: c.Hidden, SallyBins: c.SallyBins,
		Settings: set, Steps: c.Steps, MinEpochs: max(c.MinEpochs, 0), TrivialMSE: trivial}
	rows := newRows(c.Methods, c.Sizes)
	for si, n := range c.Sizes {
		nTrain := float64(n) * (1 - math.Max(set.ValidationSplit, 0))
		epochs := set.Epochs
		if c.Steps > 0 {
			epochs = budgetEpochs(c.Steps, c.MinEpochs, set.BatchSize, nTrain)
		}
		res.Epochs = append(res.Epochs, epochs)
		for s := 0; s < c.Seeds; s++ {
			seed := c.Seed + uint64(s)
			rnd := rand.New(rand.NewPCG(seed, uint64(n)))
			th0 := make([][]float64, n)
			for i := range th0 {
				th0[i] = []float64{c.Theta0Lo + (c.Theta0Hi-c.Theta0Lo)*rnd.Float64()}
			}
			smp, err := simulators.SampleRatio(c.Board.Simulate, th0, [][]float64{{c.Theta1}}, n,
				&simulators.Config{Seed: seed<<32 ^ uint64(n)})
			if err != nil {
				return nil, err
			}
			data := trainingData(smp)
			for _, m := range c.Methods {
				if err := canceled(c.Context); err != nil {
					return nil, fmt.Errorf("study: %w", err)
				}
				st := set
				st.Seed = seed
				st.Epochs = epochs
				var (
					lr    mat.Matrix
					sizes []int
					secs  float64
					hist  *ml.History
				)
				if m == ml.SALLY {
					// SALLY's own training set: n events at the
					// reference θ1 with their joint scores.
					loc, err := simulators.SampleScore(c.Board.Simulate, [][]float64{{c.Theta1}}, n,
						&simulators.Config{Seed: seed<<32 ^ uint64(n) ^ 0x5a11}) // not the ratio sample's seed
					if err != nil {
						return nil, err
					}
					est := &ml.ScoreEstimator{Hidden: c.Hidden}
					start := time.Now()
					if hist, err = est.Train(ml.SALLY, mat.NewDense(n, 1, loc.X), mat.NewDense(n, 1, loc.TXZ0), &st); err != nil {
						return nil, fmt.Errorf("simulators: study: %s, %d events, seed %d: %w", m, n, seed, err)
					}
					secs = time.Since(start).Seconds()
					that, err := est.Score(nil, xs, ml.Keep)
					if err != nil {
						return nil, err
					}
					if lr, err = histogramLogRatio(mat.Col(nil, 0, that), px, p1v, c.SallyBins); err != nil {
						return nil, fmt.Errorf("simulators: study: %s, %d events, seed %d: %w", m, n, seed, err)
					}
					sizes = est.Net.Sizes
				} else {
					est := &ml.ParameterizedRatioEstimator{Hidden: c.Hidden}
					start := time.Now()
					if hist, err = est.Train(m, data, &st); err != nil {
						return nil, fmt.Errorf("simulators: study: %s, %d events, seed %d: %w", m, n, seed, err)
					}
					secs = time.Since(start).Seconds()
					if lr, _, err = est.LogRatioGrid(xs, thetas, false); err != nil {
						return nil, err
					}
					sizes = est.Net.Sizes
				}
				if res.Hidden == nil {
					res.Hidden = append([]int{}, sizes[1:len(sizes)-1]...)
				}
				mse := expectedMSE(lr, px, logR)
				r := &rows[m][si]
				r.MSE = append(r.MSE, mse)
				r.Seconds += secs / float64(c.Seeds)
				if c.Log != nil {
					val := math.NaN() // no validation
					if len(hist.Val) > 0 {
						val = hist.Val[hist.BestEpoch]
					}
					fmt.Fprintf(c.Log, "study: %-6s n=%-6d seed=%d epochs=%d best=%d train=%.6f val=%.6f MSE=%.5f (%.1fs)\n",
						m, n, seed, epochs, hist.BestEpoch+1, hist.Train[hist.BestEpoch], val, mse, secs)
				}
			}
		}
	}
	res.Table = rows.table(c.Methods)
	return res, nil
}

// budgetEpochs is the study's budget rule: the number of epochs of a
// training on nTrain events with batches of batchSize rows that makes at
// least steps optimizer steps and at least minEpochs epochs.
func budgetEpochs(steps, minEpochs, batchSize int, nTrain float64) int {
	return max(int(math.Ceil(float64(steps)*float64(batchSize)/nTrain)), minEpochs)
}

// histogramLogRatio returns the SALLY + histogram estimate of
// log r(x|θ,θ1) for every grid point θ (rows) and slot x (columns): the
// slots' estimated scores, the summary statistic that, are binned with
// MadMiner's adaptive binning fixed over the grid (equal quantiles of the
// mean of p(x|θ) over the grid, its fix_adaptive_binning="grid"), values
// outside the outer edges going to the outer bins; the histograms are
// filled with the exact slot probabilities px[i] (θ of the grid) and p1
// (θ1), and log r̂(x) = log P(bin(x)|θ) − log P(bin(x)|θ1).
func histogramLogRatio(that []float64, px [][]float64, p1 []float64, bins int) (*mat.Dense, error) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range that {
		if math.IsNaN(v) {
			return nil, fmt.Errorf("estimated score is NaN")
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	lr := mat.NewDense(len(px), len(that), nil)
	if lo == hi {
		return lr, nil // one bin: the summary carries no information
	}
	mean := make([]float64, len(that))
	for _, p := range px {
		for k, v := range p {
			mean[k] += v / float64(len(px))
		}
	}
	edges, err := limits.AdaptiveEdges(that, mean, bins)
	if err != nil {
		return nil, err
	}
	nb := len(edges) - 1
	bin := make([]int, len(that))
	for k, v := range that {
		b := sort.SearchFloat64s(edges, v) // first edge ≥ v
		if b < len(edges) && edges[b] == v {
			b++ // v on an edge belongs to the bin on its right
		}
		bin[k] = min(max(b-1, 0), nb-1)
	}
	h1 := make([]float64, nb)
	for k, b := range bin {
		h1[b] += p1[k]
	}
	h := make([]float64, nb)
	for i, p := range px {
		clear(h)
		for k, b := range bin {
			h[b] += p[k]
		}
		for k, b := range bin {
			lr.Set(i, k, math.Log(h[b])-math.Log(h1[b]))
		}
	}
	return lr, nil
}

// expectedMSE returns (1/n_θ) Σ_i Σ_k px[i][k]·(lr[i,k] − logR[i][k])².
func expectedMSE(lr mat.Matrix, px, logR [][]float64) float64 {
	mse := 0.0
	for i := range px {
		for k := range px[i] {
			d := lr.At(i, k) - logR[i][k]
			mse += px[i][k] * d * d
		}
	}
	return mse / float64(len(px))
}

// Curve returns the rows of method m in the order of r.Sizes: the
// training sizes, the mean errors and their standard deviations over
// seeds, ready to plot. It returns nil slices if m was not studied.
func (r *Result) Curve(m ml.Method) (sizes, mean, std []float64) {
	return curve(r.Sizes, r.Table, m)
}

func curve(sz []int, table []Row, m ml.Method) (sizes, mean, std []float64) {
	for _, n := range sz {
		for _, row := range table {
			if row.Method == m && row.Size == n {
				sizes = append(sizes, float64(n))
				mean = append(mean, row.Mean)
				std = append(std, row.Std)
			}
		}
	}
	return sizes, mean, std
}

// Label names a study method in tables and figures: the method's
// name, and "sally+histogram" for SALLY.
func Label(m ml.Method) string {
	if m == ml.SALLY {
		return "sally+histogram"
	}
	return string(m)
}

// WriteTable writes the study table as text: one line per method, one
// column (mean ± sd over seeds) per training size in the order of r.Sizes.
func (r *Result) WriteTable(w io.Writer) {
	writeTable(w, r.Seeds, r.TrivialMSE, r.Sizes, r.Methods, r.Curve)
}

func writeTable(w io.Writer, seeds int, trivial float64, sizes []int, methods []ml.Method, curve func(ml.Method) ([]float64, []float64, []float64)) {
	fmt.Fprintf(w, "expected squared error of log r̂ (mean ± sd over %d seeds; trivial log r̂ = 0: %.4g)\n%-16s", seeds, trivial, "method")
	for _, n := range sizes {
		fmt.Fprintf(w, " %20d", n)
	}
	fmt.Fprintln(w)
	for _, m := range methods {
		fmt.Fprintf(w, "%-16s", Label(m))
		_, mean, std := curve(m)
		for i := range mean {
			fmt.Fprintf(w, " %11.4g ± %-6.2g", mean[i], std[i])
		}
		fmt.Fprintln(w)
	}
}

// trainingData returns a mined sample as ml training data (the arrays are
// copied into gonum matrices; fields absent from the sample stay nil).
func trainingData(s *simulators.Sample) ml.Data {
	dense := func(v []float64, c int) *mat.Dense {
		if v == nil || s.N == 0 {
			return nil
		}
		return mat.NewDense(s.N, c, append([]float64(nil), v...))
	}
	return ml.Data{
		X:      dense(s.X, s.NObs),
		Theta:  dense(s.Theta0, s.NParams),
		Theta1: dense(s.Theta1, s.NParams),
		Y:      append([]float64(nil), s.Y...),
		RXZ:    append([]float64(nil), s.RXZ...),
		TXZ:    dense(s.TXZ0, s.NParams),
		TXZ1:   dense(s.TXZ1, s.NParams),
	}
}

// canceled returns the error of ctx, nil for a nil ctx.
func canceled(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return ctx.Err()
}
