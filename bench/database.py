"""A database of a benchmark's own, emptied at the start, so that a run never touches the
site's data: a sibling of DATABASE_URL's PostgreSQL database, or a SQLite file in the var dir."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def use_private_database(suffix: str) -> str:
    """Point DATABASE_URL at a fresh database named after `suffix`; returns the vendor."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/')}_{suffix}"
        import psycopg

        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
        return "postgresql"
    var = Path(os.environ.get("CLUSTERMATCH_VAR_DIR", ROOT / "var"))
    var.mkdir(parents=True, exist_ok=True)
    path = var / f"{suffix}.sqlite3"
    path.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return "sqlite"
