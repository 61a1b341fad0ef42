// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/extprog"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// The tests below run the real DelphesHepMC3 (built by
// .ci/tools/setup.sh against the ROOT wheel) on the real Pythia 8 shower
// of ten ZH events in ../shared.

const shower10 = "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz"

// cmsCard is the CMS card of the Delphes sources.
const cmsCard = "cards/delphes_card_CMS.tcl"

func TestRunDelphes(t *testing.T) {
	dir := repotest.Delphes(t)
	in := repotest.Shared(t, shower10)
	work := t.TempDir()
	out := filepath.Join(work, "zh.root")
	var progress bytes.Buffer
	if err := Run(context.Background(), RunConfig{Dir: dir, Card: cmsCard, Seed: 1, Progress: &progress}, in, out); err != nil {
		t.Fatal(err)
	}
	r, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Entries() != 10 {
		t.Errorf("%d entries, want 10", r.Entries())
	}
	electrons := 0
	for r.Next() {
		ev := r.Event()
		if ev.Number != ev.Entry || len(ev.Weights) != 6 || len(ev.MissingET) != 1 || len(ev.Particles) == 0 {
			t.Errorf("entry %d: number %d, %d weights, %d MET, %d particles", ev.Entry, ev.Number, len(ev.Weights), len(ev.MissingET), len(ev.Particles))
		}
		electrons += len(ev.Electrons)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if electrons < 10 {
		t.Errorf("%d electrons in 10 Z → ee events", electrons)
	}
	if !strings.HasSuffix(progress.String(), "delphes: zh_pythia8_shower_10ev_5weights.hepmc3.gz: 10 events (100%)\n") {
		t.Errorf("progress %q", progress.String())
	}
}

// TestRunDelphesSeed checks that the seed makes Delphes reproducible:
// its efficiencies and smearing draw random numbers, from the clock
// unless the card sets RandomSeed (the CMS card does not).
func TestRunDelphesSeed(t *testing.T) {
	dir := repotest.Delphes(t)
	in := repotest.Shared(t, shower10)
	work := t.TempDir()
	electrons := func(name string, seed int64) []Lepton {
		out := filepath.Join(work, name)
		if err := Run(context.Background(), RunConfig{Dir: dir, Card: cmsCard, Seed: seed}, in, out); err != nil {
			t.Fatal(err)
		}
		r, err := Open(out, Options{Collections: []string{"Electron"}})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var all []Lepton
		for r.Next() {
			all = append(all, r.Event().Electrons...)
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		return all
	}
	a, b, c := electrons("a.root", 5), electrons("b.root", 5), electrons("c.root", 6)
	if !slices.Equal(a, b) {
		t.Errorf("seed 5 twice: electrons %v and %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 5 and 6 give the same electrons %v", a)
	}
}

// TestRunDelphesFailures runs the real DelphesHepMC3 into its failure
// modes. Every error names the program, the input and the log, and no
// file is left at the output path.
func TestRunDelphesFailures(t *testing.T) {
	dir := repotest.Delphes(t)
	in := repotest.Shared(t, shower10)
	work := t.TempDir()
	text := string(repotest.ReadGzip(t, in))
	write := func(name, content string) string {
		p := filepath.Join(work, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Cut in the middle of the sixth event, at the end of a line and in
	// the middle of one.
	e5 := strings.Index(text, "\nE 5 ")
	atLine := e5 + 1 + strings.Index(text[e5+1+20000:], "\n") + 20000 + 1
	for _, tc := range []struct {
		name, card, in string
		want           []string
	}{
		{"missing card", "cards/no_such_card.tcl", in,
			[]string{"delphes: detector card cards/no_such_card.tcl not found (tried cards/no_such_card.tcl, " + filepath.Join(dir, "cards/no_such_card.tcl") + ")"}},
		{"broken card", write("broken.tcl", "set ExecutionPath {\n TreeWriter\n"), in,
			[]string{"delphes: DelphesHepMC3 on " + in + " failed: exit status 1; log ", "** ERROR: can't read configuration file " + filepath.Join(work, "broken.tcl")}},
		{"unknown module", write("module.tcl", "set ExecutionPath {\n  Nonexistent\n}\nmodule NoSuchModule Nonexistent {\n}\n"), in,
			[]string{"DelphesHepMC3 on " + in + " failed: exit status 1", "** ERROR: can't find class 'NoSuchModule'"}},
		{"truncated at a line end", cmsCard, write("cut_line.hepmc", text[:atLine]),
			[]string{"DelphesHepMC3 on " + filepath.Join(work, "cut_line.hepmc") + " failed: the input ends after 6 events without its END_EVENT_LISTING line (truncated file?)"}},
		{"truncated in a line", cmsCard, write("cut_mid.hepmc", text[:atLine+30]),
			// Delphes reads standard input up to the broken line and
			// reports 5 events processed, no error.
			[]string{"DelphesHepMC3 on " + filepath.Join(work, "cut_mid.hepmc") + " failed: the input ends after 6 events without its END_EVENT_LISTING line", "** 5 events processed"}},
	} {
		out := filepath.Join(work, "zh.root")
		err := Run(context.Background(), RunConfig{Dir: dir, Card: tc.card}, tc.in, out)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v, want %q", tc.name, err, w)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: output written", tc.name)
		}
		noPartial(t, work)
	}
}

// TestRunDelphesInterrupt cancels a real Delphes run once it has read 20
// events. DelphesHepMC3 catches SIGINT, stops and writes a valid ROOT
// file of the events so far with exit status 0: Run must not take it.
func TestRunDelphesInterrupt(t *testing.T) {
	dir := repotest.Delphes(t)
	in := repotest.Shared(t, shower10)
	work := t.TempDir()
	// 300 events: the ten events thirty times over.
	text := string(repotest.ReadGzip(t, in))
	first := strings.Index(text, "\nE ") + 1
	end := strings.LastIndex(text, "HepMC::Asciiv3-END_EVENT_LISTING")
	big := text[:first] + strings.Repeat(text[first:end], 30) + text[end:]
	input := filepath.Join(work, "zh300.hepmc")
	if err := os.WriteFile(input, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	count := regexp.MustCompile(`(\d+) events`)
	var seen int
	prog := progressFunc(func(p []byte) {
		if m := count.FindSubmatch(p); m != nil {
			seen, _ = strconv.Atoi(string(m[1]))
			if seen >= 20 {
				cancel()
			}
		}
	})
	out := filepath.Join(work, "zh.root")
	err := Run(ctx, RunConfig{Dir: dir, Card: cmsCard, Progress: prog}, input, out)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "delphes: DelphesHepMC3 on "+input+" failed: interrupted") {
		t.Errorf("error %v, want an interrupt of DelphesHepMC3", err)
	}
	if seen >= 300 {
		t.Errorf("the run was not interrupted before its end (%d events)", seen)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("output written")
	}
	noPartial(t, work)
}

type progressFunc func([]byte)

func (f progressFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }

func noPartial(t *testing.T, dir string) {
	t.Helper()
	for _, f := range extprog.Leftovers(dir) {
		t.Errorf("temporary file %s left behind", f)
	}
}
