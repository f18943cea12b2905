#!/usr/bin/env python3
"""Benchmark data: ../shared/bench/gen_personas.py users with planted personas, log1p-transformed,
written as raw little-endian float32 (row-major) that Node and numpy both read without parsing.

    /usr/bin/python3 bench/make_data.py --users 100000 --out bench/data/u100k
    # -> bench/data/u100k.f32 (log1p), u100k.counts.f32 (raw counts), u100k.json (shape, generator
    #    arguments), u100k.labels.i32 (planted persona, -1 for outliers and inactive users)
"""
import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, required=True)
    ap.add_argument("--events", type=int, default=40)
    ap.add_argument("--k", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="path prefix")
    ap.add_argument("--generator", default=os.path.join(HERE, "..", "..", "shared", "bench"))
    a = ap.parse_args()
    sys.path.insert(0, a.generator)
    from gen_personas import generate  # noqa: E402

    d = generate(a.users, a.events, a.k, a.seed)
    x = np.log1p(d["counts"].astype(np.float32)).astype("<f4")
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    x.tofile(a.out + ".f32.tmp")
    os.replace(a.out + ".f32.tmp", a.out + ".f32")
    d["counts"].astype("<f4").tofile(a.out + ".counts.f32")  # raw counts, for the transform comparison
    labels = np.where(d["is_outlier"] | d["is_inactive"], -1, d["persona_idx"]).astype("<i4")
    labels.tofile(a.out + ".labels.i32")
    meta = {"rows": a.users, "cols": a.events, "k": a.k, "seed": a.seed, "transform": "log1p",
            "generator": "gen_personas.py", "events": d["event_names"]}
    with open(a.out + ".json", "w") as f:
        json.dump(meta, f)
    print(f"{a.out}.f32: {a.users} x {a.events} float32 (log1p counts)")


if __name__ == "__main__":
    main()
