// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/partition"
	"github.com/goldmine-hep/goldmine/sampling"
	"github.com/goldmine-hep/goldmine/store"
)

// pointsCard is cards/zh.yaml with the fisher and limits sections
// replaced: truth, rate, a histogram and a histogram of information, and a
// SALLY item and scan whose model is never trained.
func pointsCard(t *testing.T, fisherTheta, thetaTrue string) func(string) string {
	return func(s string) string {
		s = s[:strings.Index(s, "fisher:")]
		return s + `fisher:
  theta: ` + fisherTheta + `
  items:
    - {name: truth, kind: truth}
    - {name: sally, kind: sally, model: sally}
    - {name: rate, kind: rate}
    - {name: pt_z, kind: histo, observables: [pt_z], bins: [10]}
    - {name: pt_z-information, kind: info_histogram, observables: [pt_z], edges: [[25, 50, 100, 200]]}
limits:
  theta_true: ` + thetaTrue + `
  grid:
    ranges: [[-0.2, 0.2], [-0.08, 0.08]]
    resolutions: [5]
  scans:
    - {name: rate, mode: rate}
    - {name: sally, mode: sally, model: sally}
    - {name: histo, mode: histo, observables: [pt_z], bins: [10]}
`
	}
}

// Fisher information at several θ: one point per θ, in order, each equal
// to the card with that θ alone, with σ(θ) at each; an item whose model is
// not trained is skipped with the reason, and the others are computed.
func TestFisherSeveralThetas(t *testing.T) {
	dir := t.TempDir()
	env := NewEnv(zhCard(t, pointsCard(t, "[[0.0, 0.0], [0.2, -0.1]]", "[0, 0]")), dir, nil, nil)
	analysed(t, env)
	res, err := Fisher(env)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Points) != 2 || !reflect.DeepEqual(res.Points[1].Theta, []float64{0.2, -0.1}) {
		t.Fatalf("points %+v, want θ = (0, 0) and (0.2, −0.1)", res.Points)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Name != "sally" || res.Skipped[0].Theta != nil ||
		!strings.Contains(res.Skipped[0].Reason, "run goldmine train first") {
		t.Errorf("skipped %+v, want sally at every θ, for want of a trained model", res.Skipped)
	}
	f, err := store.OpenEvents(env.Path("events.h5"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := sampling.ConfigFromHeader(f.Header())
	if err != nil {
		t.Fatal(err)
	}
	xs, err := sampling.CrossSections(sampling.FromEventFile(f), cfg, partition.All, sampling.MorphingPoints([][]float64{{0, 0}, {0.2, -0.1}}))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// fisher.json is keyed by θ and names what was skipped.
	var file struct {
		Points []struct {
			Theta []float64 `json:"theta"`
			Xsec  struct {
				Sigma float64 `json:"xsec_pb"`
			}
			Results []struct{ Name string }
		}
		Skipped []struct{ Name, Reason string }
	}
	b, err := os.ReadFile(env.Path("fisher.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Points) != 2 || file.Points[1].Theta[0] != 0.2 || file.Points[1].Xsec.Sigma != xs[1].Sigma || len(file.Skipped) != 1 || file.Skipped[0].Name != "sally" {
		t.Errorf("fisher.json: %+v", file)
	}

	for k, theta := range []string{"[0.0, 0.0]", "[0.2, -0.1]"} {
		pt := res.Points[k]
		if pt.Xsec == nil || !reflect.DeepEqual(*pt.Xsec, xs[k]) {
			t.Errorf("θ = %v: σ %+v, want %+v", pt.Theta, pt.Xsec, xs[k])
		}
		one := NewEnv(zhCard(t, pointsCard(t, theta, "[0, 0]")), dir, nil, nil)
		want, err := Fisher(one)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range pt.Results {
			names = append(names, r.Name)
		}
		if !reflect.DeepEqual(names, []string{"truth", "rate", "pt_z"}) || len(pt.InfoHistograms) != 1 {
			t.Errorf("θ = %v: results %v and %d histograms of information, want truth, rate, pt_z and one", pt.Theta, names, len(pt.InfoHistograms))
		}
		if !reflect.DeepEqual(pt.Results, want.Points[0].Results) || !reflect.DeepEqual(pt.InfoHistograms, want.Points[0].InfoHistograms) {
			t.Errorf("θ = %v: the information differs from that of the card with this θ alone", pt.Theta)
		}
	}
	if reflect.DeepEqual(res.Points[0].Results[0].Information, res.Points[1].Results[0].Information) {
		t.Error("the truth information is the same at both θ")
	}

	// --strict: the same file, and an error naming the skipped item.
	os.Remove(env.Path("fisher.json"))
	env.Strict = true
	if _, err := Fisher(env); err == nil || !strings.Contains(err.Error(), "--strict") || !strings.Contains(err.Error(), "sally") {
		t.Errorf("strict: error %v, want one naming sally and --strict", err)
	}
	if _, err := os.Stat(env.Path("fisher.json")); err != nil {
		t.Errorf("strict: %v", err)
	}

	// Nothing computable: an error.
	only := NewEnv(zhCard(t, pointsCard(t, "[0, 0]", "[0, 0]")), dir, nil, nil)
	only.Card.Fisher.Items = only.Card.Fisher.Items[1:2] // sally alone
	if _, err := Fisher(only); err == nil || !strings.Contains(err.Error(), "model sally") {
		t.Errorf("sally alone: error %v, want one naming the model", err)
	}
}

// Limits at several θ_true: one point per θ_true, in order, each equal to
// the card with that θ_true alone; the scan without a trained model is
// skipped.
func TestLimitsSeveralThetas(t *testing.T) {
	dir := t.TempDir()
	env := NewEnv(zhCard(t, pointsCard(t, "[0, 0]", "[[0.0, 0.0], [0.1, 0.04]]")), dir, nil, nil)
	analysed(t, env)
	res, err := Limits(env)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Points) != 2 || !reflect.DeepEqual(res.Points[1].ThetaTrue, []float64{0.1, 0.04}) {
		t.Fatalf("points %+v, want θ_true = (0, 0) and (0.1, 0.04)", res.Points)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Name != "sally" {
		t.Errorf("skipped %+v, want sally", res.Skipped)
	}
	for k, theta := range []string{"[0.0, 0.0]", "[0.1, 0.04]"} {
		one := NewEnv(zhCard(t, pointsCard(t, "[0, 0]", theta)), dir, nil, nil)
		want, err := Limits(one)
		if err != nil {
			t.Fatal(err)
		}
		got := res.Points[k].Results
		if len(got) != 2 || got[0].Name != "rate" || got[1].Name != "histo" {
			t.Fatalf("θ_true = %s: scans %v, want rate and histo", theta, got)
		}
		for i, r := range got {
			if !reflect.DeepEqual(r.PValues, want.Points[0].Results[i].PValues) {
				t.Errorf("θ_true = %s: scan %s differs from that of the card with this θ_true alone", theta, r.Name)
			}
		}
	}
	// The histogram scan's best fit follows θ_true.
	for k, pt := range res.Points {
		bf := pt.Results[1].BestFit
		if d := [2]float64{bf[0] - pt.ThetaTrue[0], bf[1] - pt.ThetaTrue[1]}; d[0]*d[0]/0.04+d[1]*d[1]/0.0064 > 0.05 {
			t.Errorf("point %d: histo best fit %v far from θ_true %v", k, bf, pt.ThetaTrue)
		}
	}
}
