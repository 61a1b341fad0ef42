// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package report

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/limits/fisher"
	"github.com/goldmine-hep/goldmine/plot"
)

// Parameter is a parameter of the campaign.
type Parameter struct {
	Name string
	// Block and ID place it in the SLHA param card; Block is "" for a
	// simulator parameter.
	Block string
	ID    int
	Range [2]float64
}

// EventReader reads the rows of a weighted event file in batches. It is
// implemented by *store.EventFile.
type EventReader interface {
	Shape() (events, observables, weights int)
	ReadRows(start, end int, fn func(first, n int, x, w []float64) error) error
}

// Morpher gives the morphing weights w_b(θ). It is implemented by
// *morphing.Morpher.
type Morpher interface {
	WeightsTo(dst, theta []float64) []float64
	NumBasis() int
}

// Events are the analysed events of an event-file campaign.
type Events struct {
	Reader          EventReader
	ObservableNames []string
	Morpher         Morpher
	// Basis holds the parameter values of the morphing basis points.
	Basis [][]float64
}

// FisherResults are the contents of fisher.json: the information at
// every θ.
type FisherResults struct {
	Luminosity float64
	Points     []FisherPoint
}

// FisherPoint is the information at one θ.
type FisherPoint struct {
	Theta []float64
	// Xsec is σ(θ) and XsecUnc its statistical uncertainty, in pb; both
	// are 0 when unknown (simulator campaigns).
	Xsec, XsecUnc  float64
	Results        []fisher.Result
	InfoHistograms []fisher.InfoHistogramResult
}

// LimitsResults are the scans of limits.json with the scan grid.
type LimitsResults struct {
	// Observed names the observed data; "" for expected limits.
	Observed string
	Grid     limits.Grid
	Points   []LimitsPoint
	// Bands are the members' bands of the ensemble scans
	// (limits_members.json), at Points[0].
	Bands []*limits.Band
}

// LimitsPoint holds the scans with the Asimov data of one θ_true (or
// those on the observed data).
type LimitsPoint struct {
	ThetaTrue []float64
	Results   []*limits.Result
}

// figureName is the name of the figure base of point k of n: base for a
// single point, base_thetaK (K from 1) for several.
func figureName(base string, k, n int) string {
	if n < 2 {
		return base
	}
	return fmt.Sprintf("%s_theta%d", base, k+1)
}

// Campaign is what the report shows. Absent parts are left out.
type Campaign struct {
	// Title names the campaign (the card's file name).
	Title      string
	Parameters []Parameter
	Seed       uint64
	// Simulator is the built-in simulator of a simulator campaign, "" for
	// event files.
	Simulator string
	Events    *Events
	Fisher    *FisherResults
	Limits    *LimitsResults
	// Posteriors are the posteriors of posterior.json.
	Posteriors *Posteriors
	// Formats are the figure formats (file extensions); nil means png.
	Formats []string
}

// Output lists what Write wrote.
type Output struct {
	Dir     string   `json:"dir"`
	Figures []string `json:"figures"` // base names, one file per format
	Report  string   `json:"report"`
}

// Write draws the campaign's figures into dir and writes the report, in
// Markdown, to reportPath: the morphing basis map and the observable
// distributions at several θ (from the events), the Fisher-information
// contours and determinants, the histograms of information, and the
// p-value maps with, for expected limits, p(θ_true) of every scan and a
// warning for a scan that excludes θ_true on its own Asimov data, the
// members' bands of ensemble scans, and the posteriors' credible regions
// beside the frequentist ones and the truth-information Gaussian, with
// their corner plots.
func Write(dir, reportPath string, c *Campaign) (*Output, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: could not create %s: %w", dir, err)
	}
	root, name, err := atomicfile.OpenDir(reportPath)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer root.Close()
	figs, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("report: could not open %s: %w", dir, err)
	}
	defer figs.Close()
	out, err := write(figs, ".", root, name, c)
	if out != nil {
		out.Dir, out.Report = dir, reportPath
	}
	return out, err
}

// WriteIn is Write with the folder dir and the report reportName inside
// root: every write goes through root.
func WriteIn(root *os.Root, dir, reportName string, c *Campaign) (*Output, error) {
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: could not create %s: %w", filepath.Join(root.Name(), dir), err)
	}
	return write(root, dir, root, reportName, c)
}

