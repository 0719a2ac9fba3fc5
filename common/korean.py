"""Korean text as words: Kiwi (kiwipiepy), a morphological analyser, splits each run of Hangul into
its morphemes and keeps the content words, so "바이오의약품을" gives "바이오" and "의약품".

Korean writes particles and endings onto the word ("의료기기와", "지원합니다"), so splitting on
spaces would give a different token for every grammatical use of a word. Plain Python, no Django:
the ranking engine and the directory's search both use it. The analyser loads its model once per
process (about a second and 100 MB), and only when some text contains Hangul.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
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

    return Kiwi()


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
