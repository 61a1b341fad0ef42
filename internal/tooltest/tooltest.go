// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package tooltest finds the external programs that some tests run
// (bash, python3, snakemake, sbatch, reana-client). A test that needs one
// calls Need: where the program is missing the test is skipped with a
// message naming it, so that `go test ./...` passes on a machine without
// it, unless GOLDMINE_REQUIRE_TOOLS=1 is set (as .ci/run does), which turns
// the skip into a failure so that CI cannot pass by running nothing.
package tooltest

import (
	"os"
	"os/exec"
	"testing"
)

// Require is the environment variable that turns a missing tool into a
// test failure.
const Require = "GOLDMINE_REQUIRE_TOOLS"

// Need returns the path of the program name: name itself if it holds a
// slash and is executable, otherwise name looked up in PATH. It skips the
// test (or fails it under GOLDMINE_REQUIRE_TOOLS=1) when there is none;
// why says what the program is for, for the message.
func Need(tb testing.TB, name, why string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	Missing(tb, "%s not found (%s): %v", name, why, err)
	return ""
}

// Missing skips the test with the formatted message, or fails it when
// GOLDMINE_REQUIRE_TOOLS=1.
func Missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv(Require) == "1" {
		tb.Fatalf("required tool missing ("+Require+"=1): "+format, args...)
	}
	tb.Skipf(format, args...)
}
