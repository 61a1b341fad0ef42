// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"
	"strings"
)

// Method names an inference technique, spelled as in MadMiner.
type Method string

// Methods. SALLY and SALLINO train a ScoreEstimator; CARL, ROLR, ALICE,
// CASCAL, RASCAL and ALICES a ParameterizedRatioEstimator or a
// DoubleParameterizedRatioEstimator; NDE and SCANDAL a LikelihoodEstimator.
const (
	SALLY   Method = "sally"
	SALLINO Method = "sallino"
	CARL    Method = "carl"
	ROLR    Method = "rolr"
	ALICE   Method = "alice"
	CASCAL  Method = "cascal"
	RASCAL  Method = "rascal"
	ALICES  Method = "alices"
	NDE     Method = "nde"
	SCANDAL Method = "scandal"
)

// Loss-term labels, as in MadMiner's get_loss.
const (
	termXE         = "xe"
	termImprovedXE = "improved_xe"
	termMSER       = "mse_r"
	termMSEScore   = "mse_score"
	termNLL        = "nll"
)

// logRClip is MadMiner's log_r_clip: ROLR clamps log r̂ to [−10, 10] and
// r to [e^−10, e^10].
const logRClip = 10.0

// bceLogClamp mirrors torch.nn.BCELoss, which clamps log terms at −100.
const bceLogClamp = 100.0

// ratioBase is the base loss of a ratio method.
type ratioBase int

const (
	baseXE ratioBase = iota
	baseImprovedXE
	baseMSER
)

// ratioTerms returns the base loss, whether the score term is used, and
// the term labels of a ratio method.
func ratioTerms(m Method) (base ratioBase, score bool, labels []string, err error) {
	switch m {
	case CARL:
		return baseXE, false, []string{termXE}, nil
	case ROLR:
		return baseMSER, false, []string{termMSER}, nil
	case ALICE:
		return baseImprovedXE, false, []string{termImprovedXE}, nil
	case CASCAL:
		return baseXE, true, []string{termXE, termMSEScore}, nil
	case RASCAL:
		return baseMSER, true, []string{termMSER, termMSEScore}, nil
	case ALICES:
		return baseImprovedXE, true, []string{termImprovedXE, termMSEScore}, nil
	}
	return 0, false, nil, fmt.Errorf("ml: method %q is not a ratio method (want carl, rolr, alice, cascal, rascal or alices)", string(m))
}

// needsR reports whether the base loss uses the joint ratio r(x,z).
func (b ratioBase) needsR() bool { return b != baseXE }

// softplusPair returns min(softplus(±l), 100) and its derivatives
// sigmoid(±l) (0 where clamped): the negative logs of the sigmoid
// probabilities as torch's BCELoss computes them, from one exponential
// e = e^−|l| and one log1p(e): softplus(±l) = max(±l, 0) + log1p(e), and
// the sigmoids are 1/(1+e) and e/(1+e), the expressions of softplus and
// sigmoid.
func softplusPair(l float64) (a, da, c, dc float64) {
	e := math.Exp(-math.Abs(l))
	lp := math.Log1p(e)
	hi, lo := 1/(1+e), e/(1+e) // sigmoid of |l| and of −|l|
	if l > 0 {
		a, c = l+lp, lp
		da, dc = hi, lo
	} else {
		a, c = lp, -l+lp
		da, dc = lo, hi
	}
	if a > bceLogClamp {
		a, da = bceLogClamp, 0
	}
	if c > bceLogClamp {
		c, dc = bceLogClamp, 0
	}
	return a, da, c, dc
}

// baseLoss returns the per-sample base loss for log r̂ = l with label y
// and joint ratio r, and its derivative with respect to l.
//
//   - XE (CARL): BCE(ŝ, y) with ŝ = 1/(1+r̂):
//     y·(−log ŝ) + (1−y)·(−log(1−ŝ)), where −log ŝ = softplus(l) and
//     −log(1−ŝ) = softplus(−l).
//   - improved XE (ALICE): BCE(ŝ, s) with s = 1/(1+r).
//   - MSE_r (ROLR): (1−y)²(1/r̂ − 1/r)² + y²(r̂ − r)², with l clamped to
//     [−10, 10] and r to [e^−10, e^10].
func baseLoss(b ratioBase, l, y, r float64) (v, dl float64) {
	switch b {
	case baseXE, baseImprovedXE:
		s := y
		if b == baseImprovedXE {
			s = 1 / (1 + r)
		}
		a, da, c, dc := softplusPair(l)
		return s*a + (1-s)*c, s*da - (1-s)*dc
	case baseMSER:
		rc := math.Min(math.Max(r, math.Exp(-logRClip)), math.Exp(logRClip))
		lc, dlc := l, 1.0
		if l < -logRClip {
			lc, dlc = -logRClip, 0
		} else if l > logRClip {
			lc, dlc = logRClip, 0
		}
		inv := math.Exp(-lc)
		rh := math.Exp(lc)
		en := (1 - y) * (inv - 1/rc)
		ed := y * (rh - rc)
		v = en*en + ed*ed
		dl = dlc * (2*en*(1-y)*(-inv) + 2*ed*y*rh)
		return v, dl
	}
	panic("ml: bad base loss")
}

// ParseMethod returns the method named s (case-insensitive, MadMiner's
// spelling), or an error listing the known methods.
func ParseMethod(s string) (Method, error) {
	m := Method(strings.ToLower(strings.TrimSpace(s)))
	switch m {
	case SALLY, SALLINO, CARL, ROLR, ALICE, CASCAL, RASCAL, ALICES, NDE, SCANDAL:
		return m, nil
	}
	return "", fmt.Errorf("ml: unknown method %q (want sally, sallino, carl, rolr, alice, cascal, rascal, alices, nde or scandal)", s)
}

// Kind returns the estimator type that trains m, as in model.json:
// "score", "parameterized_ratio" (also usable with the doubly
// parameterised estimator) or "likelihood".
func (m Method) Kind() string {
	switch m {
	case SALLY, SALLINO:
		return typeScore
	case NDE, SCANDAL:
		return typeLikelihood
	}
	return typeRatio
}
