"""The Korean translation stays complete, and the language switch works (docs/i18n.md).

1. Every `{% translate %}` and `{% blocktranslate %}` of every template of the project has a
   Korean translation in the compiled catalogues: the msgids are read from Django's own parse of
   each template (the nodes that render them), not guessed by a regular expression.
2. No template shows English outside those tags: the text between tags, and the attributes a
   person reads (title, alt, placeholder, aria-label, a button's value), hold no English words.
3. Every catalogue (.po) of the project is finished: no empty translation, nothing fuzzy, the
   same placeholders and markup as the English.
4. The language switch: Korean from the next page on, remembered in the cookie and, for a
   signed-in person, in their account (so it follows them to another browser); a bad language
   code changes nothing; it never sends anyone to another site.

Each failure names the file and the message, so that it says what to do.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template import Template, engines
from django.template.base import TextNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, time_format

from notifications.models import UserLanguage
from tests.factories import TEST_PASSWORD, ActorFactory, UserFactory

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "var", "node_modules", ".git"}
TEMPLATE_SUFFIXES = {".html", ".txt"}


# -- where the templates and catalogues are -----------------------------------------------------


def template_areas() -> dict[str, Path]:
    """'root' for templates/, then each of the project's apps that has templates."""
    areas = {"root": ROOT / "templates"}
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.parent == ROOT and (path / "templates").is_dir():
            areas[config.label] = path / "templates"
    return areas


AREAS = template_areas()


def templates_of(area: str) -> list[Path]:
    return sorted(
        path
        for path in AREAS[area].rglob("*")
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
    )


def catalogues() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("locale/*/LC_MESSAGES/*.po")
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
    )


def parsed(path: Path) -> Template:
    """Django's own parse of the file (its {% load %}s included), without rendering it."""
    return Template(path.read_text(encoding="utf-8"), engine=engines["django"].engine)


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT))


# -- 1. every template message has a Korean translation -----------------------------------------


def _literal(expression) -> str | None:
    """The text of a quoted string argument ("Open", context "event status"), else None."""
    if expression is None:
        return None
    var = expression.var
    if isinstance(var, str):
        return var
    return getattr(var, "literal", None) if isinstance(getattr(var, "literal", None), str) else None


def template_messages(template: Template) -> list[tuple[int, str | None, str, str | None]]:
    """(line, context, msgid, plural msgid) of each translation tag, as makemessages sees it."""
    found = []
    for node in template.nodelist.get_nodes_by_type(TranslateNode):
        msgid = _literal(node.filter_expression)
        if msgid is not None:  # {% translate some_variable %} has no msgid of its own
            found.append((node.token.lineno, _literal(node.message_context), msgid, None))
    for node in template.nodelist.get_nodes_by_type(BlockTranslateNode):
        singular, _vars = node.render_token_list(node.singular)
        plural = node.render_token_list(node.plural)[0] if node.plural else None
        found.append((node.token.lineno, _literal(node.message_context), singular, plural))
    return found


@functools.cache
def _project_translations() -> frozenset[tuple[str | None, str]]:
    """(context, msgid) translated in a catalogue of the project: a Korean text may be the same
    as the English (a name, an acronym), which gettext alone cannot tell from a missing one."""
    done = set()
    for path in catalogues():
        if path.parent.parent.name != "ko":
            continue
        with path.open("rb") as handle:
            for message in read_po(handle, locale="ko"):
                strings = [message.string] if isinstance(message.string, str) else message.string
                if message.id and all(strings) and not message.fuzzy:
                    msgid = message.id if isinstance(message.id, str) else message.id[0]
                    done.add((message.context, msgid))
    return frozenset(done)


def untranslated(context: str | None, msgid: str, plural: str | None) -> bool:
    with translation.override("ko"):
        if plural is None:
            korean = [
                translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            ]
            english = [msgid]
        else:
            korean = [
                translation.npgettext(context, msgid, plural, n)
                if context
                else translation.ngettext(msgid, plural, n)
                for n in (1, 5)
            ]
            english = [msgid, plural]
    if all(k != e for k, e in zip(korean, english, strict=True)):
        return False
    return (context, msgid) not in _project_translations()


