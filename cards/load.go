// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a card error with its position.
type Error struct {
	File string // card file
	Line int    // 1-based line, 0 if unknown
	Key  string // key path, e.g. parameters[1].range
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("cards: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Options tunes Load.
type Options struct {
	// CheckExpr checks an observable, cut or efficiency expression. known
	// lists the names an expression may refer to besides the event objects
	// (earlier observables, for cuts and efficiencies). When nil, only the
	// syntax is checked.
	CheckExpr func(src string, known []string) error
	// MadMinerSetup reads the setup of the events file of a madminer
	// sample (samples[].madminer), from which Load fills the sections the
	// card leaves out (Card.Imported). When nil, nothing is filled in.
	MadMinerSetup func(path string) (*FileSetup, error)
}

// Load reads, checks and completes the card at path.
func Load(path string, opts Options) (*Card, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cards: could not read card: %w", err)
	}
	return Parse(data, path, opts)
}

// Parse reads a card from data; name is used in errors and to resolve
// relative paths.
func Parse(data []byte, name string, opts Options) (*Card, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: name, Msg: "card is empty"}
	}
	var root yaml.Node
	docs := yaml.NewDecoder(bytes.NewReader(data))
	if err := docs.Decode(&root); err != nil {
		return nil, yamlError(name, err)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: name, Msg: "card is empty"}
	}
	// A second document (after ---) would be ignored by the decoder.
	var next yaml.Node
	switch err := docs.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		return nil, yamlError(name, err)
	default:
		return nil, &Error{File: name, Line: next.Line, Msg: "a second YAML document starts here: a card is one document (remove the --- line or split the card)"}
	}
	doc := root.Content[0]
	lines := make(map[string]int)
	if err := checkNode(doc, reflect.TypeOf(Card{}), "", name, lines); err != nil {
		return nil, err
	}
	var c Card
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, yamlError(name, err)
	}
	c.Path = name
	v := validator{file: name, lines: lines, opts: opts}
	if err := v.importSetup(&c); err != nil {
		return nil, err
	}
	applyDefaults(&c, lines)
	if err := v.card(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

// yamlError converts a yaml error ("yaml: line 3: ...") to an *Error.
func yamlError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = strings.TrimSpace(msg)
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.IndexByte(rest, ':'); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line = n
				msg = strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return &Error{File: file, Line: line, Msg: msg}
}

// checkNode walks the YAML tree against the Go type, rejecting unknown and
// duplicate keys and scalars of the wrong kind, and records the line of
// every key path.
func checkNode(n *yaml.Node, t reflect.Type, path, file string, lines map[string]int) error {
	if t == pointsType {
		return checkPoints(n, path, file, lines)
	}
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	lines[path] = n.Line
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	fail := func(format string, args ...any) error {
		return &Error{File: file, Line: n.Line, Key: path, Msg: fmt.Sprintf(format, args...)}
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return fail("want a mapping, got %s", describe(n))
		}
		fields := make(map[string]reflect.StructField)
		var known []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			fields[tag] = f
			known = append(known, tag)
		}
		return checkMapping(n, path, file, lines, func(k *yaml.Node, kp string) (reflect.Type, error) {
			f, ok := fields[k.Value]
			if !ok {
				return nil, &Error{File: file, Line: k.Line, Key: kp, Msg: fmt.Sprintf("unknown key %q (known: %s)", k.Value, strings.Join(known, ", "))}
			}
			return f.Type, nil
		})
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return fail("want a mapping, got %s", describe(n))
		}
		return checkMapping(n, path, file, lines, func(*yaml.Node, string) (reflect.Type, error) { return t.Elem(), nil })
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return fail("want a list, got %s", describe(n))
		}
		if t.Kind() == reflect.Array && len(n.Content) != t.Len() {
			return fail("want a list of %d values, got %d", t.Len(), len(n.Content))
		}
		for i, e := range n.Content {
			if err := checkNode(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), file, lines); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return fail("want a string, got %s", describe(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return fail("want true or false, got %s", describe(n))
		}
	case reflect.Int, reflect.Int64, reflect.Uint64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			return fail("want an integer, got %s", describe(n))
		}
		if t.Kind() == reflect.Uint64 && strings.HasPrefix(n.Value, "-") {
			return fail("want a non-negative integer, got %s", n.Value)
		}
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			return fail("want a number, got %s", describe(n))
		}
		var f float64
		if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fail("want a finite number, got %s", n.Value)
		}
	}
	return nil
}

