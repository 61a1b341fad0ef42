// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"time"
)

// Optimizer names a stochastic-gradient method.
type Optimizer string

// Optimizers, with PyTorch's conventions (β = (0.9, 0.999), ε = 1e−8;
// SGD momentum as torch.optim.SGD without dampening).
const (
	AMSGrad Optimizer = "amsgrad"
	Adam    Optimizer = "adam"
	SGD     Optimizer = "sgd"
)

// Precision is the floating-point type of the network arithmetic.
type Precision string

// Precisions. Float64 is the default and the precision of every gradient
// check; Float32 (MadMiner's) halves the memory traffic and doubles the
// width of the vector kernels. In float32 the forward and reverse passes
// run in float32, while the weights, the optimizer state and the sums of
// losses and gradients over a batch stay float64.
const (
	Float64 Precision = "float64"
	Float32 Precision = "float32"
)

// Settings configures training. A nil *Settings means all defaults, and
// each zero field takes the default documented with it, which is
// MadMiner's default.
type Settings struct {
	// Optimizer; "" means AMSGrad.
	Optimizer Optimizer `json:"optimizer"`
	// Momentum of SGD (0: plain SGD).
	Momentum float64 `json:"momentum,omitempty"`
	// Epochs; 0 means 50.
	Epochs int `json:"epochs"`
	// BatchSize; 0 means 128.
	BatchSize int `json:"batch_size"`
	// InitialLR and FinalLR: the learning rate decays exponentially from
	// InitialLR in the first epoch to FinalLR in the last;
	// 0 means 1e−3 and 1e−4.
	InitialLR float64 `json:"initial_lr"`
	FinalLR   float64 `json:"final_lr"`
	// ValidationSplit is the fraction of samples held out for validation
	// and early stopping; 0 means 0.25, negative means no validation.
	ValidationSplit float64 `json:"validation_split"`
	// NoEarlyStopping disables early stopping. With early stopping, the
	// weights of the epoch with the lowest validation loss are restored
	// at the end (a copy, unlike MadMiner, which keeps the last epoch).
	NoEarlyStopping bool `json:"no_early_stopping,omitempty"`
	// Patience stops training after this many epochs without improvement
	// of the validation loss; 0 means never stop early.
	Patience int `json:"patience,omitempty"`
	// ClipGradient, if positive, rescales the gradient to this L2 norm
	// when it is larger.
	ClipGradient float64 `json:"clip_gradient,omitempty"`
	// Alpha weights the score term of CASCAL, RASCAL, ALICES and
	// SCANDAL; 0 means 1.
	Alpha float64 `json:"alpha,omitempty"`
	// NoInputScaling disables the standardisation of x.
	NoInputScaling bool `json:"no_input_scaling,omitempty"`
	// NoParameterScaling disables the standardisation of θ.
	NoParameterScaling bool `json:"no_parameter_scaling,omitempty"`
	// Seed drives weight initialisation, the validation split and the
	// batch order.
	Seed uint64 `json:"seed"`
	// Workers is the number of goroutines sharing each batch; 0 means
	// runtime.GOMAXPROCS(0) (the number of cores unless limited). The
	// workers start once per training: each computes the gradient of a
	// fixed slice of every batch, the slices' gradients are summed in
	// worker order, and the optimizer step is split over the workers by
	// parameter ranges. Training is reproducible bit for bit for a given
	// seed, worker count, precision and build; Workers changes results
	// only through floating-point summation order, so set it explicitly
	// to reproduce a model on a machine with another number of cores.
	Workers int `json:"workers,omitempty"`
	// Precision of the network arithmetic; "" means Float64. Float32
	// applies to the ScoreEstimator and both ratio estimators; the
	// LikelihoodEstimator trains in float64.
	Precision Precision `json:"precision,omitempty"`
	// Log receives one progress line per epoch; nil means silent.
	Log io.Writer `json:"-"`
	// Validation, if not nil, is a separate validation sample (the fields
	// the method needs, as for training) used instead of a split of the
	// training data; ValidationSplit is then ignored. Scalings are fitted
	// on the training data only.
	Validation *Data `json:"-"`
	// ExternalValidation records that Validation was used.
	ExternalValidation bool `json:"external_validation,omitempty"`

	nVal int // number of trailing rows of the objective that are the external validation sample
}

// WithDefaults returns a copy of s (the zero Settings for nil) with every
// zero field set to its documented default, the settings Train uses.
func (s *Settings) WithDefaults() Settings {
	var d Settings
	if s != nil {
		d = *s
	}
	if d.Optimizer == "" {
		d.Optimizer = AMSGrad
	}
	if d.Epochs == 0 {
		d.Epochs = 50
	}
	if d.BatchSize == 0 {
		d.BatchSize = 128
	}
	if d.InitialLR == 0 {
		d.InitialLR = 1e-3
	}
	if d.FinalLR == 0 {
		d.FinalLR = 1e-4
	}
	if d.ValidationSplit == 0 {
		d.ValidationSplit = 0.25
	}
	if d.Alpha == 0 {
		d.Alpha = 1
	}
	if d.Workers == 0 {
		d.Workers = runtime.GOMAXPROCS(0)
	}
	if d.Precision == "" {
		d.Precision = Float64
	}
	return d
}

