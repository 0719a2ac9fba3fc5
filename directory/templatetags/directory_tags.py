from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html

from common.html import select_options

register = template.Library()


@register.simple_tag
def form_control(bound_field):
    """A select rendered by one Python join instead of Django's widget templates.

    The directory's filter form has ~130 options; through the widget templates they were about
    half of the page's time under load. Other widgets render as usual.
    """
    widget = bound_field.field.widget
    if type(widget) is not forms.Select:
        return bound_field.as_widget()
    choices = [(str(value), label) for value, label in bound_field.field.choices if value != ""]
    # A field without an empty choice (the sort order) gets no "any" option either.
    empty = next((label for value, label in bound_field.field.choices if value == ""), None)
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        bound_field.html_name,
        bound_field.id_for_label,
        flatatt(widget.attrs),
        select_options(choices, bound_field.value(), empty),
    )


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes ("locked for 15 minutes", not "PT15M")."""
    return int(duration.total_seconds() // 60) if duration else 0
