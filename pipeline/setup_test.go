// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/store"
)

func loadCard(t testing.TB, rel string) *cards.Card {
	c, err := cards.Load(filepath.Join(repotest.Root(t), rel), CardOptions())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSetupZHMatchesMadMiner(t *testing.T) {
	want, err := store.ReadSetup(repotest.Shared(t, "data/madminer/zh_setup.h5"))
	if err != nil {
		t.Fatal(err)
	}
	c := loadCard(t, "cards/zh.yaml")
	env := NewEnv(c, t.TempDir(), nil, nil)
	res, err := Setup(env)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.ReadSetup(res.File)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Parameters) != len(want.Parameters) || len(got.Benchmarks) != len(want.Benchmarks) {
		t.Fatalf("got %d parameters, %d benchmarks; want %d, %d", len(got.Parameters), len(got.Benchmarks), len(want.Parameters), len(want.Benchmarks))
	}
	for i, p := range want.Parameters {
		if got.Parameters[i] != p {
			t.Errorf("parameter %d: got %+v, want %+v", i, got.Parameters[i], p)
		}
	}
	for i, b := range want.Benchmarks {
		g := got.Benchmarks[i]
		if g.Name != b.Name || g.IsNuisance != b.IsNuisance || g.IsReference != b.IsReference {
			t.Errorf("benchmark %d: got %+v, want %+v", i, g, b)
		}
		for p := range b.Values {
			if g.Values[p] != b.Values[p] {
				t.Errorf("benchmark %s value %d: got %v, want %v", b.Name, p, g.Values[p], b.Values[p])
			}
		}
	}
	for c, comp := range want.Components {
		for p := range comp {
			if got.Components[c][p] != comp[p] {
				t.Fatalf("components: got %v, want %v", got.Components, want.Components)
			}
		}
	}
	r, cc := want.MorphingMatrix.Dims()
	if gr, gc := got.MorphingMatrix.Dims(); gr != r || gc != cc {
		t.Fatalf("matrix dims: got %dx%d, want %dx%d", gr, gc, r, cc)
	}
	for i := 0; i < r; i++ {
		for j := 0; j < cc; j++ {
			g, w := got.MorphingMatrix.At(i, j), want.MorphingMatrix.At(i, j)
			if !scalar.EqualWithinAbsOrRel(g, w, 1e-12, 1e-9) {
				t.Errorf("M[%d,%d]: got %.16g, want %.16g (MadMiner zh_setup.h5)", i, j, g, w)
			}
		}
	}
	if res.Cond <= 1 || res.MeanSquaredWeights <= 1 {
		t.Errorf("implausible summary: cond %g, mean Σw² %g", res.Cond, res.MeanSquaredWeights)
	}

	// The layout, as h5py sees it: dataset names, dtypes and shapes equal
	// those of MadMiner's file.
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import h5py").Run(); err != nil {
		t.Logf("python3 with h5py not available (%v): layout compared through store only", err)
		return
	}
	layout := func(path string) string {
		script := `import h5py,sys
f=h5py.File(sys.argv[1],'r')
out=[]
f.visititems(lambda n,o: out.append('%s %s %s'%(n,o.dtype,o.shape)) if isinstance(o,h5py.Dataset) else None)
print('\n'.join(sorted(out)))`
		out, err := exec.Command(py, "-c", script, path).CombinedOutput()
		if err != nil {
			t.Fatalf("h5py on %s: %v\n%s", path, err, out)
		}
		return string(out)
	}
	if g, w := layout(res.File), layout(repotest.Shared(t, "data/madminer/zh_setup.h5")); g != w {
		t.Errorf("layout differs from MadMiner's:\ngot:\n%s\nwant:\n%s", g, w)
	}
}

