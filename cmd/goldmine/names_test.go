// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// namesCard has every kind of name that becomes a file or folder name;
// the line holding @KIND@ gets the hostile name (and so do the lines that
// refer to it, marked @KIND-ref@).
const namesCard = `workdir: work
seed: 1
parameters:
  - {name: cHW, lha_block: smeft, lha_id: 7, morphing_max_power: 2, range: [-1, 1]}
  - {name: cHq3, lha_block: smeft, lha_id: 25, morphing_max_power: 2, range: [-1, 1]}
benchmarks:
  - name: @benchmark@
    values: {cHW: 0, cHq3: 0}
  - {name: b1, values: {cHW: -0.75, cHq3: 0.07}}
  - {name: b2, values: {cHW: -0.53, cHq3: 0.51}}
  - {name: b3, values: {cHW: 0.35, cHq3: -0.86}}
  - {name: b4, values: {cHW: 0.98, cHq3: 0.56}}
  - {name: b5, values: {cHW: -0.54, cHq3: -0.94}}
morphing:
  max_overall_power: 2
  basis: [@benchmark-ref@, b1, b2, b3, b4, b5]
systematics:
  - name: @systematic@
    type: norm
    value: 0.1
madgraph:
  proc_card: mg5/zh_proc_card.dat
  param_card_template: mg5/zh_param_card_template.dat
  runs:
    - name: @madgraph_run@
      benchmark: @benchmark-ref@
samples:
  - name: @sample@
    lhe: @LHE@
    sampled_from: @benchmark-ref@
    systematics: [@systematic-ref@]
  - name: generated
    madgraph_run: @madgraph_run-ref@
observables:
  - name: @observable@
    expr: "(e[0] + e[1]).pt"
sampling:
  samples:
    - name: @sampling_sample@
      method: local
      theta: {benchmark: @benchmark-ref@}
      n_samples: 100
training:
  - name: @training@
    method: sally
    sample: @sampling_sample-ref@
fisher:
  items:
    - name: @fisher_item@
      kind: sally
      model: @training-ref@
limits:
  theta_true: [0, 0]
  grid: {ranges: [[-1, 1], [-1, 1]]}
  scans:
    - name: @limit_scan@
      mode: sally
      model: @training-ref@
plots:
  formats: [png, @plot_format@]
`

// defaultNames are the card's names where no hostile one is asked for.
var defaultNames = map[string]string{
	"benchmark": "sm", "systematic": "norm", "madgraph_run": "run_sm", "sample": "zh",
	"observable": "pt_z", "sampling_sample": "local", "training": "sally", "fisher_item": "sally",
	"limit_scan": "sally", "plot_format": "pdf",
}

