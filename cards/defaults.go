// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import "fmt"

// Defaults, in one place. The README's card reference lists the same.
const (
	DefaultWorkdir         = "goldmine-work"
	DefaultSeed     uint64 = 1
	DefaultMaxPower        = 2   // parameters[].morphing_max_power (MadMiner: 2)
	DefaultRangeMin        = 0.0 // parameters[].range when absent (MadMiner: (0, 1))
	DefaultRangeMax        = 1.0

	DefaultOptimizeStarts     = 100       // morphing.optimize.starts (MadMiner: 100 random draws)
	DefaultOptimizeTestPoints = 1000      // morphing.optimize.test_points (θ draws for mean Σw²)
	DefaultObjective          = "weights" // morphing.optimize.objective

	DefaultKFactor = 1.0   // samples[].k_factor
	DefaultWeights = "lhe" // samples[].weights when the sample names an LHE file (else hepmc, else delphes)

	DefaultValidationSplit = 0.2 // sampling.validation_split (MadMiner: 0.2)
	DefaultTestSplit       = 0.2 // sampling.test_split (MadMiner: 0.2)
	DefaultPartition       = "train"

	DefaultActivation      = "tanh"    // training[].activation (MadMiner: tanh)
	DefaultOptimizer       = "amsgrad" // training[].optimizer (MadMiner: amsgrad)
	DefaultEpochs          = 50        // training[].epochs (MadMiner: 50)
	DefaultBatchSize       = 128       // training[].batch_size (MadMiner: 128)
	DefaultPrecision       = "float64" // training[].precision (MadMiner: float32)
	DefaultInitialLR       = 1e-3      // training[].learning_rate[0] (MadMiner: 0.001)
	DefaultFinalLR         = 1e-4      // training[].learning_rate[1] (MadMiner: 0.0001)
	DefaultTrainValidation = 0.25      // training[].validation_split (MadMiner: 0.25)
	DefaultAlpha           = 1.0       // training[].alpha (MadMiner: 1)
	DefaultEnsemble        = 1

	DefaultLuminosity     = 300000.0 // pb⁻¹ = 300 fb⁻¹ (fisher, limits)
	DefaultGridResolution = 25       // limits.grid.resolutions (MadMiner: 25)
)

// DefaultHidden is training[].hidden when absent (MadMiner: (100,)).
func DefaultHidden() []int { return []int{100} }

// DefaultPlotFormats is plots.formats when absent.
func DefaultPlotFormats() []string { return []string{"png", "pdf"} }

