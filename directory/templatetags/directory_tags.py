from django import forms, template
from django.forms.utils import flatatt
from django.template import engines
from django.template.defaultfilters import truncatechars, truncatewords
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from common.html import select_options
from directory.places import place_label
from directory.templatetags.bilingual import lang_attr, name_first, name_other
from directory.templatetags.trust import logo_url

register = template.Library()


@register.simple_tag
def form_control(bound_field):
    """A select rendered by one Python join instead of Django's widget templates.

    The directory's filter form has ~130 options; through the widget templates they were about
    half of the page's time under load. Other widgets render as usual. A field may carry the
    options to draw, kept from an earlier page (`drawn_choices`, directory/filters.py).
    """
    widget = bound_field.field.widget
    if type(widget) is not forms.Select:
        return bound_field.as_widget()
    every = getattr(bound_field.field, "drawn_choices", None) or list(bound_field.field.choices)
    choices = [(str(value), label) for value, label in every if value != ""]
    # A field without an empty choice (the sort order) gets no "any" option either.
    empty = next((label for value, label in every if value == ""), None)
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        bound_field.html_name,
        bound_field.id_for_label,
        flatatt(widget.attrs),
        select_options(choices, bound_field.value(), empty),
    )


@register.simple_tag
def actor_cards(actors) -> SafeString:
    """The <li> cards of `actors`, drawn by the Jinja2 template directory/actor_cards.html:
    twenty cards through Django's templates were most of the directory page's time."""
    html = (
        engines["jinja2"]
        .get_template("directory/actor_cards.html")
        .render(
            {
                "actors": actors,
                "page_language": get_language(),
                "logo_url": logo_url,
                "name_first": name_first,
                "name_other": name_other,
                "place_label": place_label,
                "lang_attr": lang_attr,
                "truncatechars": truncatechars,
                "truncatewords": truncatewords,
            }
        )
    )
    return mark_safe(html)  # noqa: S308 (Jinja2 escapes every value; see common/jinja2.py)


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes ("locked for 15 minutes", not "PT15M")."""
    return int(duration.total_seconds() // 60) if duration else 0
