// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// TrainResult summarises goldmine train.
type TrainResult struct {
	Models []TrainedModel `json:"models"`
}

// TrainedModel is one trained estimator.
type TrainedModel struct {
	Name      string    `json:"name"`
	Method    string    `json:"method"`
	Dir       string    `json:"dir"`
	Members   int       `json:"members"`
	Samples   int       `json:"samples"`
	Seconds   float64   `json:"seconds"`
	TrainLoss []float64 `json:"train_loss,omitempty"` // per epoch, first member
	ValLoss   []float64 `json:"val_loss,omitempty"`
}

// inputErr wraps the error of reading what a stage needs (what). It
// advises running the stage that writes it only when it is missing; a file
// that is there but cannot be used is reported as such.
func inputErr(err error, what, stage string) error {
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("pipeline: %s (run goldmine %s first): %w", what, stage, err)
	}
	return fmt.Errorf("pipeline: %s, which cannot be used: %w", what, err)
}

// trainingData loads the arrays of the augmented sample (the training
// entry t's sample or validation sample) that its method needs
// (sampling.Read).
func trainingData(e *Env, t cards.Training, sample string, nObs int) (ml.Data, error) {
	c := e.Card
	j := slices.IndexFunc(c.Sampling.Samples, func(s cards.SampleSpec) bool { return s.Name == sample })
	sp := c.Sampling.Samples[j]
	part, err := partition.Parse(sp.Partition)
	if err != nil {
		return ml.Data{}, err
	}
	r, err := sampling.Read(e.Path("samples", sp.Name), samplingKind(sp.Method), part, nObs, len(c.Parameters))
	if err != nil {
		return ml.Data{}, inputErr(err, fmt.Sprintf("training %s needs sample %s", t.Name, sp.Name), "augment")
	}
	dense := func(v []float64, cols int) *mat.Dense {
		if v == nil {
			return nil
		}
		return mat.NewDense(r.N, cols, v)
	}
	return ml.Data{X: dense(r.X, r.NObs), Theta: dense(r.Theta0, r.NTheta), Theta1: dense(r.Theta1, r.NTheta),
		TXZ: dense(r.TXZ0, r.NScore), TXZ1: dense(r.TXZ1, r.NParams), Y: r.Y, RXZ: r.RXZ}, nil
}

// trainingSeed returns the seed of training entry i: its own seed if the
// card pins one, else campaign seed + i + 1, so that --seed reseeds it.
func trainingSeed(e *Env, i int, t cards.Training) uint64 {
	if t.Seed != nil {
		return *t.Seed
	}
	return e.Seed + uint64(i) + 1
}

// mlSettings maps a training entry to ml.Settings.
func mlSettings(t cards.Training, seed uint64, log io.Writer) *ml.Settings {
	return &ml.Settings{
		Optimizer:       ml.Optimizer(t.Optimizer),
		Epochs:          t.Epochs,
		BatchSize:       t.BatchSize,
		InitialLR:       t.LearningRate[0],
		FinalLR:         t.LearningRate[1],
		ValidationSplit: t.ValidationSplit,
		NoEarlyStopping: !*t.EarlyStopping,
		ClipGradient:    t.ClipGradient,
		Alpha:           t.Alpha,
		Seed:            seed,
		Workers:         t.Workers,
		Precision:       ml.Precision(t.Precision),
		Log:             log,
	}
}

// mlSpec maps a training entry to the estimator it trains.
func mlSpec(t cards.Training, features []int) (*ml.Spec, error) {
	method, err := ml.ParseMethod(strings.TrimSuffix(t.Method, "2"))
	if err != nil {
		return nil, err
	}
	return &ml.Spec{Method: method, Double: strings.HasSuffix(t.Method, "2"), Features: features, Hidden: t.Hidden,
		Activation: ml.Activation(t.Activation), MADEs: t.MADEs, BatchNorm: t.BatchNorm, Ensemble: t.Ensemble}, nil
}

