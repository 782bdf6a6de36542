"""The parser against the truth known for the reference sample, and its building blocks."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tipconv
from tipconv import dates, header
from tipconv.classify import match_heading
from tipconv.dates import to_iso
from tipconv.model import Level, Tier
from tipconv.patterns import tier_from_words
from tipconv.rules import match_label
from tipconv.text import (
    _CONTROL_CHARS,
    _INVISIBLE_CHARS,
    _ODD_SPACES,
    clean_text,
    decode,
    repair_mojibake,
    split_lines,
)

from .conftest import FIXTURES

SAMPLE = FIXTURES / "refworld-2003-hong-kong.txt"


@pytest.fixture(scope="module")
def sample() -> tipconv.Report:
    return tipconv.parse_file(SAMPLE)


def test_sample_metadata_matches_the_known_truth(sample: tipconv.Report) -> None:
    meta = sample.metadata
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    assert (
        meta.title
        == lines[2]
        == ("U.S. Department of State 2003 Trafficking in Persons Report - Hong Kong")
    )
    assert meta.report_year == 2003
    assert meta.subject == "Hong Kong"
    assert meta.last_updated == "2015-11-27T12:04:00+00:00"
    assert meta.publisher == "United States Department of State"
    assert meta.author == "Office to Monitor and Combat Trafficking in Persons"
    assert meta.publication_date == "2003-06-11"
    assert meta.accessed_date == "2015-11-30"
    assert meta.url is None  # this copy had its URL stripped
    assert meta.cite_as is not None and meta.cite_as.startswith("United States Department")
    assert sample.disclaimer == lines[8].removeprefix("Disclaimer")


def test_sample_section_matches_the_known_truth(sample: tipconv.Report) -> None:
    (section,) = sample.sections
    assert section.heading == "Hong Kong (Tier 1)"
    assert section.line == 11
    assert section.country == "Hong Kong"
    assert section.tier is Tier.TIER_1
    assert section.tier_ordinal == 1
    assert (section.iso3, section.cow_code) == ("HKG", None)
    assert [p.line for p in section.paragraphs] == [13, 15, 18, 21, 24]
    assert all("Search Refworld" not in p.text for p in section.paragraphs)


def test_sample_parts_are_inferred_at_their_lines(sample: tipconv.Report) -> None:
    parts = sample.sections[0].parts
    assert [(p.kind, p.line, p.inferred, p.heading) for p in parts] == [
        ("profile", 13, True, None),
        ("assessment", 15, True, None),
        ("prevention", 18, True, None),
        ("prosecution", 21, True, None),
        ("protection", 24, True, None),
    ]


def test_sample_source(sample: tipconv.Report) -> None:
    assert sample.source.line_count == 26
    assert sample.source.encoding == "utf-8"
    assert sample.source.path == str(SAMPLE)


def test_hash_ignores_provenance_lines() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    redownloaded = text.replace(
        "Friday, 27 November 2015, 12:04 GMT", "Monday, 1 May 2023, 09:00 GMT"
    )
    redownloaded = redownloaded.replace("[accessed 30 November 2015]", "[accessed 2 May 2023]")
    assert redownloaded != text
    assert tipconv.parse(redownloaded).source.sha256 == tipconv.parse(text).source.sha256
    edited = text.replace("at least six convictions", "at least seven convictions")
    assert tipconv.parse(edited).source.sha256 != tipconv.parse(text).source.sha256


@pytest.mark.parametrize(
    ("line", "country", "tier"),
    [
        ("Hong Kong (Tier 1)", "Hong Kong", Tier.TIER_1),
        ("Freedonia (Tier 2 Watch List)", "Freedonia", Tier.TIER_2_WATCH_LIST),
        ("Freedonia (Tier 2 Watchlist)", "Freedonia", Tier.TIER_2_WATCH_LIST),
        ("Freedonia (Tier 2 Watch-List)   ", "Freedonia", Tier.TIER_2_WATCH_LIST),
        ("FREEDONIA (TIER 3)", "FREEDONIA", Tier.TIER_3),
        ("Ruritania (Tier II)", "Ruritania", Tier.TIER_2),
        ("FREEDONIA: Tier 2", "FREEDONIA", Tier.TIER_2),
        ("FREEDONIA: TIER 2 WATCH LIST", "FREEDONIA", Tier.TIER_2_WATCH_LIST),
        ("SYLVANIA (Special Case)", "SYLVANIA", Tier.SPECIAL_CASE),
        ("SPECIAL CASE: SYLVANIA", "SYLVANIA", Tier.SPECIAL_CASE),
        ("Congo (Kinshasa) (Tier 2 Watch List)", "Congo (Kinshasa)", Tier.TIER_2_WATCH_LIST),
        ("Korea, Republic of (Tier 1)", "Korea, Republic of", Tier.TIER_1),
        ("Côte d\u2019Ivoire (Tier 2)", "Côte d\u2019Ivoire", Tier.TIER_2),
        ("kosovo: tier 2", "kosovo", Tier.TIER_2),
    ],
)
def test_heading_forms(line: str, country: str, tier: Tier) -> None:
    found = match_heading(line.strip())
    assert found is not None
    _, groups = found
    assert (groups["country"] or "").strip() == country
    assert tier_from_words(" ".join((groups["tier"] or "").split())) is tier


@pytest.mark.parametrize(
    "line",
    [
        "The government placed Freedonia on Tier 2 in 2004.",
        "(Tier 2)",
        "Freedonia (Tier 4)",
        "In 2010, the report said: Tier 2",
        "x" * 500 + " (Tier 2)",
    ],
)
def test_not_headings(line: str) -> None:
    assert match_heading(line.strip()) is None


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("11 June 2003", "2003-06-11"),
        ("Friday, 27 November 2015, 12:04 GMT", "2015-11-27T12:04:00+00:00"),
        ("30 November 2015", "2015-11-30"),
        ("June 11, 2003", "2003-06-11"),
        ("2003-06-11", "2003-06-11"),
        ("11 Jun. 2003", "2003-06-11"),
        ("2003/06/11", "2003-06-11"),
        ("2015-11-27 12:04 UTC", "2015-11-27T12:04:00+00:00"),  # regression: time kept
    ],
)
def test_dates_to_iso(raw: str, iso: str) -> None:
    assert to_iso(raw) == iso


@pytest.mark.parametrize("raw", ["Junee 2009", "June 2009", "2009", "31 February 2003", "", "soon"])
def test_incomplete_or_invalid_dates_stay_unparsed(raw: str) -> None:
    assert to_iso(raw) is None


def test_unparsed_date_stays_raw_with_warning() -> None:
    report = tipconv.parse("Publication Date Junee 2009\n\nFreedonia (Tier 2)\n\nText here.\n")
    assert report.metadata.publication_date == "Junee 2009"
    warning = [d for d in report.diagnostics if d.code == "unparsed_date"]
    assert warning and warning[0].level is Level.WARNING and warning[0].line == 1


def test_split_lines_counts_like_an_editor() -> None:
    assert split_lines("a\nb\n") == ["a", "b"]
    assert split_lines("a\r\nb\rc") == ["a", "b", "c"]
    assert split_lines("a\x0cb\u2028c") == ["a\x0cb\u2028c"]  # not line breaks in a file
    assert split_lines("a\n\n") == ["a", ""]


def test_clean_text_normalises_invisible_characters_but_keeps_lines() -> None:
    cleaned = clean_text("Free\u200bdonia\u00a0is  \t\nnul\x00byte\r\nlone \udcff")
    assert cleaned.text == "Freedonia is   \nnulbyte\r\nlone \ufffd"
    assert (cleaned.invisible, cleaned.spaces, cleaned.controls) == (1, 2, 2)


def _clean_plainly(text: str) -> tuple[str, int, int, int]:
    """`clean_text` without its shortcuts: each kind of odd character replaced everywhere."""
    text, invisible = re.subn(f"[{_INVISIBLE_CHARS}]", "", text)
    text, spaces = re.subn(f"[{_ODD_SPACES}]", " ", text)
    text, controls = re.subn(f"[{_CONTROL_CHARS}]", "", text)
    text, surrogates = re.subn("[\ud800-\udfff]", "\ufffd", text)
    return text, invisible, spaces, controls + surrogates


def test_every_character_clean_text_changes_is_unprintable() -> None:
    """What lets `clean_text` skip its patterns on a text that `isprintable` (but for line
    breaks): every code point its patterns change is unprintable."""
    changed = re.compile(f"[{_INVISIBLE_CHARS}{_ODD_SPACES}{_CONTROL_CHARS}\ud800-\udfff]")
    odd = [chr(code) for code in range(0x110000) if changed.match(chr(code))]
    assert len(odd) > 2048  # the surrogates and more: the pattern is the real one
    assert not any(char.isprintable() for char in odd)


_ODD_TEXT = st.text(
    st.one_of(
        st.sampled_from("ab \n\r\x85\u2028\u200e\x1c\udcff\u00a0\t\u200b\u00ad\ufeff\x00\u3000"),
        st.characters(),
    ),
    max_size=30,
)


@settings(max_examples=1000, deadline=None)
@given(_ODD_TEXT)
def test_clean_text_equals_replacing_each_kind_everywhere(text: str) -> None:
    cleaned = clean_text(text)
    assert (cleaned.text, cleaned.invisible, cleaned.spaces, cleaned.controls) == (
        _clean_plainly(text)
    )


_TITLE_SUBJECTS = st.lists(
    st.sampled_from(["-", "|", ":", "\u2013", "\u2014", "/", " ", "  ", "a", "Hong Kong"]),
    max_size=8,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_TITLE_SUBJECTS)
def test_segments_equal_the_plain_split(raw: str) -> None:
    assert header._segments(raw) == header._SEGMENT_BREAK.split(raw)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.sampled_from(
            [
                "Country Narratives",
                "COUNTRY NARRATIVES -- COUNTRIES A THROUGH F",
                "Special Cases",
                "special  cases",
                "Introduction",
                "Tier Placements",
                "\u017fpecial cases",  # the long s: case-insensitive "s", not lower-cased
                "Hong Kong",
                "Tierra del Fuego",
            ]
        ),
        st.text(st.sampled_from("CcSsTtIi\u017f\u212a ountryspecialtier"), max_size=14),
    )
)
def test_is_chapter_equals_the_plain_pattern(text: str) -> None:
    assert header._is_chapter(text) == bool(header._CHAPTER.fullmatch(text))


_MONTH_WORDS = ["November", "nov", "SEPT", "May", "Mai", "\u017fep", "\u212aov", "\u0130", "\u0131"]
_DATES = st.builds(
    "{}{}{}{}{}{}".format,
    st.sampled_from(["", "Friday, ", "friday ", "Mon, "]),
    st.sampled_from(["27", "1", "31", "x"]),
    st.sampled_from([" ", "  ", ""]),
    st.sampled_from(_MONTH_WORDS),
    st.sampled_from([" 2015", ". 2003", ", 2015", "2015"]),
    st.sampled_from(["", ", 12:04 GMT", " 12:04:59", " 9:30 z"]),
)


def _fast_date(text: str) -> str | None:
    try:
        return dates._fast(text)
    except ValueError as exc:  # a day or month out of range
        return type(exc).__name__


@settings(max_examples=800, deadline=None)
@given(_DATES)
def test_the_date_patterns_read_a_month_as_with_the_case_insensitive_class(text: str) -> None:
    """`_DAY_MONTH_YEAR` takes ASCII letters for the month; with IGNORECASE's "[a-z]" (which
    also takes the Kelvin sign and the long s) every text reads as the same date or none."""
    ascii_month = dates._DAY_MONTH_YEAR.pattern
    assert "((?-i:[A-Za-z])+)" in ascii_month
    plain = re.compile(ascii_month.replace("((?-i:[A-Za-z])+)", "([a-z]+)"), re.IGNORECASE)
    original, dates._DAY_MONTH_YEAR = dates._DAY_MONTH_YEAR, plain
    words, dates._plain_day_month_year = dates._plain_day_month_year, lambda words: None
    try:
        before = _fast_date(text)
        dates._DAY_MONTH_YEAR = original
        assert _fast_date(text) == before
    finally:
        dates._DAY_MONTH_YEAR, dates._plain_day_month_year = original, words


_DATE_WORDS = (
    ["", "Friday, ", "friday ", "FRIDAY, ", "Friday,, ", "Fri, ", "Someday, ", "\u017funday, "],
    ["27", "1", "123", "", "x", "\u0662"],
    [" "],
    ["November", "nov", "Nov.", "Nov,", "\u017fep", "May", "M4y"],
    [" "],
    ["2015", "15", "20150", "2015,"],
    ["", ", 12:04", ", 12:04 GMT", ", 1:04 utc", ", 12:04:59", " 12:04", ", 12:4", ", 12:04 EST"],
)


def test_plainly_printed_dates_are_read_as_the_pattern_reads_them() -> None:
    """Every combination of date words, near misses included: where the words are read
    without the pattern, the pattern reads the same groups."""
    for pieces in itertools.product(*_DATE_WORDS):
        text = " ".join("".join(pieces).split())
        if not text:
            continue
        plain = dates._plain_day_month_year(text.split(" "))
        if plain is not None:
            match = dates._DAY_MONTH_YEAR.fullmatch(text)
            assert match is not None and plain == match.groups(), text
    for when in ("Friday, 27 November 2015, 12:04 GMT", "11 June 2003"):
        assert dates._plain_day_month_year(when.split(" ")) is not None


def test_mojibake_repair() -> None:
    assert repair_mojibake("CÃ´te dâ€™Ivoire (Tier 2)") == "Côte d\u2019Ivoire (Tier 2)"  # noqa: RUF001
    assert repair_mojibake("Côte d'Ivoire") is None
    assert repair_mojibake("plain") is None


def test_decode_paths() -> None:
    assert decode(b"\xef\xbb\xbfabc").text == "abc"
    assert decode("abc".encode("utf-16")).text == "abc"
    auto = decode("Côte".encode("cp1252"), "auto")
    assert (auto.text, auto.encoding) == ("Côte", "cp1252")
    with pytest.raises(tipconv.TipconvError, match="byte 1"):
        decode("Côte".encode("cp1252"))


def test_parse_is_total_on_odd_strings() -> None:
    for text in ["", "\n\n", "\r", "\x00", "\ufeff", "(Tier 1)", "Tier 2\n" * 3, "\udcff"]:
        report = tipconv.parse(text)
        assert not report.has_internal_error(), text


def test_empty_and_non_narrative_warn() -> None:
    empty = tipconv.parse("")
    assert [d.code for d in empty.diagnostics] == ["empty_input"]
    prose = tipconv.parse("A cookbook.\n\nStir the soup until it thickens and serve.\n")
    assert prose.sections == ()
    assert "not_a_tip_narrative" in [d.code for d in prose.diagnostics]


def test_several_headings_give_several_sections() -> None:
    text = (
        "FREEDONIA (Tier 2)\n\nFreedonia is a source country for men.\n\n"
        "SYLVANIA (TIER 3)\n\nSylvania is a destination country for women.\n"
    )
    report = tipconv.parse(text)
    assert [(s.country, s.tier, s.line) for s in report.sections] == [
        ("FREEDONIA", Tier.TIER_2, 1),  # unknown to the crosswalk: the printed name
        ("SYLVANIA", Tier.TIER_3, 5),
    ]
    assert [p.line for p in report.sections[1].paragraphs] == [7]


def test_stated_tier_disagreeing_with_heading_warns() -> None:
    text = (
        "FREEDONIA: TIER 2\n\nThe Government of Freedonia does not fully meet the minimum "
        "standards; therefore Freedonia remained on Tier 2 Watch List.\n"
    )
    report = tipconv.parse(text)
    section = report.sections[0]
    assert section.tier_stated is not None
    assert section.tier_stated.tier is Tier.TIER_2_WATCH_LIST and section.tier_stated.line == 3
    assert "tier_mismatch" in [d.code for d in report.diagnostics]


def test_unknown_country_gets_null_codes_and_warning() -> None:
    report = tipconv.parse("Freedonia (Tier 1)\n\nFreedonia is a source country.\n")
    assert (report.sections[0].iso3, report.sections[0].cow_code) == (None, None)
    assert "unknown_country" in [d.code for d in report.diagnostics]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Publisher United States Department of State",
            ("Publisher", "United States Department of State"),
        ),
        ("Publisher: X", ("Publisher", "X")),
        ("Publisher  :   X y", ("Publisher", "X y")),
        ("PUBLICATION DATE 11 June 2003", ("PUBLICATION DATE", "11 June 2003")),
        ("Publication Date11 June 2003", ("Publication Date", "11 June 2003")),
        (
            "DisclaimerThis is not a UNHCR publication.",
            ("Disclaimer", "This is not a UNHCR publication."),
        ),
        ("Cite as [accessed 1 May 2020]", ("Cite as", "[accessed 1 May 2020]")),
        ("Topics: Trafficking", ("Topics", "Trafficking")),
        ("Topic: Trafficking", ("Topic", "Trafficking")),
        ("Country (Hong Kong)", ("Country", "(Hong Kong)")),
        ("Publisher:", ("Publisher", "")),
        # Glued lower-case letters match here; looks_like_label turns such prose down.
        ("Authorities arrested", ("Author", "ities arrested")),
        ("Publisher", None),
        ("Publisher-X", None),
        ("Hong Kong (Tier 1)", None),
        ("", None),
    ],
)
def test_match_label_separators(line: str, expected: tuple[str, str] | None) -> None:
    found = match_label(line)
    assert (found["key"], found["value"]) == expected if found else expected is None


def test_content_hash_is_sha256_of_the_text_without_provenance() -> None:
    text = (FIXTURES / "refworld-2003-hong-kong.txt").read_text(encoding="utf-8")
    digest = tipconv.parse(text).source.sha256
    assert digest == "8b1eeca1787c64ce73e934fbc6d94650f6bc30244b182660b492a4a4a2402390"


def test_uppercase_heading_gives_canonical_and_printed_country() -> None:
    report = tipconv.parse("KENYA (Tier 2)\n\nKenya is a source country for men and women.\n")
    section = report.sections[0]
    assert (section.country, section.country_printed) == ("Kenya", "KENYA")
    assert (section.tier_label, section.tier_printed) == ("Tier 2", "Tier 2")
    assert section.to_dict()["country"] == "Kenya"
    ivory = tipconv.parse("COTE D'IVOIRE: TIER 2 WATCH LIST\n\nText.\n").sections[0]
    assert (ivory.country, ivory.country_printed) == ("Côte d'Ivoire", "COTE D'IVOIRE")
    assert (ivory.tier_label, ivory.tier_printed) == ("Tier 2 Watch List", "TIER 2 WATCH LIST")


_WRAPPED_HEAD = (
    "Trafficking in Persons Report 2011 - Freedonia\n\n"
    "Publisher United States Department of State\n"
    "Cite as United States Department of State, Trafficking in Persons Report 2011 -\n"
)


def test_a_wrapped_citation_is_joined_up_to_its_accessed_date() -> None:
    text = _WRAPPED_HEAD + "Freedonia, 27 June 2011, available at:\n[accessed 14 March 2012]\n"
    report = tipconv.parse(text + "\nFREEDONIA (Tier 2)\n\nFreedonia is a source country.\n")
    assert report.metadata.accessed_date == "2012-03-14"
    assert report.metadata.cite_as is not None
    assert report.metadata.cite_as.endswith("available at: [accessed 14 March 2012]")


@pytest.mark.parametrize(
    "after",
    [
        # No "[accessed ...]" closes it: the line under the citation is not its own.
        "A note from the editor on this copy of the page.\n",
        # The close comes too late to be a wrapped citation's.
        "one\ntwo\nthree\nfour\n[accessed 14 March 2012]\n",
        # A blank line ends the citation before the close.
        "\n[accessed 14 March 2012]\n",
    ],
)
def test_lines_under_a_citation_stay_apart_without_its_close(after: str) -> None:
    body = "\nFREEDONIA (Tier 2)\n\nFreedonia is a source.\n"
    report = tipconv.parse(_WRAPPED_HEAD + after + body)
    assert report.metadata.accessed_date is None
    assert report.metadata.cite_as == (
        "United States Department of State, Trafficking in Persons Report 2011 -"
    )


@pytest.mark.parametrize(
    ("raw", "subject"),
    [
        ("Hong Kong", "Hong Kong"),
        ("Country Narratives - Mongolia", "Mongolia"),
        # A page's title ends with its site: the segment naming a known country is the subject.
        ("Georgia | U.S. Department of State", "Georgia"),
        ("Armenia - U.S. Embassy in Armenia", "Armenia"),
        # Without a known country among the segments, the last one stays the subject.
        ("Freedonia - Sylvania", "Sylvania"),
        # The edition a mirror adds after the name is not part of it; a qualifier is.
        ("Georgia (2019)", "Georgia"),
        ("Congo (Kinshasa)", "Congo (Kinshasa)"),
    ],
)
def test_subject_of_a_title(raw: str, subject: str) -> None:
    assert header.subject_of(raw) == subject


def test_a_blank_line_inside_a_sentence_joins_only_in_a_double_spaced_copy() -> None:
    """One or two odd breaks in a copy that keeps its lines together are kept as printed; a
    copy with a blank line after every line has its paragraphs joined across them."""
    lines = [
        "FREEDONIA (Tier 2)",
        "Freedonia is a source country for men subjected to forced labor on",
        "farms abroad and for women subjected to sex trafficking in the",
        "capital and in the ports of the coast.",
        "The Government of Freedonia does not fully meet the minimum standards for",
        "the elimination of trafficking but is making significant efforts to do so.",
    ]
    spaced = tipconv.parse("\n\n".join(lines) + "\n")
    assert [p.line for p in spaced.sections[0].paragraphs] == [3, 9]
    assert "double_spaced_joined" in [d.code for d in spaced.diagnostics]
    # The same text single-spaced but for one break: two paragraphs stay apart there.
    odd = "\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:]) + "\n"
    kept = tipconv.parse(odd)
    assert [p.line for p in kept.sections[0].paragraphs] == [2, 4, 6]
    assert "double_spaced_joined" not in [d.code for d in kept.diagnostics]


def test_headings_in_a_row_without_narrative_are_a_table_only_from_three() -> None:
    narrative = "Freedonia is a source country for men and women subjected to forced labor abroad."
    rows = ["Armenia (Tier 1)", "Austria (Tier 1)", "Azerbaijan (Tier 2)"]
    table = tipconv.parse("\n".join(rows) + "\n")
    assert table.sections == ()
    assert "tier_table" in [d.code for d in table.diagnostics]
    # A row's reading as a heading is not reported: the table's note stands for it.
    leaders = tipconv.parse("".join(f"{row} .......... {n}\n" for n, row in enumerate(rows, 60)))
    assert leaders.sections == ()
    assert [d.code for d in leaders.diagnostics if d.line is not None][:1] == ["tier_table"]
    assert "glued_heading" not in [d.code for d in leaders.diagnostics]
    # Two headings with nothing under the first are still two sections.
    two = tipconv.parse("\n".join(rows[:2]) + "\n\n" + narrative.replace("Freedonia", "Austria"))
    assert [s.line for s in two.sections] == [1, 2]
    # Three in a row each with its narrative are three sections.
    texts = [f"{row}\n\n{narrative}\n" for row in rows]
    assert [s.line for s in tipconv.parse("\n".join(texts)).sections] == [1, 5, 9]


def test_only_a_short_capital_line_beside_a_page_number_is_a_running_header() -> None:
    head = "FREEDONIA: TIER 2\nFreedonia is a source country for men subjected to forced labor.\n"
    kept = tipconv.parse(head + "\nNO SHELTER OPENED THIS YEAR.\n12\n")
    assert "NO SHELTER OPENED THIS YEAR." in kept.sections[0].paragraphs[-1].text
    dropped = tipconv.parse(head + "\nCOUNTRY NARRATIVES\n12\n")
    assert all("NARRATIVES" not in p.text for p in dropped.sections[0].paragraphs)


def test_a_heading_with_no_narrative_under_it_is_one_only_where_no_prose_precedes_it() -> None:
    prose = "Sylvania passed a law on forced labor and trained its labor inspectors last year."
    stray = tipconv.parse(f"{prose}\n\nArmenia: Tier 1 (2023)\n\nSee also\n")
    assert stray.sections == ()
    assert "heading_not_recognised" in [d.code for d in stray.diagnostics]
    # A copy cut right after its heading: a header above it, no prose.
    cut = tipconv.parse("Trafficking in Persons Report 2023 - Armenia\n\nARMENIA: Tier 1\n")
    assert [s.line for s in cut.sections] == [3]
    # Prose before, and a narrative under it: a section.
    headed = tipconv.parse(
        f"{prose}\n\nARMENIA: Tier 1\n\n{prose.replace('Sylvania', 'Armenia')}\n"
    )
    assert [s.line for s in headed.sections] == [3]
