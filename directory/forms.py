from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory

from directory.models import Actor, ContactPerson, Interest, Sector


class ActorProfileForm(forms.ModelForm):
    """What a cluster manager may change on their own organisation's profile."""

    website = forms.URLField(required=False, assume_scheme="https")
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    offers = forms.ModelMultipleChoiceField(
        queryset=Interest.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Cooperation you offer",
    )
    seeks = forms.ModelMultipleChoiceField(
        queryset=Interest.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Cooperation you seek",
    )

    class Meta:
        model = Actor
        fields = ["description", "keywords", "website", "sectors", "offers", "seeks"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "keywords": forms.TextInput(
                attrs={"placeholder": "e.g. biotech; vaccines; diagnostics"}
            ),
        }
        help_texts = {"keywords": "Separate keywords with semicolons."}

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if len(text.split()) < 20:
            raise forms.ValidationError(
                "Please describe the organisation in at least 20 words: partners are ranked on it.",
                code="too_short",
            )
        return text

    def clean_keywords(self) -> str:
        parts = [k.strip() for k in self.cleaned_data["keywords"].split(";") if k.strip()]
        too_long = [k for k in parts if len(k) > 60]
        if too_long:
            raise forms.ValidationError(
                "Keyword %(keyword)r is longer than 60 characters; separate keywords with ';'.",
                code="keyword_too_long",
                params={"keyword": too_long[0][:60]},
            )
        return "; ".join(dict.fromkeys(parts))

    def clean_sectors(self):
        sectors = self.cleaned_data["sectors"]
        if not sectors:
            raise forms.ValidationError("Choose at least one sector.", code="required")
        return sectors


ContactFormSet = inlineformset_factory(
    Actor,
    ContactPerson,
    fields=["name", "role", "email", "phone"],
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)
