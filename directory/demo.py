"""The demo directory: actors written from the seed documents, plus demo users.

`demo_load()` is idempotent: running it twice leaves the database as after the first run.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from directory.demo_schema import DEMO_DIR, load_taxonomy, read_demo_files, validate_records
from directory.documented import PARTNERSHIP_KIND, documented_pairs
from directory.models import (
    Actor,
    ContactPerson,
    Interest,
    JoinKind,
    JoinRequest,
    Region,
    Sector,
    Status,
)
from directory.partnerships import partnership_record
from directory.permissions import CURATORS_GROUP, ORGANISERS_GROUP
from directory.rules import keywords_normalise
from directory.signup import address_confirmation_record
from directory.taxonomy import european_region_names_fill, taxonomy_load
from notifications.language import remember_language

DEMO_PASSWORD = "cluster-match-demo"  # noqa: S105 - printed by `make run`, demo only
DEMO_EMAIL_DOMAIN = "example.org"
# Actors whose profiles the demo managers look after: three European clusters and, for the
# Korean side's view of the ranking, the Chuncheon Bioindustry Foundation.
DEMO_MANAGED = {
    "manager.lyonbiopole": "lyonbiopole",
    "manager.pole-eau": "pole-eau",
    "manager.biocat": "biocat",
    "manager.chuncheon": "chuncheon-bioindustry-foundation",
}
# Demo users who read the site in Korean (and are told things in Korean).
DEMO_KOREAN_USERS = {"manager.chuncheon"}
# The waiting requests a curator finds in the demo (demo_join_requests_ensure).
DEMO_CLAIM = {
    "username": "applicant.osong",
    "slug": "osong-bio-technopolis",
    "role": "국제협력팀 매니저",
    "message": "오송생명과학단지의 영문 프로필을 관리하고 유럽 클러스터와의 협력을 찾고 싶습니다.",
}
DEMO_REGISTRATION = {
    "username": "applicant.hydrogen",
    "role": "Cluster manager",
    "message": "We are a new cluster, founded this year; our website lists the founding members.",
    "proposed": {
        "name": "Demo Hydrogen Valley Cluster",
        "name_ko": "",
        "side": "eu",
        "country": "NL",
        "region": "",
        "city": "Groningen",
        "kind": "eu-cluster",
        "website": "https://www.hydrogen-valley.example",
        "description": (
            "A fictitious cluster for the demonstration: companies, research groups and ports "
            "of the northern Netherlands working together on green hydrogen production, "
            "storage and transport, electrolysers and hydrogen for heavy industry and mobility."
        ),
        "description_ko": "",
        "sectors": ["electric-power-generation-transmission", "environmental-industries"],
    },
}
_FIRST = [
    "Alex",
    "Camille",
    "Jin",
    "Min",
    "Sofia",
    "Luca",
    "Hana",
    "Noah",
    "Eva",
    "Joon",
    "Lea",
    "Tomas",
]
_LAST = ["Example", "Sample", "Demo", "Placeholder", "Testperson", "Fictive", "Mock", "Specimen"]
_ROLES = {
    "eu-cluster": "International cooperation manager",
    "cluster-network": "Network coordinator",
    "mini-cluster": "Mini Cluster coordinator (KICOX)",
    "industrial-complex": "Complex management office",
    "cluster-agency": "International cluster cooperation officer",
}


DEMO_LAST_VERIFIED = datetime.date(2026, 3, 3)


class DemoDataError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class DemoLoadResult:
    created: int
    updated: int
    users: list[tuple[str, str]]


def _fictitious_contact(slug: str, kind: str) -> dict[str, str]:
    digest = int(hashlib.sha256(slug.encode()).hexdigest(), 16)
    first, last = _FIRST[digest % len(_FIRST)], _LAST[(digest // 7) % len(_LAST)]
    return {
        "name": f"{first} {last}",
        "role": _ROLES.get(kind, "Partnership contact"),
        "email": f"{first}.{last}.{slug}@{DEMO_EMAIL_DOMAIN}".lower(),
        "phone": f"+00 000 000 {digest % 1000:03d}",
    }


def _region_for(record: dict) -> Region | None:
    name = record.get("region")
    if not name:
        return None
    if record["side"] == "kr":
        return Region.objects.get(code=f"kr-{name}")
    country = record["country"]
    region, _ = Region.objects.get_or_create(
        code=f"{country.lower()}-{slugify(name)}", defaults={"name": name, "country": country}
    )
    return region


def demo_load(*, paths: list[Path] | None = None) -> DemoLoadResult:
    paths = paths if paths is not None else sorted(DEMO_DIR.glob("*.yaml"))
    records = read_demo_files(paths)
    problems = validate_records(records, taxonomy=load_taxonomy())
    if problems:
        raise DemoDataError(problems)
    with transaction.atomic():
        taxonomy_load()
        sectors = {s.code: s for s in Sector.objects.all()}
        interests = {i.code: i for i in Interest.objects.all()}
        created = updated = 0
        actors: dict[str, Actor] = {}
        for record in records:
            defaults = {
                "name": record["name"],
                "name_ko": (record.get("name_ko") or "").strip(),
                "acronym": record.get("acronym") or "",
                "side": record["side"],
                "country": record["country"],
                "region": _region_for(record),
                "city": record.get("city") or "",
                "kind": record["kind"],
                "description": " ".join(record["description"].split()),
                "description_ko": " ".join((record.get("description_ko") or "").split()),
                "keywords": keywords_normalise(record.get("keywords") or []),
                "website": record.get("website") or "",
                "founded": record.get("founded"),
                "members": record.get("members"),
                "latitude": round(record["latitude"], 5),
                "longitude": round(record["longitude"], 5),
                "status": record.get("status") or Status.PUBLISHED,
                "source": record["source"],
            }
            actor, was_created = Actor.objects.update_or_create(
                slug=record["slug"], defaults=defaults
            )
            created += was_created
            updated += not was_created
            actor.sectors.set([sectors[c] for c in record["sectors"]])
            actor.offers.set([interests[c] for c in record["offers"]])
            actor.seeks.set([interests[c] for c in record["seeks"]])
            actors[record["slug"]] = actor
        # The European regions the actors above created get their Korean and short names.
        european_region_names_fill()
        for record in records:
            actor = actors[record["slug"]]
            parent = actors.get(record.get("parent") or "")
            if actor.parent_id != (parent.pk if parent else None):
                actor.parent = parent
                actor.save(update_fields=["parent"])
            if actor.last_verified is None:
                # When the demo profiles were last checked against the seeds; a curator's later
                # "verified today" is kept on reload.
                actor.last_verified = record.get("last_verified") or DEMO_LAST_VERIFIED
                actor.save(update_fields=["last_verified"])
            # Demo contacts are fictitious and regenerated, so reloading never duplicates them.
            actor.contacts.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
            ContactPerson.objects.create(actor=actor, **_fictitious_contact(actor.slug, actor.kind))
        users = demo_users_ensure(actors=actors)
        users += demo_join_requests_ensure(actors=actors)
        demo_partnerships_record(actors=actors)
    return DemoLoadResult(created=created, updated=updated, users=users)


def demo_partnerships_record(*, actors: dict[str, Actor]) -> int:
    """Record the documented pairs (signed agreements and documented cooperation, not
    proposals) as known partnerships; run again, it records nothing twice."""
    curator = get_user_model().objects.filter(username="curator").first()
    recorded = 0
    for pair in documented_pairs():
        kind = PARTNERSHIP_KIND.get(pair.grade)
        eu, kr = actors.get(pair.eu), actors.get(pair.kr)
        if kind is None or eu is None or kr is None:
            continue
        _row, created = partnership_record(
            actor=eu, partner=kr, kind=kind, source=pair.partnership_source, note=pair.evidence,
            by=curator,
        )  # fmt: skip
        recorded += created
    return recorded


def demo_users_ensure(*, actors: dict[str, Actor]) -> list[tuple[str, str]]:
    """Create (or reset) the demo curator, organiser and managers; returns (username, role)."""
    User = get_user_model()
    curators, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    organisers, _ = Group.objects.get_or_create(name=ORGANISERS_GROUP)

    def ensure(username: str, **fields) -> object:
        user, _ = User.objects.get_or_create(username=username, defaults=fields)
        for key, value in fields.items():
            setattr(user, key, value)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    out: list[tuple[str, str]] = []
    curator = ensure(
        "curator", is_staff=True, email=f"curator@{DEMO_EMAIL_DOMAIN}", first_name="Demo curator"
    )
    curator.groups.add(curators)
    out.append(("curator", "curator: everything, in the admin at /admin/"))
    organiser = ensure(
        "organiser", email=f"organiser@{DEMO_EMAIL_DOMAIN}", first_name="Demo organiser"
    )
    organiser.groups.add(organisers)
    out.append(("organiser", "event organiser"))
    for username, slug in DEMO_MANAGED.items():
        actor = actors.get(slug)
        if actor is None:
            continue
        manager = ensure(username, email=f"{username}@{DEMO_EMAIL_DOMAIN}")
        actor.managers.add(manager)
        if username in DEMO_KOREAN_USERS:
            remember_language(user=manager, language="ko")
        out.append((username, f"manager of {actor.name}"))
    return out


def demo_join_requests_ensure(*, actors: dict[str, Actor]) -> list[tuple[str, str]]:
    """Two people waiting for a curator, so that the joining flow can be seen at once: a
    Korean applicant claiming a Korean profile and a European one registering a new cluster.
    Each gets their request once: a request a curator has decided is not filed again."""
    User = get_user_model()
    out: list[tuple[str, str]] = []
    claimed = actors.get(DEMO_CLAIM["slug"])
    for username, fields, language in (
        (DEMO_CLAIM["username"], {"first_name": "데모 신청자"}, "ko"),
        (DEMO_REGISTRATION["username"], {"first_name": "Demo applicant"}, "en"),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults=fields)
        user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
        user.set_password(DEMO_PASSWORD)
        user.save()
        remember_language(user=user, language=language)
        address_confirmation_record(user=user, email=user.email)
        if user.join_requests.exists():
            continue
        if username == DEMO_CLAIM["username"] and claimed is not None:
            JoinRequest.objects.create(
                kind=JoinKind.CLAIM,
                user=user,
                actor=claimed,
                role=DEMO_CLAIM["role"],
                message=DEMO_CLAIM["message"],
            )
        elif username == DEMO_REGISTRATION["username"]:
            JoinRequest.objects.create(
                kind=JoinKind.REGISTER,
                user=user,
                proposed=DEMO_REGISTRATION["proposed"],
                role=DEMO_REGISTRATION["role"],
                message=DEMO_REGISTRATION["message"],
            )
    if claimed is not None:
        out.append((DEMO_CLAIM["username"], f"asks to manage {claimed.name} (waiting)"))
    out.append(
        (
            DEMO_REGISTRATION["username"],
            f"asks to register {DEMO_REGISTRATION['proposed']['name']} (waiting)",
        )
    )
    return out
