"""An actor's kind in words, in the reader's language, on every page that lists actors."""

from django.utils import translation

from directory.models import Actor


def test_the_kind_reads_in_the_active_language_and_an_unknown_code_stays_as_stored():
    with translation.override("en"):
        assert Actor(kind="university").get_kind_display() == "University"
    with translation.override("ko"):
        assert Actor(kind="university").get_kind_display() == "대학"
    # A code no longer among the choices (an old row) is shown as it is, not as an error.
    assert Actor(kind="zeppelin-port").get_kind_display() == "zeppelin-port"
