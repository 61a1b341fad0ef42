// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package corpus generates goldmine's robustness corpus: malformed LHE
// files, cards, .npy arrays and HDF5 files made from the bundled sample
// (cards/data/zh_smeft_cHW_cHq3_5000ev.lhe.gz), each with the command that
// reads it and the outcome it must have. Nothing large is committed: the
// files are generated at test time, and testdata/manifest.tsv lists the
// cases with their expected outcomes.
//
// Outcomes: Error means the command must fail with a one-line error that
// matches Case.Match (it names the file and, for text files, the line);
// OK means it must succeed (and print Case.Warn, if set); Either means a
// clear error or a success are both right (a flipped bit in HDF5 data
// cannot be detected: the format keeps no checksum of it). Whatever the
// outcome, no case may print a goroutine trace or run for 30 seconds.
//
// The test (go test -v ./cmd/internal/corpus) builds the goldmine binary, runs
// every case and prints the counts. cmd/mkcorpus writes the corpus into a
// directory for a look by hand.
package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Outcome is what a case must give.
type Outcome string

// The outcomes of a case.
const (
	Error  Outcome = "error"
	OK     Outcome = "ok"
	Either Outcome = "either"
)

// Case is one input of the corpus.
type Case struct {
	Name  string   // unique, e.g. "lhe/comment-unterminated-after-150"
	Kind  string   // "lhe", "card" or "binary"
	Want  Outcome  // the outcome the command must have
	Args  []string // goldmine's arguments
	Match string   // for Error: a regular expression the error must match
	Warn  string   // for OK: text the output must contain
}

// Generate writes the corpus into dir (which must exist and be empty) from
// the repository at root and returns its cases. It prepares a small
// campaign (setup, analyse, augment and train of cards/zh.yaml with
// reduced sizes) whose files the binary cases damage.
func Generate(root, dir string) ([]Case, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	g := &gen{root: root, dir: dir}
	if err := g.load(); err != nil {
		return nil, err
	}
	for _, step := range []func() error{g.prepare, g.lheCases, g.cardCases, g.binaryCases} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	seen := make(map[string]bool)
	for _, c := range g.cases {
		if seen[c.Name] {
			return nil, fmt.Errorf("corpus: case %s twice", c.Name)
		}
		seen[c.Name] = true
	}
	return g.cases, nil
}

// WriteManifest writes one line per case: kind, name and outcome,
// separated by tabs, sorted by name.
func WriteManifest(w io.Writer, cases []Case) error {
	lines := make([]string, len(cases))
	for i, c := range cases {
		lines[i] = fmt.Sprintf("%s\t%s\t%s", c.Kind, c.Name, c.Want)
	}
	sort.Strings(lines)
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# goldmine robustness corpus: kind, case, expected outcome (see cmd/internal/corpus).")
	fmt.Fprintln(bw, "# Regenerate with: go run ./cmd/mkcorpus -manifest cmd/internal/corpus/testdata/manifest.tsv DIR")
	for _, l := range lines {
		fmt.Fprintln(bw, l)
	}
	return bw.Flush()
}

// gen holds the state of a generation.
type gen struct {
	root, dir string
	cases     []Case

	// The bundled sample: its header, its events (each with its newline)
	// and the end of the file.
	head   string
	events []string
	tail   string

	card string // cards/zh.yaml with reduced sizes and no sample path
	work string // the prepared campaign
}

func (g *gen) add(c Case) { g.cases = append(g.cases, c) }

// path returns a path under the corpus directory, creating its directory.
func (g *gen) path(elem ...string) (string, error) {
	p := filepath.Join(append([]string{g.dir}, elem...)...)
	return p, os.MkdirAll(filepath.Dir(p), 0o755)
}

// write writes b to a file under the corpus directory and returns its path.
func (g *gen) write(b []byte, elem ...string) (string, error) {
	p, err := g.path(elem...)
	if err != nil {
		return "", err
	}
	return p, os.WriteFile(p, b, 0o644)
}

// load reads the bundled sample and the card.
func (g *gen) load() error {
	f, err := os.Open(filepath.Join(g.root, "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz"))
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	text := string(b)
	first := strings.Index(text, "<event>")
	end := strings.LastIndex(text, "</LesHouchesEvents>")
	if first < 0 || end < 0 {
		return fmt.Errorf("corpus: the bundled sample is not an LHE file")
	}
	g.head, g.tail = text[:first], text[end:]
	for _, ev := range strings.SplitAfter(text[first:end], "</event>\n") {
		if ev != "" {
			g.events = append(g.events, ev)
		}
	}
	if len(g.events) != 5000 {
		return fmt.Errorf("corpus: the bundled sample has %d events, want 5000", len(g.events))
	}
	card, err := os.ReadFile(filepath.Join(g.root, "cards", "zh.yaml"))
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	g.card = string(card)
	for _, r := range [][2]string{
		{"n_samples: 50000", "n_samples: 3000"},
		{"hidden: [50, 50]", "hidden: [8]"},
		{"epochs: 20", "epochs: 2"},
		{"epochs: 30", "epochs: 2"},
		{"resolutions: [21]", "resolutions: [5]"},
		{"n: 200", "n: 20"},
	} {
		if !strings.Contains(g.card, r[0]) {
			return fmt.Errorf("corpus: cards/zh.yaml has no %q", r[0])
		}
		g.card = strings.ReplaceAll(g.card, r[0], r[1])
	}
	return nil
}

// lhe returns the header, the events [a, b) and the end of the file.
func (g *gen) lhe(a, b int) string {
	var s strings.Builder
	s.WriteString(g.head)
	for _, ev := range g.events[a:b] {
		s.WriteString(ev)
	}
	s.WriteString(g.tail)
	return s.String()
}

// cardFor returns the reduced card reading the LHE file lhe, with edits
// (pairs of old, new) applied.
func (g *gen) cardFor(lhe string, edits ...string) (string, error) {
	c := strings.Replace(g.card, "lhe: data/zh_smeft_cHW_cHq3_5000ev.lhe.gz", "lhe: "+lhe, 1)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(c, edits[i]) {
			return "", fmt.Errorf("corpus: card has no %q", edits[i])
		}
		c = strings.Replace(c, edits[i], edits[i+1], 1)
	}
	return c, nil
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// copyFile copies src to dst, creating dst's directory.
func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// copyTree copies the files under src into dst.
func copyTree(src, dst string) error {
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
}
