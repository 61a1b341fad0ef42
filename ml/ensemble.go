// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"
)

// Ensemble is a set of estimators of one kind (MadMiner's Ensemble),
// typically trained with different seeds or data subsets. Its predictions
// are the mean over members with their covariance (normalised by
// n_members − 1) as the uncertainty.
type Ensemble struct {
	Members []Estimator
}

var _ Estimator = (*Ensemble)(nil)

// TrainEnsemble trains n members: trainOne is called for i = 0…n−1 with a
// copy of s whose Seed is s.Seed + i, and returns the trained member (it
// may also train on a subset or bootstrap sample of the data).
func TrainEnsemble(n int, s *Settings, trainOne func(i int, s *Settings) (Estimator, error)) (*Ensemble, error) {
	if n < 1 {
		return nil, fmt.Errorf("ml: ensemble needs at least one member, got %d", n)
	}
	var base Settings
	if s != nil {
		base = *s
	}
	en := &Ensemble{}
	for i := 0; i < n; i++ {
		si := base
		si.Seed = base.Seed + uint64(i)
		e, err := trainOne(i, &si)
		if err != nil {
			return nil, fmt.Errorf("ml: ensemble member %d: %w", i, err)
		}
		en.Members = append(en.Members, e)
	}
	return en, nil
}

// meanCov returns the mean of the vectors v[m] and their covariance.
func meanCov(v [][]float64) (mean []float64, cov *mat.SymDense) {
	n, k := len(v), len(v[0])
	mean = make([]float64, k)
	for _, x := range v {
		for j, y := range x {
			mean[j] += y / float64(n)
		}
	}
	cov = mat.NewSymDense(k, nil)
	if n < 2 {
		return mean, cov
	}
	for _, x := range v {
		for a := 0; a < k; a++ {
			for b := a; b < k; b++ {
				cov.SetSym(a, b, cov.At(a, b)+(x[a]-mean[a])*(x[b]-mean[b])/float64(n-1))
			}
		}
	}
	return mean, cov
}

// Score returns the mean score of the ScoreEstimator members at the rows
// of x and, per row, the covariance of the members' scores.
func (en *Ensemble) Score(x mat.Matrix, mode NuisanceMode) (*mat.Dense, []*mat.SymDense, error) {
	all, err := eachMember(en, "a score estimator", func(s *ScoreEstimator) (*mat.Dense, error) { return s.Score(nil, x, mode) })
	if err != nil {
		return nil, nil, err
	}
	return meanCovRows(all)
}

// eachMember returns f of every member, which must be Es (what); an
// empty ensemble is an error.
func eachMember[E Estimator, T any](en *Ensemble, what string, f func(E) (T, error)) ([]T, error) {
	if len(en.Members) == 0 {
		return nil, fmt.Errorf("ml: empty ensemble")
	}
	out := make([]T, len(en.Members))
	for i, m := range en.Members {
		e, ok := m.(E)
		if !ok {
			return nil, fmt.Errorf("ml: ensemble member %d is a %T, not %s", i, m, what)
		}
		var err error
		if out[i], err = f(e); err != nil {
			return nil, fmt.Errorf("ml: ensemble member %d: %w", i, err)
		}
	}
	return out, nil
}

func meanCovRows(all []*mat.Dense) (*mat.Dense, []*mat.SymDense, error) {
	n, k := all[0].Dims()
	mean := mat.NewDense(n, k, nil)
	covs := make([]*mat.SymDense, n)
	v := make([][]float64, len(all))
	for i := 0; i < n; i++ {
		for m, t := range all {
			v[m] = t.RawRowView(i)
		}
		mu, c := meanCov(v)
		mean.SetRow(i, mu)
		covs[i] = c
	}
	return mean, covs, nil
}

// LogRatio returns the mean over ParameterizedRatioEstimator members of
// log r̂(x_i|θ_i) and its variance, and the mean score.
func (en *Ensemble) LogRatio(x, theta mat.Matrix) (mean, variance []float64, score *mat.Dense, err error) {
	return meanLogs(en, "a parameterized ratio estimator", func(r *ParameterizedRatioEstimator, sc *mat.Dense) ([]float64, error) {
		return r.LogRatio(nil, sc, x, theta)
	})
}

