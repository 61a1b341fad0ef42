// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package shower

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/extprog"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// zhLHE is the bundled real ZH sample (5000 events, 5 reweighted
// weights); its first ten events are those the shared HepMC file of
// ten Pythia 8 events was showered from.
func zhLHE(t *testing.T) string {
	t.Helper()
	p := filepath.Join(repotest.Root(t), "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("bundled LHE sample missing: %v", err)
	}
	return p
}

// standIn writes a shell script standing in for main42: it checks its
// two arguments, records the command file and the environment next to
// itself, then runs body with $1 the command file and $2 the output.
func standIn(t *testing.T, body string) string {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh for the stand-in Pythia")
	}
	dir := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "main42")
	text := "#!/bin/sh\n[ $# = 2 ] || { echo ' Unexpected number of command-line arguments.'; exit 1; }\n" +
		"cp \"$1\" \"$(dirname \"$0\")/seen.cmnd\"; echo \"$PYTHIA8DATA $(pwd)\" > \"$(dirname \"$0\")/seen.env\"\n" + body
	if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCommandFile(t *testing.T) {
	dir := t.TempDir()
	user := filepath.Join(dir, "tune.cmnd")
	if err := os.WriteFile(user, []byte("! my tune\nTune:pp = 14\nNext:numberCount = 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{CommandFile: user, Settings: []string{"PartonLevel:MPI = off"}, Seed: 42}
	b, err := cfg.commandFile("events.lhe", 300)
	if err != nil {
		t.Fatal(err)
	}
	want := "! Pythia 8 command file written by goldmine\n" +
		"! goldmine's defaults: a short log with progress lines\n" +
		"Next:numberShowEvent = 0\nNext:numberShowProcess = 0\nNext:numberCount = 15\n" +
		"! from " + user + "\n! my tune\nTune:pp = 14\nNext:numberCount = 7\n" +
		"! settings\nPartonLevel:MPI = off\n" +
		"! what goldmine runs\nBeams:frameType = 4\nBeams:LHEF = events.lhe\nMain:numberOfEvents = 300\n" +
		"Random:setSeed = on\nRandom:seed = 42\n"
	if string(b) != want {
		t.Errorf("command file\n%s\nwant\n%s", b, want)
	}

	for _, tc := range []struct {
		name string
		cfg  Config
		lhe  string
		want string
	}{
		{"frame", Config{Settings: []string{"Beams:frameType = 1"}}, "e.lhe", "setting 1 sets Beams:frameType: goldmine showers LHE files"},
		{"lhef", Config{Settings: []string{"  beams:LHEF=other.lhe"}}, "e.lhe", "setting 1 sets beams:LHEF=other.lhe: goldmine names the LHE file"},
		{"events", Config{CommandFile: writeFile(t, dir, "n.cmnd", "! c\nMain:numberOfEvents 10\n")}, "e.lhe", "n.cmnd:2 sets Main:numberOfEvents: set the number of events in the card"},
		{"seed", Config{Seed: 3, Settings: []string{"Random:seed = 5"}}, "e.lhe", "setting 1 sets the random seed, which the card sets (3)"},
		{"seed range", Config{Seed: MaxSeed + 1}, "e.lhe", "seed 900000001 out of Pythia's range"},
		{"negative seed", Config{Seed: -1}, "e.lhe", "seed -1 out of Pythia's range"},
		{"space", Config{}, "my events.lhe", "has white space"},
		{"newline", Config{Settings: []string{"A = 1\nBeams:LHEF = x"}}, "e.lhe", "setting 1 (\"A = 1\\nBeams:LHEF = x\") spans lines"},
		{"missing file", Config{CommandFile: filepath.Join(dir, "nope.cmnd")}, "e.lhe", "could not read the command file"},
	} {
		_, err := tc.cfg.commandFile(tc.lhe, 10)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	// Without a card seed the command file may set it.
	if _, err := (&Config{Settings: []string{"Random:setSeed = on", "Random:seed = 5"}}).commandFile("e.lhe", 10); err != nil {
		t.Errorf("seed in the command file: %v", err)
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunStandIn(t *testing.T) {
	lhePath := zhLHE(t)
	shared := repotest.Shared(t, "data/hepmc/zh_pythia8_shower_10ev_5weights.hepmc3.gz")
	dir := t.TempDir()

	// A Pythia that writes the real shower of the first ten events.
	ok := standIn(t, "grep -q '^Beams:LHEF = ' \"$1\" || exit 5\nlhe=$(sed -n 's/^Beams:LHEF = //p' \"$1\")\n[ -f \"$lhe\" ] || { echo \"no LHE file $lhe\"; exit 6; }\n"+
		"head -c 200 \"$lhe\" | grep -q LesHouchesEvents || { echo 'LHE file not plain'; exit 7; }\n"+
		"echo ' Pythia::next(): 5 events have been generated'\nzcat "+shared+" > \"$2\"\n")
	out := filepath.Join(dir, "zh.hepmc")
	var progress strings.Builder
	res, err := Run(context.Background(), Config{Program: ok, Events: 10, Seed: 7, Progress: &progress, Data: "/data/xmldoc"}, lhePath, out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != 10 || res.LHEEvents != 10 || res.Version != 3 || res.Pairing.Mode != "partons" || res.Pairing.Weights != 5 {
		t.Errorf("result %+v, pairing %+v", res, res.Pairing)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("no output: %v", err)
	}
	seen, _ := os.ReadFile(filepath.Join(filepath.Dir(ok), "seen.cmnd"))
	if !strings.Contains(string(seen), "Main:numberOfEvents = 10\nRandom:setSeed = on\nRandom:seed = 7\n") {
		t.Errorf("command file %s", seen)
	}
	if cmnd, _ := os.ReadFile(out + ".cmnd"); string(cmnd) != string(seen) {
		t.Errorf("kept command file differs from the one Pythia read")
	}
	env, _ := os.ReadFile(filepath.Join(filepath.Dir(ok), "seen.env"))
	if string(env) != "/data/xmldoc "+dir+"\n" {
		t.Errorf("PYTHIA8DATA and working directory %q", env)
	}
	if !strings.Contains(progress.String(), "shower: zh_smeft_cHW_cHq3_5000ev.lhe.gz: 5/10 events") {
		t.Errorf("progress %q", progress.String())
	}
	noLeftovers(t, dir)

	// A program found in PATH.
	t.Setenv("PATH", filepath.Dir(ok)+string(os.PathListSeparator)+os.Getenv("PATH"))
	if _, err := Run(context.Background(), Config{Program: "main42", Events: 10}, lhePath, filepath.Join(dir, "path.hepmc")); err != nil {
		t.Errorf("main42 from PATH: %v", err)
	}

	// All 5000 events asked for, ten written: the pairing fails.
	_, err = Run(context.Background(), Config{Program: ok}, lhePath, filepath.Join(dir, "all.hepmc"))
	if err == nil || !strings.Contains(err.Error(), "10 stream events but 5000 LHE events: 4990 LHE events have no partner") ||
		!strings.Contains(err.Error(), "main42 on "+lhePath+" failed") {
		t.Errorf("all events: %v", err)
	}
	noLeftovers(t, dir)

	// Pythia dropped the fourth event and, having read more LHE events
	// than it wrote, met the end of the LHE file.
	lost := filepath.Join(t.TempDir(), "lost.hepmc")
	if err := os.WriteFile(lost, dropEvent(t, shared, 3), 0o644); err != nil {
		t.Fatal(err)
	}
	dropper := standIn(t, "echo ' PYTHIA Abort from Pythia::next: reached end of Les Houches Events File'\ncp "+lost+" \"$2\"\n")
	_, err = Run(context.Background(), Config{Program: dropper, Events: 10}, lhePath, filepath.Join(dir, "lost.hepmc"))
	if err == nil || !strings.Contains(err.Error(), "was made from LHE event 4 (line") || !strings.Contains(err.Error(), "the 1 LHE events 3 to 3 have no partner") {
		t.Errorf("dropped event: %v", err)
	}
	res, err = Run(context.Background(), Config{Program: dropper, Events: 10, AllowDropped: true}, lhePath, filepath.Join(dir, "lost.hepmc"))
	if err != nil {
		t.Errorf("dropped event allowed: %v", err)
	} else if res.Events != 9 || res.Pairing.Dropped != 1 || res.Pairing.DroppedFirst[0] != 3 {
		t.Errorf("dropped event allowed: %+v, pairing %+v", res, res.Pairing)
	}
	noLeftovers(t, dir)

	for _, tc := range []struct {
		name, body string
		cfg        Config
		want       []string
	}{
		{"abort", "echo ' PYTHIA Abort from BeamSetup::initFrame: Les Houches Event File not found'\necho 'HepMC::Version 3.01.02' > \"$2\"\n", Config{},
			[]string{"main42 on LHE failed: Pythia gave up: PYTHIA Abort from BeamSetup::initFrame: Les Houches Event File not found; log ", "ends with:\n    "}},
		{"premature", "echo ' Event generation aborted prematurely, owing to error!'\nzcat " + shared + " > \"$2\"\n", Config{},
			[]string{"Pythia gave up: Event generation aborted prematurely"}},
		{"crash", "echo 'Segmentation fault' >&2\nexit 139\n", Config{}, []string{"main42 on LHE failed: exit status 139; log", "    Segmentation fault"}},
		{"no output", "exit 0\n", Config{}, []string{"no HepMC output"}},
		{"empty", "printf 'HepMC::Version 3.01.02\\nHepMC::Asciiv3-START_EVENT_LISTING\\nHepMC::Asciiv3-END_EVENT_LISTING\\n' > \"$2\"\n", Config{}, []string{"Pythia wrote no events"}},
		{"truncated", "zcat " + shared + " | head -n 2000 > \"$2\"\n", Config{}, []string{"not terminated (file truncated?)", "hepmc: " + filepath.Join(dir, "zh.hepmc") + ":"}},
		{"missing program", "", Config{Program: filepath.Join(dir, "nope")}, []string{"shower: Pythia 8 program " + filepath.Join(dir, "nope") + " is not an executable file"}},
		{"too many", "", Config{Events: 6000}, []string{"6000 events asked for, but " + lhePath + " has 5000"}},
	} {
		cfg := tc.cfg
		if cfg.Program == "" {
			cfg.Program = standIn(t, tc.body)
		}
		if cfg.Events == 0 {
			cfg.Events = 10
		}
		out := filepath.Join(dir, "zh.hepmc")
		os.Remove(out)
		_, err := Run(context.Background(), cfg, lhePath, out)
		for _, w := range tc.want {
			w = strings.ReplaceAll(w, " LHE ", " "+lhePath+" ")
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v, want %q", tc.name, err, w)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: output written", tc.name)
		}
		noLeftovers(t, dir)
	}
}

// dropEvent returns the gzip-compressed HepMC3 file at path without its
// event number k.
func dropEvent(t *testing.T, path string, k int) []byte {
	t.Helper()
	s := string(repotest.ReadGzip(t, path))
	a := strings.Index(s, fmt.Sprintf("\nE %d ", k))
	b := strings.Index(s, fmt.Sprintf("\nE %d ", k+1))
	if a < 0 || b < 0 {
		t.Fatalf("%s has no events %d and %d", path, k, k+1)
	}
	return []byte(s[:a] + s[b:])
}

// noLeftovers fails if dir holds temporary files of a run.
func noLeftovers(t *testing.T, dir string) {
	t.Helper()
	for _, f := range extprog.Leftovers(dir) {
		t.Errorf("temporary file %s left behind", f)
	}
}

func TestRunBadLHE(t *testing.T) {
	dir := t.TempDir()
	prog := standIn(t, "exit 0\n")
	bad := writeFile(t, dir, "bad.lhe", "<LesHouchesEvents version=\"3.0\">\n<init>\n2212 2212 6.5e3 6.5e3 0 0 0 0 3 1\n1 0 1 1\n</init>\n<event>\n 1 1 1 1 1 1\n</event>\n")
	if _, err := Run(context.Background(), Config{Program: prog}, bad, filepath.Join(dir, "o.hepmc")); err == nil || !strings.Contains(err.Error(), "shower: could not read the LHE file: ") || !strings.Contains(err.Error(), "bad.lhe") {
		t.Errorf("bad LHE: %v", err)
	}
	if _, err := Run(context.Background(), Config{}, bad, filepath.Join(dir, "o.hepmc")); err == nil || !strings.Contains(err.Error(), "no Pythia 8 program") {
		t.Errorf("no program: %v", err)
	}
}
