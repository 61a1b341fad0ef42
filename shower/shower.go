// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package shower

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/delphes"
	"github.com/goldmine-hep/goldmine/delphes/hepmc"
	"github.com/goldmine-hep/goldmine/internal/atomicfile"
	"github.com/goldmine-hep/goldmine/internal/extprog"
	"github.com/goldmine-hep/goldmine/lhe"
)

// MaxSeed is the largest seed Pythia 8 accepts (Random:seed).
const MaxSeed = 900000000

// Config describes a Pythia 8 program and the settings of a shower run.
type Config struct {
	// Program is the Pythia 8 executable, called as "Program
	// COMMANDFILE OUTPUT" (Pythia's example main42, or a program of the
	// user with that command line). A name without a slash is looked up
	// in PATH.
	Program string
	// Data is the folder of Pythia's data files, passed as PYTHIA8DATA.
	// "" means $PYTHIA8DATA if set, else share/Pythia8/xmldoc beside the
	// program's bin/ folder if it exists.
	Data string
	// CommandFile is a Pythia command file of the user (tune, decays,
	// ...) whose lines are copied into the command file goldmine
	// writes; "" means none.
	CommandFile string
	// Settings are further Pythia settings, one a line
	// ("PartonLevel:MPI = off"), after those of CommandFile.
	Settings []string
	// Events is the number of LHE events to shower, from the start of
	// the file; 0 means all of them.
	Events int
	// Seed is Pythia's random seed (Random:seed), 1 to MaxSeed; 0 leaves
	// it to the command file, whose default is Pythia's fixed default
	// seed. Either way a run is reproducible.
	Seed int
	// LogFile receives the program's output; "" means the output path
	// with ".log" appended.
	LogFile string
	// AllowDropped accepts LHE events that Pythia dropped (an event that
	// fails in the shower is skipped); by default they fail the run.
	AllowDropped bool
	// Progress, if not nil, receives a progress line as Pythia reports
	// events.
	Progress io.Writer
}

// Result describes a finished shower run.
type Result struct {
	Input       string // the LHE file
	Output      string // the HepMC file
	CommandFile string // the command file goldmine wrote (output + ".cmnd")
	Log         string
	Version     int // HepMC version of the output
	// LHEEvents is the number of LHE events offered to Pythia, Events
	// the number of HepMC events written.
	LHEEvents, Events int
	// Pairing is the check of the HepMC events against the LHE events.
	Pairing  *delphes.PairReport
	Duration time.Duration
}

// ownedKeys are the settings that goldmine writes: a user command file
// must not set them.
var ownedKeys = map[string]string{
	"beams:frametype":     "goldmine showers LHE files (Beams:frameType = 4)",
	"beams:lhef":          "goldmine names the LHE file",
	"main:numberofevents": "set the number of events in the card",
}

// settingKey returns the lower-case name of the Pythia setting on a
// command-file line, or "" for a comment or blank line. Pythia takes
// lines that do not start with a letter as comments.
func settingKey(line string) string {
	l := strings.TrimSpace(line)
	if l == "" || !(l[0] >= 'a' && l[0] <= 'z' || l[0] >= 'A' && l[0] <= 'Z') {
		return ""
	}
	end := strings.IndexAny(l, " \t=")
	if end < 0 {
		end = len(l)
	}
	return strings.ToLower(l[:end])
}

// commandFile returns the Pythia command file of a run on the LHE file
// named lheName (as Pythia will open it) with n events.
func (cfg *Config) commandFile(lheName string, n int) ([]byte, error) {
	if cfg.Seed < 0 || cfg.Seed > MaxSeed {
		return nil, fmt.Errorf("shower: seed %d out of Pythia's range 1 to %d", cfg.Seed, MaxSeed)
	}
	if strings.ContainsAny(lheName, " \t\n") {
		return nil, fmt.Errorf("shower: LHE file name %q has white space, which Pythia cannot read", lheName)
	}
	var user []string
	var from []string
	if cfg.CommandFile != "" {
		b, err := os.ReadFile(cfg.CommandFile)
		if err != nil {
			return nil, fmt.Errorf("shower: could not read the command file: %w", err)
		}
		for i, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
			user = append(user, strings.TrimRight(l, "\r"))
			from = append(from, fmt.Sprintf("%s:%d", cfg.CommandFile, i+1))
		}
	}
	for i, l := range cfg.Settings {
		if strings.ContainsAny(l, "\n") {
			return nil, fmt.Errorf("shower: setting %d (%q) spans lines", i+1, l)
		}
		user = append(user, l)
		from = append(from, fmt.Sprintf("setting %d", i+1))
	}
	for i, l := range user {
		k := settingKey(l)
		if why, ok := ownedKeys[k]; ok {
			return nil, fmt.Errorf("shower: %s sets %s: %s", from[i], strings.Fields(strings.TrimSpace(l))[0], why)
		}
		if cfg.Seed != 0 && (k == "random:seed" || k == "random:setseed") {
			return nil, fmt.Errorf("shower: %s sets the random seed, which the card sets (%d)", from[i], cfg.Seed)
		}
	}
	var b bytes.Buffer
	b.WriteString("! Pythia 8 command file written by goldmine\n")
	b.WriteString("! goldmine's defaults: a short log with progress lines\n")
	b.WriteString("Next:numberShowEvent = 0\nNext:numberShowProcess = 0\n")
	fmt.Fprintf(&b, "Next:numberCount = %d\n", max(1, n/20))
	if cfg.CommandFile != "" {
		fmt.Fprintf(&b, "! from %s\n", cfg.CommandFile)
		for _, l := range user[:len(user)-len(cfg.Settings)] {
			b.WriteString(l + "\n")
		}
	}
	if len(cfg.Settings) > 0 {
		b.WriteString("! settings\n")
		for _, l := range cfg.Settings {
			b.WriteString(l + "\n")
		}
	}
	b.WriteString("! what goldmine runs\n")
	b.WriteString("Beams:frameType = 4\n")
	fmt.Fprintf(&b, "Beams:LHEF = %s\n", lheName)
	fmt.Fprintf(&b, "Main:numberOfEvents = %d\n", n)
	if cfg.Seed != 0 {
		fmt.Fprintf(&b, "Random:setSeed = on\nRandom:seed = %d\n", cfg.Seed)
	}
	return b.Bytes(), nil
}

