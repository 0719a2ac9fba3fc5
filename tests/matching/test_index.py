"""The per-process index: reused while nothing changes, rebuilt when the directory does."""

import pytest

from directory.models import directory_revision as directory_version
from matching.index import IndexHolder


def test_index_is_reused_while_nothing_changes(world):
    holder = IndexHolder()
    first = holder.get(background=False)
    assert holder.get(background=False) is first
    assert holder.builds == 1


def test_profile_change_rebuilds_the_index(world):
    holder = IndexHolder()
    first = holder.get(background=False)
    world.daegu.description = "Now a robotics and semiconductors test bed."
    world.daegu.save()
    second = holder.get(background=False)
    assert second is not first
    assert holder.builds == 2
    assert "robotics" in second.vectorizer.vocabulary_


def test_new_sector_link_through_the_profile_form_changes_the_version(world, client, sectors):
    before = directory_version()
    client.force_login(world.manager)
    response = client.post(
        f"/actors/{world.actor.slug}/edit/",
        {
            "description": world.actor.description
            + " Now also medical devices for hospitals, clinics and home care across Europe.",
            "keywords": "",
            "sectors": [s.pk for s in sectors],
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert directory_version() != before


@pytest.mark.django_db(transaction=True)
def test_stale_index_keeps_serving_while_a_background_rebuild_runs(world):
    holder = IndexHolder()
    first = holder.get(background=True)  # cold start: built while waiting
    world.daegu.description = "Hydrogen fuel cells and electrolysers."
    world.daegu.save()
    served = holder.get(background=True)
    assert served is first  # the request did not wait for a refit
    holder.wait()
    fresh = holder.get(background=True)
    assert fresh is not first
    assert "electrolysers" in fresh.vectorizer.vocabulary_


def test_every_write_path_bumps_the_revision(world):
    from directory.models import Actor

    seen = [directory_version()]

    def changed() -> bool:
        seen.append(directory_version())
        return seen[-1] != seen[-2]

    Actor.objects.filter(pk=world.daegu.pk).update(status="archived")  # admin bulk action
    assert changed()
    world.daegu.sectors.clear()  # an m2m change without saving the actor
    assert changed()
    Actor.objects.filter(pk=world.korean.pk).delete()
    assert changed()
    assert not changed()  # reading changes nothing


@pytest.mark.django_db(transaction=True)
def test_a_profile_newer_than_the_index_is_ranked_at_once(world, settings, client):
    from matching.index import holder
    from tests.factories import ActorFactory

    settings.MATCHING_REBUILD_IN_BACKGROUND = True
    holder.get()
    newcomer = ActorFactory(
        slug="newcomer",
        name="Newcomer Vaccine Cluster",
        description="Vaccines and antibodies cluster in Marseille.",
    )
    client.force_login(world.curator)
    response = client.get(f"/partners/{newcomer.slug}/")
    assert response.status_code == 200
    assert 'data-slug="chuncheon-bio"' in response.content.decode()