// write draws the figures into dir inside figs and writes the report
// reportName inside root.
func write(figs *os.Root, dir string, root *os.Root, reportName string, c *Campaign) (*Output, error) {
	formats := c.Formats
	if formats == nil {
		formats = []string{"png"}
	}
	out := &Output{Dir: filepath.Join(figs.Name(), dir), Report: filepath.Join(root.Name(), reportName)}
	save := func(name string, f *plot.Figure) error {
		var paths []string
		for _, ext := range formats {
			paths = append(paths, filepath.Join(dir, name+"."+ext))
		}
		if err := f.SaveIn(figs, paths...); err != nil {
			return fmt.Errorf("report: figure %s: %w", name, err)
		}
		out.Figures = append(out.Figures, name)
		return nil
	}
	if c.Events != nil {
		if err := eventFigures(c, save); err != nil {
			return nil, err
		}
	}
	if c.Fisher != nil {
		if err := fisherFigures(c, save); err != nil {
			return nil, err
		}
	}
	if c.Limits != nil {
		if err := limitFigures(c, save); err != nil {
			return nil, err
		}
		if err := bandFigures(c, save); err != nil {
			return nil, err
		}
	}
	if c.Posteriors != nil {
		if err := posteriorFigures(c, save); err != nil {
			return nil, err
		}
	}
	if err := atomicfile.WriteIn(root, reportName, 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, markdown(c, out.Figures))
		return err
	}); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return out, nil
}

func (c *Campaign) pname(i int) string { return c.Parameters[i].Name }

// fisherFigures draws, at every θ, the Fisher contours and det(I)^(1/n)
// over the first two parameters, and the histograms of information.
func fisherFigures(c *Campaign, save func(string, *plot.Figure) error) error {
	for k, pt := range c.Fisher.Points {
		if err := fisherPointFigures(c, pt, func(base string, f *plot.Figure) error {
			return save(figureName(base, k, len(c.Fisher.Points)), f)
		}); err != nil {
			return err
		}
	}
	return nil
}

func fisherPointFigures(c *Campaign, pt FisherPoint, save func(string, *plot.Figure) error) error {
	np := len(c.Parameters)
	if np >= 2 {
		var infos []plot.Information
		for _, r := range pt.Results {
			infos = append(infos, plot.Information{Label: r.Name, Info: r.Info()})
		}
		if len(infos) > 0 {
			fig, err := plot.FisherContours(infos, nil, plot.Labels{Title: fmt.Sprintf("Fisher information at θ = %v, d(θ) = 1, L = %g /pb", pt.Theta, c.Fisher.Luminosity), X: c.pname(0), Y: c.pname(1)})
			if err != nil {
				return err
			}
			if err := save("fisher_contours", fig); err != nil {
				return err
			}
			fig, err = plot.InformationDeterminants(infos, plot.Labels{Title: fmt.Sprintf("det(I)^(1/n) at θ = %v", pt.Theta), Y: "det(I)^(1/n)"})
			if err != nil {
				return err
			}
			if err := save("fisher_determinants", fig); err != nil {
				return err
			}
		}
	}
	// The information of the first parameter in each bin, with the cross
	// section per bin.
	for _, ih := range pt.InfoHistograms {
		edges := append([]float64{math.Min(ih.Range[0], ih.Edges[0])}, ih.Edges...)
		edges = append(edges, math.Max(ih.Range[1], ih.Edges[len(ih.Edges)-1]))
		info := make([]float64, len(ih.Information))
		for k, in := range ih.Information {
			info[k] = in[0][0]
		}
		fig, err := plot.InformationHistogram(edges, info, ih.XSecPB,
			plot.Labels{Title: "Information per bin of " + ih.Observable, X: ih.Observable, Y: "I(" + c.pname(0) + ", " + c.pname(0) + ") per bin"}, "σ per bin [pb]")
		if err != nil {
			return err
		}
		if err := save("info_histogram_"+ih.Name, fig); err != nil {
			return err
		}
	}
	return nil
}

