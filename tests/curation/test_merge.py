"""Merging two records of one organisation: richer fields, every relation, all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from curation import merge as merge_module
from curation.merge import actor_merge, merge_plan
from directory.models import Actor, ContactPerson, MergeRecord, PendingChange
from events.models import Participant, Wish
from matching.models import ShortlistEntry, ShortlistNote
from tests.factories import (
    ActorFactory,
    ContactFactory,
    EventFactory,
    InterestFactory,
    RegionFactory,
    SectorFactory,
    UserFactory,
)

LONG = (
    "Lyonbiopole is the life-science competitiveness cluster of Auvergne-Rhône-Alpes, with more "
    "than two hundred members working on vaccines, diagnostics, medical technologies and "
    "biomanufacturing, and a long record of Korean cooperation."
)


@pytest.fixture
def duo(db):
    """Two records of Lyonbiopole, each richer in some fields, with relations on both."""
    bio = SectorFactory(code="biopharmaceuticals", label="Biopharmaceuticals")
    medtech = SectorFactory(code="medical-devices", label="Medical devices")
    market = InterestFactory(code="market-access", label="Market access")
    rnd = InterestFactory(code="rd-projects", label="Joint R&D projects")
    region = RegionFactory(code="fr-ara", name="Auvergne-Rhône-Alpes", country="FR")

    class Duo:
        pass

    d = Duo()
    d.keep = ActorFactory(
        slug="lyon-biopole",
        name="Lyon Biopôle",
        acronym="",
        description="Life-science cluster in Lyon.",
        keywords="vaccines; Diagnostics",
        website="",
        founded=None,
        members=220,
        city="",
        last_verified=datetime.date(2024, 1, 10),
        source="seed 001",
        sectors=[bio],
        seeks=[market],
    )
    d.remove = ActorFactory(
        slug="lyonbiopole",
        name="Lyonbiopole",
        acronym="LBP",
        description=LONG,
        keywords="diagnostics; biomanufacturing",
        website="https://www.lyonbiopole.com",
        founded=2005,
        members=150,
        city="Lyon",
        region=region,
        latitude="45.75",
        longitude="4.85",
        last_verified=datetime.date(2025, 6, 1),
        source="seed 002",
        sectors=[bio, medtech],
        offers=[rnd],
    )
    d.user = UserFactory(username="curator", is_staff=True)
    d.keep_manager = UserFactory(username="keep.manager")
    d.remove_manager = UserFactory(username="remove.manager")
    d.keep.managers.add(d.keep_manager)
    d.remove.managers.add(d.remove_manager, d.keep_manager)
    # Children of the removed record.
    d.child = ActorFactory(slug="child", name="Member of LBP", parent=d.remove)
    # Contacts: one new, one repeating the kept record's contact by email (it has a phone).
    d.kept_contact = ContactFactory(
        actor=d.keep, name="Marie Curie", email="marie@lyonbiopole.com", phone=""
    )
    d.new_contact = ContactFactory(actor=d.remove, name="Louis Pasteur", email="louis@lbp.com")
    d.twin_contact = ContactFactory(
        actor=d.remove, name="Marie C.", email="MARIE@lyonbiopole.com", phone="+33 4 00"
    )
    # Shortlists (the organisation's): one moves, one repeats the kept record's entry for the
    # same candidate (its notes join that entry), one would shortlist the kept record itself,
    # one names the removed record as candidate.
    d.korean = ActorFactory(slug="chuncheon", name="Chuncheon Bio", side="kr", country="KR")
    d.gumi = ActorFactory(slug="gumi", name="Gumi Mobile", side="kr", country="KR")
    d.owner = UserFactory(username="owner")
    d.other_owner = UserFactory(username="other.owner")
    d.duplicate_entry = ShortlistEntry.objects.create(
        added_by=d.owner, actor=d.remove, candidate=d.korean, status="met"
    )
    ShortlistNote.objects.create(entry=d.duplicate_entry, author=d.owner, text="met in Seoul")
    d.twin_entry = ShortlistEntry.objects.create(
        added_by=d.other_owner, actor=d.keep, candidate=d.korean, status="contacted"
    )
    ShortlistNote.objects.create(entry=d.twin_entry, author=d.other_owner, text="call in May")
    d.moved_entry = ShortlistEntry.objects.create(
        added_by=d.owner, actor=d.remove, candidate=d.gumi
    )
    ShortlistNote.objects.create(entry=d.moved_entry, author=d.owner, text="ask about batteries")
    d.self_entry = ShortlistEntry.objects.create(added_by=d.owner, actor=d.keep, candidate=d.remove)
    d.candidate_entry = ShortlistEntry.objects.create(
        added_by=d.owner, actor=d.korean, candidate=d.remove
    )
    # Events: the removed record takes part in one, with a wish.
    d.event = EventFactory(slug="bio-korea", name="BIO KOREA 2026 matchmaking")
    d.participation = Participant.objects.create(event=d.event, actor=d.remove)
    d.korean_participation = Participant.objects.create(event=d.event, actor=d.korean)
    d.wish = Wish.objects.create(
        participant=d.participation, target=d.korean_participation, level="must"
    )
    return d


def state(d) -> dict:
    """Everything a merge could change, to compare before and after a refused merge."""
    return {
        "actors": sorted(Actor.objects.values_list("slug", "parent_id", "description", "website")),
        "contacts": sorted(ContactPerson.objects.values_list("pk", "actor_id", "phone")),
        "shortlists": sorted(ShortlistEntry.objects.values_list("pk", "actor_id", "candidate_id")),
        "shortlist_notes": sorted(ShortlistNote.objects.values_list("pk", "entry_id")),
        "participants": sorted(Participant.objects.values_list("pk", "actor_id")),
        "sectors": sorted(d.keep.sectors.values_list("code", flat=True)),
        "managers": sorted(d.keep.managers.values_list("username", flat=True)),
        "records": MergeRecord.objects.count(),
        "history": d.keep.history.count(),
    }


def test_merge_keeps_the_richer_fields(duo):
    actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    keep = Actor.objects.get(pk=duo.keep.pk)
    assert keep.name == "Lyon Biopôle" and keep.slug == "lyon-biopole"  # identity: kept
    assert keep.acronym == "LBP"  # non-empty beats empty
    assert keep.description == LONG  # the longer text
    assert keep.keywords == "vaccines; Diagnostics; biomanufacturing"  # both, once each
    assert keep.website == "https://www.lyonbiopole.com"
    assert keep.founded == 2005  # kept's number was empty
    assert keep.members == 220  # kept's number wins
    assert keep.city == "Lyon" and keep.region.code == "fr-ara"  # same country
    assert float(keep.latitude) == 45.75
    assert keep.last_verified == datetime.date(2025, 6, 1)  # the latest
    assert keep.source == "seed 001; seed 002"


def test_merge_moves_every_relation(duo):
    record = actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    keep = duo.keep
    assert not Actor.objects.filter(pk=duo.remove.pk).exists()
    # Children.
    assert Actor.objects.get(slug="child").parent_id == keep.pk
    # Links and managers.
    assert sorted(keep.sectors.values_list("code", flat=True)) == [
        "biopharmaceuticals",
        "medical-devices",
    ]
    assert list(keep.offers.values_list("code", flat=True)) == ["rd-projects"]
    assert list(keep.seeks.values_list("code", flat=True)) == ["market-access"]
    assert sorted(keep.managers.values_list("username", flat=True)) == [
        "keep.manager",
        "remove.manager",
    ]
    # Contacts: the new one moved, the repeat dropped after filling the kept one's phone.
    assert sorted(keep.contacts.values_list("name", flat=True)) == ["Louis Pasteur", "Marie Curie"]
    assert ContactPerson.objects.get(pk=duo.kept_contact.pk).phone == "+33 4 00"
    assert not ContactPerson.objects.filter(pk=duo.twin_contact.pk).exists()
    # Shortlists: moved, duplicates folded into the kept entry (notes, the status further
    # along, the earlier adder), self-references dropped.
    moved = ShortlistEntry.objects.get(pk=duo.moved_entry.pk)
    assert (moved.actor_id, moved.candidate_id) == (keep.pk, duo.gumi.pk)
    assert list(moved.notes.values_list("text", flat=True)) == ["ask about batteries"]
    assert not ShortlistEntry.objects.filter(pk=duo.duplicate_entry.pk).exists()
    twin = ShortlistEntry.objects.get(actor=keep, candidate=duo.korean)
    assert twin.pk == duo.twin_entry.pk
    assert sorted(twin.notes.values_list("author__username", "text")) == [
        ("other.owner", "call in May"),
        ("owner", "met in Seoul"),
    ]
    assert (twin.status, twin.added_by) == ("met", duo.owner)
    assert not ShortlistEntry.objects.filter(pk=duo.self_entry.pk).exists()
    assert ShortlistEntry.objects.get(pk=duo.candidate_entry.pk).candidate_id == keep.pk
    assert not ShortlistEntry.objects.filter(actor_id=duo.remove.pk).exists()
    # Event participation, with its wish.
    participation = Participant.objects.get(pk=duo.participation.pk)
    assert participation.actor_id == keep.pk
    assert Wish.objects.get(pk=duo.wish.pk).participant_id == participation.pk
    # The record.
    assert record.kept == keep
    assert record.removed_slug == "lyonbiopole" and record.removed_name == "Lyonbiopole"
    assert record.merged_by == duo.user
    assert record.removed["website"] == "https://www.lyonbiopole.com"
    assert record.removed["founded"] == 2005
    assert record.removed["last_verified"] == "2025-06-01"
    assert record.removed["country"] == "FR"
    assert record.removed["sectors"] == ["biopharmaceuticals", "medical-devices"]
    assert {c["name"] for c in record.removed["contacts"]} == {"Louis Pasteur", "Marie C."}
    assert record.removed["managers"] == ["keep.manager", "remove.manager"]


def test_merge_is_in_the_history_with_its_user_and_reason(duo):
    before = duo.keep.history.count()
    actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    # One history entry for the kept actor, whatever moved.
    assert duo.keep.history.count() == before + 1
    latest = duo.keep.history.first()
    assert latest.history_user == duo.user
    assert latest.history_change_reason == "merged lyonbiopole"
    assert sorted(latest.sectors.values_list("sector__code", flat=True)) == [
        "biopharmaceuticals",
        "medical-devices",
    ]
    gone = Actor.history.filter(id=duo.remove.pk).first()
    assert gone.history_type == "-"
    assert gone.history_change_reason == "merged into lyon-biopole"
    assert gone.history_user == duo.user


def test_earlier_merge_records_follow_the_kept_actor(duo):
    older = MergeRecord.objects.create(
        kept=duo.remove, removed_slug="lbp-old", removed_name="LBP", removed={}
    )
    actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    older.refresh_from_db()
    assert older.kept_id == duo.keep.pk


def test_pending_changes_of_the_removed_record_are_kept_in_the_record(duo):
    PendingChange.objects.create(actor=duo.remove, author=duo.remove_manager, proposed={"x": 1})
    record = actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    assert record.removed["pending_changes"][0]["proposed"] == {"x": 1}
    assert not PendingChange.objects.exists()


def test_refuses_when_both_take_part_in_one_event(duo):
    Participant.objects.create(event=duo.event, actor=duo.keep)
    before = state(duo)
    with pytest.raises(ValidationError) as error:
        actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    assert "BIO KOREA 2026 matchmaking" in " ".join(error.value.messages)
    # The children, contacts and shortlists moved before the conflict was found: all back.
    assert state(duo) == before
    assert Actor.objects.filter(pk=duo.remove.pk).exists()
    assert Actor.objects.get(slug="child").parent_id == duo.remove.pk
    assert merge_plan(keep=duo.keep, remove=duo.remove).problems


def test_refuses_to_merge_across_sides_participations_included(duo):
    korean_twin = ActorFactory(slug="lbp-korea", name="Lyonbiopole Korea", side="kr", country="KR")
    with pytest.raises(ValidationError, match="correct the side of the one recorded wrongly"):
        actor_merge(keep=korean_twin, remove=duo.remove, user=duo.user)
    assert Actor.objects.filter(pk=duo.remove.pk).exists()


def test_refuses_self_merge(duo):
    with pytest.raises(ValidationError, match="itself"):
        actor_merge(keep=duo.keep, remove=duo.keep, user=duo.user)
    assert not merge_plan(keep=duo.keep, remove=duo.keep).possible


def test_refuses_a_parent_cycle(duo):
    # keep -> middle -> remove: after the merge, middle's parent would be keep, a cycle.
    middle = ActorFactory(slug="middle", name="Middle", parent=duo.remove)
    duo.keep.parent = middle
    duo.keep.save()
    before = state(duo)
    with pytest.raises(ValidationError, match="part of itself"):
        actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    assert state(duo) == before


def test_merging_a_child_into_its_parent_and_a_parent_into_its_child(duo):
    grandparent = ActorFactory(slug="kicox", name="KICOX")
    duo.remove.parent = grandparent
    duo.remove.save()
    duo.keep.parent = duo.remove  # the kept record was filed under its own duplicate
    duo.keep.save()
    actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    keep = Actor.objects.get(pk=duo.keep.pk)
    assert keep.parent_id == grandparent.pk  # never its own parent
    assert Actor.objects.get(slug="child").parent_id == keep.pk

    parent = ActorFactory(slug="parent-body", name="Parent body")
    child = ActorFactory(slug="child-record", name="Child record", parent=parent)
    actor_merge(keep=parent, remove=child, user=duo.user)
    assert Actor.objects.get(pk=parent.pk).parent_id is None


def test_a_crash_mid_merge_changes_nothing(duo, monkeypatch):
    before = state(duo)

    def crash(*args, **kwargs):
        raise RuntimeError("database went away")

    # After children, contacts and shortlists have moved.
    monkeypatch.setattr(merge_module, "_participation_problems", crash)
    with pytest.raises(RuntimeError):
        actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    assert state(duo) == before

    # At the very end, after the record is written.
    monkeypatch.undo()
    monkeypatch.setattr(Actor, "delete", crash)
    with pytest.raises(RuntimeError):
        actor_merge(keep=duo.keep, remove=duo.remove, user=duo.user)
    assert state(duo) == before
    assert Actor.objects.get(pk=duo.keep.pk).website == ""


def test_plan_shows_each_field_and_what_moves(duo):
    plan = merge_plan(keep=duo.keep, remove=duo.remove)
    assert plan.possible
    winners = {f.name: f.winner for f in plan.fields}
    assert winners["name"] == "kept"
    assert winners["description"] == "removed"
    assert winners["website"] == "removed"
    assert winners["members"] == "kept"
    assert winners["keywords"] == "both"
    assert winners["last_verified"] == "removed"
    assert winners["kind"] == "same"
    assert plan.counts == {
        "children": 1,
        "contacts": 1,
        "duplicate_contacts": 1,
        "shortlists": 2,
        "dropped_shortlists": 2,
        "deleted_shortlist_notes": 0,
        "participations": 1,
        "managers": 1,
        "sectors": 1,
        "offers": 1,
        "seeks": 0,
        "pending_changes": 0,
        "merge_records": 0,
        "join_requests": 0,
    }
    # The plan changes nothing.
    assert Actor.objects.filter(pk=duo.remove.pk).exists()


def test_every_relation_to_actor_is_handled():
    """A new model pointing at Actor must be taught to actor_merge (and added here)."""
    handled = {
        ("directory.actor", "parent"),
        ("directory.contactperson", "actor"),
        ("directory.pendingchange", "actor"),
        ("directory.mergerecord", "kept"),
        # Requests to manage it follow it (curation.join_review.join_requests_move).
        ("directory.joinrequest", "actor"),
        ("events.participant", "actor"),
        ("matching.shortlistentry", "actor"),
        ("matching.shortlistentry", "candidate"),
        ("matching.candidatemark", "actor"),
        ("matching.candidatemark", "candidate"),
        # The removed record's digest baseline goes with it; the kept one keeps its own.
        ("matching.digeststate", "actor"),
    }
    found = {(r.related_model._meta.label_lower, r.field.name) for r in Actor._meta.related_objects}
    assert found == handled


def test_the_removed_actors_address_redirects_to_the_kept_one(client, cast):
    from curation.merge import actor_merge
    from tests.factories import ActorFactory

    twin = ActorFactory(slug="lyon-life-sciences-old", name="Lyon Life Sciences (old)")
    actor_merge(keep=cast.actor, remove=twin, user=cast.curator)
    response = client.get("/actors/lyon-life-sciences-old/")
    assert response.status_code == 301
    assert response["Location"] == cast.actor.get_absolute_url()
    assert client.get("/actors/never-existed/").status_code == 404


def test_a_european_and_a_korean_profile_are_not_merged(db):
    from django.core.exceptions import ValidationError

    from curation.merge import actor_merge, merge_plan
    from tests.factories import ActorFactory

    eu = ActorFactory(slug="lyon-x", name="Lyon X")
    kr = ActorFactory(slug="gwangju-x", name="Gwangju X", side="kr", country="KR")
    plan = merge_plan(keep=eu, remove=kr)
    assert not plan.possible and "correct the side of the one recorded wrongly" in plan.problems[0]
    with pytest.raises(ValidationError):
        actor_merge(keep=eu, remove=kr, user=None)
    assert kr.__class__.objects.filter(pk=kr.pk).exists()


def test_notes_on_an_entry_that_would_shortlist_the_organisation_itself_are_counted_first(duo):
    # The kept organisation had the removed profile on its shortlist, with a colleague's note:
    # after the merge it would shortlist itself, so the entry goes, and its note with it. The
    # confirmation page said "notes kept"; it now says how many notes go before anyone confirms.
    from django.template.loader import render_to_string

    ShortlistNote.objects.create(entry=duo.self_entry, author=duo.other_owner, text="same group?")
    plan = merge_plan(keep=duo.keep, remove=duo.remove)
    assert plan.counts["deleted_shortlist_notes"] == 1
    html = render_to_string("curation/merge_confirm.html", {"plan": plan})
    assert 'data-count="deleted_shortlist_notes">1<' in html