def missing_translations(area: str) -> list[str]:
    missing = []
    for path in templates_of(area):
        for line, context, msgid, plural in template_messages(parsed(path)):
            if untranslated(context, msgid, plural):
                where = f"{shown(path)}:{line}"
                label = f"[{context}] {msgid!r}" if context else repr(msgid)
                missing.append(f"{where}: {label}")
    return missing


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_template_message_has_a_korean_translation(area):
    missing = missing_translations(area)
    assert not missing, (
        f"{len(missing)} template message(s) without a Korean translation; run "
        f"`scripts/make-messages {area}`, translate them in the .po and compile "
        "(docs/i18n.md):\n" + "\n".join(missing)
    )


def test_the_check_finds_a_message_nobody_translated(tmp_path):
    # The test above must be able to fail: a made-up message in a made-up template.
    path = tmp_path / "page.html"
    path.write_text(
        '{% load i18n %}{% translate "Log out" %}<p>{% translate "A sentence nobody wrote" %}</p>'
        "{% blocktranslate trimmed count n=3 %}One fig{% plural %}{{ n }} figs"
        "{% endblocktranslate %}"
        '{% translate "Previous" context "a context nobody uses" %}',
        encoding="utf-8",
    )
    messages = template_messages(parsed(path))
    assert [(c, m, p) for _line, c, m, p in messages] == [
        (None, "Log out", None),
        (None, "A sentence nobody wrote", None),
        ("a context nobody uses", "Previous", None),
        (None, "One fig", "%(n)s figs"),
    ]
    assert [untranslated(c, m, p) for _line, c, m, p in messages] == [False, True, True, True]


# -- 2. no English outside the translation tags ------------------------------------------------

# Words that stay as they are in Korean too, each for a reason:
ALLOWED = [
    "Cluster Match",  # the product's name (docs/i18n.md: not translated)
    "EU·KR",  # the logo's two sides
    "EU",  # as Koreans write it too (EU–한국)
    "OpenAPI",  # the standard's name
    "API",
    "CSV",
    "XLSX",
    "JSON",
    "ICS",  # file formats and interfaces, written so on Korean pages too
    "MoU",  # kept in brackets after the Korean: 양해각서(MoU)
    "ECCP",
    "KICOX",
    "KIAT",  # the organisations' own names, used in Korean as they are
]
# Attributes a person reads or hears (a button's value only for submit-like inputs).
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
MARKER = "\u00a7"  # stands for a template tag or variable: no letters of its own
ATTRIBUTES_ONLY = re.compile(r"^[\s\u00a7]*[\w:-]+=[\"']")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


class _ReadText(HTMLParser):
    """The text a person reads in an HTML fragment: data outside <script>, <style> and code
    elements (machine names), and the attributes above."""

    SKIPPED = {"script", "style", "code", "kbd", "samp"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = {name: value or "" for name, value in attrs}
        for name, value in attrs.items():
            if name in READ_ATTRIBUTES or (name.startswith("data-") and _phrase(name, value)):
                self.parts.append(value)
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attrs.get("value", ""))
        if tag == "meta" and attrs.get("name") == "description":
            self.parts.append(attrs.get("content", ""))
        if tag in self.SKIPPED:
            self.skipping.append(tag)

    def handle_endtag(self, tag) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def _phrase(name: str, value: str) -> bool:
    """A data- attribute that hands a script words to show (data-label-..., or a phrase), not
    a machine value (data-slug, data-count="sectors")."""
    if any(word in name for word in ("label", "text", "message", "title", "word")):
        return True
    return bool(re.search(r"[A-Za-z]\s+[A-Za-z]", value))


def _flat_text(nodelist) -> list[str]:
    """The template's literal text in source order, each tag or variable replaced by MARKER."""
    out: list[str] = []
    for node in nodelist:
        if isinstance(node, TextNode):
            out.append(node.s)
            continue
        out.append(MARKER)
        for attribute in node.child_nodelists:
            inner = getattr(node, attribute, None)
            if inner:
                out.extend(_flat_text(inner))
                out.append(MARKER)
    return out


def english_outside_tags(path: Path, source: str | None = None) -> list[str]:
    template = parsed(path) if source is None else engines["django"].from_string(source).template
    text = "".join(_flat_text(template.nodelist))
    if ATTRIBUTES_ONLY.match(text):
        # A snippet included inside a tag (data-label="..." for a script): its attributes.
        text = f"<snippet {text}>"
    if path.suffix == ".html":
        reader = _ReadText()
        reader.feed(text)
        reader.close()
        pieces = reader.parts
    else:  # e-mail and message bodies are plain text
        pieces = [text]
    found = []
    for piece in pieces:
        for allowed in ALLOWED:
            piece = piece.replace(allowed, " ")
        piece = piece.replace(MARKER, " ")
        found.extend(ENGLISH_WORD.findall(piece))
    return found


