// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/ml"
	"github.com/goldmine-hep/goldmine/store"
)

// EvaluateResult lists the files goldmine evaluate wrote.
type EvaluateResult struct {
	Model  string   `json:"model"`
	Type   string   `json:"type"`
	Events int      `json:"events"`
	Thetas int      `json:"thetas"`
	Files  []string `json:"files"`
}

// evaluate evaluates a saved model on the observations of an .npy file
// (n × observables) and writes, into outDir: for a score estimator
// t_hat.npy (n × parameters); for a ratio or likelihood estimator, at each
// θ, log_r_hat.npy (or log_p_hat.npy) of shape (n_θ, n) and t_hat.npy of
// shape (n_θ, n, parameters). Ensembles give the mean over members.
func evaluate(model, xPath string, thetas [][]float64, outDir string) (*EvaluateResult, error) {
	est, err := ml.Load(model)
	if err != nil {
		return nil, err
	}
	if len(ml.Members(est)) == 0 {
		return nil, fmt.Errorf("evaluate: %s: empty ensemble", model)
	}
	x, err := store.ReadMatrix(xPath, ml.Observables(est))
	if err != nil {
		return nil, err
	}
	out, err := ml.Evaluate(est, x, thetas)
	if err != nil {
		if len(thetas) == 0 {
			return nil, fmt.Errorf("evaluate: %s: %w (--theta)", model, err)
		}
		return nil, fmt.Errorf("evaluate: %s: %w", model, err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	res := &EvaluateResult{Model: model, Events: n, Thetas: len(thetas), Type: fmt.Sprintf("%T", est)}
	for _, a := range out {
		path := filepath.Join(outDir, a.Name+".npy")
		res.Files = append(res.Files, path)
		if err := store.WriteNPY(path, a.Shape, a.Data, store.Float64); err != nil {
			return nil, err
		}
	}
	return res, nil
}
