"""The statistics page's charts: each a table (translated headers and labels, the counts) that
the page draws as SVG, shows as a table beside it, and exports as CSV or XLSX, so that the
three never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from directory.bilingual import in_reader_language
from directory.models import Actor, Kind, Side
from events.models import FollowUp
from insights import figures, svg
from insights.figures import Tally

# A chart draws this many rows at most (the largest); its table shows the same rows and the
# export holds every row.
CHART_ROWS = 20
SECTIONS = ("public", "candidates", "events")
EVENT_KEYS = ("meetings", "follow-ups")


@dataclass
class Chart:
    key: str
    title: str
    description: str
    label_header: str
    series: list[str]
    # (label, counts) per row, every row; the page shows the first CHART_ROWS.
    rows: list[tuple[str, tuple[int, ...]]]
    shape: str = "bars"  # or "columns": a time series
    # The colour of the first series (svg.COLOURS): 1, the Korean red, for Korean actors alone.
    first_colour: int = 0
    # Rows that are empty are not drawn: what the page says instead.
    empty: str = ""

    @property
    def shown(self) -> list[tuple[str, tuple[int, ...]]]:
        return self.rows if self.shape == "columns" else self.rows[:CHART_ROWS]

    @property
    def cut(self) -> bool:
        return len(self.shown) < len(self.rows)

    @property
    def header(self) -> list[str]:
        return [self.label_header, *self.series]

    @cached_property
    def svg(self) -> SafeString:
        shown = self.shown
        draw = svg.columns if self.shape == "columns" else svg.horizontal_bars
        return draw(
            chart_id=f"chart-{self.key}",
            title=self.title,
            description=self.description,
            labels=[label for label, _counts in shown],
            series=[
                svg.Series(name, [counts[i] for _label, counts in shown])
                for i, name in enumerate(self.series)
            ],
            number=intcomma,
            first_colour=self.first_colour,
        )


def sector_label(row: Tally) -> str:
    return in_reader_language(english=row.label, korean=row.label_ko)


def _sides() -> list[str]:
    return [str(Side.EU.label), str(Side.KR.label)]


def public_charts() -> list[Chart]:
    """The charts everyone sees: published actors by kind, sector and region, and where the two
    sides overlap by sector."""
    found = figures.public_figures()
    kind_label = dict(Kind.choices)
    region = lambda row: (  # noqa: E731
        in_reader_language(english=row.label, korean=row.label_ko) or _("No region given")
    )
    return [
        Chart(
            key="kinds",
            title=_("Actors by kind"),
            description=_("Published European and Korean actors per kind of organisation."),
            label_header=pgettext("kind of actor", "Kind"),
            series=_sides(),
            rows=[(str(kind_label.get(r.code, r.code)), r.counts) for r in found["kinds"]],
        ),
        Chart(
            key="sectors",
            title=_("Actors by sector"),
            description=_("Published European and Korean actors per sector, the largest first."),
            label_header=_("Sector"),
            series=_sides(),
            rows=[(sector_label(r), r.counts) for r in found["sectors"]],
        ),
        Chart(
            key="overlap",
            title=_("Where the two sides meet"),
            description=_(
                "The sectors that both European and Korean actors work in, ranked by the "
                "smaller side: the sectors with the most candidates on both sides first."
            ),
            label_header=_("Sector"),
            series=_sides(),
            rows=[(sector_label(r), r.counts) for r in found["overlap"]],
        ),
        Chart(
            key="regions-eu",
            title=_("European actors by region"),
            description=_("Published European actors per region."),
            label_header=_("Region"),
            series=[_("Actors")],
            rows=[(region(r), r.counts) for r in found["regions_eu"]],
        ),
        Chart(
            key="regions-kr",
            title=_("Korean actors by region"),
            description=_("Published Korean actors per province or metropolitan city."),
            label_header=_("Region"),
            series=[_("Actors")],
            rows=[(region(r), r.counts) for r in found["regions_kr"]],
            first_colour=1,
        ),
    ]


def candidate_charts(*, actors: list[Actor]) -> list[Chart]:
    """For each organisation the viewer manages: its sectors, with how many candidates on the
    other side carry each."""
    charts = []
    for actor in actors:
        korean = actor.side == Side.EU
        charts.append(
            Chart(
                key=f"candidates-{actor.slug}",
                title=(
                    _("Korean candidates in the sectors of %(name)s")
                    if korean
                    else _("European candidates in the sectors of %(name)s")
                )
                % {"name": actor.name},
                description=_(
                    "For each sector of %(name)s, the published actors of the other side that "
                    "work in it: the sectors with the most candidates first."
                )
                % {"name": actor.name},
                label_header=_("Sector"),
                series=[_("Korean actors") if korean else _("European actors")],
                rows=[(sector_label(r), r.counts) for r in figures.sector_candidates(actor=actor)],
                empty=_("%(name)s has no sectors yet: add them to its profile.")
                % {"name": actor.name},
                first_colour=1 if korean else 0,
            )
        )
    return charts


def event_charts(*, events) -> list[Chart]:
    """Meetings and their outcomes per month, and the follow-ups agreed, over `events`."""
    months = figures.meetings_by_month(events=events)
    follow_ups = [
        (str(FollowUp(value).label), (n,)) for value, n in figures.follow_ups_by_kind(events=events)
    ]
    return [
        Chart(
            key="meetings",
            title=_("Meetings and outcomes per month"),
            description=_(
                "Per month of the meeting days: meetings scheduled, meetings with an outcome "
                "recorded (by the organisers or in feedback), meetings held, and meetings held "
                "with a follow-up."
            ),
            label_header=_("Month"),
            series=[
                _("Meetings"),
                _("Outcome recorded"),
                _("Held"),
                _("With a follow-up"),
            ],
            rows=[(date_format(month, "YEAR_MONTH_FORMAT"), counts) for month, counts in months],
            shape="columns",
            empty=_("No meetings yet."),
        ),
        Chart(
            key="follow-ups",
            title=_("Follow-ups of held meetings"),
            description=_(
                "Held meetings by what follows them, as the outcomes page counts them: the "
                "organisers' record, otherwise the stronger of the two sides' feedback."
            ),
            label_header=_("Follow-up"),
            series=[_("Meetings")],
            rows=follow_ups if any(n for _label, (n,) in follow_ups) else [],
            empty=_("No meeting has been recorded as held yet."),
        ),
    ]


def managed_actors(user) -> list[Actor]:
    if not user.is_authenticated:
        return []
    return list(Actor.objects.filter(managers=user).order_by("name"))


def charts_for(user, *, sections: tuple[str, ...] = SECTIONS) -> dict[str, list[Chart]]:
    """Every chart `user` may see, by section (only the `sections` asked for)."""
    found: dict[str, list[Chart]] = {"public": [], "candidates": [], "events": []}
    if "public" in sections:
        found["public"] = public_charts()
    if "candidates" in sections:
        found["candidates"] = candidate_charts(actors=managed_actors(user))
    if "events" in sections:
        events = figures.event_scope(user)
        if events is not None:
            found["events"] = event_charts(events=events)
    return found


def chart_for(user, *, key: str) -> Chart | None:
    """One chart by its key, among those `user` may see (for the export)."""
    if key.startswith("candidates-"):
        section = "candidates"
    elif key in EVENT_KEYS:
        section = "events"
    else:
        section = "public"
    for chart in charts_for(user, sections=(section,))[section]:
        if chart.key == key:
            return chart
    return None
