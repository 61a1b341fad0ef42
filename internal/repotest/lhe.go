// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package repotest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// LHEEvents returns the header of the LHE text (everything before its
// first <event>) and its first n events (all if n < 0), each from
// "<event>" to the line break after "</event>", for tests that drop,
// reorder or swap events.
func LHEEvents(tb testing.TB, text string, n int) (head string, events []string) {
	tb.Helper()
	i := strings.Index(text, "<event")
	if i < 0 {
		tb.Fatal("repotest: LHE text without events")
	}
	head = text[:i]
	for i >= 0 && (n < 0 || len(events) < n) {
		k := strings.Index(text[i:], "</event>")
		if k < 0 {
			break
		}
		j := i + k + len("</event>")
		if j < len(text) && text[j] == '\n' {
			j++
		}
		events = append(events, text[i:j])
		i = j
		if m := strings.Index(text[i:], "<event"); m >= 0 {
			i += m
		} else {
			i = -1
		}
	}
	if n >= 0 && len(events) < n {
		tb.Fatalf("repotest: LHE text has %d events, want %d", len(events), n)
	}
	return head, events
}

// LHEText is an LHE file of the header and events of LHEEvents.
func LHEText(head string, events ...string) string {
	return head + strings.Join(events, "") + "</LesHouchesEvents>\n"
}

// WriteLHE writes an LHE file of the header and events into dir and
// returns its path.
func WriteLHE(tb testing.TB, dir, name, head string, events ...string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(LHEText(head, events...)), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// ShardedCard copies the card of the sharded-run tests,
// pipeline/testdata/sharded.yaml, into a new temporary folder, writes the
// four quarters of the bundled ZH file (BundledZH) beside it as
// parts/zh_0.lhe … parts/zh_3.lhe, and returns the card's path.
func ShardedCard(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	card, err := os.ReadFile(filepath.Join(Root(tb), "pipeline", "testdata", "sharded.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "sharded.yaml")
	if err := os.WriteFile(path, card, 0o644); err != nil {
		tb.Fatal(err)
	}
	head, events := LHEEvents(tb, string(ReadGzip(tb, BundledZH(tb))), -1)
	if len(events) != 5000 {
		tb.Fatalf("repotest: %d events in the bundled file, want 5000", len(events))
	}
	parts := filepath.Join(dir, "parts")
	if err := os.Mkdir(parts, 0o755); err != nil {
		tb.Fatal(err)
	}
	for k := range 4 {
		WriteLHE(tb, parts, fmt.Sprintf("zh_%d.lhe", k), head, events[k*1250:(k+1)*1250]...)
	}
	return path
}
