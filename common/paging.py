"""Pagination for lists whose page query already reads every matching row."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

_TOTAL = "page_total_rows"


class OnePassPaginator(Paginator):
    """A `Paginator` that reads a page and the number of rows in one query (`COUNT(*) OVER
    ()`), where Django's asks for the count first and then the page.

    Only worth it when the page query must read every match anyway, as a search ordered by
    relevance does (each match is ranked before the first 20 are known): the count then
    costs nothing more, where a separate COUNT matched every row a second time. A list
    ordered by an index stops after its page, so it keeps Django's paginator. Anything this
    one cannot do in one pass (a DISTINCT query, orphans, a page past the end, a page
    number that is not a plain number) goes the usual way.
    """

    def get_page(self, number) -> Page:
        wanted = str(number or "1")
        queryset = self.object_list
        if (
            wanted.isdigit()
            and int(wanted) >= 1
            and isinstance(queryset, QuerySet)
            and not queryset.query.distinct
            and not queryset.query.combinator
            and not self.orphans
        ):
            page_number = int(wanted)
            bottom = (page_number - 1) * self.per_page
            counted = queryset.annotate(**{_TOTAL: Window(Count("pk"))})
            rows = list(counted[bottom : bottom + self.per_page])
            if rows:
                self.__dict__["count"] = getattr(rows[0], _TOTAL)
                return self._get_page(rows, page_number, self)
        return super().get_page(number)
