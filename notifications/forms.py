from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.service import email_chosen, kinds_for, set_email_preference

AUDIENCE_HEADINGS = {
    "managers": gettext_lazy("As a cluster manager"),
    "organisers": gettext_lazy("As an event organiser"),
    "curators": gettext_lazy("As a curator"),
    "everyone": gettext_lazy("For everyone"),
    # Failed jobs (curation.job_alerts): told to curators and organisers alike.
    "curators and organisers": gettext_lazy("As a curator or event organiser"),
}


class PreferencesForm(forms.Form):
    """The person's e-mail address and, per kind of message, e-mail on/off. The inbox always
    gets every message. Changing the address asks for the password: it is also where
    password-reset links go, so a borrowed session must not be able to redirect them."""

    email = forms.EmailField(
        required=False,
        max_length=254,
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("Leave it empty to get messages in your inbox only."),
    )
    password = forms.CharField(
        required=False,
        label=gettext_lazy("Your password"),
        help_text=gettext_lazy("Needed only when you change the address."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, request=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.fields["email"].initial = user.email
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.kinds = kinds_for(user=user)
        for kind in self.kinds:
            self.fields[f"kind_{kind.key}"] = forms.BooleanField(
                required=False,
                label=kind.label,
                initial=email_chosen(user=user, kind=kind.key),
            )

    def kind_groups(self) -> list[tuple[str, list]]:
        """The kinds' checkboxes under a heading per audience, managers' first."""
        order = list(AUDIENCE_HEADINGS)
        groups: dict[str, list] = {}
        ranked = sorted(
            self.kinds, key=lambda k: order.index(k.audience) if k.audience in order else 99
        )
        for kind in ranked:
            heading = str(AUDIENCE_HEADINGS.get(kind.audience, kind.audience.capitalize()))
            groups.setdefault(heading, []).append(self[f"kind_{kind.key}"])
        return list(groups.items())

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data.get("email") or "").strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        new = cleaned.get("email")
        if "email" in cleaned and new.lower() != (self.user.email or "").lower():
            self._check_password(cleaned.get("password") or "")
        return cleaned

    def _check_password(self, password: str) -> None:
        if not self.user.has_usable_password():
            return
        if not password:
            self.add_error("password", _("Enter your password to change your e-mail address."))
            return
        # Through authenticate(), so that wrong tries count towards the log-in lockout.
        checked = authenticate(self.request, username=self.user.get_username(), password=password)
        if getattr(self.request, "axes_locked_out", False):
            self.add_error(
                "password",
                _("Too many wrong passwords: this account is locked for a while. Try again later."),
            )
        elif checked is None or checked.pk != self.user.pk:
            self.add_error("password", _("This is not your password."))

    def save(self) -> None:
        with transaction.atomic():
            if self.cleaned_data["email"] != self.user.email:
                self.user.email = self.cleaned_data["email"]
                self.user.save(update_fields=["email"])
            for kind in self.kinds:
                set_email_preference(
                    user=self.user, kind=kind.key, email=self.cleaned_data[f"kind_{kind.key}"]
                )
