"""Forms of the curators' pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from common.forms import BoundedModelChoiceField
from directory.models import Actor, Side, Status


class MergeForm(forms.Form):
    first = BoundedModelChoiceField(queryset=Actor.objects.all(), widget=forms.HiddenInput)
    second = BoundedModelChoiceField(queryset=Actor.objects.all(), widget=forms.HiddenInput)
    keep = forms.IntegerField()
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict:
        data = super().clean()
        first, second, keep = data.get("first"), data.get("second"), data.get("keep")
        if first and second:
            if first.pk == second.pk:
                raise ValidationError(_("An actor cannot be merged with itself."))
            if keep not in (first.pk, second.pk):
                raise ValidationError(_("Choose which of the two profiles to keep."))
            data["keep_actor"], data["remove_actor"] = (
                (first, second) if keep == first.pk else (second, first)
            )
        return data


class QualityFilter(forms.Form):
    side = forms.ChoiceField(
        choices=[("", gettext_lazy("Both sides")), *Side.choices], required=False
    )
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Any status")), *Status.choices], required=False
    )
    show = forms.ChoiceField(
        choices=[
            ("", pgettext_lazy("quality page", "completeness")),
            ("stale", pgettext_lazy("quality page", "stale")),
        ],
        required=False,
        widget=forms.HiddenInput,
    )
