"""Hostile and confused users against logos, citations, the map, the structure page and the
statistics: what broke, kept broken no more."""

import io
import warnings
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from directory.models import Actor


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _no_cached_figures():
    cache.clear()
    yield
    cache.clear()


def camera_jpeg_with_a_malformed_tag() -> bytes:
    """A 40 x 20 photo to be turned upright (EXIF orientation 6) whose EXIF also holds text in a
    tag that must be a number (YResolution), as some cameras and editors write it."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees clockwise
    exif[0x010E] = "holiday photo"  # ImageDescription, text...
    raw = exif.tobytes()
    # ...now labelled YResolution (0x011b) while still typed text (2): malformed, not corrupt.
    raw = raw.replace(b"\x01\x0e\x00\x02", b"\x01\x1b\x00\x02", 1)
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="JPEG", exif=raw)
    return out.getvalue()


def test_a_photo_with_a_malformed_exif_tag_becomes_an_upright_logo(client, cast, media):
    # Before: Pillow's exif_transpose rewrote the EXIF block and raised TypeError (a 500).
    client.force_login(cast.manager)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        response = client.post(
            reverse("actor_logo_edit", args=[cast.actor.slug]),
            {"logo": SimpleUploadedFile("photo.jpg", camera_jpeg_with_a_malformed_tag())},
        )
    assert response.status_code == 302
    cast.actor.refresh_from_db()
    [stored] = sorted((Path(media) / "logos").iterdir())
    assert cast.actor.logo.name == f"logos/{stored.name}"
    with Image.open(stored) as logo:
        assert logo.format == "PNG"
        assert logo.size == (20, 40)  # turned upright
        assert not logo.getexif()


def test_a_korean_statistics_export_of_an_actor_with_a_slash_in_its_name(
    client, cast, settings, sectors
):
    # The Korean title starts with the actor's name; "/" (or ":", "?", "[") cannot stand in a
    # sheet's name, and openpyxl raised ValueError (a 500).
    Actor.objects.filter(pk=cast.actor.pk).update(name="Lyon / Grenoble: [Bio]?")
    cast.actor.sectors.set(sectors)
    client.force_login(cast.manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    response = client.get(
        reverse("insights_export", args=[f"candidates-{cast.actor.slug}", "xlsx"])
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    [name] = workbook.sheetnames
    assert name.startswith("Lyon   Grenoble")
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 1 + len(sectors)


def test_a_cited_address_with_a_backslash_is_not_named_after_another_site(client, cast):
    # Browsers read "\" as "/": this address leads to evil.example. Named "trusted.org" it would
    # send readers to another site than the one the page names.
    Actor.objects.filter(pk=cast.actor.pk).update(
        source="https://evil.example\\@trusted.org/report; https://www.example.org/news"
    )
    page = client.get(cast.actor.get_absolute_url()).content.decode()
    assert ">trusted.org</a>" not in page
    assert "https://evil.example\\@trusted.org/report" in page  # shown as written
    assert '<a href="https://www.example.org/news" rel="noopener nofollow">example.org</a>' in page


def test_a_cited_address_with_a_direction_mark_is_shown_as_written(client, cast):
    Actor.objects.filter(pk=cast.actor.pk).update(source="https://evil.example\u202e/gro.tsurt")
    page = client.get(cast.actor.get_absolute_url()).content.decode()
    assert ">evil.example\u202e</a>" not in page
    assert "citation-text" in page


def test_restoring_a_version_from_before_a_logo_was_replaced_keeps_the_logo(
    client, cast, media, django_capture_on_commit_callbacks
):
    # The replaced logo's file is deleted after the commit; the version before still names it.
    # Restoring it pointed the profile at a missing file: a broken image for every visitor.
    def upload(colour):
        out = io.BytesIO()
        Image.new("RGB", (60, 60), colour).save(out, format="PNG")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("actor_logo_edit", args=[cast.actor.slug]),
                {"logo": SimpleUploadedFile("logo.png", out.getvalue())},
            )
        assert response.status_code == 302

    client.force_login(cast.curator)
    upload("red")
    cast.actor.refresh_from_db()
    cast.actor.city = "Villeurbanne"
    cast.actor.save()
    version = cast.actor.history.first()  # with the red logo
    upload("blue")
    cast.actor.refresh_from_db()
    blue = cast.actor.logo.name
    response = client.post(reverse("curation_restore", args=[version.history_id]), follow=True)
    assert "the logo of that version is no longer stored, so it keeps its logo" in (
        response.content.decode()
    )
    cast.actor.refresh_from_db()
    assert cast.actor.city == "Villeurbanne"
    assert cast.actor.logo.name == blue
    client.logout()
    logo = client.get(reverse("actor_logo", args=[cast.actor.slug]))
    assert logo.status_code == 200
    with Image.open(io.BytesIO(b"".join(logo.streaming_content))) as image:
        assert image.getpixel((0, 0)) == (0, 0, 255)


def test_a_png_with_a_broken_header_is_called_damaged_not_another_kind_of_file(client, cast):
    # A PNG whose header checksum is wrong: Pillow cannot identify it, and the page said "This
    # file is not a PNG, JPEG or WebP image" to someone holding a PNG.
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (10, 120, 10)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[29] ^= 0xFF  # inside the IHDR chunk, so its CRC no longer matches
    client.force_login(cast.manager)
    response = client.post(
        reverse("actor_logo_edit", args=[cast.actor.slug]),
        {"logo": SimpleUploadedFile("logo.png", bytes(data))},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This image is damaged or incomplete." in page
    assert "is not a PNG, JPEG or WebP image" not in page
    cast.actor.refresh_from_db()
    assert not cast.actor.logo
