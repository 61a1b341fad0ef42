// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/goldmine-hep/goldmine/internal/moments"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/plot"
	"github.com/goldmine-hep/goldmine/posterior"
)

// Posteriors are the posteriors of posterior.json with their densities on
// the posterior grid and their MCMC draws.
type Posteriors struct {
	// ThetaTrue is the point of the Asimov data; nil for observed data.
	ThetaTrue []float64
	// Axes are the axes of the posterior grid of the parameters of
	// interest.
	Axes   [][]float64
	Levels []float64
	Scans  []PosteriorScan
	// Reference is the Gaussian posterior of the truth Fisher
	// information, nil if none.
	Reference *PosteriorReference
}

// PosteriorScan is the posterior from the likelihood of one limits scan.
type PosteriorScan struct {
	Name, Mode string
	// Members is the number of ensemble members mixed, Nuisance the
	// number of nuisance parameters marginalised.
	Members, Nuisance int
	Grid, MCMC        *posterior.Summary
	// Density is the (mixture) density on the grid, first axis
	// outermost; MemberDensities the members'. Nil without a grid.
	Density         []float64
	MemberDensities [][]float64
	// Draws are MCMC draws of the parameters of interest; nil without.
	Draws [][]float64
}

// PosteriorReference is the Gaussian posterior N(θ_true, I⁻¹) of the
// truth Fisher information I.
type PosteriorReference struct {
	Std []float64
	// Areas are the closed-form areas of its HPD regions.
	Areas []posterior.Region
	// Grid summarises it on the grid, Density is its density there.
	Grid    *posterior.Summary
	Density []float64
}

// maxCornerDraws bounds the draws of a corner plot.
const maxCornerDraws = 20000

// posteriorFigures draws, for every posterior scan, the 68% and 95%
// credible regions (or, for one parameter, the densities) of the grid
// posterior beside its members', the Gaussian reference and the
// frequentist contours of the limits scan of the same name, and the
// corner plot of the MCMC draws.
func posteriorFigures(c *Campaign, save func(string, *plot.Figure) error) error {
	ps := c.Posteriors
	np := len(ps.Axes)
	for _, sc := range ps.Scans {
		if sc.Density != nil && np <= 2 {
			var fig *plot.Figure
			var err error
			if np == 2 {
				fig, err = posteriorRegions(c, sc)
			} else {
				fig, err = posteriorDensities(c, sc)
			}
			if err != nil {
				return fmt.Errorf("report: posterior of scan %s: %w", sc.Name, err)
			}
			if err := save("posterior_"+sc.Name, fig); err != nil {
				return err
			}
		}
		if len(sc.Draws) > 1 {
			draws := sc.Draws
			if n := len(draws); n > maxCornerDraws {
				// Every k-th draw: all chains and members keep their share.
				k := (n + maxCornerDraws - 1) / maxCornerDraws
				var sub [][]float64
				for i := 0; i < n; i += k {
					sub = append(sub, draws[i])
				}
				draws = sub
			}
			var names []string
			for i := range np {
				names = append(names, c.pname(i))
			}
			fig, err := plot.Corner(draws, names, &plot.CornerSettings{Truth: ps.ThetaTrue, Levels: ps.Levels})
			if err != nil {
				return fmt.Errorf("report: posterior of scan %s: %w", sc.Name, err)
			}
			if err := save("posterior_"+sc.Name+"_corner", fig); err != nil {
				return err
			}
		}
	}
	return nil
}

// hpdLevels returns the density thresholds of the HPD regions at cls of
// the density dens on the grid axes.
func hpdLevels(axes [][]float64, dens []float64, cls []float64) ([]float64, error) {
	lp := make([]float64, len(dens))
	for k, d := range dens {
		lp[k] = math.Log(d)
	}
	g, err := posterior.NewGrid(nil, axes, lp)
	if err != nil {
		return nil, err
	}
	// NewGrid normalises: scale its thresholds back to dens.
	k := 0
	for i, d := range dens {
		if d > dens[k] {
			k = i
		}
	}
	if !(dens[k] > 0) {
		return nil, fmt.Errorf("a density without positive values")
	}
	var out []float64
	for _, cl := range cls {
		out = append(out, g.Level(cl)*dens[k]/g.Density(k))
	}
	return out, nil
}

