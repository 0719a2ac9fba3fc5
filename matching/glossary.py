"""The bilingual glossary: Korean terms of the field linked to the English words the directory
uses, so that a Korean-only profile and an English-only one meet on the same words (no Django).

`fixtures/glossary.yaml` lists the field's terms (sectors, technologies, cooperation, kinds of
actor, national bodies, places), each with its English forms and its Korean forms. A Korean
text is read as its content morphemes (`common.korean`, Kiwi); at each morpheme the longest run
of adjacent morphemes that spells a Korean form of an entry is taken ("의료" + "기기" is
의료기기, medical devices), and a long compound the analyser left whole is split on the
glossary's forms ("춘천바이오산업진흥원": 춘천 + 바이오산업 + 진흥원). Linked terms become the
entry's English words; the other content words stay as Korean words, so that two Korean
profiles still match each other on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from common.korean import content_morphemes, has_hangul, prepare, without_hangul

GLOSSARY_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "glossary.yaml"
SECTIONS = ("sectors", "technologies", "cooperation", "actors", "organisations", "places")
# The longest run of morphemes a term may span ("한국 산업 기술 평가 관리원": 5).
LONGEST_TERM = 8
# A compound is split on glossary forms of at least this many syllables: a one-syllable form
# ("물", water) inside a longer word is too often part of another word ("물류", logistics).
SHORTEST_PIECE = 2
_SPACES = re.compile(r"\s+")
# Korean words as the index reads them: two syllables or more (the index's own token rule).
_KOREAN_WORD = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]{2,}")


@dataclass(frozen=True)
class Entry:
    """One term in both languages; the first English form names the concept."""

    section: str
    english: tuple[str, ...]
    korean: tuple[str, ...]
    sector: str = ""
    interest: str = ""

    @property
    def name(self) -> str:
        return self.english[0]

    @property
    def korean_name(self) -> str:
        return self.korean[0]


@dataclass(frozen=True)
class Link:
    """A piece of a Korean text: the words as written there, and the entry they spell (None
    for a content word the glossary does not know)."""

    korean: str
    entry: Entry | None


class GlossaryError(ValueError):
    pass


def _key(korean: str) -> str:
    return _SPACES.sub("", korean)


class Glossary:
    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._surfaces: dict[str, Entry] | None = None
        self._longest_form = 0
        self._english: dict[str, Entry] = {}
        for entry in self.entries:
            for form in entry.english:
                self._english.setdefault(form.casefold(), entry)

    def _forms(self) -> dict[str, Entry]:
        """Korean form (spaces removed, and as the analyser's morphemes spell it) -> entry;
        built on first use, since it needs the analyser."""
        if self._surfaces is None:
            prepare(form for entry in self.entries for form in entry.korean)  # one batch
            surfaces: dict[str, Entry] = {}
            for entry in self.entries:
                for form in entry.korean:
                    surfaces.setdefault(_key(form), entry)
                    spelt = "".join(m.form for m in content_morphemes(form))
                    if spelt:
                        surfaces.setdefault(spelt, entry)
            self._surfaces = surfaces
            self._longest_form = max(map(len, surfaces), default=0)
        return self._surfaces

    # -- reading a Korean text ---------------------------------------------------------------

    def links(self, text: str) -> list[Link]:
        """The content of `text`'s Korean, in order: glossary terms (longest first) and the
        other content words."""
        morphemes = content_morphemes(text) if has_hangul(text) else ()
        forms = self._forms()
        found: list[Link] = []
        i = 0
        while i < len(morphemes):
            end = i + 1
            while end < len(morphemes) and end - i < LONGEST_TERM and morphemes[end].joined:
                end += 1
            # The longest run from i that spells a term.
            for j in range(end, i, -1):
                spelt = "".join(m.form for m in morphemes[i:j])
                entry = forms.get(spelt)
                if entry is not None:
                    found.append(Link(text[morphemes[i].start : morphemes[j - 1].end], entry))
                    i = j
                    break
            else:
                found.extend(self._compound(morphemes[i].form, morphemes[i].tag))
                i += 1
        return found

    def _compound(self, word: str, tag: str) -> list[Link]:
        """A word the glossary does not hold as a whole: split on the glossary forms it is
        made of when it is a long noun, else the word itself."""
        if len(word) < 2 * SHORTEST_PIECE or not tag.startswith("NN"):
            return [Link(word, None)]
        forms = self._forms()
        # No piece is longer than the longest form: looking further back would only cost time
        # (the square of the word's length: a 1,000-syllable run of junk took seconds).
        longest = self._longest_form
        n = len(word)
        # best[k]: (characters covered, -pieces) of the best split of word[:k], and its pieces.
        best: list[tuple[tuple[int, int], list[tuple[int, int, Entry | None]]]] = [((0, 0), [])]
        for k in range(1, n + 1):
            (covered, pieces), split = best[k - 1]
            choice = ((covered, pieces), [*split, (k - 1, k, None)])
            for start in range(max(0, k - longest), k - SHORTEST_PIECE + 1):
                entry = forms.get(word[start:k])
                if entry is None:
                    continue
                (c, p), s = best[start]
                score = (c + k - start, p - 1)
                if score > choice[0]:
                    choice = (score, [*s, (start, k, entry)])
            best.append(choice)
        (covered, _), split = best[n]
        if not covered:
            return [Link(word, None)]
        result: list[Link] = []
        loose = ""
        for start, end, entry in split:
            if entry is None:
                loose += word[start:end]
                continue
            if loose:
                result.append(Link(loose, None))
                loose = ""
            result.append(Link(word[start:end], entry))
        if loose:
            result.append(Link(loose, None))
        return result

    def index_words(
        self, text: str, *, keep_unlinked: bool = True, keep_linked_korean: bool = False
    ) -> str:
        """What a word-based index reads of `text`: each linked term's English words, the
        Korean content words the glossary does not know (unless `keep_unlinked` is false), and
        the text's own Latin words and acronyms ("KICOX", "IoT"). `keep_linked_korean` also
        keeps the Korean form of each linked term."""
        if not has_hangul(text):
            return text
        words: list[str] = []
        for link in self.links(text):
            if link.entry is None:
                if keep_unlinked:
                    words.extend(_KOREAN_WORD.findall(link.korean))
                continue
            words.append(english_words(link.entry))
            if keep_linked_korean:
                words.append(_key(link.entry.korean_name))
        latin = _SPACES.sub(" ", without_hangul(text)).strip()
        return " ".join([*words, latin] if latin else words)

    # -- looking terms up ------------------------------------------------------------------

    def english_for(self, korean: str) -> Entry | None:
        """The entry a Korean term (or phrase) spells as a whole, if any."""
        links = self.links(korean)
        if len(links) == 1 and links[0].entry is not None:
            return links[0].entry
        return self._forms().get(_key(korean))

    def korean_for(self, english: str) -> str | None:
        """The Korean form of an English term or of one of its words as the index shows it
        ("medical devices" -> 의료기기), for reasons shown to a Korean reader."""
        entry = self._english.get(english.casefold())
        return entry.korean_name if entry else None

    def for_sector(self, code: str) -> Entry | None:
        return next((e for e in self.entries if e.sector == code), None)


def english_words(entry: Entry) -> str:
    """The English an entry puts in the index: its concept name, then any word of its other
    forms not already said ("medical devices device medtech"), so that a profile matches
    whichever form its writer used (the ranking does not stem)."""
    seen: list[str] = []
    for form in entry.english:
        for word in form.split():
            if word.casefold() not in {w.casefold() for w in seen}:
                seen.append(word)
    return " ".join(seen)


def entries_from(data: Mapping[str, Sequence[Mapping]]) -> list[Entry]:
    """Glossary entries from the YAML's structure, checked: every entry names at least one
    English and one Korean form, and no Korean form names two concepts."""
    entries: list[Entry] = []
    problems: list[str] = []
    owner: dict[str, str] = {}
    for section, items in data.items():
        if section not in SECTIONS:
            problems.append(f"unknown section {section!r} (one of {', '.join(SECTIONS)})")
            continue
        for n, item in enumerate(items or (), start=1):
            english = _forms_of(item.get("en"))
            korean = _forms_of(item.get("ko"))
            if not english or not korean:
                problems.append(f"{section} #{n}: needs en and ko")
                continue
            for form in korean:
                if not has_hangul(form):
                    problems.append(f"{section} #{n}: {form!r} is not Korean")
                if _key(form) in owner and owner[_key(form)] != english[0]:
                    problems.append(f"{section} #{n}: {form!r} already means {owner[_key(form)]!r}")
                owner.setdefault(_key(form), english[0])
            entries.append(
                Entry(
                    section=section,
                    english=english,
                    korean=korean,
                    sector=str(item.get("sector") or ""),
                    interest=str(item.get("interest") or ""),
                )
            )
    if problems:
        raise GlossaryError("\n".join(problems))
    return entries


def _forms_of(value) -> tuple[str, ...]:
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else list(value)
    return tuple(str(v).strip() for v in values if str(v).strip())


def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    import yaml

    with path.open(encoding="utf-8") as fh:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
    return Glossary(entries_from(data or {}))


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    """The project's glossary (fixtures/glossary.yaml), read once per process."""
    return load_glossary()


def korean_term(english: str) -> str | None:
    """The Korean of a term the reasons show in English ("medical devices" -> 의료기기), or
    None: for explanations written to a Korean reader."""
    return glossary().korean_for(english)
