// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/goldmine-hep/goldmine/delphes/hepmc"
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
}

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
// version; a compressed input is decompressed into Delphes' standard
// input. Delphes writes to a temporary file that is renamed to output
// only on success. On failure, the error gives the exit status, the log
// file and its last lines.
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
	absIn, err := filepath.Abs(input)
	if err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	absOut, err := filepath.Abs(output)
	if err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	logPath := cfg.LogFile
	if logPath == "" {
		logPath = absOut + ".log"
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("delphes: could not create log file: %w", err)
	}
	defer logf.Close()

	// Delphes refuses to overwrite its output: write to a fresh name.
	tmp, err := os.CreateTemp(filepath.Dir(absOut), "."+filepath.Base(absOut)+".tmp*.root")
	if err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath)
	defer os.Remove(tmpPath)

	in, err := os.Open(absIn)
	if err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	defer in.Close()
	br := bufio.NewReader(in)
	args := []string{card, tmpPath}
	var stdin io.Reader
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("delphes: %s: %w", input, err)
		}
		stdin = zr // Delphes reads standard input when given no input file.
	} else {
		args = append(args, absIn)
	}

	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = cfg.Dir
	cmd.Stdin = stdin
	cmd.Stdout = logf
	cmd.Stderr = logf
	fmt.Fprintf(logf, "# goldmine: %s %s\n", bin, strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("delphes: %s on %s failed: %w; log %s ends with:\n%s", filepath.Base(bin), input, err, logPath, tail(logPath, 10))
	}
	if fi, err := os.Stat(tmpPath); err != nil || fi.Size() == 0 {
		return fmt.Errorf("delphes: %s on %s wrote no output; see log %s:\n%s", filepath.Base(bin), input, logPath, tail(logPath, 10))
	}
	if err := os.Rename(tmpPath, absOut); err != nil {
		return fmt.Errorf("delphes: %w", err)
	}
	return nil
}

// tail returns the last n lines of a file, indented.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "    (log unreadable: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    " + strings.Join(lines, "\n    ")
}
