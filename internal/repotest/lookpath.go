// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package repotest

import (
	"os/exec"
	"testing"
)

// LookPath returns the path of the program name (looked up in PATH unless
// it holds a slash). When there is none it calls MissingTool, naming the
// program and what the test needs it for.
func LookPath(tb testing.TB, name, why string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		MissingTool(tb, name+" ("+why+")")
	}
	return p
}