// applyDefaults fills absent optional values. Values that must be given
// (names, expressions, ranges set to min ≥ max) are left to validation.
func applyDefaults(c *Card, lines map[string]int) {
	if c.Workdir == "" {
		c.Workdir = DefaultWorkdir
	}
	if c.Seed == nil {
		s := DefaultSeed
		c.Seed = &s
	}
	if c.Shuffle == nil {
		t := true
		c.Shuffle = &t
	}
	for i := range c.Parameters {
		p := &c.Parameters[i]
		if p.MorphingMaxPower == 0 {
			p.MorphingMaxPower = DefaultMaxPower
		}
		if _, given := lines[fmt.Sprintf("parameters[%d].range", i)]; !given && c.Imported["parameters"] == "" {
			p.Range = [2]float64{DefaultRangeMin, DefaultRangeMax}
		}
	}
	if o := c.Morphing.Optimize; o != nil {
		if o.Starts == 0 {
			o.Starts = DefaultOptimizeStarts
		}
		if o.TestPoints == 0 {
			o.TestPoints = DefaultOptimizeTestPoints
		}
		if o.Objective == "" {
			o.Objective = DefaultObjective
		}
	}
	for i := range c.Samples {
		s := &c.Samples[i]
		if s.KFactor == 0 {
			s.KFactor = DefaultKFactor
		}
		if s.Weights == "" {
			switch {
			case s.LHE != "":
				s.Weights = DefaultWeights
			case s.HepMC != "":
				s.Weights = "hepmc"
			case s.Delphes != "":
				s.Weights = "delphes"
			default:
				s.Weights = DefaultWeights
			}
		}
	}
	for i := range c.Observables {
		o := &c.Observables[i]
		if o.Required == nil {
			f := false
			o.Required = &f
		}
	}
	if s := c.Sampling; s != nil {
		if s.ValidationSplit == 0 {
			s.ValidationSplit = DefaultValidationSplit
		}
		if s.TestSplit == 0 {
			s.TestSplit = DefaultTestSplit
		}
		if s.Compat == "" {
			s.Compat = CompatGoldmine
		}
		for i := range s.Samples {
			sp := &s.Samples[i]
			if sp.Partition == "" {
				sp.Partition = DefaultPartition
				if sp.Method == "test" {
					sp.Partition = "test"
				}
			}
			if sp.SampleOnlyFromClosestBenchmark == nil {
				t := true
				sp.SampleOnlyFromClosestBenchmark = &t
			}
		}
	}
	for i := range c.Training {
		t := &c.Training[i]
		if t.Hidden == nil {
			t.Hidden = DefaultHidden()
		}
		if t.Activation == "" {
			t.Activation = DefaultActivation
		}
		if t.Optimizer == "" {
			t.Optimizer = DefaultOptimizer
		}
		if t.Epochs == 0 {
			t.Epochs = DefaultEpochs
		}
		if t.BatchSize == 0 {
			t.BatchSize = DefaultBatchSize
		}
		if t.LearningRate == [2]float64{} {
			t.LearningRate = [2]float64{DefaultInitialLR, DefaultFinalLR}
		}
		if t.ValidationSplit == 0 && t.ValidationSample == "" {
			t.ValidationSplit = DefaultTrainValidation
		}
		if t.EarlyStopping == nil {
			b := true
			t.EarlyStopping = &b
		}
		if t.Alpha == 0 {
			t.Alpha = DefaultAlpha
		}
		if t.Ensemble == 0 {
			t.Ensemble = DefaultEnsemble
		}
		if t.Precision == "" {
			t.Precision = DefaultPrecision
		}
	}
	if f := c.Fisher; f != nil {
		if f.Luminosity == 0 {
			f.Luminosity = DefaultLuminosity
		}
		if f.Theta == nil {
			f.Theta = Points{make([]float64, len(c.Parameters))}
		}
		for i := range f.Items {
			if f.Items[i].IncludeRate == nil {
				t := true
				f.Items[i].IncludeRate = &t
			}
		}
	}
	if l := c.Limits; l != nil {
		if l.Luminosity == 0 {
			l.Luminosity = DefaultLuminosity
		}
		if l.ThetaTrue == nil {
			l.ThetaTrue = Points{make([]float64, len(c.Parameters))}
		}
		if l.Compat == "" {
			l.Compat = CompatGoldmine
		}
		if l.Grid.Ranges == nil {
			for _, p := range c.Parameters {
				l.Grid.Ranges = append(l.Grid.Ranges, p.Range)
			}
		}
		switch len(l.Grid.Resolutions) {
		case 0:
			l.Grid.Resolutions = []int{DefaultGridResolution}
			fallthrough
		case 1:
			r := l.Grid.Resolutions[0]
			l.Grid.Resolutions = make([]int, len(c.Parameters))
			for i := range l.Grid.Resolutions {
				l.Grid.Resolutions[i] = r
			}
		}
		if l.Nuisance == "" {
			l.Nuisance = "profile"
		}
		for i := range l.Scans {
			if l.Scans[i].IncludeRate == nil {
				t := true
				l.Scans[i].IncludeRate = &t
			}
			if l.Scans[i].Normalize == nil {
				t := l.Scans[i].Mode == "ml" && !c.IsSimulator()
				l.Scans[i].Normalize = &t
			}
			if l.Scans[i].Members == nil {
				t := true
				l.Scans[i].Members = &t
			}
		}
	}
	posteriorDefaults(c)
	if c.Plots == nil {
		c.Plots = &Plots{}
	}
	if c.Plots.Formats == nil {
		c.Plots.Formats = DefaultPlotFormats()
	}
}
