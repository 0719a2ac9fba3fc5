"""Ranking rows: the one way a ranking becomes what the page, the exports, the API and the
`rank` command show (the Django side of the engine).

`actor_ranking` builds the rows; a `RankingRow` gives the page its pre-formatted figures,
`as_dict()` the JSON row (the API and `manage.py rank --json`) and `as_cells()` the
spreadsheet row under `ranking_header()`. Sentences, labels and headers come in the language
active when the rows are built (the reader's); the JSON keys and codes stay English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from directory.models import Actor, Interest, Sector
from directory.places import place_label
from directory.revision_cache import directory_cached
from matching.bands import band, band_label
from matching.engine import DEFAULT_WEIGHTS, Filters, Match, Weights
from matching.explain import explanation
from matching.index import fresh_index_for
from matching.marks import known_partners, leaving_out

# The columns of the CSV/XLSX export of a ranking, in the order of `RankingRow.as_cells`; every
# figure out of 100, as on the page. An export is read, never imported: the headers are in the
# reader's language (`ranking_header()`).
RANKING_HEADER = [
    pgettext_lazy("ranking export column", "rank"),
    pgettext_lazy("ranking export column", "name"),
    pgettext_lazy("ranking export column", "slug"),
    pgettext_lazy("ranking export column", "kind"),
    pgettext_lazy("ranking export column", "country"),
    pgettext_lazy("ranking export column", "region"),
    pgettext_lazy("ranking export column", "city"),
    pgettext_lazy("ranking export column", "score"),
    pgettext_lazy("ranking export column", "band"),
    pgettext_lazy("ranking export column", "text similarity"),
    pgettext_lazy("ranking export column", "shared sectors score"),
    pgettext_lazy("ranking export column", "interest complementarity"),
    pgettext_lazy("ranking export column", "partners of similar organisations"),
    pgettext_lazy("ranking export column", "why"),
    pgettext_lazy("ranking export column", "shared terms"),
    pgettext_lazy("ranking export column", "shared sectors"),
    pgettext_lazy("ranking export column", "known partner"),
    pgettext_lazy("ranking export column", "profile"),
]


def ranking_header() -> list[str]:
    """The export's column names in the active language."""
    return [str(name) for name in RANKING_HEADER]


def reader_labels() -> dict[str, str]:
    """Sector and interest labels as the reader reads them: English label -> Korean label
    when Korean is active (labels without a Korean one stay English); empty in English."""
    if (get_language() or "en").split("-")[0] != "ko":
        return {}
    return directory_cached("korean-taxonomy-labels", _korean_labels)


def _korean_labels() -> dict[str, str]:
    pairs = [
        *Sector.objects.values_list("label", "label_ko"),
        *Interest.objects.values_list("label", "label_ko"),
    ]
    return {label: label_ko for label, label_ko in pairs if label_ko}


@lru_cache(maxsize=8)
def _component_labels(language: str | None) -> tuple[str, ...]:
    # Once per language, not per row: a page shows up to 100 rows.
    return (
        _("Text similarity"),
        _("Shared sectors"),
        _("Complementary interests"),
        _("Partners of similar organisations"),
    )


