// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package report draws the figures of a campaign (package plot) from its
// results and writes report.md: the morphing basis map and observable
// distributions from the events, the Fisher-information contours,
// determinants and histograms of information from fisher.json's results,
// and the p-value maps and the table of scans from limits.json's. For
// expected limits the table gives p(θ_true) of every scan and flags a scan
// that excludes θ_true at 95% CL on its own Asimov data, for which an
// unbiased likelihood peaks at θ_true.
//
// Write takes plain data (Campaign); events are read through an
// EventReader, which *store.EventFile implements.
package report
