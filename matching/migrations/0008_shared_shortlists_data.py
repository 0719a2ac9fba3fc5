# Shortlists become the organisation's: step 2 of 3, the data. Entries of several users for
# the same pair merge into one; each user's private note becomes a note with its author and
# its entry's date (when it was last written); the earliest entry gives the date and who
# added it. Nothing written is lost.

from django.db import migrations


def merge_into_shared(apps, schema_editor):
    Entry = apps.get_model("matching", "ShortlistEntry")
    Note = apps.get_model("matching", "ShortlistNote")
    groups = {}
    for entry in Entry.objects.order_by("created_at", "pk"):
        groups.setdefault((entry.actor_id, entry.candidate_id), []).append(entry)
    for entries in groups.values():
        kept = entries[0]
        for entry in entries:
            if entry.note.strip():
                Note.objects.create(
                    entry=kept, author_id=entry.owner_id, text=entry.note, written_at=entry.updated_at
                )
        Entry.objects.filter(pk=kept.pk).update(added_by_id=kept.owner_id)
        Entry.objects.filter(pk__in=[e.pk for e in entries[1:]]).delete()


def split_per_user(apps, schema_editor):
    """Back to one private entry per user: each note's author gets an entry with their notes
    (joined), the one who added it gets one too. Entries nobody can own any more go."""
    Entry = apps.get_model("matching", "ShortlistEntry")
    Note = apps.get_model("matching", "ShortlistNote")
    for entry in Entry.objects.order_by("pk"):
        notes = {}
        for note in Note.objects.filter(entry=entry).order_by("written_at", "pk"):
            if note.author_id is not None:
                notes.setdefault(note.author_id, []).append(note.text)
        owners = list(notes)
        if entry.added_by_id is not None and entry.added_by_id not in notes:
            owners.insert(0, entry.added_by_id)
        if not owners:
            entry.delete()
            continue
        first, *others = owners
        Entry.objects.filter(pk=entry.pk).update(
            owner_id=first, note="\n\n".join(notes.get(first, []))[:2000]
        )
        for owner_id in others:
            Entry.objects.create(
                actor_id=entry.actor_id,
                candidate_id=entry.candidate_id,
                owner_id=owner_id,
                note="\n\n".join(notes[owner_id])[:2000],
                created_at=entry.created_at,
            )


class Migration(migrations.Migration):
    dependencies = [("matching", "0007_shared_shortlists")]

    operations = [migrations.RunPython(merge_into_shared, split_per_user)]
