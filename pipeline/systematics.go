// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"fmt"
	"slices"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/systematics"
)

// systematicsConfig maps the card's systematics section to package
// systematics.
func systematicsConfig(c *cards.Card) []systematics.Systematic {
	var out []systematics.Systematic
	for _, s := range c.Systematics {
		out = append(out, systematics.Systematic{Name: s.Name, Kind: systematics.Kind(s.Type), Value: s.Value,
			Scale: s.Scale, Factors: s.Factors, PDF: s.PDF, PDFID: s.PDFID, Members: s.Members})
	}
	return out
}

// buildNuisance derives the nuisance parameters of the card's
// systematics; only those some sample uses are listed in the files
// (all of them for a card without samples).
func buildNuisance(c *cards.Card) (*systematics.Model, error) {
	var used func(string) bool
	if len(c.Samples) > 0 {
		used = func(name string) bool {
			return slices.ContainsFunc(c.Samples, func(s cards.Sample) bool { return slices.Contains(s.Systematics, name) })
		}
	}
	m, err := systematics.New(systematicsConfig(c), used)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", c.Path, err)
	}
	return m, nil
}
