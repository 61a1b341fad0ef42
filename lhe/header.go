// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"math"
	"strings"
)

// Header is everything before the first event of an LHE file.
type Header struct {
	// Version is the version attribute of <LesHouchesEvents> ("1.0", "3.0").
	Version string

	// Init is the content of the <init> block.
	Init Init

	// WeightGroups lists the <weightgroup>s of <initrwgt> in file order.
	WeightGroups []WeightGroup

	// Weights lists every declared weight id in file order. Event.Weights
	// is aligned with it.
	Weights []WeightInfo

	// RunCard maps MG5 run card names to their values, from the
	// "value = name ! comment" lines of <MGRunCard>. Commented-out lines
	// are skipped. Nil when the file has no run card.
	RunCard map[string]string

	// ParamCard is the text of the SLHA param card in the banner (<slha> or
	// <MGParamCard>), or "".
	ParamCard string

	// ParamBlocks maps lower-case block names to id → value for every
	// single-index entry of the param card. A block with an argument, such
	// as "BLOCK QNUMBERS 9000005", is stored as "qnumbers 9000005". DECAY
	// lines go into the block "decay" (pdg id → width). Entries with
	// several indices are kept only in ParamCard.
	ParamBlocks map[string]map[int]float64

	// Raw is the full header text: every line before the first <event>,
	// including <init>.
	Raw string

	index map[string]int
}

// Init is the <init> block (the HEPRUP common block).
type Init struct {
	Beams      [2]int     // IDBMUP: beam particle pdg ids
	Energies   [2]float64 // EBMUP: beam energies in GeV
	PDFGroups  [2]int     // PDFGUP: PDFLIB group ids
	PDFSets    [2]int     // PDFSUP: PDF set ids (LHAPDF ids for MG5)
	WeightMode int        // IDWTUP: weighting strategy (±1..±4)
	Processes  []Process  // one per process (NPRUP lines)
}

// Process is one process line of <init>.
type Process struct {
	XSec float64 // XSECUP: cross section in pb
	XErr float64 // XERRUP: its statistical error in pb
	XMax float64 // XMAXUP: maximum event weight
	ID   int     // LPRUP: process id, as in Event.ProcID
}

// WeightGroup is one <weightgroup> of <initrwgt>.
type WeightGroup struct {
	// Name is the name attribute, or the type attribute if there is no name.
	Name string
	// Attrs holds every attribute as written.
	Attrs map[string]string
	// Weights are indices into Header.Weights of the group's weights.
	Weights []int
}

// WeightInfo describes one declared weight.
type WeightInfo struct {
	ID    string            // id attribute
	Group string            // name of the enclosing weight group, or ""
	Text  string            // body text, trimmed
	Attrs map[string]string // every attribute as written, including id

	// Params holds the numeric attributes with upper-case keys (MUR, MUF,
	// PDF, DYN_SCALE, ...). Numeric key=value pairs of the body (such as
	// "muR=0.2E+01 muF=0.5E+00") add the keys the attributes lack.
	Params map[string]float64

	// ParamSets holds the "set param_card BLOCK ID VALUE" lines of MG5
	// reweighting weights ("set BLOCK ID VALUE" also works), in order.
	ParamSets []ParamSet
}

// ParamSet is one parameter assignment of a reweighting weight.
type ParamSet struct {
	Block string // lower-case SLHA block name
	ID    int
	Value float64
}

// Param returns the numeric parameter key (upper-case, e.g. "MUR") of w.
func (w *WeightInfo) Param(key string) (float64, bool) {
	v, ok := w.Params[key]
	return v, ok
}

// WeightIndex returns the index in h.Weights (and Event.Weights) of the
// weight with the given id, or -1 and false.
func (h *Header) WeightIndex(id string) (int, bool) {
	if h.index != nil {
		if i, ok := h.index[id]; ok {
			return i, true
		}
		return -1, false
	}
	for i := range h.Weights {
		if h.Weights[i].ID == id {
			return i, true
		}
	}
	return -1, false
}

// headerParser parses the header text; lines are 1-based from line0.
type headerParser struct {
	name  string
	text  []byte
	line0 int
	h     *Header
}

