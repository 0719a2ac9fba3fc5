"""Places and maps in templates.

`{% load maps %}{{ actor|place_label }}`: an actor's place in the page's language ("Gumi,
Gyeongbuk", "구미, 경북"). `{% map_tiles as tiles %}`: the optional tile server of settings.
"""

from django import template
from django.conf import settings
from django.utils import translation

from directory import places

register = template.Library()


@register.filter
def place_label(actor) -> str:
    if actor is None:
        return ""
    return places.place_label(actor, language=translation.get_language())


@register.simple_tag
def map_tiles() -> dict[str, str]:
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
