"""Proper nouns (words a profile writes capitalised mid-sentence) are left out of what a match
names; they are found by `mid_sentence_capitals`, which must find exactly what the plain
look-behind expression finds."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_profiles
from matching.engine import mid_sentence_capitals, proper_nouns

LOOK_BEHIND = re.compile(r"(?<=[\w,;:)] )[A-Z][\w-]*")

TRICKY = [
    "Cluster in Lyon, France; works with Gangwon (Korea) and BioKorea partners.",
    "A Start. Then Daegu: x-Ray Osong_ Test, 2024 Seoul and 서울 Busan é Évian _ Jeju",
    "  Leading Space  Double  space A",
    "end)Ohrid (Pollutech) ,Keimyung ;Gumi :Ulsan",
    "",
    "Ä Ö ü Ñ",
]


def test_the_same_words_as_the_look_behind_expression_on_real_shapes():
    texts = TRICKY + [p.text for p in synthetic_profiles(300)]
    for text in texts:
        assert mid_sentence_capitals(text) == LOOK_BEHIND.findall(text), text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ Qx_-,;:)(.1é서Ä\n\t")), max_size=60))
def test_the_same_words_as_the_look_behind_expression_on_any_text(text):
    assert mid_sentence_capitals(text) == LOOK_BEHIND.findall(text)


def test_a_word_mostly_capitalised_mid_sentence_is_a_proper_noun():
    texts = ["We work with Gangwon firms.", "Partners in Gangwon and Daegu.", "gangwon is big."]
    found = proper_nouns(texts, {"gangwon": 3, "daegu": 1, "partners": 1, "we": 1})
    assert "gangwon" in found and "daegu" in found
    assert "partners" not in found and "we" not in found  # sentence starts
