// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"fmt"
	"strconv"
	"strings"
)

// This file translates the Python subset of MadMiner definition strings into
// the expr language: list comprehensions become filter/map, conditional
// expressions become ?:, module prefixes (math., np., numpy.) are dropped and
// numpy names are mapped to ours. Everything else (attribute names, particle
// arithmetic, indexing) is handled on the expr syntax tree by the patchers in
// expr.go.

type tokKind int

const (
	tokIdent tokKind = iota
	tokNumber
	tokString
	tokOp
)

type token struct {
	kind tokKind
	text string
	pos  int // byte offset in the original source
}

// SyntaxError is a syntax error in an expression, at a byte column of the
// original source.
type SyntaxError struct {
	Column int // 1-based
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("column %d: %s", e.Column, e.Msg) }

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

var twoOps = []string{"**", "//", "==", "!=", "<=", ">=", "&&", "||", "<<", ">>"}

// tokenize splits a Python expression into tokens.
func tokenize(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && (isIdentStart(src[j]) || isDigit(src[j])) {
				j++
			}
			toks = append(toks, token{tokIdent, src[i:j], i})
			i = j
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			j := i
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			if j < len(src) && src[j] == '.' {
				j++
				for j < len(src) && isDigit(src[j]) {
					j++
				}
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k < len(src) && isDigit(src[k]) {
					for k < len(src) && isDigit(src[k]) {
						k++
					}
					j = k
				}
			}
			if j < len(src) && (isIdentStart(src[j])) {
				return nil, &SyntaxError{j + 1, fmt.Sprintf("invalid number %q", src[i:j+1])}
			}
			toks = append(toks, token{tokNumber, normNumber(src[i:j]), i})
			i = j
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return nil, &SyntaxError{i + 1, "unterminated string"}
			}
			toks = append(toks, token{tokString, src[i : j+1], i})
			i = j + 1
		default:
			n := 1
			for _, op := range twoOps {
				if strings.HasPrefix(src[i:], op) {
					n = 2
					break
				}
			}
			op := src[i : i+n]
			if strings.IndexByte("+-*/%()[]{},.:<>=!~&|^?", c) < 0 {
				return nil, &SyntaxError{i + 1, fmt.Sprintf("unexpected character %q", src[i:i+1])}
			}
			toks = append(toks, token{tokOp, op, i})
			i += n
		}
	}
	return toks, nil
}

// normNumber writes a Python float literal in a form expr accepts
// ("50." → "50.0", ".5" → "0.5", "1.e3" → "1.0e3").
func normNumber(s string) string {
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	if k := strings.IndexByte(s, '.'); k >= 0 && (k+1 == len(s) || !isDigit(s[k+1])) {
		s = s[:k+1] + "0" + s[k+1:]
	}
	return s
}

// Names that Python and numpy spell differently from us.
var funcAliases = map[string]string{
	"arctan2": "atan2", "arcsin": "asin", "arccos": "acos", "arctan": "atan",
	"arcsinh": "asinh", "arccosh": "acosh", "arctanh": "atanh",
	"absolute": "abs", "fabs": "abs", "power": "pow", "hypot": "hypot",
	"amin": "min", "amax": "max", "minimum": "min", "maximum": "max",
}

var modules = map[string]bool{"math": true, "np": true, "numpy": true}

// pyBuiltins are the Python builtins whose expr namesakes differ from
// Python (sum, round, and max and min on booleans), or that expr lacks or
// spells as predicates (any, all, bool). A call of one is translated to
// our implementation in pybool.go.
var pyBuiltins = map[string]string{
	"sum": "__sum", "any": "__any", "all": "__all", "round": "__round", "bool": "__truth",
	"max": "__max", "min": "__min",
}

// translator turns a token list into expr source and records, for every
// byte of the output, the original column it came from.
type translator struct {
	toks []token
	src  string
	// vars maps the declared variables (observables, in cuts and
	// efficiencies) to their index. A variable shadows an event object,
	// event number or function of the same name except where the name is
	// followed by '.', '[' or '(': there it keeps its environment meaning
	// (see CheckName).
	vars map[string]int
}

type outBuf struct {
	b   strings.Builder
	pos []int // original offset of each output byte
}

func (o *outBuf) emit(s string, pos int) {
	if o.b.Len() > 0 {
		o.b.WriteByte(' ')
		o.pos = append(o.pos, pos)
	}
	o.b.WriteString(s)
	for range len(s) {
		o.pos = append(o.pos, pos)
	}
}

