// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package safename is the one rule for names that goldmine turns into
// file or folder names (samples, models, Fisher items, scans, benchmarks,
// systematics, MadGraph runs, ...): ASCII letters, digits, '_', '.' and
// '-', not starting with '.' or '-', at most MaxLen bytes. Such a name is
// one path element that cannot leave its folder ("..", "a/b", "/abs"),
// hide itself (".x"), read as a command-line option ("-x") or overflow a
// file name once goldmine adds its prefixes and suffixes; it is also a
// word no shell, Python or YAML reader treats specially.
package safename

import (
	"fmt"
	"strings"
)

// MaxLen is the longest name allowed, in bytes. File names are at most
// 255 bytes on common file systems, and goldmine adds up to about 40
// bytes of prefixes and suffixes ("info_histogram_", ".pdf", ...).
const MaxLen = 100

// Error is the error of Check: Reason says what is wrong with Name.
type Error struct {
	Name   string
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("safename: name %q %s", e.Name, e.Reason)
}

// Check returns nil if name follows the rule, else an *Error.
func Check(name string) error {
	fail := func(format string, args ...any) error {
		return &Error{Name: name, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case name == "":
		return fail("is empty")
	case len(name) > MaxLen:
		return fail("is %d bytes long, the limit is %d", len(name), MaxLen)
	case name[0] == '.':
		return fail("starts with '.'")
	case name[0] == '-':
		return fail("starts with '-'")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == '-':
		case c == '/' || c == '\\':
			return fail("holds a path separator %q (names are one file name: letters, digits, '_', '.', '-')", c)
		case c < 0x20 || c == 0x7f:
			return fail("holds the control character %#02x (allowed: letters, digits, '_', '.', '-')", c)
		case c >= 0x80:
			return fail("holds a non-ASCII character (allowed: letters, digits, '_', '.', '-')")
		default:
			return fail("holds %q (allowed: letters, digits, '_', '.', '-')", c)
		}
	}
	return nil
}

// Word reports whether s is a non-empty word of ASCII letters, digits,
// '_' and the bytes of extra. It is the rule for values written as words
// of files that have no quoting of their own (MG5's param, reweight and
// run cards): such a word can end neither itself nor its line.
func Word(s, extra string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}
