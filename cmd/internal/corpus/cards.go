// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package corpus

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/pipeline"
)

func loadCard(path string) (*cards.Card, error) {
	return cards.Load(path, pipeline.CardOptions())
}

// cardCases adds the card mutations, each read by goldmine setup. Errors
// must name the card and, where the card has lines, the line.
func (g *gen) cardCases() error {
	lhe := filepath.Join(g.root, "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	base, err := g.cardFor(lhe)
	if err != nil {
		return err
	}
	type mut struct {
		name     string
		old, new string // replace old by new (old "" : new is the whole card)
		want     Outcome
		noLine   bool // the error cannot name a line
	}
	muts := []mut{
		{"ok-as-is", "", base, OK, false},
		{"ok-document-start", "workdir: zh-work", "---\nworkdir: zh-work", OK, false},
		{"ok-document-end", "", base + "...\n", OK, false},
		{"ok-comments", "seed: 1234", "# a comment\nseed: 1234 # the seed", OK, false},
		{"ok-flow-style", "values: {cHW: 0.0, cHq3: 0.0}", "values:\n      cHW: 0.0\n      cHq3: 0.0", OK, false},
		{"ok-keys-reordered", "workdir: zh-work\nseed: 1234\n", "seed: 1234\nworkdir: zh-work\n", OK, false},
		{"unknown-top-key", "seed: 1234", "seed: 1234\nsede: 5", Error, false},
		{"unknown-nested-key", "    lha_id: 7\n", "    lha_id: 7\n    lha_idx: 8\n", Error, false},
		{"duplicate-key", "seed: 1234", "seed: 1234\nseed: 4321", Error, false},
		{"duplicate-nested-key", "    lha_id: 7\n", "    lha_id: 7\n    lha_id: 8\n", Error, false},
		{"seed-not-an-integer", "seed: 1234", "seed: twelve", Error, false},
		{"seed-negative", "seed: 1234", "seed: -1234", Error, false},
		{"seed-float", "seed: 1234", "seed: 12.5", Error, false},
		{"seed-overflow", "seed: 1234", "seed: 99999999999999999999999", Error, false},
		{"list-where-mapping", "values: {cHW: 0.0, cHq3: 0.0}", "values: [0.0, 0.0]", Error, false},
		{"mapping-where-list", "range: [-1.0, 1.0]", "range: {min: -1, max: 1}", Error, false},
		{"second-document", "seed: 1234\n", "seed: 1234\n---\nseed: 5\n", Error, false},
		{"second-document-empty", "", base + "---\n", Error, false},
		{"unclosed-flow", "range: [-1.0, 1.0]", "range: [-1.0, 1.0", Error, false},
		{"bad-indentation", "    lha_id: 7\n", "      lha_id: 7\n", Error, false},
		{"tab-indentation", "    lha_id: 7\n", "\tlha_id: 7\n", Error, false},
		{"range-nan", "range: [-1.0, 1.0]", "range: [.nan, 1.0]", Error, false},
		{"range-inf", "range: [-1.0, 1.0]", "range: [-1.0, .inf]", Error, false},
		{"range-reversed", "range: [-1.0, 1.0]", "range: [1.0, -1.0]", Error, false},
		{"range-three-values", "range: [-1.0, 1.0]", "range: [-1.0, 0.0, 1.0]", Error, false},
		{"benchmark-nan", "values: {cHW: 0.0, cHq3: 0.0}", "values: {cHW: .nan, cHq3: 0.0}", Error, false},
		{"benchmark-missing-value", "values: {cHW: 0.0, cHq3: 0.0}", "values: {cHW: 0.0}", Error, false},
		{"benchmark-unknown-parameter", "values: {cHW: 0.0, cHq3: 0.0}", "values: {cHW: 0.0, cHq3: 0.0, cHB: 1}", Error, false},
		{"basis-unknown-benchmark", "basis: [sm, ", "basis: [smx, ", Error, false},
		{"parameter-twice", "  - name: cHq3", "  - name: cHW", Error, false},
		{"observable-does-not-compile", `expr: "(e[0] + e[1]).pt"`, `expr: "(e[0] + e[1]).pt +"`, Error, false},
		{"observable-unknown-object", `expr: "(e[0] + e[1]).pt"`, `expr: "(q[0] + e[1]).pt"`, Error, false},
		{"observable-name-not-identifier", "name: pt_z,", "name: pt-z,", Error, false},
		{"training-unknown-sample", "    sample: sally\n", "    sample: sallyx\n", Error, false},
		{"training-unknown-method", "    method: sally\n", "    method: salad\n", Error, false},
		{"epochs-float", "epochs: 2\n", "epochs: 2.5\n", Error, false},
		{"hidden-huge", "hidden: [8]", "hidden: [1000000000]", Error, false},
		{"grid-huge", "resolutions: [5]", "resolutions: [100000000]", Error, false},
		{"bins-zero", "bins: [10]", "bins: [0]", Error, false},
		{"luminosity-negative", "luminosity: 300000.0\n  theta", "luminosity: -1\n  theta", Error, false},
		{"theta-wrong-length", "theta: [0.0, 0.0]", "theta: [0.0]", Error, false},
		{"theta-true-nan", "theta_true: [0.0, 0.0]", "theta_true: [.nan, 0.0]", Error, false},
		{"validation-split-too-large", "validation_split: 0.2", "validation_split: 1.5", Error, false},
		{"n-samples-zero", "n_samples: 3000", "n_samples: 0", Error, false},
		{"empty", "", "", Error, true},
		{"only-comments", "", "# nothing here\n", Error, true},
		{"binary-garbage", "", "\x00\x01\x02\xff\xfe garbage", Error, true},
		{"nul-byte", "seed: 1234", "seed: 12\x0034", Error, true},
		{"alias-bomb", "", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n", Error, false},
	}
	for _, m := range muts {
		text := m.new
		if m.old != "" {
			if !strings.Contains(base, m.old) {
				return fmt.Errorf("corpus: card case %s: %q not in the card", m.name, m.old)
			}
			text = strings.Replace(base, m.old, m.new, 1)
		}
		p, err := g.write([]byte(text), "card", m.name+".yaml")
		if err != nil {
			return err
		}
		match := "cards: " + regexp.QuoteMeta(p) + `:\d+: `
		if m.noLine {
			match = "cards: " + regexp.QuoteMeta(p) + ": "
		}
		g.add(Case{Name: "card/" + m.name, Kind: "card", Want: m.want, Match: match,
			Args: []string{"--quiet", "--workdir", filepath.Join(g.dir, "card", m.name+"-work"), "setup", p}})
	}
	return nil
}