// translate returns the expr source for a Python expression and the map from
// output byte offsets to original byte offsets. vars are the declared
// variables, which become __var(k) reads.
func translate(src string, vars map[string]int) (string, []int, error) {
	toks, err := tokenize(src)
	if err != nil {
		return "", nil, err
	}
	if len(toks) == 0 {
		return "", nil, &SyntaxError{1, "empty expression"}
	}
	toks, err = rewriteNames(toks)
	if err != nil {
		return "", nil, err
	}
	t := &translator{toks: toks, src: src, vars: vars}
	var o outBuf
	if err := t.item(&o, toks, ""); err != nil {
		return "", nil, err
	}
	return o.b.String(), o.pos, nil
}

// rewriteNames handles keywords, module prefixes and numpy aliases.
func rewriteNames(toks []token) ([]token, error) {
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tokIdent {
			out = append(out, t)
			continue
		}
		prevDot := len(out) > 0 && out[len(out)-1].kind == tokOp && out[len(out)-1].text == "."
		if prevDot {
			out = append(out, t)
			continue
		}
		if modules[t.text] && i+2 < len(toks) && toks[i+1].text == "." && toks[i+2].kind == tokIdent {
			name := toks[i+2]
			i += 2
			switch name.text {
			case "e":
				out = append(out, token{tokNumber, "2.718281828459045", name.pos})
				continue
			case "pi":
				out = append(out, token{tokNumber, "3.141592653589793", name.pos})
				continue
			}
			if a, ok := funcAliases[name.text]; ok {
				name.text = a
			}
			if a, ok := pyBuiltins[name.text]; ok && i+1 < len(toks) && toks[i+1].text == "(" {
				name.text = a
			}
			name.pos = t.pos
			out = append(out, name)
			continue
		}
		if strings.HasPrefix(t.text, "__") {
			return nil, &SyntaxError{t.pos + 1, fmt.Sprintf("name %q is reserved (names starting with __)", t.text)}
		}
		// The constants become number tokens, so that no variable of the
		// same name can capture them.
		switch t.text {
		case "True":
			t.kind, t.text = tokNumber, "true"
		case "False":
			t.kind, t.text = tokNumber, "false"
		case "None":
			t.kind, t.text = tokNumber, "nil"
		case "is", "lambda", "yield", "await", "del", "import":
			return nil, &SyntaxError{t.pos + 1, fmt.Sprintf("Python keyword %q is not supported", t.text)}
		default:
			if a, ok := funcAliases[t.text]; ok && i+1 < len(toks) && toks[i+1].text == "(" {
				t.text = a
			}
			if a, ok := pyBuiltins[t.text]; ok && i+1 < len(toks) && toks[i+1].text == "(" {
				t.text = a
			}
		}
		out = append(out, t)
	}
	return out, nil
}

func isOpen(s string) bool  { return s == "(" || s == "[" || s == "{" }
func isClose(s string) bool { return s == ")" || s == "]" || s == "}" }

func closer(s string) string {
	switch s {
	case "(":
		return ")"
	case "[":
		return "]"
	}
	return "}"
}

// match returns the index of the bracket closing toks[i].
func match(toks []token, i int) (int, error) {
	depth := 0
	for j := i; j < len(toks); j++ {
		if toks[j].kind != tokOp {
			continue
		}
		switch {
		case isOpen(toks[j].text):
			depth++
		case isClose(toks[j].text):
			depth--
			if depth == 0 {
				if toks[j].text != closer(toks[i].text) {
					return 0, &SyntaxError{toks[j].pos + 1, fmt.Sprintf("%q does not match %q at column %d", toks[j].text, toks[i].text, toks[i].pos+1)}
				}
				return j, nil
			}
		}
	}
	return 0, &SyntaxError{toks[i].pos + 1, fmt.Sprintf("unclosed %q", toks[i].text)}
}

// topLevel returns the indexes of the tokens in toks that are the keyword or
// operator s outside brackets.
func topLevel(toks []token, s string) ([]int, error) {
	var idx []int
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tokOp && isOpen(t.text) {
			j, err := match(toks, i)
			if err != nil {
				return nil, err
			}
			i = j
			continue
		}
		if t.kind == tokOp && isClose(t.text) {
			return nil, &SyntaxError{t.pos + 1, fmt.Sprintf("unmatched %q", t.text)}
		}
		if t.text == s && (t.kind == tokIdent || t.kind == tokOp) {
			idx = append(idx, i)
		}
	}
	return idx, nil
}

