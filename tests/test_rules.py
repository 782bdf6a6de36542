"""The rule table walked: samples, derived pre-checks, fast paths, and coverage by fixtures.

The pre-check that lets the classifier skip a rule is derived from the words that open the
alternatives of the rule's key group. These tests make sure that derivation can never hide
a form the pattern takes: every alternative needs a sample, and every sample must pass its
rule's pre-check and classify as that rule.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipconv.classify import (
    _dispatch,
    classify,
    could_be_letter_spaced,
    first_match,
    match_line,
)
from tipconv.rules import (
    CONTEXT_RULES,
    COUNTRY_NAME,
    LETTER_SPACED,
    LINE_RULES,
    RULES,
    RULES_BY_NAME,
    SPLIT_HEADING_SAMPLES,
    UNSURE,
    Rule,
    ScreenedPattern,
    group_span,
    key_alternatives,
    leading_literal,
    literal_runs,
    longest_literal,
    match_chrome_line,
    match_label,
    match_plain_heading,
    match_plain_title,
    reads_as_a_name,
)

from .conftest import FIXTURES

KEYED = [rule for rule in RULES if rule.key is not None]


def test_rule_names_are_unique_and_dotted() -> None:
    names = [rule.name for rule in (*RULES, LETTER_SPACED, *CONTEXT_RULES)]
    assert len(names) == len(set(names)) == len(RULES_BY_NAME)
    assert all(re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", name) for name in names)


@pytest.mark.parametrize(
    ("rule", "sample"),
    [(rule, sample) for rule in RULES for sample in rule.samples],
    ids=lambda value: value.name if isinstance(value, Rule) else str(value)[:40],
)
def test_every_sample_classifies_as_its_rule(rule: Rule, sample: str) -> None:
    token = match_line(sample)
    assert (token.rule, token.kind) == (rule.name, rule.kind)


@pytest.mark.parametrize("sample", LETTER_SPACED.samples)
def test_letter_spaced_samples(sample: str) -> None:
    token = match_line(sample)
    assert (token.rule, token.kind.value) == ("heading.letter_spaced", "heading")
    assert token.read in ("FREEDONIA: TIER 2", "SYLVANIA (Tier 1)")


# Characters with gaps of none to four spaces (or a tab): letter-spaced lines and near misses.
_SPACED = st.lists(
    st.tuples(
        st.sampled_from("FRDONIA:(Ti2)\u00e9"), st.sampled_from(["", " ", "  ", "   ", "\t"])
    ),
    min_size=1,
    max_size=LETTER_SPACED.max_length // 2 + 4,
).map(lambda pairs: "".join(char + gap for char, gap in pairs).strip())


@settings(max_examples=800, deadline=None)
@given(_SPACED | st.sampled_from(LETTER_SPACED.samples))
def test_the_letter_spaced_screen_never_turns_away_a_match(text: str) -> None:
    if LETTER_SPACED.match(text) is not None:
        assert could_be_letter_spaced(text), text


def test_the_letter_spaced_screen_on_every_fixture_line() -> None:
    for path in FIXTURES.glob("**/*.txt"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            text = line.strip()
            if LETTER_SPACED.match(text) is not None:
                assert could_be_letter_spaced(text), (path.name, text)


@pytest.mark.parametrize("sample", SPLIT_HEADING_SAMPLES)
def test_split_heading_samples(sample: str) -> None:
    first, second = classify(sample.split("\n"))
    assert (first.rule, second.rule) == ("heading.split", "heading.continued")
    assert first.read == sample.replace("\n", " ")


def _alone(rule: Rule, alternative: str) -> re.Pattern[str]:
    """The rule's pattern with its key group reduced to one alternative."""
    assert rule.key is not None
    start, end = group_span(rule.pattern, rule.key)
    return re.compile(rule.pattern[:start] + alternative + rule.pattern[end:], re.IGNORECASE)


