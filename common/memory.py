"""Handing freed memory back to the operating system.

Building a large index allocates far more than the index keeps (the profiles read from the
database, the vectorizer's counts); Python frees it, but the C allocator keeps the pages for
later, so a process that built once stays as large as at its peak. A server's parent that
built the index before forking its workers passes that peak on to every worker's resident
size.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc


@functools.cache
def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def heap_release() -> bool:
    """Collect garbage, then ask glibc to return the free pages of its heap (`malloc_trim`).
    Returns False where there is no glibc (macOS, musl): nothing to do there."""
    gc.collect()
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
