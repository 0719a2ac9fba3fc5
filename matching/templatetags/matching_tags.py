from functools import lru_cache

from django import template
from django.template import engines
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.html import select_options
from directory.templatetags.bilingual import name_first, name_other
from matching.models import MarkKind

register = template.Library()


register.simple_tag(select_options, name="select_options")

# What a row's actions need from the page (matching/views.py: _row_context), all optional:
# a ranking seen without actions (an actor's best matches) has none of them.
ROW_ACTION_NAMES = ("shortlisted", "shortlist_url", "shortlist_add_url", "mark_url", "here",
                    "query_string")  # fmt: skip


@register.simple_tag(takes_context=True)
def match_rows(context, rows, *, show_details: bool = False, shortlist_actor=None) -> SafeString:
    """The <li> rows of a ranking, drawn by the Jinja2 template matching/match_rows.html:
    a page of 10 to 100 rows costs a fraction of what Django's templates take for it."""
    actions = {name: context.get(name, "") for name in ROW_ACTION_NAMES}
    actions["shortlisted"] = actions["shortlisted"] or ()
    html = (
        engines["jinja2"]
        .get_template("matching/match_rows.html")
        .render(
            {
                "rows": rows,
                "show_details": show_details,
                "shortlist_actor": shortlist_actor,
                **actions,
                "mark_kinds": [(value, capfirst(label)) for value, label in MarkKind.choices],
                "name_first": name_first,
                "name_other": name_other,
                "score_bar": score_bar,
                "match_figures": match_figures,
            },
            request=context.get("request"),
        )
    )
    return mark_safe(html)  # noqa: S308 (Jinja2 escapes every value; see common/jinja2.py)


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


@lru_cache(maxsize=8)
def _figure_words(language: str | None) -> tuple[str, str, str, str]:
    # Looked up once per language: a ranking page draws these for every row, and each
    # translation look-up costs more than the row's own figures.
    return (
        escape(_("%(value)s of 100")),
        escape(_("adds %(points)s points")),
        escape(_("The figures")),
        escape(_("Top shared terms:")),
    )


@register.simple_tag
def match_figures(item) -> SafeString:
    """The figures behind one match: each component's score and contribution, shared terms."""
    of_100, adds, title, shared = _figure_words(get_language())
    # The words are escaped once above; the figures are numbers formatted by RankingRow, and
    # labels and terms are escaped here.
    rows = "".join(
        f"<tr><th>{escape(label)}</th><td>{of_100 % {'value': value}}</td>"
        f"<td>{adds % {'points': points}}</td></tr>"
        for label, value, points in item.figures
    )
    terms = "".join(f'<span class="tag light">{escape(t)}</span>' for t, _w in item.terms)
    terms_html = f'<p class="terms">{shared} {terms}</p>' if terms else ""
    return mark_safe(  # noqa: S308 (every piece escaped above)
        f'<details class="figures"><summary>{title}</summary>'
        f'<table class="figures-table">{rows}</table>{terms_html}</details>'
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
