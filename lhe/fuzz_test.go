// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package lhe

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the reader. Whatever the input, it
// must not panic, every error must be an *Error naming the file, and every
// event must carry one weight per declared id. See doc.go for how to run
// it.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"small.lhe", "lhef3.lhe"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(b)
		zw.Close()
		f.Add(gz.Bytes())
		f.Add(gz.Bytes()[:gz.Len()/2])
	}
	f.Add([]byte("<LesHouchesEvents version=\"1.0\">\n<init>\n1 2 3 4 5 6 7 8 9 1\n1 2 3 4\n</init>\n<event>\n1 1 1 1 1 1\n1 1 0 0 0 0 0 0 0 0 0 0 9\n</event>\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), "fuzz.lhe")
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		defer r.Close()
		h := r.Header()
		n := 0
		for r.Next() {
			ev := r.Event()
			if len(ev.Weights) != len(h.Weights) || ev.Index != n {
				t.Fatalf("event %d: %d weights for %d ids, index %d", n, len(ev.Weights), len(h.Weights), ev.Index)
			}
			n++
		}
		if err := r.Err(); err != nil {
			checkFuzzErr(t, err)
		}
	})
}

func checkFuzzErr(t *testing.T, err error) {
	var le *Error
	if !errors.As(err, &le) || le.File != "fuzz.lhe" || !strings.HasPrefix(err.Error(), "lhe: fuzz.lhe") || le.Line < 0 {
		t.Fatalf("bad error %v (%T)", err, err)
	}
}
