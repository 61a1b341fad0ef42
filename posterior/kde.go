// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package posterior

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Areas returns the areas of the highest-posterior-density regions of the
// parameters i and j at the credibility levels cls, estimated from the
// draws with a kernel density estimate:
//
//   - the draws are whitened, w = L⁻¹(θ − θ̄) with L Lᵀ the sample
//     covariance, so that one isotropic bandwidth suits correlated
//     posteriors;
//   - the density of w is estimated with a Gaussian kernel of width
//     h = n^(−1/6)/2 (half Scott's rule in two dimensions: narrower
//     kernels smear curved posteriors less) on a grid of spacing
//     Δ ≤ h/4, after linear binning;
//   - the kernel widens the variance by h² and the binning by Δ²/6 per
//     axis, which the estimate undoes by shrinking both axes by
//     s = √(1 + h² + Δ²/6), as the variance-corrected smoothed bootstrap
//     does (Silverman, Density Estimation for Statistics and Data
//     Analysis, 1986): exact for a Gaussian posterior, to first order
//     otherwise;
//   - the area of the region on that grid, in whitened units, times
//     det L/s² is the area in θ.
//
// Measured on independent draws (mean ± spread over 12 replicates): for a
// correlated Gaussian the areas are low by 1% ± 4% (68%) and 5% ± 5%
// (95%) from 10³ draws, by 1% ± 1% from 1.6·10⁴; for a thin curved ridge
// (x ~ N(0, 1), y = x² + N(0, 0.5²)) they are too large, by 19% and 29%
// from 10³ draws, 8% and 14% from 1.6·10⁴, 5% and 10% from 6.4·10⁴.
// (With Scott's full rule the Gaussian bias vanishes and the ridge's
// doubles.) Autocorrelated draws count as fewer. On a grid, Grid.Volume
// is exact and preferable. Areas returns an error if i
// or j is out of range or equal, or the draws of the pair are degenerate.
func (ch *Chains) Areas(i, j int, cls []float64) ([]float64, error) {
	if i < 0 || j < 0 || i >= ch.Dim || j >= ch.Dim || i == j {
		return nil, fmt.Errorf("posterior: areas of parameters %d and %d of %d", i, j, ch.Dim)
	}
	shape, flat := ch.Flat(ch.Dim)
	n := shape[0]
	if n < 10 {
		return nil, fmt.Errorf("posterior: areas from %d draws, want at least 10", n)
	}
	// Sample mean and covariance of the pair.
	var mx, my float64
	for t := range n {
		mx += flat[t*ch.Dim+i]
		my += flat[t*ch.Dim+j]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxx, sxy, syy float64
	for t := range n {
		dx, dy := flat[t*ch.Dim+i]-mx, flat[t*ch.Dim+j]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	cov := mat.NewSymDense(2, []float64{sxx, sxy, sxy, syy})
	cov.ScaleSym(1/float64(n-1), cov)
	var chol mat.Cholesky
	if !chol.Factorize(cov) {
		return nil, fmt.Errorf("posterior: the draws of parameters %d and %d are degenerate (covariance %v)", i, j, mat.Formatted(cov, mat.Squeeze()))
	}
	var l mat.TriDense
	chol.LTo(&l)
	l00, l10, l11 := l.At(0, 0), l.At(1, 0), l.At(1, 1)
	// Whitened draws: w0 = dx/l00, w1 = (dy − l10 w0)/l11.
	w := make([][2]float64, n)
	r := 0.0
	for t := range n {
		w0 := (flat[t*ch.Dim+i] - mx) / l00
		w1 := (flat[t*ch.Dim+j] - my - l10*w0) / l11
		w[t] = [2]float64{w0, w1}
		r = math.Max(r, math.Max(math.Abs(w0), math.Abs(w1)))
	}
	h := math.Pow(float64(n), -1.0/6) / 2
	lim := r + 4*h
	const maxNodes = 401
	delta := math.Max(h/4, 2*lim/(maxNodes-1))
	nodes := int(math.Ceil(2*lim/delta)) + 1
	lo := -lim
	// Linear binning onto the nodes.
	dens := make([]float64, nodes*nodes)
	for _, p := range w {
		u, v := (p[0]-lo)/delta, (p[1]-lo)/delta
		a, b := int(u), int(v)
		fu, fv := u-float64(a), v-float64(b)
		a, b = min(a, nodes-2), min(b, nodes-2)
		dens[a*nodes+b] += (1 - fu) * (1 - fv)
		dens[(a+1)*nodes+b] += fu * (1 - fv)
		dens[a*nodes+b+1] += (1 - fu) * fv
		dens[(a+1)*nodes+b+1] += fu * fv
	}
	// Separable Gaussian smoothing of width h, truncated at 4h.
	m := int(math.Ceil(4 * h / delta))
	kern := make([]float64, 2*m+1)
	for k := range kern {
		x := float64(k-m) * delta / h
		kern[k] = math.Exp(-x * x / 2)
	}
	conv := func(src []float64, stride int) []float64 {
		out := make([]float64, len(src))
		for k := range src {
			c := k / stride % nodes
			s := 0.0
			for d := -m; d <= m; d++ {
				if cc := c + d; cc >= 0 && cc < nodes {
					s += kern[d+m] * src[k+d*stride]
				}
			}
			out[k] = s
		}
		return out
	}
	dens = conv(conv(dens, 1), nodes)
	axis := make([]float64, nodes)
	for k := range axis {
		axis[k] = lo + float64(k)*delta
	}
	lp := make([]float64, len(dens))
	for k, d := range dens {
		lp[k] = math.Log(d)
	}
	g, err := NewGrid(nil, [][]float64{axis, axis}, lp)
	if err != nil {
		return nil, err
	}
	s2 := 1 + h*h + delta*delta/6
	out := make([]float64, len(cls))
	for k, cl := range cls {
		if !(cl > 0 && cl < 1) {
			return nil, fmt.Errorf("posterior: credibility level %v outside (0, 1)", cl)
		}
		out[k] = g.Volume(cl) * l00 * l11 / s2
	}
	return out, nil
}