func (p *headerParser) lineAt(off int) int {
	if off > len(p.text) {
		off = len(p.text)
	}
	return p.line0 + bytes.Count(p.text[:off], []byte{'\n'})
}

func (p *headerParser) errorf(off int, format string, args ...any) error {
	return newError(p.name, p.lineAt(off), -1, format, args...)
}

// parseHeader parses text, the lines before the first event, which start at
// line line0 of the file.
func parseHeader(name string, text []byte, line0 int) (*Header, error) {
	h := &Header{Raw: string(text), index: make(map[string]int)}
	p := &headerParser{name: name, text: text, line0: line0, h: h}

	off := indexTag(text, "<LesHouchesEvents", 0)
	if off < 0 {
		if len(trimSpace(text)) == 0 {
			return nil, p.errorf(0, "empty file")
		}
		return nil, p.errorf(0, "not a Les Houches event file: no <LesHouchesEvents> tag")
	}
	if err := p.checkMarkup(off); err != nil {
		return nil, err
	}
	attrs, _, _ := scanAttrs(text, off+len("<LesHouchesEvents"))
	h.Version = attrs["version"]

	if err := p.parseInit(); err != nil {
		return nil, err
	}
	p.parseRunCard()
	p.parseParamCard()
	if err := p.parseWeights(); err != nil {
		return nil, err
	}
	return h, nil
}

// checkMarkup checks that every comment and CDATA section of the header
// is closed and that the <LesHouchesEvents> tag at off is: an unclosed one
// would, read as XML, swallow the events that follow.
func (p *headerParser) checkMarkup(off int) error {
	text := p.text
	if gt := bytes.IndexByte(text[off:], '>'); gt < 0 || bytes.IndexByte(text[off+1:off+gt], '<') >= 0 {
		return p.errorf(off, "unterminated <LesHouchesEvents> tag")
	}
	open := [...]struct{ start, end, what string }{
		{"<!--", "-->", "comment <!--"},
		{"<![CDATA[", "]]>", "CDATA section <![CDATA["},
	}
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '<')
		if j < 0 {
			return nil
		}
		i += j
		matched := false
		for _, o := range open {
			if !bytes.HasPrefix(text[i:], []byte(o.start)) {
				continue
			}
			k := bytes.Index(text[i+len(o.start):], []byte(o.end))
			if k < 0 {
				return p.errorf(i, "unterminated %s (no %s before the first event)", o.what, o.end)
			}
			// A second opening before the end: the first is not closed
			// (and XML does not nest them).
			if n := bytes.Index(text[i+len(o.start):i+len(o.start)+k], []byte(o.start)); n >= 0 {
				return p.errorf(i, "unterminated %s: another %s opens at line %d before the first %s", o.what, o.start, p.lineAt(i+len(o.start)+n), o.end)
			}
			i += len(o.start) + k + len(o.end)
			matched = true
			break
		}
		if !matched {
			i++
		}
	}
	return nil
}

// indexTag returns the offset of the first tag named tag (e.g. "<init")
// at or after from that is followed by '>', '/' or white space, or -1.
func indexTag(text []byte, tag string, from int) int {
	for from <= len(text) {
		i := bytes.Index(text[from:], []byte(tag))
		if i < 0 {
			return -1
		}
		j := from + i + len(tag)
		if j == len(text) || text[j] == '>' || text[j] == '/' || isSpace(text[j]) {
			return from + i
		}
		from = j
	}
	return -1
}

// section returns the content between <tag ...> and </tag>, and its offset.
// ok is false when the opening tag is absent; a missing closing tag extends
// the section to the end of text.
func section(text []byte, tag string) (body []byte, off int, ok bool) {
	i := indexTag(text, "<"+tag, 0)
	if i < 0 {
		return nil, 0, false
	}
	j := bytes.IndexByte(text[i:], '>')
	if j < 0 {
		return nil, 0, false
	}
	start := i + j + 1
	end := bytes.Index(text[start:], []byte("</"+tag))
	if end < 0 {
		return text[start:], start, true
	}
	return text[start : start+end], start, true
}

