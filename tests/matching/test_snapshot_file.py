"""The snapshot file: large arrays mapped from the file (shared by every process that loads it),
everything signed, and an index read back from it ranking exactly as the one written."""

import mmap
import pickle

import numpy as np
import pytest

from bench.synthetic import synthetic_profiles
from matching import snapshot_file
from matching.engine import Filters, build_index, extend_index

KEY = b"k" * 32
TAG = b"0123456789ab"


@pytest.fixture(scope="module")
def built():
    profiles = synthetic_profiles(400)
    return profiles, build_index(profiles[:380], version=1)


def stored(tmp_path, obj):
    path = tmp_path / "snapshot.index"
    with open(path, "wb") as out:
        snapshot_file.write(out, obj, tag=TAG, key=KEY)
    return path


def mapped(array: np.ndarray) -> bool:
    """Whether the array's memory is a view of a file mapping, not its own copy."""
    base = array
    while isinstance(base, np.ndarray) and base.base is not None:
        base = base.base
    return isinstance(base, memoryview) and isinstance(base.obj, mmap.mmap)


def ranked(index, key):
    return [
        (m.key, round(m.score, 6), m.shared_terms, m.shared_sectors, m.they_offer_you_seek)
        for m in index.rank(key, top=15, explain=15)
    ]


def test_an_index_read_back_is_mapped_and_ranks_as_the_one_written(tmp_path, built):
    profiles, index = built
    loaded = snapshot_file.read(stored(tmp_path, index), tag=TAG, key=KEY)
    # The matrices and the packed texts are views of the file, and read-only.
    for array in (
        loaded.tfidf.data, loaded.tfidf.indices, loaded.latent, loaded.sectors,
        loaded.profiles._packed,
    ):  # fmt: skip
        assert mapped(array) and not array.flags.writeable
    assert not mapped(index.tfidf.data)
    for key in (profiles[0].key, profiles[77].key, profiles[300].key):
        assert ranked(loaded, key) == ranked(index, key)
    kr = Filters(kinds=frozenset({"university", "foundation"}), sectors=frozenset({"sector-3"}))
    filtered = [m.key for m in loaded.rank(profiles[5].key, filters=kr, top=5)]
    assert filtered and filtered == [m.key for m in index.rank(profiles[5].key, filters=kr, top=5)]
    a, b = profiles[1].key, profiles[2].key
    assert loaded.pair(a, b) == index.pair(a, b)
    assert loaded.rank_like(a, b, top=5) == index.rank_like(a, b, top=5)
    assert list(loaded.profiles) == list(index.profiles)


def test_an_index_read_back_takes_new_actors_and_is_stored_again(tmp_path, built):
    profiles, index = built
    loaded = snapshot_file.read(stored(tmp_path, index), tag=TAG, key=KEY)
    grown = extend_index(loaded, profiles, version=2)
    expected = extend_index(index, profiles, version=2)
    assert grown is not None and grown.size == 400
    assert ranked(grown, profiles[390].key) == ranked(expected, profiles[390].key)
    again = snapshot_file.read(stored(tmp_path / "..", grown), tag=TAG, key=KEY)
    assert ranked(again, profiles[390].key) == ranked(expected, profiles[390].key)
    assert again.profiles.text(399) == profiles[399].text


def test_every_changed_byte_is_refused_before_anything_is_unpickled(tmp_path, built):
    _profiles, index = built
    path = stored(tmp_path, index)
    data = path.read_bytes()
    header = len(snapshot_file.MARK) + snapshot_file.TAG_BYTES + 32
    # The table, the pickle, the padding between buffers, a buffer, the last byte.
    for at in (header + 3, header + 200, len(data) // 2, len(data) - 1):
        changed = bytearray(data)
        changed[at] ^= 0x01
        path.write_bytes(bytes(changed))
        with pytest.raises(snapshot_file.NotSigned):
            snapshot_file.read(path, tag=TAG, key=KEY)
    path.write_bytes(data[: len(data) - 4096])  # cut short
    with pytest.raises(snapshot_file.NotSigned):
        snapshot_file.read(path, tag=TAG, key=KEY)
    path.write_bytes(data)
    with pytest.raises(snapshot_file.NotSigned):
        snapshot_file.read(path, tag=TAG, key=b"another key" * 3)
    with pytest.raises(snapshot_file.OtherCode):
        snapshot_file.read(path, tag=b"ba9876543210", key=KEY)
    path.write_bytes(pickle.dumps(index))  # a plain pickle, no mark
    with pytest.raises(snapshot_file.OtherCode):
        snapshot_file.read(path, tag=TAG, key=KEY)


def test_small_objects_stay_in_the_pickle(tmp_path):
    value = {"a": np.arange(10), "b": "text"}
    loaded = snapshot_file.read(stored(tmp_path, value), tag=TAG, key=KEY)
    assert loaded["b"] == "text" and loaded["a"].tolist() == list(range(10))
    assert loaded["a"].flags.writeable  # no mapping for ten numbers


def test_buffers_start_on_page_boundaries(tmp_path):
    value = [np.arange(100_000, dtype=np.float32), np.ones(70_001, dtype=np.int8)]
    value.append(np.arange(50_000, dtype=np.int64))
    loaded = snapshot_file.read(stored(tmp_path, value), tag=TAG, key=KEY)
    for original, back in zip(value, loaded, strict=True):
        assert np.array_equal(original, back) and mapped(back)
        assert back.ctypes.data % mmap.PAGESIZE == 0