@pytest.mark.parametrize("area", sorted(AREAS))
def test_no_template_shows_english_outside_translation_tags(area):
    problems = []
    for path in templates_of(area):
        words = english_outside_tags(path)
        if words:
            problems.append(f"{shown(path)}: {' '.join(dict.fromkeys(words))}")
    assert not problems, (
        "English words outside {% translate %}/{% blocktranslate %} (wrap them; docs/i18n.md):\n"
        + "\n".join(problems)
    )


def test_the_english_check_reads_text_and_attributes_but_not_code(tmp_path):
    path = tmp_path / "page.html"
    source = (
        '{% load i18n %}<a href="{% url "home" %}" class="button small" title="Go home">'
        '{% translate "Home" %}</a> <input type="submit" value="Save"> <input type="hidden" '
        'name="next" value="somewhere"><span data-slug="a-b" data-label-open="Open it">'
        "</span><code>slug</code> Cluster Match · CSV <p>{% if x %}Stray words{% endif %}</p>"
        "<script>var hidden = 1;</script><!-- a comment --> &amp; 12:30"
    )
    found = ["Go", "home", "Save", "Open", "it", "Stray", "words"]
    assert english_outside_tags(path, source) == found
    snippet = ' data-url="{{ u }}" data-zoom-label="{% translate "Zoom in" %}" title="Zoom out"'
    assert english_outside_tags(path, "{% load i18n %}" + snippet) == ["Zoom", "out"]


# -- the same two checks for the Jinja2 templates (<app>/jinja2/, common/jinja2.py) -------------


def jinja_templates() -> list[Path]:
    return sorted(
        path
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT and (Path(config.path) / "jinja2").is_dir()
        for path in (Path(config.path) / "jinja2").rglob("*.html")
    )


def jinja_messages(source: str) -> list[tuple[int, str]]:
    """(line, msgid) of each `_("...")` with a constant message, as makemessages reads it."""
    reader = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    return [
        (line, message)
        for line, _function, message in reader.extract_translations(source, ("_",))
        if isinstance(message, str)
    ]


def jinja_english_outside_calls(source: str) -> list[str]:
    """English words in a Jinja2 template's literal text and read attributes."""
    text = []
    for _line, kind, value in jinja2.Environment().lex(source):
        if kind == "data":
            text.append(value)
        elif kind in {"variable_begin", "block_begin"}:
            text.append(MARKER)
    reader = _ReadText()
    reader.feed("".join(text))
    reader.close()
    found = []
    for piece in reader.parts:
        for allowed in ALLOWED:
            piece = piece.replace(allowed, " ")
        found.extend(ENGLISH_WORD.findall(piece.replace(MARKER, " ")))
    return found


def test_the_project_has_jinja_templates_and_each_is_read():
    assert jinja_templates(), "no template under an app's jinja2/ folder: remove these checks"


@pytest.mark.parametrize("path", jinja_templates(), ids=shown)
def test_every_jinja_template_message_has_a_korean_translation(path):
    source = path.read_text(encoding="utf-8")
    # A template may have no message of its own (the actor cards show only the profiles'
    # words and the models' labels): then only its stray English is checked.
    messages = jinja_messages(source)
    missing = [f"{shown(path)}:{line}: {msgid!r}" for line, msgid in messages
               if untranslated(None, msgid, None)]  # fmt: skip
    assert not missing, "Jinja2 message(s) without a Korean translation:\n" + "\n".join(missing)
    words = jinja_english_outside_calls(source)
    assert not words, f"{shown(path)}: English outside _(...): {' '.join(dict.fromkeys(words))}"


def test_the_jinja_checks_find_an_untranslated_message_and_stray_english():
    source = (
        '{# a note #}<a title="Go home" href="{{ url("home") }}">{{ _("Home") }}</a>'
        '{% if x %}Stray words{% endif %} {{ _("Nobody translated this sentence") }}'
    )
    assert [m for _line, m in jinja_messages(source)] == ["Home", "Nobody translated this sentence"]
    assert untranslated(None, "Nobody translated this sentence", None)
    assert jinja_english_outside_calls(source) == ["Go", "home", "Stray", "words"]


