"""Downloads of the directory in the import format (docs/import-format.md)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from curation import transfer
from directory.filters import ActorFilter
from directory.models import Actor
from directory.permissions import is_curator


def export_response(
    *, queryset: QuerySet, fmt: str, include_contacts: bool, name: str, with_drafts: bool
) -> HttpResponse:
    """A download of `queryset` as CSV, XLSX or JSON; 404 for any other format."""
    if fmt not in transfer.FORMATS:
        raise Http404(f"Exports are {', '.join(transfer.FORMATS)}.")
    rows = transfer.actor_export_rows(
        queryset=queryset, include_contacts=include_contacts, with_drafts=with_drafts
    )
    data = transfer.actors_to_bytes(rows=rows, fmt=fmt, include_contacts=include_contacts)
    response = HttpResponse(data, content_type=transfer.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate().isoformat()}.{fmt}"'
    )
    # A curator's file holds personal data: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def actor_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """What the directory page lists for this visitor, with its filters, every page of it.

    Contacts are personal data: only curators' files carry them, whoever else is logged in.
    """
    actor_filter = ActorFilter(request.GET, queryset=Actor.objects.visible_to(request.user))
    return export_response(
        queryset=actor_filter.qs,
        fmt=fmt,
        include_contacts=is_curator(request.user),
        with_drafts=is_curator(request.user),
        name="cluster-match-actors",
    )