// limitScan returns the limits scan named name at the first θ_true
// (where the posteriors and the members' bands are computed), nil if none.
func (c *Campaign) limitScan(name string) *limits.Result {
	if c.Limits == nil || len(c.Limits.Points) == 0 {
		return nil
	}
	for _, r := range c.Limits.Points[0].Results {
		if r.Name == name {
			return r
		}
	}
	return nil
}

func posteriorRegions(c *Campaign, sc PosteriorScan) (*plot.Figure, error) {
	ps := c.Posteriors
	x, y := ps.Axes[0], ps.Axes[1]
	var sets []plot.RegionSet
	lev, err := hpdLevels(ps.Axes, sc.Density, ps.Levels)
	if err != nil {
		return nil, err
	}
	label := "posterior " + sc.Name
	if len(sc.MemberDensities) > 1 {
		label = fmt.Sprintf("posterior %s (mixture of %d; members thin)", sc.Name, len(sc.MemberDensities))
	}
	sets = append(sets, plot.RegionSet{Label: label, Z: sc.Density, Levels: lev})
	for _, md := range sc.MemberDensities {
		lev, err := hpdLevels(ps.Axes, md, ps.Levels[:1])
		if err != nil {
			return nil, err
		}
		sets = append(sets, plot.RegionSet{Z: md, Levels: lev, Thin: true})
	}
	if r := c.limitScan(sc.Name); r != nil && len(c.Limits.Grid.Ranges) == 2 {
		axes, err := c.Limits.Grid.Axes()
		if err != nil {
			return nil, err
		}
		sets = append(sets, plot.RegionSet{Label: "frequentist " + sc.Name + " (p > 0.32, 0.05)", X: axes[0], Y: axes[1],
			Z: r.PValues, Levels: []float64{plot.P68, plot.P95}, Colour: 1})
	}
	if ref := ps.Reference; ref != nil {
		lev, err := hpdLevels(ps.Axes, ref.Density, ps.Levels)
		if err != nil {
			return nil, err
		}
		sets = append(sets, plot.RegionSet{Label: "Gaussian of the truth information", Z: ref.Density, Levels: lev, Colour: 2})
	}
	return plot.Regions(x, y, sets, ps.ThetaTrue, plot.Labels{
		Title: fmt.Sprintf("Posterior %s: %s credible regions", sc.Name, levelsString(ps.Levels)), X: c.pname(0), Y: c.pname(1)})
}

func posteriorDensities(c *Campaign, sc PosteriorScan) (*plot.Figure, error) {
	ps := c.Posteriors
	x := ps.Axes[0]
	series := []plot.Series{{Label: "posterior " + sc.Name, X: x, Y: sc.Density}}
	for k, md := range sc.MemberDensities {
		series = append(series, plot.Series{Label: fmt.Sprintf("member %d", k), X: x, Y: md})
	}
	if ref := ps.Reference; ref != nil {
		series = append(series, plot.Series{Label: "Gaussian of the truth information", X: x, Y: ref.Density})
	}
	return plot.Curves(series, false, plot.Labels{Title: "Posterior density " + sc.Name, X: c.pname(0), Y: "p(" + c.pname(0) + " | x)"})
}

func levelsString(cls []float64) string {
	var s []string
	for _, cl := range cls {
		s = append(s, fmt.Sprintf("%g%%", 100*cl))
	}
	return strings.Join(s, ", ")
}

