from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory

from common.forms import BoundedModelMultipleChoiceField, SiteInlineFormSet, bounded_formfield
from directory.models import Actor, ContactPerson, Interest, Sector
from directory.rules import (
    DESCRIPTION_MIN_WORDS,
    description_problem,
    is_published,
    keyword_problem,
    keywords_join,
    keywords_split,
    publishing_rule_holds,
    word_count,
)


class ActorProfileForm(forms.ModelForm):
    """What a cluster manager may change on their own organisation's profile."""

    website = forms.URLField(required=False, assume_scheme="https")
    sectors = BoundedModelMultipleChoiceField(
        queryset=Sector.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    offers = BoundedModelMultipleChoiceField(
        queryset=Interest.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Cooperation you offer",
    )
    seeks = BoundedModelMultipleChoiceField(
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
        # The form edits what the public sees once saved (or once a curator approves), so it
        # holds every profile to the published rule, except an untouched description of a
        # profile published before the rule (the same exception as the model and the import).
        holds = publishing_rule_holds(
            is_new=self.instance.pk is None,
            was_published=is_published(self.instance.status),
            description_changed=text != (self.instance.description or "").strip(),
        )
        if holds and description_problem(text, published=True):
            raise forms.ValidationError(
                "Please describe the organisation in at least %(minimum)s words (this has "
                "%(words)s): partners are ranked on it.",
                code="too_short",
                params={"minimum": DESCRIPTION_MIN_WORDS, "words": word_count(text)},
            )
        return text

    def clean_keywords(self) -> str:
        keywords = keywords_split(self.cleaned_data["keywords"])
        problem = keyword_problem(keywords)
        if problem:
            raise forms.ValidationError(
                "%(problem)s.",
                code="keyword_too_long",
                params={"problem": problem[0].upper() + problem[1:]},
            )
        return keywords_join(keywords)

    def clean_sectors(self):
        sectors = self.cleaned_data["sectors"]
        if not sectors:
            raise forms.ValidationError("Choose at least one sector.", code="required")
        return sectors


ContactFormSet = inlineformset_factory(
    Actor,
    ContactPerson,
    formset=SiteInlineFormSet,
    formfield_callback=bounded_formfield,
    fields=["name", "role", "email", "phone"],
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
    # Django builds up to `absolute_max` forms whatever TOTAL_FORMS claims (2,000 by default):
    # a forged count made one request take seconds.
    absolute_max=25,
)
