// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package repotest

// ZHBasis is the benchmarks and morphing sections of the tests' cards of
// the ZH samples (parameters cHW and cHq3, at most squared): the SM and
// the five basis points of the reweighting of BundledZH and of the shared
// ZH samples, the points MadMiner chose for that morphing.
const ZHBasis = `benchmarks:
  - {name: sm, values: {cHW: 0, cHq3: 0}}
  - {name: morphing_basis_vector_1, values: {cHW: -0.7546379162819874, cHq3: 0.06772376860683327}}
  - {name: morphing_basis_vector_2, values: {cHW: -0.5342918055120081, cHq3: 0.5096157022009227}}
  - {name: morphing_basis_vector_3, values: {cHW: 0.34974116832900015, cHq3: -0.8561460703815711}}
  - {name: morphing_basis_vector_4, values: {cHW: 0.9785293694716006, cHq3: 0.5609138711486825}}
  - {name: morphing_basis_vector_5, values: {cHW: -0.5443482262188049, cHq3: -0.9385143633006059}}
morphing:
  max_overall_power: 2
  basis: [sm, morphing_basis_vector_1, morphing_basis_vector_2, morphing_basis_vector_3, morphing_basis_vector_4, morphing_basis_vector_5]
`
