from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.spreadsheet_write import table_response
from insights.charts import chart_for, charts_for

FORMATS = ("csv", "xlsx")


@require_safe
def insights_page(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/page.html", {"sections": charts_for(request.user)})


@require_safe
def insights_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    chart = chart_for(request.user, key=key) if fmt in FORMATS else None
    if chart is None:
        # A chart the viewer may not see is one that does not exist for them.
        raise Http404(_("No such chart."))
    return table_response(
        fmt=fmt,
        filename=f"cluster-match-{chart.key}",
        title=chart.title,
        header=chart.header,
        rows=[[label, *counts] for label, counts in chart.rows],
    )
