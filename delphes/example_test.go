// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes_test

import (
	"fmt"
	"log"

	"github.com/goldmine-hep/goldmine/delphes"
)

// This example reads jets and missing transverse energy from a Delphes
// file. It is compiled but not run: it needs a Delphes file.
func ExampleOpen() {
	r, err := delphes.Open("delphes.root", delphes.Options{Collections: []string{"Jet", "MissingET"}})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		ev := r.Event()
		nb := 0
		for _, j := range ev.Jets {
			if j.BTagged(0) {
				nb++
			}
		}
		fmt.Println(ev.Entry, len(ev.Jets), nb, ev.MissingET[0].MET)
	}
	if err := r.Err(); err != nil {
		log.Fatal(err)
	}
}
