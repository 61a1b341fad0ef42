#!/usr/bin/env python3
# Copyright ©2026 The goldmine Authors. All rights reserved.
# Use of this source code is governed by a BSD-style
# license that can be found in the LICENSE file.
"""Dumps the final-state particles and weights of a HepMC file as HepMC3's
own reader (pyhepmc) sees them, for goldmine's cross-check tests.

    python pyhepmc_dump.py FILE > dump.txt

Output, one block per event:
    E <event number> <number of final-state particles>
    W <weight> ...                       (repr of each double)
    P <id> <pdg id> <px> <py> <pz> <e> <m>   (GeV, status-1 particles in file order)
and a first line N <weight name> ... of the run's weight names.
"""
import sys

import pyhepmc

UNIT = {pyhepmc.Units.GEV: 1.0, pyhepmc.Units.MEV: 1e-3}


def main(path):
    out = sys.stdout
    names_done = False
    with pyhepmc.open(path) as f:
        for ev in f:
            if not names_done:
                ri = ev.run_info
                out.write("N " + " ".join(ri.weight_names if ri is not None else []) + "\n")
                names_done = True
            s = UNIT[ev.momentum_unit]
            fs = [p for p in ev.particles if p.status == 1]
            out.write("E %d %d\n" % (ev.event_number, len(fs)))
            out.write("W " + " ".join(repr(w) for w in ev.weights) + "\n")
            for p in fs:
                m = p.momentum
                out.write("P %d %d %r %r %r %r %r\n" % (p.id, p.pid, m.px * s, m.py * s, m.pz * s, m.e * s, p.generated_mass * s))


if __name__ == "__main__":
    main(sys.argv[1])
