from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import BoundedModelMultipleChoiceField, SiteInlineFormSet, bounded_formfield
from directory.models import Actor, ContactPerson, Interest, Sector
from directory.rules import (
    DESCRIPTION_MIN_WORDS,
    KOREAN_DESCRIPTION_MIN_CHARS,
    description_problems,
    hangul_count,
    is_published,
    keyword_problem,
    keywords_join,
    keywords_split,
    publishing_rule_holds,
    word_count,
)


def _english_description_help() -> str:
    return gettext(
        "In English, at least %(minimum)s words. A published profile needs a description in "
        "English, in Korean, or in both."
    ) % {"minimum": DESCRIPTION_MIN_WORDS}


def _korean_description_help() -> str:
    return gettext(
        "In Korean, at least %(minimum)s Hangul characters (about %(words)s English words), "
        "beside or instead of the English description."
    ) % {"minimum": KOREAN_DESCRIPTION_MIN_CHARS, "words": DESCRIPTION_MIN_WORDS}


class ActorProfileForm(forms.ModelForm):
    """What a cluster manager may change on their own organisation's profile."""

    website = forms.URLField(required=False, assume_scheme="https", label=_("Website"))
    sectors = BoundedModelMultipleChoiceField(
        queryset=Sector.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Sectors"),
    )
    offers = BoundedModelMultipleChoiceField(
        queryset=Interest.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Cooperation you offer"),
    )
    seeks = BoundedModelMultipleChoiceField(
        queryset=Interest.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Cooperation you seek"),
    )

    class Meta:
        model = Actor
        fields = [
            "name_ko",
            "description",
            "description_ko",
            "keywords",
            "website",
            "sectors",
            "offers",
            "seeks",
        ]
        widgets = {
            # The Korean fields say they hold Korean, for screen readers and input methods.
            "name_ko": forms.TextInput(attrs={"lang": "ko"}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "description_ko": forms.Textarea(attrs={"rows": 8, "lang": "ko"}),
            "keywords": forms.TextInput(
                attrs={"placeholder": _("e.g. biotech; vaccines; diagnostics")}
            ),
        }
        labels = {"description": _("Description"), "keywords": _("Keywords")}
        help_texts = {
            "keywords": _("Separate keywords with semicolons."),
            "name_ko": _("The organisation's name in Korean, shown beside its English name."),
            "description": lazy(_english_description_help, str)(),
            "description_ko": lazy(_korean_description_help, str)(),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sectors", "offers", "seeks"):
            # Taxonomy labels in the reader's language (Sector/Interest.display_label).
            self.fields[name].label_from_instance = lambda item: item.display_label()

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()

    def clean_description_ko(self) -> str:
        return self.cleaned_data["description_ko"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        names = ("description", "description_ko")
        texts = {name: cleaned[name] for name in names if name in cleaned}
        if len(texts) == 2:
            for name, error in self._description_errors(texts).items():
                self.add_error(name, error)
        return cleaned

    def _description_errors(self, texts: dict[str, str]) -> dict[str, forms.ValidationError]:
        # The form edits what the public sees once saved (or once a curator approves), so it
        # holds every profile to the published rule, except an untouched description of a
        # profile published before the rule (the same exception as the model and the import).
        unchanged = [
            name
            for name, text in texts.items()
            if not publishing_rule_holds(
                is_new=self.instance.pk is None,
                was_published=is_published(self.instance.status),
                description_changed=text != (getattr(self.instance, name) or "").strip(),
            )
        ]
        problems = description_problems(**texts, published=True, unchanged=unchanged)
        words = word_count(texts["description"])
        errors = {}
        if "description" in problems and not texts["description_ko"]:
            errors["description"] = forms.ValidationError(
                _(
                    "Please describe the organisation in at least %(minimum)s words (this has "
                    "%(words)s): partners are ranked on it."
                ),
                code="too_short",
                params={"minimum": DESCRIPTION_MIN_WORDS, "words": words},
            )
        elif "description" in problems:
            errors["description"] = forms.ValidationError(
                _(
                    "Please write at least %(minimum)s words in English (this has %(words)s), or "
                    "leave the English description empty: the Korean one is enough to publish."
                ),
                code="too_short",
                params={"minimum": DESCRIPTION_MIN_WORDS, "words": words},
            )
        if "description_ko" in problems:
            errors["description_ko"] = forms.ValidationError(
                _(
                    "Please describe the organisation in at least %(minimum)s Hangul characters "
                    "in Korean (about %(words)s English words; this has %(count)s): partners are "
                    "ranked on it."
                ),
                code="too_short",
                params={
                    "minimum": KOREAN_DESCRIPTION_MIN_CHARS,
                    "words": DESCRIPTION_MIN_WORDS,
                    "count": hangul_count(texts["description_ko"]),
                },
            )
        return errors

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
            raise forms.ValidationError(_("Choose at least one sector."), code="required")
        return sectors


ContactFormSet = inlineformset_factory(
    Actor,
    ContactPerson,
    formset=SiteInlineFormSet,
    formfield_callback=bounded_formfield,
    fields=["name", "role", "email", "phone"],
    labels={"name": _("Name"), "role": _("Role"), "email": _("Email"), "phone": _("Phone")},
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
    # Django builds up to `absolute_max` forms whatever TOTAL_FORMS claims (2,000 by default):
    # a forged count made one request take seconds.
    absolute_max=25,
)
