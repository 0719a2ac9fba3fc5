"""The event pair matrix: every European x Korean pair scored in one batched product.

    python bench/bench_pair_matrix.py --size 500     # 500 EU x 500 KR participants (target < 1 s)
    python bench/bench_pair_matrix.py --size 50      # CI smoke
The participants are drawn from a synthetic 10,000-actor directory index (the ranking index the
site uses). Baseline, measured in the same run: the same matrix as a loop of one ranking query
per European participant restricted to the Korean participants, what a naive implementation
would do. The batched matrix is then scheduled (16 slots, 100 tables, max 10) to report the
schedule's value against the bound on real pair scores, not synthetic ones.
Every figure is printed as `BENCH <name> <value> <unit>`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import synthetic_profiles  # noqa: E402
from events.solver import Problem, schedule_check, schedule_solve  # noqa: E402
from matching.engine import Filters, build_index  # noqa: E402


def bench(name: str, value: float, unit: str) -> None:
    digits = 6 if unit == "ratio" else 4
    print(f"BENCH {name} {value:.{digits}g} {unit}", flush=True)


def run(index, size: int, *, directory: int, time_limit: float) -> None:
    rng = np.random.default_rng(3)
    eu_keys = rng.choice([p.key for p in index.profiles if p.side == "eu"], size, replace=False)
    kr_keys = rng.choice([p.key for p in index.profiles if p.side == "kr"], size, replace=False)
    eu_rows = [index.row_of(int(k)) for k in eu_keys]
    kr_rows = [index.row_of(int(k)) for k in kr_keys]

    t = time.perf_counter()
    matrix = index.pair_scores(eu_rows, kr_rows)
    batched = time.perf_counter() - t
    bench(f"pair_matrix_seconds_{size}", batched, "s")

    among = frozenset(int(k) for k in kr_keys)
    t = time.perf_counter()
    looped = np.zeros_like(matrix)
    column = {int(k): j for j, k in enumerate(kr_keys)}
    for i, key in enumerate(eu_keys):
        for match in index.rank(int(key), filters=Filters(among=among), top=None, explain=0):
            looped[i, column[match.key]] = match.score
    loop_seconds = time.perf_counter() - t
    if not np.allclose(looped, matrix, atol=1e-5):
        sys.exit("the batched matrix differs from the per-participant rankings")
    bench(f"pair_matrix_loop_seconds_{size}", loop_seconds, "s")
    bench(f"pair_matrix_loop_over_batched_{size}", loop_seconds / batched, "x")

    slots, tables, most = (16, 100, 10) if size >= 500 else (8, 20, 6)
    problem = Problem(
        value=matrix.astype(np.float64),
        allowed=np.ones_like(matrix, dtype=bool),
        eu_available=np.ones((size, slots), dtype=bool),
        kr_available=np.ones((size, slots), dtype=bool),
        eu_max=np.full(size, most),
        kr_max=np.full(size, most),
        tables=tables,
    )
    schedule = schedule_solve(problem, time_limit=time_limit)
    errors = schedule_check(problem, schedule.meetings)
    if errors:
        sys.exit(f"invalid schedule: {errors[:5]}")
    bench(f"event_schedule_seconds_{size}", schedule.seconds, "s")
    bench(f"event_schedule_value_over_bound_{size}", schedule.ratio, "ratio")
    print(f"# {directory} actors indexed; {len(schedule.meetings)} meetings", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, nargs="+", default=[500])
    parser.add_argument("--directory", type=int, default=10_000)
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    index = build_index(synthetic_profiles(args.directory), version="bench")
    for size in args.size:
        run(index, size, directory=args.directory, time_limit=args.time_limit)


if __name__ == "__main__":
    main()
