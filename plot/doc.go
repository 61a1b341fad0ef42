// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package plot draws the figures of a goldmine study: the morphing basis
// quality map, observable distributions at several parameter points,
// Fisher-information contours and determinants, p-value maps and curves,
// and the histogram of information.
//
// Every function takes plain data, checks it, and returns a *Figure or an
// error; nothing is drawn until Figure.Save, which writes PNG or PDF files
// (chosen by the file extension) atomically: the figure is written to a
// temporary file in the destination directory and renamed into place.
//
// Axis labels, units and parameter names come from the caller, for example
// Labels{X: "p_T(Z) [GeV]"}. Grids of values over two parameters are stored
// with the first parameter varying slowest: z[i*len(y)+j] is the value at
// (x[i], y[j]), as a grid built with meshgrid(..., indexing="ij") and
// flattened.
//
// Fisher-information figures take *fisher.Information (package
// limits/fisher), the one Fisher type of goldmine, and project or profile
// it with fisher's Project and Profile.
//
// All slice arguments are read-only.
package plot
