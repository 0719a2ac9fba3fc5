"""Every form of the site against hostile and careless input, generated from the pages.

Each role opens every page it may see (the URL configuration, as in test_url_permissions),
collects every form on it, and sends each form back with hostile text in its fields: NUL and
control characters, a broken encoding, 100,000 characters, Hangul, right-to-left text, huge and
non-ASCII digits. No answer may be a server error, and where the answer is a refusal (a 4xx,
or the form shown again with its errors) the database must be as it was. A new form is covered
the day it appears on a page, without a new test.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.apps import apps
from django.test import Client

from tests.test_url_permissions import (
    EXPECTED_GET,
    client_as,
    named_routes,
    url_for,
)

# Sent as raw bytes where the text itself cannot be encoded (a lone surrogate).
BROKEN_UTF8 = "%ED%A0%80"
HOSTILE = {
    "nul": "kfri\x00",
    "controls": "Daegu\x01\x0bWater\x1b",
    "broken encoding": BROKEN_UTF8,
    "huge": "가" * 100_000,
    "hangul": "대구 물 클러스터 협력",
    "right-to-left": "\u202eطسوتم ةيمنت\u202c",
    "huge number": "99999999999999999999999",
    "non-ASCII digits": "²٣",
    "negative": "-1",
    "far date": "0001-01-01",
}
# Pages whose forms log the visitor out or throttle log-ins: fuzzing them would end the
# session or lock the account the rest of the run needs.
SKIPPED_ACTIONS = ("/accounts/logout/", "/accounts/login/", "/admin/logout/")
ROLES = ("anonymous", "owner", "organiser", "curator")


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: bool = False


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_option: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self.forms.append(Form(method=method, action=a.get("action") or ""))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                form.files = True
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.setdefault(name, []).append(a.get("value") or "on")
                else:
                    form.fields.setdefault(name, [])
            elif kind not in ("submit", "button", "image", "reset"):
                form.fields.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            form.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            self._first_option.setdefault(self._select, value)
            if "selected" in a:
                form.fields[self._select].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields.setdefault(name, [""])
        elif tag == "button" and name:
            form.fields.setdefault(name, []).append(a.get("value") or "")

    def handle_data(self, data) -> None:
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] = [data]

    def handle_endtag(self, tag) -> None:
        if tag == "select" and self._select and self.forms:
            values = self.forms[-1].fields[self._select]
            if not values and self._select in self._first_option:
                values.append(self._first_option[self._select])
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(client: Client, url: str) -> list[Form]:
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser()
    parser.feed(response.content.decode())
    for form in parser.forms:
        form.action = urljoin(url, form.action) if form.action else url
    return parser.forms


def fingerprint() -> str:
    """Every row of every table of the product's apps, hashed: any change shows."""
    digest = hashlib.sha256()
    for app in ("directory", "matching", "events", "auth"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue  # written only beside a change to the model itself
            for row in model.objects.order_by("pk").values_list():
                digest.update(repr(row).encode("utf-8", errors="backslashreplace"))
    return digest.hexdigest()


@functools.lru_cache(maxsize=256)
def _quoted(value: str) -> str:
    # Quoted once per value: the 100,000-character one is sent many times.
    return value if value == BROKEN_UTF8 else quote(value, safe="")


def encode(fields: dict[str, list[str]]) -> str:
    return "&".join(
        f"{_quoted(name)}={_quoted(value)}" for name, values in fields.items() for value in values
    )


def send(client: Client, form: Form, fields: dict[str, list[str]]):
    body = encode(fields)
    if form.method == "post":
        return client.post(form.action, body, content_type="application/x-www-form-urlencoded")
    path = urlsplit(form.action).path
    return client.get(f"{path}?{body}")


# The admin's own pages are outside the URL test's map; these are the curator's main forms there.
ADMIN_PAGES = {
    "curator": [
        "/admin/directory/actor/add/",
        "/admin/directory/contactperson/add/",
        "/admin/directory/actor/?q=water&status__exact=published",
    ]
}


def reachable_forms(estate, role: str) -> dict[tuple[str, str, tuple[str, ...]], Form]:
    client = client_as(role, estate)
    found = {}
    pages = [
        url_for(name, estate)
        for name in sorted(named_routes())
        if not name.startswith("api:") and EXPECTED_GET[name][role] == 200
    ]
    for url in [*pages, *ADMIN_PAGES.get(role, [])]:
        for form in forms_on(client, url):
            if form.files or urlsplit(form.action).path.startswith(SKIPPED_ACTIONS):
                continue
            key = (form.method, urlsplit(form.action).path, tuple(sorted(form.fields)))
            found.setdefault(key, form)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_hostile_text_in_any_field_of_any_form_is_never_a_server_error(estate, role):
    client = client_as(role, estate)
    client.raise_request_exception = False
    forms = reachable_forms(estate, role)
    # The crawl really found the forms (counted on the demo estate).
    assert len(forms) >= {"anonymous": 2, "owner": 8, "organiser": 15, "curator": 10}[role]
    problems = []
    known = fingerprint()  # the database as the last accepted request left it
    for (method, path, names), form in forms.items():
        fuzzable = [n for n in names if n != "csrfmiddlewaretoken"]
        for label, value in HOSTILE.items():
            # Every field at once (a form validates all its fields); numbers also one numeric
            # field at a time, since an id that fails early can hide what a later one would do.
            variants = [dict.fromkeys(fuzzable, [value])]
            if label in ("huge number", "non-ASCII digits"):
                numeric = [n for n in fuzzable if any(v.isdigit() for v in form.fields[n])]
                variants += [{n: [value]} for n in numeric]
            for hostile in variants:
                fields = {**form.fields, **hostile}
                response = send(client, form, fields)
                status = response.status_code
                where = f"{method.upper()} {path} [{label} in {', '.join(hostile)}]"
                if status >= 500:
                    problems.append(f"{where}: {status}")
                if method == "get":
                    continue  # a GET changes nothing (test_url_permissions checks the rest)
                now = fingerprint()
                if (status >= 400 or status == 200) and now != known:
                    problems.append(f"{where}: refused with {status} but the database changed")
                known = now
    assert problems == [], "\n".join(p[:300] for p in problems)