// item translates one expression (no top-level commas), replacing the
// identifier loopVar (if not empty) by expr's # predicate element.
func (t *translator) item(o *outBuf, toks []token, loopVar string) error {
	if len(toks) == 0 {
		return &SyntaxError{len(t.src) + 1, "missing expression"}
	}
	// Conditional expression: A if C else B.
	ifs, err := topLevel(toks, "if")
	if err != nil {
		return err
	}
	if len(ifs) > 0 {
		k := ifs[0]
		elses, _ := topLevel(toks[k+1:], "else")
		if len(elses) == 0 {
			return &SyntaxError{toks[k].pos + 1, "'if' without 'else'"}
		}
		e := k + 1 + elses[0]
		o.emit("(", toks[k].pos)
		if err := t.item(o, toks[k+1:e], loopVar); err != nil {
			return err
		}
		o.emit(") ? (", toks[k].pos)
		if err := t.item(o, toks[:k], loopVar); err != nil {
			return err
		}
		o.emit(") : (", toks[e].pos)
		if err := t.item(o, toks[e+1:], loopVar); err != nil {
			return err
		}
		o.emit(")", toks[e].pos)
		return nil
	}
	return t.seq(o, toks, loopVar)
}

// seq translates a token sequence, descending into bracket groups.
func (t *translator) seq(o *outBuf, toks []token, loopVar string) error {
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if tk.kind == tokOp && isClose(tk.text) {
			return &SyntaxError{tk.pos + 1, fmt.Sprintf("unmatched %q", tk.text)}
		}
		if tk.kind == tokOp && isOpen(tk.text) {
			j, err := match(toks, i)
			if err != nil {
				return err
			}
			open := toks[i]
			if open.text == "(" && !isCallee(toks, i) {
				if commas, err := topLevel(toks[i+1:j], ","); err == nil && len(commas) > 0 {
					// A tuple, e.g. the (23, 25) of "x.pdgid in (23, 25)".
					open.text = "["
					cls := toks[j]
					cls.text = "]"
					if err := t.group(o, open, toks[i+1:j], cls, loopVar); err != nil {
						return err
					}
					i = j
					continue
				}
			}
			if err := t.group(o, toks[i], toks[i+1:j], toks[j], loopVar); err != nil {
				return err
			}
			i = j
			continue
		}
		if tk.kind == tokIdent && tk.text == "for" {
			return &SyntaxError{tk.pos + 1, "'for' outside a list comprehension"}
		}
		if tk.kind == tokIdent && tk.text == "else" {
			return &SyntaxError{tk.pos + 1, "'else' without 'if'"}
		}
		if tk.kind == tokOp && tk.text == "//" {
			return &SyntaxError{tk.pos + 1, "floor division '//' is not supported; use floor(a / b)"}
		}
		if tk.kind == tokIdent && tk.text == "not" && (i+1 >= len(toks) || toks[i+1].text != "in") {
			// Python's not binds more loosely than comparisons: its operand
			// runs to the next top-level and/or.
			end := len(toks)
			for _, op := range []string{"and", "or"} {
				if idx, err := topLevel(toks[i+1:], op); err == nil && len(idx) > 0 && i+1+idx[0] < end {
					end = i + 1 + idx[0]
				}
			}
			if end == i+1 {
				return &SyntaxError{tk.pos + 1, "missing operand after 'not'"}
			}
			o.emit("not (", tk.pos)
			if err := t.seq(o, toks[i+1:end], loopVar); err != nil {
				return err
			}
			o.emit(")", tk.pos)
			i = end - 1
			continue
		}
		if loopVar != "" && tk.kind == tokIdent && tk.text == loopVar &&
			(i == 0 || toks[i-1].text != ".") {
			o.emit("#", tk.pos)
			continue
		}
		if k, ok := t.vars[tk.text]; ok && tk.kind == tokIdent && (i == 0 || toks[i-1].text != ".") &&
			(i+1 == len(toks) || !isAccess(toks[i+1])) {
			o.emit("__var("+strconv.Itoa(k)+")", tk.pos)
			continue
		}
		o.emit(tk.text, tk.pos)
	}
	return nil
}

// isAccess reports whether t, following a name, uses the name as an object
// or a function: an attribute, an index or a call.
func isAccess(t token) bool {
	return t.kind == tokOp && (t.text == "." || t.text == "[" || t.text == "(")
}

