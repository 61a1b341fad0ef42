// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lockfile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goldmine-hep/goldmine/internal/safename"
)

// SubDir is the folder of the sub-folder locks inside a locked folder:
// the lock of ROOT/SUB is ROOT/SubDir/SUB.lock, outside SUB, so that its
// writer may replace the folder SUB as a whole.
const SubDir = ".goldmine/locks"

// SubName checks sub, a slash-separated folder below a root each of whose
// elements follows the naming rule (package safename), and returns the
// name of its lock file inside the root.
func SubName(sub string) (string, error) {
	if sub == "" {
		return "", errors.New("lockfile: no sub-folder to lock")
	}
	for _, el := range strings.Split(sub, "/") {
		if err := safename.Check(el); err != nil {
			return "", fmt.Errorf("lockfile: sub-folder %q to lock: %w", sub, err)
		}
	}
	return SubDir + "/" + sub + ".lock", nil
}

// subWhat is the sub-folder sub of root, as messages name it.
func subWhat(root *os.Root, sub string) string {
	return filepath.Join(root.Name(), filepath.FromSlash(sub))
}

// AcquireSub takes the lock of the sub-folder sub of root (slash-separated,
// SubName) as Acquire takes a lock: a second writer of the same sub-folder
// fails at once naming the holder, a stale lock of a dead process is taken
// over with a warning. It takes no lock of root itself, so that the
// writers of different sub-folders run at once. The options' What is the
// sub-folder.
func AcquireSub(root *os.Root, sub string, o *Options) (*Lock, error) {
	name, err := SubName(sub)
	if err != nil {
		return nil, err
	}
	var opts Options
	if o != nil {
		opts = *o
	}
	opts.What = subWhat(root, sub)
	return Acquire(root, name, &opts)
}

// SubBusy returns a *HeldError naming the holder if another process holds
// the lock of the sub-folder sub of root (AcquireSub) now, nil if it is
// free (Probe): a merge calls it for every part before it reads the
// part's sub-folder.
func SubBusy(root *os.Root, sub string) error {
	name, err := SubName(sub)
	if err != nil {
		return err
	}
	held, h, err := Probe(root, name)
	if err != nil || !held {
		return err
	}
	return &HeldError{What: subWhat(root, sub), Path: filepath.Join(root.Name(), filepath.FromSlash(name)), Holder: h}
}

// Wait calls acquire until it returns a lock or an error other than a
// *HeldError, trying again every interval while another process holds
// the lock, and calls waiting (if not nil) with the first *HeldError. It
// returns the context's error, wrapped, when ctx ends first.
func Wait(ctx context.Context, interval time.Duration, acquire func() (*Lock, error), waiting func(error)) (*Lock, error) {
	said := false
	for {
		l, err := acquire()
		if err == nil {
			return l, nil
		}
		var held *HeldError
		if !errors.As(err, &held) {
			return nil, err
		}
		if !said && waiting != nil {
			waiting(err)
		}
		said = true
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lockfile: waiting for %s: %w", held.What, ctx.Err())
		case <-time.After(interval):
		}
	}
}
