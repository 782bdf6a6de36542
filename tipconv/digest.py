"""SHA-256 of a text's bytes, without loading OpenSSL where the interpreter has its own.

`hashlib` imports `_hashlib`, the OpenSSL binding, whose start-up costs about 11 M
instructions: more than the rest of a one-file parse's hashing by far. CPython builds its own
SHA-256 into the standard library as `_sha256` (`_sha2` from 3.12); where neither exists,
hashlib's is used. `tests/test_digest.py` proves the digests equal to hashlib's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_Hash = Callable[[bytes], Any]


def _builtin_sha256() -> _Hash:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]  # CPython 3.12+
        except ImportError:
            from hashlib import sha256
    found: _Hash = sha256
    return found


_SHA256 = _builtin_sha256()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of `data` as 64 lower-case hex digits (hashlib's hexdigest)."""
    digest: str = _SHA256(data).hexdigest()
    return digest
