// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package stage runs the units of a workflow only when their inputs
// changed. A Unit declares its configuration (the bytes its output
// depends on besides files: for goldmine's stages the canonical encoding
// of the card sections they read and the seed), its input files and its
// outputs. Its key is a SHA-256 over its ID, its configuration and the
// content hashes of its inputs, streamed from the files (a directory
// hashes its files by name, hidden files left out; a missing input
// hashes as "absent"), so that an input edited in place with the same
// size and time is seen, and one touched without change is not.
//
// A Runner keeps one record per unit, DIR/ID.json (a slash in the ID
// becomes "__"), written atomically when the unit finished and removed
// before it runs: an interrupted or failed unit never looks complete, and
// units running in separate processes (the shards of a stage on a
// cluster) never write the same file. A unit is up to date when its
// record holds its current key and its outputs exist.
package stage
