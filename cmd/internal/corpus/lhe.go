// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package corpus

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goldmine-hep/goldmine/pipeline"
)

// prepare runs the reduced campaign whose outputs the binary cases damage
// and whose setup the analyse cases use.
func (g *gen) prepare() error {
	lhe := filepath.Join(g.root, "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz")
	text, err := g.cardFor(lhe)
	if err != nil {
		return err
	}
	path, err := g.write([]byte(text), "base", "card.yaml")
	if err != nil {
		return err
	}
	c, err := loadCard(path)
	if err != nil {
		return err
	}
	g.work = filepath.Join(g.dir, "base", "work")
	env := pipeline.NewEnv(c, g.work, nil, nil)
	for _, st := range []string{"setup", "analyse", "augment", "train"} {
		if _, err := pipeline.RunStage(context.Background(), env, st); err != nil {
			return fmt.Errorf("corpus: %s: %w", st, err)
		}
	}
	return nil
}

// lheRE is what an error about an LHE file says: the file and the line.
func lheRE(path string) string { return "lhe: " + regexp.QuoteMeta(path) + `:\d+: ` }

// inspectLHE adds a case that reads the LHE file text with goldmine
// inspect.
func (g *gen) inspectLHE(name string, text []byte, want Outcome, gz bool) error {
	file := name + ".lhe"
	if gz {
		file += ".gz"
	}
	p, err := g.write(text, "lhe", file)
	if err != nil {
		return err
	}
	g.add(Case{Name: "lhe/" + name, Kind: "lhe", Want: want, Args: []string{"--quiet", "inspect", p}, Match: lheRE(p)})
	return nil
}

// analyseLHE adds a case that analyses the LHE file text with the reduced
// card (edited by edits) in a workdir holding the prepared setup.
func (g *gen) analyseLHE(name string, text []byte, want Outcome, match, warn string, edits ...string) error {
	p, err := g.write(text, "lhe", name+".lhe")
	if err != nil {
		return err
	}
	card, err := g.cardFor(p, edits...)
	if err != nil {
		return err
	}
	cp, err := g.write([]byte(card), "lhe", name+".yaml")
	if err != nil {
		return err
	}
	work := filepath.Join(g.dir, "lhe", name+"-work")
	if err := copyFile(filepath.Join(g.work, "setup.h5"), filepath.Join(work, "setup.h5")); err != nil {
		return err
	}
	if match == "" {
		match = lheRE(p)
	}
	g.add(Case{Name: "lhe/" + name, Kind: "lhe", Want: want, Args: []string{"--quiet", "--workdir", work, "analyse", cp}, Match: strings.ReplaceAll(match, "FILE", regexp.QuoteMeta(p)), Warn: warn})
	return nil
}

// eventLines splits event k of the small file into its lines.
func (g *gen) event(k int) []string {
	return strings.SplitAfter(g.events[k], "\n")
}

// withEvent returns the small file (events [0, n)) with event k replaced
// by ev.
func (g *gen) withEvent(n, k int, ev string) string {
	var s strings.Builder
	s.WriteString(g.head)
	for i, e := range g.events[:n] {
		if i == k {
			e = ev
		}
		s.WriteString(e)
	}
	s.WriteString(g.tail)
	return s.String()
}

// setField replaces field f (0-based, white-space separated) of line l of
// event k.
func (g *gen) setField(k, l, f int, v string) string {
	lines := g.event(k)
	fields := strings.Fields(lines[l])
	fields[f] = v
	lines[l] = strings.Join(fields, " ") + "\n"
	return strings.Join(lines, "")
}

