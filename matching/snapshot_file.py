"""A signed file of one pickled object whose large arrays are mapped, not read.

Pickle's protocol 5 hands every large NumPy buffer (the index's matrices, its packed texts) to
the writer apart from the rest; here each is written at a page boundary after the pickle. A
reader maps the file and gives those buffers back as views of the mapping: loading costs no
copy, a process holds in memory only the pages it reads (a ranking reads the matrices, and
the texts of the few dozen profiles it explains), and every process that loads the same file
shares the same pages of the operating system's cache.

Layout: the mark, the code's tag (12 bytes), an HMAC-SHA256 of the tag and everything after
it, then the pickle's length and the buffers' count, each buffer's (offset, length), the
pickle, and the buffers. The signature is checked by reading the file, not through the
mapping, so that checking does not count every page as the process's own.

No Django import: the caller gives the key and the tag.
"""

from __future__ import annotations

import hashlib
import hmac
import mmap
import os
import pickle
import struct
from pathlib import Path
from typing import BinaryIO

MARK = b"CMIDX3\n"
TAG_BYTES = 12
_SIGNATURE_BYTES = hashlib.sha256().digest_size
_HEAD = len(MARK) + TAG_BYTES + _SIGNATURE_BYTES
_COUNTS = struct.Struct(">QI")  # the pickle's length, the number of buffers
_PLACE = struct.Struct(">QQ")  # one buffer's offset and length
_PAGE = mmap.PAGESIZE
# Smaller buffers stay inside the pickle: a page each for a few bytes is not worth it.
IN_BAND_BELOW = 1 << 16
_CHUNK = 1 << 20


class OtherCode(ValueError):
    """The file was written by other code (another format or another tag)."""


class NotSigned(ValueError):
    """The file's signature is not this key's: changed, truncated or written elsewhere."""


def _aligned(offset: int) -> int:
    return -(-offset // _PAGE) * _PAGE


def write(out: BinaryIO, obj: object, *, tag: bytes, key: bytes) -> None:
    """Write `obj` to the open file `out` (empty, seekable), signed with `key`."""
    if len(tag) != TAG_BYTES:
        raise ValueError(f"a tag has {TAG_BYTES} bytes")
    buffers: list[memoryview] = []

    def out_of_band(buffer: pickle.PickleBuffer) -> bool:
        raw = buffer.raw()
        if raw.nbytes < IN_BAND_BELOW:
            return True  # in the pickle
        buffers.append(raw)
        return False

    payload = pickle.dumps(obj, protocol=5, buffer_callback=out_of_band)
    table_end = _HEAD + _COUNTS.size + _PLACE.size * len(buffers)
    places, offset = [], table_end + len(payload)
    for raw in buffers:
        offset = _aligned(offset)
        places.append((offset, raw.nbytes))
        offset += raw.nbytes
    signed = hmac.new(key, tag, digestmod=hashlib.sha256)

    def put(data: bytes | memoryview) -> None:
        signed.update(data)
        out.write(data)

    out.write(MARK + tag + bytes(_SIGNATURE_BYTES))  # the signature once it is known
    put(_COUNTS.pack(len(payload), len(buffers)))
    for place in places:
        put(_PLACE.pack(*place))
    put(payload)
    written = table_end + len(payload)
    for (start, _length), raw in zip(places, buffers, strict=True):
        put(bytes(start - written))
        put(raw)
        written = start + raw.nbytes
    out.seek(len(MARK) + TAG_BYTES)
    out.write(signed.digest())
    out.seek(0, 2)


def read(path: Path, *, tag: bytes, key: bytes, mapped: bool = True) -> object:
    """The object stored at `path`, its large arrays read-only views of the file's mapping
    (`mapped`), or read into memory: a file on shared storage (NFS) may be removed or written
    over by another machine, and a process touching a page of it then dies of SIGBUS.
    Raises OtherCode or NotSigned for a file this code and key did not write, OSError if it
    cannot be read."""
    with open(path, "rb") as stored:
        head = stored.read(_HEAD)
        if not head.startswith(MARK) or head[len(MARK) : len(MARK) + TAG_BYTES] != tag:
            raise OtherCode(path)
        size = os.fstat(stored.fileno()).st_size
        signed = hmac.new(key, tag, digestmod=hashlib.sha256)
        # The counts, the table and the pickle are kept from the pass that is signed, never
        # read again: a file written over in place meanwhile cannot swap in another pickle.
        # Until the signature is checked the counts only bound what is read, by the file.
        counts = stored.read(_COUNTS.size)
        if len(counts) < _COUNTS.size:
            raise NotSigned(path)
        length, count = _COUNTS.unpack(counts)
        front = _PLACE.size * count + length
        if _HEAD + _COUNTS.size + front > size:
            raise NotSigned(path)
        kept = stored.read(front)
        signed.update(counts)
        signed.update(kept)
        chunk = bytearray(_CHUNK)
        view = memoryview(chunk)
        while n := stored.readinto(chunk):
            signed.update(view[:n])
        if not hmac.compare_digest(head[len(MARK) + TAG_BYTES :], signed.digest()):
            raise NotSigned(path)
        places = [_PLACE.unpack_from(kept, i * _PLACE.size) for i in range(count)]
        payload = memoryview(kept)[_PLACE.size * count :]
        if not count:
            return pickle.loads(payload)  # noqa: S301 - signed above with the caller's key
        if any(start + length > size for start, length in places):
            raise ValueError(f"{path}: a buffer lies past the end of the file")
        if not mapped:
            buffers = []
            for start, length in places:
                stored.seek(start)
                buffers.append(memoryview(stored.read(length)))  # read-only, as mapped
            return pickle.loads(payload, buffers=buffers)  # noqa: S301 - signed above
        # The mapping outlives the file object: the arrays made from it keep it open.
        mapping = memoryview(mmap.mmap(stored.fileno(), 0, access=mmap.ACCESS_READ))
    buffers = [mapping[start : start + size] for start, size in places]
    return pickle.loads(payload, buffers=buffers)  # noqa: S301 - signed above
