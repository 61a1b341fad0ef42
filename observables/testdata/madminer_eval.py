#!/usr/bin/env python3
# Copyright ©2026 The goldmine Authors. All rights reserved.
# Use of this source code is governed by a BSD-style
# license that can be found in the LICENSE file.
"""Evaluate MadMiner definition strings with Python's own eval().

This is the reference side of observables/pyeval_test.go. It mirrors what
MadMiner's LHEReader does for every event (madminer/utils/interfaces/lhe.py,
read to understand it, not copied): the final-state (status 1) particles of
the LHE event become objects p, e, mu, tau, a, j, l, v (pT-sorted) and met;
every observable is eval()ed with those objects (and MadMiner's math
commands) as globals; then the observable values are added to the same
globals under their names, and the cuts and efficiencies are eval()ed.
Python's builtins (sum, any, all, abs, min, max, len, round, int, float,
bool) are reachable as in MadMiner, because eval() inserts __builtins__.

MadMinerParticle (a scikit-hep vector MomentumObject4D) is replaced by the
small class P below, which computes the few attributes the tests use with
the same formulas.

Usage:
    madminer_eval.py LHE_GZ N_EVENTS SPEC_JSON

SPEC_JSON holds {"observables": [[name, definition], ...], "cuts": [...],
"efficiencies": [...]}. The output (stdout) is JSON: for every event, lists
"observables", "cuts" and "efficiencies" of values. A value is a number
(booleans as 0/1), or a string: "error:<ExceptionName>" when eval() raised,
"nan", "inf" or "-inf".
"""

import gzip
import json
import math
import sys


class P:
    """A four-vector with a PDG id, like MadMinerParticle."""

    def __init__(self, px, py, pz, e, pdgid=None, charge=None):
        self.px, self.py, self.pz, self.e = px, py, pz, e
        self.pdgid = pdgid
        self.charge = charge

    @property
    def pt(self):
        return math.sqrt(self.px * self.px + self.py * self.py)

    @property
    def eta(self):
        return math.asinh(self.pz / self.pt)

    @property
    def phi(self):
        return math.atan2(self.py, self.px)

    @property
    def m(self):
        m2 = self.e * self.e - self.px * self.px - self.py * self.py - self.pz * self.pz
        return math.copysign(math.sqrt(abs(m2)), m2)

    def deltaphi(self, other):
        return (self.phi - other.phi + math.pi) % (2 * math.pi) - math.pi

    def deltaeta(self, other):
        return self.eta - other.eta

    def deltaR(self, other):
        return math.sqrt(self.deltaphi(other) ** 2 + self.deltaeta(other) ** 2)

    def __add__(self, other):
        c = None if self.charge is None or other.charge is None else self.charge + other.charge
        return P(self.px + other.px, self.py + other.py, self.pz + other.pz, self.e + other.e, None, c)

    def __sub__(self, other):
        c = None if self.charge is None or other.charge is None else self.charge - other.charge
        return P(self.px - other.px, self.py - other.py, self.pz - other.pz, self.e - other.e, None, c)


CHARGE = {11: -1.0, 13: -1.0, 15: -1.0, 1: -1 / 3, 3: -1 / 3, 5: -1 / 3, 2: 2 / 3, 4: 2 / 3, 6: 2 / 3, 24: 1.0}
NEUTRINOS = {12, 14, 16}
INVISIBLE = NEUTRINOS | {18}


def charge(pdgid):
    q = CHARGE.get(abs(pdgid), 0.0)
    return q if pdgid > 0 else -q


def math_commands():
    return {name: getattr(math, name) for name in (
        "acos", "asin", "atan", "atan2", "ceil", "cos", "cosh", "exp", "floor",
        "log", "pi", "pow", "sin", "sinh", "sqrt", "tan", "tanh")}


def objects(particles):
    e = sorted([x for x in particles if abs(x.pdgid) == 11], key=lambda x: x.pt, reverse=True)
    mu = sorted([x for x in particles if abs(x.pdgid) == 13], key=lambda x: x.pt, reverse=True)
    tau = sorted([x for x in particles if abs(x.pdgid) == 15], key=lambda x: x.pt, reverse=True)
    a = sorted([x for x in particles if x.pdgid == 22], key=lambda x: x.pt, reverse=True)
    j = sorted([x for x in particles if abs(x.pdgid) in (1, 2, 3, 4, 5, 6, 9, 21)], key=lambda x: x.pt, reverse=True)
    v = sorted([x for x in particles if abs(x.pdgid) in NEUTRINOS], key=lambda x: x.pt, reverse=True)
    l = sorted(e + mu, key=lambda x: x.pt, reverse=True)
    vx = sum(x.px for x in particles if abs(x.pdgid) not in INVISIBLE)
    vy = sum(x.py for x in particles if abs(x.pdgid) not in INVISIBLE)
    met = P(-vx, -vy, 0.0, math.sqrt(vx * vx + vy * vy))
    d = math_commands()
    d.update({"p": particles, "e": e, "mu": mu, "tau": tau, "a": a, "j": j, "v": v, "l": l, "met": met})
    return d


def events(path, n):
    with gzip.open(path, "rt") as f:
        inside, header, cur = False, False, []
        for line in f:
            line = line.strip()
            if line == "<event>":
                inside, header, cur = True, True, []
                continue
            if line == "</event>":
                yield cur
                n -= 1
                if n == 0:
                    return
                inside = False
                continue
            if not inside or line.startswith("<") or line.startswith("#"):
                if line.startswith("<rwgt>"):
                    inside = False
                continue
            if header:
                header = False
                continue
            fs = line.split()
            pdg, status = int(fs[0]), int(fs[1])
            if status == 1:
                cur.append(P(float(fs[6]), float(fs[7]), float(fs[8]), float(fs[9]), pdg, charge(pdg)))


def value(expr, env):
    try:
        v = eval(expr, env)
    except Exception as err:  # MadMiner catches some; the test compares the class
        return "error:" + type(err).__name__
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def main():
    path, n, spec_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(spec_path) as f:
        spec = json.load(f)
    out = []
    for particles in events(path, n):
        env = objects(particles)
        obs = [value(d, env) for _, d in spec.get("observables", [])]
        for (name, _), v in zip(spec.get("observables", []), obs):
            env[name] = float("nan") if isinstance(v, str) else v
        cuts = [value(c, env) for c in spec.get("cuts", [])]
        effs = [value(x, env) for x in spec.get("efficiencies", [])]
        out.append({"observables": obs, "cuts": cuts, "efficiencies": effs})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
