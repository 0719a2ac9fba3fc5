from django import template
from django.utils.html import format_html, format_html_join

from common.html import select_options

register = template.Library()


register.simple_tag(select_options, name="select_options")


@register.simple_tag
def score_bar(item):
    segments = format_html_join(
        "",
        # Width classes (w-0 .. w-100 in site.css) rather than style attributes, which the
        # Content Security Policy forbids.
        '<span class="seg seg-{} w-{}"></span>',
        ((key, round(width)) for key, width in item.segments),
    )
    return format_html(
        '<div class="scorebar" role="img" aria-label="Score {} out of 100">{}</div>',
        item.percent,
        segments,
    )


@register.simple_tag
def match_figures(item):
    """The figures behind one match: each component's score and contribution, shared terms."""
    rows = format_html_join(
        "",
        "<tr><th>{}</th><td>{} of 100</td><td>adds {} points</td></tr>",
        item.figures,
    )
    terms = format_html_join(
        "", '<span class="tag light">{}</span>', ((t,) for t, _w in item.terms)
    )
    return format_html(
        '<details class="figures"><summary>The figures</summary>'
        '<table class="figures-table">{}</table>{}</details>',
        rows,
        format_html('<p class="terms">Top shared terms: {}</p>', terms) if item.terms else "",
    )


@register.inclusion_tag("matching/band_legend.html")
def band_legend():
    """What the bands beside each score mean, from where documented partners score."""
    from matching.bands import BANDS, BELOW

    return {"bands": BANDS, "below": BELOW}


@register.filter(name="band")
def band_of(percent) -> str:
    """A score out of 100 in words (matching/bands.py): {{ item.percent|band }}."""
    from matching.bands import band

    return band(int(percent))