func (p *headerParser) parseInit() error {
	text := p.text
	// Look after </header> when there is one, so that banner text cannot
	// be mistaken for the block.
	from := 0
	if k := bytes.Index(text, []byte("</header>")); k >= 0 {
		from = k
	}
	i := indexTag(text, "<init", from)
	if i < 0 && from > 0 {
		i = indexTag(text, "<init", 0)
	}
	if i < 0 {
		return p.errorf(len(text), "no <init> block before the first event")
	}
	j := bytes.IndexByte(text[i:], '>')
	if j < 0 {
		return p.errorf(i, "unterminated <init> tag")
	}
	off := i + j + 1
	in := &p.h.Init
	nproc := -1
	for off < len(text) {
		end := bytes.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text) - off
		}
		line := trimSpace(text[off : off+end])
		lineOff := off
		off += end + 1
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if line[0] == '<' {
			if nproc < 0 || len(in.Processes) < nproc {
				break
			}
			continue
		}
		if nproc < 0 {
			var f [10][]byte
			if n := splitFields(line, f[:]); n != 10 {
				return p.errorf(lineOff, "<init> line has %d fields, want 10", n)
			}
			var ok [10]bool
			in.Beams[0], ok[0] = parseInt(f[0])
			in.Beams[1], ok[1] = parseInt(f[1])
			in.Energies[0], ok[2] = parseFloat(f[2])
			in.Energies[1], ok[3] = parseFloat(f[3])
			in.PDFGroups[0], ok[4] = parseInt(f[4])
			in.PDFGroups[1], ok[5] = parseInt(f[5])
			in.PDFSets[0], ok[6] = parseInt(f[6])
			in.PDFSets[1], ok[7] = parseInt(f[7])
			in.WeightMode, ok[8] = parseInt(f[8])
			nproc, ok[9] = parseInt(f[9])
			for k, o := range ok {
				if !o {
					return p.errorf(lineOff, "<init> field %d is not a number: %q", k+1, f[k])
				}
			}
			if nproc < 0 || nproc > 100000 {
				return p.errorf(lineOff, "<init> declares %d processes", nproc)
			}
			// Each process line takes at least 8 bytes ("1 1 1 1\n").
			if room := (len(text) - off) / 8; nproc > room {
				return p.errorf(lineOff, "<init> declares %d processes, the %d bytes left in the header hold at most %d process lines", nproc, len(text)-off, room)
			}
			for k, e := range in.Energies {
				if !finite(e) {
					return p.errorf(lineOff, "<init> beam energy EBMUP(%d) %q is not a finite number", k+1, f[2+k])
				}
			}
			in.Processes = make([]Process, 0, min(nproc, 64))
			continue
		}
		if len(in.Processes) == nproc {
			// Free text after the process lines (some generators write
			// comments here): ignore.
			continue
		}
		var f [4][]byte
		if n := splitFields(line, f[:]); n != 4 {
			return p.errorf(lineOff, "<init> process line has %d fields, want 4", n)
		}
		var pr Process
		var ok [4]bool
		pr.XSec, ok[0] = parseFloat(f[0])
		pr.XErr, ok[1] = parseFloat(f[1])
		pr.XMax, ok[2] = parseFloat(f[2])
		pr.ID, ok[3] = parseInt(f[3])
		for k, o := range ok {
			if !o {
				return p.errorf(lineOff, "<init> process field %d is not a number: %q", k+1, f[k])
			}
		}
		for k, v := range [3]float64{pr.XSec, pr.XErr, pr.XMax} {
			if !finite(v) {
				return p.errorf(lineOff, "<init> process %d: %s %q is not a finite number", len(in.Processes)+1, [3]string{"XSECUP", "XERRUP", "XMAXUP"}[k], f[k])
			}
		}
		in.Processes = append(in.Processes, pr)
	}
	if nproc < 0 {
		return p.errorf(off, "<init> block has no beam line")
	}
	if len(in.Processes) < nproc {
		return p.errorf(off, "<init> declares %d processes, found %d", nproc, len(in.Processes))
	}
	return nil
}

// splitFields stores the white-space separated fields of line in dst and
// returns how many fields line has (which may exceed len(dst)).
func splitFields(line []byte, dst [][]byte) int {
	n := 0
	i := 0
	for {
		s, e := field(line, i)
		if s == e {
			return n
		}
		if n < len(dst) {
			dst[n] = line[s:e]
		}
		n++
		i = e
	}
}

