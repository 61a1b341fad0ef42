// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// TestRunNoEvents: a sample whose LHE or HepMC file has a header and no
// event is an error naming the file and the sample.
func TestRunNoEvents(t *testing.T) {
	dir := t.TempDir()
	head, _ := repotest.LHEEvents(t, string(repotest.ReadGzip(t, repotest.BundledZH(t))), 0)
	lhePath := repotest.WriteLHE(t, dir, "empty.lhe", head)
	hepmcPath := filepath.Join(dir, "empty.hepmc")
	text := "HepMC::Version 3.01.02\nHepMC::Asciiv3-START_EVENT_LISTING\n" +
		`W Weight\|AUX_morphing_basis_vector_1\|AUX_morphing_basis_vector_2\|AUX_morphing_basis_vector_3\|AUX_morphing_basis_vector_4\|AUX_morphing_basis_vector_5` + "\n" +
		"HepMC::Asciiv3-END_EVENT_LISTING\n"
	if err := os.WriteFile(hepmcPath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		s    Sample
		path string
	}{
		{"lhe", Sample{Name: "zh", LHE: lhePath, SampledFrom: "sm"}, lhePath},
		{"hepmc", Sample{Name: "zh", HepMC: hepmcPath, SampledFrom: "sm"}, hepmcPath},
	} {
		cfg := zhConfig(t)
		cfg.Samples = []Sample{tc.s}
		_, err := Run(filepath.Join(dir, tc.name+".h5"), cfg)
		want := "analysis: " + tc.path + ": sample zh has no events"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", tc.name, err, want)
		}
	}
}
