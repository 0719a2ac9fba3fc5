"""Logos: uploaded by the profile's managers and curators, checked by content, re-encoded, served
by a view with safe headers."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from directory.models import Actor


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list[Path]:
    folder = Path(media) / "logos"
    return sorted(folder.iterdir()) if folder.exists() else []


def image_bytes(fmt="PNG", size=(800, 400), color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Maker"  # Make
    exif[0x8825] = {2: (37.0, 33.0, 59.0)}  # GPS latitude
    return image_bytes("JPEG", size=(1200, 900), exif=exif.tobytes())


def upload(client, actor, data: bytes, name="logo.png", content_type="image/png"):
    return client.post(
        reverse("actor_logo_edit", args=[actor.slug]),
        {"logo": SimpleUploadedFile(name, data, content_type=content_type)},
    )


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (image_bytes("PNG", size=(2000, 1000)), "big.png"),
        (image_bytes("WEBP", size=(300, 600)), "logo.webp"),
        (jpeg_with_exif(), "photo.jpg"),
    ],
)
def test_a_manager_uploads_a_logo_stored_as_a_small_clean_png(client, cast, media, data, name):
    client.force_login(cast.manager)
    response = upload(client, cast.actor, data, name=name, content_type="application/octet-stream")
    assert response.status_code == 302
    cast.actor.refresh_from_db()
    [stored] = stored_files(media)
    assert cast.actor.logo.name == f"logos/{stored.name}"
    assert stored.suffix == ".png" and Path(name).stem not in stored.name
    with Image.open(stored) as image:
        assert image.format == "PNG"
        assert max(image.size) == min(512, max(Image.open(io.BytesIO(data)).size))
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info
    assert b"Secret Camera Maker" not in stored.read_bytes()
    # aspect ratio kept
    with Image.open(io.BytesIO(data)) as original, Image.open(stored) as image:
        assert abs(original.width / original.height - image.width / image.height) < 0.02
    latest = cast.actor.history.first()
    assert latest.history_user == cast.manager and latest.history_change_reason == "logo added"


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def truncated_png() -> bytes:
    data = image_bytes("PNG", size=(600, 600))
    return data[: len(data) // 2]


def bomb_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (svg(), "logo.svg", "This file is not a PNG, JPEG or WebP image. SVG is not accepted"),
        (
            b"<html><body><script>alert(1)</script></body></html>",
            "logo.png",
            "This file is not a PNG, JPEG or WebP image.",
        ),
        (truncated_png(), "logo.png", "This image is damaged or incomplete."),
        (
            bomb_png(),
            "logo.png",
            "This image is 10000 × 10000 pixels; a logo may be at most 4000 × 4000 pixels.",
        ),
        (b"\x89PNG" + b"0" * (3 * 1024 * 1024), "logo.png", "a logo may be at most 2.0"),
    ],
    ids=["svg", "html-renamed-png", "truncated-png", "decompression-bomb", "3-mb"],
)
def test_refused_files_say_why_and_store_nothing(client, cast, media, data, name, message):
    client.force_login(cast.manager)
    response = upload(client, cast.actor, data, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    cast.actor.refresh_from_db()
    assert not cast.actor.logo
    assert stored_files(media) == []
    assert not cast.actor.history.filter(history_change_reason__startswith="logo").exists()


def test_another_managers_actor_is_forbidden(client, cast, media):
    client.force_login(cast.other_manager)
    assert upload(client, cast.actor, image_bytes()).status_code == 403
    assert client.get(reverse("actor_logo_edit", args=[cast.actor.slug])).status_code == 403
    assert stored_files(media) == []


def test_anonymous_visitors_are_sent_to_log_in(client, cast, media):
    response = upload(client, cast.actor, image_bytes())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert stored_files(media) == []


def test_a_curator_uploads_for_any_actor(client, cast, media):
    client.force_login(cast.curator)
    assert upload(client, cast.korean, image_bytes()).status_code == 302
    cast.korean.refresh_from_db()
    assert cast.korean.logo


def test_served_with_safe_headers_and_a_version(client, cast):
    client.force_login(cast.manager)
    upload(client, cast.actor, image_bytes())
    client.logout()
    page = client.get(cast.actor.get_absolute_url()).content.decode()
    src = page.split('<img class="profile-logo" src="')[1].split('"')[0]
    assert src.startswith(f"/actors/{cast.actor.slug}/logo.png?v=")
    assert f'src="{src}" alt="{cast.actor.name}"' in page
    response = client.get(src.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{cast.actor.slug}-logo.png"'
    assert "immutable" in response["Cache-Control"] and "public" in response["Cache-Control"]
    etag = response["ETag"]
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).format == "PNG"
    # without the version the address must be checked again; a known ETag is a 304
    plain = client.get(reverse("actor_logo", args=[cast.actor.slug]))
    assert "no-cache" in plain["Cache-Control"]
    again = client.get(reverse("actor_logo", args=[cast.actor.slug]), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_a_cards_logo_in_the_directory_list(client, cast):
    client.force_login(cast.manager)
    upload(client, cast.actor, image_bytes())
    html = client.get(reverse("actor_list")).content.decode()
    assert f'<img class="card-logo" src="/actors/{cast.actor.slug}/logo.png?v=' in html


def test_a_drafts_logo_is_hidden_from_visitors(client, cast):
    client.force_login(cast.curator)
    upload(client, cast.actor, image_bytes())
    Actor.objects.filter(pk=cast.actor.pk).update(status="draft")
    response = client.get(reverse("actor_logo", args=[cast.actor.slug]))
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    client.logout()
    assert client.get(reverse("actor_logo", args=[cast.actor.slug])).status_code == 404
    client.force_login(cast.other_manager)
    assert client.get(reverse("actor_logo", args=[cast.actor.slug])).status_code == 404


def test_replacing_removes_the_old_file_and_changes_the_address(
    client, cast, media, django_capture_on_commit_callbacks
):
    client.force_login(cast.manager)
    upload(client, cast.actor, image_bytes(color=(0, 0, 255)))
    [first] = stored_files(media)
    page = client.get(cast.actor.get_absolute_url()).content.decode()
    old_src = page.split("logo.png?v=")[1][:12]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cast.actor, image_bytes(color=(0, 255, 0)))
    [second] = stored_files(media)
    assert second != first and not first.exists()
    page = client.get(cast.actor.get_absolute_url()).content.decode()
    assert f"logo.png?v={old_src}" not in page
    with Image.open(second) as image:
        assert image.convert("RGB").getpixel((0, 0)) == (0, 255, 0)
    assert cast.actor.history.first().history_change_reason == "logo replaced"


def test_remove_logo(client, cast, media, django_capture_on_commit_callbacks):
    client.force_login(cast.manager)
    upload(client, cast.actor, image_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actor_logo_delete", args=[cast.actor.slug]))
    assert response.status_code == 302
    cast.actor.refresh_from_db()
    assert not cast.actor.logo and stored_files(media) == []
    assert client.get(reverse("actor_logo", args=[cast.actor.slug])).status_code == 404
    assert cast.actor.history.first().history_change_reason == "logo removed"


def test_the_edit_page_offers_the_logo_form_in_korean(client, cast):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    client.force_login(cast.manager)
    html = client.get(reverse("actor_edit", args=[cast.actor.slug])).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert f'action="/actors/{cast.actor.slug}/logo/"' in html
    assert "로고 업로드" in html
    response = upload(client, cast.actor, svg(), name="logo.svg")
    assert "SVG" in response.content.decode() and "스크립트" in response.content.decode()