@pytest.mark.parametrize(
    ("rule", "alternative"),
    [
        (rule, alternative)
        for rule in KEYED
        for alternative in key_alternatives(rule.pattern, rule.key or "")
    ],
    ids=lambda value: value.name if isinstance(value, Rule) else str(value)[:30],
)
def test_every_alternative_has_a_sample_that_passes_the_precheck(
    rule: Rule, alternative: str
) -> None:
    """Adding an alternative without a sample, or with a pre-check that turns its lines
    away, fails here: the rule could otherwise skip lines its pattern takes."""
    pattern = _alone(rule, alternative)
    find = pattern.fullmatch if rule.mode == "full" else pattern.search
    matched = [sample for sample in rule.samples if find(sample)]
    assert matched, f"{rule.name}: no sample for the alternative {alternative!r}"
    for sample in matched:
        if sample.isascii():
            assert rule.admits(sample.lower()), f"{rule.name}: pre-check refuses {sample!r}"
        assert match_line(sample).rule == rule.name


def test_literal_derivation() -> None:
    assert [text for _, text in literal_runs(r"all\s+rights\s+reserved")] == [
        "all",
        "rights",
        "reserved",
    ]
    assert leading_literal(r"cookies?") == "cookie"
    assert leading_literal(r"share\ this") == "share this"
    assert leading_literal(r"(?:the\s+)?government") == ""
    assert longest_literal(r"(?:the\s+)?government\s+efforts") == "government"
    assert longest_literal(r"tier\s*(?:[123]|i{1,3})\b") == "tier"
    assert leading_literal("e\\-mail") == "e-mail"
    assert leading_literal(r"x+y") == "x"
    # A counted repeat is no text, and a class ends at its own "]", not at an escaped one.
    assert [text for _, text in literal_runs(r"recommendations\s+for\s+[^:]{1,60}?")] == [
        "recommendations",
        "for",
    ]
    assert [text for _, text in literal_runs(r"[^\[\]]*\]x")] == ["]x"]
    assert [text for _, text in literal_runs(r"a[]b]c{2}d")] == ["a", "d"]


def test_every_word_of_an_alternative_is_required() -> None:
    """The pre-check asks for every literal word of an alternative, not only its first or
    longest: a title line names "trafficking" but not "interim assessment"."""
    other = LINE_RULES["title.other_report"]
    assert ("trafficking", ("in", "persons", "interim", "assessment")) in other.words
    assert not other.admits("2003 trafficking in persons report - hong kong")
    assert other.admits("trafficking in persons interim assessment")


def test_a_rule_whose_alternative_opens_with_no_word_is_refused() -> None:
    with pytest.raises(ValueError, match="no literal words"):
        Rule("bad", RULES[0].kind, r"(?P<key>\d+|tier)", ("1",), doc="")


# --- the derived pre-checks never change what a line is -----------------------------------

_SAMPLES = [sample for rule in RULES for sample in rule.samples]
_NOISE = st.text(
    alphabet=string.ascii_letters + string.digits + " :.,()•-'\u00e9\u017f", max_size=40
)


def _plain_first_match(text: str) -> tuple[str, object] | None:
    """The classifier without any pre-check or fast matcher: every rule's pattern (and its
    `accept`) in table order."""
    for rule in RULES:
        if len(text) <= rule.max_length:
            groups = rule.match_pattern(text)
            if groups is not None and (rule.accept is None or rule.accept(groups, text)):
                return rule.name, dict(groups)
    return None


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(
        st.sampled_from(_SAMPLES),
        st.builds(lambda s, a, b: a + s + b, st.sampled_from(_SAMPLES), _NOISE, _NOISE),
        st.builds(lambda s: s.upper(), st.sampled_from(_SAMPLES)),
        _NOISE,
    )
)
def test_prechecks_never_change_the_classification(text: str) -> None:
    text = text.strip()
    if not text:
        return
    found = first_match(text, _dispatch())
    got = (found[0].name, dict(found[1])) if found else None
    assert got == _plain_first_match(text)


def test_prechecks_never_change_the_classification_of_any_fixture_line() -> None:
    """Every line of every fixture (and its upper- and lower-cased forms), read with the
    dispatch and by trying every rule in order, gives the same rule and groups."""
    lines = {
        line.strip()
        for path in FIXTURES.glob("**/*.txt")
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    }
    table = _dispatch()
    for line in sorted(lines | {line.upper() for line in lines} | {line.lower() for line in lines}):
        if line:
            found = first_match(line, table)
            assert ((found[0].name, dict(found[1])) if found else None) == _plain_first_match(
                line
            ), line


def test_country_name_pattern_takes_the_characters_of_its_plain_form() -> None:
    plain = re.compile(r"[^\W\d_](?:[^\W\d]|['\u2019\u2018`.,()\- &])*")
    for code in range(0x110000):
        text = "a" + chr(code)
        assert bool(COUNTRY_NAME.fullmatch(text)) == bool(plain.fullmatch(text)), hex(code)


