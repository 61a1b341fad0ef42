// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"strings"
	"testing"
)

// Names read from a madminer sample's file follow the card's naming rule
// (CheckName, as the card's own names).
func TestCheckImportedName(t *testing.T) {
	for _, name := range []string{"sm", "morphing_basis_vector_1", "c.W-2", "CWL2", strings.Repeat("x", MaxNameLen)} {
		if err := CheckName(name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	for _, name := range []string{"", "-x", ".x", "..", "a b", "a/b", `a\b`, "é", "a\x00", strings.Repeat("x", MaxNameLen+1)} {
		if err := CheckName(name); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
}

// Without a reader of madminer files (Options.MadMinerSetup), a card
// that leaves the setup to the file has no parameters; one that gives
// them loads, with its benchmark references left to the stages.
func TestMadMinerSampleWithoutReader(t *testing.T) {
	_, err := Parse([]byte("samples:\n  - {name: zh, madminer: zh.h5}\n"), "mm.yaml", Options{})
	if err == nil || !strings.Contains(err.Error(), "at least one parameter is needed") {
		t.Errorf("no parameters: %v", err)
	}
	c, err := Parse([]byte(`parameters:
  - {name: cHW, lha_block: smeft, lha_id: 7}
samples:
  - {name: zh, madminer: zh.h5}
sampling:
  samples:
    - {name: s, method: local, theta: {benchmark: sm}, n_samples: 10}
`), "mm.yaml", Options{})
	if err != nil || !c.HasMadMinerSamples() || c.Imported != nil {
		t.Errorf("card %+v, %v", c, err)
	}
}
