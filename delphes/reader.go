// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"fmt"
	"slices"
	"strings"
)

// DefaultTree is the name of the tree Delphes writes.
const DefaultTree = "Delphes"

// Options configures a Reader.
type Options struct {
	// Tree is the name of the tree; "" means DefaultTree.
	Tree string

	// Collections names the Delphes branches to read: any of Event,
	// Weight, Electron, Muon, Photon, Jet, MissingET, ScalarHT, Particle,
	// GenJet and GenMissingET. A requested collection that the file
	// lacks is an error. nil means every one of them that the file holds.
	// Event is read whenever the file has it, requested or not, for the
	// event number and weight.
	Collections []string

	// Branches overrides the branch a collection is read from, for
	// detector cards that name their outputs differently, e.g.
	// {"Jet": "JetPUPPI", "MissingET": "PuppiMissingET"} for the CMS
	// Phase-II card. The branch must hold objects of the collection's
	// Delphes class.
	Branches map[string]string

	// PairKey reads, besides Collections, what DelphesKey needs where the
	// file has it: the Weight branch, and the Particle collection when
	// the Event branch lacks the incoming partons (ID1, ID2, X1, X2).
	PairKey bool
}

// Reader streams the events of a Delphes ROOT file.
//
//	r, err := delphes.Open(path, delphes.Options{Collections: []string{"Jet", "MissingET"}})
//	...
//	defer r.Close()
//	for r.Next() {
//		ev := r.Event()
//		...
//	}
//	if err := r.Err(); err != nil { ... }
type Reader struct {
	tree  *Tree
	names []string
	cols  []*Clones
	fills []func(*Event, *Clones, int)

	entry int64
	ev    Event
	err   error
}

// Open opens the Delphes file at path for reading the collections named
// in opts.
func Open(path string, opts Options) (*Reader, error) {
	name := opts.Tree
	if name == "" {
		name = DefaultTree
	}
	t, err := OpenTree(path, name)
	if err != nil {
		return nil, err
	}
	present := t.Branches()
	branch := func(c string) string {
		if b, ok := opts.Branches[c]; ok {
			return b
		}
		return c
	}
	for c := range opts.Branches {
		if _, ok := collections[c]; !ok {
			t.Close()
			return nil, fmt.Errorf("delphes: %s: unknown collection %q in Branches (known: %s)", path, c, strings.Join(collectionNames, ", "))
		}
	}
	var want []string
	if opts.Collections == nil {
		for _, c := range collectionNames {
			if slices.Contains(present, branch(c)) {
				want = append(want, c)
			}
		}
	} else {
		for _, c := range opts.Collections {
			if _, ok := collections[c]; !ok {
				t.Close()
				return nil, fmt.Errorf("delphes: %s: unknown collection %q (known: %s)", path, c, strings.Join(collectionNames, ", "))
			}
			if !slices.Contains(present, branch(c)) {
				t.Close()
				return nil, fmt.Errorf("delphes: %s: collection %q requested but tree %q has no branch %q (branches: %s)",
					path, c, name, branch(c), strings.Join(present, ", "))
			}
		}
		for _, c := range collectionNames {
			if slices.Contains(opts.Collections, c) || (c == "Event" && slices.Contains(present, branch(c))) {
				want = append(want, c)
			}
		}
	}
	if opts.PairKey && opts.Collections != nil {
		add := func(c string) {
			if !slices.Contains(want, c) && slices.Contains(present, branch(c)) {
				want = append(want, c)
			}
		}
		add("Weight")
		if ev := t.meta.find(branch("Event")); ev == nil || ev.find(branch("Event")+".ID1") == nil {
			add("Particle")
		}
		slices.SortFunc(want, func(a, b string) int { return slices.Index(collectionNames, a) - slices.Index(collectionNames, b) })
	}
	r := &Reader{tree: t, entry: -1}
	for _, c := range want {
		spec := collections[c]
		cl, err := t.optionalClones(branch(c), spec.members, spec.optional)
		if err != nil {
			t.Close()
			return nil, err
		}
		r.names = append(r.names, c)
		r.cols = append(r.cols, cl)
		r.fills = append(r.fills, spec.fill)
	}
	return r, nil
}

// Entries returns the number of events in the file.
func (r *Reader) Entries() int64 { return r.tree.Entries() }

// Collections returns the names of the collections being read.
func (r *Reader) Collections() []string { return slices.Clone(r.names) }

// Next reads the next event. It returns false at the end of the file or
// on error; Err tells them apart.
func (r *Reader) Next() bool {
	if r.err != nil || r.tree.f == nil {
		return false
	}
	if r.entry+1 >= r.tree.Entries() {
		return false
	}
	r.entry++
	r.ev.Entry = r.entry
	for i, c := range r.cols {
		n, err := c.Read(r.entry)
		if err != nil {
			r.err = err
			return false
		}
		r.fills[i](&r.ev, c, n)
	}
	return true
}

// Event returns the event read by the last call to Next. It is reused by
// the next call to Next.
func (r *Reader) Event() *Event { return &r.ev }

// Err returns the first error met by Next.
func (r *Reader) Err() error { return r.err }

// Close closes the file. It is idempotent and does not change Err.
func (r *Reader) Close() error { return r.tree.Close() }

// objectCollections maps the object names of MadMiner's observable
// expressions to the Delphes collections they need.
var objectCollections = map[string][]string{
	"e":       {"Electron"},
	"mu":      {"Muon"},
	"l":       {"Electron", "Muon"},
	"a":       {"Photon"},
	"j":       {"Jet"},
	"met":     {"MissingET"},
	"visible": {"Electron", "Muon", "Photon", "Jet"},
	"all":     {"Electron", "Muon", "Photon", "Jet", "MissingET"},
	"p":       {"Particle"},
	"genjet":  {"GenJet"},
	"genmet":  {"GenMissingET"},
	"ht":      {"ScalarHT"},
}

// CollectionsFor returns the Delphes collections needed by observables
// that use the given objects, in the object names of MadMiner's
// expressions: e, mu, l, a, j, met, visible, all, plus p (generator
// particles), genjet, genmet and ht. The result suits Options.Collections.
// An unknown name is an error.
func CollectionsFor(objects ...string) ([]string, error) {
	var need []string
	for _, o := range objects {
		cs, ok := objectCollections[o]
		if !ok {
			return nil, fmt.Errorf("delphes: unknown object %q", o)
		}
		need = append(need, cs...)
	}
	out := []string{}
	for _, c := range collectionNames {
		if slices.Contains(need, c) {
			out = append(out, c)
		}
	}
	return out, nil
}
