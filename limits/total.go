// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package limits

// Total returns log L = kin + rate of ll as one function of the
// parameters, the form of a posterior's log-likelihood: of the np
// parameters of interest followed by the nn nuisance parameters or, with
// fixNuisance, of the parameters of interest alone, the nuisance
// parameters fixed at 0. The function is not safe for concurrent use when
// fixNuisance is set.
func (ll LogLikelihood) Total(np, nn int, fixNuisance bool) func(params []float64) (float64, error) {
	if !fixNuisance {
		return func(p []float64) (float64, error) {
			k, r, err := ll(p)
			return k + r, err
		}
	}
	full := make([]float64, np+nn)
	return func(p []float64) (float64, error) {
		copy(full, p[:np])
		k, r, err := ll(full)
		return k + r, err
	}
}
