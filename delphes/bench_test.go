// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package delphes

import (
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

var sinkEvents int

func benchRead(b *testing.B, rel string, colls []string) {
	path := repotest.Shared(b, rel)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		r, err := Open(path, Options{Collections: colls})
		if err != nil {
			b.Fatal(err)
		}
		for r.Next() {
			n++
		}
		if err := r.Err(); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
	sinkEvents = n
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkReadCMSReco(b *testing.B) {
	benchRead(b, cmsFile, []string{"Electron", "Muon", "Photon", "Jet", "MissingET"})
}

func BenchmarkReadCMSAll(b *testing.B) {
	benchRead(b, cmsFile, nil)
}

func BenchmarkReadEICParticles(b *testing.B) {
	benchRead(b, "data/root/delphes_eic_protongun_1000ev.root", []string{"Particle"})
}
