// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/internal/atomicfile"
	"github.com/goldmine-hep/goldmine/internal/extprog"
)

// RunConfig describes a Delphes installation and detector card.
type RunConfig struct {
	// Dir is the Delphes directory: it holds the DelphesHepMC2 (or, for
	// Delphes 3.4, DelphesHepMC) and DelphesHepMC3 executables, directly
	// or in bin/. Delphes runs with Dir as working directory so that the
	// paths inside its cards resolve.
	Dir string
	// Card is the detector card. A relative path is looked up in the
	// current directory first, then in Dir (e.g.
	// "cards/delphes_card_CMS.tcl").
	Card string
	// LogFile receives Delphes' standard output and error; "" means the
	// output path with ".log" appended.
	LogFile string
	// Seed is the seed of Delphes' random numbers (the card variable
	// RandomSeed, 1 to MaxSeed), set by a wrapper card that sources
	// Card. 0 leaves the card's own RandomSeed; most of Delphes' cards
	// set none, and Delphes then seeds from the clock, so that no two
	// runs give the same efficiencies and smearing.
	Seed int64
	// Progress, if not nil, receives a progress line about twice a
	// second: the events passed to Delphes and the share of the input
	// file read.
	Progress io.Writer
}

// MaxSeed is the largest Delphes seed (RandomSeed is read as an Int_t).
const MaxSeed = 1<<31 - 1

// binaries lists the Delphes executables able to read each HepMC version.
var binaries = map[int][]string{
	2: {"DelphesHepMC2", "DelphesHepMC"},
	3: {"DelphesHepMC3"},
}

// Binary returns the path of the Delphes executable for HepMC files of
// the given version (2 or 3) in cfg.Dir.
func (cfg RunConfig) Binary(version int) (string, error) {
	names, ok := binaries[version]
	if !ok {
		return "", fmt.Errorf("delphes: no Delphes reader for HepMC version %d", version)
	}
	if cfg.Dir == "" {
		return "", errors.New("delphes: no Delphes directory given")
	}
	var tried []string
	for _, name := range names {
		for _, sub := range []string{"", "bin"} {
			p := filepath.Join(cfg.Dir, sub, name)
			tried = append(tried, p)
			fi, err := os.Stat(p)
			if err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
				return filepath.Abs(p)
			}
		}
	}
	return "", fmt.Errorf("delphes: no executable %s in Delphes directory %s (tried %s): is Delphes built there?",
		strings.Join(names, " or "), cfg.Dir, strings.Join(tried, ", "))
}

// card returns the absolute path of the detector card.
func (cfg RunConfig) card() (string, error) {
	if cfg.Card == "" {
		return "", errors.New("delphes: no detector card given")
	}
	cands := []string{cfg.Card}
	if !filepath.IsAbs(cfg.Card) && cfg.Dir != "" {
		cands = append(cands, filepath.Join(cfg.Dir, cfg.Card))
	}
	for _, p := range cands {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return filepath.Abs(p)
		}
	}
	return "", fmt.Errorf("delphes: detector card %s not found (tried %s)", cfg.Card, strings.Join(cands, ", "))
}

