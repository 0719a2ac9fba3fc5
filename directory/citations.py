"""An actor's source text as citations a person can read.

The `source` field stays free text, exported and imported as it is written ("000_3ec0…txt
(Annex 5.4; section 1.3); https://example.org/news"). Pages never show the document keys: each
";"-separated part becomes a registered document with its locator, a web address named by its
site, or the free text as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from common.korean import has_hangul
from directory.demo_schema import FIXTURES
from directory.models import SourceDocument

SOURCES_FILE = FIXTURES / "sources.yaml"
# A seed document's name; one that is not registered is still never shown as a key.
SEED_KEY = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")
# A locator in brackets right after a key, one level of brackets inside allowed.
LOCATOR = re.compile(r"\s*\(((?:[^()]|\([^()]*\))*)\)")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
LINKABLE_SCHEMES = frozenset({"http", "https"})
# Words that join a note to the document it points at ("KIAT in 000_….txt").
NOTE_TAIL = re.compile(r"(?:\s+(?:in|from|see))+$", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    kind: str  # "document", "web" or "text"
    title: str = ""
    publisher: str = ""
    year: int | None = None
    url: str = ""
    locator: str = ""
    # What the part says the source is for ("Korean partner KIAT").
    note: str = ""
    text: str = ""
    # The language of the title and publisher (or of the free text) as written: a document
    # keeps its own language whatever the page's, and the page marks it with `lang`. Empty
    # for what the site writes itself (a host name, "not yet registered").
    lang: str = ""


def _split_parts(source: str) -> list[str]:
    """The text split on ";" outside brackets: "(Annex 5.4; section 1.3)" stays whole."""
    parts, depth, current = [], 0, []
    for char in source:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == ";" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [" ".join(part.split()) for part in parts if part.strip()]


def _locator_clean(text: str) -> str:
    return ", ".join(piece.strip() for piece in text.split(";") if piece.strip())


def _note_clean(text: str) -> str:
    return NOTE_TAIL.sub("", text.strip(" ,;:.")).strip(" ,;:")


def _document_citation(key: str, *, documents: Mapping, locator: str, note: str) -> Citation:
    document = documents.get(key)
    if document is None:
        return Citation(
            kind="document",
            title=_("A source document not yet registered"),
            locator=locator,
            note=note,
        )
    url = document.url if _is_linkable(document.url) else ""
    return Citation(
        kind="document",
        title=document.title,
        publisher=document.publisher,
        year=document.year,
        url=url,
        locator=locator,
        note=note,
        lang=_written_in(document.title),
    )


def _written_in(text: str) -> str:
    return "ko" if has_hangul(text) else "en"


def _is_linkable(address: str) -> bool:
    # Browsers read a backslash as "/", urlsplit does not: "https://evil.example\\@trusted.org"
    # would be named trusted.org and lead to evil.example. Direction marks and other invisible
    # characters would make the name shown differ from the address.
    if not address or any(char == "\\" or not char.isprintable() for char in address):
        return False
    parts = urlsplit(address)
    return parts.scheme.lower() in LINKABLE_SCHEMES and bool(parts.hostname)


def _web_citation(address: str) -> Citation:
    host = urlsplit(address).hostname or ""
    return Citation(kind="web", publisher=host.removeprefix("www."), url=address)


def _key_pattern(documents: Mapping) -> re.Pattern:
    keys = sorted(documents, key=len, reverse=True)
    alternatives = [re.escape(key) for key in keys] + [SEED_KEY.pattern]
    return re.compile("|".join(alternatives))


def _part_citations(part: str, *, documents: Mapping, keys: re.Pattern) -> list[Citation]:
    matches = list(keys.finditer(part))
    if not matches:
        if SCHEME.match(part) and _is_linkable(part):
            return [_web_citation(part)]
        # Free words, or an address that must not become a link (javascript:, data:).
        return [Citation(kind="text", text=part, lang=_written_in(part))]
    citations, position = [], 0
    for index, match in enumerate(matches):
        note = _note_clean(part[position : match.start()])
        end, locator = match.end(), ""
        bracket = LOCATOR.match(part, end)
        if bracket:
            locator, end = bracket.group(1), bracket.end()
        if index == len(matches) - 1:
            # Words after the last document are its locator ("…txt, lines 177-262").
            trailing = part[end:].strip(" ,;:.")
            locator = ", ".join(piece for piece in (locator, trailing) if piece)
            end = len(part)
        position = end
        citations.append(
            _document_citation(
                match.group(0), documents=documents, locator=_locator_clean(locator), note=note
            )
        )
    return citations


def source_documents() -> dict[str, SourceDocument]:
    """Every registered document by key: a few rows, read once per page."""
    return {document.key: document for document in SourceDocument.objects.all()}


def citations_from(source: str, *, documents: Mapping | None = None) -> list[Citation]:
    """The citations in an actor's (or a partnership's) source text, in its order."""
    if not source or not source.strip():
        return []
    documents = source_documents() if documents is None else documents
    keys = _key_pattern(documents)
    citations: list[Citation] = []
    for part in _split_parts(source):
        citations.extend(_part_citations(part, documents=documents, keys=keys))
    return citations


@transaction.atomic
def source_documents_load(*, path: Path = SOURCES_FILE) -> int:
    """Create or update the documents of the file; run again, it creates nothing twice and
    leaves documents curators added in the admin alone."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = data.get("documents") or []
    for item in items:
        SourceDocument.objects.update_or_create(
            key=item["key"],
            defaults={
                "title": item["title"],
                "publisher": item.get("publisher") or "",
                "year": item.get("year"),
                "url": item.get("url") or "",
            },
        )
    return len(items)


__all__ = ["Citation", "citations_from", "source_documents", "source_documents_load"]
