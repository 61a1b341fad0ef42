// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/goldmine-hep/goldmine/pipeline"
	"github.com/goldmine-hep/goldmine/posterior"
)

// printAugment writes a human summary.
func printAugment(w io.Writer, r *pipeline.AugmentResult) {
	fmt.Fprintf(w, "wrote %s (%d passes over the events)\n", r.Dir, r.Passes)
	for _, m := range r.Samples {
		fmt.Fprintf(w, "  %-10s %-7s %-10s %7d samples, %d points, n_eff min %.0f mean %.0f\n", m.Name, m.Kind, m.Partition, m.NSamples, len(m.Points), m.NEffMin, m.NEffMean)
	}
}

// printEvaluate writes a human summary.
func printEvaluate(w io.Writer, r *EvaluateResult) {
	fmt.Fprintf(w, "%s (%s) on %d events", r.Model, r.Type, r.Events)
	if r.Thetas > 0 {
		fmt.Fprintf(w, " at %d parameter points", r.Thetas)
	}
	fmt.Fprintln(w)
	for _, f := range r.Files {
		fmt.Fprintf(w, "  wrote %s\n", f)
	}
}

// printFisher writes a human summary.
func printFisher(w io.Writer, r *pipeline.FisherResult) {
	fmt.Fprintf(w, "wrote %s (%d events)\n", r.File, r.Events)
	for _, pt := range r.Points {
		fmt.Fprintf(w, "θ = %v", pt.Theta)
		if x := pt.Xsec; x != nil {
			fmt.Fprintf(w, ": σ = %.6g ± %.2g pb, ∇σ = %.6g pb", x.Sigma, x.Unc, x.Grad)
		}
		fmt.Fprintln(w)
		for _, res := range pt.Results {
			fmt.Fprintf(w, "  %-14s %-8s det(I)^(1/n) = %-12.5g I = %v\n", res.Name, res.Kind, res.DetRoot, res.Information)
		}
	}
	printSkipped(w, r.Skipped)
}

// printSkipped lists the items or scans a stage could not compute.
func printSkipped(w io.Writer, skipped []pipeline.Skipped) {
	for _, s := range skipped {
		at := ""
		if s.Theta != nil {
			at = fmt.Sprintf(" at θ = %v", s.Theta)
		}
		fmt.Fprintf(w, "skipped %s%s: %s\n", s.Name, at, s.Reason)
	}
}

// printGenerate writes a human summary.
func printGenerate(w io.Writer, r *pipeline.GenerateResult) {
	fmt.Fprintf(w, "job folder %s (MG5: %s)\n", r.WorkDir, r.MG5)
	for _, run := range r.Runs {
		fmt.Fprintf(w, "  %-12s %-10v %s", run.Name, run.Status, run.LHE)
		if run.Err != nil {
			fmt.Fprintf(w, " error: %v", run.Err)
		}
		fmt.Fprintln(w)
	}
	if r.Note != "" {
		fmt.Fprintln(w, r.Note)
	}
}

// printSetup writes a human summary of a setup.
func printSetup(w io.Writer, r *pipeline.SetupResult) {
	fmt.Fprintf(w, "wrote %s\n", r.File)
	fmt.Fprintf(w, "parameters: %s\n", strings.Join(r.Parameters, ", "))
	fmt.Fprintf(w, "components (%d): %v\n", len(r.Components), r.Components)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tvalues\tbasis")
	for i, b := range r.Benchmarks {
		basis := ""
		if i < len(r.Basis) {
			basis = "yes"
		}
		fmt.Fprintf(tw, "%s\t%v\t%s\n", b, r.Values[i], basis)
	}
	tw.Flush()
	fmt.Fprintf(w, "condition number: %.4g\n", r.Cond)
	fmt.Fprintf(w, "mean Σw² over the parameter ranges: %.4g", r.MeanSquaredWeights)
	if r.RandomMeanSquaredWeights > 0 {
		fmt.Fprintf(w, " (best random basis: %.4g)", r.RandomMeanSquaredWeights)
	}
	fmt.Fprintln(w)
}

// printAnalyse writes a human summary of an analysis.
func printAnalyse(w io.Writer, r *pipeline.AnalyseResult) {
	fmt.Fprintf(w, "wrote %s: %d of %d events in %.2fs (%.0f events/s)\n", r.File, r.EventsWritten, r.EventsRead, r.Seconds, r.EventsPerSecond)
	for _, s := range r.Samples {
		fmt.Fprintf(w, "  sample %s: %s, %d events, %d passed, event_norm %s\n", s.Name, s.File, s.Events, s.Passed, s.EventNorm)
	}
	for reason, n := range r.Dropped {
		fmt.Fprintf(w, "  dropped %d: %s\n", n, reason)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tcross section [pb]")
	for _, b := range r.Benchmarks {
		fmt.Fprintf(tw, "%s\t%.6g\n", b, r.XSecPB[b])
	}
	tw.Flush()
	for _, m := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", m)
	}
}

