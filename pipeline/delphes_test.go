// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

func writeCard(t *testing.T, src string) *cards.Card {
	t.Helper()
	path := filepath.Join(t.TempDir(), "card.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := cards.Load(path, CardOptions())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// oneParamSetup is the parameters, benchmarks and morphing sections of
// the cards of background samples: one parameter x, the basis sm (x = 0)
// and one (x = 1).
const oneParamSetup = `parameters:
  - {name: x, lha_block: dummy, lha_id: 1, morphing_max_power: 1, range: [-1, 1]}
benchmarks:
  - {name: sm, values: {x: 0}}
  - {name: one, values: {x: 1}}
morphing:
  basis: [sm, one]
`

// oneParam is the head of those cards: seed 5, unshuffled, oneParamSetup.
const oneParam = "seed: 5\nshuffle: false\n" + oneParamSetup

func setupAndAnalyse(t *testing.T, c *cards.Card) (*AnalyseResult, error) {
	t.Helper()
	env := NewEnv(c, t.TempDir(), nil, nil)
	if _, err := Setup(env); err != nil {
		t.Fatal(err)
	}
	return Analyse(env)
}

func TestAnalyseDelphes(t *testing.T) {
	root := repotest.Shared(t, "data/root/delphes_cms_ttH_10ev.root")
	c := writeCard(t, oneParam+fmt.Sprintf(`samples:
  - {name: tth, delphes: %s, background: true}
observables:
  - {name: pt_j1, expr: "j[0].pt", required: true}
  - {name: met_pt, expr: "met.pt", required: true}
  - {name: n_j, expr: "len(j)"}
  - {name: pt_e1, expr: "e[0].pt", default: -1}
  - {name: m_j1j2, expr: "(j[0] + j[1]).m", required: true}
acceptance:
  - {object: j, pt_min: 20, eta_max: 5}
`, root))
	if c.Samples[0].Weights != "delphes" {
		t.Fatalf("default weights for a Delphes-only sample: %q", c.Samples[0].Weights)
	}
	res, err := setupAndAnalyse(t, c)
	if err != nil {
		t.Fatal(err)
	}
	_, x, w, ids := readAll(t, res.File)
	// want: uproot 5.3 on the same file (../shared/README.md): leading jet
	// pT and MET of events 0, 1, 2, and event 0's weight; no electrons.
	want := []struct{ pt, met float64 }{{152.45778, 14.869381}, {104.798615, 36.826237}, {38.581448, 4.8888035}}
	for i, wv := range want {
		if !scalar.EqualWithinAbsOrRel(x[i][0], wv.pt, 0, 1e-6) || !scalar.EqualWithinAbsOrRel(x[i][1], wv.met, 0, 1e-6) {
			t.Errorf("event %d: pt_j1 %v, met %v; uproot %v, %v", i, x[i][0], x[i][1], wv.pt, wv.met)
		}
		if x[i][3] != -1 {
			t.Errorf("event %d has an electron with pT %v", i, x[i][3])
		}
	}
	if !scalar.EqualWithinAbsOrRel(w[0][0], 0.573798, 0, 1e-6) || w[0][0] != w[0][1] {
		t.Errorf("event 0 weights %v, want the Delphes weight 0.573798 for every benchmark of a background", w[0])
	}
	if ids[0] != -1 {
		t.Errorf("sampling id %d for a background event", ids[0])
	}
	if x[0][2] > 10 || x[2][2] != 7 {
		t.Errorf("jet counts %v, %v (10 and 7 jets before the 20 GeV acceptance)", x[0][2], x[2][2])
	}

	// The layout, as h5py sees it: the dataset names and types of a
	// MadMiner events file.
	py := "/usr/bin/python3"
	if exec.Command(py, "-c", "import h5py").Run() != nil {
		t.Log("no h5py: layout not checked with h5py")
		return
	}
	script := `import h5py,sys
f=h5py.File(sys.argv[1],'r')
for n in ['benchmarks/names','benchmarks/values','benchmarks/is_nuisance','benchmarks/is_reference','morphing/components','morphing/morphing_matrix','observables/names','observables/definitions','parameters/names','samples/observations','samples/weights','samples/sampling_benchmarks','sample_summary/signal_events','sample_summary/background_events']:
    print(n, f[n].dtype, len(f[n].shape))
print(f['samples/observations'].shape, f['sample_summary/background_events'][()])`
	got, err := exec.Command(py, "-c", script, res.File).CombinedOutput()
	if err != nil {
		t.Fatalf("h5py cannot read the detector-level events file: %v\n%s", err, got)
	}
	ref, err := exec.Command(py, "-c", script, repotest.Shared(t, "data/madminer/zh_lhe_data_5000ev.h5")).CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	g, r := strings.Split(string(got), "\n"), strings.Split(string(ref), "\n")
	for i := 0; i < 14; i++ {
		if g[i] != r[i] {
			t.Errorf("dataset %d: ours %q, MadMiner %q", i, g[i], r[i])
		}
	}
	if !strings.HasPrefix(g[14], fmt.Sprintf("(%d, 5) %d", len(x), len(x))) {
		t.Errorf("shape and background count: %q", g[14])
	}
}

func TestAnalyseDelphesErrors(t *testing.T) {
	eic := repotest.Shared(t, "data/root/delphes_eic_protongun_1000ev.root")
	cms := repotest.Shared(t, "data/root/delphes_cms_ttH_10ev.root")
	zh := repotest.BundledZH(t)
	for _, tc := range []struct {
		name, samples, observable string
		want                      []string
	}{
		{"collection absent from the file", "{name: eic, delphes: " + eic + ", background: true}", "j[0].pt", []string{"delphes_eic_protongun_1000ev.root", "Jet"}},
		{"weights from an LHE file of other events", "{name: cms, delphes: " + cms + ", lhe: " + zh + ", background: true}", "j[0].pt", []string{"not aligned", "delphes_cms_ttH_10ev.root"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := writeCard(t, oneParam+"samples:\n  - "+tc.samples+"\nobservables:\n  - {name: o, expr: \""+tc.observable+"\"}\n")
			_, err := setupAndAnalyse(t, c)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}

	// Truth level on the EIC file works: the generator particles.
	c := writeCard(t, oneParam+"samples:\n  - {name: eic, delphes: "+eic+", background: true}\nobservables:\n  - {name: pt_p1, expr: \"p[0].pt\", required: true}\n")
	res, err := setupAndAnalyse(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if res.EventsWritten == 0 || res.EventsRead != 1000 {
		t.Errorf("EIC truth level: %d of %d events", res.EventsWritten, res.EventsRead)
	}
}

// TestAnalyseHepMCWeights reads the Pythia 8 shower of the first ZH events,
// whose five benchmark weights are named AUX_<benchmark>, and checks them
// against the same events read from the LHE file.
func TestAnalyseHepMCWeights(t *testing.T) {
	hep := repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz")
	c := zhCard(t, func(s string) string {
		i := strings.Index(s, "samples:")
		j := strings.Index(s, "observables:")
		return s[:i] + "samples:\n  - {name: shower, hepmc: " + hep + ", sampled_from: sm}\n" + s[j:]
	})
	res, err := setupAndAnalyse(t, c)
	if err != nil {
		t.Fatal(err)
	}
	_, _, hw, _ := readAll(t, res.File)
	// The HepMC3 convention (Rivet's): GenCrossSection shared among the
	// events by their weights, which here all equal it.
	if ss := res.Samples[0]; ss.EventNorm != "header" || !scalar.EqualWithinAbsOrRel(ss.XSecPB, 0.019031, 0, 1e-9) {
		t.Errorf("event norm %q, σ %g pb: want GenCrossSection 0.019031 pb shared by the weights", ss.EventNorm, ss.XSecPB)
	}
	lres, err := setupAndAnalyse(t, zhCard(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	_, _, lw, _ := readAll(t, lres.File)
	// Same events, weights normalised over 10 instead of 5000 events.
	n := 0
	for i := range hw {
		for b := range hw[i] {
			if !scalar.EqualWithinAbsOrRel(hw[i][b], lw[i][b]*500, 0, 1e-6) {
				t.Errorf("event %d benchmark %d: HepMC %g, LHE×500 %g", i, b, hw[i][b], lw[i][b]*500)
			}
			n++
		}
	}
	if n != 10*6 {
		t.Errorf("compared %d weights, want 60 (events dropped: %v)", n, res.Dropped)
	}
}

// TestDelphesRunKeyed: the Delphes file made from a sample's HepMC file is
// reused only while that HepMC file has the same content.
func TestDelphesRunKeyed(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh for the stand-in Delphes")
	}
	dir := t.TempDir()
	delphesDir := filepath.Join(dir, "Delphes")
	calls, stdin := filepath.Join(dir, "calls"), filepath.Join(dir, "stdin")
	fixture := filepath.Join(repotest.Root(t), "delphes", "testdata", "zh_eventonly_10ev.root")
	// A stand-in DelphesHepMC3: records the call and its input, writes a
	// real ten-event Delphes file.
	script := "#!/bin/sh\necho run >> " + calls + "\ncat > " + stdin + "\ncp " + fixture + " \"$2\"\n"
	for _, p := range []string{filepath.Join(delphesDir, "bin", "DelphesHepMC3"), filepath.Join(delphesDir, "cards", "card.tcl")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hep := filepath.Join(dir, "s.hepmc")
	var ev strings.Builder
	ev.WriteString("HepMC::Version 3.02.05\nHepMC::Asciiv3-START_EVENT_LISTING\n")
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&ev, "E %d 0 0\n", i)
	}
	ev.WriteString("HepMC::Asciiv3-END_EVENT_LISTING\n")
	if err := os.WriteFile(hep, []byte(ev.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &cards.Card{Path: filepath.Join(dir, "card.yaml"), Delphes: &cards.Delphes{Dir: delphesDir, Card: "cards/card.tcl"}}
	s := cards.Sample{Name: "s", HepMC: hep}
	env := NewEnv(&cards.Card{Seed: new(uint64)}, filepath.Join(dir, "w"), nil, nil)
	nCalls := func() int {
		b, _ := os.ReadFile(calls)
		return strings.Count(string(b), "run")
	}
	for i, want := range []int{1, 1} {
		if _, err := delphesFile(context.Background(), env, c, s); err != nil {
			t.Fatal(err)
		}
		if n := nCalls(); n != want {
			t.Errorf("call %d: Delphes ran %d times, want %d", i, n, want)
		}
	}
	st, _ := os.Stat(hep)
	if err := os.WriteFile(hep, []byte(strings.Replace(ev.String(), "E 3 0 0", "E 3 1 0", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(hep, st.ModTime(), st.ModTime())
	if _, err := delphesFile(context.Background(), env, c, s); err != nil {
		t.Fatal(err)
	}
	if n := nCalls(); n != 2 {
		t.Errorf("after editing the HepMC file: Delphes ran %d times, want 2", n)
	}
	if b, _ := os.ReadFile(stdin); !strings.Contains(string(b), "E 3 1 0") {
		t.Errorf("Delphes did not run on the edited file: %q", b)
	}
}