// lheCases adds the LHE mutations: broken structure, non-finite and
// malformed values, damaged compression, and files that must be read.
func (g *gen) lheCases() error {
	const n = 300 // events of the small file
	small := g.lhe(0, n)
	var errs []error
	add := func(name, text string, want Outcome) {
		errs = append(errs, g.inspectLHE(name, []byte(text), want, false))
	}
	addGz := func(name string, b []byte, want Outcome) {
		errs = append(errs, g.inspectLHE(name, b, want, true))
	}
	upTo := func(k int) string { // header and events [0, k)
		var s strings.Builder
		s.WriteString(g.head)
		for _, e := range g.events[:k] {
			s.WriteString(e)
		}
		return s.String()
	}
	rest := func(k int) string { // events [k, n) and the end
		var s strings.Builder
		for _, e := range g.events[k:n] {
			s.WriteString(e)
		}
		s.WriteString(g.tail)
		return s.String()
	}

	// Files that must be read.
	add("ok-small", small, OK)
	addGz("ok-small-gzip", gzipBytes([]byte(small)), OK)
	add("ok-crlf", strings.ReplaceAll(small, "\n", "\r\n"), OK)
	add("ok-comment-between-events", upTo(100)+"<!-- a comment\nover lines 1 2 3\n-->\n"+rest(100), OK)
	add("ok-one-line-comment", upTo(10)+"<!-- one line -->\n"+rest(10), OK)
	add("ok-blank-lines", upTo(50)+"\n\n   \n"+rest(50), OK)
	add("ok-powheg-trailer", small+" #Random number generator exit values: 1 2 0\n", OK)
	add("ok-comment-after-end", small+"<!-- done -->\n\n", OK)
	add("ok-fortran-exponent", g.withEvent(n, 5, strings.Replace(g.events[5], "e+01", "d+01", 1)), OK)
	add("ok-no-final-newline", strings.TrimSuffix(small, "\n"), OK)
	add("ok-leading-blank-lines", "\n\n"+small, OK)
	addGz("ok-gzip-members", append(gzipBytes([]byte(upTo(150))), gzipBytes([]byte(rest(150)))...), OK)
	add("ok-weight-order", g.withEvent(n, 3, swapWeights(g.events[3])), OK)

	// The three data-loss cases of issue 19, on the full sample.
	comment := upTo(951) + "<!-- a comment that is never closed\n"
	for _, e := range g.events[951:] {
		comment += e
	}
	add("comment-unterminated-after-950", comment+g.tail, Error)
	add("cut-after-2501-events", upTo(2501), Error)
	add("concatenated-twice", g.lhe(0, 5000)+g.lhe(0, 5000), Error)

	// Structure.
	for _, k := range []int{0, 150, 299} {
		add(fmt.Sprintf("comment-unterminated-after-%d", k), upTo(k+1)+"<!-- never closed\n"+rest(k+1), Error)
	}
	for _, k := range []int{20, 200} {
		add(fmt.Sprintf("cdata-unterminated-after-%d", k), upTo(k+1)+"<![CDATA[ never closed\n"+rest(k+1), Error)
	}
	for _, k := range []int{1, 150, 299} {
		add(fmt.Sprintf("cut-after-%d-events", k), upTo(k), Error)
	}
	rnd := rand.New(rand.NewPCG(19, 21))
	for i := range 10 {
		k := 1 + rnd.IntN(n-2)
		ev := g.events[k]
		add(fmt.Sprintf("cut-inside-event-%d-at-%d", k, i), upTo(k)+ev[:1+rnd.IntN(len(ev)-2)], Error)
	}
	for i, f := range []float64{0.1, 0.5, 0.9, 0.99} {
		add(fmt.Sprintf("cut-inside-header-%d", i), g.head[:int(f*float64(len(g.head)))], Error)
	}
	add("cut-inside-end-tag", small[:len(small)-8], Error)
	add("second-header-after-end", small+g.head, Error)
	add("garbage-after-end", small+"garbage\n", Error)
	add("event-after-end", small+g.events[0], Error)
	add("numbers-after-end", small+"1 2 3\n", Error)
	add("text-on-end-tag-line", strings.Replace(small, "</LesHouchesEvents>", "</LesHouchesEvents> trailing", 1), Error)
	for _, k := range []int{0, 77, 299} {
		add(fmt.Sprintf("missing-end-event-%d", k), g.withEvent(n, k, strings.Replace(g.events[k], "</event>\n", "", 1)), Error)
	}
	add("duplicated-event-tag", g.withEvent(n, 10, "<event>\n"+g.events[10]), Error)
	add("unterminated-event-tag", g.withEvent(n, 12, strings.Replace(g.events[12], "<event>", "<event", 1)), Error)
	add("unterminated-end-tag", strings.Replace(small, "</LesHouchesEvents>", "</LesHouchesEvents", 1), Error)
	add("unterminated-tag-between-events", upTo(40)+"<eventgroup\n"+rest(40), Error)
	add("end-tag-inside-event", g.withEvent(n, 30, strings.Replace(g.events[30], "</rwgt>\n", "</rwgt>\n</LesHouchesEvents>\n", 1)), Error)
	add("no-root-tag", strings.Replace(small, "<LesHouchesEvents", "<LesHouchesEventz", 1), Error)
	add("no-init", strings.Replace(small, "<init>", "<inot>", 1), Error)
	add("comment-unterminated-in-header", strings.Replace(small, "<header>", "<header>\n<!-- never closed", 1), Error)
	add("cdata-unterminated-in-header", strings.Replace(small, "]]>", "", 1), Error)
	add("empty", "", Error)
	add("blank", "\n\n \n", Error)
	add("not-lhe", "just some text\n", Error)

	// NUL bytes.
	for _, k := range []int{0, 100, 299} {
		add(fmt.Sprintf("nul-in-event-%d", k), g.withEvent(n, k, strings.Replace(g.events[k], "e+01", "e\x00\x00\x00", 1)), Error)
	}
	add("nul-in-header", strings.Replace(small, "BLOCK", "BL\x00CK", 1), Error)
	for i, off := range []int{len(small) / 3, 2 * len(small) / 3} {
		b := []byte(small)
		copy(b[off:off+4096], make([]byte, 4096))
		add(fmt.Sprintf("nul-block-%d", i), string(b), Error)
	}

	// Non-finite and impossible values.
	for i, c := range []struct {
		k, line, field int
		v              string
	}{
		{0, 1, 6, "nan"}, {1, 2, 7, "NaN"}, {2, 3, 8, "-nan"}, {3, 4, 9, "inf"}, {4, 5, 10, "-Infinity"},
		{5, 6, 6, "1e400"}, {6, 3, 9, "-1.7e309"}, {7, 1, 9, "1d999"},
		{8, 0, 2, "nan"}, {9, 0, 3, "inf"}, {10, 0, 4, "NaN"}, {11, 0, 5, "1e500"},
		{12, 1, 11, "nan"}, {13, 2, 12, "inf"},
	} {
		add(fmt.Sprintf("nonfinite-%d-event-%d-line-%d", i, c.k, c.line), g.withEvent(n, c.k, g.setField(c.k, c.line+1, c.field, c.v)), Error)
	}
	for i, k := range []int{20, 21} {
		add(fmt.Sprintf("nonfinite-reweighting-weight-%d", i), g.withEvent(n, k, regexp.MustCompile(`> [-+0-9.e]+ </wgt>`).ReplaceAllString(g.events[k], "> nan </wgt>")), Error)
	}
	add("nonfinite-init-xsec", strings.Replace(small, "1.903100e-02 3.539600e-05", "nan 3.539600e-05", 1), Error)
	add("nonfinite-init-energy", strings.Replace(small, "6.500000e+03 6.500000e+03", "6.500000e+03 inf", 1), Error)
	add("init-process-count-huge", strings.Replace(small, "-4 1\n", "-4 99999\n", 1), Error)

	// Malformed values and counts.
	for i, c := range []struct {
		k, line, field int
		v              string
	}{
		{30, 1, 6, "1.0x"}, {31, 2, 8, "--3"}, {32, 3, 0, "eleven"}, {33, 0, 0, "6.5"}, {34, 0, 2, "weight"},
		{35, 4, 1, "1.5"},
	} {
		add(fmt.Sprintf("non-numeric-%d", i), g.withEvent(n, c.k, g.setField(c.k, c.line+1, c.field, c.v)), Error)
	}
	for i, c := range []struct{ k, nup int }{{40, 7}, {41, 5}, {42, 0}, {43, 1000000}, {44, -1}} {
		add(fmt.Sprintf("nup-%d-is-%d", i, c.nup), g.withEvent(n, c.k, g.setField(c.k, 1, 0, fmt.Sprint(c.nup))), Error)
	}
	drop := func(k, line int) string {
		lines := g.event(k)
		return strings.Join(append(lines[:line:line], lines[line+1:]...), "")
	}
	add("particle-line-short", g.withEvent(n, 50, strings.Replace(g.events[50], " 0.0000e+00 1.0000e+00\n", "\n", 1)), Error)
	add("particle-line-long", g.withEvent(n, 51, strings.Replace(g.events[51], "e+00\n", "e+00 7\n", 1)), Error)
	add("missing-weight", g.withEvent(n, 52, drop(52, 9)), Error)
	add("weight-twice", g.withEvent(n, 53, strings.Replace(g.events[53], "morphing_basis_vector_2", "morphing_basis_vector_1", 1)), Error)
	add("unknown-weight-id", g.withEvent(n, 54, strings.Replace(g.events[54], "morphing_basis_vector_3", "vector_99", 1)), Error)
	add("rwgt-unterminated", g.withEvent(n, 55, strings.Replace(g.events[55], "</rwgt>\n", "", 1)), Error)
	add("no-rwgt", g.withEvent(n, 56, regexp.MustCompile(`(?s)<rwgt>.*</rwgt>\n`).ReplaceAllString(g.events[56], "")), Error)
	add("weights-without-value", g.withEvent(n, 57, regexp.MustCompile(`> [-+0-9.e]+ </wgt>`).ReplaceAllString(g.events[57], "></wgt>")), Error)
	add("data-outside-event", upTo(60)+"1 2 3 4 5 6\n"+rest(60), Error)
	add("event-line-fields", g.withEvent(n, 61, g.setField(61, 1, 5, "0.1 0.2")), Error)

	// Compression.
	gz := gzipBytes([]byte(small))
	for i, cut := range []int{len(gz) / 3, len(gz) - 100, len(gz) - 5} {
		addGz(fmt.Sprintf("gzip-cut-%d", i), gz[:cut], Error)
	}
	addGz("gzip-trailing-text", append(append([]byte(nil), gz...), "trailing text"...), Error)
	addGz("gzip-trailing-zeros", append(append([]byte(nil), gz...), make([]byte, 4096)...), Error)
	addGz("gzip-trailing-three-bytes", append(append([]byte(nil), gz...), 1, 2, 3), Error)
	addGz("gzip-two-files", append(append([]byte(nil), gz...), gz...), Error)
	bad := append([]byte(nil), gz...)
	bad[len(bad)/2] ^= 0xff
	addGz("gzip-corrupt-deflate", bad, Error)
	bad = append([]byte(nil), gz...)
	bad[len(bad)-6] ^= 0x01 // the CRC-32 of the member
	addGz("gzip-bad-checksum", bad, Error)

	// Random damage: a clear error or a read, never a trace or a hang.
	for i := range 12 {
		b := []byte(small)
		for range 1 + rnd.IntN(4) {
			b[rnd.IntN(len(b))] = byte(rnd.IntN(256))
		}
		add(fmt.Sprintf("random-bytes-%d", i), string(b), Either)
	}

	// Through goldmine analyse: the card options and the sample checks.
	errs = append(errs,
		g.analyseLHE("analyse-truncated", []byte(upTo(2501)), Error, "", ""),
		g.analyseLHE("analyse-truncated-allowed", []byte(upTo(2501)), OK, "", "read the 2501 complete events",
			"    sampled_from: sm\n", "    sampled_from: sm\n    allow_truncated: true\n"),
		g.analyseLHE("analyse-cut-inside-event-allowed", []byte(upTo(2501)+g.events[2501][:200]), OK, "", "the incomplete event is dropped",
			"    sampled_from: sm\n", "    sampled_from: sm\n    allow_truncated: true\n"),
		g.analyseLHE("analyse-nan-momentum", []byte(g.withEvent(n, 7, g.setField(7, 3, 6, "nan"))), Error, "", ""),
		g.analyseLHE("analyse-nan-momentum-dropped", []byte(g.withEvent(n, 7, g.setField(7, 3, 6, "nan"))), OK, "", "dropped 1 events with non-finite values",
			"    sampled_from: sm\n", "    sampled_from: sm\n    drop_non_finite: true\n"),
		g.analyseLHE("analyse-zero-weights", []byte(regexp.MustCompile(`(?m)^(<event>\n\s*\d+\s+\d+\s+)\S+`).ReplaceAllString(small, "${1}0.0")), Error,
			`analysis: FILE: sample zh: the event weights \(XWGTUP\) of its 300 events sum to 0`, ""),
		g.analyseLHE("analyse-concatenated", []byte(small+small), Error, "", ""),
	)
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// swapWeights swaps the first two <wgt> lines of an event (legal: weights
// are matched by id).
func swapWeights(ev string) string {
	lines := strings.SplitAfter(ev, "\n")
	var idx []int
	for i, l := range lines {
		if strings.HasPrefix(l, "<wgt") {
			idx = append(idx, i)
		}
	}
	if len(idx) >= 2 {
		lines[idx[0]], lines[idx[1]] = lines[idx[1]], lines[idx[0]]
	}
	return strings.Join(lines, "")
}
