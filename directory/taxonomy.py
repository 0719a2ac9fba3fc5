"""Loading the fixed taxonomy (sectors, interests, Korean regions) into the database."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from directory.demo_schema import TAXONOMY_FILE, load_taxonomy
from directory.models import Interest, Region, Sector


@transaction.atomic
def taxonomy_load(*, path: Path = TAXONOMY_FILE) -> dict[str, int]:
    """Create or update every sector, interest and Korean region; returns counts."""
    data = load_taxonomy(path)
    for item in data["sectors"]:
        Sector.objects.update_or_create(
            code=item["code"], defaults={"label": item["label"], "group": item["group"]}
        )
    for item in data["interests"]:
        Interest.objects.update_or_create(code=item["code"], defaults={"label": item["label"]})
    for item in data["korean_regions"]:
        Region.objects.update_or_create(
            code=f"kr-{item['code']}",
            defaults={
                "name": item["label"],
                "country": "KR",
                "economic_region": item["economic_region"],
            },
        )
    return {
        "sectors": len(data["sectors"]),
        "interests": len(data["interests"]),
        "regions": len(data["korean_regions"]),
    }
