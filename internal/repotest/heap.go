// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package repotest

import (
	"runtime"
	"time"
)

// PeakHeap runs f and returns the largest runtime.MemStats.HeapInuse that
// a goroutine reading the memory statistics when f starts and then every
// interval saw while f ran. Each reading stops the world briefly, so a
// short interval costs f some time. A caller that wants HeapInuse close to
// the live heap lowers GOGC around the call.
func PeakHeap(interval time.Duration, f func()) (peak uint64) {
	var seen uint64 // written by the sampler only, read once it is done
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			seen = max(seen, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	// Stop the sampler also when f ends the test (t.Fatal).
	defer func() {
		close(stop)
		<-done
		peak = seen
	}()
	f()
	return 0 // peak is set by the deferred stop
}