var keywords = map[string]bool{"and": true, "or": true, "not": true, "in": true, "if": true, "else": true, "for": true}

// isCallee reports whether the bracket at toks[i] follows a callable or
// indexable expression (a call or an index, not a literal).
func isCallee(toks []token, i int) bool {
	if i == 0 {
		return false
	}
	p := toks[i-1]
	switch p.kind {
	case tokIdent:
		return !keywords[p.text]
	case tokString:
		return true
	case tokOp:
		return p.text == ")" || p.text == "]"
	}
	return false
}

// group translates a bracket group: a comprehension, or comma-separated items.
func (t *translator) group(o *outBuf, open token, body []token, cls token, loopVar string) error {
	if open.text == "[" {
		fors, err := topLevel(body, "for")
		if err != nil {
			return err
		}
		if len(fors) > 0 {
			return t.comprehension(o, open, body, fors[0], loopVar)
		}
	}
	if open.text == "(" {
		// A parenthesised generator, e.g. sum(x.pt for x in j).
		fors, err := topLevel(body, "for")
		if err != nil {
			return err
		}
		if len(fors) > 0 {
			o.emit("(", open.pos)
			if err := t.comprehension(o, open, body, fors[0], loopVar); err != nil {
				return err
			}
			o.emit(")", cls.pos)
			return nil
		}
	}
	o.emit(open.text, open.pos)
	commas, err := topLevel(body, ",")
	if err != nil {
		return err
	}
	start := 0
	for _, c := range append(commas, len(body)) {
		part := body[start:c]
		if len(part) == 0 {
			if c == len(body) && start > 0 {
				break // trailing comma
			}
			if len(body) == 0 {
				break
			}
			pos := cls.pos
			if c < len(body) {
				pos = body[c].pos
			}
			return &SyntaxError{pos + 1, "missing expression"}
		}
		if start > 0 {
			o.emit(",", body[start-1].pos)
		}
		if err := t.item(o, part, loopVar); err != nil {
			return err
		}
		start = c + 1
	}
	o.emit(cls.text, cls.pos)
	return nil
}

// comprehension translates [EXPR for VAR in ITER if COND ...].
func (t *translator) comprehension(o *outBuf, open token, body []token, f int, outerVar string) error {
	if f == 0 {
		return &SyntaxError{body[f].pos + 1, "missing expression before 'for'"}
	}
	if f+2 >= len(body) || body[f+1].kind != tokIdent || body[f+2].text != "in" {
		return &SyntaxError{body[f].pos + 1, "expected 'for NAME in ...'"}
	}
	v := body[f+1].text
	if outerVar != "" {
		return &SyntaxError{body[f].pos + 1, "nested comprehensions are not supported"}
	}
	rest := body[f+3:]
	ifs, err := topLevel(rest, "if")
	if err != nil {
		return err
	}
	iter := rest
	var conds [][]token
	if len(ifs) > 0 {
		iter = rest[:ifs[0]]
		for k, at := range ifs {
			end := len(rest)
			if k+1 < len(ifs) {
				end = ifs[k+1]
			}
			conds = append(conds, rest[at+1:end])
		}
	}
	if fs, _ := topLevel(rest, "for"); len(fs) > 0 {
		return &SyntaxError{rest[fs[0]].pos + 1, "comprehensions with several 'for' are not supported"}
	}
	if len(iter) == 0 {
		return &SyntaxError{body[f+2].pos + 1, "missing iterable after 'in'"}
	}
	elem := body[:f]
	identity := len(elem) == 1 && elem[0].kind == tokIdent && elem[0].text == v
	if !identity {
		o.emit("map(", open.pos)
	}
	if len(conds) > 0 {
		o.emit("filter(", open.pos)
	}
	o.emit("(", iter[0].pos)
	if err := t.item(o, iter, ""); err != nil {
		return err
	}
	o.emit(")", iter[0].pos)
	for k, c := range conds {
		if len(c) == 0 {
			return &SyntaxError{body[f].pos + 1, "missing condition after 'if'"}
		}
		if k == 0 {
			o.emit(", (", c[0].pos)
		} else {
			o.emit(") and (", c[0].pos)
		}
		if err := t.item(o, c, v); err != nil {
			return err
		}
	}
	if len(conds) > 0 {
		o.emit("))", body[f].pos)
	}
	if !identity {
		o.emit(",", body[f].pos)
		if err := t.item(o, elem, v); err != nil {
			return err
		}
		o.emit(")", body[f].pos)
	}
	return nil
}
