"""The forms of joining: signing up, finishing the account, claiming a profile, registering a
new organisation."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from common.forms import BoundedModelChoiceField
from common.text import validate_one_line, validate_storable
from directory.forms import ActorProfileForm
from directory.joining import PROPOSAL_FIELDS
from directory.models import JoinRequest, Region

ROLE_MAX = JoinRequest._meta.get_field("role").max_length
MESSAGE_MAX = 2000


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        validators=[validate_one_line],
        help_text=_("As curators and the organisations you meet will read it."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "Use your work address: at your organisation's own domain, it shows curators that "
            "you work there."
        ),
    )


class SignupFinishForm(UserCreationForm):
    """Username and password (Django's validators and the site's own) for a confirmed
    address; the instance already holds the name and address, which the validators compare
    the password with."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)


class _RequestFields(forms.Form):
    role = forms.CharField(
        label=_("Your position in the organisation"),
        max_length=ROLE_MAX,
        validators=[validate_one_line],
        help_text=_("For example: international cooperation manager, cluster manager, director."),
    )
    message = forms.CharField(
        label=_("Message to the curators"),
        required=False,
        max_length=MESSAGE_MAX,
        # max_length adds the length check: a second one would say it twice.
        validators=[validate_storable],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Anything that helps them check that you work there: a page of your website naming "
            "you, a colleague who already manages the profile."
        ),
    )


class ClaimForm(_RequestFields):
    pass


class RegisterForm(ActorProfileForm):
    """A new organisation as its manager describes it: the profile form's rules (a description
    a published profile could carry, in English, Korean or both; at least one sector), plus
    what only curators otherwise set (name, side, place, kind)."""

    region = BoundedModelChoiceField(
        queryset=Region.objects.order_by("country", "name"),
        required=False,
        label=_("Region"),
        help_text=_("For Korea: the province or metropolitan city."),
    )
    role = _RequestFields.base_fields["role"]
    message = _RequestFields.base_fields["message"]

    class Meta(ActorProfileForm.Meta):
        fields = [
            "name", "name_ko", "side", "country", "region", "city", "kind", "website",
            "description", "description_ko", "sectors", "offers", "seeks",
        ]  # fmt: skip
        widgets = {
            **ActorProfileForm.Meta.widgets,
            "side": forms.RadioSelect,
        }
        labels = {
            **ActorProfileForm.Meta.labels,
            "name": _("Name of the organisation"),
            "side": _("Side"),
            "country": _("Country"),
            "city": _("City"),
            "kind": _("Kind of organisation"),
        }
        help_texts = {
            **ActorProfileForm.Meta.help_texts,
            "name": _("In English, or romanised: the name the directory sorts and links by."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["side"].choices = [c for c in self.fields["side"].choices if c[0]]

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def proposal(self) -> dict:
        """The fields as stored on the request (codes, not rows), for the curator to approve."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in PROPOSAL_FIELDS}
        values["country"] = str(getattr(data.get("country"), "code", data.get("country")) or "")
        values["region"] = data["region"].code if data.get("region") else ""
        for name in ("sectors", "offers", "seeks"):
            values[name] = sorted(item.code for item in data.get(name) or [])
        values["website"] = data.get("website") or ""
        return {k: (v if v is not None else "") for k, v in values.items()}
