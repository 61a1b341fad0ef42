// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/goldmine-hep/goldmine/pipeline"
)

// parseThetas parses --theta values: comma-separated parameter points.
func parseThetas(cmd string, thetas []string) ([][]float64, error) {
	var pts [][]float64
	for _, t := range thetas {
		var p []float64
		for _, f := range strings.Split(t, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s: --theta %q: want finite numbers separated by commas", cmd, t)
			}
			p = append(p, v)
		}
		pts = append(pts, p)
	}
	return pts, nil
}

func xsecCmd(s settings) *cobra.Command {
	var thetas []string
	var spec pipeline.XsecSpec
	cmd := &cobra.Command{
		Use:   "xsec CARD [--theta a,b]... [--benchmarks] [--grid]",
		Short: "σ(θ), its statistical uncertainty (goldmine's and MadMiner's) and ∇σ(θ) from WORKDIR/events.h5",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if spec.Thetas, err = parseThetas("xsec", thetas); err != nil {
				return err
			}
			env, err := loadEnv(s, args[0])
			if err != nil {
				return err
			}
			res, err := pipeline.CrossSections(env, spec)
			if err != nil {
				return err
			}
			return emit(s, cmd.OutOrStdout(), res, func(w io.Writer) { printXsec(w, res) })
		},
	}
	cmd.Flags().StringArrayVar(&thetas, "theta", nil, "a parameter point, comma-separated; repeat for several")
	cmd.Flags().BoolVar(&spec.Benchmarks, "benchmarks", false, "every benchmark of the events file")
	cmd.Flags().BoolVar(&spec.Grid, "grid", false, "the points of the card's limits.grid (θ_0 outermost)")
	return cmd
}

// printXsec writes the table of goldmine xsec.
func printXsec(w io.Writer, r *pipeline.XsecResult) {
	fmt.Fprintf(w, "%s: %d events; σ over all of them, in pb\n", r.File, r.Events)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "point\tσ\tuncertainty\tMadMiner's uncertainty\t∇σ (%s)\tn_eff\n", strings.Join(r.Parameters, ", "))
	for _, p := range r.Points {
		name := fmt.Sprint(p.Theta)
		if p.Benchmark != "" {
			name = p.Benchmark + " " + name
		}
		grad := make([]string, len(p.Grad))
		for i, g := range p.Grad {
			grad[i] = fmt.Sprintf("%.6g", g)
		}
		fmt.Fprintf(tw, "%s\t%.8g\t%.4g\t%.4g\t(%s)\t%.0f\n", name, p.Sigma, p.Unc, p.UncMadMiner, strings.Join(grad, ", "), p.NEff)
	}
	tw.Flush()
}
