// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// snakemake is one Snakemake installation.
type snakemake struct {
	path  string
	major int
}

var versionRE = regexp.MustCompile(`^(\d+)\.\d+`)

// snakemakes returns the Snakemake installations found, one per major
// version: $GOLDMINE_SNAKEMAKE and $GOLDMINE_SNAKEMAKE7 if set (.ci/run
// sets them), snakemake on PATH, Debian's /usr/bin/snakemake (7.21) and
// the venv that .ci/tools/snakemake.sh makes (Snakemake 9 and its
// executor plugins). A Snakemake 7 and a Snakemake 8 or newer must both be
// there under GOLDMINE_REQUIRE_TOOLS=1.
func snakemakes(t *testing.T) []snakemake {
	t.Helper()
	var cands []string
	for _, env := range []string{"GOLDMINE_SNAKEMAKE", "GOLDMINE_SNAKEMAKE7"} {
		if p := os.Getenv(env); p != "" {
			cands = append(cands, p)
		}
	}
	if p, err := exec.LookPath("snakemake"); err == nil {
		cands = append(cands, p)
	}
	cands = append(cands, "/usr/bin/snakemake", filepath.Join(repotest.ToolsDir(), "snakemake-venv", "bin", "snakemake"))
	byMajor := map[int]snakemake{}
	for _, c := range cands {
		if _, err := os.Stat(c); err != nil {
			continue
		}
		out, err := exec.Command(c, "--version").Output()
		if err != nil {
			continue
		}
		m := versionRE.FindStringSubmatch(strings.TrimSpace(lastLine(string(out))))
		if m == nil {
			continue
		}
		var major int
		fmt.Sscan(m[1], &major)
		if _, ok := byMajor[major]; !ok {
			byMajor[major] = snakemake{path: c, major: major}
		}
	}
	var list []snakemake
	has7, has8 := false, false
	for _, s := range byMajor {
		list = append(list, s)
		has7 = has7 || s.major == 7
		has8 = has8 || s.major >= 8
	}
	sort.Slice(list, func(i, j int) bool { return list[i].major < list[j].major })
	if !has7 || !has8 {
		what := fmt.Sprintf("Snakemake 7 (Debian snakemake) and Snakemake 8 or newer (.ci/tools/snakemake.sh, $GOLDMINE_SNAKEMAKE); found %v", list)
		if len(list) == 0 || os.Getenv("GOLDMINE_REQUIRE_TOOLS") == "1" {
			repotest.MissingTool(t, what)
		}
		t.Logf("only %s", what)
	}
	return list
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// run runs Snakemake in dir with args and returns its combined output.
func (s snakemake) run(t *testing.T, dir string, env []string, timeout time.Duration, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(s.path, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(timeout):
		cmd.Process.Kill()
		<-done
		return out.String(), fmt.Errorf("snakemake %v timed out after %v", args, timeout)
	}
}

// standIn is a stand-in for goldmine's commands: standin OUT ARGS...
// writes "job=ID" (SLURM_JOB_ID, or "local") and then every argument,
// each followed by a NUL byte, to OUT, atomically (a temporary file, then
// a rename). If a file fail-ID exists in the working directory, where ID
// is the first argument after OUT, it writes half an output straight to
// OUT and exits 3, as a careless tool would.
const standIn = `#!/bin/bash
set -eu
out=$1
shift
if [ -e "fail-${1:-}" ]; then
	printf 'partial' > "$out"
	echo "stand-in: failing as asked by fail-$1" >&2
	exit 3
fi
tmp="$out.tmp.$$"
{
	printf 'job=%s\n' "${SLURM_JOB_ID:-local}"
	for a in "$@"; do printf '%s\0' "$a"; done
} > "$tmp"
mv "$tmp" "$out"
`

// record is what the stand-in wrote.
type record struct {
	job  string
	args []string
}

func readRecord(t *testing.T, path string) record {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("stand-in output: %v", err)
	}
	head, rest, ok := bytes.Cut(b, []byte("\n"))
	if !ok || !bytes.HasPrefix(head, []byte("job=")) {
		t.Fatalf("%s: not a stand-in record: %q", path, b)
	}
	r := record{job: string(head[len("job="):])}
	if len(rest) > 0 {
		r.args = strings.Split(strings.TrimSuffix(string(rest), "\x00"), "\x00")
	}
	return r
}

func writeStandIn(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "stand-in.sh")
	if err := os.WriteFile(p, []byte(standIn), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}