# -- 3. the catalogues are finished ---------------------------------------------------------------

NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")
MARKUP = re.compile(r"</?[A-Za-z][^>]*>")


def markup(text: str) -> tuple[set[str], dict[str, int]]:
    """The tags written (attributes included) and, per element, openings minus closings: a
    translation may repeat a tag (Korean word order can split a <strong>), not change or
    unbalance one."""
    tags = MARKUP.findall(text)
    balance: dict[str, int] = {}
    for tag in tags:
        name = re.match(r"</?([A-Za-z][\w-]*)", tag).group(1).lower()
        balance[name] = balance.get(name, 0) + (-1 if tag.startswith("</") else 1)
    return set(tags), balance


def placeholders(text: str) -> tuple[set[str], list[str]]:
    return set(NAMED.findall(text)), sorted(c for c in POSITIONAL.findall(text) if c != "%")


def catalogue_problems(path: Path) -> list[str]:
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=path.parent.parent.name, abort_invalid=True)
    problems = []
    if catalogue.fuzzy:
        problems.append("the header is marked fuzzy (remove '#, fuzzy' above msgid \"\")")
    if path.parent.parent.name == "ko" and catalogue.num_plurals != 1:
        problems.append("Plural-Forms must be 'nplurals=1; plural=0;' for Korean")
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        label = f"line {message.lineno}: {ids[0][:70]!r}"
        if message.fuzzy:
            problems.append(f"{label} is fuzzy: check the translation, then remove the flag")
        if not all(strings):
            problems.append(f"{label} has no translation")
            continue
        expected_named = set().union(*(placeholders(i)[0] for i in ids))
        expected_positional = placeholders(ids[-1])[1]
        english_markup = markup(ids[-1])
        for string in strings:
            named, positional = placeholders(string)
            if named != expected_named or positional != expected_positional:
                problems.append(
                    f"{label}: placeholders {sorted(named) + positional} in the translation, "
                    f"{sorted(expected_named) + expected_positional} in the English"
                )
            if "{{" in string and "{{" not in ids[0]:
                problems.append(f"{label}: '{{{{ x }}}}' in a translation is never filled in")
            if markup(string) != english_markup:
                problems.append(f"{label}: the translation's markup differs from the English")
            if '"' in string and not any('"' in i for i in ids):
                problems.append(f'{label}: a straight quote (") would end an HTML attribute')
    return problems


def test_the_project_has_catalogues():
    assert ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po" in catalogues()


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalogue_is_complete_and_keeps_its_placeholders(path):
    problems = catalogue_problems(path)
    assert not problems, f"{shown(path)}:\n" + "\n".join(problems)


def test_the_catalogue_check_finds_what_would_break_a_page(tmp_path):
    po = tmp_path / "ko" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guessed"\nmsgstr "추측"\n\n'
        'msgid "Edit %(name)s"\nmsgstr "%(nom)s 수정"\n\n'
        'msgid "<a href=\\"%(url)s\\">Open</a>"\nmsgstr "<a href=\\"%(url)s\\">열기"\n\n'
        'msgid "<strong>Two</strong> words"\nmsgstr "<strong>둘</strong> <strong>단어</strong>"\n\n'
        'msgid "%(count)s meeting"\nmsgid_plural "%(count)s meetings"\nmsgstr[0] "미팅"\n',
        encoding="utf-8",
    )
    problems = "\n".join(catalogue_problems(po))
    assert "'Empty' has no translation" in problems
    assert "'Guessed' is fuzzy" in problems
    assert "placeholders ['nom'] in the translation, ['name'] in the English" in problems
    assert "'<a href=\"%(url)s\">Open</a>': the translation's markup differs" in problems
    assert "Two" not in problems  # a tag repeated for Korean word order is fine
    assert "placeholders [] in the translation, ['count'] in the English" in problems


# -- 4. the language switch -----------------------------------------------------------------------

SWITCH = "/i18n/setlang/"


def korean(client: Client, *, next_url: str = "/") -> object:
    return client.post(SWITCH, {"language": "ko", "next": next_url})


def sign_in(client: Client, username: str) -> object:
    """Through the login form, as a person does (the sign-in signal sees the real request)."""
    return client.post(
        reverse("login"), {"username": username, "password": TEST_PASSWORD, "next": "/actors/"}
    )


def test_reverse_gives_the_switch_its_address():
    assert reverse("set_language") == SWITCH


