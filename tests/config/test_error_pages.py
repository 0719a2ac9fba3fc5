"""Errors are shown in the site's own layout, in words, never as a bare server page."""

from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def test_a_missing_page_says_so_in_the_site_layout(client, db, settings):
    settings.DEBUG = False
    response = client.get("/actors/no-such-actor/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'class="topbar"' in html and "Browse the directory" in html


def test_an_expired_form_explains_that_nothing_changed(db, settings):
    settings.DEBUG = False
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html and "Nothing was changed." in html


def test_a_server_error_page_needs_nothing_that_could_fail_again(db):
    # Rendered without a request context, as Django does when the error may be in the
    # context processors themselves.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and "nothing was saved" in html
    assert "Traceback" not in html
