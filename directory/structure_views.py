"""The structure page (`/directory/structure/`) and its CSV export (directory/structure.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from common.spreadsheet_write import csv_response
from directory.roles import is_curator
from directory.structure import (
    europe_rows,
    export_header,
    export_rows,
    korea_bodies_rows,
    korea_regions_rows,
    structure_tree,
)


@require_safe
def directory_structure(request: HttpRequest) -> HttpResponse:
    structure, structure_filter = structure_tree(user=request.user, params=request.GET)
    side = (
        structure_filter.form.cleaned_data.get("side") if structure_filter.form.is_valid() else ""
    )
    return render(
        request,
        "directory/structure.html",
        {
            "structure": structure,
            "filter": structure_filter,
            "show_korea": side != "eu",
            "show_europe": side != "kr",
            "korea_bodies": korea_bodies_rows(structure),
            "korea_regions": korea_regions_rows(structure),
            "europe": europe_rows(structure),
            "loops": structure.loops if is_curator(request.user) else [],
            "query_string": request.GET.urlencode(),
        },
    )


@require_safe
def directory_structure_export(request: HttpRequest) -> HttpResponse:
    structure, _filter = structure_tree(user=request.user, params=request.GET)
    return csv_response(
        filename="cluster-match-structure",
        header=export_header(),
        rows=export_rows(structure=structure, absolute=request.build_absolute_uri),
    )