func TestSetupOptimisedBasis(t *testing.T) {
	// No basis in the card: the search keeps sm and finds the other five.
	src := `parameters:
  - {name: cHW, lha_block: smeft, lha_id: 7, range: [-1, 1]}
  - {name: cHq3, lha_block: smeft, lha_id: 25, range: [-1, 1]}
benchmarks:
  - {name: sm, values: {cHW: 0, cHq3: 0}}
morphing:
  max_overall_power: 2
  optimize: {keep: [sm], starts: 50}
`
	c, err := cards.Parse([]byte(src), filepath.Join(t.TempDir(), "opt.yaml"), CardOptions())
	if err != nil {
		t.Fatal(err)
	}
	_, res, err := BuildSetup(NewEnv(c, t.TempDir(), nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Basis) != 6 || res.Basis[0] != "sm" || res.Basis[5] != "morphing_basis_vector_5" {
		t.Errorf("basis: %v", res.Basis)
	}
	if !(res.MeanSquaredWeights < res.RandomMeanSquaredWeights) {
		t.Errorf("optimised mean Σw² %g not below the best random basis %g", res.MeanSquaredWeights, res.RandomMeanSquaredWeights)
	}
	t.Logf("mean Σw²: optimised %.4g, best of 50 random bases %.4g", res.MeanSquaredWeights, res.RandomMeanSquaredWeights)

	// Same seed, same basis.
	_, again, err := BuildSetup(NewEnv(c, t.TempDir(), nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.Values {
		for p := range res.Values[i] {
			if res.Values[i][p] != again.Values[i][p] {
				t.Fatalf("not reproducible: %v vs %v", res.Values, again.Values)
			}
		}
	}
}

func TestSetupSingularBasis(t *testing.T) {
	src := `parameters:
  - {name: a, lha_block: x, lha_id: 1, range: [-1, 1]}
benchmarks:
  - {name: b0, values: {a: 0}}
  - {name: b1, values: {a: 1}}
  - {name: b2, values: {a: 1}}
morphing:
  basis: [b0, b1, b2]
`
	c, err := cards.Parse([]byte(src), "singular.yaml", CardOptions())
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = BuildSetup(NewEnv(c, t.TempDir(), nil, nil))
	if err == nil || !strings.Contains(err.Error(), "singular.yaml") || !strings.Contains(err.Error(), "b2") {
		t.Errorf("got %v, want an error naming the card and the basis", err)
	}
}

func TestImportBenchmarksFromLHE(t *testing.T) {
	lhePath := repotest.BundledZH(t)
	src := `parameters:
  - {name: cHW, lha_block: SMEFT, lha_id: 7, range: [-1, 1], param_card_transform: "2*theta"}
  - {name: cHq3, lha_block: smeft, lha_id: 25, range: [-1, 1]}
benchmarks:
  - {name: sm, values: {cHW: 0, cHq3: 0}}
  - from_lhe: ` + lhePath + `
`
	c, err := cards.Parse([]byte(src), "imp.yaml", CardOptions())
	if err != nil {
		t.Fatal(err)
	}
	bms, err := resolveBenchmarks(c)
	if err != nil {
		t.Fatal(err)
	}
	// want: the values MadMiner chose (reference.json), which MG5 wrote
	// to 7 significant digits into the header; cHW goes through the
	// inverse of the transform 2*theta.
	want := map[string][2]float64{
		"morphing_basis_vector_1": {-0.7546379162819874, 0.06772376860683327},
		"morphing_basis_vector_5": {-0.5443482262188049, -0.9385143633006059},
	}
	if len(bms) != 6 {
		t.Fatalf("got %d benchmarks, want 6", len(bms))
	}
	for _, b := range bms {
		w, ok := want[b.Name]
		if !ok {
			continue
		}
		if !scalar.EqualWithinAbsOrRel(b.Values[0], w[0]/2, 1e-7, 1e-6) || !scalar.EqualWithinAbsOrRel(b.Values[1], w[1], 1e-7, 1e-6) {
			t.Errorf("%s: got %v, want (%g, %g)", b.Name, b.Values, w[0]/2, w[1])
		}
	}
}

// TestShippedCardsLoad loads every card of cards/ as goldmine does, so
// that a shipped card that no other test runs in full (zh_delphes.yaml
// needs MG5, Pythia 8 and Delphes) still parses and validates.
func TestShippedCardsLoad(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(repotest.Root(t), "cards", "*.yaml"))
	if err != nil || len(paths) < 5 {
		t.Fatalf("cards/*.yaml: %d cards, %v", len(paths), err)
	}
	for _, p := range paths {
		if _, err := cards.Load(p, CardOptions()); err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
		}
	}
	c := loadCard(t, "cards/zh_delphes.yaml")
	if c.Shower == nil || c.Delphes == nil || c.Delphes.Card == "" || len(c.Observables) != 10 {
		t.Errorf("cards/zh_delphes.yaml: shower %v, delphes %+v, %d observables", c.Shower, c.Delphes, len(c.Observables))
	}
}
