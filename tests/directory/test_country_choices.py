"""The directory's country filter offers the countries published actors are in, named."""

from django.utils import translation

from directory.filters import ActorFilter
from directory.models import Actor


def test_only_real_countries_in_use_are_offered_in_the_readers_order(demo_directory):
    odd = Actor.objects.filter(side="eu").first()
    Actor.objects.filter(pk=odd.pk).update(country="ZZ")  # as an old import could leave it
    with translation.override("en"):
        choices = [c for c in ActorFilter({}).form.fields["country"].choices if c[0]]
    codes = [code for code, _name in choices]
    assert "ZZ" not in codes and "KR" in codes and "FR" in codes
    assert all(name for _code, name in choices)
    names = [name for _code, name in choices]
    assert names == sorted(names, key=str.casefold)
    with translation.override("ko"):
        korean = dict(c for c in ActorFilter({}).form.fields["country"].choices if c[0])
    assert korean["KR"] == "대한민국"
