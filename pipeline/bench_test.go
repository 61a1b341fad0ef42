// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pipeline

import "testing"

// BenchmarkAnalyseZH30k runs goldmine analyse on the 30000-event ZH file
// with MadMiner's seven observables and its cut (MadMiner's LHEReader
// needs 198 s for this on the same machine, reference.json).
func BenchmarkAnalyseZH30k(b *testing.B) {
	env := NewEnv(zh30kCardB(b), b.TempDir(), nil, nil)
	if _, err := Setup(env); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Analyse(env)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.EventsRead)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	}
}
