"""The per-process ranking index, built from the directory and rebuilt only when it changes.

`current_index()` compares the directory's revision counter (bumped by database triggers on
every change, see `DirectoryRevision`) with the revision the cached index was built from.
Nothing is refitted per query: a stale index is rebuilt once per change, in a background
thread while the previous index keeps answering; only a process's very first ranking builds
while the request waits.

After a bulk change (an import, a merge, a bulk publish) a job builds the index once in a
worker and stores it as a snapshot (`snapshot_write`); web processes whose index is stale load
that snapshot instead of building their own, and wait a little for a rebuild job under way
rather than start one of their own. Without a snapshot, everything works as before.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_countries import countries

from common import korean as korean_module
from common.memory import heap_release
from directory.models import (
    Actor,
    Interest,
    Partnership,
    Region,
    Sector,
    Status,
    directory_fingerprint,
    directory_revision,
)
from jobs.models import UNFINISHED, Job
from matching import engine, glossary, snapshot_file, stored_profiles
from matching import profiles as profiles_module
from matching.engine import MatchIndex, Profile, build_index, extend_index
from matching.profiles import ProfileParts, korean_prepare, profile_from
from matching.profiles import own_words as parts_own_words

log = logging.getLogger(__name__)

# The job that rebuilds the index after a bulk change (matching/jobs.py).
INDEX_JOB_KIND = "matching.index_rebuild"


def website_host(url: str) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def actor_parts(actor: Actor, *, sectors=frozenset(), offers=frozenset(), seeks=frozenset()):
    """One actor as the engine reads it (`ProfileParts`)."""
    return ProfileParts(
        key=actor.id,
        slug=actor.slug,
        name=actor.name,
        side=actor.side,
        kind=actor.kind,
        region=actor.region.code if actor.region else "",
        acronym=actor.acronym,
        city=actor.city,
        website_host=website_host(actor.website),
        description=actor.description,
        keywords=actor.keywords,
        name_ko=actor.name_ko,
        description_ko=actor.description_ko,
        sectors=frozenset(sectors),
        offers=frozenset(offers),
        seeks=frozenset(seeks),
        published=actor.status == Status.PUBLISHED,
    )


def own_words(actor: Actor) -> str:
    """The words that name the actor: name, acronym, city, website host."""
    return parts_own_words(actor_parts(actor))


def directory_parts(*, progress: Callable[[int, int], None] | None = None) -> list[ProfileParts]:
    """Every actor (any status) as the engine reads it; drafts can be ranked, never
    recommended."""
    sectors = dict(Sector.objects.values_list("id", "code"))
    interests = dict(Interest.objects.values_list("id", "code"))
    links: dict[str, dict[int, set[str]]] = {"sectors": {}, "offers": {}, "seeks": {}}
    for name, table, lookup, codes in (
        ("sectors", Actor.sectors.through, "sector_id", sectors),
        ("offers", Actor.offers.through, "interest_id", interests),
        ("seeks", Actor.seeks.through, "interest_id", interests),
    ):
        for actor_id, other_id in table.objects.values_list("actor_id", lookup).iterator():
            links[name].setdefault(actor_id, set()).add(codes[other_id])
    total = Actor.objects.count()
    parts = []
    rows = Actor.objects.select_related("region").only(
        "id", "slug", "name", "acronym", "side", "kind", "status", "description", "keywords",
        "city", "website", "region__code", "name_ko", "description_ko",
    )  # fmt: skip
    for done, actor in enumerate(rows.order_by("id").iterator(chunk_size=2000), start=1):
        parts.append(
            actor_parts(
                actor,
                sectors=links["sectors"].get(actor.id, ()),
                offers=links["offers"].get(actor.id, ()),
                seeks=links["seeks"].get(actor.id, ()),
            )
        )
        if progress and (done % 1000 == 0 or done == total):
            progress(done, total)
    return parts


def directory_profiles(*, progress: Callable[[int, int], None] | None = None) -> list[Profile]:
    """Every actor (any status) as an engine profile."""
    labels = taxonomy_labels()
    parts = directory_parts(progress=progress)
    korean_prepare(parts)
    return [profile_from(p, **labels) for p in parts]


def taxonomy_labels() -> dict[str, dict[str, str]]:
    return {
        "sector_labels": dict(Sector.objects.values_list("code", "label")),
        "interest_labels": dict(Interest.objects.values_list("code", "label")),
    }


@dataclass
class IndexInputs:
    """What an index is made from, read from the directory at one revision."""

    version: int | None
    profiles: list[Profile]
    links: list[tuple[int, int]]
    quiet_words: list[str]
    labels: dict[str, dict[str, str]]


def index_inputs(*, progress: Callable[[int, int], None] | None = None) -> IndexInputs:
    """Read the directory for an index; `progress` counts actors read. The revision is read
    first: whatever follows is at least that revision."""
    version = directory_revision()
    labels = taxonomy_labels()
    profiles = directory_profiles(progress=progress)
    return IndexInputs(
        version=version,
        profiles=profiles,
        # Known partnerships: the peer component reads them (their table bumps the revision).
        links=list(Partnership.objects.values_list("first_id", "second_id")),
        # Taxonomy labels (named as such in the reasons) and places: cities and countries say
        # where an actor is, not what it does.
        quiet_words=[
            *labels["sector_labels"].values(),
            *labels["interest_labels"].values(),
            *Actor.objects.exclude(city="").values_list("city", flat=True).distinct(),
            *Region.objects.values_list("name", flat=True),
            # Other organisations named in a text ("Biocat" between BioXClusters and Chuncheon):
            # every acronym, and every name made of one word.
            *Actor.objects.exclude(acronym="").values_list("acronym", flat=True).distinct(),
            *(p.name for p in profiles if len(p.name.split()) == 1),
            *(name for _code, name in countries),
        ],
        labels=labels,
    )


def index_build(
    *,
    progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str], None] | None = None,
    inputs: IndexInputs | None = None,
) -> MatchIndex:
    """Read the directory (unless `inputs` were read already) and build its index; `progress`
    counts actors read, `stage` names the build steps (for `manage.py build_index`)."""
    inputs = inputs or index_inputs(progress=progress)
    return build_index(
        inputs.profiles,
        version=inputs.version,
        progress=stage,
        links=inputs.links,
        quiet_words=inputs.quiet_words,
        **inputs.labels,
    )


def index_extend(previous: MatchIndex, inputs: IndexInputs) -> MatchIndex | None:
    """`previous` with the actors added since it was built, or None when only a full build
    is right (`engine.extend_index`)."""
    return extend_index(
        previous,
        inputs.profiles,
        version=inputs.version,
        links=inputs.links,
        quiet_words=inputs.quiet_words,
        **inputs.labels,
    )


# -- snapshots: built once by a job, loaded by every web process -------------------------

# The file's layout and its signature: `matching/snapshot_file.py`.


def _signing_key() -> bytes:
    return hashlib.sha256(b"matching.index.snapshot|" + settings.SECRET_KEY.encode()).digest()


@functools.cache
def _code_tag() -> str:
    """Changes with the code that shapes an index: a snapshot pickled by other code (before a
    deployment, or with other versions of the libraries it pickles) is never loaded."""
    digest = hashlib.sha256()
    for library in ("numpy", "scipy", "scikit-learn", "kiwipiepy", "kiwipiepy-model"):
        digest.update(f"{library}={metadata.version(library)};".encode())
    # Korean text is read through the analyser and the glossary: a new term changes the index.
    for module in (
        engine,
        stored_profiles,
        profiles_module,
        glossary,
        korean_module,
        snapshot_file,
    ):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(glossary.GLOSSARY_FILE.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:12]


def snapshot_dir() -> Path:
    """Snapshots of this database's directory: one folder per database, so that a test
    database or a second site on the machine never removes or serves another's."""
    base = getattr(settings, "MATCHING_SNAPSHOT_DIR", "") or Path(settings.VAR_DIR) / "index"
    db = connection.settings_dict
    where = "|".join(str(db.get(key) or "") for key in ("ENGINE", "NAME", "HOST", "PORT"))
    return Path(base) / hashlib.sha256(where.encode()).hexdigest()[:12]


