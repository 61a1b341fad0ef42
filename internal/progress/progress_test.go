// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package progress

import (
	"bytes"
	"strings"
	"testing"
)

func TestCounter(t *testing.T) {
	var b bytes.Buffer
	p := New(&b, "analyse")
	for i := 0; i < 5000; i++ {
		p.Tick(1)
	}
	p.Done()
	if out := b.String(); !strings.Contains(out, "analyse: 5000 events in ") || !strings.HasSuffix(out, "events/s)\n") {
		t.Errorf("output %q", out)
	}
	New(nil, "silent").Tick(1024) // no writer: no output, no panic
}