@pytest.mark.django_db
def test_every_page_offers_the_switch_back_to_the_same_address(client):
    html = client.get("/actors/?side=kr&q=bio").text
    assert f'action="{SWITCH}"' in html
    assert '<input type="hidden" name="next" value="/actors/?side=kr&amp;q=bio">' in html
    # Each language by its own name; the current one marked, not a button.
    assert '<span class="current" lang="en" aria-current="true">English</span>' in html
    assert 'name="language" value="ko" lang="ko">한국어</button>' in html


@pytest.mark.django_db
def test_korean_from_the_next_page_on_with_the_cookie_set(client):
    assert '<html lang="en">' in client.get("/").text
    response = korean(client, next_url="/actors/?side=kr")
    assert response.status_code == 302 and response["Location"] == "/actors/?side=kr"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    html = client.get(response["Location"]).text
    assert '<html lang="ko">' in html
    assert ">디렉터리</a>" in html and ">한국 기관</a>" in html and ">로그인</a>" in html
    assert ">Directory</a>" not in html and ">Log in</a>" not in html
    assert '<span class="current" lang="ko" aria-current="true">한국어</span>' in html
    # Another page: still Korean (the cookie, not the address, carries the language).
    assert '<html lang="ko">' in client.get("/accounts/login/").text
    # And back to English.
    client.post(SWITCH, {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").text


@pytest.mark.django_db
def test_a_signed_in_persons_choice_follows_them_to_another_browser(client):
    person = UserFactory(username="minji")
    assert sign_in(client, "minji").status_code == 302
    korean(client)
    assert UserLanguage.objects.get(user=person).language == "ko"
    client.post(reverse("logout"))

    elsewhere = Client()  # another browser: no cookie, English until the person signs in
    assert '<html lang="en">' in elsewhere.get("/").text
    response = sign_in(elsewhere, "minji")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    html = elsewhere.get(response["Location"]).text
    assert '<html lang="ko">' in html and ">로그아웃</button>" in html

    # Switching back is stored too: the next sign-in is in English.
    elsewhere.post(SWITCH, {"language": "en", "next": "/"})
    assert UserLanguage.objects.get(user=person).language == "en"


@pytest.mark.django_db
def test_a_visitors_choice_is_kept_when_they_sign_in(client):
    person = UserFactory(username="visitor-first")
    korean(client)
    sign_in(client, "visitor-first")
    assert UserLanguage.objects.get(user=person).language == "ko"
    assert '<html lang="ko">' in client.get("/actors/").text


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["xx", "de", "", "ko-evil", "<script>", "en\x00"])
def test_a_bad_language_code_changes_nothing(client, code):
    person = UserFactory(username="steady")
    client.force_login(person)
    response = client.post(SWITCH, {"language": code, "next": "/actors/"})
    if code == "en\x00":  # refused by the site's net under every form, in words
        assert response.status_code == 400
    else:
        assert response.status_code == 302 and response["Location"] == "/actors/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert not UserLanguage.objects.filter(user=person).exists()
    assert '<html lang="en">' in client.get("/actors/").text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "elsewhere",
    ["https://evil.example/", "//evil.example/path", "http://testserver.evil.example/", "\\\\evil"],
)
def test_the_switch_never_sends_anyone_to_another_site(client, elsewhere):
    response = client.post(SWITCH, {"language": "ko", "next": elsewhere})
    assert response.status_code == 302 and response["Location"] == "/"
    bad = client.post(SWITCH, {"language": "xx", "next": elsewhere}, HTTP_REFERER=elsewhere)
    assert bad["Location"] == "/"


@pytest.mark.django_db
def test_without_next_the_switch_returns_to_the_page_it_was_on(client):
    response = client.post(SWITCH, {"language": "ko"}, HTTP_REFERER="http://testserver/events/")
    assert response["Location"] == "http://testserver/events/"


@pytest.mark.django_db
def test_opening_the_switch_address_changes_nothing(client):
    response = client.get(SWITCH + "?language=ko&next=/")
    assert response.status_code == 405
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# -- lang attributes, formats and the messages of the root catalogue -------------------------


def test_every_template_that_opens_a_page_gives_it_the_current_language():
    # base.html and the pages that do not extend it: the server error page, e-mails (in their
    # recipient's language, handed to the template), the API's documentation page.
    missing = []
    for area in AREAS:
        for path in templates_of(area):
            source = path.read_text(encoding="utf-8")
            if "<html" in source and not re.search(r'<html lang="\{\{ ?\w+ ?\}\}"', source):
                missing.append(shown(path))
    assert not missing, '<html lang="{{ LANGUAGE_CODE }}"> missing in: ' + ", ".join(missing)


