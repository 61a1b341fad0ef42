#!/usr/bin/env python3
# Copyright ©2026 The goldmine Authors. All rights reserved.
# Use of this source code is governed by a BSD-style
# license that can be found in the LICENSE file.
"""Reads a Delphes ROOT file with uproot and computes the observables of
cards/zh_delphes.yaml from its raw branches, independently of goldmine,
for the chain test (cmd/goldmine/chain_test.go).

    python zh_delphes_observables.py FILE > observables.jsonl

One JSON object per line and Delphes entry: entry, n_e, n_mu, n_j, met
(MissingET.MET), and obs: the card's observables in its order (pt_z,
m_ee, eta_z, pt_e1, pt_e2, dphi_ee, pt_l1, met, pt_j1, n_j), each null
where its objects are missing; pass says whether the event has every
required observable and passes the cut 60 < m_ee < 120.

Conventions, as MadMiner's Delphes reader has them: electrons get the
mass 0.000511 GeV and muons 0.105658 GeV; l is the electrons and muons by
decreasing pT; jets keep Delphes' mass; deltaphi is wrapped into [-pi, pi).
"""
import json
import math
import sys

import uproot

ME, MMU = 0.000511, 0.105658


def p4(pt, eta, phi, m):
    px, py, pz = pt * math.cos(phi), pt * math.sin(phi), pt * math.sinh(eta)
    return [px, py, pz, math.sqrt(px * px + py * py + pz * pz + m * m)]


def add(a, b):
    return [x + y for x, y in zip(a, b)]


def pt(v):
    return math.hypot(v[0], v[1])


def mass(v):
    m2 = v[3] ** 2 - v[0] ** 2 - v[1] ** 2 - v[2] ** 2
    return math.sqrt(m2) if m2 > 0 else -math.sqrt(-m2)


def eta(v):
    p = math.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2)
    return 0.5 * math.log((p + v[2]) / (p - v[2]))


def dphi(a, b):
    return (a - b + math.pi) % (2 * math.pi) - math.pi


def main(path):
    t = uproot.open(path)["Delphes"]
    names = ["Electron.PT", "Electron.Eta", "Electron.Phi",
             "Muon.PT", "Muon.Eta", "Muon.Phi",
             "Jet.PT", "Jet.Eta", "Jet.Phi", "Jet.Mass",
             "MissingET.MET"]
    a = t.arrays(names, library="np")
    for i in range(t.num_entries):
        e = [(float(a["Electron.PT"][i][k]), float(a["Electron.Eta"][i][k]), float(a["Electron.Phi"][i][k]), ME)
             for k in range(len(a["Electron.PT"][i]))]
        mu = [(float(a["Muon.PT"][i][k]), float(a["Muon.Eta"][i][k]), float(a["Muon.Phi"][i][k]), MMU)
              for k in range(len(a["Muon.PT"][i]))]
        j = [(float(a["Jet.PT"][i][k]), float(a["Jet.Eta"][i][k]), float(a["Jet.Phi"][i][k]), float(a["Jet.Mass"][i][k]))
             for k in range(len(a["Jet.PT"][i]))]
        # Delphes writes the objects by decreasing pT; sort anyway.
        e.sort(key=lambda x: -x[0])
        mu.sort(key=lambda x: -x[0])
        j.sort(key=lambda x: -x[0])
        leptons = sorted(e + mu, key=lambda x: -x[0])
        met = float(a["MissingET.MET"][i][0])
        obs = {k: None for k in ["pt_z", "m_ee", "eta_z", "pt_e1", "pt_e2", "dphi_ee", "pt_l1", "met", "pt_j1", "n_j"]}
        if len(e) >= 2:
            z = add(p4(*e[0]), p4(*e[1]))
            obs.update(pt_z=pt(z), m_ee=mass(z), eta_z=eta(z), pt_e2=pt(p4(*e[1])), dphi_ee=dphi(e[0][2], e[1][2]))
        if e:
            obs["pt_e1"] = pt(p4(*e[0]))
        if leptons:
            obs["pt_l1"] = pt(p4(*leptons[0]))
        obs["met"] = met
        obs["pt_j1"] = pt(p4(*j[0])) if j else 0.0
        obs["n_j"] = float(len(j))
        required = ["pt_z", "m_ee", "eta_z", "pt_e1", "pt_e2", "dphi_ee", "pt_l1", "met"]
        ok = all(obs[k] is not None for k in required) and 60 < obs["m_ee"] < 120
        row = {"entry": i, "n_e": len(e), "n_mu": len(mu), "n_j": len(j), "met": met,
               "obs": [obs[k] for k in ["pt_z", "m_ee", "eta_z", "pt_e1", "pt_e2", "dphi_ee", "pt_l1", "met", "pt_j1", "n_j"]],
               "pass": ok}
        sys.stdout.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
