// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// SectionNames returns the top-level keys of a card, in the order of the
// Card struct.
func SectionNames() []string {
	t := reflect.TypeOf(Card{})
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if name := sectionName(t.Field(i)); name != "" {
			out = append(out, name)
		}
	}
	return out
}

func sectionName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// Sections returns a copy of c that holds only the named top-level
// sections (YAML keys such as "samples" or "fisher"); every other section
// is zero. Path and Imported are kept. The copy shares the sections'
// contents with c.
// An unknown name is an error.
//
// A stage that runs from the sections it declares cannot depend on any
// other part of the card: it sees the others as absent.
func (c *Card) Sections(names ...string) (*Card, error) {
	out := &Card{Path: c.Path, Imported: c.Imported}
	src, dst := reflect.ValueOf(c).Elem(), reflect.ValueOf(out).Elem()
	t := src.Type()
	for _, name := range names {
		found := false
		for i := 0; i < t.NumField(); i++ {
			if sectionName(t.Field(i)) == name {
				dst.Field(i).Set(src.Field(i))
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("cards: unknown section %q (sections: %s)", name, strings.Join(SectionNames(), ", "))
		}
	}
	return out, nil
}

// EncodeSections returns the canonical encoding of the named sections of
// c: a JSON object with one member per section, keyed by its name, whose
// bytes change exactly when the content of one of those sections does
// (Go's JSON encoding of structs and maps is deterministic). An unknown
// name is an error.
func (c *Card) EncodeSections(names ...string) ([]byte, error) {
	sub, err := c.Sections(names...)
	if err != nil {
		return nil, err
	}
	m := make(map[string]any, len(names))
	v, t := reflect.ValueOf(sub).Elem(), reflect.TypeOf(*sub)
	for i := 0; i < t.NumField(); i++ {
		for _, name := range names {
			if sectionName(t.Field(i)) == name {
				m[name] = v.Field(i).Interface()
			}
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("cards: could not encode sections %v: %w", names, err)
	}
	return b, nil
}