// data returns the PYTHIA8DATA folder to pass, or "".
func (cfg *Config) data() string {
	if cfg.Data != "" {
		return cfg.Data
	}
	if d := os.Getenv("PYTHIA8DATA"); d != "" {
		return d
	}
	d := filepath.Join(filepath.Dir(filepath.Dir(cfg.Program)), "share", "Pythia8", "xmldoc")
	if fi, err := os.Stat(d); err == nil && fi.IsDir() {
		return d
	}
	return ""
}

// countLHE returns the number of events of the LHE file at path, or
// limit if it has more and limit > 0, and whether it is gzip-compressed.
func countLHE(path string, limit int) (n int, gz bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false, err
	}
	var magic [2]byte
	_, err = io.ReadFull(f, magic[:])
	f.Close()
	gz = err == nil && magic[0] == 0x1f && magic[1] == 0x8b
	r, err := lhe.Open(path)
	if err != nil {
		return 0, gz, err
	}
	defer r.Close()
	for (limit <= 0 || n < limit) && r.Next() {
		n++
	}
	return n, gz, r.Err()
}

// copyLHE writes the LHE file src (plain or gzip-compressed), cut after
// its first maxEvents events when maxEvents > 0, as a plain file dst.
func copyLHE(src, dst string, maxEvents int) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	br := bufio.NewReaderSize(in, 1<<16)
	var r io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		r = zr
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<26)
	events := 0
	for sc.Scan() {
		l := sc.Bytes()
		bw.Write(l)
		bw.WriteByte('\n')
		if maxEvents > 0 && bytes.HasPrefix(bytes.TrimSpace(l), []byte("</event>")) {
			if events++; events == maxEvents {
				bw.WriteString("</LesHouchesEvents>\n")
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		out.Close()
		return fmt.Errorf("%s: %w", src, err)
	}
	if err := bw.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// pythiaAbort matches the lines by which Pythia 8 and main42 give up.
// Pythia also reports the end of the LHE file as an abort, which is
// where a run ends when vetoes (MLM matching) made it read more LHE
// events than it wrote: that is for the pairing to judge.
var (
	pythiaAbort = regexp.MustCompile(`PYTHIA Abort|aborted prematurely`)
	pythiaEOF   = regexp.MustCompile(`reached end of Les Houches Event`)
)

// progressLine matches Pythia's "Pythia::next(): 100 events have been
// generated".
var progressLine = regexp.MustCompile(`Pythia::next\(\): (\d+) events have been generated`)

// Run showers the LHE file input (plain or gzip-compressed) with Pythia 8
// and writes the HepMC file output; see the package documentation for
// the checks. The command file is written to output + ".cmnd".
func Run(ctx context.Context, cfg Config, input, output string) (*Result, error) {
	start := time.Now()
	if cfg.Program == "" {
		return nil, errors.New("shower: no Pythia 8 program given")
	}
	prog := cfg.Program
	if !strings.ContainsRune(prog, filepath.Separator) {
		if p, err := exec.LookPath(prog); err == nil {
			prog = p
		}
	}
	prog, err := filepath.Abs(prog)
	if err != nil {
		return nil, fmt.Errorf("shower: %w", err)
	}
	if fi, err := os.Stat(prog); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return nil, fmt.Errorf("shower: Pythia 8 program %s is not an executable file", cfg.Program)
	}
	if cfg.Events < 0 {
		return nil, fmt.Errorf("shower: negative number of events %d", cfg.Events)
	}
	absOut, err := filepath.Abs(output)
	if err != nil {
		return nil, fmt.Errorf("shower: %w", err)
	}
	dir := filepath.Dir(absOut)
	res := &Result{Input: input, Output: output, CommandFile: absOut + ".cmnd", Log: cfg.LogFile}
	if res.Log == "" {
		res.Log = absOut + ".log"
	}

	// With a number of events given, reading one more tells whether
	// they are all of the file.
	limit := 0
	if cfg.Events > 0 {
		limit = cfg.Events + 1
	}
	total, gz, err := countLHE(input, limit)
	if err != nil {
		return nil, fmt.Errorf("shower: could not read the LHE file: %w", err)
	}
	n := total
	if cfg.Events > 0 {
		if cfg.Events > total {
			return nil, fmt.Errorf("shower: %d events asked for, but %s has %d", cfg.Events, input, total)
		}
		n = cfg.Events
	}
	if n == 0 {
		return nil, fmt.Errorf("shower: %s has no events", input)
	}
	res.LHEEvents = n

	// Pythia reads plain LHE files, and words without white space. A
	// compressed file is decompressed, as far as Pythia may read it: the
	// events to shower and as many again for events that fail.
	lheName, err := filepath.Abs(input)
	if err != nil {
		return nil, fmt.Errorf("shower: %w", err)
	}
	if gz || strings.ContainsAny(lheName, " \t") {
		tmp, err := extprog.Partial(filepath.Join(dir, "events.lhe"))
		if err != nil {
			return nil, fmt.Errorf("shower: %w", err)
		}
		defer os.Remove(tmp)
		if gz {
			upTo := 0
			if n < total {
				upTo = 2*n + 100
			}
			err = copyLHE(input, tmp, upTo)
		} else {
			err = os.Symlink(lheName, tmp)
		}
		if err != nil {
			return nil, fmt.Errorf("shower: could not prepare the LHE file for Pythia: %w", err)
		}
		lheName = filepath.Base(tmp) // Pythia runs in dir
	}
	cmnd, err := cfg.commandFile(lheName, n)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(res.CommandFile, cmnd, 0o644); err != nil {
		return nil, fmt.Errorf("shower: %w", err)
	}

	partial, err := extprog.Partial(absOut)
	if err != nil {
		return nil, fmt.Errorf("shower: %w", err)
	}
	defer os.Remove(partial)
	cmd := &extprog.Cmd{
		Path:  prog,
		Args:  []string{res.CommandFile, partial},
		Dir:   dir,
		Input: input,
		Log:   res.Log,
	}
	if d := cfg.data(); d != "" {
		cmd.Env = []string{"PYTHIA8DATA=" + d}
	}
	if cfg.Progress != nil {
		name := filepath.Base(input)
		cmd.Watch = func(l string) {
			if m := progressLine.FindStringSubmatch(l); m != nil {
				fmt.Fprintf(cfg.Progress, "\rshower: %s: %s/%d events", name, m[1], n)
			}
		}
		defer func() {
			fmt.Fprintf(cfg.Progress, "\rshower: %s: done after %.1fs\n", name, time.Since(start).Seconds())
		}()
	}
	if err := extprog.Run(ctx, cmd); err != nil {
		return nil, fmt.Errorf("shower: %w", err)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("shower: %w", cmd.Fail(fmt.Errorf(format, args...)))
	}
	if lines := grepLog(res.Log, pythiaAbort, 3); len(lines) > 0 {
		return nil, fail("Pythia gave up: %s", strings.Join(lines, "; "))
	}

	// Read the HepMC file back and pair it with the LHE events.
	rep, version, err := pairOutput(input, partial, output, &delphes.PairOptions{AllowDropped: cfg.AllowDropped, Prefix: n < total})
	if err != nil {
		return nil, fail("%v", err)
	}
	res.Pairing, res.Version, res.Events = rep, version, rep.Events
	if res.Events == 0 {
		return nil, fail("Pythia wrote no events")
	}
	if err := os.Rename(partial, absOut); err != nil {
		return nil, fmt.Errorf("shower: %w", err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// pairOutput reads the HepMC file at path, to be renamed to output (the
// name its errors give), and pairs its events with those of the LHE file
// input.
func pairOutput(input, path, output string, opts *delphes.PairOptions) (*delphes.PairReport, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("no HepMC output: %w", err)
	}
	defer f.Close()
	hr, err := hepmc.NewReader(f, output)
	if err != nil {
		return nil, 0, err
	}
	lr, err := lhe.Open(input)
	if err != nil {
		return nil, 0, err
	}
	defer lr.Close()
	rep, err := delphes.PairHepMC(lr, hr, opts)
	if err != nil {
		return nil, 0, err
	}
	return rep, hr.Version(), nil
}

// grepLog returns up to max distinct lines of the log that match re,
// except Pythia's end of the LHE file.
func grepLog(path string, re *regexp.Regexp, max int) []string {
	return extprog.Grep(path, max, func(line string) []string {
		if l := strings.TrimSpace(line); re.MatchString(l) && !pythiaEOF.MatchString(l) {
			return []string{l}
		}
		return nil
	})
}
