// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"strings"
	"testing"
)

func TestShowerSection(t *testing.T) {
	const madgraph = "madgraph:\n  proc_card: p.dat\n  param_card_template: t.dat\n  pythia8_card: py8.dat\n"
	for _, tc := range []struct {
		name, add string
		want      string // "" for a valid card
	}{
		{"valid", "shower:\n  program: bin/main42\n  command_file: tune.cmnd\n  settings: [\"PartonLevel:MPI = off\"]\n  timeout: 10m\n", ""},
		{"empty", "shower: {}\n", ""},
		{"bad timeout", "shower:\n  timeout: soon\n", "shower.timeout"},
		{"unknown key", "shower:\n  programme: main42\n", "shower.programme"},
		{"setting over lines", "shower:\n  settings: [\"A = 1\\nB = 2\"]\n", "setting 1 spans lines"},
		{"MG5's shower too", madgraph + "shower:\n  program: main42\n", "MG5's Pythia 8 interface"},
		{"MG5's shower alone", madgraph, ""},
		{"HepMC and LHE without Delphes", "", "give lhe or hepmc"},
		{"HepMC and LHE with Delphes", "delphes:\n  card: cards/delphes_card_CMS.tcl\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := base + tc.add
			if strings.HasPrefix(tc.name, "HepMC and LHE") {
				src = strings.Replace(src, "    lhe: s.lhe.gz\n", "    lhe: s.lhe.gz\n    hepmc: s.hepmc\n", 1)
			}
			c, err := Parse([]byte(src), "c.yaml", Options{})
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want %q", err, tc.want)
			case tc.name == "valid" && (c.Shower.Program != "bin/main42" || c.Shower.Timeout != "10m" || len(c.Shower.Settings) != 1):
				t.Errorf("shower section %+v", c.Shower)
			}
		})
	}
}
