// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/store"
)

// zhStages are the sampling, training, fisher and limits sections of the
// ZH 30k tests: MadMiner's Fisher items of reference.json at two θ, a
// small SALLY, and rate, histogram and SALLY scans.
const zhStages = `sampling:
  samples:
    - {name: sally, method: local, theta: {benchmark: sm}, n_samples: 4000}
training:
  - {name: sally, method: sally, sample: sally, hidden: [8], epochs: 2}
fisher:
  luminosity: 300000.0
  theta: [[0.0, 0.0], [0.2, -0.1]]
  items:
` + zhFisherItems + `    - {name: sally, kind: sally, model: sally}
limits:
  theta_true: [[0, 0], [0.05, 0.01]]
  grid: {ranges: [[-0.1, 0.1], [-0.025, 0.025]], resolutions: [5, 5]}
  scans:
    - {name: rate, mode: rate}
    - {name: histo, mode: histo, observables: [pt_h], bins: [25]}
    - {name: sally, mode: sally, model: sally}
`

// madMinerCard is a card whose only sample is MadMiner's events file of
// the ZH 30k study: no parameters, benchmarks, morphing or observables.
func madMinerCard(t *testing.T, extra string) *cards.Card {
	return writeCard(t, fmt.Sprintf("seed: 1\nsamples:\n  - {name: zh, madminer: %s}\n", repotest.Shared(t, "data/madminer/zh30k_lhe_data.h5"))+extra)
}

