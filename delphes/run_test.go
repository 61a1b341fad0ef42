// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// standIn is a shell script standing in for a Delphes executable: it
// checks its arguments like DelphesHepMC2/3 (card, output, optional
// input, standard input otherwise), refuses to overwrite its output and
// copies its input into it, prefixed by its own name and card.
const standIn = `#!/bin/sh
echo "stand-in $0 called with $# arguments in $(pwd)"
[ -f "$1" ] || { echo "cannot read card $1" >&2; exit 2; }
[ -e "$2" ] && { echo "output file $2 already exists" >&2; exit 2; }
{ echo "$(basename $0) $(basename $1)"; if [ -n "$3" ]; then cat "$3"; else cat; fi; } > "$2"
echo "** Exiting..."
`

func writeExe(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestRun(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh for the stand-in Delphes")
	}
	dir := t.TempDir()
	delphesDir := filepath.Join(dir, "Delphes-3.5.0")
	writeExe(t, filepath.Join(delphesDir, "DelphesHepMC2"), standIn)
	writeExe(t, filepath.Join(delphesDir, "bin", "DelphesHepMC3"), standIn)
	if err := os.MkdirAll(filepath.Join(delphesDir, "cards"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(delphesDir, "cards", "card.tcl"), []byte("set ExecutionPath {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := RunConfig{Dir: delphesDir, Card: "cards/card.tcl"}

	v2 := "HepMC::Version 2.06.09\nHepMC::IO_GenEvent-START_EVENT_LISTING\nE 1 0 0 0 0 20 -1 0 0 0 0 0\nHepMC::IO_GenEvent-END_EVENT_LISTING\n"
	v3 := "HepMC::Version 3.02.05\nHepMC::Asciiv3-START_EVENT_LISTING\nE 0 0 0\nHepMC::Asciiv3-END_EVENT_LISTING\n"
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
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if want := tc.binary + " card.tcl\n" + tc.want; string(got) != want {
			t.Errorf("%s: output %q, want %q", tc.name, got, want)
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

	in3 := filepath.Join(dir, "v3.hepmc")
	for _, tc := range []struct {
		name string
		cfg  RunConfig
		in   string
		want string
	}{
		{"no binary", RunConfig{Dir: dir, Card: cfg.Card}, in3, "no executable DelphesHepMC3 in Delphes directory " + dir},
		{"no dir", RunConfig{Card: cfg.Card}, in3, "no Delphes directory"},
		{"no card", RunConfig{Dir: delphesDir, Card: "cards/nope.tcl"}, in3, "detector card cards/nope.tcl not found"},
		{"bad input", cfg, filepath.Join(dir, "missing.hepmc"), "could not read input"},
	} {
		out := filepath.Join(dir, "fail.root")
		err := Run(context.Background(), tc.cfg, tc.in, out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: output written", tc.name)
		}
	}

	// A crashing Delphes: the error names the exit status and shows the log.
	writeExe(t, filepath.Join(delphesDir, "bin", "DelphesHepMC3"), "#!/bin/sh\necho 'ERROR: cannot find module Calorimeter' >&2\nexit 3\n")
	out := filepath.Join(dir, "crash.root")
	logPath := filepath.Join(dir, "logs-crash.txt")
	err := Run(context.Background(), RunConfig{Dir: delphesDir, Card: cfg.Card, LogFile: logPath}, in3, out)
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), logPath) || !strings.Contains(err.Error(), "cannot find module Calorimeter") {
		t.Errorf("crash: error %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("crash: output written")
	}
	// A Delphes that exits cleanly but writes nothing.
	writeExe(t, filepath.Join(delphesDir, "bin", "DelphesHepMC3"), "#!/bin/sh\nexit 0\n")
	if err := Run(context.Background(), cfg, in3, out); err == nil || !strings.Contains(err.Error(), "wrote no output") {
		t.Errorf("silent Delphes: error %v", err)
	}
	// Leftover temporary files are removed.
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
