"""Ranking with a built index imports neither scikit-learn nor OR-Tools: each costs every web
process that imports it tens of megabytes (scikit-learn with pandas about 100 MB), and only the
jobs build indexes and solve schedules (issue 17, memory per worker)."""

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import strip_accents_unicode

from bench.synthetic import synthetic_profiles
from matching.engine import build_index, fold_accents, strip_accents

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: this one has imported everything already.
WEB_PROCESS = """
import json, pickle, sys
import django
django.setup()
import config.wsgi
from django.urls import get_resolver
get_resolver().url_patterns  # every view module imported
with open(sys.argv[1], "rb") as f:
    index = pickle.load(f)
key = int(index.profiles.keys[0])
matches = index.rank(key, top=20, explain=20)
shared = sorted({t.term for m in matches for t in m.shared_terms})
pair = index.pair(key, int(index.profiles.keys[1]))
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "ortools", "pandas"}
               | {"scipy.optimize", "scipy.stats"} & set(sys.modules))
print(json.dumps({"first": matches[0].key, "shared": shared, "heavy": heavy}))
"""


def test_a_web_process_ranks_and_explains_without_the_libraries_that_build_and_solve(tmp_path):
    profiles = synthetic_profiles(300)
    index = build_index(profiles)
    snapshot = tmp_path / "index.pickle"
    snapshot.write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", WEB_PROCESS, str(snapshot)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["heavy"] == [], f"a web process imported {seen['heavy']}"
    # ... and still ranks and explains as this process does.
    here = index.rank(int(index.profiles.keys[0]), top=20, explain=20)
    assert seen["first"] == here[0].key
    assert seen["shared"] == sorted({t.term for m in here for t in m.shared_terms})
    assert seen["shared"], "the explanations named no shared word"


def test_the_vectorizer_comes_back_from_the_index_fitted():
    index = build_index(synthetic_profiles(200))
    vectorizer = index.vectorizer
    assert list(vectorizer.get_feature_names_out()) == list(index.terms)
    row = vectorizer.transform([index.profiles.text(3)]).toarray()[0]
    assert abs(row - index.tfidf[3].toarray()[0]).max() < 1e-6


def test_a_term_column_is_found_by_its_word_alone():
    index = build_index(synthetic_profiles(200))
    vocabulary = index.vectorizer.vocabulary_
    for term, column in list(vocabulary.items())[:300]:
        assert index._column(term) == column
    assert index._column("zzzz-not-a-word") == -1
    assert index._column("") == -1


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_accents_are_stripped_as_scikit_learn_strips_them(text):
    assert strip_accents(text) == strip_accents_unicode(text)


def test_hangul_keeps_its_syllables_and_latin_loses_its_accents():
    assert fold_accents("Pôle Véhicule 수소 클러스터") == "Pole Vehicule 수소 클러스터"
