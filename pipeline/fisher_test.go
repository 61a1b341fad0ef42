// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// zh30kCard is the campaign behind ../shared/reference/zh/reference.json:
// the 30000-event ZH file, MadMiner's seven observables in MadMiner's
// own syntax, the cut m_ee > 50, and the Fisher items the reference holds.
func zh30kCard(t *testing.T, theta string) *cards.Card { return zh30kCardT(t, theta) }

func zh30kCardB(b *testing.B) *cards.Card { return zh30kCardT(b, "[0.0, 0.0]") }

func zh30kCardT(t testing.TB, theta string) *cards.Card {
	t.Helper()
	c, err := cards.Parse([]byte(zh30kSource(t, theta)), filepath.Join(t.TempDir(), "zh30k.yaml"), CardOptions())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// zh30kSource is the text of zh30kCard.
func zh30kSource(t testing.TB, theta string) string {
	return fmt.Sprintf(`workdir: w
seed: 1
shuffle: false
parameters:
  - {name: cHW, lha_block: smeft, lha_id: 7, range: [-1, 1], param_card_transform: "1.0*theta"}
  - {name: cHq3, lha_block: smeft, lha_id: 25, range: [-1, 1], param_card_transform: "1.0*theta"}
`+repotest.ZHBasis+`samples:
  - {name: zh, lhe: %s, sampled_from: sm}
observables:
  - {name: pt_h, expr: "[x for x in p if abs(x.pdgid) == 25][0].pt", required: true}
  - {name: pt_e1, expr: "e[0].pt", required: true}
  - {name: pt_e2, expr: "e[1].pt", required: true}
  - {name: eta_e1, expr: "e[0].eta", required: true}
  - {name: m_ee, expr: "(e[0] + e[1]).m", required: true}
  - {name: delta_phi_ee, expr: "e[0].deltaphi(e[1])", required: true}
  - {name: m_zh, expr: "(e[0] + e[1] + [x for x in p if abs(x.pdgid) == 25][0]).m", required: true}
cuts:
  - {name: m_ee, expr: "m_ee > 50."}
fisher:
  luminosity: 300000.0
  theta: %s
  items:
`+zhFisherItems, repotest.Shared(t, "data/lhe/zh_smeft_cHW_cHq3_30000ev.lhe.gz"), theta)
}

// zhFisherItems are the Fisher items of reference.json's fisher section.
const zhFisherItems = `    - {name: truth, kind: truth}
    - {name: rate, kind: rate}
    - {name: pt_h, kind: histo, observables: [pt_h], edges: [[0.0, 50.0, 100.0, 150.0, 200.0, 300.0, 500.0, 1000.0]]}
    - {name: m_zh, kind: histo, observables: [m_zh], bins: [10]}
    - {name: 2d_dynamic, kind: histo2d, observables: [pt_h, delta_phi_ee], bins: [4, 3]}
    - {name: 2d_edges, kind: histo2d, observables: [pt_h, delta_phi_ee], edges: [[50.0, 100.0, 200.0], [-1.5707963267948966, 0.0, 1.5707963267948966]]}
`

type refInfo struct {
	Information [][]float64 `json:"information"`
	Boundaries  []float64   `json:"bin_boundaries_used"`
}

func TestFisherZHMatchesMadMiner(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the 30000-event ZH file; skipped in -short mode")
	}
	raw, err := os.ReadFile(repotest.Shared(t, "reference/zh/reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Fisher map[string]json.RawMessage `json:"fisher"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	workdir := t.TempDir()
	for _, point := range []struct{ name, theta string }{{"sm", "[0.0, 0.0]"}, {"nonzero", "[0.2, -0.1]"}} {
		var want map[string]json.RawMessage
		if err := json.Unmarshal(ref.Fisher[point.name], &want); err != nil {
			t.Fatal(err)
		}
		env := NewEnv(zh30kCard(t, point.theta), workdir, nil, nil)
		if point.name == "sm" {
			analysed(t, env)
		}
		res, err := Fisher(env)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]string{
			"truth": "truth_information", "rate": "rate_information", "pt_h": "histo_information_pt_h",
			"m_zh": "histo_information_m_zh", "2d_dynamic": "histo_information_2d_pt_h_x_delta_phi_ee_dynamic",
			"2d_edges": "histo_information_2d_pt_h_x_delta_phi_ee_edges",
		}
		for _, r := range res.Points[0].Results {
			var w [][]float64
			msg := want[keys[r.Name]]
			var ri refInfo
			if json.Unmarshal(msg, &ri) == nil && ri.Information != nil {
				w = ri.Information
			} else if err := json.Unmarshal(msg, &w); err != nil {
				t.Fatalf("%s/%s: reference: %v", point.name, r.Name, err)
			}
			for i := range w {
				for j := range w[i] {
					if !scalar.EqualWithinAbsOrRel(r.Information[i][j], w[i][j], 0, 1e-8) {
						t.Errorf("%s %s I[%d][%d]: got %.12g, MadMiner %.12g", point.name, r.Name, i, j, r.Information[i][j], w[i][j])
					}
				}
			}
			if r.Name == "m_zh" {
				for k, e := range ri.Boundaries {
					if !scalar.EqualWithinAbsOrRel(r.Edges[0][k], e, 0, 1e-10) {
						t.Errorf("%s m_zh edge %d: got %.12g, MadMiner %.12g", point.name, k, r.Edges[0][k], e)
					}
				}
			}
		}
		if len(res.Points[0].Results) != 6 {
			t.Errorf("%d results, want 6", len(res.Points[0].Results))
		}
	}
}
