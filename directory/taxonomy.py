"""Loading the fixed taxonomy (sectors, interests, Korean regions) into the database, with the
Korean labels and the regions' Korean and short names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from directory.citations import source_documents_load
from directory.demo_schema import TAXONOMY_FILE, load_taxonomy
from directory.models import Interest, Region, Sector


@transaction.atomic
def taxonomy_load(*, path: Path = TAXONOMY_FILE) -> dict[str, int]:
    """Create or update every sector, interest and Korean region, and fill the Korean and
    short names of the European regions that exist; returns counts. Run again (after an
    upgrade), it brings existing rows up to the file without creating anything twice."""
    data = load_taxonomy(path)
    for item in data["sectors"]:
        Sector.objects.update_or_create(
            code=item["code"],
            defaults={
                "label": item["label"],
                "label_ko": item.get("label_ko") or "",
                "group": item["group"],
            },
        )
    for item in data["interests"]:
        Interest.objects.update_or_create(
            code=item["code"],
            defaults={"label": item["label"], "label_ko": item.get("label_ko") or ""},
        )
    for item in data["korean_regions"]:
        Region.objects.update_or_create(
            code=f"kr-{item['code']}",
            defaults={
                "name": item["label"],
                "name_ko": item.get("name_ko") or "",
                "short_name": item.get("short_name") or "",
                "country": "KR",
                "economic_region": item["economic_region"],
            },
        )
    filled = european_region_names_fill(data=data)
    # The documents profiles cite (fixtures/sources.yaml), so that pages name them.
    documents = source_documents_load()
    return {
        "sectors": len(data["sectors"]),
        "interests": len(data["interests"]),
        "regions": len(data["korean_regions"]),
        "european regions named": filled,
        "source documents": documents,
    }


def european_region_names(data: dict[str, Any] | None = None) -> dict[str, dict[str, str]]:
    """Region code -> its Korean name and short name, for the European regions the file
    names."""
    data = data if data is not None else load_taxonomy()
    return {
        item["code"]: {
            "name_ko": item.get("name_ko") or "",
            "short_name": item.get("short_name") or "",
        }
        for item in data.get("european_regions") or ()
    }


def european_region_names_fill(*, data: dict[str, Any] | None = None) -> int:
    """Fill the Korean and short names of the European regions that exist (they are created
    by the actors that name them); returns how many rows changed."""
    names = european_region_names(data)
    changed = 0
    for region in Region.objects.filter(code__in=names):
        wanted = names[region.code]
        if any(getattr(region, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(region, field, value)
            region.save(update_fields=list(wanted))
            changed += 1
    return changed
