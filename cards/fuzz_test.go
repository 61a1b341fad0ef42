// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package cards

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the card loader, seeded with the
// bundled cards and the test card. Whatever the input, Parse must not
// panic, and every error must be a one-line *Error naming the card. Run
// it for a minute with
//
//	go test -run '^$' -fuzz=FuzzParse -fuzztime=60s ./cards/
func FuzzParse(f *testing.F) {
	for _, name := range []string{"zh.yaml", "galton.yaml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(base))
	f.Add([]byte(base + "---\nseed: 3\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("parameters: {name: x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml", Options{})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "fuzz.yaml" || !strings.HasPrefix(err.Error(), "cards: fuzz.yaml") {
				t.Fatalf("bad error %v (%T)", err, err)
			}
			return
		}
		if c.Path != "fuzz.yaml" || c.Seed == nil {
			t.Fatalf("card without path or seed: %+v", c)
		}
	})
}
