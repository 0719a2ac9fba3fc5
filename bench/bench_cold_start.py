"""Memory, cold start and a bulk import's way into the rankings, on the production-like stack.

    .venv/bin/python bench/bench_cold_start.py                 # 100,000 actors
    .venv/bin/python bench/bench_cold_start.py --size 10000

Drops and recreates its own PostgreSQL database (`clustermatch_cold` on the server DATABASE_URL
names, else postgres://postgres@127.0.0.1:5432), fills it with the synthetic directory of
bench_partners_page.py and starts the stack as `make serve` does (gunicorn and its job workers,
`scripts/serve`, var/ in a temporary directory). Then it measures, as a person would see it:

1. cold start: the time from starting the stack to the first ranking page (the server answering
   at all is the baseline of the same run), then each gunicorn worker's resident memory before
   its first ranking and with its index loaded;
2. a bulk import of new Korean actors (`manage.py import_actors`, a JSON file) and the time
   until they show in a manager's ranking on every worker, while other pages (the directory,
   a profile, the login page) are fetched every quarter second: their slowest answer and any
   error are reported;
3. a restart of the web workers once the import is in (gunicorn's HUP: new processes, nothing
   in memory): the time to the first ranking again (the rebuild job has left a snapshot of the
   index by then, which a new worker loads instead of building).

Every figure is printed as a BENCH line. Targets (issue 17, at 100,000 actors): at most 400 MB
per worker, the first ranking within 15 s of a restart, 1,000 imported actors visible within
30 s, every other page answering meanwhile.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_load import (  # noqa: E402
    database_url,
    default_workers,
    free_port,
    logged_in_cookies,
    production_environment,
    start_server,
    stop_server,
    wait_until_up,
)

DATABASE = "clustermatch_cold"
MANAGER = {"username": "bench.manager", "password": "bench-password-1"}
NEW_PREFIX = "cold-import-"


def bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


def gunicorn_workers(server) -> dict[int, object]:
    """The stack's gunicorn worker processes (not their master), by pid."""
    import psutil

    found = {}
    for proc in psutil.Process(server.pid).children(recursive=True):
        try:
            if "gunicorn" in " ".join(proc.cmdline()):
                found[proc.pid] = proc
        except psutil.Error:
            continue
    children = {p.pid for proc in found.values() for p in proc.children()}
    masters = {pid for pid in found if any(c in found for c in children) and pid not in children}
    return {pid: proc for pid, proc in found.items() if pid not in masters}


def resident_mb(procs: dict[int, object]) -> dict[int, float]:
    return {pid: proc.memory_info().rss / 1e6 for pid, proc in procs.items()}


class PageWatch:
    """Fetches other pages every quarter second while something else goes on."""

    def __init__(self, base: str, paths: list[str]) -> None:
        self.base, self.paths = base, paths
        self.times: list[float] = []
        self.errors: list[str] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        import requests

        i = 0
        while not self.stopped.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            t = time.perf_counter()
            try:
                status = requests.get(self.base + path, timeout=30).status_code
                if status != 200:
                    self.errors.append(f"{path}: HTTP {status}")
            except requests.RequestException as exc:
                self.errors.append(f"{path}: {exc}")
            self.times.append(time.perf_counter() - t)
            self.stopped.wait(0.25)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()


