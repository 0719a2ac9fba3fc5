"""Loading a stored snapshot of the ranking index against building it from the directory.

    python bench/bench_index_snapshot.py --size 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clustermatch \
        python bench/bench_index_snapshot.py

Uses its own database (`<name>_bench_index` on PostgreSQL, a file in the var directory
otherwise), fills it with synthetic actors (bench/synthetic.py), then times, each several times:
building the index from the database (what a web process does after every change), writing
the snapshot (what the rebuild job adds), and loading it (what a web process does instead of
building when a snapshot of the current revision exists).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import django_on_private_database  # noqa: E402


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


def timed(fn, repeat: int) -> tuple[float, object]:
    samples, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    vendor = django_on_private_database("bench_index")
    from bench.bench_partners_page import fill
    from matching import index as ranking_index

    t = time.perf_counter()
    fill(args.size)
    print(f"# {args.size} actors loaded into {vendor} in {time.perf_counter() - t:.1f} s")

    build_s, built = timed(ranking_index.index_build, args.repeat)
    write_s, path = timed(lambda: ranking_index.snapshot_write(built), args.repeat)
    load_s, loaded = timed(lambda: ranking_index.snapshot_load(built.version), args.repeat)
    assert loaded is not None and loaded.version == built.version
    size = args.size
    bench(f"index_build_s_{size}_{vendor}", build_s, "s")
    bench(f"index_snapshot_write_s_{size}_{vendor}", write_s, "s")
    bench(f"index_snapshot_load_s_{size}_{vendor}", load_s, "s")
    bench(f"index_snapshot_mb_{size}_{vendor}", path.stat().st_size / 1e6, "MB")
    bench(f"index_build_over_snapshot_load_{size}_{vendor}", build_s / load_s, "x")


if __name__ == "__main__":
    main()
