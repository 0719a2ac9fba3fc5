from __future__ import annotations

import unicodedata

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from directory.models import Actor, Interest, Kind, Region, Sector, Side
from directory.places import region_name
from directory.revision_cache import directory_cached
from directory.search import actor_search

ORDERING_CHOICES = (
    ("name", _("Name (A-Z)")),
    ("-name", _("Name (Z-A)")),
    ("country", _("Country")),
    ("kind", _("Kind")),
    ("-updated_at", _("Recently updated")),
)
# The empty choice, "Best match", orders a search by relevance and anything else by name.
# `relevance`, which links and API clients may send, means the same.
DEFAULT_ORDER_LABEL = _("Best match")
RELEVANCE = "relevance"
# The selects whose options come from the directory's tables: drawn from lists kept per
# directory revision and language (five queries and ~130 objects on every directory page).
DRAWN_FROM_CACHE = ("country", "region", "sector", "offers", "seeks")


def _country_choices() -> list[tuple[str, str]]:
    return directory_cached(f"countries:{get_language()}", _countries_in_use)


def _countries_in_use() -> list[tuple[str, str]]:
    used = Actor.objects.published().order_by().values_list("country", flat=True).distinct()
    # Only the countries in use are named: going through django-countries' whole list
    # translated and sorted all 250 names on every directory page.
    # A code that names no country (left by an old import or by hand) is no choice to offer.
    named = [(code, str(countries.name(code))) for code in used if code and code in countries]
    # As django-countries orders them: by the name without its accents (Österreich by O).
    return sorted(named, key=lambda choice: unicodedata.normalize("NFKD", choice[1]).casefold())


def _region_label(region: Region) -> str:
    """A region in the reader's language (its Korean name on Korean pages, when set)."""
    return region_name(region, language=get_language() or "en")


class ActorFilter(django_filters.FilterSet):
    # Every filter names its label: a field built from the class-level filter (as schema
    # inspection does) gets no label from the model, and FilterSet copies keep that field.
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    side = django_filters.ChoiceFilter(
        choices=Side.choices, empty_label=_("Both sides"), label=_("Side")
    )
    country = django_filters.ChoiceFilter(
        choices=_country_choices, empty_label=_("Any country"), label=_("Country")
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="code",
        empty_label=_("Any region"),
        label=_("Region"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices, empty_label=_("Any kind"), label=_("Kind")
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="code",
        empty_label=_("Any sector"),
    )
    offers = django_filters.ModelChoiceFilter(
        field_name="offers",
        queryset=Interest.objects.all(),
        to_field_name="code",
        empty_label=_("Anything"),
        label=_("Offers"),
    )
    seeks = django_filters.ModelChoiceFilter(
        field_name="seeks",
        queryset=Interest.objects.all(),
        to_field_name="code",
        empty_label=_("Anything"),
        label=_("Seeks"),
    )
    sort = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES,
        method="filter_sort",
        empty_label=DEFAULT_ORDER_LABEL,
        label=_("Sort by"),
    )

    class Meta:
        model = Actor
        fields: list[str] = []

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, human-readable value) of each filter in use, for the summary above results."""
        if not self.form.is_valid():
            return []
        shown = []
        for name in ("q", "side", "country", "region", "kind", "sector", "offers", "seeks"):
            value = self.form.cleaned_data.get(name)
            if not value:
                continue
            display = {
                "side": lambda v: Side(v).label,
                "kind": lambda v: Kind(v).label,
                "country": lambda v: countries.name(v),
                "region": _region_label,
                "sector": lambda v: v.display_label(),
                "offers": lambda v: v.display_label(),
                "seeks": lambda v: v.display_label(),
            }.get(name, str)(value)
            # In the reader's language now: callers join these into names and messages.
            shown.append((str(self.form.fields[name].label), str(display)))
        return shown

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return actor_search(queryset=queryset, text=value)

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Sorting is applied in `qs` once every filter has run (relevance needs the search).
        return queryset

    def _options(self) -> dict[str, list[tuple[str, str]]]:
        fields = self.form.fields
        return {
            name: [(str(value), str(label)) for value, label in fields[name].choices]
            for name in DRAWN_FROM_CACHE
        }

    def ranked_by_relevance(self) -> bool:
        """A search shown best match first (every match is ranked before the first page)."""
        if not (self.is_bound and self.form.is_valid()):
            return False
        data = self.form.cleaned_data
        return bool(data.get("q")) and not data.get("sort")

    @property
    def qs(self) -> QuerySet:
        if self.is_bound and not self.form.is_valid():
            # A mistyped filter shows its error and no results, never an unfiltered list.
            return self.queryset.none()
        # Each relation filter takes one value, so its join adds no duplicate rows.
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.form.is_valid() else ""
        searching = bool(self.form.is_valid() and self.form.cleaned_data.get("q"))
        # The key last: pages are cut by OFFSET, and actors of the same name (or country, or
        # kind) in no set order could show on two pages and on none (PostgreSQL's top-N sort).
        if not sort and searching:
            if "rank" in queryset.query.annotations:
                return queryset.order_by("-rank", "name", "pk")
            return queryset.order_by("name", "pk")
        if sort in {"name", "-name", "country", "kind", "-updated_at"}:
            return queryset.order_by(sort, "name", "pk")
        return queryset.order_by("name", "pk")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.data is not None and self.data.get("sort") == RELEVANCE:
            self.data = self.data.copy()
            self.data["sort"] = ""
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "input")
        for name in ("sector", "offers", "seeks"):
            # Taxonomy labels in the reader's language (Sector/Interest.display_label).
            self.form.fields[name].label_from_instance = lambda item: item.display_label()
        self.form.fields["region"].label_from_instance = _region_label
        drawn = directory_cached(f"filter-options:{get_language()}", self._options)
        for name, options in drawn.items():
            # Read by the form_control tag; validation still asks the database.
            self.form.fields[name].drawn_choices = options
        self.form.fields["q"].widget = forms.TextInput(
            attrs={
                "placeholder": _("Name, acronym, technology, city…"),
                "class": "input",
                "type": "search",
            }
        )
