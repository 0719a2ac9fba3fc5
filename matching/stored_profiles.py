"""The profiles an index was built from, kept small for as long as the index lives.

An index keeps its profiles for what a ranking shows (key, slug, name) and for its reasons
(the texts, read for phrases, and the sector and interest sets), but at 100,000 actors the
plain objects took more memory than the index's matrices: the texts alone ~180 MB, the
frozensets ~65 MB. Here each text (with the actor's own words) is zlib-compressed, and all of
them are kept end to end in one byte array (a stored index maps it from its file, so a process
holds in memory only the pages of the texts it reads); the sets are rows of small sparse
matrices, and the few distinct sides, kinds and regions are shared strings. Reading one
profile back costs about ten microseconds; a ranking reads a few dozen.

No Django import: the engine and the evaluation use it alone.
"""

from __future__ import annotations

import hashlib
import sys
import zlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from matching.engine import Profile


def _pack(text: str, own_words: str) -> bytes:
    return zlib.compress(_pack_plain(text, own_words), 1)


def _end_to_end(packed: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """The packed texts in one byte array, and where each starts (one more: the end)."""
    starts = np.zeros(len(packed) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in packed], out=starts[1:])
    return np.frombuffer(b"".join(packed), dtype=np.uint8), starts


def _digests(profiles: Sequence[Profile]) -> np.ndarray:
    """Eight bytes of a BLAKE2 digest per profile's text and own words: enough to
    tell a changed text from the stored one without unpacking it (a microsecond each)."""
    digest = hashlib.blake2b
    return np.array(
        [
            int.from_bytes(digest(_pack_plain(p.text, p.own_words), digest_size=8).digest(), "big")
            for p in profiles
        ],
        dtype=np.uint64,
    )


def _pack_plain(text: str, own_words: str) -> bytes:
    # The own words' length first, so that no character of either string can confuse the two.
    own = own_words.encode()
    return len(own).to_bytes(4, "big") + own + text.encode()


def _incidence(sets: list[frozenset[str]], codes: dict[str, int]) -> sparse.csr_matrix:
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    indices: list[int] = []
    for n, items in enumerate(sets):
        indices.extend(sorted(codes[c] for c in items))
        indptr[n + 1] = len(indices)
    data = np.ones(len(indices), dtype=np.int8)
    return sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int32), indptr), shape=(len(sets), len(codes))
    )


