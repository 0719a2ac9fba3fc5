"""Scores in words: where a candidate's score stands against documented partnerships.

The thresholds are where the documented EU-Korea partners of fixtures/evaluation/ score
under the default model and weights, both directions pooled, with partner names masked (a new
candidate's profile does not name the organisation either): half of the real partners score 27
or more, three in four 13 or more, nine in ten 6 or more. `tests/matching/test_bands.py`
recomputes them on the demo directory.

A band's name ("strong") is a code: the API gives it and CSS classes use it. What a person
reads is `band_label(name)`, in their language; only Django's lazy translation is used here,
so the module still imports without settings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

# (lowest score out of 100, band, what it means), strongest first.
BANDS: tuple[tuple[int, str, str | Promise], ...] = (
    (27, "strong", gettext_lazy("as high as the better half of documented partnerships")),
    (13, "good", gettext_lazy("as high as three in four documented partnerships")),
    (6, "possible", gettext_lazy("as high as nine in ten documented partnerships")),
)
BELOW: tuple[str, str | Promise] = (
    "long shot",
    gettext_lazy("below almost every documented partnership"),
)
# The words a person reads for each band.
LABELS = {
    "strong": pgettext_lazy("match band", "strong"),
    "good": pgettext_lazy("match band", "good"),
    "possible": pgettext_lazy("match band", "possible"),
    "long shot": pgettext_lazy("match band", "long shot"),
}
# The share of documented partners at or above each threshold, strongest first.
SHARES = (0.5, 0.75, 0.9)


def band(percent: int) -> str:
    for lowest, name, _meaning in BANDS:
        if percent >= lowest:
            return name
    return BELOW[0]


def band_label(name: str) -> str:
    """The band `name` ("strong") in the reader's language."""
    return str(LABELS.get(name, name))


def legend() -> list[dict]:
    """Each band with its label, where it starts and what it means, strongest first, then
    what lies below them (`lowest` None)."""
    rows = [
        {"name": name, "label": band_label(name), "lowest": lowest, "meaning": str(meaning)}
        for lowest, name, meaning in BANDS
    ]
    rows.append(
        {"name": BELOW[0], "label": band_label(BELOW[0]), "lowest": None, "meaning": str(BELOW[1])}
    )
    return rows


def thresholds_from(partner_percents: Sequence[float]) -> tuple[int, ...]:
    """The score each band starts at, from the scores (out of 100) of documented partners."""
    scores = np.asarray(partner_percents, dtype=float)
    return tuple(int(round(float(np.percentile(scores, 100 * (1 - share))))) for share in SHARES)
