"""Documented EU-Korea pairs (fixtures/evaluation/eu_korea_pairs.yaml): the partnerships public
sources report, read once here for the demo (recorded as known partnerships) and for the
ranking's evaluation (its labelled set)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from directory.models import PartnershipKind

PAIRS_FILE = Path(settings.BASE_DIR) / "fixtures" / "evaluation" / "eu_korea_pairs.yaml"
GRADES = ("signed agreement", "documented cooperation", "proposed")
# A proposal is not a partnership yet; the two others are.
PARTNERSHIP_KIND = {
    "signed agreement": PartnershipKind.AGREEMENT,
    "documented cooperation": PartnershipKind.COOPERATION,
}
SOURCE_MAX = 300


class DocumentedPairError(ValueError):
    pass


@dataclass(frozen=True)
class DocumentedPair:
    eu: str
    kr: str
    grade: str
    source: str
    evidence: str = ""

    @property
    def partnership_source(self) -> str:
        """The source as a partnership keeps it: whole, or its first address or reference
        when several do not fit."""
        if len(self.source) <= SOURCE_MAX:
            return self.source
        first = self.source.split(";")[0].strip()
        return first if len(first) <= SOURCE_MAX else first[: SOURCE_MAX - 1] + "…"


def documented_pairs(path: Path = PAIRS_FILE) -> list[DocumentedPair]:
    """Every pair of the file; an entry without a known grade or a source is an error."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or []
    pairs = []
    for number, entry in enumerate(data, start=1):
        where = f"{path.name}, entry {number}"
        if not isinstance(entry, dict) or not {"eu", "kr", "grade", "source"} <= entry.keys():
            raise DocumentedPairError(f"{where}: needs eu, kr, grade and source")
        if entry["grade"] not in GRADES:
            raise DocumentedPairError(f"{where}: grade {entry['grade']!r} is not one of {GRADES}")
        if not str(entry["source"]).strip():
            raise DocumentedPairError(f"{where}: the source is empty")
        pairs.append(
            DocumentedPair(
                eu=str(entry["eu"]),
                kr=str(entry["kr"]),
                grade=entry["grade"],
                source=str(entry["source"]).strip(),
                evidence=str(entry.get("evidence") or ""),
            )
        )
    return pairs