// printLimits writes a human summary.
func printLimits(w io.Writer, r *pipeline.LimitsResult) {
	fmt.Fprintf(w, "wrote %s\n", r.File)
	for _, pt := range r.Points {
		if !r.Observed {
			fmt.Fprintf(w, "θ_true = %v\n", pt.ThetaTrue)
		}
		for _, res := range pt.Results {
			fmt.Fprintf(w, "  %-8s best fit %v (log L %.4f), %d grid points", res.Label(), res.BestFit, res.BestLogLikelihood, len(res.Points))
			n68, n95 := res.Inside()
			fmt.Fprintf(w, ", %d inside 68%% CL, %d inside 95%% CL\n", n68, n95)
			for _, cal := range res.Calibrations {
				fmt.Fprintf(w, "    toys: q_obs %.3f, p asymptotic %.4f, p toys %.4f ± %.4f\n", cal.QObserved, cal.PAsymptotic, cal.PToys, cal.PToysError)
			}
		}
	}
	printSkipped(w, r.Skipped)
}

// printPosterior writes a human summary: per scan and method, the mean ±
// standard deviation of every parameter of interest and the area of the
// first 2-D region.
func printPosterior(w io.Writer, r *pipeline.PosteriorResult) {
	fmt.Fprintf(w, "wrote %s\n", r.File)
	for _, sp := range r.Scans {
		for _, s := range []*posterior.Summary{sp.Grid, sp.MCMC} {
			if s == nil {
				continue
			}
			fmt.Fprintf(w, "%-8s %-8s", sp.Name, s.Method)
			for _, p := range s.Params {
				fmt.Fprintf(w, " %s = %.4g ± %.4g", p.Name, p.Mean, p.Std)
			}
			if len(s.Regions) > 0 {
				fmt.Fprintf(w, ", %.0f%% area %.4g", 100*s.Regions[0].CL, s.Regions[0].Area)
			}
			if d := s.Diagnostics; d != nil && len(d.RHat) > 0 {
				fmt.Fprintf(w, ", max R̂ %.3f", slices.Max(d.RHat))
			}
			fmt.Fprintln(w)
		}
	}
	for _, m := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", m)
	}
}

// printPlots writes a human summary.
func printPlots(w io.Writer, r *pipeline.PlotsResult) {
	fmt.Fprintf(w, "wrote %d figures to %s and %s\n", len(r.Figures), r.Dir, r.Report)
}

// printStudy writes the study table and where it was written.
func printStudy(w io.Writer, r *pipeline.StudyResult) {
	r.WriteTable(w)
	fmt.Fprintf(w, "wrote %s and %s\n", r.File, r.Figure)
}

// printResult writes the human summary of a stage's result.
func printResult(w io.Writer, r any) {
	switch r := r.(type) {
	case *pipeline.SetupResult:
		printSetup(w, r)
	case *pipeline.GenerateResult:
		printGenerate(w, r)
	case *pipeline.ShowerResult:
		printShower(w, r)
	case *pipeline.AnalyseResult:
		printAnalyse(w, r)
	case *pipeline.AugmentResult:
		printAugment(w, r)
	case *pipeline.TrainResult:
		printTrain(w, r)
	case *pipeline.FisherResult:
		printFisher(w, r)
	case *pipeline.LimitsResult:
		printLimits(w, r)
	case *pipeline.PosteriorResult:
		printPosterior(w, r)
	case *pipeline.PlotsResult:
		printPlots(w, r)
	case *pipeline.StudyResult:
		printStudy(w, r)
	case *pipeline.EventStudyResult:
		r.WriteTable(w)
		fmt.Fprintf(w, "wrote %s and %s\n", r.File, r.Figure)
	case *pipeline.RunResult:
		printRun(w, r)
	}
}

// printTrain writes a human summary.
func printTrain(w io.Writer, r *pipeline.TrainResult) {
	for _, m := range r.Models {
		last := func(v []float64) float64 {
			if len(v) == 0 {
				return 0
			}
			return v[len(v)-1]
		}
		fmt.Fprintf(w, "%-10s %-8s %d samples, %d member(s), %.1fs, final loss train %.5g val %.5g → %s\n",
			m.Name, m.Method, m.Samples, m.Members, m.Seconds, last(m.TrainLoss), last(m.ValLoss), m.Dir)
	}
}

// printRun writes a human summary.
func printRun(w io.Writer, r *pipeline.RunResult) {
	for _, s := range r.Stages {
		fmt.Fprintf(w, "%-8s %-18s", s.Name, s.Status)
		if len(s.Outputs) > 0 {
			fmt.Fprintf(w, " %s", s.Outputs[0])
		}
		if s.Seconds > 0 {
			fmt.Fprintf(w, " (%.2fs)", s.Seconds)
		}
		fmt.Fprintln(w)
	}
}
