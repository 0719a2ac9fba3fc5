"""Validation of the demo-directory YAML files in fixtures/demo/.

Plain Python (no Django) so the files can be checked while they are written:

    python -m directory.demo_schema fixtures/demo/*.yaml
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from directory.choices import KINDS, SIDES, STATUSES
from directory.rules import description_problem, is_published, korean_description_problem

# libyaml's loader when PyYAML was built with it (the wheels are): several times faster on the
# demo files, same safe subset.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(stream):
    return yaml.load(stream, Loader=_SafeLoader)  # noqa: S506 - a safe loader


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TAXONOMY_FILE = FIXTURES / "taxonomy.yaml"
DEMO_DIR = FIXTURES / "demo"
SEED_FILES = {
    "000_3ec0da48844ca2a2.txt",
    "001_3a44c826291e2f8f.txt",
    "002_7ae1ff3c46637eba.txt",
    "003_f5bf354a2b80925f.txt",
    "004_d0b35ecc233ad65f.txt",
}
# As long as Actor.source holds (PostgreSQL refuses longer; SQLite would not say); a test
# keeps the two equal.
SOURCE_MAX = 500
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HANGUL = re.compile("[\uac00-\ud7a3]")
# The demo files' fields, in the column order of the import format (curation/transfer/columns.py).
DEMO_COLUMNS: tuple[str, ...] = (
    "slug",
    "name",
    "acronym",
    "side",
    "country",
    "region",
    "city",
    "kind",
    "parent",
    "description",
    "keywords",
    "sectors",
    "offers",
    "seeks",
    "website",
    "founded",
    "members",
    "latitude",
    "longitude",
    "status",
    "source",
)
# The Korean name and description (bilingual profiles); outside DEMO_COLUMNS, which the import
# format declares column by column.
KOREAN_KEYS = ("name_ko", "description_ko")
ALLOWED_KEYS = frozenset(DEMO_COLUMNS) | frozenset(KOREAN_KEYS)
REQUIRED_KEYS = {
    "slug",
    "name",
    "side",
    "country",
    "city",
    "kind",
    "description",
    "sectors",
    "offers",
    "seeks",
    "latitude",
    "longitude",
    "source",
}


def load_taxonomy(path: Path = TAXONOMY_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return _load(fh)


def read_demo_files(paths: Iterable[Path]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for path in paths:
        with Path(path).open(encoding="utf-8") as fh:
            data = _load(fh) or []
        if not isinstance(data, list):
            raise ValueError(f"{path}: the file must hold a list of actors")
        for index, record in enumerate(data, start=1):
            if isinstance(record, dict):
                record = {**record, "_where": f"{Path(path).name} #{index}"}
            records.append(record)
    return records


def validate_records(
    records: list[dict[str, Any]], *, taxonomy: dict[str, Any], check_parents: bool = True
) -> list[str]:
    """Return every problem found, each prefixed with the file and the record's position."""
    sectors = {s["code"] for s in taxonomy["sectors"]}
    interests = {i["code"] for i in taxonomy["interests"]}
    kr_regions = {r["code"] for r in taxonomy["korean_regions"]}
    kinds = {code for code, _ in KINDS}
    sides = {code for code, _ in SIDES}
    statuses = {code for code, _ in STATUSES}
    errors: list[str] = []
    seen: dict[str, str] = {}

    for record in records:
        if not isinstance(record, dict):
            errors.append(f"not a mapping: {record!r}")
            continue
        where = f"{record.get('_where', '?')} ({record.get('slug', 'no slug')})"
        keys = set(record) - {"_where"}
        for key in sorted(keys - ALLOWED_KEYS):
            errors.append(f"{where}: unknown field '{key}'")
        for key in sorted(REQUIRED_KEYS - keys):
            errors.append(f"{where}: missing field '{key}'")
        slug = record.get("slug", "")
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            errors.append(f"{where}: slug must be lowercase words joined by hyphens")
        elif slug in seen:
            errors.append(f"{where}: slug already used by {seen[slug]}")
        else:
            seen[slug] = where
        if record.get("side") not in sides:
            errors.append(f"{where}: side must be one of {sorted(sides)}")
        if record.get("kind") not in kinds:
            errors.append(f"{where}: unknown kind {record.get('kind')!r}")
        if record.get("status", "published") not in statuses:
            errors.append(f"{where}: unknown status {record.get('status')!r}")
        country = record.get("country")
        if not (isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)):
            errors.append(f"{where}: country must be an ISO 3166 alpha-2 code like 'FR'")
        if record.get("side") == "kr":
            if country != "KR":
                errors.append(f"{where}: a Korean actor must have country KR")
            if record.get("region") not in kr_regions:
                errors.append(f"{where}: Korean region must be one of {sorted(kr_regions)}")
        elif record.get("side") == "eu" and country == "KR":
            errors.append(f"{where}: a European actor cannot have country KR")
        problem = description_problem(
            str(record.get("description", "")),
            published=is_published(record.get("status", "published")),
        )
        if problem:
            errors.append(f"{where}: {problem}")
        for field in KOREAN_KEYS:
            value = record.get(field)
            if value is not None and (not isinstance(value, str) or not HANGUL.search(value)):
                errors.append(f"{where}: {field} must be Korean text")
            elif field == "name_ko" and value is not None and "\n" in value.strip():
                errors.append(f"{where}: name_ko must be one line")
        if record.get("description_ko"):
            problem = korean_description_problem(
                str(record["description_ko"]),
                published=is_published(record.get("status", "published")),
            )
            if problem:
                errors.append(f"{where}: description_ko: {problem}")
        for field, allowed in (("sectors", sectors), ("offers", interests), ("seeks", interests)):
            values = record.get(field) or []
            if not isinstance(values, list):
                errors.append(f"{where}: {field} must be a list")
                continue
            for value in values:
                if value not in allowed:
                    errors.append(f"{where}: unknown {field[:-1]} code {value!r} in {field}")
        if not record.get("sectors"):
            errors.append(f"{where}: at least one sector is needed")
        keywords = record.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            errors.append(f"{where}: keywords must be a list of strings")
        for field, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            value = record.get(field)
            if not isinstance(value, (int, float)) or not low <= value <= high:
                errors.append(f"{where}: {field} must be a number between {low} and {high}")
        for field in ("founded", "members"):
            value = record.get(field)
            if value is not None and (not isinstance(value, int) or value < 0):
                errors.append(f"{where}: {field} must be a whole number or left out")
        source = str(record.get("source", ""))
        if len(source) > SOURCE_MAX:
            errors.append(f"{where}: source is {len(source)} characters; at most {SOURCE_MAX}")
        if not any(name in source for name in SEED_FILES) and "https://" not in source:
            errors.append(
                f"{where}: source must name the seed document or the web page (https://...) "
                "the facts come from"
            )
        website = record.get("website")
        if website and not str(website).startswith(("http://", "https://")):
            errors.append(f"{where}: website must start with http:// or https://")

    if check_parents:
        for record in records:
            if isinstance(record, dict) and record.get("parent"):
                if record["parent"] not in seen:
                    errors.append(
                        f"{record.get('_where')} ({record.get('slug')}): "
                        f"unknown parent slug {record['parent']!r}"
                    )
                elif record["parent"] == record.get("slug"):
                    errors.append(f"{record.get('_where')}: an actor cannot be its own parent")
    return errors


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or sorted(DEMO_DIR.glob("*.yaml"))
    records = read_demo_files(paths)
    errors = validate_records(records, taxonomy=load_taxonomy(), check_parents=not argv)
    for error in errors:
        print(error)
    print(f"{len(records)} actors checked, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