// LogLikelihood returns the mean over LikelihoodEstimator members of
// log p̂(x_i|θ_i) and its variance, and the mean score.
func (en *Ensemble) LogLikelihood(x, theta mat.Matrix) (mean, variance []float64, score *mat.Dense, err error) {
	return meanLogs(en, "a likelihood estimator", func(l *LikelihoodEstimator, sc *mat.Dense) ([]float64, error) {
		return l.LogLikelihood(nil, sc, x, theta)
	})
}

// meanLogs returns the mean and variance over the members, which must be
// Es (what), of the per-row values eval gives, and the mean of the scores
// it writes into its matrix.
func meanLogs[E Estimator](en *Ensemble, what string, eval func(m E, score *mat.Dense) ([]float64, error)) (mean, variance []float64, score *mat.Dense, err error) {
	var scores []*mat.Dense
	lr, err := eachMember(en, what, func(e E) ([]float64, error) {
		sc := &mat.Dense{}
		scores = append(scores, sc)
		return eval(e, sc)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	n := len(lr[0])
	mean, variance = make([]float64, n), make([]float64, n)
	col := make([][]float64, len(lr))
	for i := 0; i < n; i++ {
		for m := range lr {
			col[m] = lr[m][i : i+1]
		}
		mu, c := meanCov(col)
		mean[i], variance[i] = mu[0], c.At(0, 0)
	}
	score, _, _ = meanCovRows(scores)
	return mean, variance, score, nil
}

// FisherInformation returns the mean over ScoreEstimator members of the
// Fisher information nEvents·Σ w t̂ t̂ᵀ/Σ w on the rows of x, and the
// covariance of its entries across members: row and column a·P+b of cov
// refer to I_ab (P = number of parameters).
func (en *Ensemble) FisherInformation(x mat.Matrix, w []float64, nEvents float64) (mean *mat.SymDense, cov *mat.SymDense, err error) {
	var np int
	v, err := eachMember(en, "a score estimator", func(s *ScoreEstimator) ([]float64, error) {
		f, err := s.FisherInformation(x, w, nEvents)
		if err != nil {
			return nil, err
		}
		np = f.SymmetricDim()
		flat := make([]float64, np*np)
		for a := 0; a < np; a++ {
			for b := 0; b < np; b++ {
				flat[a*np+b] = f.At(a, b)
			}
		}
		return flat, nil
	})
	if err != nil {
		return nil, nil, err
	}
	mu, cov := meanCov(v)
	mean = mat.NewSymDense(np, nil)
	for a := 0; a < np; a++ {
		for b := a; b < np; b++ {
			mean.SetSym(a, b, mu[a*np+b])
		}
	}
	return mean, cov, nil
}

type ensembleJSON struct {
	Format  string   `json:"format"`
	Members []string `json:"members"`
}

const ensembleFormat = "goldmine-ml-ensemble/1"

// Save writes each member into dir/member_i and an ensemble.json listing
// them.
func (en *Ensemble) Save(dir string) error { return saveAt(dir, en.SaveIn) }

// SaveIn writes each member into dir/member_i inside root and an
// ensemble.json listing them.
func (en *Ensemble) SaveIn(root *os.Root, dir string) error {
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("ml: could not create ensemble directory: %w", err)
	}
	d := ensembleJSON{Format: ensembleFormat}
	for i, m := range en.Members {
		name := fmt.Sprintf("member_%d", i)
		if err := m.SaveIn(root, filepath.Join(dir, name)); err != nil {
			return err
		}
		d.Members = append(d.Members, name)
	}
	b, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		return fmt.Errorf("ml: could not encode ensemble description: %w", err)
	}
	return modelDir{root, dir}.write("ensemble.json", append(b, '\n'))
}

// LoadEnsemble reads an ensemble directory written by Ensemble.Save.
func LoadEnsemble(dir string) (*Ensemble, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ensemble.json"))
	if err != nil {
		return nil, fmt.Errorf("ml: could not read ensemble: %w", err)
	}
	var d ensembleJSON
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("ml: %s: %w", filepath.Join(dir, "ensemble.json"), err)
	}
	if d.Format != ensembleFormat {
		return nil, fmt.Errorf("ml: %s: format %q, want %q", dir, d.Format, ensembleFormat)
	}
	en := &Ensemble{}
	for _, name := range d.Members {
		if name != filepath.Base(name) {
			return nil, fmt.Errorf("ml: %s: bad member name %q", dir, name)
		}
		m, err := Load(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		en.Members = append(en.Members, m)
	}
	return en, nil
}
