"""`make serve`: the production-like stack really starts and serves pages and static files."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.config.test_security import assert_security_headers

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the production-like stack runs on PostgreSQL"
)
def test_the_production_like_stack_serves_pages_and_hashed_static_files(tmp_path):
    port = free_port()
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/clustermatch_serve_test"
    if settings["PASSWORD"]:
        url = url.replace("@", f":{settings['PASSWORD']}@", 1)
    unset = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SECRET_KEY"}
    inherited = {k: v for k, v in os.environ.items() if k not in unset}
    env = {
        **inherited, "DATABASE_URL": url, "PORT": str(port), "SERVE_DEMO": "0", "WORKERS": "2",
        "CLUSTERMATCH_VAR_DIR": str(tmp_path),
    }  # fmt: skip
    server = subprocess.Popen(
        ["bash", "scripts/serve"], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline, home = time.monotonic() + 90, None
        while time.monotonic() < deadline:
            try:
                home = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read())
                time.sleep(0.5)
        assert home is not None and home.status == 200
        assert home.headers["Server"].startswith("gunicorn")
        assert "default-src 'self'" in home.headers["Content-Security-Policy"]
        html = home.read().decode()
        css = next(p for p in html.split('"') if p.startswith("/static/css/site."))
        assert css != "/static/css/site.css"  # hashed name from the manifest
        static = urllib.request.urlopen(f"http://127.0.0.1:{port}{css}", timeout=5)
        assert static.status == 200
        assert "max-age=315360000" in static.headers["Cache-Control"]  # immutable, hashed
        assert_security_headers(static.headers)
        # The access log keeps no query string: it may carry an e-mail address.
        lookup = f"http://127.0.0.1:{port}/curation/person/?email=kim.hidden%40example.org"
        # Anonymous, so sent to log in: the request is logged all the same.
        assert "/accounts/login/" in urllib.request.urlopen(lookup, timeout=5).url
        # Its own secret key, in its var directory and readable by its owner only.
        key = tmp_path / "secret_key"
        assert len(key.read_text().strip()) >= 50 and key.stat().st_mode & 0o077 == 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        log = server.communicate(timeout=20)[0]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute('DROP DATABASE IF EXISTS "clustermatch_serve_test" WITH (FORCE)')
    assert '"GET /curation/person/ HTTP/1.1" 302' in log
    assert "kim.hidden" not in log and "example.org" not in log
