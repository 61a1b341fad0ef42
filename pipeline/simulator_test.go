// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/limits"
	"github.com/goldmine-hep/goldmine/simulators"
)

// galtonCard is cards/galton.yaml with smaller samples and trainings.
func galtonCard(t *testing.T, edit func(string) string) *Env {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repotest.Root(t), "cards", "galton.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(src), "n_samples: 20000", "n_samples: 4000")
	s = strings.ReplaceAll(s, "epochs: 10", "epochs: 4")
	if edit != nil {
		s = edit(s)
	}
	return NewEnv(writeCard(t, s), t.TempDir(), nil, nil)
}

// TestGaltonCampaign runs the whole chain on the Galton board and checks
// the Fisher information and the exact-likelihood limit against the board's
// exact p(x|θ).
func TestGaltonCampaign(t *testing.T) {
	env := galtonCard(t, func(s string) string {
		s = strings.Replace(s, "    - {name: carl, mode: ml, model: carl}\n", "", 1)
		if testing.Short() {
			s = strings.Replace(s, "    - {name: alices, mode: ml, model: alices}\n", "", 1)
		}
		return s
	})
	res, err := Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range res.Stages {
		want := "ran"
		if st.Name == "setup" || st.Name == "generate" || st.Name == "shower" || st.Name == "analyse" || st.Name == "posterior" {
			want = "not in card"
		}
		if st.Status != want {
			t.Errorf("stage %s: %s, want %s", st.Name, st.Status, want)
		}
	}
	fr, err := Fisher(env)
	if err != nil {
		t.Fatal(err)
	}
	info := map[string]float64{}
	for _, r := range fr.Points[0].Results {
		info[r.Name] = r.Information[0][0]
	}
	// The exact information per event at θ = 0, summed over the board's
	// slots: Σ_x p(x) (∂ log p(x)/∂θ)².
	ps, err := simulators.Galton{Rows: 20}.Probs([]float64{0})
	if err != nil {
		t.Fatal(err)
	}
	var exact float64
	for _, p := range ps {
		if p.V > 0 {
			d := p.D[0] / p.V
			exact += p.V * d * d
		}
	}
	exact *= 100 // fisher.luminosity: expected events
	// The Monte-Carlo estimate from 10000 simulated events agrees within
	// its statistical error (a few per cent; 10% allowed).
	if math.Abs(info["exact"]-exact) > 0.1*exact {
		t.Errorf("exact information %g, sum over slots %g", info["exact"], exact)
	}
	// The joint score carries at least the information of the observable.
	if info["truth"] < 0.95*exact {
		t.Errorf("joint-score information %g below the exact information %g", info["truth"], exact)
	}
	// A trained score or ratio cannot know more than x does.
	for _, m := range []string{"sally", "alices"} {
		if !(info[m] > 0 && info[m] < 1.1*exact) {
			t.Errorf("%s information %g, exact %g", m, info[m], exact)
		}
	}
	lr, err := Limits(env)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lr.Points[0].Results {
		zero := limits.Nearest(r.Points, []float64{0})
		if r.Mode == "exact" && (math.Abs(r.BestFit[0]) > 0.05 || r.PValues[zero] < 0.32) {
			t.Errorf("exact: best fit %v, p(θ_true) = %v", r.BestFit, r.PValues[zero])
		}
	}
	// With the exact likelihood, q(θ) ≈ N I (θ − θ̂)² near the minimum.
	for _, r := range lr.Points[0].Results {
		if r.Mode != "exact" {
			continue
		}
		k := limits.Nearest(r.Points, []float64{0.2})
		d := r.Points[k][0] - r.BestFit[0]
		if q, want := r.Q[k], exact*d*d; math.Abs(q-want) > 0.3*want {
			t.Errorf("q(%v) = %g, quadratic approximation %g", r.Points[k], q, want)
		}
	}
}

func TestGaltonStudy(t *testing.T) {
	env := galtonCard(t, func(s string) string {
		i := strings.Index(s, "study:")
		return s[:i] + "study:\n  methods: [carl, alices, sally]\n  sizes: [200, 600]\n  seeds: 1\n  steps: 300\n  hidden: [20]\n  grid_points: 5\n"
	})
	res, err := Study(env)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Table) != 6 {
		t.Fatalf("%d table rows, want 3 methods × 2 sizes", len(res.Table))
	}
	for _, row := range res.Table {
		if !(row.Mean > 0) || math.IsNaN(row.Mean) {
			t.Errorf("%s at %d: MSE %v", row.Method, row.Size, row.Mean)
		}
	}
	for _, f := range []string{res.File, res.Figure} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
}

// TestGaltonNDEBatchNorm trains a conditional flow with batch
// normalisation between its MADEs from the card and uses it in a limit
// scan.
func TestGaltonNDEBatchNorm(t *testing.T) {
	env := galtonCard(t, func(s string) string {
		s = strings.Replace(s, "    - name: local\n", `    - name: density
      method: density
      theta:
        random:
          n: 2000
          priors: [{kind: flat, range: [-0.5, 0.5]}]
      n_samples: 2000
    - name: local
`, 1)
		s = strings.Replace(s, "training:\n", "training:\n  - {name: nde, method: nde, sample: density, epochs: 2, mades: 2, batch_norm: true, hidden: [10]}\n", 1)
		i, j := strings.Index(s, "  scans:\n"), strings.Index(s, "study:")
		return s[:i] + "  scans:\n    - {name: nde, mode: ml, model: nde}\n\n" + s[j:]
	})
	env.Card.Training = env.Card.Training[:1]
	env.Card.Fisher = nil
	if _, err := Augment(env); err != nil {
		t.Fatal(err)
	}
	if _, err := Train(env); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(env.Path("models", "nde", "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"batch_norm": true`) {
		t.Errorf("model.json does not record batch normalisation")
	}
	// A flow is a normalised density: limits must not normalise it again.
	if _, _, density, err := logRatio(env, "nde"); err != nil || !density {
		t.Errorf("logRatio(nde): density %v, error %v; want a density", density, err)
	}
	lr, err := Limits(env)
	if err != nil {
		t.Fatal(err)
	}
	if len(lr.Points[0].Results) != 1 || len(lr.Points[0].Results[0].PValues) != 41 {
		t.Fatalf("unexpected scans: %+v", lr.Points[0].Results)
	}
}
