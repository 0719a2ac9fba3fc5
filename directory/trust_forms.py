from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.logos import logo_check_size, logo_reencode


class LogoForm(forms.Form):
    """One image file; its bytes are judged by directory.logos, never its name or type."""

    logo = forms.FileField(
        label=_("Logo"),
        help_text=_(
            "A PNG, JPEG or WebP image of at most 2 MB and 4000 × 4000 pixels. It is shown at "
            "most 512 × 512 pixels; a square logo on a plain background looks best."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    def clean_logo(self) -> bytes:
        upload = self.cleaned_data["logo"]
        logo_check_size(size=upload.size)
        data = upload.read()
        # Decoded here so that a refused file shows its reason beside the field.
        logo_reencode(data=data)
        return data