// Run simulates the detector response to the events of the HepMC file
// input (HepMC2 or HepMC3, plain or gzip-compressed) and writes the
// Delphes ROOT file output. The executable is chosen by the file's HepMC
// version. goldmine passes the events to Delphes' standard input,
// counting them on the way, and Delphes writes to a hidden temporary
// file next to output, which is renamed to output only when every check
// passed:
//
//   - Delphes exited with status 0 and ctx was not cancelled (Delphes
//     catches an interrupt, stops reading and writes a valid ROOT file
//     of the events so far);
//   - the input ended with its END_EVENT_LISTING line (a truncated file
//     makes Delphes print an error, skip the broken event and exit 0);
//   - Delphes' log has no "** ERROR" line;
//   - the ROOT file's tree holds one entry per event of the input.
//
// A failure is an error that names the program, the input file, the log
// file and gives the log's last lines; nothing is left at output. With
// cfg.Seed set, the card Delphes reads is output + ".tcl".
func Run(ctx context.Context, cfg RunConfig, input, output string) error {
	hr, err := hepmc.Open(input)
	if err != nil {
		return fmt.Errorf("delphes: could not read input: %w", err)
	}
	version := hr.Version()
	hr.Close()

	bin, err := cfg.Binary(version)
	if err != nil {
		return err
	}
	card, err := cfg.card()
	if err != nil {
		return err
	}
	if cfg.Seed < 0 || cfg.Seed > MaxSeed {
		return fmt.Errorf("delphes: seed %d out of range 1 to %d", cfg.Seed, MaxSeed)
	}
	absOut, err := filepath.Abs(output)
	if err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	if cfg.Seed != 0 {
		// The card Delphes reads: the detector card and the seed, kept
		// next to the output as a record of the run.
		if strings.ContainsAny(card, "{}") {
			return fmt.Errorf("delphes: card path %s has braces, which Delphes' Tcl cannot source", card)
		}
		seeded := absOut + ".tcl"
		// Delphes' source takes its path relative to the sourcing card.
		rel, err := filepath.Rel(filepath.Dir(seeded), card)
		if err != nil {
			return fmt.Errorf("delphes: %w", err)
		}
		text := fmt.Sprintf("# Delphes card written by goldmine: %s with the random seed of the run\nsource {%s}\nset RandomSeed %d\n", cfg.Card, rel, cfg.Seed)
		if err := atomicfile.WriteFile(seeded, []byte(text), 0o644); err != nil {
			return fmt.Errorf("delphes: %w", err)
		}
		card = seeded
	}
	logPath := cfg.LogFile
	if logPath == "" {
		logPath = absOut + ".log"
	}
	partial, err := extprog.Partial(absOut)
	if err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	defer os.Remove(partial)

	in, err := os.Open(input)
	if err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	defer in.Close()
	size := int64(-1)
	if fi, err := in.Stat(); err == nil {
		size = fi.Size()
	}
	br := bufio.NewReaderSize(in, 1<<16)
	var src io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("delphes: %s: %w", input, err)
		}
		src = zr
	}
	ev := &eventCounter{r: src}
	var stdin io.Reader = ev
	if cfg.Progress != nil {
		p := &runProgress{w: cfg.Progress, name: filepath.Base(input), in: in, ev: ev, size: size}
		defer p.done()
		stdin = p
	}

	cmd := &extprog.Cmd{
		Path:  bin,
		Args:  []string{card, partial}, // no input file: Delphes reads standard input
		Dir:   cfg.Dir,
		Stdin: stdin,
		Input: input,
		Log:   logPath,
	}
	if err := extprog.Run(ctx, cmd); err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("delphes: %w", cmd.Fail(fmt.Errorf(format, args...)))
	}
	switch {
	case ev.err != nil:
		return fail("could not read the input: %v", ev.err)
	case !ev.ended:
		return fail("the input ends after %d events without its END_EVENT_LISTING line (truncated file?)", ev.events)
	}
	if lines := logErrors(logPath, 3); len(lines) > 0 {
		return fail("Delphes reported %s", strings.Join(lines, "; "))
	}
	if fi, err := os.Stat(partial); err != nil || fi.Size() == 0 {
		return fail("Delphes wrote no output")
	}
	t, err := OpenTree(partial, DefaultTree)
	if err != nil {
		return fail("the output is not a readable Delphes file: %v", err)
	}
	n := t.Entries()
	t.Close()
	if n != ev.events {
		return fail("Delphes wrote %d events but the input has %d", n, ev.events)
	}
	if err := os.Rename(partial, absOut); err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	return nil
}

// logErrors returns up to max distinct "** ERROR" lines of Delphes' log.
func logErrors(path string, max int) []string {
	return extprog.Grep(path, max, func(line string) []string {
		var msgs []string
		// Progress bars redrawn with '\r' share a line with messages.
		for _, l := range strings.Split(line, "\r") {
			if i := strings.Index(l, "** ERROR"); i >= 0 {
				msgs = append(msgs, strings.TrimSpace(l[i:]))
			}
		}
		return msgs
	})
}

// eventCounter passes a HepMC text stream through, counting its events
// (lines starting "E ") and noting whether its last non-blank line is
// the END_EVENT_LISTING of HepMC2 or HepMC3.
type eventCounter struct {
	r      io.Reader
	events int64
	ended  bool // last complete non-blank line was the end marker
	start  bool // the next byte starts a line
	line   []byte
	err    error // read error other than io.EOF
}

func (c *eventCounter) Read(p []byte) (int, error) {
	if c.line == nil {
		c.start = true
		c.line = make([]byte, 0, 64)
	}
	n, err := c.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			c.endLine()
			continue
		}
		if len(c.line) < cap(c.line) {
			c.line = append(c.line, b)
		}
	}
	if err == io.EOF && len(c.line) > 0 {
		c.endLine()
	}
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}

func (c *eventCounter) endLine() {
	l := bytes.TrimSpace(c.line)
	c.line = c.line[:0]
	if len(l) == 0 {
		return
	}
	if len(l) > 1 && l[0] == 'E' && l[1] == ' ' {
		c.events++
	}
	c.ended = bytes.HasPrefix(l, []byte("HepMC::")) && bytes.HasSuffix(l, []byte("-END_EVENT_LISTING"))
}

// runProgress prints the progress of a Delphes run as its input is read.
type runProgress struct {
	w    io.Writer
	name string
	in   *os.File // the input file, whose offset tells how far it is read
	ev   *eventCounter
	size int64
	last time.Time
}

func (p *runProgress) Read(b []byte) (int, error) {
	n, err := p.ev.Read(b)
	if now := time.Now(); now.Sub(p.last) > 500*time.Millisecond {
		p.last = now
		p.print("")
	}
	return n, err
}

func (p *runProgress) print(end string) {
	if off, err := p.in.Seek(0, io.SeekCurrent); err == nil && p.size > 0 {
		fmt.Fprintf(p.w, "\rdelphes: %s: %d events (%.0f%%)%s", p.name, p.ev.events, 100*float64(off)/float64(p.size), end)
		return
	}
	fmt.Fprintf(p.w, "\rdelphes: %s: %d events%s", p.name, p.ev.events, end)
}

func (p *runProgress) done() { p.print("\n") }