// bandFigures draws, for every ensemble scan with a members' band, the
// mean scan's 68% and 95% contours with every member's 68% contour and
// the conservative envelope (the members' largest p-value); for one
// parameter the p-value curves.
func bandFigures(c *Campaign, save func(string, *plot.Figure) error) error {
	l := c.Limits
	axes, err := l.Grid.Axes()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, b := range l.Bands {
		mean := c.limitScan(b.Name)
		if mean == nil {
			continue
		}
		truth := l.Points[0].ThetaTrue
		var fig *plot.Figure
		switch len(axes) {
		case 1:
			scans := []plot.Scan{{Label: b.Name + " (ensemble)", P: mean.PValues}}
			for k, p := range b.PValues {
				scans = append(scans, plot.Scan{Label: fmt.Sprintf("member %d", k), P: p})
			}
			scans = append(scans, plot.Scan{Label: "envelope (largest p)", P: b.Max})
			fig, err = plot.PValueCurves(axes[0], scans, plot.Labels{Title: fmt.Sprintf("Members' band of scan %s", b.Name), X: c.pname(0)})
		case 2:
			sets := []plot.RegionSet{{Label: fmt.Sprintf("%s (ensemble of %d; members thin)", b.Name, b.Members), Z: mean.PValues, Levels: []float64{plot.P68, plot.P95}}}
			for _, p := range b.PValues {
				sets = append(sets, plot.RegionSet{Z: p, Levels: []float64{plot.P68}, Thin: true})
			}
			sets = append(sets, plot.RegionSet{Label: "envelope (largest p), 68% CL", Z: b.Max, Levels: []float64{plot.P68}, Colour: 1})
			fig, err = plot.Regions(axes[0], axes[1], sets, truth, plot.Labels{
				Title: fmt.Sprintf("Members' band of scan %s: 68%% (solid), 95%% CL (dashed)", b.Name), X: c.pname(0), Y: c.pname(1)})
		default:
			continue
		}
		if err != nil {
			return fmt.Errorf("report: band of scan %s: %w", b.Name, err)
		}
		if err := save("band_"+b.Name, fig); err != nil {
			return err
		}
	}
	return nil
}

// bandSection writes how much each ensemble scan's regions move between
// the members.
func bandSection(b *strings.Builder, c *Campaign, figures []string) {
	l := c.Limits
	fmt.Fprintf(b, "## Network uncertainty of the limits\n\n"+
		"Each ensemble scan is also scanned with every member alone. Size: the area (length) of the region {p > 1 − CL} "+
		"of the ensemble's scan and the members' mean ± standard deviation; shift: per parameter, the largest move of an end "+
		"of the region's extent between a member and the ensemble; Δ: the largest symmetric difference |R_m Δ R|/|R|.\n\n"+
		"| scan | members | CL | size (ensemble) | size (members) | shift | Δ |\n|---|---|---|---|---|---|---|\n")
	for _, bd := range l.Bands {
		for _, r := range bd.Regions {
			mu, sd := moments.MeanStd(r.MemberSizes)
			var shift []string
			for a, s := range r.Shift {
				shift = append(shift, fmt.Sprintf("%s %.3g", c.pname(a), s))
			}
			fmt.Fprintf(b, "| %s | %d | %g%% | %.4g | %.4g ± %.2g | %s | %.1f%% |\n", bd.Name, bd.Members, 100*r.CL, r.Size, mu, sd,
				strings.Join(shift, ", "), 100*r.MaxSymDiff)
		}
	}
	b.WriteString("\n")
	for _, bd := range l.Bands {
		if name := "band_" + bd.Name; slices.Contains(figures, name) {
			fmt.Fprintf(b, "![members' band of %s](plots/%s.png)\n\n", bd.Name, name)
		}
	}
}