def new_actors_file(directory: Path, *, count: int, text: str) -> Path:
    """Korean actors whose descriptions follow the manager's own: once indexed, they lead its
    ranking."""
    actors = [
        {
            "slug": f"{NEW_PREFIX}{i}",
            "name": f"Cold Import Cluster {i}",
            "side": "kr",
            "country": "KR",
            "kind": "mini-cluster",
            "description": f"{text} Newly imported cluster number {i}.",
            "status": "published",
        }
        for i in range(count)
    ]
    path = directory / "new-actors.json"
    path.write_text(json.dumps(actors), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="actors (default 100,000)")
    parser.add_argument("--import-size", type=int, default=1000, help="actors imported")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: scripts/serve's)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for each step")
    args = parser.parse_args()
    workers = args.workers or default_workers()
    out = Path(tempfile.mkdtemp(prefix="clustermatch-cold-"))
    url = database_url(DATABASE)
    production_environment(database=url, var_dir=out)
    import django

    django.setup()
    import psycopg
    import requests
    from django.core.management import call_command
    from django.db import connections

    from bench.bench_partners_page import fill
    from directory.models import Actor

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    slug = fill(args.size)
    own_text = Actor.objects.get(slug=slug).description
    profile = Actor.objects.filter(side="kr").values_list("slug", flat=True).first()
    for conn in connections.all():
        conn.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"# {args.size} actors loaded in {time.perf_counter() - t:.1f} s", flush=True)
    ranking = f"/partners/{slug}/"
    others = ["/actors/", f"/actors/{profile}/", "/accounts/login/"]

    def start_and_rank(label: str):
        """Starts the stack and times its first ranking; the caller stops the server."""
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        server = start_server(port=port, var_dir=out, workers=workers)
        try:
            up = wait_until_up(server, base, out, timeout=args.timeout)
            procs = gunicorn_workers(server)
            before = resident_mb(procs)
            cookies = logged_in_cookies(base, MANAGER)
            response = requests.get(base + ranking, cookies=cookies, timeout=args.timeout)
            response.raise_for_status()
        except BaseException:
            stop_server(server)
            raise
        first = time.perf_counter() - started
        print(
            f"# {label}: the server answered after {up:.1f} s, the first ranking after "
            f"{first:.1f} s ({workers} gunicorn workers)",
            flush=True,
        )
        bench(f"{label}_server_up_s_{args.size}", up, "s")
        bench(f"{label}_first_ranking_s_{args.size}", first, "s")
        bench(f"{label}_first_ranking_over_server_up_{args.size}", first / up, "x")
        return server, base, cookies, procs, before, first

    # 1. Cold start, then every worker's memory with its index loaded.
    server, base, cookies, procs, before, cold_first = start_and_rank("cold_start")
    try:
        most, visible, errors = _import_and_watch(
            args=args, base=base, cookies=cookies, procs=procs, before=before, ranking=ranking,
            others=others, workers=workers, out=out, own_text=own_text,
        )  # fmt: skip
        # 3. The workers restarted (gunicorn's HUP: new workers, nothing in memory), once the
        # import's rebuild job has stored its snapshot; the rest of the stack stays up.
        restart_first = _restart_workers(
            server=server, base=base, cookies=cookies, ranking=ranking, timeout=args.timeout
        )
        bench(f"restart_first_ranking_s_{args.size}", restart_first, "s")
        bench(f"restart_first_ranking_over_cold_start_{args.size}", restart_first / cold_first, "x")
    finally:
        stop_server(server)
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    targets = [
        (
            "memory per worker (after start and after the import)",
            most <= 400,
            f"{most:.0f} MB (400)",
        ),
        (
            "first ranking after a restart",
            restart_first <= 15,
            f"{restart_first:.1f} s (15)",
        ),
        ("visible after the import", visible <= 30, f"{visible:.1f} s (30)"),
        ("other pages answered", not errors, f"{len(errors)} errors"),
    ]
    for name, met, figure in targets:
        print(f"# {name}: {figure} against the target in brackets: {'met' if met else 'NOT met'}")
    print(
        f"# (a cold start of the whole stack, `make serve`'s migrate and collectstatic included, "
        f"no snapshot yet: first ranking after {cold_first:.1f} s)"
    )


def _import_and_watch(
    *, args, base, cookies, procs, before, ranking, others, workers, out, own_text
):
    """Every worker's memory with its index, then the import and the wait for its actors."""
    import requests

    deadline = time.perf_counter() + args.timeout
    while time.perf_counter() < deadline:  # each worker builds its index on its first ranking
        with concurrent.futures.ThreadPoolExecutor(2 * workers) as pool:
            times = list(
                pool.map(
                    lambda _: _timed_get(base + ranking, cookies, args.timeout),
                    range(2 * workers),
                )
            )
        if max(times) < 1.0:
            break
    after = _memory(procs, size=args.size, when="with its index", suffix="")
    for pid in sorted(procs):
        print(f"# worker {pid}: {before[pid]:.0f} MB before its first ranking, {after[pid]:.0f} MB "
              "with its index")  # fmt: skip
    most = max(after.values())
    bench(f"worker_rss_mb_max_{args.size}", most, "MB")
    bench(f"worker_rss_mb_median_{args.size}", statistics.median(after.values()), "MB")
    bench(
        f"worker_rss_mb_before_index_median_{args.size}", statistics.median(before.values()), "MB"
    )
    bench(
        f"worker_rss_with_index_over_without_{args.size}",
        statistics.median(after.values()) / statistics.median(before.values()),
        "x",
    )

    # 2. A bulk import, while other pages are watched.
    path = new_actors_file(out, count=args.import_size, text=own_text)
    watch = PageWatch(base, others)
    started = time.perf_counter()
    imported = subprocess.run(
        [sys.executable, "manage.py", "import_actors", str(path)],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True,
    )  # fmt: skip
    import_s = time.perf_counter() - started
    if imported.returncode != 0:
        watch.stop()
        raise SystemExit(f"the import failed:\n{imported.stderr[-2000:]}")
    # Visible: a ranking shows a new actor on every worker (as many answers in a row as there
    # are workers, each with a new actor in it).
    in_a_row, first_seen, visible = 0, None, None
    while time.perf_counter() - started < args.timeout:
        html = requests.get(base + ranking, cookies=cookies, timeout=args.timeout).text
        if re.search(rf"/actors/{NEW_PREFIX}\d+/", html):
            first_seen = first_seen or time.perf_counter() - started
            in_a_row += 1
            if in_a_row >= 2 * workers:
                visible = time.perf_counter() - started
                break
        else:
            in_a_row = 0
        time.sleep(0.2)
    if visible is None:
        watch.stop()
        raise SystemExit(f"the imported actors did not show within {args.timeout:.0f} s")
    refitted = _rebuild_finished(started, timeout=args.timeout)
    watch.stop()
    slowest = max(watch.times) if watch.times else float("nan")
    typical = statistics.median(watch.times) if watch.times else float("nan")
    print(
        f"# import of {args.import_size} actors: {import_s:.1f} s; first seen in a ranking "
        f"{first_seen:.1f} s after the import started, on every worker after {visible:.1f} s; "
        f"other pages meanwhile: {len(watch.times)} fetched, median {typical * 1000:.0f} ms, "
        f"slowest {slowest * 1000:.0f} ms, {len(watch.errors)} errors"
        + (f" (e.g. {watch.errors[0]})" if watch.errors else ""),
        flush=True,
    )
    n = args.import_size
    bench(f"import_{n}_s_{args.size}", import_s, "s")
    bench(f"import_{n}_visible_everywhere_s_{args.size}", visible, "s")
    bench(f"import_{n}_first_visible_s_{args.size}", first_seen, "s")
    # The rebuild job first stores the index extended with the new actors, then the full
    # build (docs/matching.md): the time until that one is stored too.
    print(f"# the full build after the import stored {refitted:.1f} s after the import started")
    bench(f"import_{n}_full_build_stored_s_{args.size}", refitted, "s")
    bench(f"other_pages_during_import_max_ms_{args.size}", slowest * 1000, "ms")
    bench(f"other_pages_during_import_over_median_{args.size}", slowest / typical, "x")
    bench(f"other_pages_during_import_errors_{args.size}", len(watch.errors), "count")
    # Every worker on the full build (each looks for it every two seconds), then memory again:
    # the workers loaded the job's snapshot each on its own, not forked with it.
    time.sleep(3)
    for _ in range(2 * workers):
        _timed_get(base + ranking, cookies, args.timeout)
    again = _memory(procs, size=args.size, when="after the import", suffix="_after_import")
    most = max(most, *again.values())
    bench(f"worker_rss_mb_max_after_import_{args.size}", max(again.values()), "MB")

    return most, visible, watch.errors


