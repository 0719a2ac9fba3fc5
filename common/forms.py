"""Form fields that refuse what the database cannot even be asked about."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# Ids are 64-bit integers. A larger number in an `in` lookup is an OverflowError on SQLite and
# an out-of-range error on PostgreSQL (Django guards single-value lookups, not lists).
ID_MAX = 2**63 - 1


def _id_or_none(value) -> int | None:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= ID_MAX else None


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField keyed on integer ids that refuses a non-id value (huge
    numbers, '²', '-1') as an invalid choice, before any query."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk":
            for item in value:
                if _id_or_none(item) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(item)[:40]},
                    )
        return super()._check_values(value)


class BoundedModelChoiceField(forms.ModelChoiceField):
    """The same guard for a single choice."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if (self.to_field_name or "pk") == "pk" and _id_or_none(value) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:40]},
            )
        return super().to_python(value)


def bounded_formfield(db_field, **kwargs):
    """`formfield_callback` for model forms: relation fields get the bounded classes."""
    from django.db import models

    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    return db_field.formfield(**kwargs)


def _ids_only(values) -> list[str]:
    return [str(v) for v in values if _id_or_none(v) is not None]


class BoundedRelationsAdmin:
    """ModelAdmin (and inline) mixin: relation fields refuse non-id values before any query,
    and autocomplete widgets, which look up the posted value to redisplay it, skip values
    that are no id (Django's would raise on a form sent back with '\ufffd' or a huge number)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        _guard_autocomplete(field)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        _guard_autocomplete(field)
        return field


class _IdsOnlyOptgroups:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _ids_only(value), attr)


_GUARDED: dict[type, type] = {}


def _guard_autocomplete(field) -> None:
    from django.contrib.admin.widgets import AutocompleteMixin, RelatedFieldWidgetWrapper

    widget = getattr(field, "widget", None)
    inner = widget.widget if isinstance(widget, RelatedFieldWidgetWrapper) else widget
    if isinstance(inner, AutocompleteMixin) and not isinstance(inner, _IdsOnlyOptgroups):
        cls = type(inner)
        if cls not in _GUARDED:
            _GUARDED[cls] = type(f"IdsOnly{cls.__name__}", (_IdsOnlyOptgroups, cls), {})
        inner.__class__ = _GUARDED[cls]


class SiteInlineFormSet(forms.BaseInlineFormSet):
    """Inline formsets whose refusals speak to the person, not to a developer."""

    default_error_messages = {
        "missing_management_form": gettext_lazy(
            "The form arrived incomplete (its row counts are missing or altered). Reload the "
            "page and send it again; nothing was saved."
        ),
        "too_many_forms": gettext_lazy("Please submit at most %(num)d rows."),
        "too_few_forms": gettext_lazy("Please submit at least %(num)d rows."),
    }
