// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// The stand-ins of this file replay real outputs: the shared Pythia 8
// shower of the first ten ZH events (HepMC3 with the five benchmark
// weights) and the real Delphes file made from it
// (delphes/testdata/zh_eventonly_10ev.root: Event and Weight branches),
// so that the chain's pairing meets real partons and weights.

// detectorChain is the folder of a chain test: a ten-event LHE file (the
// first events of the bundled ZH sample), a stand-in main42 and a
// stand-in Delphes folder.
type detectorChain struct {
	dir, lhe, main42, delphes string
	head                      string   // of the LHE file
	events                    []string // its ten events
}

// newDetectorChain writes the chain's files. The stand-in main42 records
// its command file (seen.cmnd) and writes the shared HepMC file without
// the events whose numbers are in $DROP (e.g. "3"), or exits 1 with an
// abort line when $FAIL is set; the stand-in DelphesHepMC3 records its
// card (seen.tcl), reads its input and writes the real ten-event file.
func newDetectorChain(t *testing.T) *detectorChain {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh for the stand-ins")
	}
	hep := repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz")
	fixture := filepath.Join(repotest.Root(t), "delphes", "testdata", "zh_eventonly_10ev.root")
	ch := &detectorChain{dir: t.TempDir()}
	ch.head, ch.events = repotest.LHEEvents(t, string(repotest.ReadGzip(t, repotest.BundledZH(t))), 10)
	ch.lhe = repotest.WriteLHE(t, ch.dir, "zh10.lhe", ch.head, ch.events...)
	ch.main42 = filepath.Join(ch.dir, "pythia", "bin", "main42")
	ch.delphes = filepath.Join(ch.dir, "Delphes")
	write := func(p, text string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(ch.main42, `#!/bin/sh
[ $# = 2 ] || { echo "want 2 arguments"; exit 2; }
cp "$1" "$(dirname "$0")/seen.cmnd"
echo " PYTHIA Info from Pythia::init: stand-in"
if [ -n "${FAIL:-}" ]; then echo " PYTHIA Abort from Pythia::next: reached end of Les Houches Events File"; echo " PYTHIA Error: stand-in failure"; exit 1; fi
echo " Pythia::next(): 5 events have been generated"
gzip -dc `+hep+` | awk -v drop=" ${DROP:-} " '/^E /{ skip = index(drop, " " $2 " ") > 0 } /^HepMC::/{ skip = 0 } !skip' > "$2"
echo " Pythia::next(): 10 events have been generated"
`)
	write(filepath.Join(ch.delphes, "bin", "DelphesHepMC3"), `#!/bin/sh
[ $# = 2 ] || { echo "want 2 arguments"; exit 2; }
cp "$1" "$(dirname "$0")/seen.tcl"
cat > /dev/null
cp `+fixture+` "$2"
`)
	write(filepath.Join(ch.delphes, "cards", "card.tcl"), "# stand-in card\n")
	return ch
}

// card returns cards/zh.yaml with the chain's sample and the given
// sections, and observables that need no Delphes collection (the file
// has none).
func (ch *detectorChain) card(t *testing.T, sample, sections string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repotest.Root(t), "cards", "zh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	s = s[:strings.Index(s, "samples:")]
	s = strings.Replace(s, "seed: 1234\n", "seed: 1234\nshuffle: false\n", 1)
	if sample == "" {
		sample = "{name: zh, lhe: " + ch.lhe + ", sampled_from: sm}"
	}
	return s + "samples:\n  - " + sample + "\n" + sections + "observables:\n  - {name: one, expr: \"1.0\"}\n"
}

func (ch *detectorChain) sections() string {
	return fmt.Sprintf("shower:\n  program: %s\n  settings: [\"PartonLevel:MPI = off\"]\ndelphes:\n  dir: %s\n  card: cards/card.tcl\n", ch.main42, ch.delphes)
}

