"""The directory map's JSON at 10,000 actors, against the directory list page in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clustermatch \
        python bench/bench_map.py --size 10000

Its own database (`<name>_map_bench` on PostgreSQL, var/map_bench.sqlite3 otherwise), filled with
bench_partners_page.py's synthetic directory, 95% of it given coordinates in Europe or Korea. Times
`/map/actors.json` (every actor: the biggest answer the map gives) and `/map/actors.json?side=kr`
through Django's test client, with `/actors/` as the baseline, and prints the JSON's size.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_partners_page import bench, fill  # noqa: E402
from bench.pages import django_on_private_database, time_get  # noqa: E402


def place(seed: int = 11) -> None:
    """Coordinates for 95% of the actors: Europe for the European side, Korea for the other."""
    from decimal import Decimal

    from directory.models import Actor

    rng = np.random.default_rng(seed)
    actors = list(Actor.objects.only("id", "side").order_by("id"))
    for actor in actors:
        if rng.random() < 0.05:
            continue
        if actor.side == "eu":
            lat, lon = rng.uniform(37, 60), rng.uniform(-8, 28)
        else:
            lat, lon = rng.uniform(34.5, 38), rng.uniform(126.3, 129.4)
        actor.latitude, actor.longitude = Decimal(f"{lat:.5f}"), Decimal(f"{lon:.5f}")
    Actor.objects.bulk_update(actors, ["latitude", "longitude"], batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    vendor = django_on_private_database("map_bench")
    from django.test import Client

    t = time.perf_counter()
    fill(args.size)
    place()
    print(f"# {args.size} actors loaded into {vendor} in {time.perf_counter() - t:.1f} s")
    client = Client()
    everything, korean, listing = "/map/actors.json", "/map/actors.json?side=kr", "/actors/"
    for url in (everything, korean, listing):
        time_get(client, url, 2)
    raw = client.get(everything).content
    compressed = client.get(everything, HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["Content-Encoding"] == "gzip"
    assert len(gzip.decompress(compressed.content)) == len(raw)
    samples = {url: time_get(client, url, args.requests) for url in (everything, korean, listing)}
    p50 = {url: np.percentile(values, 50) * 1000 for url, values in samples.items()}
    tag = f"{args.size}_{vendor}"
    bench(f"map_json_bytes_{tag}", len(raw), "B")
    bench(f"map_json_gzip_bytes_{tag}", len(compressed.content), "B")
    bench(f"map_json_all_p50_ms_{tag}", p50[everything], "ms")
    bench(f"map_json_kr_p50_ms_{tag}", p50[korean], "ms")
    bench(f"directory_page_p50_ms_{tag}", p50[listing], "ms")
    bench(f"map_json_all_over_directory_page_p50_{tag}", p50[everything] / p50[listing], "x")


if __name__ == "__main__":
    main()
