// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package layers holds the test that keeps goldmine's dependencies
// pointing down (see DESIGN and the README's architecture section): only
// cmd/ imports pipeline, and only pipeline and cmd/ know cards; limits
// reads events through an interface, not store; simulators knows nothing
// of ml or limits; ml knows no physics; morphing no files; lhe and
// delphes no HDF5, and lhe no Delphes. It checks them with go list, as a
// reviewer would.
package layers