// stripCDATA removes CDATA markers from a card body.
func stripCDATA(b []byte) []byte {
	b = bytes.TrimSpace(b)
	b = bytes.TrimPrefix(b, []byte("<![CDATA["))
	b = bytes.TrimSuffix(b, []byte("]]>"))
	return b
}

func (p *headerParser) parseRunCard() {
	body, _, ok := section(p.text, "MGRunCard")
	if !ok {
		return
	}
	rc := make(map[string]string)
	for _, line := range bytes.Split(stripCDATA(body), []byte{'\n'}) {
		line = trimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if i := bytes.IndexByte(line, '!'); i >= 0 {
			line = line[:i]
		}
		eq := bytes.LastIndexByte(line, '=')
		if eq < 0 {
			continue
		}
		key := trimSpace(line[eq+1:])
		if i := bytes.IndexByte(key, '#'); i >= 0 {
			key = trimSpace(key[:i])
		}
		val := trimSpace(line[:eq])
		if len(key) == 0 || bytes.ContainsAny(key, " \t") {
			continue
		}
		rc[string(key)] = string(val)
	}
	p.h.RunCard = rc
}

func (p *headerParser) parseParamCard() {
	body, _, ok := section(p.text, "slha")
	if !ok {
		body, _, ok = section(p.text, "MGParamCard")
	}
	if !ok {
		return
	}
	body = stripCDATA(body)
	p.h.ParamCard = string(body)
	blocks := make(map[string]map[int]float64)
	var cur map[int]float64
	for _, line := range bytes.Split(body, []byte{'\n'}) {
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		var f [4][]byte
		n := splitFields(line, f[:])
		if n == 0 {
			continue
		}
		kw := strings.ToLower(string(f[0]))
		switch kw {
		case "block":
			cur = nil
			if n < 2 {
				continue
			}
			name := strings.ToLower(string(f[1]))
			if n >= 3 {
				if _, ok := parseInt(f[2]); ok {
					name += " " + string(f[2])
				}
			}
			cur = blocks[name]
			if cur == nil {
				cur = make(map[int]float64)
				blocks[name] = cur
			}
			continue
		case "decay":
			cur = nil
			if n < 3 {
				continue
			}
			id, ok1 := parseInt(f[1])
			w, ok2 := parseFloat(f[2])
			if ok1 && ok2 {
				d := blocks["decay"]
				if d == nil {
					d = make(map[int]float64)
					blocks["decay"] = d
				}
				d[id] = w
			}
			continue
		}
		if cur == nil || n != 2 {
			continue
		}
		id, ok1 := parseInt(f[0])
		v, ok2 := parseFloat(f[1])
		if ok1 && ok2 {
			cur[id] = v
		}
	}
	p.h.ParamBlocks = blocks
}

// parseWeights reads the weight declarations of every <initrwgt> block,
// or, if there are none, the LHEF 3 <weightinfo> entries.
func (p *headerParser) parseWeights() error {
	text := p.text
	from := 0
	for {
		i := indexTag(text, "<initrwgt", from)
		if i < 0 {
			break
		}
		end := bytes.Index(text[i:], []byte("</initrwgt"))
		if end < 0 {
			end = len(text)
		} else {
			end += i
		}
		if err := p.scanInitrwgt(i, end); err != nil {
			return err
		}
		from = end
		if from >= len(text) {
			break
		}
	}
	if len(p.h.Weights) > 0 {
		return nil
	}
	from = 0
	for {
		i := indexTag(text, "<weightinfo", from)
		if i < 0 {
			return nil
		}
		attrs, next, _ := scanAttrs(text, i+len("<weightinfo"))
		from = next
		id := attrs["name"]
		if id == "" {
			id = attrs["id"]
		}
		if id == "" {
			return p.errorf(i, "<weightinfo> without name")
		}
		p.addWeight(WeightInfo{ID: id, Attrs: attrs}, -1)
	}
}

