// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package quote turns values into literals of the languages that goldmine
// writes: POSIX shell words (job scripts, workflow commands), Python string
// literals (Snakefiles) and YAML double-quoted scalars (workflow configs,
// profiles, reana.yaml). Every value taken from a card, a path or a user
// that reaches a generated file goes through this package, so that a value
// is always data, never code.
//
// The Python and YAML literals use the escapes the two languages share
// (\\, \", \n, \r, \t, \xNN, \uNNNN, \UNNNNNNNN). Python literals are plain
// ASCII; YAML scalars keep printable non-ASCII letters as UTF-8 so that
// configs stay readable, and escape everything else.
package quote

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Shell quotes s as one word for a POSIX shell: s inside single quotes,
// each single quote of s written as the four characters
//
//	'\''
//
// Nothing inside single quotes is special to the shell, so the word is s
// exactly, whatever it holds (spaces, $( ), backticks, ;, newlines).
func Shell(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ShellJoin quotes each of args with Shell and joins them with spaces.
func ShellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = Shell(a)
	}
	return strings.Join(q, " ")
}

// Python returns s as a double-quoted Python 3 string literal that holds
// only printable ASCII.
func Python(s string) string { return escaped(s, false) }

// YAML returns s as a YAML double-quoted scalar (YAML 1.1 and 1.2).
// Printable non-ASCII characters are kept; line and paragraph separators,
// the byte-order mark and other non-printing characters are escaped.
func YAML(s string) string { return escaped(s, true) }

func escaped(s string, keepUnicode bool) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case keepUnicode && printable(r):
			b.WriteRune(r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// printable reports whether r may stand as itself in a YAML scalar: a
// printable character that no YAML version reads as a line break or a
// byte-order mark.
func printable(r rune) bool {
	switch r {
	case 0x85, 0x2028, 0x2029, 0xfeff, utf8.RuneError:
		return false
	}
	return unicode.IsPrint(r)
}

// Check reports whether s can be written by this package without loss and
// passed as a command-line argument: valid UTF-8 (Python and YAML texts
// are Unicode; the escapes would otherwise replace bad bytes) and no NUL
// byte (which no argument or path can hold).
func Check(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("quote: not valid UTF-8")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return errors.New("quote: holds a NUL byte")
	}
	return nil
}

// MG5Config returns the line "key = value" of an MadGraph5_aMC
// configuration file (me5_configuration.txt, mg5_configuration.txt), or
// an error if the line would not read back as that key and value. MG5
// reads such a file a line at a time, drops what follows a '#', splits
// the rest at '=' and strips white space around both sides: it has no
// quoting, so a value is accepted only if it is one word that none of
// that changes, made of ASCII letters, digits and _ . , : / + @ % -.
// Keys follow the same rule without , : / + @ %.
func MG5Config(key, value string) (string, error) {
	if !mg5Word(key, "_.-") {
		return "", fmt.Errorf("quote: MG5 configuration key %q: want ASCII letters, digits, '_', '.' or '-'", key)
	}
	if !mg5Word(value, "_.,:/+@%-") {
		return "", fmt.Errorf("quote: MG5 configuration value %q of %s: want one word of ASCII letters, digits and _ . , : / + @ %% - (MG5's configuration files have no quoting)", value, key)
	}
	return key + " = " + value, nil
}

func mg5Word(s, extra string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(extra, r)) {
			return false
		}
	}
	return true
}
