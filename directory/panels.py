"""Places on directory pages where higher apps show their part.

The directory sits below matching, events and curation and never imports them. An app that has
something to show on an actor's page (matching's "Find partners" button and best matches)
registers a panel here from its AppConfig.ready(); the profile page renders whatever is
registered, in registration order.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from directory.models import Actor

# Where on the profile a panel goes: beside the "Edit profile" button, or in the main column
# below the sectors and interests.
SLOTS = ("actions", "main")

ActorPanel = Callable[..., SafeString | str]

_registry: dict[str, list[ActorPanel]] = {slot: [] for slot in SLOTS}


def actor_panel_register(*, slot: str, panel: ActorPanel) -> None:
    """`panel(request=..., actor=...)` returns HTML, or "" when it has nothing to show to
    this visitor. Registering the same panel twice (a reloaded app) keeps one."""
    if slot not in _registry:
        raise ValueError(f"unknown actor panel slot {slot!r}; known: {', '.join(SLOTS)}")
    if panel not in _registry[slot]:
        _registry[slot].append(panel)


def actor_panels_render(*, request: HttpRequest, actor: Actor) -> dict[str, list[SafeString]]:
    out: dict[str, list[SafeString]] = {}
    for slot, panels in _registry.items():
        rendered = (panel(request=request, actor=actor) for panel in panels)
        out[slot] = [SafeString(html) for html in rendered if html]
    return out
