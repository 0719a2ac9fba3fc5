"""Pagination for lists whose page query already reads every matching row."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

_TOTAL = "page_total_rows"
_PAGE_MAX = 10**9


class OnePassPaginator(Paginator):
    """A `Paginator` that finds a page and the number of rows in one pass over the matches
    (`COUNT(*) OVER ()`), where Django's counts them first and then finds the page.

    Only worth it when the page query must read every match anyway, as a search ordered by
    relevance does (each match is ranked before the first 20 are known): the count then
    costs nothing more, where a separate COUNT matched every row a second time. A list
    ordered by an index stops after its page, so it keeps Django's paginator. Anything this
    one cannot do in one pass (a DISTINCT query, orphans, a page past the end, a page
    number that is not a plain number) goes the usual way.
    """

    def get_page(self, number) -> Page:
        try:
            # int(), not str.isdigit(): "²" is a digit to isdigit() and no number to int().
            page_number = int(str(number or "1"))
        except ValueError:
            page_number = 0
        queryset = self.object_list
        if (
            # A page past any real one (an OFFSET beyond the database's integers) goes the
            # usual way, which answers with the last page.
            1 <= page_number <= _PAGE_MAX
            and isinstance(queryset, QuerySet)
            and not queryset.query.distinct
            and not queryset.query.combinator
            and not self.orphans
        ):
            bottom = (page_number - 1) * self.per_page
            # The page's keys and the total first, then the page's rows by key: the window
            # holds every match, and whole rows (descriptions) would spill it to disk.
            counted = queryset.annotate(**{_TOTAL: Window(Count("pk"))})
            head = list(counted.values_list("pk", _TOTAL)[bottom : bottom + self.per_page])
            if head:
                self.__dict__["count"] = head[0][1]
                keys = [key for key, _total in head]
                found = {row.pk: row for row in queryset.filter(pk__in=keys)}
                rows = [found[key] for key in keys if key in found]
                return self._get_page(rows, page_number, self)
        return super().get_page(number)
