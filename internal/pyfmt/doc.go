// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package pyfmt formats numbers as Python 3 does, so that the files
// goldmine writes for MadMiner and MadGraph (cards, systematics values)
// read exactly like those MadMiner writes.
package pyfmt
