"""Event pages: the dashboard as a spreadsheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from common.spreadsheet_write import CSV_TYPE, XLSX_TYPE
from events import access
from events.dashboard_export import dashboard_csv, dashboard_xlsx


@login_required
@require_safe
def dashboard_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    event = access.get_event_for_organiser(request.user, slug)
    if fmt == "xlsx":
        data, content_type = dashboard_xlsx(event=event), XLSX_TYPE
    elif fmt == "csv":
        data, content_type = dashboard_csv(event=event), CSV_TYPE
    else:
        raise Http404("Unknown export format.")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{event.slug}.{fmt}"'
    return response
