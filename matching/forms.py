from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.forms import BoundedModelChoiceField
from common.text import validate_one_line
from directory.models import Kind, Region, Sector
from directory.revision_cache import directory_cached
from matching.engine import DEFAULT_WEIGHTS, Filters, Weights
from matching.models import MarkKind, ShortlistStatus

TOP_CHOICES = [(10, "10"), (20, "20"), (50, "50"), (100, "100")]
# The page opens on ten explained rows with "Show more": what a manager reads first, at half
# the cost of twenty (docs/performance.md).
PAGE_TOP = 10
# "Hide known partners" as the page's checkbox (1) and API clients (true or false) say it. A
# checkbox field would read any other word, 0 and "no" included, as ticked.
HIDE_KNOWN_WORDS = {
    "1": True, "true": True, "on": True, "yes": True,
    "0": False, "false": False, "off": False, "no": False, "": False,
}  # fmt: skip


def _percent(value: float) -> int:
    return round(value * 100)


class RankingForm(forms.Form):
    """Filters and weights of one ranking; every field is optional and has a default."""

    kind = forms.ChoiceField(
        choices=[("", _("Any kind")), *Kind.choices], required=False, label=_("Kind")
    )
    region = BoundedModelChoiceField(
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any region"),
        label=_("Region"),
    )
    sector = BoundedModelChoiceField(
        queryset=Sector.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any sector"),
        label=_("Sector"),
    )
    w_text = forms.IntegerField(
        min_value=0, max_value=100, required=False, label=_("Text similarity")
    )
    w_sector = forms.IntegerField(
        min_value=0, max_value=100, required=False, label=_("Shared sectors")
    )
    w_interest = forms.IntegerField(
        min_value=0, max_value=100, required=False, label=_("Complementary interests")
    )
    top = forms.TypedChoiceField(
        choices=TOP_CHOICES,
        coerce=int,
        required=False,
        empty_value=PAGE_TOP,
        initial=PAGE_TOP,
        label=_("Show"),
    )
    hide_known = forms.CharField(required=False, label=_("Hide known partners"))

    def clean_hide_known(self) -> bool:
        word = self.cleaned_data["hide_known"].lower()
        if word not in HIDE_KNOWN_WORDS:
            # Never the value itself in the message: it may be anything a client sent.
            raise forms.ValidationError(
                _("Hide known partners is 1 or 0 (true or false)."), code="invalid"
            )
        return HIDE_KNOWN_WORDS[word]

    def clean(self) -> dict:
        data = super().clean()
        values = [data.get(k) for k in ("w_text", "w_sector", "w_interest")]
        if all(v is not None for v in values) and sum(values) == 0:
            raise forms.ValidationError(
                _("At least one weight must be above zero."), code="weights_all_zero"
            )
        return data

    def weights(self) -> Weights:
        data = self.cleaned_data if self.is_valid() else {}
        defaults = DEFAULT_WEIGHTS
        values = [
            data.get("w_text"),
            data.get("w_sector"),
            data.get("w_interest"),
        ]
        if all(v is None for v in values):
            return defaults
        t, s, i = (
            v if v is not None else _percent(d)
            for v, d in zip(
                values, (defaults.text, defaults.sector, defaults.interest), strict=True
            )
        )
        return Weights(text=t, sector=s, interest=i)

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            kinds=frozenset([data["kind"]]) if data.get("kind") else frozenset(),
            regions=frozenset([data["region"].code]) if data.get("region") else frozenset(),
            sectors=frozenset([data["sector"].code]) if data.get("sector") else frozenset(),
        )

    # How many rows when `top` is left out.
    default_top = PAGE_TOP

    def top_n(self) -> int:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("top") or self.default_top

    def more_rows_query(self, *, shown: int) -> str:
        """The query string of the same ranking with the next larger number of rows, or ""
        when fewer rows than asked came back or the largest choice is shown."""
        top = self.top_n()
        larger = [value for value, _label in TOP_CHOICES if value > top]
        if shown < top or not larger:
            return ""
        query = QueryDict(mutable=True)
        query.update(self.data)  # every value of every setting, as the page received them
        query["top"] = str(larger[0])
        return query.urlencode()

    def hide_known_partners(self) -> bool:
        data = self.cleaned_data if self.is_valid() else {}
        return bool(data.get("hide_known"))

    def hide_known_ticked(self) -> bool:
        """What the checkbox shows: what was sent, even while another setting is wrong (the
        ranking waits for the fix, the choice is not lost)."""
        word = str(self.data.get("hide_known", "")).lower() if self.is_bound else ""
        return HIDE_KNOWN_WORDS.get(word, False)

    def selects(self) -> list[dict]:
        """The filter drop-downs as plain data: rendering Django's select widget option by
        option costs more than the ranking itself."""
        data = self.data if self.is_bound else {}
        regions, sectors = directory_cached(f"ranking-selects:{get_language()}", _place_and_sectors)
        return [
            {
                "name": name,
                "label": label,
                "empty": empty,
                "choices": choices,
                "current": data.get(name, ""),
                "errors": self.errors.get(name, []),
            }
            for name, label, empty, choices in (
                ("kind", _("Kind"), _("Any kind"), list(Kind.choices)),
                ("region", _("Region"), _("Any region"), regions),
                ("sector", _("Sector"), _("Any sector"), sectors),
            )
        ]

    def initial_weights(self) -> dict[str, int]:
        w = self.weights()
        total = w.text + w.sector + w.interest
        return {
            "w_text": round(100 * w.text / total),
            "w_sector": round(100 * w.sector / total),
            "w_interest": round(100 * w.interest / total),
        }


def _place_and_sectors() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The region and sector choices, named in the reader's language (Korean names where the
    taxonomy has them), regions by country and name, sectors by what the reader reads."""
    korean = (get_language() or "en").split("-")[0] == "ko"
    regions = [
        (code, (name_ko if korean and name_ko else name))
        for code, name, name_ko in Region.objects.order_by("country", "name").values_list(
            "code", "name", "name_ko"
        )
    ]
    sectors = [
        (code, (label_ko if korean and label_ko else label))
        for code, label, label_ko in Sector.objects.values_list("code", "label", "label_ko")
    ]
    sectors.sort(key=lambda choice: choice[1])
    return regions, sectors


class ShortlistNoteForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note")
    )


class ShortlistStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ShortlistStatus.choices, label=_("Status"))
    # Unticked boxes are not sent: a form without it tells nobody.
    tell_others = forms.BooleanField(required=False, label=_("Tell the other managers"))


class MarkForm(forms.Form):
    """Set a candidate aside: why, in a kind and an optional short reason."""

    kind = forms.ChoiceField(
        choices=MarkKind.choices,
        initial=MarkKind.NOT_RELEVANT,
        # Never the value itself in the message: it may be anything a client sent.
        error_messages=dict.fromkeys(
            ("required", "invalid_choice"), _("Choose “not relevant” or “already in contact”.")
        ),
        label=_("Set aside as"),
    )
    reason = forms.CharField(
        required=False,
        max_length=200,
        validators=[validate_one_line],
        label=_("Reason (optional)"),
    )