// seenSeed returns the seed line value of a file the stand-ins recorded.
func seenSeed(t *testing.T, path, re string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(re).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s has no %s:\n%s", path, re, b)
	}
	n, err := strconv.Atoi(string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestShowerDelphesChain runs setup, shower and analyse of a card with
// shower and delphes sections through the stand-ins: the analysed events
// carry the weights of their own LHE events, as an analysis of the LHE
// file alone gives them; the seeds of Pythia and Delphes come from the
// card's seed and change with it; a second run finds everything up to
// date.
func TestShowerDelphesChain(t *testing.T) {
	ch := newDetectorChain(t)
	var log strings.Builder
	env := NewEnv(writeCard(t, ch.card(t, "", ch.sections())), filepath.Join(ch.dir, "work"), nil, &log)
	res, err := Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, st := range res.Stages {
		status[st.Name] = st.Status
	}
	if status["shower"] != "ran" || status["analyse"] != "ran" {
		t.Fatalf("stages %v", status)
	}
	_, _, got, _ := readAll(t, env.Path("events.h5"))
	lheEnv := NewEnv(writeCard(t, ch.card(t, "", "")), filepath.Join(ch.dir, "lhe-work"), nil, nil)
	if _, err := Setup(lheEnv); err != nil {
		t.Fatal(err)
	}
	ares, err := Analyse(lheEnv)
	if err != nil {
		t.Fatal(err)
	}
	_, _, want, _ := readAll(t, ares.File)
	if len(got) != 10 || len(want) != 10 {
		t.Fatalf("%d events through the chain, %d from the LHE file, want 10", len(got), len(want))
	}
	for i := range got {
		for b := range got[i] {
			if got[i][b] != want[i][b] {
				t.Errorf("event %d benchmark %d: weight %v, LHE event %d has %v", i, b, got[i][b], i, want[i][b])
			}
		}
	}
	for _, w := range []string{"shower: sample zh (1 of 1): Pythia 8 on " + ch.lhe, "shower: zh10.lhe: 10/10 events", "shower: zh10.lhe: done after",
		"delphes: sample zh: " + env.showerOutput("zh") + " with", "delphes: zh.hepmc: 10 events", "delphes: sample zh: done after"} {
		if !strings.Contains(log.String(), w) {
			t.Errorf("progress lacks %q:\n%s", w, log.String())
		}
	}

	// The seeds: the card's, per stage and sample, and written where
	// Pythia and Delphes read them.
	pySeed := seenSeed(t, filepath.Join(filepath.Dir(ch.main42), "seen.cmnd"), `Random:seed = (\d+)`)
	dSeed := seenSeed(t, filepath.Join(ch.delphes, "bin", "seen.tcl"), `set RandomSeed (\d+)`)
	if pySeed != env.showerSeed("zh") || int64(dSeed) != 1+env.rng("delphes/zh").Int64N(1<<31-1) || pySeed == dSeed {
		t.Errorf("seeds: Pythia %d, Delphes %d", pySeed, dSeed)
	}
	res, err = Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range res.Stages {
		if st.Name == "shower" || st.Name == "analyse" {
			if st.Status != "up to date" {
				t.Errorf("second run: %s %s", st.Name, st.Status)
			}
		}
	}
	seed := uint64(99)
	if _, err := Run(context.Background(), NewEnv(env.Card, filepath.Join(ch.dir, "work2"), &seed, nil)); err != nil {
		t.Fatal(err)
	}
	if s := seenSeed(t, filepath.Join(filepath.Dir(ch.main42), "seen.cmnd"), `Random:seed = (\d+)`); s == pySeed {
		t.Errorf("another card seed gave the same Pythia seed %d", s)
	}
}

// TestShowerErrors: analyse before the shower, a Pythia that fails, and
// one that drops an event (an error unless the sample allows it, and
// then the HepMC file lacks it).
func TestShowerErrors(t *testing.T) {
	ch := newDetectorChain(t)
	newEnv := func(sample, sections string) *Env {
		env := NewEnv(writeCard(t, ch.card(t, sample, sections)), t.TempDir(), nil, nil)
		if _, err := Setup(env); err != nil {
			t.Fatal(err)
		}
		return env
	}
	env := newEnv("", ch.sections())
	if _, err := Analyse(env); err == nil || !strings.Contains(err.Error(), "run goldmine shower first") {
		t.Errorf("analyse before the shower: %v", err)
	}

	t.Setenv("FAIL", "1")
	_, err := RunStage(context.Background(), env, "shower")
	for _, w := range []string{"pipeline: sample zh: shower: main42 on " + ch.lhe + " failed", "shower_zh.log ends with:", "PYTHIA Error: stand-in failure"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("failing Pythia: error %v lacks %q", err, w)
		}
	}
	if _, serr := os.Stat(env.showerOutput("zh")); serr == nil {
		t.Error("a failed shower left its output")
	}
	t.Setenv("FAIL", "")

	t.Setenv("DROP", "3")
	if _, err := RunStage(context.Background(), env, "shower"); err == nil || !strings.Contains(err.Error(), "the 1 LHE events 3 to 3 have no partner") {
		t.Errorf("Pythia dropped an event: %v", err)
	}
	// Allowed, and analysed at generator level (no delphes section): the
	// nine events left, with their HepMC weights.
	env = newEnv("{name: zh, lhe: "+ch.lhe+", sampled_from: sm, allow_dropped: true}", "shower:\n  program: "+ch.main42+"\n")
	r, err := RunStage(context.Background(), env, "shower")
	if err != nil {
		t.Fatal(err)
	}
	if s := r.(*ShowerResult).Samples[0]; s.Dropped != 1 || s.Events != 9 || s.LHEEvents != 10 || s.Pairing != "partons" {
		t.Errorf("shower %+v", s)
	}
	ares, err := Analyse(env)
	if err != nil {
		t.Fatal(err)
	}
	if ares.EventsRead != 9 || ares.Samples[0].File != env.showerOutput("zh") {
		t.Errorf("analysed %d events of %s, want the 9 of the shower", ares.EventsRead, ares.Samples[0].File)
	}
}

