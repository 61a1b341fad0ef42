// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package workdir

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/goldmine-hep/goldmine/internal/lockfile"
)

// Lock takes the lock of the working directory (LockFile) for command,
// which is recorded as the holder's, so that one process at a time
// writes into the folder: another process that holds it makes Lock fail
// at once with an error naming it (pid, host, start time, command). The
// lock is flock(2) on the file, released by the kernel when the process
// ends however it ends; a record left by a process that died on this host
// is taken over with a warning to warn, one of another host is refused
// unless force (package lockfile).
//
// A process that writes only one sub-folder takes that sub-folder's lock
// instead (LockSub); the process that reads the sub-folders' files takes
// this lock and, through SubBusy, refuses a sub-folder still being
// written.
func (d *Dir) Lock(command string, force bool, warn io.Writer) (release func() error, err error) {
	return d.lock(lockfile.Acquire, LockFile, command, force, warn)
}

// LockSub takes the lock of the sub-folder sub of the working directory
// (slash-separated, e.g. "shards/analyse/zh/0"; lockfile.AcquireSub), as
// Lock takes the whole folder's. It is the lock of a process that writes
// only into sub: it does not take the working directory's lock, and does
// not wait for it, so that the writers of different sub-folders run at
// once while a second writer of the same sub-folder is refused.
func (d *Dir) LockSub(sub, command string, force bool, warn io.Writer) (release func() error, err error) {
	return d.lock(lockfile.AcquireSub, sub, command, force, warn)
}

// lock takes the lock name of the working directory with acquire.
func (d *Dir) lock(acquire func(*os.Root, string, *lockfile.Options) (*lockfile.Lock, error), name, command string, force bool, warn io.Writer) (func() error, error) {
	root, err := d.Root()
	if err != nil {
		return nil, err
	}
	l, err := acquire(root, name, &lockfile.Options{Command: command, Force: force, Warn: warn})
	if err != nil {
		return nil, err
	}
	return l.Release, nil
}

// WaitSub takes the lock of the sub-folder sub as LockSub does, but waits
// while another process holds it, trying again every second, and calls
// waiting (if not nil) once with the error naming the holder
// (lockfile.Wait). It returns the context's error, wrapped, when ctx
// ends first: the lock of a folder that several processes write in turn.
func (d *Dir) WaitSub(ctx context.Context, sub, command string, warn io.Writer, waiting func(error)) (release func() error, err error) {
	root, err := d.Root()
	if err != nil {
		return nil, err
	}
	l, err := lockfile.Wait(ctx, time.Second, func() (*lockfile.Lock, error) {
		return lockfile.AcquireSub(root, sub, &lockfile.Options{Command: command, Warn: warn})
	}, waiting)
	if err != nil {
		return nil, err
	}
	return l.Release, nil
}

// SubBusy returns an error naming the holder if another process holds the
// lock of the sub-folder sub (LockSub) now, nil if it is free
// (lockfile.SubBusy).
func (d *Dir) SubBusy(sub string) error {
	root, err := d.Root()
	if err != nil {
		return err
	}
	return lockfile.SubBusy(root, sub)
}
