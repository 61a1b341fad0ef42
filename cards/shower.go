// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"strings"
	"time"
)

// shower checks the shower section.
func (v *validator) shower(c *Card) error {
	sh := c.Shower
	if sh == nil {
		return nil
	}
	if c.MadGraph != nil && c.MadGraph.Pythia8Card != "" {
		return v.errAt("shower", "the madgraph section showers its events with MG5's Pythia 8 interface (pythia8_card): drop one of the two")
	}
	if sh.Timeout != "" {
		if _, err := time.ParseDuration(sh.Timeout); err != nil {
			return v.errAt("shower.timeout", "want a duration such as 2h or 90m: %v", err)
		}
	}
	for i, l := range sh.Settings {
		if strings.ContainsAny(l, "\n\r") {
			return v.errAt("shower.settings", "setting %d spans lines", i+1)
		}
	}
	return nil
}
