from django import forms

from notifications import kinds
from notifications.models import Preference
from notifications.service import email_chosen


class PreferencesForm(forms.Form):
    """The person's e-mail address and, per kind of message they can receive, e-mail on/off.
    The inbox always gets every message."""

    email = forms.EmailField(
        required=False,
        max_length=254,
        help_text="Leave empty to get messages in the inbox only.",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].initial = user.email
        self.kinds = kinds.all_kinds()
        for kind in self.kinds:
            self.fields[f"kind_{kind.key}"] = forms.BooleanField(
                required=False,
                label=kind.label,
                initial=email_chosen(user=user, kind=kind.key),
            )

    def kind_fields(self):
        return [self[f"kind_{kind.key}"] for kind in self.kinds]

    def save(self) -> None:
        self.user.email = self.cleaned_data["email"]
        self.user.save(update_fields=["email"])
        for kind in self.kinds:
            Preference.objects.update_or_create(
                user=self.user,
                kind=kind.key,
                defaults={"email": self.cleaned_data[f"kind_{kind.key}"]},
            )

