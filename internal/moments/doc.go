// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package moments gives the mean and standard deviation of a short series
// of results (one per seed, one per ensemble member) with plain sums in
// index order, so that tables and reports built from them do not depend
// on how a vectorised sum groups its terms.
package moments
