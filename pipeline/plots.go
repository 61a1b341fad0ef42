// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/plot"
	"github.com/goldmine-hep/goldmine/store"
)

// PlotsResult lists the figures written.
type PlotsResult struct {
	Dir     string   `json:"dir"`
	Figures []string `json:"figures"` // base names, one file per format
	Report  string   `json:"report"`
}

// grid returns n equally spaced values in [lo, hi].
func grid(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return out
}

// plots draws the campaign's figures from the files of the working
// directory (setup.h5, events.h5, fisher.json, limits.json, whichever
// exist) into WORKDIR/plots, and writes WORKDIR/report.md.
func plots(e *Env) (*PlotsResult, error) {
	c := e.Card
	dir := e.Path("plots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	res := &PlotsResult{Dir: dir, Report: e.Path("report.md")}
	save := func(name string, f *plot.Figure) error {
		var paths []string
		for _, ext := range c.Plots.Formats {
			paths = append(paths, filepath.Join(dir, name+"."+ext))
		}
		if err := f.Save(paths...); err != nil {
			return fmt.Errorf("pipeline: plot %s: %w", name, err)
		}
		res.Figures = append(res.Figures, name)
		return nil
	}
	pname := func(i int) string { return c.Parameters[i].Name }
	np := len(c.Parameters)

	if !c.IsSimulator() {
		if err := eventPlots(e, save); err != nil {
			return nil, err
		}
	}

	// Fisher information contours and det(I)^(1/n).
	var fr FisherResult
	if b, err := os.ReadFile(e.Path("fisher.json")); err == nil && c.Fisher != nil {
		if err := json.Unmarshal(b, &fr); err != nil {
			return nil, fmt.Errorf("pipeline: %s: %w", e.Path("fisher.json"), err)
		}
	}
	if np >= 2 {
		var infos []plot.Information
		for _, r := range fr.Results {
			n := len(r.Information)
			s := mat.NewSymDense(n, nil)
			for i := 0; i < n; i++ {
				for j := i; j < n; j++ {
					s.SetSym(i, j, r.Information[i][j])
				}
			}
			infos = append(infos, plot.Information{Label: r.Name, Info: &fisher.Information{Matrix: s}})
		}
		if len(infos) > 0 {
			fig, err := plot.FisherContours(infos, nil, plot.Labels{Title: fmt.Sprintf("Fisher information, d(θ) = 1, L = %g /pb", c.Fisher.Luminosity), X: pname(0), Y: pname(1)})
			if err != nil {
				return nil, err
			}
			if err := save("fisher_contours", fig); err != nil {
				return nil, err
			}
			fig, err = plot.InformationDeterminants(infos, plot.Labels{Title: "det(I)^(1/n)", Y: "det(I)^(1/n)"})
			if err != nil {
				return nil, err
			}
			if err := save("fisher_determinants", fig); err != nil {
				return nil, err
			}
		}
	}

	// Histograms of information: the information of the first parameter
	// in each bin, with the cross section per bin.
	for _, ih := range fr.InfoHistograms {
		edges := append([]float64{math.Min(ih.Range[0], ih.Edges[0])}, ih.Edges...)
		edges = append(edges, math.Max(ih.Range[1], ih.Edges[len(ih.Edges)-1]))
		info := make([]float64, len(ih.Information))
		for k, in := range ih.Information {
			info[k] = in[0][0]
		}
		fig, err := plot.InformationHistogram(edges, info, ih.XSecPB,
			plot.Labels{Title: "Information per bin of " + ih.Observable, X: ih.Observable, Y: "I(" + pname(0) + ", " + pname(0) + ") per bin"}, "σ per bin [pb]")
		if err != nil {
			return nil, err
		}
		if err := save("info_histogram_"+ih.Name, fig); err != nil {
			return nil, err
		}
	}

	// p-value maps of every scan on one figure.
	var lr struct {
		Results []*limits.Result `json:"results"`
	}
	if b, err := os.ReadFile(e.Path("limits.json")); err == nil && c.Limits != nil {
		if err := json.Unmarshal(b, &lr); err != nil {
			return nil, fmt.Errorf("pipeline: %s: %w", e.Path("limits.json"), err)
		}
		var scans []plot.Scan
		for _, r := range lr.Results {
			scans = append(scans, plot.Scan{Label: r.Label(), P: r.PValues, BestFit: r.BestFit[:min(np, len(r.BestFit))]})
		}
		g := c.Limits.Grid
		axes := make([][]float64, np)
		for p := range axes {
			axes[p] = grid(g.Ranges[p][0], g.Ranges[p][1], g.Resolutions[p])
		}
		if len(scans) > 0 {
			kind := "Expected"
			if c.Limits.Observed != "" {
				kind = "Observed"
			}
			var fig *plot.Figure
			switch np {
			case 1:
				fig, err = plot.PValueCurves(axes[0], scans, plot.Labels{Title: kind + " p-values", X: pname(0), Y: "p-value"})
			case 2:
				fig, err = plot.PValueMap(axes[0], axes[1], scans, plot.Labels{Title: kind + " limits: 68% (solid) and 95% CL (dashed)", X: pname(0), Y: pname(1)})
			}
			if err != nil {
				return nil, err
			}
			if fig != nil {
				if err := save("pvalues", fig); err != nil {
					return nil, err
				}
			}
		}
	}

	if err := writeReport(e, res, &fr, lr.Results); err != nil {
		return nil, err
	}
	return res, nil
}

// writeReport writes WORKDIR/report.md.
func writeReport(e *Env, res *PlotsResult, fr *FisherResult, scans []*limits.Result) error {
	c := e.Card
	var b strings.Builder
	fmt.Fprintf(&b, "# goldmine report: %s\n\n", filepath.Base(c.Path))
	var names []string
	for _, p := range c.Parameters {
		if p.LHABlock == "" {
			names = append(names, fmt.Sprintf("%s (range %v)", p.Name, p.Range))
			continue
		}
		names = append(names, fmt.Sprintf("%s (%s %d, range %v)", p.Name, p.LHABlock, p.LHAID, p.Range))
	}
	if c.IsSimulator() {
		fmt.Fprintf(&b, "Simulator: %s; luminosity is the expected number of events.\n\n", c.Samples[0].Simulator.Name)
	}
	fmt.Fprintf(&b, "Parameters: %s. Seed %d.\n\n", strings.Join(names, ", "), e.Seed)
	if len(fr.Results) > 0 {
		fmt.Fprintf(&b, "## Fisher information at θ = %v, L = %g\n\n| item | kind | det(I)^(1/n) | I |\n|---|---|---|---|\n", c.Fisher.Theta, c.Fisher.Luminosity)
		for _, r := range fr.Results {
			fmt.Fprintf(&b, "| %s | %s | %.4g | %s |\n", r.Name, r.Kind, r.DetRoot, matString(r.Information))
		}
		b.WriteString("\n")
		if slices.Contains(res.Figures, "fisher_contours") {
			b.WriteString("![Fisher contours](plots/fisher_contours.png)\n\n")
		}
	}
	if len(scans) > 0 {
		observed := c.Limits.Observed != ""
		if observed {
			fmt.Fprintf(&b, "## Observed limits (%s)\n\n| scan | mode | best fit | points with p > 0.32 | p > 0.05 |\n|---|---|---|---|---|\n", c.Limits.Observed)
		} else {
			fmt.Fprintf(&b, "## Expected limits (θ_true = %v)\n\n| scan | mode | best fit | p(θ_true) | points with p > 0.32 | p > 0.05 |\n|---|---|---|---|---|---|\n", c.Limits.ThetaTrue)
		}
		var biased []string
		for _, r := range scans {
			n68, n95 := 0, 0
			for _, p := range r.PValues {
				if p > 0.32 {
					n68++
				}
				if p > 0.05 {
					n95++
				}
			}
			if observed {
				fmt.Fprintf(&b, "| %s | %s | %s | %d | %d |\n", r.Label(), r.Mode, vecString(r.BestFit), n68, n95)
				continue
			}
			pt := "not on the grid"
			if p, ok := r.PValueAt(c.Limits.ThetaTrue); ok {
				pt = fmt.Sprintf("%.3g", p)
				if p < 0.05 {
					biased = append(biased, fmt.Sprintf("%s (p = %.2g)", r.Label(), p))
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %d |\n", r.Label(), r.Mode, vecString(r.BestFit), pt, n68, n95)
		}
		if len(biased) > 0 {
			// With Asimov data at θ_true an unbiased likelihood has its
			// maximum there, q(θ_true) = 0 and p(θ_true) = 1.
			fmt.Fprintf(&b, "\n**Check these scans:** %s exclude θ_true at 95%% CL although the data are the Asimov data of θ_true, "+
				"for which an unbiased likelihood peaks at θ_true (p = 1). The model is biased: too few training events "+
				"(Monte-Carlo statistics), an undertrained network or too coarse a binning. "+
				"More events, more epochs, an ensemble or, for ml scans, `normalize: true` should move the best fit back; until then the limit of such a scan is not trustworthy.\n",
				strings.Join(biased, ", "))
		}
		b.WriteString("\n![p-values](plots/pvalues.png)\n\n")
	}
	b.WriteString("## Figures\n\n")
	for _, f := range res.Figures {
		fmt.Fprintf(&b, "- [%s](plots/%s.png)\n", f, f)
	}
	return store.WriteFileAtomic(res.Report, func(w io.Writer) error {
		_, err := io.WriteString(w, b.String())
		return err
	})
}

func vecString(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.4g", x)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

func matString(m [][]float64) string {
	s := make([]string, len(m))
	for i, r := range m {
		s[i] = vecString(r)
	}
	return strings.Join(s, " ")
}

// PrintPlots writes a human summary.
func PrintPlots(w io.Writer, r *PlotsResult) {
	fmt.Fprintf(w, "wrote %d figures to %s and %s\n", len(r.Figures), r.Dir, r.Report)
}

// eventPlots draws the figures that need the events file: the morphing
// basis map and the observable distributions at several θ.
func eventPlots(e *Env, save func(string, *plot.Figure) error) error {
	c := e.Card
	pname := func(i int) string { return c.Parameters[i].Name }
	np := len(c.Parameters)
	f, m, err := eventsMorpher(e)
	if err != nil {
		return err
	}
	defer f.Close()
	h := f.Header()

	// Morphing basis quality over the first two parameters.
	if np >= 2 {
		var basis [][]float64
		for _, b := range h.Benchmarks[:m.NumBasis()] {
			basis = append(basis, b.Values)
		}
		r0, r1 := c.Parameters[0].Range, c.Parameters[1].Range
		fig, err := plot.BasisQuality(m, basis, plot.Slice{Params: [2]int{0, 1}, X: grid(r0[0], r0[1], 60), Y: grid(r1[0], r1[1], 60)},
			plot.Labels{Title: "Morphing basis: √Σw²", X: pname(0), Y: pname(1)})
		if err != nil {
			return err
		}
		if err := save("morphing_basis", fig); err != nil {
			return err
		}
	}

	// Observable distributions at the SM and at the corners of the
	// parameter ranges, morphed from the benchmark weights.
	thetas := [][]float64{make([]float64, np)}
	for p := 0; p < np && p < 2; p++ {
		th := make([]float64, np)
		th[p] = c.Parameters[p].Range[1] / 2
		thetas = append(thetas, th)
	}
	nObs, nW, nb := len(h.ObservableNames), len(h.Benchmarks), m.NumBasis()
	cols := make([][]float64, nObs)
	ws := make([]plot.Weighting, len(thetas))
	wb := make([][]float64, len(thetas))
	for k, th := range thetas {
		wb[k] = m.WeightsTo(nil, th)
		ws[k].Label = fmt.Sprintf("θ = %v", th)
	}
	err = f.Read(0, -1, batchSize, func(b *store.Batch) error {
		for i := 0; i < b.N; i++ {
			for o := 0; o < nObs; o++ {
				cols[o] = append(cols[o], b.X[i*nObs+o])
			}
			for k := range thetas {
				var s float64
				for j := 0; j < nb; j++ {
					s += wb[k][j] * b.Weights[i*nW+j]
				}
				ws[k].Weights = append(ws[k].Weights, s)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for o, name := range h.ObservableNames {
		fig, err := plot.Distributions(cols[o], ws, &plot.HistSettings{Normalise: true},
			plot.Labels{Title: name + " at several θ (morphed)", X: name, Y: "normalised distribution"})
		if err != nil {
			return err
		}
		if err := save("distribution_"+name, fig); err != nil {
			return err
		}
	}

	return nil
}