class StoredProfiles(Sequence["Profile"]):
    """A read-only sequence of `Profile`s, stored compactly (see the module's docstring)."""

    def __init__(self, profiles: Sequence[Profile]) -> None:
        intern = sys.intern
        self.keys = np.array([p.key for p in profiles], dtype=np.int64)
        self.slugs = [p.slug for p in profiles]
        self.names = [p.name for p in profiles]
        self.sides = [intern(p.side) for p in profiles]
        self.kinds = [intern(p.kind) for p in profiles]
        self.regions = [intern(p.region) for p in profiles]
        self.published = np.array([p.published for p in profiles], dtype=bool)
        self._packed, self._starts = _end_to_end([_pack(p.text, p.own_words) for p in profiles])
        self._digests = _digests(profiles)
        all_codes = sorted({c for p in profiles for c in p.sectors | p.offers | p.seeks})
        self._codes = [intern(c) for c in all_codes]
        position = {c: i for i, c in enumerate(all_codes)}
        self._sectors = _incidence([p.sectors for p in profiles], position)
        self._offers = _incidence([p.offers for p in profiles], position)
        self._seeks = _incidence([p.seeks for p in profiles], position)
        self._sets = {"sectors": self._sectors, "offers": self._offers, "seeks": self._seeks}

    def extended(self, profiles: Sequence[Profile]) -> StoredProfiles | None:
        """A store of `profiles` when its first ones are this store's, field for field and in
        order (then only the rest are packed: at 100,000 profiles, packing every text again
        took 2.3 s); None when one of them differs or uses a code this store has not seen."""
        n = len(self)
        position = {code: i for i, code in enumerate(self._codes)}
        if len(profiles) < n or any(
            c not in position for p in profiles[n:] for c in p.sectors | p.offers | p.seeks
        ):
            return None
        head = profiles[:n]
        same = (
            np.array_equal(self.keys, [p.key for p in head])
            and np.array_equal(self.published, [p.published for p in head])
            and self.slugs == [p.slug for p in head]
            and self.names == [p.name for p in head]
            and self.sides == [p.side for p in head]
            and self.kinds == [p.kind for p in head]
            and self.regions == [p.region for p in head]
            and np.array_equal(self._digests, _digests(head))
        )
        if not same or any(c not in position for p in head for c in p.sectors | p.offers | p.seeks):
            return None
        sets = {
            kind: _incidence([getattr(p, kind) for p in profiles], position)
            for kind in ("sectors", "offers", "seeks")
        }
        for kind, matrix in sets.items():
            mine = self._sets[kind]
            if not (
                np.array_equal(matrix.indptr[: n + 1], mine.indptr)
                and np.array_equal(matrix.indices[: matrix.indptr[n]], mine.indices)
            ):
                return None
        rest = profiles[n:]
        grown = StoredProfiles.__new__(StoredProfiles)
        intern = sys.intern
        grown.keys = np.concatenate([self.keys, np.array([p.key for p in rest], dtype=np.int64)])
        grown.slugs = self.slugs + [p.slug for p in rest]
        grown.names = self.names + [p.name for p in rest]
        grown.sides = self.sides + [intern(p.side) for p in rest]
        grown.kinds = self.kinds + [intern(p.kind) for p in rest]
        grown.regions = self.regions + [intern(p.region) for p in rest]
        grown.published = np.concatenate(
            [self.published, np.array([p.published for p in rest], dtype=bool)]
        )
        added, starts = _end_to_end([_pack(p.text, p.own_words) for p in rest])
        grown._packed = np.concatenate([self._packed, added])
        grown._starts = np.concatenate([self._starts[:-1], starts + self._starts[-1]])
        grown._digests = np.concatenate([self._digests, _digests(rest)])
        grown._codes = self._codes
        grown._sectors, grown._offers, grown._seeks = (
            sets["sectors"],
            sets["offers"],
            sets["seeks"],
        )
        grown._sets = sets
        return grown

    def __len__(self) -> int:
        return len(self.slugs)

    @overload
    def __getitem__(self, i: int) -> Profile: ...
    @overload
    def __getitem__(self, i: slice) -> list[Profile]: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[n] for n in range(*i.indices(len(self)))]
        from matching.engine import Profile

        i = range(len(self))[i]  # negative positions and bounds, as a list has them
        text, own_words = self._unpack(i)
        return Profile(
            key=int(self.keys[i]),
            slug=self.slugs[i],
            name=self.names[i],
            side=self.sides[i],
            kind=self.kinds[i],
            region=self.regions[i],
            text=text,
            sectors=self.sectors_of(i),
            offers=self.offers_of(i),
            seeks=self.seeks_of(i),
            published=bool(self.published[i]),
            own_words=own_words,
        )

    def __iter__(self) -> Iterator[Profile]:
        return (self[i] for i in range(len(self)))

    def _unpack(self, i: int) -> tuple[str, str]:
        raw = zlib.decompress(self._packed[self._starts[i] : self._starts[i + 1]])
        end = 4 + int.from_bytes(raw[:4], "big")
        return raw[end:].decode(), raw[4:end].decode()

    def text(self, i: int) -> str:
        """The profile's text as it was indexed."""
        return self._unpack(i)[0]

    def _codes_of(self, matrix: sparse.csr_matrix, i: int) -> frozenset[str]:
        codes = self._codes
        return frozenset(codes[c] for c in matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]])

    def shared(self, mine: str, i: int, theirs: str, j: int) -> list[str]:
        """The codes in profile `i`'s `mine` set ("sectors", "offers", "seeks") that are also in
        profile `j`'s `theirs` set: intersected as small integers, named only when shared (an
        explanation asks this three times per candidate)."""
        b = self._sets[theirs]
        common = self._ids(mine, i).intersection(b.indices[b.indptr[j] : b.indptr[j + 1]].tolist())
        codes = self._codes
        return [codes[c] for c in common]

    def _ids(self, kind: str, i: int) -> set[int]:
        # The query's side of `shared`, asked for each of its candidates in turn: remembered
        # for the last few profiles (a dict of a few small sets; not part of the pickle).
        memo = self.__dict__.setdefault("_memo", {})
        found = memo.get((kind, i))
        if found is None:
            if len(memo) > 64:
                memo.clear()
            m = self._sets[kind]
            found = memo[(kind, i)] = set(m.indices[m.indptr[i] : m.indptr[i + 1]].tolist())
        return found

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_memo", None)
        return state

    def sectors_of(self, i: int) -> frozenset[str]:
        return self._codes_of(self._sectors, i)

    def offers_of(self, i: int) -> frozenset[str]:
        return self._codes_of(self._offers, i)

    def seeks_of(self, i: int) -> frozenset[str]:
        return self._codes_of(self._seeks, i)

    @property
    def nbytes(self) -> int:
        """Roughly what the store holds, for `build_index` reports and the benchmarks."""
        size = sys.getsizeof
        strings = sum(size(s) for s in self.slugs) + sum(size(s) for s in self.names)
        packed = self._packed.nbytes + self._starts.nbytes
        sets = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in
                   (self._sectors, self._offers, self._seeks))  # fmt: skip
        lists = 8 * len(self) * 6  # the six lists' pointers
        return strings + packed + sets + lists + self.keys.nbytes + self.published.nbytes
