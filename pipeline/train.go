// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/ml"
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

// trainingData loads the arrays of an augmented sample that a method needs.
func trainingData(e *Env, t cards.Training, nObs int) (ml.Data, error) {
	c := e.Card
	j := slices.IndexFunc(c.Sampling.Samples, func(s cards.SampleSpec) bool { return s.Name == t.Sample })
	sp := c.Sampling.Samples[j]
	suffix := sp.Partition
	dir := e.Path("samples", sp.Name)
	// Every array has one row per sample (as many as x) and a known number
	// of columns: observables for x, parameters for θ and scores.
	rows := -1
	load := func(name string) (*mat.Dense, error) {
		cols := len(c.Parameters)
		switch name {
		case "x":
			cols = nObs
		case "y", "r_xz":
			cols = 1
		}
		path := dirFile(dir, name+"_"+suffix+".npy")
		m, err := store.ReadMatrix(path, cols)
		if err != nil {
			return nil, inputErr(err, fmt.Sprintf("training %s needs sample %s", t.Name, sp.Name), "augment")
		}
		if r, _ := m.Dims(); rows < 0 {
			rows = r
		} else if r != rows {
			return nil, fmt.Errorf("pipeline: training %s: %s has %d rows, %s of the same sample has %d", t.Name, path, r, dirFile(dir, "x_"+suffix+".npy"), rows)
		}
		return m, err
	}
	col := func(m *mat.Dense) []float64 {
		r, _ := m.Dims()
		out := make([]float64, r)
		mat.Col(out, 0, m)
		return out
	}
	var d ml.Data
	var err error
	if d.X, err = load("x"); err != nil {
		return d, err
	}
	switch sp.Method {
	case "local":
		d.TXZ, err = load("t_xz")
	case "density", "plain":
		if d.Theta, err = load("theta"); err == nil && sp.Method == "density" {
			d.TXZ, err = load("t_xz")
		}
	case "ratio", "double_ratio":
		var y, r *mat.Dense
		for _, f := range []struct {
			name string
			dst  **mat.Dense
		}{{"theta0", &d.Theta}, {"theta1", &d.Theta1}, {"y", &y}, {"r_xz", &r}, {"t_xz0", &d.TXZ}, {"t_xz1", &d.TXZ1}} {
			if *f.dst, err = load(f.name); err != nil {
				return d, err
			}
		}
		d.Y, d.RXZ = col(y), col(r)
	}
	return d, err
}

func dirFile(dir, name string) string { return dir + string(os.PathSeparator) + name }

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
		Log:             log,
	}
}

// trainOne trains one estimator of the entry t on d.
func trainOne(t cards.Training, features []int, d ml.Data, s *ml.Settings) (ml.Estimator, *ml.History, error) {
	base := strings.TrimSuffix(t.Method, "2")
	method, err := ml.ParseMethod(base)
	if err != nil {
		return nil, nil, err
	}
	act := ml.Activation(t.Activation)
	switch {
	case method.Kind() == "score":
		est := &ml.ScoreEstimator{Features: features, Hidden: t.Hidden, Activation: act}
		h, err := est.Train(method, d.X, d.TXZ, s)
		return est, h, err
	case method.Kind() == "likelihood":
		est := &ml.LikelihoodEstimator{Features: features, Hidden: t.Hidden, Activation: act, NMADEs: t.MADEs, BatchNorm: t.BatchNorm}
		h, err := est.Train(method, d, s)
		return est, h, err
	case strings.HasSuffix(t.Method, "2"):
		est := &ml.DoubleParameterizedRatioEstimator{Features: features, Hidden: t.Hidden, Activation: act}
		h, err := est.Train(method, d, s)
		return est, h, err
	default:
		est := &ml.ParameterizedRatioEstimator{Features: features, Hidden: t.Hidden, Activation: act}
		h, err := est.Train(method, d, s)
		return est, h, err
	}
}

// train trains the card's estimators on the augmented samples and saves
// them to WORKDIR/models/NAME (an ensemble: member_i directories).
func train(e *Env) (*TrainResult, error) {
	c := e.Card
	if len(c.Training) == 0 {
		return nil, fmt.Errorf("pipeline: %s: no training section", c.Path)
	}
	var obsNames []string
	if c.IsSimulator() {
		if hasFeatures := slices.ContainsFunc(c.Training, func(t cards.Training) bool { return len(t.Features) > 0 }); hasFeatures {
			return nil, fmt.Errorf("pipeline: %s: feature selection needs named observables; simulator campaigns have none", c.Path)
		}
	} else {
		h, err := store.ReadEventsHeader(e.Path("events.h5"))
		if err != nil {
			return nil, fmt.Errorf("pipeline: train needs the events file for the observable names: %w", err)
		}
		obsNames = h.ObservableNames
	}
	out := &TrainResult{}
	for i, t := range c.Training {
		var features []int
		for _, f := range t.Features {
			k := slices.Index(obsNames, f)
			if k < 0 {
				return nil, fmt.Errorf("pipeline: training %s: feature %q is not an observable of the events file", t.Name, f)
			}
			features = append(features, k)
		}
		nObs := len(obsNames)
		if c.IsSimulator() {
			nObs = -1
		}
		d, err := trainingData(e, t, nObs)
		if err != nil {
			return nil, err
		}
		e.logf("train %s (%s) on %s\n", t.Name, t.Method, t.Sample)
		start := time.Now()
		dir := e.Path("models", t.Name)
		set := mlSettings(t, trainingSeed(e, i, t), e.Log)
		var first *ml.History
		var est ml.Estimator
		if t.Ensemble > 1 {
			est, err = ml.TrainEnsemble(t.Ensemble, set, func(i int, s *ml.Settings) (ml.Estimator, error) {
				m, h, err := trainOne(t, features, d, s)
				if i == 0 {
					first = h
				}
				return m, err
			})
		} else {
			est, first, err = trainOne(t, features, d, set)
		}
		if err != nil {
			return nil, fmt.Errorf("pipeline: training %s: %w", t.Name, err)
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		if err := est.Save(dir); err != nil {
			return nil, fmt.Errorf("pipeline: training %s: %w", t.Name, err)
		}
		n, _ := d.X.Dims()
		tm := TrainedModel{Name: t.Name, Method: t.Method, Dir: dir, Members: t.Ensemble, Samples: n, Seconds: time.Since(start).Seconds()}
		if first != nil {
			tm.TrainLoss, tm.ValLoss = first.Train, first.Val
		}
		out.Models = append(out.Models, tm)
	}
	return out, nil
}
