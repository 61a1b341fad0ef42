// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workflow

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