@pytest.mark.django_db
def test_the_api_documentation_page_says_its_language_too(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    assert '<html lang="ko">' in client.get(reverse("api:docs")).text


@pytest.mark.django_db
def test_error_pages_speak_the_visitors_language(client, settings):
    settings.DEBUG = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    html = client.get("/actors/no-such-actor/").text
    assert '<html lang="ko">' in html and "<h1>페이지를 찾을 수 없음</h1>" in html
    assert "Page not found" not in html

    refused = client.get("/actors/?q=a%00b")
    assert refused.status_code == 400
    said = "“q” 필드: 저장할 수 없는 NUL 문자가 들어 있습니다. 변경된 내용은 없습니다."
    assert said in refused.text

    english = Client().get("/actors/?q=a%00b").text
    said = "The field “q” contains a NUL character, which cannot be stored. Nothing was changed."
    assert said in english


def test_the_server_error_page_is_in_the_active_language(rf):
    from django.views.defaults import server_error

    with translation.override("ko"):
        html = server_error(rf.get("/")).content.decode()
    assert '<html lang="ko">' in html and "사이트에서 문제가 발생했습니다" in html


def test_dates_follow_the_language_korean_from_djangos_own_locale():
    moment = dt.datetime(2026, 12, 7, 15, 9)
    with translation.override("en"):
        assert date_format(moment.date()) == "7 Dec 2026"
        assert date_format(moment, "DATETIME_FORMAT") == "7 Dec 2026, 15:09"
        assert time_format(moment.time()) == "15:09"
    with translation.override("ko"):
        assert date_format(moment.date()) == "2026년 12월 7일"
        assert time_format(moment.time()) == "오후 3:09"


def test_stored_messages_of_common_are_written_in_the_active_language():
    from common.import_report import ImportReport
    from common.spreadsheet_read import TableError, read_sheet
    from common.text import field_problem

    with translation.override("ko"):
        assert field_problem("이름", "a\nb", multiline=False) == "이름: 한 줄로 입력해야 합니다."
        report = ImportReport(filename="actors.csv")
        report.add("값이 올바르지 않습니다", row=4, column="kind")
        assert report.errors == ["4행, kind 열: 값이 올바르지 않습니다"]
        assert report.summary() == "문제 1건이 발견되어 아무것도 저장되지 않았습니다."
        with pytest.raises(TableError, match="첫 행에 열 이름이 있어야 합니다"):
            read_sheet(data=b"\n\n", filename="empty.csv")
    with translation.override("en"):
        assert field_problem("Name", "a\nb", multiline=False) == "Name must be on one line."


@pytest.mark.django_db
def test_bilingual_names_put_the_pages_language_first():
    actor = ActorFactory(name="Korea Industrial Complex Corporation", name_ko="한국산업단지공단")
    plain = ActorFactory(name="Lyon Biopole")
    template = engines["django"].from_string(
        "{% load bilingual %}{% bilingual_name actor %}|{% bilingual_name plain %}|"
        '<p{{ "ko"|lang_attr }}>x</p><p{{ "en"|lang_attr }}>y</p>'
    )
    context = {"actor": actor, "plain": plain}
    with translation.override("en"):
        assert template.render(context) == (
            'Korea Industrial Complex Corporation <span class="name-alt" lang="ko">'
            '한국산업단지공단</span>|Lyon Biopole|<p lang="ko">x</p><p>y</p>'
        )
    with translation.override("ko"):
        assert template.render(context) == (
            '한국산업단지공단 <span class="name-alt" lang="en">Korea Industrial Complex '
            'Corporation</span>|Lyon Biopole|<p>x</p><p lang="en">y</p>'
        )


@pytest.mark.django_db
def test_a_signed_in_korean_reader_sees_the_header_in_korean(client):
    person = get_user_model().objects.create_user("jiho", password=TEST_PASSWORD)
    UserLanguage.objects.create(user=person, language="ko")
    sign_in(client, "jiho")
    html = client.get("/").text
    assert 'title="jiho(으)로 로그인됨: 비밀번호 변경"' in html
    assert ">행사</a>" in html and '<span class="visually-hidden">알림함</span>' in html
