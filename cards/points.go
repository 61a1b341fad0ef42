// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"fmt"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// Points is a list of parameter points. In a card it is one point, a list
// of numbers (theta: [0, 0]), or several, a list of such lists (theta:
// [[0, 0], [0.2, -0.1]]).
type Points [][]float64

// UnmarshalYAML implements yaml.Unmarshaler: a list of numbers is one
// point.
func (p *Points) UnmarshalYAML(n *yaml.Node) error {
	if isPoint(n) {
		var one []float64
		if err := n.Decode(&one); err != nil {
			return err
		}
		*p = Points{one}
		return nil
	}
	var many [][]float64
	if err := n.Decode(&many); err != nil {
		return err
	}
	*p = many
	return nil
}

// isPoint reports whether n is one point: a list of scalars (or the empty
// list, an empty point that validation then rejects).
func isPoint(n *yaml.Node) bool {
	if n.Kind != yaml.SequenceNode {
		return false
	}
	for _, e := range n.Content {
		for e.Kind == yaml.AliasNode {
			e = e.Alias
		}
		if e.Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}

// checkPoints checks the YAML node of a Points value as checkNode does
// for its other types: a list of numbers or a list of lists of numbers.
func checkPoints(n *yaml.Node, path, file string, lines map[string]int) error {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	lines[path] = n.Line
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return &Error{File: file, Line: n.Line, Key: path, Msg: fmt.Sprintf("want a point (a list of numbers) or a list of points, got %s", describe(n))}
	}
	t := reflect.TypeOf([][]float64{})
	if isPoint(n) {
		t = t.Elem()
	}
	return checkNode(n, t, path, file, lines)
}

var pointsType = reflect.TypeOf(Points{})

// Compat selects whose conventions a stage follows where goldmine
// deliberately differs from MadMiner (README, "Where goldmine deliberately
// differs from MadMiner"). The card loader accepts only the values below.
type Compat string

// The conventions.
const (
	// CompatGoldmine is goldmine's conventions (the default).
	CompatGoldmine Compat = "goldmine"
	// CompatMadMiner is MadMiner's, so that its numbers are reproduced.
	CompatMadMiner Compat = "madminer"
)

// MadMiner reports whether c selects MadMiner's conventions.
func (c Compat) MadMiner() bool { return c == CompatMadMiner }

// compat checks the conventions c at key.
func (v *validator) compat(key string, c Compat) error {
	switch c {
	case CompatGoldmine, CompatMadMiner:
		return nil
	}
	return v.errAt(key, "want %s or %s, got %q", CompatGoldmine, CompatMadMiner, c)
}

// points checks that every point of p has n values.
func (v *validator) points(key string, p Points, n int) error {
	if len(p) == 0 {
		return v.errAt(key, "want at least one point of %d values", n)
	}
	for i, th := range p {
		if len(th) != n {
			if len(p) == 1 {
				return v.errAt(key, "want %d values, got %d", n, len(th))
			}
			return v.errAt(fmt.Sprintf("%s[%d]", key, i), "want %d values, got %d", n, len(th))
		}
	}
	return nil
}
