// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/cards"
	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// bundledLHE returns the decompressed bundled 5000-event ZH sample and
// the offsets of its <event> tags.
func bundledLHE(t *testing.T) ([]byte, []int) {
	t.Helper()
	text := []byte(gunzip(t, filepath.Join(repotest.Root(t), "cards", "data", "zh_smeft_cHW_cHq3_5000ev.lhe.gz")))
	var evs []int
	for i := 0; ; {
		k := bytes.Index(text[i:], []byte("<event>"))
		if k < 0 {
			break
		}
		evs = append(evs, i+k)
		i += k + 1
	}
	return text, evs
}

// bundledCard loads cards/zh.yaml reading the LHE file lhe, with edit
// applied to the card text.
func bundledCard(t *testing.T, lhe string, edit func(string) string) *cards.Card {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repotest.Root(t), "cards", "zh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "lhe: data/zh_smeft_cHW_cHq3_5000ev.lhe.gz", "lhe: "+lhe, 1)
	if edit != nil {
		s = edit(s)
	}
	return writeCard(t, s)
}

func analyseBundled(t *testing.T, text []byte, edit func(string) string) (*AnalyseResult, string, error) {
	t.Helper()
	dir := t.TempDir()
	lhe := filepath.Join(dir, "sample.lhe")
	if err := os.WriteFile(lhe, text, 0o644); err != nil {
		t.Fatal(err)
	}
	env := NewEnv(bundledCard(t, lhe, edit), filepath.Join(dir, "work"), nil, nil)
	if _, err := Setup(env); err != nil {
		t.Fatal(err)
	}
	res, err := Analyse(env)
	return res, lhe, err
}

// TestAnalyseTruncatedLHE cuts the bundled sample after 2501 events: an
// error naming the file and the last complete event by default, and with
// allow_truncated the 2501 events and a warning that gives the number.
func TestAnalyseTruncatedLHE(t *testing.T) {
	text, evs := bundledLHE(t)
	trunc := text[:evs[2501]]
	_, lhe, err := analyseBundled(t, trunc, nil)
	line := bytes.Count(trunc, []byte("\n"))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("lhe: %s:%d: ", lhe, line)) || !strings.Contains(err.Error(), "the last complete event is event 2500") {
		t.Fatalf("truncated file: %v", err)
	}
	res, _, err := analyseBundled(t, trunc, func(s string) string {
		return strings.Replace(s, "    sampled_from: sm\n", "    sampled_from: sm\n    allow_truncated: true\n", 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	var warn string
	for _, w := range res.Warnings {
		if strings.Contains(w, "allow_truncated") {
			warn = w
		}
	}
	if res.EventsRead != 2501 || res.Samples[0].Events != 2501 || !strings.Contains(warn, "read the 2501 complete events") {
		t.Fatalf("allow_truncated: %d events read, %d in the sample, warnings %q", res.EventsRead, res.Samples[0].Events, res.Warnings)
	}
	t.Logf("warning: %s", warn)
}

// TestAnalyseBadValues checks the sample-level checks: NaN momenta are an
// error at the event (or dropped with a count), and a sample whose weights
// sum to zero is an error naming the sample.
func TestAnalyseBadValues(t *testing.T) {
	text, evs := bundledLHE(t)
	// A NaN px in the third particle of event 7.
	ev := evs[7]
	lines := bytes.SplitN(text[ev:], []byte("\n"), 6)
	f := bytes.Fields(lines[4])
	bad := bytes.Replace(lines[4], f[6], []byte("nan"), 1)
	nan := append(append([]byte(nil), text[:ev]...), bytes.Replace(text[ev:], lines[4], bad, 1)...)
	_, lhe, err := analyseBundled(t, nan, nil)
	want := fmt.Sprintf("lhe: %s:%d: event 7: particle 3: px \"nan\" is not a finite number", lhe, bytes.Count(text[:ev], []byte("\n"))+5)
	if err == nil || err.Error() != want {
		t.Fatalf("NaN px: %v, want %s", err, want)
	}
	res, _, err := analyseBundled(t, nan, func(s string) string {
		return strings.Replace(s, "    sampled_from: sm\n", "    sampled_from: sm\n    drop_non_finite: true\n", 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Samples[0].Events != 4999 || !strings.Contains(strings.Join(res.Warnings, "\n"), "dropped 1 events with non-finite values") {
		t.Fatalf("drop_non_finite: %d events, warnings %q", res.Samples[0].Events, res.Warnings)
	}

	// Every event weight zero.
	evLine := regexp.MustCompile(`(?m)^(<event>\n\s*\d+\s+\d+\s+)\S+`)
	zero := evLine.ReplaceAll(text, []byte("${1}0.0"))
	if bytes.Equal(zero, text) {
		t.Fatal("no event weight replaced")
	}
	_, lhe, err = analyseBundled(t, zero, nil)
	if err == nil || !strings.Contains(err.Error(), lhe+": sample zh: the event weights (XWGTUP) of its 5000 events sum to 0") {
		t.Fatalf("zero weights: %v", err)
	}
}
