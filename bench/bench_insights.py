"""The statistics page at 10,000 actors, against the directory list page in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clustermatch \
        python bench/bench_insights.py --size 10000

Its own database (`<name>_insights_bench` on PostgreSQL, var/insights_bench.sqlite3 otherwise),
filled with bench_partners_page.py's synthetic directory. Times `/insights/` for a visitor with
the public figures computed afresh (the first request after a change to the directory) and
from the cache (every other request), with `/actors/` as the baseline, and a manager's page
(their organisation's sectors are counted on every request).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_partners_page import bench, fill  # noqa: E402
from bench.pages import django_on_private_database, time_get  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    vendor = django_on_private_database("insights_bench")
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    t = time.perf_counter()
    fill(args.size)
    print(f"# {args.size} actors loaded into {vendor} in {time.perf_counter() - t:.1f} s")
    visitor, manager = Client(), Client()
    manager.force_login(get_user_model().objects.get(username="bench.manager"))
    page, listing = "/insights/", "/actors/"
    for url in (page, listing):
        time_get(visitor, url, 2)
    fresh = time_get(visitor, page, args.requests, before_each=cache.clear)
    cached = time_get(visitor, page, args.requests)
    managed = time_get(manager, page, args.requests)
    baseline = time_get(visitor, listing, args.requests)
    p50 = lambda samples: np.percentile(samples, 50) * 1000  # noqa: E731
    tag = f"{args.size}_{vendor}"
    bench(f"insights_page_fresh_p50_ms_{tag}", p50(fresh), "ms")
    bench(f"insights_page_cached_p50_ms_{tag}", p50(cached), "ms")
    bench(f"insights_page_manager_p50_ms_{tag}", p50(managed), "ms")
    bench(f"directory_page_p50_ms_{tag}", p50(baseline), "ms")
    bench(f"insights_page_fresh_over_directory_page_p50_{tag}", p50(fresh) / p50(baseline), "x")
    bench(f"insights_page_cached_over_directory_page_p50_{tag}", p50(cached) / p50(baseline), "x")


if __name__ == "__main__":
    main()