// scanInitrwgt scans text[start:end] with a tolerant tag scanner: MG5
// writes text after closing tags, unbalanced groups and attributes without
// quotes, none of which stops it.
func (p *headerParser) scanInitrwgt(start, end int) error {
	text := p.text[:end]
	group := -1
	i := start + len("<initrwgt")
	for i < len(text) {
		j := bytes.IndexByte(text[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := text[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			k := bytes.Index(rest, []byte("-->"))
			if k < 0 {
				return nil
			}
			i += k + 3
		case hasTag(rest, "<weightgroup"):
			attrs, next, _ := scanAttrs(text, i+len("<weightgroup"))
			name := attrs["name"]
			if name == "" {
				name = attrs["type"]
			}
			p.h.WeightGroups = append(p.h.WeightGroups, WeightGroup{Name: name, Attrs: attrs})
			group = len(p.h.WeightGroups) - 1
			i = next
		case hasTag(rest, "</weightgroup"):
			group = -1
			i += len("</weightgroup")
		case hasTag(rest, "<weight"):
			attrs, next, selfClosed := scanAttrs(text, i+len("<weight"))
			var body []byte
			if !selfClosed {
				k := bytes.Index(text[next:], []byte("</weight"))
				if k < 0 {
					// Unterminated: the body runs to the next tag.
					k = bytes.IndexByte(text[next:], '<')
					if k < 0 {
						k = len(text) - next
					}
					body = text[next : next+k]
					next += k
				} else {
					body = text[next : next+k]
					next += k + len("</weight")
				}
			}
			id, ok := attrs["id"]
			if !ok {
				id, ok = attrs["name"]
			}
			if !ok || id == "" {
				return p.errorf(i, "<weight> without id")
			}
			w := WeightInfo{ID: id, Attrs: attrs, Text: string(trimSpace(body))}
			if group >= 0 {
				w.Group = p.h.WeightGroups[group].Name
			}
			p.addWeight(w, group)
			i = next
		default:
			i++
		}
	}
	// Drop groups without weights: empty ones and those of a repeated
	// <initrwgt> whose ids were all declared before.
	groups := p.h.WeightGroups[:0]
	for _, g := range p.h.WeightGroups {
		if len(g.Weights) > 0 {
			groups = append(groups, g)
		}
	}
	p.h.WeightGroups = groups
	return nil
}

// hasTag reports whether b starts with tag followed by '>', '/' or space.
func hasTag(b []byte, tag string) bool {
	if len(b) < len(tag) || string(b[:len(tag)]) != tag {
		return false
	}
	if len(b) == len(tag) {
		return true
	}
	c := b[len(tag)]
	return c == '>' || c == '/' || isSpace(c)
}

// addWeight registers w unless its id is already declared.
func (p *headerParser) addWeight(w WeightInfo, group int) {
	h := p.h
	if _, dup := h.index[w.ID]; dup {
		return
	}
	w.Params = weightParams(w.Attrs, w.Text)
	w.ParamSets = paramSets(w.Text)
	h.index[w.ID] = len(h.Weights)
	if group >= 0 {
		h.WeightGroups[group].Weights = append(h.WeightGroups[group].Weights, len(h.Weights))
	}
	h.Weights = append(h.Weights, w)
}

// scanAttrs parses the attributes of a tag starting at text[i] (just after
// the tag name). It returns the attributes, the offset just after the
// closing '>' and whether the tag is self-closing. Values may be quoted
// with ' or " or be bare words.
func scanAttrs(text []byte, i int) (attrs map[string]string, next int, selfClosed bool) {
	attrs = make(map[string]string)
	for i < len(text) {
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		if i == len(text) {
			break
		}
		c := text[i]
		if c == '>' {
			return attrs, i + 1, false
		}
		if c == '/' {
			if i+1 < len(text) && text[i+1] == '>' {
				return attrs, i + 2, true
			}
			i++
			continue
		}
		if c == '<' {
			// Unterminated tag: stop before the next one.
			return attrs, i, false
		}
		k := i
		for k < len(text) && !isSpace(text[k]) && text[k] != '=' && text[k] != '>' && text[k] != '/' && text[k] != '<' {
			k++
		}
		key := string(text[i:k])
		if k == i {
			i++
			continue
		}
		i = k
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		if i == len(text) || text[i] != '=' {
			attrs[key] = ""
			continue
		}
		i++
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		if i == len(text) {
			attrs[key] = ""
			break
		}
		if q := text[i]; q == '\'' || q == '"' {
			e := bytes.IndexByte(text[i+1:], q)
			if e < 0 {
				attrs[key] = string(text[i+1:])
				return attrs, len(text), false
			}
			attrs[key] = string(text[i+1 : i+1+e])
			i += e + 2
			continue
		}
		e := i
		for e < len(text) && !isSpace(text[e]) && text[e] != '>' && text[e] != '<' {
			e++
		}
		attrs[key] = string(text[i:e])
		i = e
	}
	return attrs, len(text), false
}

// weightParams collects the numeric attributes (upper-case keys) and the
// numeric key=value pairs of the body for keys the attributes lack.
func weightParams(attrs map[string]string, body string) map[string]float64 {
	var ps map[string]float64
	set := func(k, v string, override bool) {
		f, ok := parseFloat([]byte(strings.TrimSpace(v)))
		if !ok {
			return
		}
		k = strings.ToUpper(k)
		if ps == nil {
			ps = make(map[string]float64)
		}
		if _, have := ps[k]; have && !override {
			return
		}
		ps[k] = f
	}
	for k, v := range attrs {
		if strings.EqualFold(k, "id") {
			continue
		}
		set(k, v, true)
	}
	for _, tok := range strings.Fields(body) {
		k, v, ok := strings.Cut(tok, "=")
		if !ok || k == "" {
			continue
		}
		set(k, v, false)
	}
	return ps
}

// paramSets parses MG5 reweighting lines "set [param_card] BLOCK ID VALUE".
func paramSets(body string) []ParamSet {
	var sets []ParamSet
	for _, line := range strings.Split(body, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.EqualFold(f[0], "set") {
			continue
		}
		f = f[1:]
		if strings.EqualFold(f[0], "param_card") {
			f = f[1:]
		}
		if len(f) != 3 {
			continue
		}
		id, ok1 := parseInt([]byte(f[1]))
		v, ok2 := parseFloat([]byte(f[2]))
		if !ok1 || !ok2 {
			continue
		}
		sets = append(sets, ParamSet{Block: strings.ToLower(f[0]), ID: id, Value: v})
	}
	return sets
}

// Scales returns the renormalisation and factorisation scale factors of a
// weight: MUR and MUF (attributes, or muR=/muF= in the text as older MG5
// writes them), else POWHEG's renscfact and facscfact. ok is false unless
// both are found.
func (w *WeightInfo) Scales() (mur, muf float64, ok bool) {
	mur, ok1 := w.Params["MUR"]
	muf, ok2 := w.Params["MUF"]
	if ok1 && ok2 {
		return mur, muf, true
	}
	mur, ok1 = w.Params["RENSCFACT"]
	muf, ok2 = w.Params["FACSCFACT"]
	if ok1 && ok2 {
		return mur, muf, true
	}
	return 0, 0, false
}

// PDF returns the LHAPDF id of the PDF member a weight was computed with:
// the PDF attribute MG5 writes (already the member's id), else the text
// form "PDF=set MemberID=m" (set+m), else an "lhapdf=id" text (POWHEG, both
// beams alike). ok is false when none is found.
func (w *WeightInfo) PDF() (id int, ok bool) {
	for k, v := range w.Attrs {
		if strings.EqualFold(k, "PDF") {
			if f, ok := parseFloat([]byte(strings.TrimSpace(v))); ok && f == math.Trunc(f) {
				return int(f), true
			}
		}
	}
	if set, ok := w.Params["PDF"]; ok {
		mem := w.Params["MEMBERID"]
		return int(set + mem), true
	}
	if v, ok := w.Params["LHAPDF"]; ok {
		return int(v), true
	}
	v1, ok1 := w.Params["LHAPDF1"]
	v2, ok2 := w.Params["LHAPDF2"]
	if ok1 && ok2 && v1 == v2 {
		return int(v1), true
	}
	return 0, false
}

// DynScale returns the MG5 dynamical scale choice of a weight (the
// DYN_SCALE attribute); ok is false when the weight keeps the run's own
// choice.
func (w *WeightInfo) DynScale() (choice int, ok bool) {
	v, ok := w.Params["DYN_SCALE"]
	return int(v), ok
}
