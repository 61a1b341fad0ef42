// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build unix

package madgraph

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// setProcessGroup starts cmd in a process group of its own and makes its
// cancellation stop the whole group: MG5 starts compilers, integration
// jobs and Pythia as children, which must not outlive a timeout or an
// interrupt. The group gets SIGTERM first (MG5 and its Fortran jobs end
// at once on it); stopGroup sends SIGKILL to what is left.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return signalGroup(cmd.Process.Pid, syscall.SIGTERM)
	}
}

func signalGroup(pgid int, sig syscall.Signal) error {
	err := syscall.Kill(-pgid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// groupAlive reports whether any live process of the group pgid is left.
// Where /proc is readable it does not count zombies (an init that does
// not reap orphans would otherwise keep the group alive forever).
func groupAlive(pgid int) bool {
	if pids, ok := groupProcesses(pgid); ok {
		return len(pids) > 0
	}
	return syscall.Kill(-pgid, 0) == nil
}

// groupProcesses lists the live (not zombie) processes of the process
// group pgid from /proc; ok is false where /proc cannot be read.
func groupProcesses(pgid int) (pids []int, ok bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	found := false
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // ended meanwhile
		}
		found = true
		// pid (comm) state ppid pgrp ...; comm may hold spaces and ')'.
		k := bytes.LastIndexByte(b, ')')
		if k < 0 {
			continue
		}
		f := strings.Fields(string(b[k+1:]))
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if g, err := strconv.Atoi(f[2]); err == nil && g == pgid {
			pids = append(pids, pid)
		}
	}
	return pids, found
}

// stopGroup makes sure that no process of cmd's group is left after a
// cancelled run: it waits up to grace for the processes that got SIGTERM
// to end, then kills the rest with SIGKILL and waits for them too.
func stopGroup(cmd *exec.Cmd, grace time.Duration) {
	if cmd.Process == nil {
		return
	}
	pgid := cmd.Process.Pid
	_ = signalGroup(pgid, syscall.SIGTERM)
	if waitGroup(pgid, grace) {
		return
	}
	_ = signalGroup(pgid, syscall.SIGKILL)
	waitGroup(pgid, 5*time.Second)
}

// waitGroup polls until the group pgid is gone or d has passed.
func waitGroup(pgid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for groupAlive(pgid) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}
