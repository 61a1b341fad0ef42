// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package simulators

import (
	"fmt"
	"math"
)

// Galton is the generalized Galton board of Mining gold (Brehmer, Louppe,
// Pavez, Cranmer, arXiv:1805.12244): a ball falls through Rows rows of
// nails; at row r (0-based), having gone right k times so far (0 ≤ k ≤ r),
// it goes left with probability PLeft(θ, r, k) and right otherwise. The
// observable x is the final slot, the number of right moves, in
// [0, Rows]. The latent z is the sequence of left/right decisions.
//
// Because the position after each row is one of r+1 values, p(x|θ) and its
// gradient follow exactly by dynamic programming over positions (Probs).
type Galton struct {
	// Rows is the number of rows of nails; 0 means 20.
	Rows int
	// PLeft is the probability to go left at row r with k right moves so
	// far; it must lie in (0, 1). nil means GaltonPLeft.
	PLeft func(theta []Dual, row, k, rows int) Dual
}

// GaltonPLeft is the default nail response, after Mining gold: with the
// relative depth v = r/(rows−1) and the relative horizontal position
// u = (2k − r)/rows ∈ (−1, 1),
//
//	p_left = (1 − sin πv)/2 + sin(πv)·sigmoid(10·θ_0·u).
//
// At the top and bottom rows the board is fair; in the middle a positive
// θ_0 pushes the ball back to the centre and a negative one outwards.
// θ_0 = 0 gives the binomial board.
func GaltonPLeft(theta []Dual, row, k, rows int) Dual {
	v := 0.0
	if rows > 1 {
		v = float64(row) / float64(rows-1)
	}
	u := float64(2*k-row) / float64(rows)
	s := math.Sin(math.Pi * v)
	return Sigmoid(theta[0].MulScalar(10 * u)).MulScalar(s).AddScalar((1 - s) / 2)
}

func (g Galton) rows() int {
	if g.Rows == 0 {
		return 20
	}
	return g.Rows
}

func (g Galton) pLeft() func([]Dual, int, int, int) Dual {
	if g.PLeft == nil {
		return GaltonPLeft
	}
	return g.PLeft
}

// Simulate is the Simulator of the board; x has one entry, the slot.
func (g Galton) Simulate(theta []Dual, t *Tracer) []float64 {
	n, pl := g.rows(), g.pLeft()
	k := 0
	for r := 0; r < n; r++ {
		if !t.Bernoulli(pl(theta, r, k, n)) {
			k++
		}
	}
	return []float64{float64(k)}
}

// Probs returns p(x = k|θ) for k = 0, …, Rows with their θ-gradients,
// computed by dynamic programming over the positions after each row with
// Dual arithmetic. It returns an error if PLeft leaves [0, 1].
func (g Galton) Probs(theta []float64) ([]Dual, error) {
	n, pl := g.rows(), g.pLeft()
	if n < 1 {
		return nil, fmt.Errorf("simulators: Galton board with %d rows", n)
	}
	th := Params(theta)
	p := []Dual{Const(1)}
	for r := 0; r < n; r++ {
		next := make([]Dual, r+2)
		for k := 0; k <= r; k++ {
			left := pl(th, r, k, n)
			if !(left.V >= 0 && left.V <= 1) {
				return nil, fmt.Errorf("simulators: Galton board: p_left = %g at row %d, position %d", left.V, r, k)
			}
			next[k] = next[k].Add(p[k].Mul(left))
			next[k+1] = next[k+1].Add(p[k].Mul(Const(1).Sub(left)))
		}
		p = next
	}
	return p, nil
}

// LogLikelihood returns the exact log p(x|θ) and score ∇θ log p(x|θ) of
// the slot x[0]. It returns an error if x is not a slot of the board.
func (g Galton) LogLikelihood(x, theta []float64) (float64, []float64, error) {
	ps, err := g.Probs(theta)
	if err != nil {
		return 0, nil, err
	}
	if len(x) != 1 || x[0] != math.Trunc(x[0]) || x[0] < 0 || int(x[0]) >= len(ps) {
		return 0, nil, fmt.Errorf("simulators: Galton board: x = %v is not a slot in [0, %d]", x, len(ps)-1)
	}
	p := ps[int(x[0])]
	lp := Log(p)
	if lp.D == nil {
		lp.D = make([]float64, len(theta))
	}
	return lp.V, lp.D, nil
}