def snapshot_path(*, revision: int, fingerprint: str, partial: bool = False) -> Path:
    """Where the index of `revision` is stored; `partial`: one that took new actors without
    refitting (`refit_due`), stored first and replaced by the full build's."""
    tag = hashlib.sha256(f"{fingerprint}|{_code_tag()}".encode()).hexdigest()[:16]
    return snapshot_dir() / f"r{revision}-{tag}{'-partial' if partial else ''}.index"


def snapshot_write(index: MatchIndex, *, fingerprint: str | None = None) -> Path:
    """Store `index` for the web processes: written to a temporary file and renamed, so a
    reader finds the whole file or none; older snapshots are removed."""
    if index.version is None:
        raise ValueError("an index without a directory revision cannot be stored")
    path = snapshot_path(
        revision=index.version,
        fingerprint=fingerprint or directory_fingerprint(),
        partial=index.refit_due,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
        try:
            snapshot_file.write(out, index, tag=_code_tag().encode(), key=_signing_key())
            out.flush()
            os.fsync(out.fileno())
        except BaseException:
            os.unlink(out.name)
            raise
    os.replace(out.name, path)
    for other in path.parent.glob("*.index"):
        # Not a newer revision's, stored meanwhile by another writer (a job, while a server's
        # start-up build of an older revision was still running); nor, from an extended
        # index, the full build of its own revision.
        revision = _stored_revision(other)
        if other == path or revision is None or revision > index.version:
            continue
        if revision == index.version and index.refit_due and not other.stem.endswith("-partial"):
            continue
        other.unlink(missing_ok=True)
    # Left by a writer that died mid-write (memory, a restart): an hour is longer than any write.
    for left in path.parent.glob("*.tmp"):
        if _modified(left) < time.time() - STALE_WRITE_SECONDS:
            left.unlink(missing_ok=True)
    return path


STALE_WRITE_SECONDS = 3600


def _stored_revision(path: Path) -> int | None:
    """The directory revision a snapshot's name gives ("r12-..."), None for another name."""
    head = path.name.split("-", 1)[0]
    return int(head[1:]) if head[:1] == "r" and head[1:].isdigit() else None


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another writer
        return float("-inf")


def snapshot_load(revision: int | None) -> MatchIndex | None:
    """The stored index of `revision` for this directory and this code, or None: the full
    build's if there is one, else one that took new actors without refitting."""
    if revision is None:
        return None
    fingerprint = directory_fingerprint()
    for partial in (False, True):
        path = snapshot_path(revision=revision, fingerprint=fingerprint, partial=partial)
        index = _snapshot_read(path)
        if index is not None and index.version == revision:
            return index
    return None


def snapshot_stored(revision: int | None, *, full_only: bool = False) -> bool:
    """Whether an index of `revision` is stored: the full build's, or (unless `full_only`)
    an extended one."""
    if revision is None:
        return False
    fingerprint = directory_fingerprint()
    return any(
        snapshot_path(revision=revision, fingerprint=fingerprint, partial=partial).exists()
        for partial in ((False,) if full_only else (False, True))
    )


def snapshot_latest() -> MatchIndex | None:
    """The newest stored index of this database written by this code, whatever its revision
    (a rebuild job extends it with the actors added since), or None."""
    stored = sorted(snapshot_dir().glob("*.index"), key=_modified, reverse=True)
    for path in stored:
        index = _snapshot_read(path, quiet=True)
        if index is not None:
            return index
    return None


def _snapshot_read(path: Path, *, quiet: bool = False) -> MatchIndex | None:
    """The index stored at `path`, its matrices and texts mapped from the file (processes
    that load the same snapshot share its pages), or None when there is none to trust."""
    try:
        index = snapshot_file.read(
            path, tag=_code_tag().encode(), key=_signing_key(),
            mapped=getattr(settings, "MATCHING_SNAPSHOT_MAPPED", True),
        )  # fmt: skip
    except FileNotFoundError:
        return None
    except snapshot_file.OtherCode:
        if not quiet:
            log.warning("the ranking index snapshot %s was written by other code: ignored", path)
        return None
    except snapshot_file.NotSigned:
        # Unpickling runs code: only files this site signed are read (a file replaced on
        # shared storage, or truncated, is ignored and the index built the usual way).
        log.warning("the ranking index snapshot %s is not signed by this site: ignored", path)
        return None
    except OSError:  # unreadable (permissions, not a file): built the usual way instead
        log.warning("the ranking index snapshot %s cannot be read: ignored", path, exc_info=True)
        return None
    except Exception:  # a damaged file: built the usual way instead
        log.exception("the ranking index snapshot %s cannot be read", path)
        return None
    return index if isinstance(index, MatchIndex) else None


def rebuild_job_under_way() -> bool:
    """A rebuild job queued recently and not finished: a stale web process waits for its
    snapshot rather than build the same index itself. A job waiting longer than
    MATCHING_SNAPSHOT_WAIT_SECONDS (a busy or stopped worker) is not waited for."""
    wait = getattr(settings, "MATCHING_SNAPSHOT_WAIT_SECONDS", 120)
    if wait <= 0:
        return False
    since = timezone.now() - timedelta(seconds=wait)
    return Job.objects.filter(
        kind=INDEX_JOB_KIND, status__in=UNFINISHED, created_at__gte=since
    ).exists()


def _rebuild_job_queued() -> bool:
    """Queue the rebuild job after a change no job was queued for (a profile edited), unless
    web processes never wait for one (MATCHING_SNAPSHOT_WAIT_SECONDS 0); a job already
    waiting is not queued twice."""
    if getattr(settings, "MATCHING_SNAPSHOT_WAIT_SECONDS", 120) <= 0:
        return False
    from matching.jobs import schedule_index_rebuild  # the job module imports this one

    # No one asked for it: the job list shows it in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        schedule_index_rebuild(reason=gettext("changes to the directory"))
    return True


# How often a process serving an index that took new actors without refitting looks for the
# full build's snapshot.
FULL_BUILD_LOOK_SECONDS = 2.0


class IndexHolder:
    """Holds this process's index; at most one rebuild runs at a time."""

    def __init__(self) -> None:
        self._index: MatchIndex | None = None
        self._lock = threading.Lock()
        self._rebuilding: threading.Thread | None = None
        self.builds = 0
        self.loads = 0  # indexes taken from a snapshot instead of built
        self._full_build_looked = float("-inf")

    def clear(self) -> None:
        with self._lock:
            self._index = None
            self._full_build_looked = float("-inf")

    def peek(self) -> MatchIndex | None:
        """The index this process holds, whatever its revision (None before the first)."""
        return self._index

    def put(self, index: MatchIndex, *, loaded: bool = False) -> None:
        """Serve `index` from now on (the rebuild job warms its own worker with it; a server's
        start-up gives the snapshot it `loaded`)."""
        with self._lock:
            self._index = index
            self.loads += loaded

    def _fresh(self, version: int | None) -> MatchIndex:
        """The index of `version`: the job's snapshot if there is one, else built here.
        Called with the lock held."""
        index = snapshot_load(version)
        if index is not None:
            self.loads += 1
            return index
        self.builds += 1
        return index_build()

    def get(self, *, background: bool | None = None) -> MatchIndex:
        if background is None:
            background = getattr(settings, "MATCHING_REBUILD_IN_BACKGROUND", True)
        version = directory_revision()
        index = self._index
        if index is not None and index.version == version:
            if index.refit_due and self._full_build_stored(version):
                if not background:
                    return self._full_build_take(version)
                self._refresh_in_background()  # its snapshot_load prefers the full build
            return index
        if index is None or not background:
            self.wait()  # a rebuild already under way may be the fresh index we need
            with self._lock:
                if self._index is None or self._index.version != version:
                    self._index = self._fresh(version)
                return self._index
        idle = self._rebuilding is None or not self._rebuilding.is_alive()
        if idle and not snapshot_stored(version) and rebuild_job_under_way():
            return index  # the job's snapshot will come; until then, the previous index
        self._refresh_in_background()
        return index

    def _full_build_stored(self, version: int) -> bool:
        """Whether the full build of `version` is stored, looked for at most every few seconds
        (a look costs a count of the actors)."""
        now = time.monotonic()
        if now - self._full_build_looked < FULL_BUILD_LOOK_SECONDS:
            return False
        self._full_build_looked = now
        return snapshot_stored(version, full_only=True)

    def _full_build_take(self, version: int) -> MatchIndex:
        with self._lock:
            full = snapshot_load(version)
            if full is not None and not full.refit_due:
                self.loads += 1
                self._index = full
            return self._index

    def _refresh_in_background(self) -> None:
        with self._lock:
            if self._rebuilding is not None and self._rebuilding.is_alive():
                return
            self._rebuilding = threading.Thread(
                target=self._rebuild, name="match-index-rebuild", daemon=True
            )
            self._rebuilding.start()

    def _rebuild(self) -> None:
        try:
            version = directory_revision()
            fresh = snapshot_load(version)
            if fresh is None and self._index is not None and _rebuild_job_queued():
                # Built once, in a job worker, for every process: five workers building at
                # once on two cores took 30 s each at 100,000 actors, and each kept its own
                # copy (and scikit-learn, about 100 MB). Until the job's snapshot is stored,
                # the previous index answers (an immediate task backend has stored it
                # already); a job no worker took in time is not waited for.
                fresh = snapshot_load(version)
                if fresh is None and rebuild_job_under_way():
                    return
            if fresh is not None:
                self.loads += 1
            else:
                fresh = index_build()
                self.builds += 1
            with self._lock:
                self._index = fresh
            del fresh
            heap_release()  # the previous index and the build's leftovers
        except Exception:  # pragma: no cover - logged, the old index keeps serving
            log.exception("rebuilding the ranking index failed")
        finally:
            connection.close()  # this thread's own connection

    def wait(self, timeout: float | None = 30) -> None:
        thread = self._rebuilding
        if thread is not None:
            thread.join(timeout)


holder = IndexHolder()


def current_index() -> MatchIndex:
    return holder.get()


def index_warm_before_fork() -> bool:
    """Load (or build) the index in a server's parent process, before it starts its workers.

    gunicorn with --preload forks its workers from a parent that already holds the index:
    they share its memory pages until a change makes one rebuild, and none of them builds on
    its first ranking (at 100,000 actors, five workers building at once on two cores took
    longer than the request timeout). The parent's database connections are closed and its
    Korean analyser let go, so that no worker inherits a connection or the analyser's
    threads. Returns False (and the workers build as usual) when the index cannot be had,
    e.g. before the first migration: logged, never a reason not to start.
    """
    import gc

    from django.db import connections

    try:
        stored = _full_snapshot()
        if stored is not None:
            holder.put(stored, loaded=True)
        else:
            # Built in a child that stores the snapshot and exits, so that the parent (and
            # every worker forked from it) holds only the loaded index, not the build's
            # leftovers: about 300 MB instead of 600 at 100,000 actors.
            _snapshot_build_in_child()
            holder.get(background=False)  # the snapshot, or (if the child failed) a build here
        heap_release()
        # The garbage collector's first full pass in each worker would write to every object
        # it tracks, the index's too, and unshare their pages: what exists now is left out of
        # its passes (the index is replaced, not changed, when the directory changes).
        gc.freeze()
        return True
    except Exception:  # never a reason not to start: the workers build on their first ranking
        log.warning("the ranking index was not loaded before the workers started", exc_info=True)
        return False
    finally:
        connections.close_all()
        korean_module.analyser_release()


def _full_snapshot() -> MatchIndex | None:
    """The full build's snapshot of the directory as it is, read once, or None. Not an
    extended one: a server starting beside an index left by a job whose full build failed
    (memory, a crash) builds the full one, in the child; nor one that cannot be read (signed
    with a former SECRET_KEY, damaged)."""
    revision = directory_revision()
    if revision is None:
        return None
    index = _snapshot_read(snapshot_path(revision=revision, fingerprint=directory_fingerprint()))
    if index is None or index.version != revision or index.refit_due:
        return None
    return index


def _snapshot_build_in_child() -> bool:
    """Fork a child that builds the index and stores its snapshot; True if it did. The
    parent's database connections are closed first, so that the child opens its own."""
    from django.db import connections

    connections.close_all()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the server's start-up
        code = 1
        try:
            fingerprint = directory_fingerprint()
            index = index_build()
            if index.version is not None:
                snapshot_write(index, fingerprint=fingerprint)
                code = 0
        except BaseException:
            log.exception("building the ranking index before the workers started failed")
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def fresh_index_for(*, actor_ids: Iterable[int]) -> MatchIndex:
    """An index that knows every one of `actor_ids`, rebuilt first if one is missing."""
    index = current_index()
    if any(a not in index.position for a in actor_ids):
        # An actor newer than the index the background rebuild is still making: answering
        # from the old index would score it 0 or fail, so wait for the fresh one instead.
        index = holder.get(background=False)
    return index
