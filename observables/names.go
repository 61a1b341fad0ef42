// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import "fmt"

// NameError is the error of CheckName.
type NameError struct {
	Name   string
	Reason string
}

func (e *NameError) Error() string {
	return fmt.Sprintf("observables: name %q %s", e.Name, e.Reason)
}

// pyKeywords are Python's reserved words: no expression could refer to an
// observable of such a name.
var pyKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true,
	"def": true, "del": true, "elif": true, "else": true, "except": true,
	"finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "in": true, "is": true, "lambda": true, "nonlocal": true,
	"not": true, "or": true, "pass": true, "raise": true, "return": true,
	"try": true, "while": true, "with": true, "yield": true,
}

// CheckName reports whether name can name an observable, returning a
// *NameError if not. As MadMiner asks (its observable names are used in the
// eval() of cuts), a name is a Python identifier: ASCII letters, digits and
// _, not starting with a digit; it must not be a Python keyword, and names
// starting with __ are reserved.
//
// The names of event objects, event numbers and functions (e, mu, j, a, l,
// v, tau, p, met, visible, all, scale, ht, weight, pi, sqrt, sum, ...) are
// allowed, as in MadMiner. Observables and objects live in two namespaces:
// an observable definition sees only the objects (as in MadMiner, where
// observables cannot refer to each other), and in cuts and efficiencies,
// which also see the observables, a name followed by '.', '[' or '(' (met.pt,
// e[0], sqrt(x)) means the object or function, and any other use of the
// name (met > 20) means the observable. Where MadMiner evaluates such a cut,
// it gives the same value, since its observable value shadows the object
// and met.pt on a number fails there.
func CheckName(name string) error {
	switch {
	case name == "":
		return &NameError{name, "is empty"}
	case !isIdentStart(name[0]):
		return &NameError{name, "must start with a letter or _ (MadMiner uses observable names as Python identifiers in cuts)"}
	}
	for i := 1; i < len(name); i++ {
		if !isIdentStart(name[i]) && !isDigit(name[i]) {
			return &NameError{name, fmt.Sprintf("has the character %q: names are letters, digits and _ (MadMiner uses observable names as Python identifiers in cuts)", name[i])}
		}
	}
	switch {
	case pyKeywords[name]:
		return &NameError{name, "is a Python keyword"}
	case len(name) >= 2 && name[:2] == "__":
		return &NameError{name, "starts with __, which is reserved"}
	}
	return nil
}
