"""orjson on the batch path writes what the standard encoder writes, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tipconv.reading import parse_file
from tipconv.writers._json import _standard, dump_report, fast_encoder

from .conftest import FIXTURES

INPUTS = sorted([*FIXTURES.glob("*.txt"), *FIXTURES.glob("regressions/*.txt")])

pytestmark = pytest.mark.skipif(fast_encoder() is None, reason="orjson is not installed")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_every_fixture_encodes_alike(path: Path) -> None:
    report = parse_file(path, encoding="auto")
    assert dump_report(report, None, fast=True) == dump_report(report, None)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | _TEXT
    # A report holds one kind of float, `tier_ordinal` (2.5); orjson writes exponents
    # otherwise ("1e-7" against "1e-07"), which no report holds.
    | st.sampled_from([2.5, 1.0, 0.5, -3.75, 3.0]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


@given(_VALUES)
def test_random_data_encodes_alike(value: object) -> None:
    encode = fast_encoder()
    assert encode is not None
    assert encode(value) == _standard(None).encode(value)


def test_a_lone_surrogate_falls_back_to_the_standard_encoder() -> None:
    report = parse_file(FIXTURES / "refworld-2003-hong-kong.txt")
    odd = report.replace(source=report.source.replace(path="bad-\udcff.txt"))
    fast = dump_report(odd, None, fast=True)
    assert fast == dump_report(odd, None) and json.loads(fast)["source"]["path"] == "bad-\udcff.txt"
