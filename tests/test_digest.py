"""The content hash without OpenSSL gives hashlib's digest, byte for byte."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from tipconv.digest import sha256_hex


@given(st.binary(max_size=5000))
def test_digest_equals_hashlib(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_a_large_input_hashes_alike() -> None:
    data = b"Freedonia is a source country.\n" * 200_000
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_parsing_one_text_loads_no_openssl() -> None:
    code = "import sys, tipconv; tipconv.parse('Peru (Tier 1)'); print('_hashlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
