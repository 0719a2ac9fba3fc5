"""Korean text as words: Kiwi (kiwipiepy), a morphological analyser, splits each run of Hangul into
its morphemes and keeps the content words, so "바이오의약품을" gives "바이오" and "의약품".

Korean writes particles and endings onto the word ("의료기기와", "지원합니다"), so splitting on
spaces would give a different token for every grammatical use of a word. Plain Python, no Django:
the ranking engine and the directory's search both use it. The analyser loads its model once per
process (about 2 s of CPU and 340 MB with Python), and only when some text contains Hangul.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Hangul syllables, Jamo and compatibility Jamo.
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_HANGUL_RUN = re.compile(
    "[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3][\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\\w·-]*"
)

# Content morphemes (Sejong tags as Kiwi uses them): common and proper nouns, verb and adjective
# stems, roots, and foreign words or numbers written inside a Hangul run. Particles, endings and
# suffixes carry grammar, not topic.
CONTENT_TAGS = frozenset({"NNG", "NNP", "VV", "VA", "XR", "SL", "SH", "NR"})

_lock = threading.Lock()


def has_hangul(text: str) -> bool:
    return bool(text) and _HANGUL.search(text) is not None


@lru_cache(maxsize=1)
def _analyser():
    from kiwipiepy import Kiwi

    # Without the multi-word dictionary (proper nouns from WikiData): it doubles the load time
    # (about 5 s of CPU instead of 2) and adds 190 MB per process, and over the demo's 1,450
    # Korean names, descriptions and glossary forms it changed one analysis (인베스트코리아, which
    # the glossary reads the same way either way).
    return Kiwi(load_multi_dict=False)


def analyser_release() -> None:
    """Forget this process's analyser; the next Korean text loads a new one. Called before a
    server forks its workers: the analyser keeps threads of its own, which a forked child
    would not have (its content_words cache, plain Python, is kept)."""
    with _lock:
        _analyser.cache_clear()


def _tokens(text: str) -> list[tuple[str, str]]:
    # Kiwi is not documented as safe for concurrent calls on one instance; web threads share it.
    with _lock:
        return [(token.form, token.tag) for token in _analyser().tokenize(text)]


@lru_cache(maxsize=20_000)
def content_words(text: str) -> tuple[str, ...]:
    """The content morphemes of `text`'s Hangul, in order; other text is left out.

    Verb and adjective stems come back as stems ("개발하다" -> "개발"); one-syllable morphemes
    are kept only when they are nouns, since single-syllable stems ("하", "되") are grammar.
    """
    if not has_hangul(text):
        return ()
    words = []
    for form, tag in _tokens(text):
        base_tag = tag.split("-")[0]
        if base_tag not in CONTENT_TAGS:
            continue
        if base_tag in {"SL", "SH", "NR"}:
            continue  # Latin, Hanja and numerals are left to the caller's own tokeniser
        if len(form) < 2 and base_tag not in {"NNG", "NNP"}:
            continue
        words.append(form)
    return tuple(words)


@dataclass(frozen=True)
class Morpheme:
    """One content morpheme of a text, where it stands, and whether it follows the previous
    content morpheme directly ("의료기기" and "의료 기기" are 의료 + 기기, joined; in
    "의료와 기기" a particle stands between them)."""

    form: str
    tag: str
    start: int
    end: int
    joined: bool


# A middle dot joins the halves of one term as Korean writes it ("바이오·헬스").
_JOINERS = frozenset({"·", "ㆍ", "・"})


# Texts analysed ahead, in one batch (`prepare`): an index build reads every Korean text of the
# directory at once, and a batch spreads over the analyser's worker threads.
_PREPARED: dict[str, tuple[Morpheme, ...]] = {}
PREPARED_MAX = 50_000


@lru_cache(maxsize=20_000)
def content_morphemes(text: str) -> tuple[Morpheme, ...]:
    """The content morphemes of `text` (the same ones `content_words` gives), with their
    positions and adjacency, for matching multi-morpheme terms such as 의료 + 기기."""
    if not has_hangul(text):
        return ()
    prepared = _PREPARED.get(text)
    if prepared is not None:
        return prepared
    return _content(_positioned(text))


def prepare(texts: Iterable[str]) -> int:
    """Analyse in one batch the texts with Hangul that are not analysed yet, so that
    `content_morphemes` finds them; returns how many were analysed."""
    todo = [t for t in dict.fromkeys(texts) if t and has_hangul(t) and t not in _PREPARED]
    if not todo:
        return 0
    with _lock:
        analysed = [
            [(t.form, t.tag, t.start, t.len) for t in tokens]
            for tokens in _analyser().tokenize(todo)
        ]
    if len(_PREPARED) + len(todo) > PREPARED_MAX:
        _PREPARED.clear()
    for text, tokens in zip(todo, analysed, strict=True):
        _PREPARED[text] = _content(tokens)
    return len(todo)


def _content(tokens: Iterable[tuple[str, str, int, int]]) -> tuple[Morpheme, ...]:
    found: list[Morpheme] = []
    previous_content = False
    for form, tag, start, length in tokens:
        base_tag = tag.split("-")[0]
        if form in _JOINERS:
            continue  # keeps previous_content as it was
        content = base_tag in CONTENT_TAGS and base_tag not in {"SL", "SH", "NR"}
        if content and (len(form) >= 2 or base_tag in {"NNG", "NNP"}):
            found.append(Morpheme(form, base_tag, start, start + length, previous_content))
        previous_content = content
    return tuple(found)


def _positioned(text: str) -> list[tuple[str, str, int, int]]:
    with _lock:
        return [(t.form, t.tag, t.start, t.len) for t in _analyser().tokenize(text)]


def without_hangul(text: str) -> str:
    """`text` with its Hangul blanked out: the Latin words, acronyms and numbers a Korean text
    carries ("KICOX", "R&D", "IoT"), for a word-based reader."""
    return _HANGUL_CHARS.sub(" ", text)


_HANGUL_CHARS = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")


def korean_words(texts: Iterable[str]) -> list[str]:
    """content_words over several texts, concatenated."""
    found: list[str] = []
    for text in texts:
        found.extend(content_words(text))
    return found


def spaced(text: str) -> str:
    """`text` with every Hangul run replaced by its content words separated by spaces: what a
    word-based index (FTS, TF-IDF) should see. Text without Hangul comes back unchanged."""
    if not has_hangul(text):
        return text
    return _HANGUL_RUN.sub(lambda found: " " + " ".join(content_words(found.group())) + " ", text)
