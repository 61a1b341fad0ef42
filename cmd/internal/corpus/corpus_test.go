// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// caseTimeout is the time a case may take before it counts as a hang.
const caseTimeout = 30 * time.Second

// buildGoldmine builds the command into dir and returns its path.
func buildGoldmine(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "goldmine")
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build goldmine with: %v", err)
	}
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/goldmine-hep/goldmine/cmd/goldmine")
	cmd.Dir = repotest.Root(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// result is what running a case gave.
type result struct {
	c       Case
	code    int // exit code, -1 if killed
	stdout  string
	stderr  string
	took    time.Duration
	hang    bool
	problem string // why the case failed, "" if it passed
}

// traceRE matches what the Go runtime prints for a panic or a fatal error.
var traceRE = regexp.MustCompile(`(?m)^(panic: |fatal error: |goroutine \d+ \[)`)

func run(bin string, c Case) result {
	ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, c.Args...)
	cmd.Env = append(os.Environ(), "GOLDMINE_QUIET=true")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{c: c, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.hang, r.code = true, -1
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		r.problem = "could not run: " + err.Error()
		return r
	}
	msg := strings.TrimSpace(r.stderr)
	switch {
	case r.hang:
		r.problem = fmt.Sprintf("no answer in %v", caseTimeout)
	case traceRE.MatchString(r.stderr):
		r.problem = "goroutine trace"
	case r.code != 0 && (strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "goldmine: ")):
		r.problem = fmt.Sprintf("the error is not one line starting with goldmine: %q", clip(msg))
	case c.Want == Error && r.code == 0:
		r.problem = "silent success: the command succeeded"
	case c.Want == Error && !regexp.MustCompile(c.Match).MatchString(msg):
		r.problem = fmt.Sprintf("error %q does not match %q", clip(msg), c.Match)
	case c.Want == OK && r.code != 0:
		r.problem = fmt.Sprintf("error %q", clip(msg))
	case c.Want == OK && c.Warn != "" && !strings.Contains(r.stdout+r.stderr, c.Warn):
		r.problem = fmt.Sprintf("output lacks the warning %q: %q", c.Warn, clip(r.stdout))
	}
	return r
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}

// TestCorpus generates the robustness corpus from the bundled sample and
// runs every case through the goldmine binary, two at a time. It prints
// the counts (go test -v ./cmd/internal/corpus); any goroutine trace, hang,
// silent success of an error case or unexpected outcome fails it. With
// GOLDMINE_CORPUS_LOG=1 it logs what each case printed.
func TestCorpus(t *testing.T) {
	root := repotest.Root(t)
	dir := t.TempDir()
	bin := buildGoldmine(t, dir)
	gen := filepath.Join(dir, "corpus")
	if err := os.Mkdir(gen, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cases, err := Generate(root, gen)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d cases in %v", len(cases), time.Since(start).Round(time.Millisecond))

	// The committed manifest lists every case with its outcome.
	var got bytes.Buffer
	if err := WriteManifest(&got, cases); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("the cases differ from testdata/manifest.tsv; regenerate it with go run ./cmd/mkcorpus -manifest cmd/internal/corpus/testdata/manifest.tsv DIR after checking the change")
	}

	results := make([]result, len(cases))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = run(bin, c)
		}()
	}
	wg.Wait()

	type tally struct{ cases, errs, oks, either, traces, hangs, silent, failed int }
	counts := make(map[string]*tally)
	var slowest result
	for _, r := range results {
		k := counts[r.c.Kind]
		if k == nil {
			k = new(tally)
			counts[r.c.Kind] = k
		}
		k.cases++
		switch r.c.Want {
		case Error:
			k.errs++
		case OK:
			k.oks++
		default:
			k.either++
		}
		switch {
		case r.hang:
			k.hangs++
		case r.problem == "goroutine trace":
			k.traces++
		case r.c.Want == Error && r.code == 0:
			k.silent++
		}
		if os.Getenv("GOLDMINE_CORPUS_LOG") != "" {
			t.Logf("%s [%s, exit %d]: %s", r.c.Name, r.c.Want, r.code, strings.TrimSpace(r.stderr+" "+r.stdout))
		}
		if r.problem != "" {
			k.failed++
			t.Errorf("%s: %s\n  goldmine %s", r.c.Name, r.problem, strings.Join(r.c.Args, " "))
		}
		if r.took > slowest.took {
			slowest = r
		}
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		c := counts[k]
		t.Logf("%-7s %3d cases (%d must fail, %d must succeed, %d either): %d goroutine traces, %d hangs, %d silent successes, %d unexpected",
			k, c.cases, c.errs, c.oks, c.either, c.traces, c.hangs, c.silent, c.failed)
	}
	t.Logf("slowest case: %s, %v", slowest.c.Name, slowest.took.Round(time.Millisecond))
	for _, min := range []struct {
		kind string
		n    int
	}{{"lhe", 100}, {"card", 30}, {"binary", 30}} {
		if c := counts[min.kind]; c == nil || c.cases < min.n {
			t.Errorf("fewer than %d %s cases", min.n, min.kind)
		}
	}
}

// TestHarness checks that the runner flags what it must: a trace, a
// silent success, an error of the wrong form and an error naming the
// wrong file.
func TestHarness(t *testing.T) {
	for _, s := range []string{"panic: runtime error: index out of range [0] with length 0\n\ngoroutine 1 [running]:\nmain.main()", "fatal error: runtime: out of memory"} {
		if !traceRE.MatchString(s) {
			t.Errorf("trace %q not recognised", s)
		}
	}
	if traceRE.MatchString("goldmine: lhe: x.lhe:3: the goroutine said no") {
		t.Error("an error message taken for a trace")
	}
	bin := buildGoldmine(t, t.TempDir())
	for _, c := range []struct {
		c    Case
		want string
	}{
		{Case{Want: Error, Args: []string{"--help"}}, "silent success"},
		{Case{Want: Error, Match: "nothing like this", Args: []string{"inspect", "/no/such/file.lhe"}}, "does not match"},
		{Case{Want: OK, Args: []string{"inspect", "/no/such/file.lhe"}}, "error"},
		{Case{Want: Error, Match: "no/such", Args: []string{"inspect", "/no/such/file.lhe"}}, ""},
	} {
		if r := run(bin, c.c); !strings.Contains(r.problem, c.want) || (c.want == "") != (r.problem == "") {
			t.Errorf("%v: problem %q, want %q", c.c.Args, r.problem, c.want)
		}
	}
}
