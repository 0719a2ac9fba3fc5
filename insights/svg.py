"""Charts as server-rendered SVG: no script, readable by screen readers through the image's
title and description (the numbers are in the table beside each chart), every text escaped.

Sizes are in the viewBox's units; the stylesheet scales the image to the column's width.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Each at least 4.5:1 against white (WCAG text contrast; bars need 3:1): the site's European
# blue and Korean red, then a green, a brown and a violet for further series.
COLOURS = ("#1d3a8a", "#b3262b", "#1c7c4a", "#a15c00", "#6b3fa0")
INK, MUTED, GRID = "#18202f", "#5b6474", "#dfe3ea"
WIDTH = 640
FONT = 12
# A label longer than this (in Latin-letter widths: a Hangul syllable counts two) is cut with
# an ellipsis; the whole label is its tooltip and stands in the table.
LABEL_UNITS = 30
LABEL_WIDTH = 230
# First strong isolate and pop directional isolate: whatever direction marks a label holds,
# they end with the label instead of reordering the chart's other texts.
FSI, PDI = "\u2068", "\u2069"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


def _units(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def shorten(label: str, units: int = LABEL_UNITS) -> str:
    """The label as it fits beside a bar: cut with an ellipsis past `units`."""
    if sum(_units(c) for c in label) <= units:
        return label
    out, used = [], 0
    for char in label:
        used += _units(char)
        if used > units - 1:
            break
        out.append(char)
    return "".join(out).rstrip() + "…"


def _text(value: str) -> str:
    return escape(FSI + value + PDI)


def _open(*, chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="{FONT}" '
        f'font-family="system-ui, sans-serif" fill="{INK}">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(description)}</desc>',
    ]


def _legend(series: Sequence[Series], *, y: int, x: int = 0, first_colour: int = 0) -> list[str]:
    out = []
    for i, s in enumerate(series):
        out.append(
            f'<rect class="legend" x="{x}" y="{y - 10}" width="12" height="12" '
            f'fill="{COLOURS[(first_colour + i) % len(COLOURS)]}"/>'
            f'<text x="{x + 16}" y="{y}">{_text(s.name)}</text>'
        )
        x += 16 + 7 * sum(_units(c) for c in s.name) + 24
    return out


def horizontal_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    number: Callable[[int], str] = str,
    first_colour: int = 0,
) -> SafeString:
    """One row per label, one bar per series in each row, the bars' lengths proportional to
    the values (the longest bar is the largest value); each value written after its bar."""
    bar, gap = 14, 10
    top = 24 if len(series) > 1 else 4
    row_height = bar * len(series) + gap
    height = top + row_height * len(labels) + 4
    x0 = LABEL_WIDTH + 8
    span = WIDTH - x0 - 60  # room for the value after the longest bar
    largest = max((v for s in series for v in s.values), default=0) or 1
    out = _open(chart_id=chart_id, title=title, description=description, height=height)
    if len(series) > 1:
        out += _legend(series, y=14, first_colour=first_colour)
    out.append(f'<line x1="{x0}" x2="{x0}" y1="{top - 2}" y2="{height - 2}" stroke="{GRID}"/>')
    for row, label in enumerate(labels):
        y = top + row * row_height
        short = shorten(label)
        middle = y + (bar * len(series)) / 2 + FONT / 3
        # The whole label as the tooltip of a cut one.
        tip = f"<title>{_text(label)}</title>" if short != label else ""
        out.append(
            f'<g class="row"><text class="label" x="{LABEL_WIDTH}" y="{middle:.1f}" '
            f'text-anchor="end">{tip}{_text(short)}</text>'
        )
        for i, s in enumerate(series):
            value = s.values[row]
            width = span * value / largest
            by = y + i * bar
            out.append(
                f'<rect class="bar" data-series="{i}" data-value="{value}" x="{x0}" '
                f'y="{by}" width="{width:.2f}" height="{bar - 2}" '
                f'fill="{COLOURS[(first_colour + i) % len(COLOURS)]}"><title>{_text(s.name)}: '
                f"{escape(number(value))}</title></rect>"
                f'<text class="value" x="{x0 + width + 4:.2f}" y="{by + bar - 3}" '
                f'fill="{MUTED}">{escape(number(value))}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


def columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    number: Callable[[int], str] = str,
    first_colour: int = 0,
) -> SafeString:
    """A time series as grouped columns: one group per label (a month), one column per series,
    the columns' heights proportional to the values, on a scale with its largest value."""
    plot_top, plot_height, left = 34, 200, 48
    label_room = 70  # the month names, slanted
    height = plot_top + plot_height + label_room
    groups = max(len(labels), 1)
    step = (WIDTH - left - 8) / groups
    column = max(min((step - 6) / max(len(series), 1), 28), 2)
    largest = max((v for s in series for v in s.values), default=0) or 1
    base = plot_top + plot_height
    out = _open(chart_id=chart_id, title=title, description=description, height=height)
    out += _legend(series, y=14, first_colour=first_colour)
    for fraction in (0, 0.5, 1):
        y = base - plot_height * fraction
        out.append(
            f'<line x1="{left}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(number(round(largest * fraction)))}</text>"
        )
    for g, label in enumerate(labels):
        x = left + g * step + (step - column * len(series)) / 2
        out.append('<g class="group">')
        for i, s in enumerate(series):
            value = s.values[g]
            h = plot_height * value / largest
            out.append(
                f'<rect class="bar" data-series="{i}" data-value="{value}" '
                f'x="{x + i * column:.2f}" y="{base - h:.2f}" width="{column - 1:.2f}" '
                f'height="{h:.2f}" fill="{COLOURS[(first_colour + i) % len(COLOURS)]}">'
                f"<title>{_text(label)}, {_text(s.name)}: {escape(number(value))}</title></rect>"
            )
        cx = left + g * step + step / 2
        out.append(
            f'<text class="label" x="{cx:.1f}" y="{base + 14}" text-anchor="end" '
            f'transform="rotate(-35 {cx:.1f} {base + 14})">{_text(shorten(label, 16))}</text>'
            "</g>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()
