from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

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
        '<div class="scorebar" role="img" aria-label="{}">{}</div>',
        _("Score %(score)s out of 100") % {"score": item.percent},
        segments,
    )


@register.simple_tag
def match_figures(item):
    """The figures behind one match: each component's score and contribution, shared terms."""
    rows = format_html_join(
        "",
        "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
        (
            (
                label,
                _("%(value)s of 100") % {"value": value},
                _("adds %(points)s points") % {"points": points},
            )
            for label, value, points in item.figures
        ),
    )
    terms = format_html_join(
        "", '<span class="tag light">{}</span>', ((t,) for t, _w in item.terms)
    )
    return format_html(
        '<details class="figures"><summary>{}</summary>'
        '<table class="figures-table">{}</table>{}</details>',
        _("The figures"),
        rows,
        format_html('<p class="terms">{} {}</p>', _("Top shared terms:"), terms)
        if item.terms
        else "",
    )


@register.inclusion_tag("matching/band_legend.html")
def band_legend():
    """What the bands beside each score mean, from where documented partners score."""
    from matching.bands import legend

    return {"bands": legend()}


@register.filter(name="band")
def band_of(percent) -> str:
    """The band of a score out of 100, as a code for CSS classes (matching/bands.py):
    band-{{ item.percent|band|slugify }}. What a person reads is `band_label`."""
    from matching.bands import band

    return band(int(percent))


@register.filter(name="band_label")
def band_label_of(percent) -> str:
    """A score out of 100 in words, in the reader's language: {{ item.percent|band_label }}."""
    from matching.bands import band, band_label

    return band_label(band(int(percent)))
