// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

func TestSections(t *testing.T) {
	c, err := Load(filepath.Join(repotest.Root(t), "cards", "zh.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := SectionNames()
	for _, want := range []string{"workdir", "seed", "parameters", "samples", "fisher", "limits", "plots", "study"} {
		if !slices.Contains(names, want) {
			t.Errorf("SectionNames lacks %s: %v", want, names)
		}
	}
	s, err := c.Sections("plots", "parameters")
	if err != nil {
		t.Fatal(err)
	}
	if s.Path != c.Path || s.Plots != c.Plots || len(s.Parameters) != 2 || s.Fisher != nil || s.Samples != nil || s.Sampling != nil {
		t.Errorf("Sections(plots, parameters) = %+v", s)
	}
	if _, err := c.Sections("plot"); err == nil {
		t.Error("unknown section accepted")
	}

	// The encoding changes with the sections named and only with them.
	enc := func(c *Card, names ...string) []byte {
		b, err := c.EncodeSections(names...)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a := enc(c, "plots", "fisher")
	if !bytes.Equal(a, enc(c, "fisher", "plots")) {
		t.Error("encoding depends on the order of the names")
	}
	d := *c
	lim := *c.Limits
	lim.Luminosity *= 2
	d.Limits = &lim
	if !bytes.Equal(a, enc(&d, "plots", "fisher")) {
		t.Error("editing limits changed the encoding of plots and fisher")
	}
	fi := *c.Fisher
	fi.Items = append(slices.Clone(fi.Items), FisherItem{Name: "extra", Kind: "rate"})
	d.Fisher = &fi
	if bytes.Equal(a, enc(&d, "plots", "fisher")) {
		t.Error("editing fisher did not change the encoding")
	}
}
