// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fisher

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Metric gives the Fisher information I(θ), the metric of information
// geometry, at any θ.
type Metric func(theta []float64) (*mat.SymDense, error)

// Metric returns the information in the histogram as a function of θ; it
// costs one pass over the bins per evaluation.
func (h *Histogram) Metric(m Morpher, lumi float64) Metric {
	return func(theta []float64) (*mat.SymDense, error) {
		in, err := Binned(m, theta, lumi, h.nBins, h.w, nil, 0, nil)
		if err != nil {
			return nil, err
		}
		return in.Matrix, nil
	}
}

// ConstantMetric returns the metric that is in everywhere (the linearised
// forecast).
func ConstantMetric(in *Information) Metric {
	s := mat.NewSymDense(in.Dim(), nil)
	s.CopySym(in.Matrix)
	return func([]float64) (*mat.SymDense, error) { return s, nil }
}

// Christoffel writes the Christoffel symbols of the second kind,
// Γ^a_bc = ½ I^{ad} (∂_c I_db + ∂_b I_dc − ∂_d I_bc), at θ into
// dst[(a*n+b)*n+c], with the derivatives of the metric from central finite
// differences of step h (0 means 1e-4·max(1, |θ|)).
func Christoffel(dst []float64, g Metric, theta []float64, h float64) ([]float64, error) {
	n := len(theta)
	if dst == nil {
		dst = make([]float64, n*n*n)
	}
	i0, err := g(theta)
	if err != nil {
		return nil, err
	}
	var inv mat.Dense
	if err := inv.Inverse(i0); err != nil {
		return nil, fmt.Errorf("fisher: singular information at %v: %w", theta, err)
	}
	d := make([]float64, n*n*n) // d[(k*n+i)*n+j] = ∂_k I_ij
	x := append([]float64(nil), theta...)
	for k := 0; k < n; k++ {
		step := h
		if step == 0 {
			step = 1e-4 * math.Max(1, math.Abs(theta[k]))
		}
		x[k] = theta[k] + step
		ip, err := g(x)
		if err != nil {
			return nil, err
		}
		x[k] = theta[k] - step
		im, err := g(x)
		if err != nil {
			return nil, err
		}
		x[k] = theta[k]
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				d[(k*n+i)*n+j] = (ip.At(i, j) - im.At(i, j)) / (2 * step)
			}
		}
	}
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			for c := 0; c < n; c++ {
				s := 0.0
				for e := 0; e < n; e++ {
					s += inv.At(a, e) * (d[(c*n+e)*n+b] + d[(b*n+e)*n+c] - d[(e*n+b)*n+c])
				}
				dst[(a*n+b)*n+c] = 0.5 * s
			}
		}
	}
	return dst, nil
}

// Geodesic integrates the geodesic equation θ̈^a = −Γ^a_bc θ̇^b θ̇^c from θ0
// with initial velocity v0 over the affine parameter [0, 1] in steps
// fourth-order Runge–Kutta steps. It returns the points along the path and
// the distance √(θ̇ᵀ I θ̇) integrated (trapezoidal) up to each.
func Geodesic(g Metric, theta0, v0 []float64, steps int) (path [][]float64, dist []float64, err error) {
	n := len(theta0)
	if len(v0) != n || steps < 1 {
		panic("fisher: bad geodesic arguments")
	}
	gam := make([]float64, n*n*n)
	deriv := func(dx, dv, x, v []float64) error {
		if _, err := Christoffel(gam, g, x, 0); err != nil {
			return err
		}
		copy(dx, v)
		for a := 0; a < n; a++ {
			s := 0.0
			for b := 0; b < n; b++ {
				for c := 0; c < n; c++ {
					s += gam[(a*n+b)*n+c] * v[b] * v[c]
				}
			}
			dv[a] = -s
		}
		return nil
	}
	speed := func(x, v []float64) (float64, error) {
		i, err := g(x)
		if err != nil {
			return 0, err
		}
		return math.Sqrt(math.Max(mat.Inner(mat.NewVecDense(n, v), i, mat.NewVecDense(n, v)), 0)), nil
	}
	x := append([]float64(nil), theta0...)
	v := append([]float64(nil), v0...)
	dt := 1 / float64(steps)
	k := make([][]float64, 8)
	for i := range k {
		k[i] = make([]float64, n)
	}
	xt, vt := make([]float64, n), make([]float64, n)
	s0, err := speed(x, v)
	if err != nil {
		return nil, nil, err
	}
	path = append(path, append([]float64(nil), x...))
	dist = append(dist, 0)
	for s := 0; s < steps; s++ {
		stage := func(kx, kv, bx, bv []float64, h float64) error {
			for i := 0; i < n; i++ {
				xt[i] = x[i] + h*bx[i]
				vt[i] = v[i] + h*bv[i]
			}
			return deriv(kx, kv, xt, vt)
		}
		zero := make([]float64, n)
		if err := stage(k[0], k[1], zero, zero, 0); err != nil {
			return nil, nil, err
		}
		if err := stage(k[2], k[3], k[0], k[1], dt/2); err != nil {
			return nil, nil, err
		}
		if err := stage(k[4], k[5], k[2], k[3], dt/2); err != nil {
			return nil, nil, err
		}
		if err := stage(k[6], k[7], k[4], k[5], dt); err != nil {
			return nil, nil, err
		}
		for i := 0; i < n; i++ {
			x[i] += dt / 6 * (k[0][i] + 2*k[2][i] + 2*k[4][i] + k[6][i])
			v[i] += dt / 6 * (k[1][i] + 2*k[3][i] + 2*k[5][i] + k[7][i])
		}
		s1, err := speed(x, v)
		if err != nil {
			return nil, nil, err
		}
		path = append(path, append([]float64(nil), x...))
		dist = append(dist, dist[len(dist)-1]+0.5*(s0+s1)*dt)
		s0 = s1
	}
	return path, dist, nil
}

