"""tipconv.repair: ligatures and words broken by someone else's PDF extraction."""

from __future__ import annotations

import pytest

from tipconv.repair import COMMON_WORDS, fix_ligatures, join_broken_words, vocabulary

DOCUMENT = vocabulary(
    ["The government successfully prosecuted traffickers under the anti-slavery law."]
)


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("suc- cessfully", "successfully"),  # the document uses the joined word
        ("anti- slavery", "anti-slavery"),  # it does not: only the space goes
        ("short- and long-term", "short- and long-term"),  # a suspended hyphen stays
        ("traffi cking", "trafficking"),  # split where a ligature stood
        ("tra fficking", "trafficking"),
        ("traficking", "trafficking"),  # the ligature's letter lost
        ("oﬃcials ﬁnd", "officials find"),  # ligature glyphs
        ("of course", "of course"),  # two words that make no known word stay apart
        ("the staff left", "the staff left"),
        ("Traffi cking", "Trafficking"),
    ],
)
def test_join_broken_words(broken: str, repaired: str) -> None:
    assert join_broken_words(broken, DOCUMENT) == repaired


def test_a_word_the_document_prints_is_left_alone() -> None:
    words = vocabulary(["The traficking of the name is as printed."])
    assert join_broken_words("traficking", words) == "traficking"


def test_fix_ligatures_only_touches_ligatures() -> None:
    assert fix_ligatures("ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ") == "ff fi fl ffi ffl st st"
    text = "plain ASCII and déjà vu"
    assert fix_ligatures(text) == text


def test_vocabulary_holds_the_common_words() -> None:
    assert vocabulary([]) >= COMMON_WORDS
    assert "prosecuted" in DOCUMENT and "anti" in DOCUMENT