// writeNamesCard writes namesCard into dir/cards with name as the value
// of kind, quoted for YAML, and returns its path and the line of kind.
func writeNamesCard(t *testing.T, dir, lhe, kind, name string) (string, int) {
	t.Helper()
	text := strings.ReplaceAll(namesCard, "@LHE@", lhe)
	line := 0
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "@"+kind+"@") {
			line = i + 1
		}
	}
	for k, v := range defaultNames {
		if k == kind {
			v = name
		}
		v = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		text = strings.ReplaceAll(text, "@"+k+"@", v)
		text = strings.ReplaceAll(text, "@"+k+"-ref@", v)
	}
	cardDir := filepath.Join(dir, "cards")
	if err := os.MkdirAll(filepath.Join(cardDir, "mg5"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cardDir, "card.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, line
}

// tree lists every file and folder below dir, relative to it.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestHostileNames sets each kind of name that becomes a file or folder
// name to a hostile value: goldmine setup refuses the card with its file,
// line and key, and creates nothing (the work folder is two levels below
// the test's folder, so that ../x and ../../x would land in it).
func TestHostileNames(t *testing.T) {
	lhe, err := filepath.Abs(filepath.Join(repotest.Root(t), "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz"))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{
		"benchmark": "benchmarks[0].name", "systematic": "systematics[0].name", "madgraph_run": "madgraph.runs[0].name",
		"sample": "samples[0].name", "observable": "observables[0].name", "sampling_sample": "sampling.samples[0].name",
		"training": "training[0].name", "fisher_item": "fisher.items[0].name", "limit_scan": "limits.scans[0].name",
		"plot_format": "plots.formats[1]",
	}
	hostile := []string{"../x", "a/b", "..", "/abs", ".hidden", strings.Repeat("n", 300), "../../escaped", "-rf", "a b", "$(touch CANARY)"}

	// The card as it stands is good: setup runs.
	{
		top := t.TempDir()
		card, _ := writeNamesCard(t, top, lhe, "", "")
		work := filepath.Join(top, "a", "b", "work")
		if out, err := run(t, nil, "setup", card, "--workdir", work, "--quiet"); err != nil {
			t.Fatalf("the card with good names: %v\n%s", err, out)
		}
	}
	for kind, key := range keys {
		for _, name := range hostile {
			if kind == "observable" && name == "-rf" {
				continue // refused as an identifier, with another message
			}
			t.Run(fmt.Sprintf("%s=%.12s", kind, name), func(t *testing.T) {
				top := t.TempDir()
				card, line := writeNamesCard(t, top, lhe, kind, name)
				before := tree(t, top)
				work := filepath.Join(top, "a", "b", "work")
				_, err := run(t, nil, "setup", card, "--workdir", work, "--quiet")
				want := fmt.Sprintf("%s:%d: %s: ", card, line, key)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("error %v, want one at %s", err, want)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error spans lines: %q", err)
				}
				if after := tree(t, top); !slices.Equal(before, after) {
					t.Errorf("setup created files: before %v, after %v", before, after)
				}
			})
		}
	}
}

// TestHostileImportedNames: a benchmark name imported with from_lhe
// follows the same rule, and the error names the LHE file.
func TestHostileImportedNames(t *testing.T) {
	src := repotest.ReadGzip(t, filepath.Join(repotest.Root(t), "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz"))
	for _, name := range []string{"../x", "a/b", "..", "/abs", ".hidden", strings.Repeat("n", 300)} {
		t.Run(fmt.Sprintf("%.12s", name), func(t *testing.T) {
			top := t.TempDir()
			lhe := filepath.Join(top, "in", "bad.lhe")
			if err := os.MkdirAll(filepath.Dir(lhe), 0o755); err != nil {
				t.Fatal(err)
			}
			bad := bytes.ReplaceAll(src, []byte("'morphing_basis_vector_5'"), []byte("'"+name+"'"))
			if err := os.WriteFile(lhe, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			card := filepath.Join(top, "in", "card.yaml")
			text := fmt.Sprintf(`parameters:
  - {name: cHW, lha_block: smeft, lha_id: 7, morphing_max_power: 2, range: [-1, 1]}
  - {name: cHq3, lha_block: smeft, lha_id: 25, morphing_max_power: 2, range: [-1, 1]}
benchmarks:
  - {name: sm, values: {cHW: 0, cHq3: 0}}
  - from_lhe: %s
`, lhe)
			if err := os.WriteFile(card, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			before := tree(t, top)
			work := filepath.Join(top, "a", "b", "work")
			_, err := run(t, nil, "setup", card, "--workdir", work, "--quiet")
			if err == nil || !strings.Contains(err.Error(), lhe) || !strings.Contains(err.Error(), "name") {
				t.Fatalf("error %v, want one naming %s and the name", err, lhe)
			}
			for _, p := range tree(t, top) {
				// The work folder and its parents hold the lock file.
				if !slices.Contains(before, p) && p != "a" && p != filepath.Join("a", "b") && !strings.HasPrefix(p, filepath.Join("a", "b", "work")) {
					t.Errorf("setup created %s outside the work folder", p)
				}
			}
		})
	}
}
