"""Load test of the production-like stack: anonymous visitors and logged-in managers.

Run by `bench/bench_load.py`, which fills a database, starts `scripts/serve` and writes the
JSON file this locustfile reads (LOAD_CONFIG): the actors' slugs, one manager account per
simulated manager, and the filter values. By hand, against a stack you started yourself:

    LOAD_CONFIG=/tmp/load.json .venv/bin/locust -f bench/load/locustfile.py --headless \
        -u 50 -r 5 --run-time 70s --host http://127.0.0.1:8000

Requests are named by page kind (`directory filtered`, `ranking`, ...), so percentiles are per
page. Every page is requested without following redirects and must answer 200 (the login
POST must answer 302): a 4xx or 5xx, a redirect to the login form (a lost session) or a
connection error all count as failures. Think time between two pages: LOAD_WAIT="MIN,MAX"
seconds (default 1,3). LOAD_EXCLUDE="directory search,..." leaves those page kinds out (to
see what the others do without them). LOAD_SAMPLES=path writes every request (name, ms, ok,
time) as JSON lines when the test stops, for exact percentiles.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

CONFIG_PATH = os.environ.get("LOAD_CONFIG", "")
if not CONFIG_PATH:
    raise SystemExit("LOAD_CONFIG must name the JSON file bench/bench_load.py writes")
with open(CONFIG_PATH, encoding="utf-8") as handle:
    CONFIG = json.load(handle)

WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("LOAD_WAIT", "1,3").split(","))
SORTS = ["name", "-name", "country", "kind", "-updated_at"]
RANK_KINDS = CONFIG["ranking_kinds"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STYLESHEET = re.compile(r'href="(/static/[^"]+\.css)"')

# One account per simulated manager, handed out in order (all users live in this process).
_managers = itertools.cycle(CONFIG["managers"])
_managers_used = itertools.count()

# Every request, for exact percentiles (locust's own round above 100 ms).
_samples: list[tuple[str, float, bool, float]] = []


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs) -> None:
    _samples.append((name, response_time, exception is None, time.time()))


@events.test_stop.add_listener
def _write_samples(**_kwargs) -> None:
    path = os.environ.get("LOAD_SAMPLES")
    if not path:
        return
    with open(path, "w", encoding="utf-8") as out:
        for name, ms, ok, at in _samples:
            out.write(json.dumps({"name": name, "ms": ms, "ok": ok, "t": at}) + "\n")


class Visitor(FastHttpUser):
    abstract = True
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def page(self, path: str, name: str, *, expect: int = 200, contains: str = "") -> str:
        """GET without following redirects; anything but `expect` is a failure."""
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != expect:
                where = r.headers.get("location", "") if r.headers else ""
                r.failure(f"HTTP {r.status_code} for {path} {where}".strip())
            elif contains and contains not in (r.text or ""):
                r.failure(f"{path}: {contains!r} not in the page")
            else:
                r.success()
            return r.text or ""

    def random_actor(self) -> str:
        return random.choice(CONFIG["actors"])

    def directory_filters(self) -> dict[str, str]:
        choices = {
            "side": lambda: random.choice(["eu", "kr"]),
            "country": lambda: random.choice(CONFIG["countries"]),
            "region": lambda: random.choice(CONFIG["regions"]),
            "kind": lambda: random.choice(CONFIG["kinds"]),
            "sector": lambda: random.choice(CONFIG["sectors"]),
            "offers": lambda: random.choice(CONFIG["interests"]),
            "seeks": lambda: random.choice(CONFIG["interests"]),
        }
        names = random.sample(sorted(choices), k=random.randint(1, 3))
        params = {name: choices[name]() for name in names}
        if random.random() < 0.5:
            params["sort"] = random.choice(SORTS)
        return params


class AnonymousVisitor(Visitor):
    """Home, the directory with filters, free text and pages, and public profiles."""

    weight = 3

    def on_start(self) -> None:
        html = self.page("/", "home")
        match = STYLESHEET.search(html)
        self.stylesheet = match.group(1) if match else None

    @task(1)
    def home(self) -> None:
        self.page("/", "home")

    @task(2)
    def directory(self) -> None:
        self.page("/actors/", "directory")

    @task(3)
    def directory_filtered(self) -> None:
        self.page(f"/actors/?{urlencode(self.directory_filters())}", "directory filtered")

    @task(2)
    def directory_search(self) -> None:
        words = random.sample(CONFIG["words"], k=random.choice([1, 1, 2]))
        params = {"q": " ".join(words)}
        if random.random() < 0.3:
            params["side"] = random.choice(["eu", "kr"])
        self.page(f"/actors/?{urlencode(params)}", "directory search")

    @task(2)
    def directory_paged(self) -> None:
        params = self.directory_filters() if random.random() < 0.3 else {}
        # Mostly the next few pages, sometimes a deep one (the unfiltered list has N/20 pages).
        last = max(2, CONFIG["pages"] if not params else 5)
        params["page"] = str(random.choice([2, 2, 3, 4, 5, random.randint(2, last)]))
        # A filtered page past the end answers the last page (Paginator.get_page): still 200.
        self.page(f"/actors/?{urlencode(params)}", "directory paged")

    @task(4)
    def profile(self) -> None:
        self.page(f"/actors/{self.random_actor()}/", "profile")

    @task(1)
    def login_page(self) -> None:
        # The baseline: a small Django page (session, CSRF token, a form) under the same load.
        self.page("/accounts/login/", "login page", contains="csrfmiddlewaretoken")

    @task(1)
    def static_file(self) -> None:
        if self.stylesheet:
            self.page(self.stylesheet, "static file")


class Manager(Visitor):
    """Logs in through the form, then its ranking, shortlist, profiles with top matches, events."""

    weight = 2

    def on_start(self) -> None:
        if next(_managers_used) >= len(CONFIG["managers"]):
            # Never expected (bench_load.py makes one account per user); sharing would still work.
            print("warning: more simulated managers than manager accounts; sharing one")
        account = next(_managers)
        self.slug = account["actor"]
        html = self.page("/accounts/login/", "login page", contains="csrfmiddlewaretoken")
        token = CSRF.search(html)
        if not token:
            raise StopUser()
        with self.client.post(
            "/accounts/login/",
            data={
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": token.group(1),
            },
            name="login (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as r:
            # Success is a redirect to /my/; a wrong password would answer 200 with the form.
            if r.status_code == 302:
                r.success()
            else:
                r.failure(f"login failed: HTTP {r.status_code}")
                raise StopUser()
        self.page(f"/partners/{self.slug}/", "ranking")

    @task(4)
    def ranking(self) -> None:
        self.page(f"/partners/{self.slug}/", "ranking")

    @task(3)
    def ranking_filtered(self) -> None:
        params: dict[str, str] = {}
        for name, values in (
            ("kind", RANK_KINDS),
            ("region", CONFIG["regions"]),
            ("sector", CONFIG["sectors"]),
        ):
            if random.random() < 0.4:
                params[name] = random.choice(values)
        if random.random() < 0.4:
            params.update(
                w_text=str(random.randint(0, 100)),
                w_sector=str(random.randint(1, 100)),
                w_interest=str(random.randint(0, 100)),
            )
        if random.random() < 0.3:
            params["top"] = random.choice(["10", "50", "100"])
        if not params:
            params["kind"] = random.choice(RANK_KINDS)
        self.page(f"/partners/{self.slug}/?{urlencode(params)}", "ranking filtered")

    @task(2)
    def shortlist(self) -> None:
        self.page(f"/partners/{self.slug}/shortlist/", "shortlist")

    @task(3)
    def profile_with_matches(self) -> None:
        self.page(f"/actors/{self.random_actor()}/", "profile (logged in)", contains="top-matches")

    @task(1)
    def events(self) -> None:
        self.page("/events/", "events")


# Page kinds left out with LOAD_EXCLUDE (a diagnostic: what the rest does without them).
EXCLUDE = {n.strip() for n in os.environ.get("LOAD_EXCLUDE", "").split(",") if n.strip()}
PAGE_OF_TASK = {"profile_with_matches": "profile (logged in)"}
for _cls in (AnonymousVisitor, Manager):
    _cls.tasks = [
        t
        for t in _cls.tasks
        if PAGE_OF_TASK.get(t.__name__, t.__name__.replace("_", " ")) not in EXCLUDE
    ]
del _cls  # locust takes every User class in the module's namespace for one to run