// checkMapping checks the entries of the mapping n in order: it rejects a
// duplicate key, asks typeOf for the type of the key's value (typeOf
// rejects an unknown key), checks the value against it and records the
// line of the key's path.
func checkMapping(n *yaml.Node, path, file string, lines map[string]int, typeOf func(k *yaml.Node, kp string) (reflect.Type, error)) error {
	seen := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		kp := join(path, k.Value)
		if prev, dup := seen[k.Value]; dup {
			return &Error{File: file, Line: k.Line, Key: kp, Msg: fmt.Sprintf("duplicate key (first at line %d)", prev)}
		}
		seen[k.Value] = k.Line
		t, err := typeOf(k, kp)
		if err != nil {
			return err
		}
		if err := checkNode(val, t, kp, file, lines); err != nil {
			return err
		}
		lines[kp] = k.Line
	}
	return nil
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		kind := strings.TrimPrefix(n.Tag, "!!")
		return fmt.Sprintf("%s %q", kind, n.Value)
	}
	return "something else"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// ResolvePath returns p relative to the card's directory unless absolute.
func (c *Card) ResolvePath(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(c.Path), p)
}

// ParameterNames returns the names of the parameters, in order.
func (c *Card) ParameterNames() []string {
	names := make([]string, len(c.Parameters))
	for i, p := range c.Parameters {
		names[i] = p.Name
	}
	return names
}

// ParameterIndex returns the index of the named parameter.
func (c *Card) ParameterIndex(name string) (int, bool) {
	for i, p := range c.Parameters {
		if p.Name == name {
			return i, true
		}
	}
	return -1, false
}

// BenchmarkIndex returns the index of the named benchmark.
func (c *Card) BenchmarkIndex(name string) (int, bool) {
	for i, b := range c.Benchmarks {
		if b.Name == name {
			return i, true
		}
	}
	return -1, false
}

// BenchmarkValues returns the benchmark's values in parameter order.
func (c *Card) BenchmarkValues(b Benchmark) []float64 {
	v := make([]float64, len(c.Parameters))
	for i, p := range c.Parameters {
		v[i] = b.Values[p.Name]
	}
	return v
}

// RatioTheta1 returns the denominator hypothesis θ1 of the ratio model
// the training entry named training trains, when the card's ratio sample
// for it has a single θ1: a benchmark name or a point (the other result
// is empty). ok is false otherwise.
func (c *Card) RatioTheta1(training string) (benchmark string, point []float64, ok bool) {
	ti := slices.IndexFunc(c.Training, func(t Training) bool { return t.Name == training })
	if ti < 0 || c.Sampling == nil {
		return "", nil, false
	}
	si := slices.IndexFunc(c.Sampling.Samples, func(s SampleSpec) bool { return s.Name == c.Training[ti].Sample })
	if si < 0 || c.Sampling.Samples[si].Method != "ratio" || c.Sampling.Samples[si].Theta1 == nil {
		return "", nil, false
	}
	switch t := c.Sampling.Samples[si].Theta1; {
	case t.Benchmark != "":
		return t.Benchmark, nil, true
	case len(t.Benchmarks) == 1:
		return t.Benchmarks[0], nil, true
	case t.Point != nil:
		return "", t.Point, true
	case len(t.Points) == 1:
		return "", t.Points[0], true
	}
	return "", nil, false
}

// ErrNoSection is returned by stages whose card section is absent.
var ErrNoSection = errors.New("cards: section missing")
