// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/ml"
)

// StudyConfig configures the sample-efficiency study. A nil *StudyConfig
// means all defaults.
type StudyConfig struct {
	// Board is the Galton board; its zero value is the default 20-row
	// board with one parameter.
	Board Galton
	// Methods are the ratio methods of package ml to train; nil means
	// CARL, ROLR, ALICE, RASCAL, ALICES.
	Methods []ml.Method
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
	// Steps is the number of optimizer steps of every training, whatever
	// the training size: the number of epochs is set to
	// ceil(Steps·BatchSize/n_train). With a fixed number of epochs the
	// small sets would be compared undertrained (optimization-limited)
	// rather than data-limited. Early stopping keeps the epoch with the
	// best validation loss. 0 means 60000 (with 20000 the trainings on
	// ≥ 10⁴ events were still optimization-limited: CARL's error at 10⁴
	// events fell from 0.075 to 0.028 with 60000); negative means use
	// Settings.Epochs for every size.
	Steps int
	// Seed offsets all seeds.
	Seed uint64
	// Log receives one line per trained model; nil means silent.
	Log io.Writer
}

// StudyRow is the result for one method and one training-set size.
type StudyRow struct {
	Method ml.Method `json:"method"`
	Size   int       `json:"size"`
	// MSE holds the expected squared error of log r̂ for every seed.
	MSE  []float64 `json:"mse"`
	Mean float64   `json:"mean"`
	// Std is the sample standard deviation over seeds (0 for one seed).
	Std float64 `json:"std"`
	// Seconds is the mean training time.
	Seconds float64 `json:"seconds"`
}

// StudyResult is the table of the study, ready for JSON.
type StudyResult struct {
	Rows       int         `json:"rows"`
	Theta1     float64     `json:"theta1"`
	Theta0Lo   float64     `json:"theta0_lo"`
	Theta0Hi   float64     `json:"theta0_hi"`
	Grid       []float64   `json:"grid"`
	Sizes      []int       `json:"sizes"`
	Methods    []ml.Method `json:"methods"`
	Seeds      int         `json:"seeds"`
	Hidden     []int       `json:"hidden"`   // as trained
	Settings   ml.Settings `json:"settings"` // Epochs replaced per size by Epochs
	Epochs     []int       `json:"epochs"`   // per size
	Steps      int         `json:"steps"`
	TrivialMSE float64     `json:"trivial_mse"` // the error of log r̂ = 0, for scale
	Table      []StudyRow  `json:"table"`
}

// Study measures the sample efficiency of the ratio estimators on the
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
func Study(cfg *StudyConfig) (*StudyResult, error) {
	var c StudyConfig
	if cfg != nil {
		c = *cfg
	}
	if c.Methods == nil {
		c.Methods = []ml.Method{ml.CARL, ml.ROLR, ml.ALICE, ml.RASCAL, ml.ALICES}
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
	switch {
	case c.Seeds < 0:
		return nil, fmt.Errorf("simulators: study: %d seeds", c.Seeds)
	case !(c.Theta0Hi > c.Theta0Lo):
		return nil, fmt.Errorf("simulators: study: empty θ0 range [%g, %g]", c.Theta0Lo, c.Theta0Hi)
	case c.GridPoints < 1:
		return nil, fmt.Errorf("simulators: study: %d grid points", c.GridPoints)
	}
	for _, n := range c.Sizes {
		if n < 8 {
			return nil, fmt.Errorf("simulators: study: training size %d is too small", n)
		}
	}
	var set ml.Settings
	if c.Settings != nil {
		set = *c.Settings
	}
	set.Log = nil
	// The ml defaults, needed to count steps.
	if set.Epochs == 0 {
		set.Epochs = 50
	}
	if set.BatchSize == 0 {
		set.BatchSize = 128
	}
	if set.ValidationSplit == 0 {
		set.ValidationSplit = 0.25
	}

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
	trivial := expectedMSE(mat.NewDense(len(grid), nx, nil), px, logR)
	xs := mat.NewDense(nx, 1, nil)
	for k := 0; k < nx; k++ {
		xs.Set(k, 0, float64(k))
	}
	thetas := mat.NewDense(len(grid), 1, grid)

	res := &StudyResult{Rows: nx - 1, Theta1: c.Theta1, Theta0Lo: c.Theta0Lo, Theta0Hi: c.Theta0Hi,
		Grid: grid, Sizes: c.Sizes, Methods: c.Methods, Seeds: c.Seeds, Hidden: c.Hidden,
		Settings: set, Steps: c.Steps, TrivialMSE: trivial}
	rows := make(map[ml.Method][]StudyRow)
	for _, m := range c.Methods {
		for _, n := range c.Sizes {
			rows[m] = append(rows[m], StudyRow{Method: m, Size: n})
		}
	}
	for si, n := range c.Sizes {
		nTrain := float64(n) * (1 - math.Max(set.ValidationSplit, 0))
		epochs := set.Epochs
		if c.Steps > 0 {
			epochs = int(math.Ceil(float64(c.Steps) * float64(set.BatchSize) / nTrain))
		}
		res.Epochs = append(res.Epochs, epochs)
		for s := 0; s < c.Seeds; s++ {
			seed := c.Seed + uint64(s)
			rnd := rand.New(rand.NewPCG(seed, uint64(n)))
			th0 := make([][]float64, n)
			for i := range th0 {
				th0[i] = []float64{c.Theta0Lo + (c.Theta0Hi-c.Theta0Lo)*rnd.Float64()}
			}
			smp, err := SampleRatio(c.Board.Simulate, th0, [][]float64{{c.Theta1}}, n,
				&Config{Seed: seed<<32 ^ uint64(n)})
			if err != nil {
				return nil, err
			}
			data := smp.Data()
			for _, m := range c.Methods {
				st := set
				st.Seed = seed
				st.Epochs = epochs
				est := &ml.ParameterizedRatioEstimator{Hidden: c.Hidden}
				start := time.Now()
				if _, err := est.Train(m, data, &st); err != nil {
					return nil, fmt.Errorf("simulators: study: %s, %d events, seed %d: %w", m, n, seed, err)
				}
				secs := time.Since(start).Seconds()
				if res.Hidden == nil {
					sz := est.Net.Sizes
					res.Hidden = append([]int{}, sz[1:len(sz)-1]...)
				}
				lr, _, err := est.LogRatioGrid(xs, thetas, false)
				if err != nil {
					return nil, err
				}
				mse := expectedMSE(lr, px, logR)
				r := &rows[m][si]
				r.MSE = append(r.MSE, mse)
				r.Seconds += secs / float64(c.Seeds)
				if c.Log != nil {
					fmt.Fprintf(c.Log, "study: %-6s n=%-6d seed=%d epochs=%d MSE=%.5f (%.1fs)\n", m, n, seed, epochs, mse, secs)
				}
			}
		}
	}
	for _, m := range c.Methods {
		for _, r := range rows[m] {
			r.Mean, r.Std = meanStd(r.MSE)
			res.Table = append(res.Table, r)
		}
	}
	return res, nil
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

func meanStd(v []float64) (m, s float64) {
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	if len(v) < 2 {
		return m, 0
	}
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return m, math.Sqrt(s / float64(len(v)-1))
}
