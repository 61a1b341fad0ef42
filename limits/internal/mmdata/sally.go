// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package mmdata

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
)

// SallyNet is MadMiner's SALLY network of
// ../shared/reference/zh/sally_seed1_weights_and_first20.json evaluated in
// float64: t̂(x) = L2(tanh(L1(tanh(L0((x−μ)/σ))))).
type SallyNet struct {
	Means, Stds []float64
	W           [][][]float64 // per layer [out][in]
	B           [][]float64
	First20X    [][]float64
	First20T    [][]float64
}

// LoadSally reads the network file.
func LoadSally(path string) (*SallyNet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Means  []float64 `json:"x_means"`
		Stds   []float64 `json:"x_stds"`
		Layers []struct {
			Name   string          `json:"name"`
			Values json.RawMessage `json:"values"`
		} `json:"layers"`
		X [][]float64 `json:"x_first20_events"`
		T [][]float64 `json:"t_hat_first20_events_from_madminer_evaluate_score"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("mmdata: %s: %w", path, err)
	}
	n := &SallyNet{Means: raw.Means, Stds: raw.Stds, First20X: raw.X, First20T: raw.T}
	for i := 0; i+1 < len(raw.Layers); i += 2 {
		var w [][]float64
		var bias []float64
		if err := json.Unmarshal(raw.Layers[i].Values, &w); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw.Layers[i+1].Values, &bias); err != nil {
			return nil, err
		}
		n.W = append(n.W, w)
		n.B = append(n.B, bias)
	}
	return n, nil
}

// Score writes t̂(x) for one event into dst.
func (n *SallyNet) Score(dst, x []float64) []float64 {
	v := make([]float64, len(x))
	for i := range x {
		v[i] = (x[i] - n.Means[i]) / n.Stds[i]
	}
	for l, w := range n.W {
		out := make([]float64, len(w))
		for o, row := range w {
			s := n.B[l][o]
			for i, c := range row {
				s += c * v[i]
			}
			if l+1 < len(n.W) {
				s = math.Tanh(s)
			}
			out[o] = s
		}
		v = out
	}
	return append(dst[:0], v...)
}