// stagesOf runs the named stages of env in order.
func stagesOf(t *testing.T, env *Env, stages ...string) {
	t.Helper()
	for _, st := range stages {
		if _, err := RunStage(context.Background(), env, st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
}

// The acceptance test of MadMiner files as samples: from MadMiner's events
// file of the ZH 30k study, with a card that names nothing but the file,
// augment, train, fisher and limits run, and the Fisher information, σ(θ)
// and the rate and histogram limits equal those of goldmine's own analysis
// of the same LHE file with the same observables and cut (to 1e-12; 1e-9
// for p-values). The SALLY items come from networks trained with the same
// seed on the same events: twice from the file they are identical, and
// from the file and from goldmine's analysis (whose observables equal
// MadMiner's to rounding) equal to 1e-12.
func TestMadMinerSampleZH30k(t *testing.T) {
	mm := NewEnv(madMinerCard(t, zhStages), t.TempDir(), nil, nil)
	if mm.Card.Imported["benchmarks"] == "" || len(mm.Card.Parameters) != 2 || mm.Card.Parameters[1].Name != "cHq3" || len(mm.Card.Observables) != 7 {
		t.Fatalf("card from the file: imported %v, parameters %+v, %d observables", mm.Card.Imported, mm.Card.Parameters, len(mm.Card.Observables))
	}
	stagesOf(t, mm, "setup", "analyse", "augment", "train", "fisher", "limits")

	// The same study from the LHE file, analysed by goldmine.
	src := strings.Replace(zh30kSource(t, "[0, 0]"), "shuffle: false\n", "", 1)
	own := NewEnv(writeCard(t, src[:strings.Index(src, "fisher:")]+zhStages), t.TempDir(), nil, nil)
	stagesOf(t, own, "setup", "analyse", "augment", "train", "fisher", "limits")

	// setup.h5 is the file's setup (which equals goldmine's of the card).
	s1, err := store.ReadSetup(mm.Path("setup.h5"))
	if err != nil {
		t.Fatal(err)
	}
	s2, err := store.ReadSetup(own.Path("setup.h5"))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CompareSetup(s1, "madminer setup", s2, "goldmine setup"); err != nil {
		t.Error(err)
	}

	var f1, f2 FisherResult
	readResult(t, mm.Path("fisher.json"), &f1)
	readResult(t, own.Path("fisher.json"), &f2)
	close := func(what string, a, b, scale, tol float64) {
		t.Helper()
		if !(math.Abs(a-b) <= tol*scale) {
			t.Errorf("%s: %.17g from the MadMiner file, %.17g from goldmine's analysis", what, a, b)
		}
	}
	var sallyDiff float64
	for k := range f1.Points {
		p1, p2 := f1.Points[k], f2.Points[k]
		close(fmt.Sprintf("σ%v", p1.Theta), p1.Xsec.Sigma, p2.Xsec.Sigma, p2.Xsec.Sigma, 1e-12)
		for g := range p1.Xsec.Grad {
			close(fmt.Sprintf("∂σ/∂θ%d at %v", g, p1.Theta), p1.Xsec.Grad[g], p2.Xsec.Grad[g], math.Abs(p2.Xsec.Grad[g]), 1e-12)
		}
		if len(p1.Results) != 7 || len(p2.Results) != 7 {
			t.Fatalf("θ = %v: %d and %d results, want 7", p1.Theta, len(p1.Results), len(p2.Results))
		}
		for r := range p1.Results {
			a, b := p1.Results[r], p2.Results[r]
			scale := math.Max(math.Abs(b.Information[0][0]), math.Abs(b.Information[1][1]))
			for i := range a.Information {
				for j := range a.Information[i] {
					if a.Kind == "sally" {
						sallyDiff = math.Max(sallyDiff, math.Abs(a.Information[i][j]-b.Information[i][j])/scale)
						continue
					}
					close(fmt.Sprintf("θ = %v, %s I[%d][%d]", p1.Theta, a.Name, i, j), a.Information[i][j], b.Information[i][j], scale, 1e-12)
				}
			}
		}
	}
	t.Logf("SALLY information from the MadMiner file and from goldmine's analysis: largest difference %.3g of the diagonal", sallyDiff)
	if sallyDiff > 1e-12 {
		t.Errorf("the SALLY information differs by %.3g between the file and goldmine's analysis of the same events", sallyDiff)
	}

	// And MadMiner's own truth information at the SM (reference.json).
	var ref struct {
		Fisher struct {
			SM struct {
				Truth [][]float64 `json:"truth_information"`
			} `json:"sm"`
		} `json:"fisher"`
	}
	readResult(t, repotest.Shared(t, "reference/zh/reference.json"), &ref)
	for i, row := range ref.Fisher.SM.Truth {
		for j, want := range row {
			close(fmt.Sprintf("truth I[%d][%d] against MadMiner's", i, j), f1.Points[0].Results[0].Information[i][j], want, math.Abs(want), 1e-9)
		}
	}

	var l1, l2 LimitsResult
	readResult(t, mm.Path("limits.json"), &l1)
	readResult(t, own.Path("limits.json"), &l2)
	for k := range l1.Points {
		for r, a := range l1.Points[k].Results {
			b := l2.Points[k].Results[r]
			if a.Mode == "sally" {
				continue
			}
			for i := range a.PValues {
				close(fmt.Sprintf("θ_true = %v, %s p[%d]", l1.Points[k].ThetaTrue, a.Name, i), a.PValues[i], b.PValues[i], 1, 1e-9)
			}
		}
	}

	// The same seed on the same events: the same network, bit for bit.
	again := NewEnv(madMinerCard(t, zhStages), t.TempDir(), nil, nil)
	stagesOf(t, again, "setup", "analyse", "augment", "train", "fisher")
	var f3 FisherResult
	readResult(t, again.Path("fisher.json"), &f3)
	for k := range f1.Points {
		a, b := f1.Points[k].Results[6], f3.Points[k].Results[6]
		if a.Name != "sally" || fmt.Sprint(a.Information) != fmt.Sprint(b.Information) {
			t.Errorf("θ = %v: SALLY information %v, then %v with the same seed and events", f1.Points[k].Theta, a.Information, b.Information)
		}
	}
}

func readResult(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// What a card gives besides the file must agree with the file; a mismatch
// is an error naming both. Names read from the file follow the card's
// naming rule. A madminer sample takes no analysis.
func TestMadMinerSampleChecks(t *testing.T) {
	file := repotest.Shared(t, "data/madminer/zh30k_lhe_data.h5")
	study := zh30kSource(t, "[0, 0]")
	setupSections := study[strings.Index(study, "parameters:"):strings.Index(study, "samples:")]
	card := func(t *testing.T, head, extra string) (*cards.Card, error) {
		path := filepath.Join(t.TempDir(), "card.yaml")
		src := head + fmt.Sprintf("samples:\n  - {name: zh, madminer: %s}\n", file) + extra
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return cards.Load(path, CardOptions())
	}
	setup := func(t *testing.T, c *cards.Card) error {
		_, err := Setup(NewEnv(c, t.TempDir(), nil, nil))
		return err
	}

	// The whole setup given, as goldmine's analysis card has it: accepted.
	c, err := card(t, setupSections, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Imported) != 1 || c.Imported["observables"] != file {
		t.Errorf("imported %v, want observables only", c.Imported)
	}
	if err := setup(t, c); err != nil {
		t.Errorf("the file's own setup: %v", err)
	}

	for _, tc := range []struct{ name, old, new, want string }{
		{"benchmark value", "cHq3: 0.06772376860683327", "cHq3: 0.0677", "benchmark \"morphing_basis_vector_1\" has cHq3 = 0.0676999"},
		{"benchmark name", "morphing_basis_vector_5", "bsm5", "benchmark \"bsm5\" is in"},
		{"parameter", "lha_id: 25", "lha_id: 26", "parameter cHq3 is LHA smeft 26"},
		{"morphing", "max_overall_power: 2\n  basis: [sm, morphing_basis_vector_1, morphing_basis_vector_2, morphing_basis_vector_3, morphing_basis_vector_4, morphing_basis_vector_5]\n",
			"max_overall_power: 1\n  optimize: {starts: 3}\n", "disagree"},
	} {
		if !strings.Contains(setupSections, tc.old) {
			t.Fatalf("%s: test bug: %q not in the card", tc.name, tc.old)
		}
		c, err := card(t, strings.ReplaceAll(setupSections, tc.old, tc.new), "")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		err = setup(t, c)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), c.Path) || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: error %v, want one naming %s and %s: %s", tc.name, err, c.Path, file, tc.want)
		}
	}

	// Card errors at load.
	for _, tc := range []struct{ name, head, extra, key string }{
		{"observables that are not the file's", "", "observables:\n  - {name: pt_h, expr: \"j[0].pt\"}\n", "observables"},
		{"a cut", "", "cuts:\n  - {expr: \"pt_h > 50\"}\n", "cuts"},
		{"another kind of sample", "", "  - {name: bkg, lhe: x.lhe, background: true}\n", "samples[1]"},
	} {
		_, err := card(t, tc.head, tc.extra)
		var ce *cards.Error
		if !asCardError(err, &ce) || ce.Key != tc.key {
			t.Errorf("%s: error %v, want a card error at %s", tc.name, err, tc.key)
		}
	}
	path := filepath.Join(t.TempDir(), "card.yaml")
	os.WriteFile(path, fmt.Appendf(nil, "samples:\n  - {name: zh, madminer: %s, sampled_from: sm}\n", file), 0o644)
	if _, err := cards.Load(path, CardOptions()); err == nil || !strings.Contains(err.Error(), "samples[0].sampled_from: a madminer sample is analysed already") {
		t.Errorf("a madminer sample with sampled_from: %v", err)
	}

	// Names from the file follow the card's naming rule.
	bad := filepath.Join(t.TempDir(), "bad.h5")
	renameBenchmark(t, file, bad, 2, "../basis")
	os.WriteFile(path, fmt.Appendf(nil, "samples:\n  - {name: zh, madminer: %s}\n", bad), 0o644)
	if _, err := cards.Load(path, CardOptions()); err == nil || !strings.Contains(err.Error(), `samples[0].madminer: `+bad+`: benchmark "../basis": name "../basis" starts with '.'`) {
		t.Errorf("a benchmark named ../basis: %v", err)
	}
}

func asCardError(err error, ce **cards.Error) bool {
	e, ok := err.(*cards.Error)
	*ce = e
	return ok
}

// renameBenchmark copies the first events of the events file src to dst
// with benchmark b renamed.
func renameBenchmark(t *testing.T, src, dst string, b int, name string) {
	f, err := store.OpenEvents(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := *f.Header()
	h.Benchmarks = append([]store.Benchmark(nil), h.Benchmarks...)
	h.Benchmarks[b].Name = name
	h.SignalEvents = nil
	w, err := store.CreateEvents(dst, &h)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Read(0, 100, 100, func(bt *store.Batch) error { return w.WriteBatch(bt.X, bt.Weights, bt.SamplingBenchmarks) }); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
