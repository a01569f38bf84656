"""Theming's big arrays go back to the system when freed, so a report's memory does not stay
at its peak or pile up over the reports after it.

glibc's malloc serves a block of up to 32 MB from its heap rather than a mapping of its own
once a block that size has been freed (its mmap threshold rises with each big block
freed), and a heap rarely shrinks: the matrices of 20,000 points' vectors (tens of MB
each) that theming makes and drops stayed resident after it, and in the thread a report
is themed in. A fixed threshold gives every block over `MMAP_THRESHOLD` a mapping of its
own, unmapped when freed: theming 10,000 answers peaked 60 MB lower and left 100 MB less
resident after it (bench/README.md). Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import lru_cache

log = logging.getLogger(__name__)

MMAP_THRESHOLD = 1 << 20  # bytes: 2,700 vectors of 384 floats
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)


@lru_cache(maxsize=1)
def big_blocks_mapped() -> bool:
    """Set glibc's mmap threshold once per process; whether it took."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    if not done:
        log.debug("mallopt(M_MMAP_THRESHOLD) refused")
    return done