// TestMadGraphPythia8Delphes is MadMiner's way: MG5 showers with its own
// Pythia 8 interface (madgraph.pythia8_card, shower=Pythia8), and the
// delphes section runs Delphes on the run's HepMC file, whose events are
// paired with the run's LHE events. MG5 is the stand-in of package
// madgraph, replaying the ten ZH events and their shower.
func TestMadGraphPythia8Delphes(t *testing.T) {
	ch := newDetectorChain(t)
	td := filepath.Join(repotest.Root(t), "madgraph", "testdata")
	t.Setenv("MG5_AMC", "")
	t.Setenv("GOLDMINE_PYTHON", "")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(repotest.LHEText(ch.head, ch.events...)))
	zw.Close()
	t.Setenv("FAKE_MG5_LHE", filepath.Join(ch.dir, "run.lhe.gz"))
	if err := os.WriteFile(os.Getenv("FAKE_MG5_LHE"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKE_MG5_HEPMC", repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz"))
	py8 := filepath.Join(ch.dir, "pythia8_card.dat")
	if err := os.WriteFile(py8, []byte("Main:numberOfEvents = -1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sections := fmt.Sprintf(`madgraph:
  dir: %s
  proc_card: %s
  param_card_template: %s
  run_card: %s
  pythia8_card: %s
  timeout: 1m
  runs:
    - {name: sm, benchmark: sm, events: 10}
delphes:
  dir: %s
  card: cards/card.tcl
`, filepath.Join(td, "fake_mg5_aMC"), filepath.Join(td, "proc_card.dat"), filepath.Join(td, "param_card_template.dat"), filepath.Join(td, "run_card.dat"), py8, ch.delphes)
	env := NewEnv(writeCard(t, ch.card(t, "{name: zh, madgraph_run: sm}", sections)), filepath.Join(ch.dir, "work"), nil, nil)
	res, err := Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range res.Stages {
		if want := map[string]string{"generate": "ran", "shower": "not in card", "analyse": "ran"}[st.Name]; want != "" && st.Status != want {
			t.Fatalf("stage %s: %s, want %s", st.Name, st.Status, want)
		}
	}
	_, _, got, _ := readAll(t, env.Path("events.h5"))
	lheEnv := NewEnv(writeCard(t, ch.card(t, "", "")), filepath.Join(ch.dir, "lhe-work"), nil, nil)
	if _, err := Setup(lheEnv); err != nil {
		t.Fatal(err)
	}
	lres, err := Analyse(lheEnv)
	if err != nil {
		t.Fatal(err)
	}
	_, _, want, _ := readAll(t, lres.File)
	if len(got) != 10 {
		t.Fatalf("%d events, want 10", len(got))
	}
	for i := range got {
		for b := range got[i] {
			if got[i][b] != want[i][b] {
				t.Errorf("event %d benchmark %d: weight %v, LHE event %d has %v", i, b, got[i][b], i, want[i][b])
			}
		}
	}
	b, err := os.ReadFile(filepath.Join(ch.delphes, "bin", "seen.tcl"))
	if err != nil || !strings.Contains(string(b), "set RandomSeed") {
		t.Errorf("Delphes card %q (%v)", b, err)
	}
}