// trainEntry trains training entry i of the card on its sample: the
// whole estimator, or with member ≥ 0 only that member of its ensemble
// (seeded as ml.TrainEnsemble seeds it), the job of a sharded training.
func trainEntry(e *Env, obsNames []string, i, member int) (ml.Estimator, *TrainedModel, error) {
	c := e.Card
	t := c.Training[i]
	var features []int
	for _, f := range t.Features {
		k := slices.Index(obsNames, f)
		if k < 0 {
			return nil, nil, fmt.Errorf("pipeline: training %s: feature %q is not an observable of the events file", t.Name, f)
		}
		features = append(features, k)
	}
	nObs := len(obsNames)
	if c.IsSimulator() {
		nObs = -1
	}
	d, err := trainingData(e, t, t.Sample, nObs)
	if err != nil {
		return nil, nil, err
	}
	var val *ml.Data
	if t.ValidationSample != "" {
		v, err := trainingData(e, t, t.ValidationSample, nObs)
		if err != nil {
			return nil, nil, err
		}
		val = &v
	}
	e.logf("train %s (%s) on %s\n", t.Name, t.Method, t.Sample)
	start := time.Now()
	spec, err := mlSpec(t, features)
	if err != nil {
		return nil, nil, fmt.Errorf("pipeline: training %s: %w", t.Name, err)
	}
	set := mlSettings(t, trainingSeed(e, i, t), e.Log)
	set.Validation = val
	if member >= 0 {
		spec.Ensemble = 1
		set.Seed += uint64(member)
	}
	est, first, err := ml.Train(spec, d, set)
	if err != nil {
		return nil, nil, fmt.Errorf("pipeline: training %s: %w", t.Name, err)
	}
	n, _ := d.X.Dims()
	tm := &TrainedModel{Name: t.Name, Method: t.Method, Dir: e.Path("models", t.Name), Members: t.Ensemble, Samples: n, Seconds: time.Since(start).Seconds()}
	if first != nil {
		tm.TrainLoss, tm.ValLoss = first.Train, first.Val
	}
	return est, tm, nil
}

// saveModel replaces the model directory rel of the working directory by
// est.
func saveModel(e *Env, rel string, est ml.Estimator) error {
	if err := e.Clear(rel); err != nil {
		return err
	}
	root, err := e.Root()
	if err != nil {
		return err
	}
	return est.SaveIn(root, rel)
}

// trainObservables returns the observable names of the events file that
// the estimators of an events card take (nil for simulator campaigns).
func trainObservables(e *Env) ([]string, error) {
	c := e.Card
	if c.IsSimulator() {
		if slices.ContainsFunc(c.Training, func(t cards.Training) bool { return len(t.Features) > 0 }) {
			return nil, fmt.Errorf("pipeline: %s: feature selection needs named observables; simulator campaigns have none", c.Path)
		}
		return nil, nil
	}
	h, err := store.ReadEventsHeader(e.Path("events.h5"))
	if err != nil {
		return nil, fmt.Errorf("pipeline: train needs the events file for the observable names: %w", err)
	}
	return h.ObservableNames, nil
}

// train trains the card's estimators on the augmented samples and saves
// them to WORKDIR/models/NAME (an ensemble: member_i directories).
func train(e *Env) (*TrainResult, error) {
	c := e.Card
	if len(c.Training) == 0 {
		return nil, fmt.Errorf("pipeline: %s: no training section", c.Path)
	}
	obsNames, err := trainObservables(e)
	if err != nil {
		return nil, err
	}
	out := &TrainResult{}
	for i, t := range c.Training {
		est, tm, err := trainEntry(e, obsNames, i, -1)
		if err != nil {
			return nil, err
		}
		if err := saveModel(e, filepath.Join("models", t.Name), est); err != nil {
			return nil, fmt.Errorf("pipeline: training %s: %w", t.Name, err)
		}
		out.Models = append(out.Models, *tm)
	}
	return out, nil
}