// limitFigures draws, for every θ_true, the p-values of every scan on one
// figure: curves for one parameter, a map of the 68% and 95% CL contours
// for two.
func limitFigures(c *Campaign, save func(string, *plot.Figure) error) error {
	for k, pt := range c.Limits.Points {
		if err := limitPointFigures(c, pt, figureName("pvalues", k, len(c.Limits.Points)), save); err != nil {
			return err
		}
	}
	return nil
}

func limitPointFigures(c *Campaign, pt LimitsPoint, name string, save func(string, *plot.Figure) error) error {
	np := len(c.Parameters)
	var scans []plot.Scan
	for _, r := range pt.Results {
		scans = append(scans, plot.Scan{Label: r.Label(), P: r.PValues, BestFit: r.BestFit[:min(np, len(r.BestFit))]})
	}
	if len(scans) == 0 {
		return nil
	}
	axes, err := c.Limits.Grid.Axes()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	kind := fmt.Sprintf("Expected (θ_true = %v)", pt.ThetaTrue)
	if c.Limits.Observed != "" {
		kind = "Observed"
	}
	var fig *plot.Figure
	switch np {
	case 1:
		fig, err = plot.PValueCurves(axes[0], scans, plot.Labels{Title: kind + " p-values", X: c.pname(0), Y: "p-value"})
	case 2:
		fig, err = plot.PValueMap(axes[0], axes[1], scans, plot.Labels{Title: kind + " limits: 68% (solid) and 95% CL (dashed)", X: c.pname(0), Y: c.pname(1)})
	default:
		return nil
	}
	if err != nil {
		return err
	}
	return save(name, fig)
}

