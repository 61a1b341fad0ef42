// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package stage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
)

// Keyed makes the file name inside root with build, unless it exists
// already and was made with the same key: a string the caller derives
// from everything the file depends on (the content hash of its input,
// the configuration of the program that makes it, ...), kept beside it in
// name+".key". The key is removed before build runs and written once it
// succeeded, so that a file made only in part is never reused. It
// reports whether the file was made. name's folder is created first.
func Keyed(root *os.Root, name, key string, build func() error) (made bool, err error) {
	keyName := name + ".key"
	if b, err := root.ReadFile(keyName); err == nil && string(b) == key {
		if _, err := root.Stat(name); err == nil {
			return false, nil
		}
	}
	if err := root.Remove(keyName); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("stage: %w", err)
	}
	if dir := filepath.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return false, fmt.Errorf("stage: %w", err)
		}
	}
	if err := build(); err != nil {
		return false, err
	}
	if err := atomicfile.WriteFileIn(root, keyName, []byte(key), 0o644); err != nil {
		return false, fmt.Errorf("stage: %w", err)
	}
	return true, nil
}
