// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build !unix

package madgraph

import (
	"os/exec"
	"time"
)

// setProcessGroup does nothing where there are no process groups; MG5
// runs on Unix only.
func setProcessGroup(cmd *exec.Cmd) {}

// stopGroup does nothing where there are no process groups.
func stopGroup(cmd *exec.Cmd, grace time.Duration) {}
