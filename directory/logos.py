"""Actors' logos: an upload is checked by its content, re-encoded and stored under a random name.

Nothing of the uploaded file reaches a visitor: only the pixels survive, redrawn as a PNG of at
most 512 x 512 without metadata, so a file that pretends to be an image (HTML, SVG with script,
a polyglot) or carries EXIF (a camera's GPS position) is either refused or reduced to pixels.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from common.history import history_attribute
from directory.models import Actor

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_SOURCE_SIDE = 4000
STORED_SIDE = 512
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
LOGO_DIR = "logos"


@dataclass(frozen=True)
class Logo:
    content: bytes
    width: int
    height: int


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="logo")


def _not_an_image() -> ValidationError:
    return _refuse(
        _("This file is not a PNG, JPEG or WebP image. SVG is not accepted: it can carry script.")
    )


def _damaged() -> ValidationError:
    return _refuse(_("This image is damaged or incomplete. Save it again and upload the new file."))


def _accepted_signature(data: bytes) -> bool:
    """The file begins as a PNG, JPEG or WebP file does (WebP: "RIFF", a size, "WEBP")."""
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def _opened(data: bytes) -> Image.Image:
    # Only these decoders may look at the bytes: whatever the name or Content-Type says.
    # Pillow's own bomb limit only warns below twice its size; the side check below decides.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ValidationError:
    if width is None:
        return _refuse(
            _("This image has too many pixels; a logo may be at most %(max)s × %(max)s pixels.")
            % {"max": MAX_SOURCE_SIDE}
        )
    return _refuse(
        _(
            "This image is %(width)s × %(height)s pixels; a logo may be at most "
            "%(max)s × %(max)s pixels."
        )
        % {"width": width, "height": height, "max": MAX_SOURCE_SIDE}
    )


# EXIF orientation -> the turn that shows the picture upright.
_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright(image: Image.Image) -> Image.Image:
    # Not ImageOps.exif_transpose: it also rewrites the EXIF block, and a camera's malformed
    # tag (text where a number belongs) makes that raise TypeError or struct.error, a server
    # error for the uploader. Only the orientation is read; the metadata is dropped anyway.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about corrupt EXIF it skips
        orientation = image.getexif().get(0x0112)
    turn = _TURNS.get(orientation) if isinstance(orientation, int) else None
    return image.transpose(turn) if turn is not None else image


def logo_reencode(*, data: bytes) -> Logo:
    """The upload as a clean PNG, or a ValidationError saying why not (nothing stored)."""
    logo_check_size(size=len(data))
    try:
        image = _opened(data)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        # A PNG whose header is broken is still a PNG to its owner: say it is damaged.
        raise (_damaged() if _accepted_signature(data) else _not_an_image()) from None
    except (OSError, SyntaxError, ValueError):
        raise _damaged() from None
    width, height = image.size
    # The header's size is read before any pixel is decoded: a small file that unpacks to
    # gigabytes (a decompression bomb) stops here.
    if width > MAX_SOURCE_SIDE or height > MAX_SOURCE_SIDE:
        raise _too_many_pixels(width, height)
    try:
        image.verify()  # checksums and structure, where the format has them
        image = _opened(data)
        image.load()  # a truncated file fails here
        image = _upright(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _damaged() from None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((STORED_SIDE, STORED_SIDE), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: no EXIF, ICC profile, text chunks or comments.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return Logo(content=out.getvalue(), width=clean.width, height=clean.height)


def logo_check_size(*, size: int) -> None:
    """Refuse an upload by its size before reading it."""
    if size > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("The file is %(size)s; a logo may be at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(MAX_UPLOAD_BYTES)}
        )


def _remove_later(name: str) -> None:
    # After the commit: a rolled-back change keeps its file, a committed one leaves none behind.
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def logo_replace(*, actor: Actor, data: bytes, user) -> Actor:
    """Store the re-encoded logo under a new random name and point the actor at it."""
    logo = logo_reencode(data=data)
    name = default_storage.save(
        f"{LOGO_DIR}/{secrets.token_hex(16)}.png", ContentFile(logo.content)
    )
    try:
        with transaction.atomic():
            actor = Actor.objects.select_for_update().get(pk=actor.pk)
            old = actor.logo.name
            actor.logo.name = name
            history_attribute(actor, user=user, reason="logo replaced" if old else "logo added")
            actor.save(update_fields=["logo", "updated_at"])
            _remove_later(old)
    except Exception:
        default_storage.delete(name)
        raise
    return actor


def logo_remove(*, actor: Actor, user) -> Actor:
    with transaction.atomic():
        actor = Actor.objects.select_for_update().get(pk=actor.pk)
        old = actor.logo.name
        if not old:
            return actor
        actor.logo.name = ""
        history_attribute(actor, user=user, reason="logo removed")
        actor.save(update_fields=["logo", "updated_at"])
        _remove_later(old)
    return actor


def logo_version(actor: Actor) -> str:
    """Changes with every new logo (its random file name), for the address and the ETag."""
    name = actor.logo.name or ""
    return name.rsplit("/", 1)[-1].removesuffix(".png")[:12]


__all__ = [
    "MAX_UPLOAD_BYTES",
    "Logo",
    "logo_check_size",
    "logo_reencode",
    "logo_remove",
    "logo_replace",
    "logo_version",
]