def _memory(procs: dict[int, object], *, size: int, when: str, suffix: str) -> dict[int, float]:
    """Each worker's resident memory; prints the median proportional and unique memory.
    Resident memory counts the pages a worker shares with its parent and siblings (with
    --preload, the index it was forked with; mapped from the snapshot file, the pages it
    read of it) in full; proportional memory divides each shared page among the processes
    that share it, unique memory counts only its own."""
    resident = resident_mb(procs)
    full = {pid: proc.memory_full_info() for pid, proc in procs.items()}
    pss = statistics.median(f.pss / 1e6 for f in full.values())
    uss = statistics.median(f.uss / 1e6 for f in full.values())
    print(f"# per worker {when}: resident {max(resident.values()):.0f} MB at most, "
          f"proportional {pss:.0f} MB, unique {uss:.0f} MB (median)")  # fmt: skip
    bench(f"worker_pss_mb_median{suffix}_{size}", pss, "MB")
    bench(f"worker_uss_mb_median{suffix}_{size}", uss, "MB")
    return resident


def _rebuild_finished(started: float, *, timeout: float) -> float:
    """Seconds from `started` until no ranking index rebuild job is left unfinished."""
    from django.db import connections

    from jobs.models import UNFINISHED, Job
    from matching.index import INDEX_JOB_KIND

    try:
        while time.perf_counter() - started < timeout:
            if not Job.objects.filter(kind=INDEX_JOB_KIND, status__in=UNFINISHED).exists():
                return time.perf_counter() - started
            time.sleep(0.5)
        raise SystemExit(f"the rebuild job did not finish within {timeout:.0f} s")
    finally:
        for conn in connections.all():
            conn.close()


def _restart_workers(*, server, base, cookies, ranking, timeout) -> float:
    """Seconds from gunicorn's HUP until a new worker answers a ranking."""
    import signal

    import psutil
    import requests

    old = set(gunicorn_workers(server))
    masters = [
        proc
        for proc in psutil.Process(server.pid).children(recursive=True)
        if "gunicorn" in " ".join(proc.cmdline()) and proc.pid not in old
    ]
    started = time.perf_counter()
    masters[0].send_signal(signal.SIGHUP)
    while time.perf_counter() - started < timeout:
        if old.isdisjoint(gunicorn_workers(server)):
            break
        time.sleep(0.1)
    else:
        raise SystemExit("the old workers did not stop after HUP")
    requests.get(base + ranking, cookies=cookies, timeout=timeout).raise_for_status()
    took = time.perf_counter() - started
    print(f"# workers restarted (HUP): a new worker's first ranking {took:.1f} s later", flush=True)
    return took


def _timed_get(url: str, cookies: dict, timeout: float) -> float:
    import requests

    t = time.perf_counter()
    requests.get(url, cookies=cookies, timeout=timeout).raise_for_status()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