// eventFigures draws the morphing basis quality over the first two
// parameters and the observable distributions at the SM and at half the
// upper end of the first two parameters' ranges, morphed from the
// benchmark weights.
func eventFigures(c *Campaign, save func(string, *plot.Figure) error) error {
	ev := c.Events
	np := len(c.Parameters)
	m := ev.Morpher
	if np >= 2 {
		r0, r1 := c.Parameters[0].Range, c.Parameters[1].Range
		fig, err := plot.BasisQuality(m, ev.Basis, plot.Slice{Params: [2]int{0, 1}, X: linspace(r0[0], r0[1], 60), Y: linspace(r1[0], r1[1], 60)},
			plot.Labels{Title: "Morphing basis: √Σw²", X: c.pname(0), Y: c.pname(1)})
		if err != nil {
			return err
		}
		if err := save("morphing_basis", fig); err != nil {
			return err
		}
	}
	thetas := [][]float64{make([]float64, np)}
	for p := 0; p < np && p < 2; p++ {
		th := make([]float64, np)
		th[p] = c.Parameters[p].Range[1] / 2
		thetas = append(thetas, th)
	}
	_, nObs, nW := ev.Reader.Shape()
	nb := m.NumBasis()
	cols := make([][]float64, nObs)
	ws := make([]plot.Weighting, len(thetas))
	wb := make([][]float64, len(thetas))
	for k, th := range thetas {
		wb[k] = m.WeightsTo(nil, th)
		ws[k].Label = fmt.Sprintf("θ = %v", th)
	}
	err := ev.Reader.ReadRows(0, -1, func(_, n int, x, w []float64) error {
		for i := 0; i < n; i++ {
			for o := 0; o < nObs; o++ {
				cols[o] = append(cols[o], x[i*nObs+o])
			}
			for k := range thetas {
				var s float64
				for j := 0; j < nb; j++ {
					s += wb[k][j] * w[i*nW+j]
				}
				ws[k].Weights = append(ws[k].Weights, s)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for o, name := range ev.ObservableNames {
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

// linspace returns n equally spaced values in [lo, hi].
func linspace(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return out
}

// markdown returns report.md.
func markdown(c *Campaign, figures []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# goldmine report: %s\n\n", c.Title)
	var names []string
	for _, p := range c.Parameters {
		if p.Block == "" {
			names = append(names, fmt.Sprintf("%s (range %v)", p.Name, p.Range))
			continue
		}
		names = append(names, fmt.Sprintf("%s (%s %d, range %v)", p.Name, p.Block, p.ID, p.Range))
	}
	if c.Simulator != "" {
		fmt.Fprintf(&b, "Simulator: %s; luminosity is the expected number of events.\n\n", c.Simulator)
	}
	fmt.Fprintf(&b, "Parameters: %s. Seed %d.\n\n", strings.Join(names, ", "), c.Seed)
	if f := c.Fisher; f != nil {
		for k, pt := range f.Points {
			if len(pt.Results) == 0 {
				continue
			}
			fmt.Fprintf(&b, "## Fisher information at θ = %v, L = %g\n\n", pt.Theta, f.Luminosity)
			if pt.Xsec != 0 {
				fmt.Fprintf(&b, "σ(θ) = %.6g ± %.2g pb.\n\n", pt.Xsec, pt.XsecUnc)
			}
			b.WriteString("| item | kind | det(I)^(1/n) | I (± uncertainty: Monte-Carlo, or the members' spread of an ensemble) |\n|---|---|---|---|\n")
			for _, r := range pt.Results {
				in := matString(r.Information)
				if r.Uncertainty != nil {
					// Monte-Carlo statistics (truth) or, for an
					// ensemble, the spread over the members.
					in += " ± " + matString(r.Uncertainty)
				}
				fmt.Fprintf(&b, "| %s | %s | %.4g | %s |\n", r.Name, r.Kind, r.DetRoot, in)
			}
			b.WriteString("\n")
			if name := figureName("fisher_contours", k, len(f.Points)); slices.Contains(figures, name) {
				fmt.Fprintf(&b, "![Fisher contours](plots/%s.png)\n\n", name)
			}
		}
	}
	if l := c.Limits; l != nil {
		for k, pt := range l.Points {
			if len(pt.Results) > 0 {
				limitsSection(&b, l, pt, figureName("pvalues", k, len(l.Points)))
			}
		}
		if len(l.Bands) > 0 && len(l.Points) > 0 {
			bandSection(&b, c, figures)
		}
	}
	if c.Posteriors != nil && len(c.Posteriors.Scans) > 0 {
		posteriorSection(&b, c, figures)
	}
	b.WriteString("## Figures\n\n")
	for _, f := range figures {
		fmt.Fprintf(&b, "- [%s](plots/%s.png)\n", f, f)
	}
	return b.String()
}

// limitsSection writes the table of the scans and flags, for expected
// limits, the scans that exclude θ_true at 95% CL on its own Asimov data.
func limitsSection(b *strings.Builder, l *LimitsResults, pt LimitsPoint, figure string) {
	observed := l.Observed != ""
	if observed {
		fmt.Fprintf(b, "## Observed limits (%s)\n\n| scan | mode | best fit | points with p > 0.32 | p > 0.05 |\n|---|---|---|---|---|\n", l.Observed)
	} else {
		fmt.Fprintf(b, "## Expected limits (θ_true = %v)\n\n| scan | mode | best fit | p(θ_true) | points with p > 0.32 | p > 0.05 |\n|---|---|---|---|---|---|\n", pt.ThetaTrue)
	}
	var biased []string
	for _, r := range pt.Results {
		n68, n95 := r.Inside()
		if observed {
			fmt.Fprintf(b, "| %s | %s | %s | %d | %d |\n", r.Label(), r.Mode, vecString(r.BestFit), n68, n95)
			continue
		}
		pTrue := "not on the grid"
		if p, ok := r.PValueAt(pt.ThetaTrue); ok {
			pTrue = fmt.Sprintf("%.3g", p)
			if p < 0.05 {
				biased = append(biased, fmt.Sprintf("%s (p = %.2g)", r.Label(), p))
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %d | %d |\n", r.Label(), r.Mode, vecString(r.BestFit), pTrue, n68, n95)
	}
	if len(biased) > 0 {
		// With Asimov data at θ_true an unbiased likelihood has its
		// maximum there, q(θ_true) = 0 and p(θ_true) = 1.
		fmt.Fprintf(b, "\n**Check these scans:** %s exclude θ_true at 95%% CL although the data are the Asimov data of θ_true, "+
			"for which an unbiased likelihood peaks at θ_true (p = 1). The model is biased: too few training events "+
			"(Monte-Carlo statistics), an undertrained network or too coarse a binning. "+
			"More events, more epochs, an ensemble or, for ml scans, `normalize: true` should move the best fit back; until then the limit of such a scan is not trustworthy.\n",
			strings.Join(biased, ", "))
	}
	fmt.Fprintf(b, "\n![p-values](plots/%s.png)\n\n", figure)
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
