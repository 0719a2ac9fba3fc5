"""Forms of the curators' partnership pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import BoundedModelChoiceField
from common.text import validate_one_line
from directory.models import Actor, Partnership, PartnershipKind, Status
from directory.partnerships import partner_choices, partnership_check


def _partner_label(actor: Actor) -> str:
    acronym = f" ({actor.acronym})" if actor.acronym else ""
    status = "" if actor.status == Status.PUBLISHED else f" [{actor.get_status_display()}]"
    return f"{actor.name}{acronym} · {actor.get_side_display()}{status}"


class PartnerSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Find the partner"),
        required=False,
        max_length=200,
        validators=[validate_one_line],
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("name or acronym")}
        ),
    )

    def text(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""


class PartnershipForm(forms.ModelForm):
    """Partner, kind, date, source and note for one actor. The partner list shows the actors a
    search found (and the one chosen before); the rules refuse the actor itself."""

    partner = BoundedModelChoiceField(queryset=Actor.objects.none(), label=gettext_lazy("Partner"))

    class Meta:
        model = Partnership
        fields = ["kind", "since", "source", "note"]
        labels = {"since": gettext_lazy("Since"), "source": gettext_lazy("Source")}
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "note": gettext_lazy(
                "Shown to logged-in users on both actors' pages, never to visitors."
            )
        }
        # Never the value itself in the message: it may be anything a client sent.
        error_messages = {
            "kind": {"invalid_choice": gettext_lazy("Choose one of the kinds of partnership.")}
        }

    field_order = ["partner", "kind", "since", "source", "note"]

    def __init__(self, *args, actor: Actor, search: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["kind"].choices = [("", _("Choose the kind")), *PartnershipKind.choices]
        partner = self.fields["partner"]
        # Any actor validates: the rule, not the list, refuses the actor itself, in words.
        partner.queryset = Actor.objects.all()
        shown = list(partner_choices(actor=actor, text=search))
        self.offered = len(shown)  # what the search found, for the page to say
        try:
            chosen = partner.to_python(self["partner"].value())
        except ValidationError:
            chosen = None  # reported by validation, if posted
        if chosen is not None and chosen not in shown:
            shown.insert(0, chosen)
        # The list shows a bounded set of choices, not every actor.
        partner.widget.choices = [
            ("", _("Choose the partner")),
            *((a.pk, _partner_label(a)) for a in shown),
        ]

    def clean(self) -> dict:
        data = super().clean()
        try:
            partnership_check(
                actor=self.actor, partner=data.get("partner"), since=data.get("since")
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                self.add_error(field if field in self.fields else None, problems)
        return data


class PartnershipRemoveForm(forms.Form):
    confirm = forms.BooleanField(required=False)
    back = forms.SlugField(required=False, max_length=120)
