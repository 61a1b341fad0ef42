// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// eventOnly10 is a real Delphes file of ten events with only the Event
// and Weight branches: DelphesHepMC3 with testdata/minimal.tcl on the
// Pythia 8 shower of the first ten ZH events.
const eventOnly10 = "testdata/zh_eventonly_10ev.root"

// standIn returns a shell script standing in for a Delphes executable:
// it checks its arguments like DelphesHepMC2/3 (card, output, no input
// file: standard input), refuses to overwrite its output, copies its
// standard input to record and writes the ten-event Delphes file, after
// running extra.
func standIn(t *testing.T, record, extra string) string {
	t.Helper()
	fixture, err := filepath.Abs(eventOnly10)
	if err != nil {
		t.Fatal(err)
	}
	return `#!/bin/sh
echo "stand-in $0 called with $# arguments in $(pwd)"
[ $# = 2 ] || { echo "want 2 arguments"; exit 2; }
[ -f "$1" ] || { echo "cannot read card $1" >&2; exit 2; }
[ -e "$2" ] && { echo "output file $2 already exists" >&2; exit 2; }
{ echo "$(basename $0) $(basename $1)"; cat; } > ` + record + `
` + extra + `
cp ` + fixture + ` "$2"
echo "** Exiting..."
`
}

func writeExe(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
}

// hepmcEvents returns a HepMC file of version 2 or 3 with n events, ended
// by its END_EVENT_LISTING line when end.
func hepmcEvents(version, n int, end bool) string {
	head, event, foot := "HepMC::Version 3.02.05\nHepMC::Asciiv3-START_EVENT_LISTING\n", "E %d 0 0\n", "HepMC::Asciiv3-END_EVENT_LISTING\n"
	if version == 2 {
		head, event, foot = "HepMC::Version 2.06.09\nHepMC::IO_GenEvent-START_EVENT_LISTING\n", "E %d 0 0 0 0 20 -1 0 0 0 0 0\n", "HepMC::IO_GenEvent-END_EVENT_LISTING\n"
	}
	var b strings.Builder
	b.WriteString(head)
	for i := range n {
		fmt.Fprintf(&b, event, i)
	}
	if end {
		b.WriteString(foot)
	}
	return b.String()
}