func (s *Settings) check() error {
	switch s.Optimizer {
	case AMSGrad, Adam, SGD:
	default:
		return fmt.Errorf("ml: unknown optimizer %q (want amsgrad, adam or sgd)", string(s.Optimizer))
	}
	switch {
	case s.Epochs < 0:
		return fmt.Errorf("ml: negative number of epochs %d", s.Epochs)
	case s.BatchSize < 0:
		return fmt.Errorf("ml: negative batch size %d", s.BatchSize)
	case !(s.InitialLR > 0) || !(s.FinalLR > 0):
		return fmt.Errorf("ml: learning rates must be positive, got %g and %g", s.InitialLR, s.FinalLR)
	case s.ValidationSplit >= 1:
		return fmt.Errorf("ml: validation split %g must be below 1", s.ValidationSplit)
	case s.Workers < 1:
		return fmt.Errorf("ml: %d workers", s.Workers)
	case s.Precision != Float64 && s.Precision != Float32:
		return fmt.Errorf("ml: unknown precision %q (want float64 or float32)", string(s.Precision))
	case s.Momentum < 0 || s.Patience < 0 || s.ClipGradient < 0 || s.Alpha < 0:
		return fmt.Errorf("ml: negative momentum, patience, clip or alpha")
	}
	return nil
}

// History records the losses of a training run.
type History struct {
	// Labels and Weights name and weight the loss terms; the total loss
	// is Σ Weights[j]·term_j.
	Labels  []string  `json:"labels"`
	Weights []float64 `json:"weights"`
	// Train and Val hold the total loss per epoch (the mean over batches
	// of the batch losses, as MadMiner); Val is empty without validation.
	Train []float64 `json:"train"`
	Val   []float64 `json:"val,omitempty"`
	// TrainTerms and ValTerms hold the individual terms per epoch.
	TrainTerms [][]float64 `json:"train_terms"`
	ValTerms   [][]float64 `json:"val_terms,omitempty"`
	// LR is the learning rate and Seconds the wall time of each epoch.
	LR      []float64 `json:"lr"`
	Seconds []float64 `json:"seconds"`
	// BestEpoch is the (0-based) epoch whose weights were kept; the last
	// epoch without early stopping.
	BestEpoch int `json:"best_epoch"`
}

// objective is a loss over a fixed training set, evaluated on row subsets.
type objective interface {
	params() []float64
	labels() []string
	weights() []float64
	nRows() int
	newEvaluator() evaluator
}

// evaluator evaluates a loss on some rows of the training set. It is used
// by one goroutine at a time.
type evaluator interface {
	// eval adds to terms[j] the sum over rows of term j divided by n,
	// and, if grad is not nil, adds to grad the gradient of
	// Σ_j w_j·(that contribution).
	eval(rows []int, n int, terms, grad []float64)
}

