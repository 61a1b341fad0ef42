#!/usr/bin/env python3
"""Summarise HDF5 files with h5py, independently of goldmine's Go reader.

Usage: h5summary.py FILE...   (prints JSON to stdout)

For every dataset: dtype, shape, and
  numbers: the first and last 8 values (flattened, C order) and their sum
  strings: all values when there are at most 32, else the first 8.
Used by store's tests: `python3 h5summary.py ../../../shared/data/madminer/*.h5 > madminer_h5py.json`
(run with h5py 3.7.0 and numpy 1.24.2), and live on files written by store.
"""
import json
import os
import sys

import h5py
import numpy as np


def summary(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if not isinstance(obj, h5py.Dataset):
                return
            d = {"dtype": obj.dtype.str, "shape": list(obj.shape)}
            v = obj[()]
            if obj.dtype.kind == "S":
                flat = [s.decode("ascii") for s in np.asarray(v).reshape(-1)]
                d["strings"] = flat if len(flat) <= 32 else flat[:8]
            else:
                flat = np.asarray(v, dtype=np.float64).reshape(-1)
                d["first"] = [float(x) for x in flat[:8]]
                d["last"] = [float(x) for x in flat[-8:]]
                d["sum"] = float(flat.sum())
            out[name] = d
        f.visititems(visit)
    return out


if __name__ == "__main__":
    json.dump({os.path.basename(p): summary(p) for p in sys.argv[1:]}, sys.stdout, indent=1, sort_keys=True)
    print()
