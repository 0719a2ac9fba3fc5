"""Scores in words: where a candidate's score stands against documented partnerships (no Django).

The thresholds are where the documented EU-Korea partners of fixtures/evaluation/ score
under the default model and weights, both directions pooled, with partner names masked (a new
candidate's profile does not name the organisation either): half of the real partners score 27
or more, three in four 13 or more, nine in ten 6 or more. `tests/matching/test_bands.py`
recomputes them on the demo directory.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# (lowest score out of 100, band, what it means), strongest first.
BANDS: tuple[tuple[int, str, str], ...] = (
    (27, "strong", "as high as the better half of documented partnerships"),
    (13, "good", "as high as three in four documented partnerships"),
    (6, "possible", "as high as nine in ten documented partnerships"),
)
BELOW = ("long shot", "below almost every documented partnership")
# The share of documented partners at or above each threshold, strongest first.
SHARES = (0.5, 0.75, 0.9)


def band(percent: int) -> str:
    for lowest, name, _meaning in BANDS:
        if percent >= lowest:
            return name
    return BELOW[0]


def thresholds_from(partner_percents: Sequence[float]) -> tuple[int, ...]:
    """The score each band starts at, from the scores (out of 100) of documented partners."""
    scores = np.asarray(partner_percents, dtype=float)
    return tuple(int(round(float(np.percentile(scores, 100 * (1 - share))))) for share in SHARES)