func TestRun(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh for the stand-in Delphes")
	}
	dir := t.TempDir()
	record := filepath.Join(dir, "stdin.txt")
	delphesDir := filepath.Join(dir, "Delphes-3.5.0")
	writeExe(t, filepath.Join(delphesDir, "DelphesHepMC2"), standIn(t, record, ""))
	writeExe(t, filepath.Join(delphesDir, "bin", "DelphesHepMC3"), standIn(t, record, ""))
	if err := os.MkdirAll(filepath.Join(delphesDir, "cards"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(delphesDir, "cards", "card.tcl"), []byte("set ExecutionPath {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	cfg := RunConfig{Dir: delphesDir, Card: "cards/card.tcl", Progress: &progress}

	v2, v3 := hepmcEvents(2, 10, true), hepmcEvents(3, 10, true)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(v3))
	zw.Close()
	for _, tc := range []struct {
		name, content, binary, want string
	}{
		{"v2.hepmc", v2, "DelphesHepMC2", v2},
		{"v3.hepmc", v3, "DelphesHepMC3", v3},
		{"v3.hepmc.gz", gz.String(), "DelphesHepMC3", v3}, // decompressed into stdin
	} {
		in := filepath.Join(dir, tc.name)
		if err := os.WriteFile(in, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, tc.name+".root")
		if err := Run(context.Background(), cfg, in, out); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := os.ReadFile(record)
		if err != nil {
			t.Fatal(err)
		}
		if want := tc.binary + " card.tcl\n" + tc.want; string(got) != want {
			t.Errorf("%s: Delphes read %q, want %q", tc.name, got, want)
		}
		if tr, err := OpenTree(out, DefaultTree); err != nil || tr.Entries() != 10 {
			t.Errorf("%s: output: %v", tc.name, err)
		} else {
			tr.Close()
		}
		log, err := os.ReadFile(out + ".log")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(log), "** Exiting...") || !strings.Contains(string(log), "in "+delphesDir) {
			t.Errorf("%s: log %q lacks Delphes' output or the working directory", tc.name, log)
		}
		// A second run replaces the output (Delphes itself would refuse).
		if err := Run(context.Background(), cfg, in, out); err != nil {
			t.Errorf("%s: second run: %v", tc.name, err)
		}
	}
	if !strings.Contains(progress.String(), "delphes: v3.hepmc.gz: 10 events (100%)\n") {
		t.Errorf("progress %q", progress.String())
	}

	// A seed: Delphes reads a card that sources the detector card and
	// sets RandomSeed.
	seeded := cfg
	seeded.Seed = 77
	if err := Run(context.Background(), seeded, filepath.Join(dir, "v3.hepmc"), filepath.Join(dir, "seeded.root")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(record); !strings.HasPrefix(string(got), "DelphesHepMC3 seeded.root.tcl\n") {
		t.Errorf("seeded run read card %q", strings.SplitN(string(got), "\n", 2)[0])
	}
	want := "# Delphes card written by goldmine: cards/card.tcl with the random seed of the run\nsource {Delphes-3.5.0/cards/card.tcl}\nset RandomSeed 77\n"
	if got, _ := os.ReadFile(filepath.Join(dir, "seeded.root.tcl")); string(got) != want {
		t.Errorf("seeded card %q, want %q", got, want)
	}
	for _, seed := range []int64{-1, MaxSeed + 1} {
		seeded.Seed = seed
		if err := Run(context.Background(), seeded, filepath.Join(dir, "v3.hepmc"), filepath.Join(dir, "seeded.root")); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("seed %d: %v", seed, err)
		}
	}

	in3 := filepath.Join(dir, "v3.hepmc")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name string
		cfg  RunConfig
		in   string
		exe  string // replaces bin/DelphesHepMC3
		want []string
	}{
		{name: "no binary", cfg: RunConfig{Dir: dir, Card: cfg.Card}, in: in3, want: []string{"no executable DelphesHepMC3 in Delphes directory " + dir}},
		{name: "no dir", cfg: RunConfig{Card: cfg.Card}, in: in3, want: []string{"no Delphes directory"}},
		{name: "no card", cfg: RunConfig{Dir: delphesDir, Card: "cards/nope.tcl"}, in: in3, want: []string{"detector card cards/nope.tcl not found"}},
		{name: "bad input", cfg: cfg, in: filepath.Join(dir, "missing.hepmc"), want: []string{"could not read input"}},
		{name: "fewer events", cfg: cfg, in: write("nine.hepmc", hepmcEvents(3, 9, true)),
			want: []string{"DelphesHepMC3 on " + filepath.Join(dir, "nine.hepmc") + " failed: Delphes wrote 10 events but the input has 9; log ", "** Exiting..."}},
		{name: "truncated", cfg: cfg, in: write("trunc.hepmc", hepmcEvents(3, 10, false)),
			want: []string{"failed: the input ends after 10 events without its END_EVENT_LISTING line (truncated file?)"}},
		{name: "error line", cfg: cfg, in: in3, exe: standIn(t, record, `printf '** [####-----] (40%%)** ERROR: invalid particle format\n'`),
			want: []string{"failed: Delphes reported ** ERROR: invalid particle format; log"}},
		// A crashing Delphes: the error names the exit status and shows the log.
		{name: "crash", cfg: RunConfig{Dir: delphesDir, Card: cfg.Card, LogFile: filepath.Join(dir, "logs-crash.txt")}, in: in3,
			exe:  "#!/bin/sh\necho 'ERROR: cannot find module Calorimeter' >&2\nexit 3\n",
			want: []string{"delphes: DelphesHepMC3 on " + in3 + " failed: exit status 3; log " + filepath.Join(dir, "logs-crash.txt") + " ends with:\n", "    ERROR: cannot find module Calorimeter"}},
		// A Delphes that exits cleanly but writes nothing.
		{name: "silent", cfg: cfg, in: in3, exe: "#!/bin/sh\ncat > /dev/null\nexit 0\n", want: []string{"failed: Delphes wrote no output"}},
		{name: "not root", cfg: cfg, in: in3, exe: "#!/bin/sh\ncat > \"$2\"\n", want: []string{"failed: the output is not a readable Delphes file"}},
	} {
		if tc.exe != "" {
			writeExe(t, filepath.Join(delphesDir, "bin", "DelphesHepMC3"), tc.exe)
		}
		out := filepath.Join(dir, "fail.root")
		err := Run(context.Background(), tc.cfg, tc.in, out)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v, want %q", tc.name, err, w)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: output written", tc.name)
		}
		if tc.exe != "" {
			writeExe(t, filepath.Join(delphesDir, "bin", "DelphesHepMC3"), standIn(t, record, ""))
		}
	}

	// An interrupt: a Delphes that, like the real one, stops on SIGINT
	// and exits cleanly with a complete-looking file.
	writeExe(t, filepath.Join(delphesDir, "bin", "DelphesHepMC3"), standIn(t, record,
		"trap 'cp "+filepath.Join(repoDir(t), eventOnly10)+" \"$2\"; exit 0' INT\necho started\nwhile :; do sleep 0.05; done"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfgInt := cfg
	cfgInt.Progress = nil
	go func() {
		for range 200 {
			if b, _ := os.ReadFile(in3 + ".root.log"); bytes.Contains(b, []byte("started")) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
	}()
	out := filepath.Join(dir, "int.root")
	cfgInt.LogFile = in3 + ".root.log"
	err := Run(ctx, cfgInt, in3, out)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "DelphesHepMC3 on "+in3+" failed: interrupted") {
		t.Errorf("interrupt: %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("interrupt: output written")
	}

	// Leftover temporary files are removed.
	noPartial(t, dir)
}

func repoDir(t *testing.T) string {
	t.Helper()
	d, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return d
}