// train runs stochastic gradient descent on obj's parameters.
func train(obj objective, s Settings) (*History, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	params := obj.params()
	np := len(params)
	n := obj.nRows()
	rnd := rand.New(rand.NewPCG(s.Seed, 0x5ca1ab1e))
	var val, tr []int
	nVal := 0
	if s.nVal > 0 {
		nVal = s.nVal
		tr = make([]int, n-nVal)
		for i := range tr {
			tr[i] = i
		}
		val = make([]int, nVal)
		for i := range val {
			val[i] = n - nVal + i
		}
	} else {
		perm := rnd.Perm(n)
		if s.ValidationSplit > 0 {
			nVal = int(math.Floor(s.ValidationSplit * float64(n)))
		}
		val, tr = perm[:nVal], perm[nVal:]
	}
	if len(tr) == 0 {
		return nil, fmt.Errorf("ml: no training samples (%d samples, validation split %g)", n, s.ValidationSplit)
	}
	early := !s.NoEarlyStopping && nVal > 0 && s.Epochs > 1

	labels, w := obj.labels(), obj.weights()
	nt := len(labels)
	h := &History{Labels: labels, Weights: w, BestEpoch: -1}

	p := newPool(obj, s.Workers)
	defer p.close()
	opt := newOptimizer(s, np)
	var best []float64
	bestLoss := math.Inf(1)
	total := func(t []float64) float64 {
		v := 0.0
		for j, x := range t {
			v += w[j] * x
		}
		return v
	}
	bt := make([]float64, nt)
	for epoch := 0; epoch < s.Epochs; epoch++ {
		start := time.Now()
		lr := s.InitialLR
		if s.Epochs > 1 {
			lr = s.InitialLR * math.Pow(s.FinalLR/s.InitialLR, float64(epoch)/float64(s.Epochs-1))
		}
		rnd.Shuffle(len(tr), func(i, j int) { tr[i], tr[j] = tr[j], tr[i] })
		trainTerms := make([]float64, nt)
		nb := 0
		for lo := 0; lo < len(tr); lo += s.BatchSize {
			opt.begin(lr)
			gn, ok := p.batch(tr[lo:min(lo+s.BatchSize, len(tr))], opt, params, s.ClipGradient, bt)
			loss := total(bt)
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return h, fmt.Errorf("ml: epoch %d, batch %d: loss %g (%s): training diverged",
					epoch+1, nb+1, loss, termString(labels, bt))
			}
			if !ok {
				return h, fmt.Errorf("ml: epoch %d, batch %d: loss %g (%s), gradient norm %g: training diverged",
					epoch+1, nb+1, loss, termString(labels, bt), gn)
			}
			for j, v := range bt {
				trainTerms[j] += v
			}
			nb++
		}
		for j := range trainTerms {
			trainTerms[j] /= float64(nb)
		}
		h.TrainTerms = append(h.TrainTerms, trainTerms)
		h.Train = append(h.Train, total(trainTerms))
		h.LR = append(h.LR, lr)
		var valTerms []float64
		if nVal > 0 {
			valTerms = make([]float64, nt)
			nvb := p.validate(val, s.BatchSize, valTerms)
			for j := range valTerms {
				valTerms[j] /= float64(nvb)
			}
			vl := total(valTerms)
			if math.IsNaN(vl) || math.IsInf(vl, 0) {
				return h, fmt.Errorf("ml: epoch %d: validation loss %g (%s): training diverged", epoch+1, vl, termString(labels, valTerms))
			}
			h.ValTerms = append(h.ValTerms, valTerms)
			h.Val = append(h.Val, vl)
		}
		mark := ""
		if early && h.Val[epoch] < bestLoss {
			bestLoss = h.Val[epoch]
			best = append(best[:0], params...)
			h.BestEpoch = epoch
			mark = " *"
		}
		h.Seconds = append(h.Seconds, time.Since(start).Seconds())
		if s.Log != nil {
			line := fmt.Sprintf("epoch %3d/%d  lr %.2e  train %.6f (%s)", epoch+1, s.Epochs, lr, h.Train[epoch], termString(labels, trainTerms))
			if valTerms != nil {
				line += fmt.Sprintf("  val %.6f (%s)", h.Val[epoch], termString(labels, valTerms))
			}
			fmt.Fprintf(s.Log, "%s  %.2fs%s\n", line, h.Seconds[epoch], mark)
		}
		if early && s.Patience > 0 && epoch-h.BestEpoch > s.Patience {
			break
		}
	}
	if early && best != nil {
		copy(params, best)
		if s.Log != nil {
			fmt.Fprintf(s.Log, "early stopping: restored epoch %d (val %.6f)\n", h.BestEpoch+1, bestLoss)
		}
	} else {
		h.BestEpoch = len(h.Train) - 1
	}
	return h, nil
}

func termString(labels []string, v []float64) string {
	var b strings.Builder
	for j, l := range labels {
		if j > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.6f", l, v[j])
	}
	return b.String()
}

// optimizer updates parameters from gradients.
type optimizer struct {
	kind     Optimizer
	momentum float64
	m, v, vm []float64
	t        int
	lr       float64 // of the current step
	bc1, bc2 float64 // Adam's bias corrections of the current step
}

func newOptimizer(s Settings, n int) *optimizer {
	o := &optimizer{kind: s.Optimizer, momentum: s.Momentum}
	switch o.kind {
	case Adam, AMSGrad:
		o.m = make([]float64, n)
		o.v = make([]float64, n)
		if o.kind == AMSGrad {
			o.vm = make([]float64, n)
		}
	case SGD:
		if o.momentum > 0 {
			o.m = make([]float64, n)
		}
	}
	return o
}

// begin starts step t+1 with learning rate lr; update then applies it to
// ranges of the parameters.
func (o *optimizer) begin(lr float64) {
	o.t++
	o.lr = lr
	if o.kind != SGD {
		o.bc1 = 1 - math.Pow(adamB1, float64(o.t))
		o.bc2 = math.Sqrt(1 - math.Pow(adamB2, float64(o.t)))
	}
}

// update applies the current step to p[lo:hi] with the gradient
// scale·g[lo:hi]. The update of each parameter depends only on its own
// gradient and state, so any split into ranges gives the same result.
func (o *optimizer) update(p, g []float64, scale float64, lo, hi int) {
	lr := o.lr
	p, g = p[lo:hi], g[lo:hi]
	switch o.kind {
	case SGD:
		if o.m == nil {
			for i, gi := range g {
				p[i] -= lr * (scale * gi)
			}
			return
		}
		m := o.m[lo:hi]
		for i, gi := range g {
			gi *= scale
			if o.t == 1 {
				m[i] = gi
			} else {
				m[i] = o.momentum*m[i] + gi
			}
			p[i] -= lr * m[i]
		}
	case Adam, AMSGrad:
		var vm []float64
		if o.vm != nil {
			vm = o.vm[lo:hi]
		}
		kern.adam(p, g, o.m[lo:hi], o.v[lo:hi], vm, scale, lr/o.bc1, o.bc2)
	}
}
