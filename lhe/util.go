// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import "bytes"

func indexNL(b []byte) int { return bytes.IndexByte(b, '\n') }
