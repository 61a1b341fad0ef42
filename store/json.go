// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package store

import (
	"encoding/json"
	"io"
	"os"
)

// WriteJSONIn writes v as indented JSON (two spaces) to the file name
// inside root, atomically (WriteFileAtomicIn).
func WriteJSONIn(root *os.Root, name string, v any) error {
	return WriteFileAtomicIn(root, name, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}