def test_no_page_number_is_a_chrome_line() -> None:
    """chrome.line is asked before noise.page_number (rules.py says why); no line matches
    both, so their order changes no classification."""
    page, chrome = LINE_RULES["noise.page_number"], LINE_RULES["chrome.line"]
    assert all(page.match_pattern(phrase) is None for phrase in chrome.samples)
    numbers = ["1", "12", "9999", "Page 7 of 12", "PAGE 3", "12/40", "3 / 4", "page 1 of 2"]
    assert all(page.match_pattern(n) is not None for n in numbers)
    assert all(chrome.match_pattern(n) is None for n in numbers)


@settings(max_examples=800, deadline=None)
@given(
    st.text(alphabet=string.ascii_letters + " .,'()-&\u2019\u00e9\u017f1_", max_size=20)
    | st.sampled_from(["Hong Kong", "St. Lucia", "Cote d'Ivoire", "K2", "a  b", " x", "_x"])
)
def test_reads_as_a_name_equals_the_country_name_pattern(name: str) -> None:
    assert reads_as_a_name(name) == (COUNTRY_NAME.fullmatch(name) is not None)


_SCREENED = [
    ScreenedPattern(r"tier|special\s+case|trafficking|report", re.IGNORECASE),
    ScreenedPattern(r"https?://[^\s\]\[<>\"']+"),
    ScreenedPattern(r"\[\s*accessed\s+(?P<date>[^\]]{1,60})\]", re.IGNORECASE),
]


@settings(max_examples=800, deadline=None)
@given(
    st.lists(
        st.sampled_from(["tier", "TIER", "special", " ", "  ", "case", "report", "http", "s"])
        | st.sampled_from(["://", "x", "[", "]", "accessed", "\u017fpecial", "t\u0131er"]),
        max_size=6,
    ).map("".join)
)
def test_a_screened_pattern_finds_what_its_pattern_finds(text: str) -> None:
    """A text the screen turns away holds no match, and search agrees with the pattern."""
    for screened in _SCREENED:
        plain = re.compile(screened.pattern, screened.flags)
        if not screened.could_match(text):
            assert plain.search(text) is None, text
        assert (screened.search(text) is None) == (plain.search(text) is None), text


# --- fast matchers equal their patterns -------------------------------------------------------

_LABEL = LINE_RULES["label.known"]
_CHROME = LINE_RULES["chrome.line"]
_LABELISH = st.builds(
    lambda label, sep, value: label + sep + value,
    st.sampled_from(
        ["Publisher", "PUBLICATION DATE", "Cite as", "Disclaimer", "Topic", "Topics", "Countr"]
    ),
    st.sampled_from(["", " ", "  ", ":", " : ", "\t", "-", "x", "("]),
    st.text(alphabet=string.printable.replace("\n", "").replace("\r", ""), max_size=20),
)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(_LABELISH, st.text(alphabet=string.printable.replace("\n", ""), max_size=30)))
def test_match_label_equals_the_label_pattern(line: str) -> None:
    assert match_label(line) == _LABEL.match_pattern(line)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.sampled_from(_CHROME.samples).map(str.upper),
        st.sampled_from([s for s in _CHROME.samples if s.isascii()]),
        st.text(alphabet=string.ascii_letters + " .:'", max_size=12),
    )
)
def test_chrome_set_equals_the_chrome_pattern(line: str) -> None:
    if line.isascii():
        assert match_chrome_line(line) == _CHROME.match_pattern(line)


