"""The optional map tile server (docs/deploy.md, "Maps"): by default the maps draw the vendored
Natural Earth boundaries and load nothing from elsewhere; a deployment that sets
DJANGO_MAP_TILE_URL gets a tile layer, and its host is allowed as an image source."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_PLACEHOLDER = re.compile(r"\{[a-z]+\}")


def tile_image_source(url: str) -> str:
    """The Content Security Policy source that lets the browser load `url`'s tiles:
    "https://{s}.tile.example.org/{z}/{x}/{y}.png" -> "https://*.tile.example.org"."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        raise ImproperlyConfigured(
            f"DJANGO_MAP_TILE_URL must be an http(s) address with {{z}}/{{x}}/{{y}}; got {url!r}"
        )
    if not all(f"{{{name}}}" in url for name in ("z", "x", "y")):
        raise ImproperlyConfigured(
            f"DJANGO_MAP_TILE_URL must contain {{z}}, {{x}} and {{y}}; got {url!r}"
        )
    labels = parts.netloc.split(".")
    # A subdomain placeholder ({s}) can only be the leftmost label: a policy's one wildcard.
    if any(_PLACEHOLDER.search(label) for label in labels[1:]):
        raise ImproperlyConfigured(
            f"DJANGO_MAP_TILE_URL may have a placeholder in its first host label only; got {url!r}"
        )
    if _PLACEHOLDER.search(labels[0]):
        labels[0] = "*"
    return f"{parts.scheme}://{'.'.join(labels)}"
