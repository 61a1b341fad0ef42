// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package extprog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func script(t *testing.T, text string) string {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh for the test programs")
	}
	p := filepath.Join(t.TempDir(), "prog")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+text), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, text string
		exit       int // -1: success
		tail       []string
	}{
		{"ok", "echo one; echo two >&2; printf 'bar 10%%\\rbar 50%%\\rbar 100%%\\n'; echo last\n", -1, nil},
		{"fails", "for i in $(seq 1 30); do echo line $i; done; echo 'ERROR: no card' >&2; exit 3\n", 3,
			[]string{"line 20", "line 21", "line 22", "line 23", "line 24", "line 25", "line 26", "line 27", "line 28", "line 29", "line 30", "ERROR: no card"}},
		{"bar", "printf 'bar 10%%\\rbar 50%%\\rERROR: broken\\n'; exit 1\n", 1, []string{"# goldmine: PROG", "ERROR: broken"}},
	} {
		prog := script(t, tc.text)
		var watched []string
		c := &Cmd{Path: prog, Args: []string{"a", "b"}, Input: "events.hepmc", Log: filepath.Join(dir, tc.name+".log"),
			Watch: func(l string) { watched = append(watched, l) }}
		err := Run(context.Background(), c)
		if tc.exit < 0 {
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if want := []string{"one", "two", "bar 10%", "bar 50%", "bar 100%", "last"}; !slices.Equal(watched, want) {
				t.Errorf("%s: watched %q, want %q", tc.name, watched, want)
			}
			log, _ := os.ReadFile(c.Log)
			if !strings.HasPrefix(string(log), "# goldmine: "+prog+" a b\n") || !strings.Contains(string(log), "two\n") {
				t.Errorf("%s: log %q", tc.name, log)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: error %v (%T), want *Error", tc.name, err, err)
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != tc.exit {
			t.Errorf("%s: cause %v, want exit status %d", tc.name, e.Err, tc.exit)
		}
		want := tc.tail
		if want[0] == "# goldmine: PROG" {
			want[0] = "# goldmine: " + prog + " a b"
		}
		if !slices.Equal(e.Tail, want) {
			t.Errorf("%s: tail %q, want %q", tc.name, e.Tail, want)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "prog on events.hepmc failed: exit status "+fmt.Sprint(tc.exit)+"; log "+c.Log+" ends with:\n    ") || !strings.Contains(msg, want[len(want)-1]) {
			t.Errorf("%s: message %q", tc.name, msg)
		}
	}
}

func TestRunCancel(t *testing.T) {
	dir := t.TempDir()
	// A program that catches the interrupt and exits cleanly must
	// still fail when the context was cancelled.
	for _, tc := range []struct{ name, text string }{
		{"sleeper", "echo started; sleep 30\n"},
		{"catcher", "trap 'echo caught; exit 0' INT; echo started; while :; do sleep 0.05; done\n"},
		{"ignorer", "trap '' INT; echo started; while :; do sleep 0.05; done\n"},
	} {
		prog := script(t, tc.text)
		ctx, cancel := context.WithCancel(context.Background())
		c := &Cmd{Path: prog, Input: "in", Log: filepath.Join(dir, tc.name+".log"), KillDelay: 300 * time.Millisecond, Watch: func(l string) {
			if l == "started" {
				cancel()
			}
		}}
		start := time.Now()
		err := Run(ctx, c)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", tc.name, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v to stop", tc.name, d)
		}
		if err != nil && !strings.Contains(err.Error(), "prog on in failed: interrupted") {
			t.Errorf("%s: message %q", tc.name, err)
		}
		if log, _ := os.ReadFile(c.Log); tc.name == "catcher" && !strings.Contains(string(log), "caught") {
			t.Errorf("%s: the program did not get the interrupt: log %q", tc.name, log)
		}
		cancel()
	}
	// A context cancelled before the start runs nothing.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	marker := filepath.Join(dir, "ran")
	err := Run(ctx, &Cmd{Path: script(t, "touch "+marker+"\n"), Input: "in", Log: filepath.Join(dir, "pre.log")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before start: %v", err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("cancelled before start: the program ran")
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	if err := Run(context.Background(), &Cmd{Path: "/bin/true", Input: "in"}); err == nil || !strings.Contains(err.Error(), "no log file") {
		t.Errorf("no log: %v", err)
	}
	err := Run(context.Background(), &Cmd{Path: filepath.Join(dir, "nope"), Input: "in", Log: filepath.Join(dir, "nope.log")})
	if err == nil || !strings.Contains(err.Error(), "nope on in failed") {
		t.Errorf("missing program: %v", err)
	}
	err = Run(context.Background(), &Cmd{Path: "/bin/true", Input: "in", Log: filepath.Join(dir, "no", "such", "dir.log")})
	if err == nil || !strings.Contains(err.Error(), "could not create the log") {
		t.Errorf("bad log: %v", err)
	}
}

func TestTail(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "log")
	var b strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	b.WriteString("\n\n  \n")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := Tail(p, 3), []string{"line 19997", "line 19998", "line 19999"}; !slices.Equal(got, want) {
		t.Errorf("tail %q, want %q", got, want)
	}
	if got := Tail(filepath.Join(dir, "missing"), 3); len(got) != 1 || !strings.Contains(got[0], "log unreadable") {
		t.Errorf("missing log: %q", got)
	}
}

// TestGrep: messages come in the order they first appear, each once, at
// most max of them, several from one line if find says so.
func TestGrep(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log")
	log := "ok\nE a\nok\nE b|E a\nE c\nE d\n"
	if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	find := func(line string) []string {
		var msgs []string
		for _, f := range strings.Split(line, "|") {
			if strings.HasPrefix(f, "E ") {
				msgs = append(msgs, f)
			}
		}
		return msgs
	}
	for _, tc := range []struct {
		max  int
		want []string
	}{
		{1, []string{"E a"}},
		{2, []string{"E a", "E b"}},
		{3, []string{"E a", "E b", "E c"}},
		{10, []string{"E a", "E b", "E c", "E d"}},
	} {
		if got := Grep(p, tc.max, find); !slices.Equal(got, tc.want) {
			t.Errorf("max %d: %q, want %q", tc.max, got, tc.want)
		}
	}
	if got := Grep(filepath.Join(t.TempDir(), "missing"), 3, find); got != nil {
		t.Errorf("missing log: %q", got)
	}
}

func TestPartial(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.root")
	p, err := Partial(out)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(p) != dir || !strings.HasPrefix(filepath.Base(p), ".out.root.partial-") {
		t.Errorf("partial name %s", p)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("partial file exists: %v", err)
	}
	if _, err := Partial(filepath.Join(dir, "missing", "out.root")); err == nil {
		t.Error("no error for a missing directory")
	}
	if got := Leftovers(dir); len(got) != 0 {
		t.Errorf("leftovers %q in a clean directory", got)
	}
	os.WriteFile(p, nil, 0o644)
	os.WriteFile(filepath.Join(dir, "out.root"), nil, 0o644)
	if got := Leftovers(dir); !slices.Equal(got, []string{p}) {
		t.Errorf("leftovers %q, want %q", got, p)
	}
}