// GeodesicDistance returns the information-geometry distance between θ0
// and θ: the length of the geodesic from θ0 that reaches θ, found by
// shooting: damped Newton iterations on the initial velocity w (started
// from θ − θ0) with the Jacobian of the end point from finite differences,
// steps Runge–Kutta steps per geodesic (0 means 50).
func GeodesicDistance(g Metric, theta0, theta []float64, steps int) (float64, error) {
	if steps == 0 {
		steps = 50
	}
	n := len(theta0)
	i0, err := g(theta0)
	if err != nil {
		return 0, err
	}
	end := func(w []float64) ([]float64, error) {
		path, _, err := Geodesic(g, theta0, w, steps)
		if err != nil {
			return nil, err
		}
		return path[len(path)-1], nil
	}
	missOf := func(e []float64) (r []float64, norm float64) {
		r = make([]float64, n)
		for i := range r {
			r[i] = theta[i] - e[i]
			norm += r[i] * r[i]
		}
		return r, math.Sqrt(norm)
	}
	w := make([]float64, n)
	scale := 0.0
	for i := range w {
		w[i] = theta[i] - theta0[i]
		scale = math.Max(scale, math.Abs(w[i]))
	}
	if scale == 0 {
		return 0, nil
	}
	e, err := end(w)
	if err != nil {
		return 0, err
	}
	r, miss := missOf(e)
	jac := mat.NewDense(n, n, nil)
	for it := 0; it < 50 && miss > 1e-12*scale; it++ {
		for j := 0; j < n; j++ {
			h := 1e-6 * math.Max(scale, math.Abs(w[j]))
			wj := w[j]
			w[j] = wj + h
			ep, err := end(w)
			if err != nil {
				return 0, err
			}
			w[j] = wj
			for i := 0; i < n; i++ {
				jac.Set(i, j, (ep[i]-e[i])/h)
			}
		}
		var step mat.VecDense
		if err := step.SolveVec(jac, mat.NewVecDense(n, r)); err != nil {
			return 0, fmt.Errorf("fisher: geodesic shooting from %v to %v: %w", theta0, theta, err)
		}
		improved := false
		for lam := 1.0; lam > 1e-4; lam /= 2 {
			wt := make([]float64, n)
			for i := range wt {
				wt[i] = w[i] + lam*step.AtVec(i)
			}
			et, err := end(wt)
			if err != nil {
				continue // left the region where the metric is defined
			}
			rt, mt := missOf(et)
			if mt < miss {
				w, e, r, miss = wt, et, rt, mt
				improved = true
				break
			}
		}
		if !improved {
			break
		}
	}
	if miss > 1e-7*scale {
		return 0, fmt.Errorf("fisher: geodesic from %v misses %v by %g", theta0, theta, miss)
	}
	// Along a geodesic the speed is constant: d = √(wᵀ I(θ0) w).
	wv := mat.NewVecDense(n, w)
	return math.Sqrt(math.Max(mat.Inner(wv, i0, wv), 0)), nil
}

// DistanceMap returns the geodesic distance from θ0 and the corresponding
// asymptotic p-value, P(χ²_n > d²), at each point (MadMiner's
// InformationGeometry.distance_contours, with shooting instead of
// interpolating between sampled trajectories).
func DistanceMap(g Metric, theta0 []float64, points [][]float64, steps int) (dist, p []float64, err error) {
	chi := distuv.ChiSquared{K: float64(len(theta0))}
	for _, th := range points {
		d, err := GeodesicDistance(g, theta0, th, steps)
		if err != nil {
			return nil, nil, err
		}
		dist = append(dist, d)
		p = append(p, chi.Survival(d*d))
	}
	return dist, p, nil
}