_HEADING_PARTS = (
    ["Hong Kong", "FREEDONIA", "Congo (Kinshasa)", "St. Lucia", "X" * 81, "X" * 82, "", "a)"],
    ["", " ", "  ", "\t"],
    [
        "Tier 1",
        "TIER 2",
        "tier 3",
        "Tier 2 Watch List",
        "Special Case",
        "Tier II",
        "Tier 1)",
        "Tier 2 Watch-List",
        " Tier 1",
        "Tier 1*",
        "Tier 4",
        "Special  Case",
        "(Tier 1",
    ],
    ["", " ", "*", ")", "x", " [Extracted from the 2016 TIP Report]", " (x)"],
)
_TITLE_PARTS = (
    [
        "",
        "U.S. Department of State ",
        "u.s. department of state ",
        "2003 ",
        "1999 ",
        "x ",
        "U.S. Department of State, ",
        "U.S. Department of State 2003 ",
        "2103 ",
        "203 ",
    ],
    [
        "Trafficking in Persons Report",
        "TRAFFICKING IN PERSONS REPORT",
        "Trafficking  in Persons Report",
        "Trafficking in Persons",
    ],
    ["", " 2009", " 2009 ", " June 2016", ", 2009", " 209", " 3009", "2009", " 20091"],
    [
        "",
        " - Albania",
        " - - X",
        " -- X",
        ": X",
        " on Freedonia",
        " - ",
        " -",
        " - 1",
        " - Special Cases - Sylvania",
        " - hong kong",
        " | X",
        "x",
        " -  X",
        " - -X",
        " - X ",
    ],
)


@pytest.mark.parametrize(
    ("matcher", "rule", "parts"),
    [
        (match_plain_heading, "heading.parens", _HEADING_PARTS),
        (match_plain_title, "title", _TITLE_PARTS),
    ],
    ids=["heading", "title"],
)
def test_the_plain_matchers_equal_their_patterns(
    matcher: Callable[[str], object], rule: str, parts: tuple[list[str], ...]
) -> None:
    """Every combination of the parts, near misses included: where a plain matcher answers
    (it is not UNSURE), the pattern gives the same groups, or no match alike."""
    pattern = LINE_RULES[rule]
    for pieces in itertools.product(*parts):
        line = ("{}{}({}){}" if rule == "heading.parens" else "{}{}{}{}").format(*pieces).strip()
        found = matcher(line)
        if found is not UNSURE:
            assert found == pattern.match_pattern(line), line


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=string.ascii_letters + " ()-:12*", max_size=30))
def test_the_plain_matchers_on_any_text(line: str) -> None:
    line = line.strip()
    for matcher, rule in ((match_plain_heading, "heading.parens"), (match_plain_title, "title")):
        found = matcher(line)
        if found is not UNSURE:
            assert found == LINE_RULES[rule].match_pattern(line)


def test_the_plain_matchers_read_the_common_forms() -> None:
    """They are there for the common print: it must not fall to the pattern."""
    assert match_plain_heading("Hong Kong (Tier 1)") is not UNSURE
    assert match_plain_heading("Albania (Tier 2 Watch List)") is not UNSURE
    for title in (
        "U.S. Department of State 2003 Trafficking in Persons Report - Hong Kong",
        "Trafficking in Persons Report 2009 - Albania",
    ):
        assert match_plain_title(title) is not UNSURE


# --- every rule is shown by a fixture ----------------------------------------------------------


def test_every_rule_is_shown_by_a_fixture() -> None:
    """A rule without a fixture whose token stream uses it is a form no test reads."""
    used: set[str] = set()
    for golden in FIXTURES.glob("**/*.tokens"):
        for line in golden.read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if len(fields) >= 3:
                used.add(fields[2])
    names = {rule.name for rule in (*RULES, LETTER_SPACED, *CONTEXT_RULES)}
    assert names - used == set(), "rules no fixture shows"


def test_the_shipped_prechecks_are_the_derived_ones() -> None:
    """`_rule_checks.py` ships what `derive_precheck` gives for every rule of the table, so
    no start derives them; regenerate with `python -m tipconv.rules` after editing a rule."""
    from tipconv._rule_checks import SHIPPED_CHECKS
    from tipconv.rules import LETTER_SPACED, derive_precheck

    keyed = [rule for rule in (*RULES, LETTER_SPACED) if rule.key is not None]
    fresh = {
        rule.name: ((rule.pattern, rule.key), *derive_precheck(rule.name, rule.pattern, rule.key))
        for rule in keyed
        if rule.key is not None
    }
    assert fresh == SHIPPED_CHECKS, "run `python -m tipconv.rules` and `ruff format`"
    for rule in keyed:
        assert (rule.anchored, rule.literals, rule.words) == fresh[rule.name][1:]


def test_a_rule_the_shipped_table_lacks_is_derived() -> None:
    rule = Rule("fresh", RULES[0].kind, r"(?P<key>alpha|beta\s+gamma)\s*", ("alpha",), doc="")
    assert rule.anchored and rule.literals == ("alpha", "beta")
    assert rule.words == (("alpha", ()), ("beta", ("gamma",)))