// posteriorSection writes the posteriors' means, widths and region sizes
// beside the Gaussian reference and the frequentist regions.
func posteriorSection(b *strings.Builder, c *Campaign, figures []string) {
	ps := c.Posteriors
	np := len(ps.Axes)
	data := "observed data"
	if ps.ThetaTrue != nil {
		data = fmt.Sprintf("Asimov data at θ_true = %v", ps.ThetaTrue)
	}
	size := "length"
	if np == 2 {
		size = "area"
	}
	fmt.Fprintf(b, "## Posteriors (%s)\n\n"+
		"Mean ± standard deviation of each parameter and the %s of the highest-density regions "+
		"(grid: exact on the grid; MCMC: kernel density estimate of the draws); nuisance parameters marginalised. "+
		"The frequentist rows are the regions {p > 1 − CL} of the limits scans of the same name.\n\n", data, size)
	b.WriteString("| posterior | method | members |")
	for i := range np {
		fmt.Fprintf(b, " %s |", c.pname(i))
	}
	for _, cl := range ps.Levels {
		fmt.Fprintf(b, " %s %g%% |", size, 100*cl)
	}
	b.WriteString(" max R̂ | min bulk ESS |\n|---|---|---|")
	b.WriteString(strings.Repeat("---|", np+len(ps.Levels)+2))
	b.WriteString("\n")
	row := func(name, method string, members int, s *posterior.Summary, sizes []float64) {
		fmt.Fprintf(b, "| %s | %s | %d |", name, method, members)
		for i := range np {
			if s != nil && i < len(s.Params) {
				fmt.Fprintf(b, " %.4g ± %.3g |", s.Params[i].Mean, s.Params[i].Std)
			} else {
				b.WriteString(" |")
			}
		}
		for _, v := range sizes {
			fmt.Fprintf(b, " %.4g |", v)
		}
		if s != nil && s.Diagnostics != nil && len(s.Diagnostics.RHat) > 0 {
			fmt.Fprintf(b, " %.3f | %.0f |\n", slices.Max(s.Diagnostics.RHat), slices.Min(s.Diagnostics.ESSBulk))
		} else {
			b.WriteString(" | |\n")
		}
	}
	for _, sc := range ps.Scans {
		for _, s := range []*posterior.Summary{sc.Grid, sc.MCMC} {
			if s != nil {
				row(sc.Name, s.Method, sc.Members, s, summarySizes(s, ps.Levels, np))
			}
		}
		if r := c.limitScan(sc.Name); r != nil && len(c.Limits.Grid.Ranges) == np && np <= 2 {
			axes, err := c.Limits.Grid.Axes()
			if err != nil {
				continue
			}
			var sizes []float64
			for _, cl := range ps.Levels {
				s, _, _, err := limits.Regions(axes, [][]float64{r.PValues}, 1-cl)
				if err != nil {
					break
				}
				sizes = append(sizes, s[0])
			}
			if len(sizes) == len(ps.Levels) {
				row(sc.Name, "frequentist", sc.Members, nil, sizes)
			}
		}
	}
	if ref := ps.Reference; ref != nil {
		var sizes []float64
		for _, cl := range ps.Levels {
			if np == 1 {
				// The HPD interval of a Gaussian: ±z σ.
				sizes = append(sizes, 2*math.Sqrt2*math.Erfinv(cl)*ref.Std[0])
				continue
			}
			for _, a := range ref.Areas {
				if a.CL == cl {
					sizes = append(sizes, a.Area)
					break
				}
			}
		}
		if len(sizes) == len(ps.Levels) {
			fmt.Fprintf(b, "| truth information | Gaussian, closed form | |")
			for i := range np {
				fmt.Fprintf(b, " %.4g ± %.3g |", ps.ThetaTrue[i], ref.Std[i])
			}
			for _, v := range sizes {
				fmt.Fprintf(b, " %.4g |", v)
			}
			b.WriteString(" | |\n")
		}
		if ref.Grid != nil {
			row("truth information", "Gaussian, on the grid", 0, ref.Grid, summarySizes(ref.Grid, ps.Levels, np))
		}
	}
	b.WriteString("\n")
	for _, sc := range ps.Scans {
		for _, name := range []string{"posterior_" + sc.Name, "posterior_" + sc.Name + "_corner"} {
			if slices.Contains(figures, name) {
				fmt.Fprintf(b, "![%s](plots/%s.png)\n\n", name, name)
			}
		}
	}
}

// summarySizes returns the sizes of a summary's HPD regions at cls: the
// areas of the first pair of parameters, or for one parameter the total
// length of the intervals.
func summarySizes(s *posterior.Summary, cls []float64, np int) []float64 {
	var out []float64
	for _, cl := range cls {
		v := math.NaN()
		if np == 1 && len(s.Params) > 0 {
			for _, h := range s.Params[0].HPD {
				if h.CL == cl {
					v = 0
					for _, iv := range h.Intervals {
						v += iv[1] - iv[0]
					}
				}
			}
		} else {
			for _, r := range s.Regions {
				if r.CL == cl {
					v = r.Area
					break
				}
			}
		}
		out = append(out, v)
	}
	return out
}
