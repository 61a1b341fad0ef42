// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package repotest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The external programs of the simulation chain (Pythia 8, Delphes, a
// Python with uproot and pyhepmc) are found as .ci/tools/setup.sh leaves
// them: each in the folder its environment variable names, or else in
// the tools cache GOLDMINE_TOOLS (default $XDG_CACHE_HOME/goldmine-tools,
// i.e. ~/.cache/goldmine-tools).
//
// A test that needs a missing tool skips with a message saying how to
// get it, unless GOLDMINE_REQUIRE_TOOLS=1: then it fails, so that CI,
// which builds the tools, cannot pass by skipping.

// ToolsDir returns the tools cache folder (which may not exist).
func ToolsDir() string {
	if d := os.Getenv("GOLDMINE_TOOLS"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "goldmine-tools")
	}
	return filepath.Join(d, "goldmine-tools")
}

// MissingTool skips the test, or fails it when GOLDMINE_REQUIRE_TOOLS=1,
// saying what is missing and that .ci/tools/setup.sh makes it.
func MissingTool(tb testing.TB, what string) {
	tb.Helper()
	msg := what + " not available (run .ci/tools/setup.sh and source the env.sh it writes)"
	if os.Getenv("GOLDMINE_REQUIRE_TOOLS") == "1" {
		tb.Fatalf("%s; GOLDMINE_REQUIRE_TOOLS=1", msg)
	}
	tb.Skip(msg)
}

// tool returns $env, or else ToolsDir()/sub, if it holds the file rel.
func tool(tb testing.TB, env, sub, rel, what string) string {
	tb.Helper()
	dir := os.Getenv(env)
	if dir == "" {
		dir = filepath.Join(ToolsDir(), sub)
	}
	if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
		MissingTool(tb, what+": "+filepath.Join(dir, rel)+" ($"+env+")")
	}
	return dir
}

// Pythia8 returns the Pythia 8 folder, which holds bin/main42 and the
// data files share/Pythia8/xmldoc.
func Pythia8(tb testing.TB) string {
	tb.Helper()
	return tool(tb, "GOLDMINE_PYTHIA8", "pythia8-8.311", "bin/main42", "Pythia 8")
}

// Delphes returns the Delphes folder, which holds bin/DelphesHepMC3 and
// the detector cards in cards/.
func Delphes(tb testing.TB) string {
	tb.Helper()
	return tool(tb, "GOLDMINE_DELPHES", "delphes", "bin/DelphesHepMC3", "Delphes")
}

// Python returns a Python interpreter that imports the given modules:
// $GOLDMINE_TOOLS_PYTHON, or else the tools venv.
func Python(tb testing.TB, modules ...string) string {
	tb.Helper()
	py := os.Getenv("GOLDMINE_TOOLS_PYTHON")
	if py == "" {
		py = filepath.Join(ToolsDir(), "venv", "bin", "python")
	}
	if _, err := os.Stat(py); err != nil {
		MissingTool(tb, "Python with "+strings.Join(modules, ", ")+": "+py+" ($GOLDMINE_TOOLS_PYTHON)")
	}
	if len(modules) > 0 {
		out, err := exec.Command(py, "-c", "import "+strings.Join(modules, ", ")).CombinedOutput()
		if err != nil {
			MissingTool(tb, py+" with "+strings.Join(modules, ", ")+" ("+strings.TrimSpace(string(out))+")")
		}
	}
	return py
}

// ScriptLines runs the Python script with py and its arguments and
// returns its output lines (one JSON object a line, in the cross-check
// scripts); it fails the test with the script's stderr if it fails.
func ScriptLines(tb testing.TB, py, script string, args ...string) [][]byte {
	tb.Helper()
	cmd := exec.Command(py, append([]string{script}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("%s: %v\n%s", filepath.Base(script), err, stderr.String())
	}
	var lines [][]byte
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		lines = append(lines, bytes.Clone(sc.Bytes()))
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", filepath.Base(script), err)
	}
	return lines
}
