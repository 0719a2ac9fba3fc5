"""Page-number pagination that refuses what it cannot honour instead of guessing.

DRF's own class silently falls back to the default for `page_size=abc` and clamps
`page_size=1000`; here both are a 400 naming the parameter (docs/api.md, Pagination).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

MAX_PAGE_SIZE = 100
_DIGITS = re.compile(r"[0-9]{1,18}")


def _whole_number(request, name: str, *, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw) or int(raw) < 1:
        raise ValidationError(
            {name: [_("A whole number of at least 1 is required (or leave the parameter out).")]}
        )
    value = int(raw)
    if maximum is not None and value > maximum:
        raise ValidationError({name: [_("At most %(maximum)d.") % {"maximum": maximum}]})
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    # DRF fills in {page_number}.
    invalid_page_message = gettext_lazy("There is no page {page_number}.")

    def get_page_size(self, request) -> int:
        return _whole_number(request, self.page_size_query_param, maximum=MAX_PAGE_SIZE) or (
            self.page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        _whole_number(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last one is a 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page: 1 to {MAX_PAGE_SIZE} "
                f"(default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
