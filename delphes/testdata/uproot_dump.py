#!/usr/bin/env python3
# Copyright ©2026 The goldmine Authors. All rights reserved.
# Use of this source code is governed by a BSD-style
# license that can be found in the LICENSE file.
"""Dumps a Delphes ROOT file as uproot reads it, with a few observables
computed here from the raw branches, for goldmine's cross-check tests.

    python uproot_dump.py FILE > dump.json

One JSON object per line and event:
  entry, number (Event.Number), weight (Event.Weight), weights (Weight.Weight),
  e, mu: [[PT, Eta, Phi, Charge], ...]; j: [[PT, Eta, Phi, Mass], ...];
  met: [MET, Phi]; and the observables
  pt_l1, pt_e1, pt_mu1, pt_j1, eta_l1, met, met_phi, m_ll,
  each null where the objects are missing. Leptons get MadMiner's masses
  (electron 0.000511 GeV, muon 0.105658 GeV); l is e and mu by decreasing PT.
"""
import json
import math
import sys

import uproot

ME, MMU = 0.000511, 0.105658


def p4(pt, eta, phi, m):
    px, py, pz = pt * math.cos(phi), pt * math.sin(phi), pt * math.sinh(eta)
    return px, py, pz, math.sqrt(px * px + py * py + pz * pz + m * m)


def main(path):
    t = uproot.open(path)["Delphes"]
    names = ["Event.Number", "Event.Weight", "Weight.Weight",
             "Electron.PT", "Electron.Eta", "Electron.Phi", "Electron.Charge",
             "Muon.PT", "Muon.Eta", "Muon.Phi", "Muon.Charge",
             "Jet.PT", "Jet.Eta", "Jet.Phi", "Jet.Mass",
             "MissingET.MET", "MissingET.Phi"]
    a = t.arrays(names, library="np")
    f = lambda x: float(x)  # float32 → the same value as a double
    for i in range(t.num_entries):
        e = [[f(a["Electron.PT"][i][k]), f(a["Electron.Eta"][i][k]), f(a["Electron.Phi"][i][k]), int(a["Electron.Charge"][i][k])]
             for k in range(len(a["Electron.PT"][i]))]
        mu = [[f(a["Muon.PT"][i][k]), f(a["Muon.Eta"][i][k]), f(a["Muon.Phi"][i][k]), int(a["Muon.Charge"][i][k])]
              for k in range(len(a["Muon.PT"][i]))]
        j = [[f(a["Jet.PT"][i][k]), f(a["Jet.Eta"][i][k]), f(a["Jet.Phi"][i][k]), f(a["Jet.Mass"][i][k])]
             for k in range(len(a["Jet.PT"][i]))]
        met = [f(a["MissingET.MET"][i][0]), f(a["MissingET.Phi"][i][0])]
        leptons = sorted([x + [ME] for x in e] + [x + [MMU] for x in mu], key=lambda x: -x[0])
        m_ll = None
        if len(leptons) >= 2:
            s = [u + v for u, v in zip(p4(*leptons[0][:3], leptons[0][4]), p4(*leptons[1][:3], leptons[1][4]))]
            m_ll = math.sqrt(max(s[3] ** 2 - s[0] ** 2 - s[1] ** 2 - s[2] ** 2, 0))
        row = {
            "entry": i,
            "number": int(a["Event.Number"][i][0]),
            "weight": f(a["Event.Weight"][i][0]),
            "weights": [f(w) for w in a["Weight.Weight"][i]],
            "e": e, "mu": mu, "j": j, "met": met,
            "pt_l1": leptons[0][0] if leptons else None,
            "eta_l1": leptons[0][1] if leptons else None,
            "pt_e1": e[0][0] if e else None,
            "pt_mu1": mu[0][0] if mu else None,
            "pt_j1": j[0][0] if j else None,
            "met_obs": met[0],
            "met_phi": met[1],
            "m_ll": m_ll,
        }
        sys.stdout.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