@dataclass
class RankingRow:
    """One candidate of a ranking: the engine's match, the actor row, the explanation."""

    match: Match
    actor: Actor
    sentence: str
    # The kinds of recorded partnership with the organisation ("joint project"), if any.
    known_partner: str = ""
    # English sector label -> the reader's (`reader_labels`), for the export's sector column.
    labels: dict[str, str] | None = None

    @property
    def percent(self) -> int:
        return round(self.match.score * 100)

    @property
    def band(self) -> str:
        """The band's code ("strong"): for CSS classes and the JSON."""
        return band(self.percent)

    @property
    def band_label(self) -> str:
        """The band in words, in the reader's language."""
        return band_label(self.band)

    # Pre-formatted figures: a ranking page shows 20 to 100 rows, and template filters
    # such as floatformat cost more than the ranking itself at that count.
    @property
    def place(self) -> str:
        """Where the candidate is, as the directory writes it, in the reader's language."""
        return place_label(self.actor)

    @property
    def figures(self) -> list[tuple[str, str, str]]:
        m = self.match
        # On the page's scale: each component out of 100, and the points it adds to the score.
        return [
            (label, f"{round(value * 100)}", f"{round(m.contributions[key] * 100)}")
            for label, value, key in zip(
                _component_labels(get_language()),
                (m.text, m.sector, m.interest, m.peer),
                ("text", "sector", "interest", "peers"),
                strict=True,
            )
        ]

    @property
    def segments(self) -> list[tuple[str, float]]:
        return [
            (key, round(self.match.contributions[key] * 100, 1))
            for key in ("text", "sector", "interest", "peers")
        ]

    @property
    def terms(self) -> list[tuple[str, str]]:
        return [(t.term, f"{t.weight:.3f}") for t in self.match.shared_terms]

    def as_dict(self) -> dict:
        """The row as JSON: the score out of 100 with its band, components and contributions
        out of 100 to one decimal, and where the candidate is (kind, country and region
        codes). The API adds the candidate's URL."""
        m, actor = self.match, self.actor
        return {
            "rank": m.rank,
            "slug": m.slug,
            "name": m.name,
            "kind": actor.kind,
            "country": actor.country.code,
            "region": actor.region.code if actor.region_id else None,
            "score": self.percent,
            "band": self.band,
            "components": {
                "text": round(m.text * 100, 1),
                "sector": round(m.sector * 100, 1),
                "interest": round(m.interest * 100, 1),
                "peers": round(m.peer * 100, 1),
            },
            "contributions": {k: round(v * 100, 1) for k, v in m.contributions.items()},
            "explanation": self.sentence,
            "shared_terms": [
                {"term": t.term, "weight": round(t.weight, 4)} for t in m.shared_terms
            ],
            "shared_sectors": list(m.shared_sectors),
            "similar_organisations_working_with_them": list(m.peer_partners),
            "they_offer_you_seek": list(m.they_offer_you_seek),
            "you_offer_they_seek": list(m.you_offer_they_seek),
        }

    def as_cells(self, *, profile_url: str) -> list:
        """The row under `ranking_header()`, with labels rather than codes, for a spreadsheet."""
        m, actor = self.match, self.actor
        labels = self.labels or {}
        return [
            m.rank, actor.name, actor.slug, actor.get_kind_display(), str(actor.country.name),
            actor.region.name if actor.region else "", actor.city, self.percent, self.band_label,
            round(m.text * 100), round(m.sector * 100), round(m.interest * 100),
            round(m.peer * 100), self.sentence,
            ", ".join(t.term for t in m.shared_terms),
            ", ".join(labels.get(s) or s for s in m.shared_sectors),
            self.known_partner, profile_url,
        ]  # fmt: skip


def actor_ranking(
    *,
    actor: Actor,
    weights: Weights = DEFAULT_WEIGHTS,
    filters: Filters = Filters(),  # noqa: B008 - frozen dataclass
    top: int = 20,
    explain: int = 20,
    hide_set_aside: bool = True,
    hide_known_partners: bool = False,
) -> list[RankingRow]:
    """The best partners for `actor`, best first, each with its explanation: the rows of the
    Find partners page, its exports, the API's ranking and `manage.py rank`. The candidates
    the organisation set aside are left out (unless `hide_set_aside` is False: someone else's
    view of it must not reveal them), its known partners marked or, if asked, left out."""
    partners = known_partners(actor_id=actor.pk)
    filters = leaving_out(
        filters=filters,
        actor_id=actor.pk,
        set_aside=hide_set_aside,
        partners=partners if hide_known_partners else (),
    )
    index = fresh_index_for(actor_ids=[actor.pk])
    matches = index.rank(actor.pk, weights=weights, filters=filters, top=top, explain=explain)
    labels = reader_labels()
    return ranking_rows(
        matches, sentence=partial(explanation, labels=labels), partners=partners, labels=labels
    )


def ranking_rows(
    matches: list[Match],
    *,
    sentence: Callable[[Match], str],
    partners: dict[int, str],
    labels: dict[str, str] | None = None,
) -> list[RankingRow]:
    """One row per match, with the actor rows read at once and `sentence` saying why."""
    # Only what a ranking row shows: descriptions are long and not displayed here.
    actors = (
        Actor.objects.select_related("region")
        .only(
            "name",
            "name_ko",
            "acronym",
            "slug",
            "side",
            "kind",
            "city",
            "country",
            "status",
            "region",
        )
        .in_bulk([m.key for m in matches])
    )
    return [
        RankingRow(
            match=m,
            actor=actors[m.key],
            sentence=sentence(m),
            known_partner=partners.get(m.key, ""),
            labels=labels,
        )
        for m in matches
        if m.key in actors  # deleted since the index was built
    ]
