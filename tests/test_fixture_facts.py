"""What a person reading each fixture knows is true: the parser's specification.

Goldens record whatever the parser printed; this table records what the text *says*: which
country, which tier, where each paragraph and part starts (1-based lines of the original file,
whatever its encoding or line endings). It is written by hand, independently of the parser.

`test_facts_table_matches_fixture_text` checks the table against the raw files without the
parser, so the specification itself stays honest when a fixture is edited.

Contract decisions encoded here (see docs/format.md):
- A paragraph's text is the block as printed: its lines stripped and joined with one space
  (hard-wrapped PDF lines rejoin), zero-width characters removed, NBSP read as a space,
  mojibake repaired. A run-in heading (`Prosecution.`) stays in the text.
- Heading-only lines (`PROSECUTION`, `PRIORITIZED RECOMMENDATIONS:`) are not paragraphs.
- A line starting with a bullet `•` starts a new paragraph: it is never a wrapped continuation.
  The table lists such a printed block once, by its line; the parser gives each `•` item of
  it as a paragraph of its own (`item` true, text without the bullet, the block's line), and
  text before the first bullet as an ordinary paragraph.
- Parts partition a section's paragraphs: a part runs until the next part starts.
- `country` in the table is the name as printed (the parser's `country_printed`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Final

import pytest

import tipconv
from tipconv.model import PART_KINDS, Level, Report, Section

FIXTURES: Final = Path(__file__).resolve().parent.parent / "fixtures"


class _Unchecked(Enum):
    """Marks a fact the table deliberately does not pin down."""

    UNCHECKED = "unchecked"


UNCHECKED: Final = _Unchecked.UNCHECKED

# Names invented for fixtures: they must never receive a country code.
FICTIONAL: Final = frozenset({"freedonia", "sylvania", "ruritania"})
INVISIBLE: Final = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
DISCLAIMER: Final = (
    "This is not a UNHCR publication. UNHCR is not responsible for, nor does it necessarily "
    "endorse, its content. Any views expressed are solely those of the author or publisher and "
    "do not necessarily reflect those of UNHCR, the United Nations or its Member States."
)
# Metadata.fields may also echo these raw; any other key must be an expected unknown label.
KNOWN_LABELS: Final = frozenset(
    {"Last Updated", "Publisher", "Author", "Publication Date", "Cite as", "Disclaimer"}
)
PUBLISHER: Final = "United States Department of State"
AUTHOR: Final = "Office to Monitor and Combat Trafficking in Persons"
REFWORLD_2015: Final = "2015-11-27T12:04:00+00:00"


# ------------------------------------------------------------------------- the facts' shape


@dataclass(frozen=True)
class PartFact:
    kind: str
    line: int
    heading: str | None  # as printed, without trailing punctuation; None = inferred part
    paragraphs: tuple[int, ...]
    items: tuple[tuple[int, str], ...] = ()  # (line, text without the bullet)

    @property
    def inferred(self) -> bool:
        return self.heading is None


def inferred(kind: str, *paragraphs: int) -> PartFact:
    """A part recognised from content or position; its line is its first paragraph's."""
    return PartFact(kind, paragraphs[0], None, paragraphs)


def runin(kind: str, heading: str, *paragraphs: int) -> PartFact:
    """A part whose heading opens its first paragraph (`Prosecution. The government...`)."""
    return PartFact(kind, paragraphs[0], heading, paragraphs)


def headed(
    kind: str,
    heading: str,
    line: int,
    *paragraphs: int,
    items: tuple[tuple[int, str], ...] = (),
) -> PartFact:
    """A part under a heading printed on a line of its own."""
    return PartFact(kind, line, heading, paragraphs, items)


@dataclass(frozen=True)
class SectionFact:
    country: str | _Unchecked | None
    line: int | None
    tier: str | None
    paragraphs: tuple[int, ...]
    parts: tuple[PartFact, ...] | _Unchecked
    heading: str | _Unchecked | None = UNCHECKED
    tier_source: str | _Unchecked | None = UNCHECKED
    stated_tier: str | _Unchecked | None = UNCHECKED  # tier of Section.tier_stated
    stated_line: int | _Unchecked = UNCHECKED
    iso3: str | _Unchecked | None = UNCHECKED
    cow_code: int | _Unchecked | None = UNCHECKED
    tier_printed: str | _Unchecked | None = UNCHECKED
    glued: bool = False  # the heading runs into its first paragraph, on the same line


@dataclass(frozen=True)
class WarningFact:
    """A diagnostic of level "warning" that must exist; None matches any code / line."""

    code: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class FixtureFact:
    name: str  # file stem
    sections: tuple[SectionFact, ...]
    meta: Mapping[str, object] = field(default_factory=dict)  # Metadata attribute -> value
    disclaimer: str | _Unchecked | None = UNCHECKED
    warnings: tuple[WarningFact, ...] = ()
    clean: bool = False  # no warning- or error-level diagnostic at all
    contains: tuple[str, ...] = ()  # each must occur in some paragraph's text
    absent: tuple[str, ...] = ()  # none may occur in any paragraph's text
    mojibake: bool = False  # the oracle repairs UTF-8-read-as-cp1252 text per line
    encoding: str | None = None  # passed to parse_file; None = its default
    # A paragraph that runs on across a page break: (its last line before the break, the
    # line where it goes on); the lines between are page numbers and running headers.
    runs_on: tuple[tuple[int, int], ...] = ()


def refworld_meta(
    title: str,
    year: int,
    subject: str | _Unchecked | None,
    published: str,
    *,
    last_updated: str = REFWORLD_2015,
    accessed: str = "2015-11-30",
    url: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> dict[str, object]:
    meta: dict[str, object] = {
        "title": title,
        "report_year": year,
        "last_updated": last_updated,
        "publisher": PUBLISHER,
        "author": AUTHOR,
        "publication_date": published,
        "url": url,
        "accessed_date": accessed,
        "fields": dict(fields or {}),  # unknown labels; see _check_fields
    }
    if subject is not UNCHECKED:
        meta["subject"] = subject
    return meta


NO_HEADER: Final[Mapping[str, object]] = {"title": None, "report_year": None}
NOT_NARRATIVE: Final = (WarningFact("not_a_tip_narrative"),)

# ------------------------------------------------------------------------ reusable bodies


def profile_assessment(
    country: str,
    line: int,
    tier: str,
    heading: str,
    *,
    iso3: str | _Unchecked | None = UNCHECKED,
    cow_code: int | _Unchecked | None = UNCHECKED,
) -> SectionFact:
    """Heading, then a profile paragraph and an assessment paragraph (tier-spellings)."""
    p, a = line + 2, line + 4
    return SectionFact(
        country,
        line,
        tier,
        (p, a),
        (inferred("profile", p), inferred("assessment", a)),
        heading=heading,
        iso3=iso3,
        cow_code=cow_code,
    )


def chapter_2019(country: str, line: int, tier: str, iso3: str, cow: int) -> SectionFact:
    """chapter-multi-country: heading, summary, then five headed parts with no blank lines."""
    s = line + 1
    return SectionFact(
        country,
        line,
        tier,
        (s, s + 2, s + 4, s + 6, s + 8, s + 10),
        (
            inferred("summary", s),
            headed("recommendations", f"RECOMMENDATIONS FOR {country}", s + 1, s + 2),
            headed("prosecution", "PROSECUTION", s + 3, s + 4),
            headed("protection", "PROTECTION", s + 5, s + 6),
            headed("prevention", "PREVENTION", s + 7, s + 8),
            headed("trafficking_profile", "TRAFFICKING PROFILE", s + 9, s + 10),
        ),
        heading=f"{country}: {'TIER 2 WATCH LIST' if tier == '2WL' else 'TIER ' + tier}",
        stated_tier=tier,
        stated_line=s,
        iso3=iso3,
        cow_code=cow,
    )


def twenty19_parts(first: int) -> tuple[PartFact, ...]:
    """Letter-spaced / split-heading fixtures: summary at `first`, then headed parts."""
    s = first
    return (
        inferred("summary", s),
        headed("recommendations", "RECOMMENDATIONS FOR FREEDONIA", s + 2, s + 4),
        headed("prosecution", "PROSECUTION", s + 6, s + 8),
        headed("protection", "PROTECTION", s + 10, s + 12),
        headed("prevention", "PREVENTION", s + 14, s + 16),
        headed("trafficking_profile", "TRAFFICKING PROFILE", s + 18, s + 20),
    )


# Header fixtures share this 2003-style body: heading, profile, assessment.
def freedonia_2003(line: int) -> SectionFact:
    return SectionFact(
        "Freedonia",
        line,
        "2",
        (line + 2, line + 4),
        (inferred("profile", line + 2), inferred("assessment", line + 4)),
        heading="Freedonia (Tier 2)",
        stated_tier=None,
    )


def chapter_entry(
    country: str, line: int, parts: tuple[PartFact, ...], *, iso3: str
) -> SectionFact:
    """A country's name alone in a Special Cases chapter: a special case by its chapter,
    its paragraphs those of its parts."""
    return SectionFact(
        country,
        line,
        "special_case",
        tuple(paragraph for part in parts for paragraph in part.paragraphs),
        parts,
        heading=country,
        tier_source="chapter",
        tier_printed=None,
        iso3=iso3,
    )


# 2003 copy whose Prevention/Prosecution/Protection words were lost (double blank lines).
STRIPPED_2003: Final = SectionFact(
    "Freedonia",
    11,
    "2",
    (13, 15, 18, 21, 23, 26),
    (
        inferred("profile", 13),
        inferred("assessment", 15),
        inferred("prevention", 18),
        inferred("prosecution", 21, 23),
        inferred("protection", 26),
    ),
    heading="Freedonia (Tier 2)",
    stated_tier=None,
)

CIV: Final = "C\u00f4te d\u2019Ivoire"
CIV_2003: Final = SectionFact(
    CIV,
    11,
    "2",
    (13, 15),
    (inferred("profile", 13), inferred("assessment", 15)),
    heading=f"{CIV} (Tier 2)",
    iso3="CIV",
    cow_code=437,
)
CIV_TITLE: Final = f"U.S. Department of State 2003 Trafficking in Persons Report - {CIV}"
T2003: Final = "U.S. Department of State 2003 Trafficking in Persons Report - Freedonia"

CIV_ITEMS: Final = (
    (17, "Increase investigations and prosecutions of traffickers, including complicit officials."),
    (17, "Train judges and prosecutors to apply the anti-trafficking law."),
    (
        17,
        "Amend the penal code so that sentences for sex trafficking do not allow a fine in "
        "place of imprisonment.",
    ),
)
FREEDONIA_2022_ITEMS: Final = (
    (17, "Increase efforts to identify victims among foreign fishermen."),
    (18, "Provide specialized shelter for male victims."),
    (19, "Train prosecutors and judges on the trafficking statute."),
    (20, "Publish annual data on investigations, prosecutions, and convictions."),
)
WEB_ITEMS: Final = (
    (27, "Screen migrant workers for indicators of forced labor."),
    (27, "Fund long-term shelter for victims."),
    (27, "Convict complicit officials."),
)

# ------------------------------------------------------------------------------- the table

FACTS: Final[tuple[FixtureFact, ...]] = (
    # The reference sample: a real Refworld copy and the truth known for it.
    FixtureFact(
        "refworld-2003-hong-kong",
        (
            SectionFact(
                "Hong Kong",
                11,
                "1",
                (13, 15, 18, 21, 24),
                (
                    inferred("profile", 13),
                    inferred("assessment", 15),
                    inferred("prevention", 18),
                    inferred("prosecution", 21),
                    inferred("protection", 24),
                ),
                heading="Hong Kong (Tier 1)",
                stated_tier=None,
                iso3="HKG",
            ),
        ),
        meta=refworld_meta(
            "U.S. Department of State 2003 Trafficking in Persons Report - Hong Kong",
            2003,
            "Hong Kong",
            "2003-06-11",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    # ---- header traps
    FixtureFact(
        "header-glued-labels",
        (freedonia_2003(11),),
        meta=refworld_meta(T2003, 2003, "Freedonia", "2003-06-11"),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "header-nbsp-and-tabs",
        (
            SectionFact(
                "FREEDONIA",
                11,
                "2",
                (13, 15, 17),
                (
                    inferred("profile", 13),
                    inferred("assessment", 15),
                    runin("recommendations", "Recommendations for Freedonia", 17),
                ),
                heading="FREEDONIA (Tier 2)",
            ),
        ),
        meta=refworld_meta(
            "Trafficking in Persons Report 2010 - Freedonia",
            2010,
            "Freedonia",
            "2010-06-14",
            last_updated="2012-12-03T09:15:00+00:00",
            accessed="2012-12-05",
            url="https://www.refworld.org/docid/4c1883e42c.html",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "header-unknown-labels",
        (freedonia_2003(14),),
        meta=refworld_meta(
            T2003,
            2003,
            "Freedonia",
            "2003-06-11",
            fields={
                "Country": "Freedonia",
                "Topics": "Trafficking in persons",
                "Document type": "Annual report",
            },
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    # Unknown "Label: value" pairs after the title; a disclaimer wrapped over three lines,
    # one of them opening with a label's word in lower case ("publisher and ...").
    FixtureFact(
        "header-colon-labels-wrapped-disclaimer",
        (
            SectionFact(
                "Moldova",
                14,
                "2WL",
                (16, 18),
                (inferred("profile", 16), inferred("assessment", 18)),
                heading="Moldova (Tier 2 Watch List)",
                iso3="MDA",
                cow_code=359,
            ),
        ),
        meta={
            "title": "Trafficking in Persons Report 2009 - Moldova",
            "report_year": 2009,
            "subject": "Moldova",
            "last_updated": "2009-08-04T09:30:00+00:00",
            "publisher": PUBLISHER,
            "author": AUTHOR,
            "publication_date": "2009-06-16",
            "accessed_date": None,
            "fields": {"Region": "Eastern Europe", "Source Type": "Government report"},
        },
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "header-cite-with-url",
        (freedonia_2003(11),),
        meta={
            **refworld_meta(
                T2003,
                2003,
                "Freedonia",
                "2003-06-11",
                url="https://www.refworld.org/docid/4680d80322.html",
            ),
            "cite_as": f"United States Department of State, {T2003}, 11 June 2003, available at: "
            "https://www.refworld.org/docid/4680d80322.html [accessed 30 November 2015]",
        },
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "header-bad-date",
        (
            SectionFact(
                "FREEDONIA",
                11,
                "2",
                (13, 15, 17),
                (
                    inferred("profile", 13),
                    inferred("assessment", 15),
                    runin("recommendations", "Recommendations for Freedonia", 17),
                ),
                heading="FREEDONIA (Tier 2)",
            ),
        ),
        # The year still comes from the title; the date stays raw, never a wrong date.
        meta=refworld_meta(
            "Trafficking in Persons Report 2009 - Freedonia", 2009, "Freedonia", "Junee 2009"
        ),
        disclaimer=DISCLAIMER,
        warnings=(WarningFact(line=7),),
    ),
    # ---- eras
    FixtureFact(
        "era-2001-short",
        (
            SectionFact(
                "Freedonia",
                11,
                "2",
                (13, 15, 17, 19),
                (inferred("profile", 13), inferred("assessment", 15, 17, 19)),
                heading="Freedonia (Tier 2)",
                stated_tier=None,
            ),
        ),
        meta=refworld_meta(
            "U.S. Department of State 2001 Trafficking in Persons Report - Freedonia",
            2001,
            "Freedonia",
            "2001-07-12",
            last_updated="2012-12-03T09:15:00+00:00",
            accessed="2012-12-05",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "era-2003-stripped-headings",
        (STRIPPED_2003,),
        meta=refworld_meta(T2003, 2003, "Freedonia", "2003-06-11"),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "era-2003-runin",
        (
            SectionFact(
                "Sylvania",
                11,
                "3",
                (13, 15, 17, 19, 21, 23),
                (
                    inferred("profile", 13),
                    inferred("assessment", 15),
                    runin("prevention", "Prevention", 17),
                    runin("prosecution", "Prosecution", 19),
                    runin("protection", "Protection", 21, 23),
                ),
                heading="Sylvania (Tier 3)",
                stated_tier=None,
            ),
        ),
        meta=refworld_meta(
            "U.S. Department of State 2003 Trafficking in Persons Report - Sylvania",
            2003,
            "Sylvania",
            "2003-06-11",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
        contains=("Prosecution. Sylvania has no law against trafficking.",),
    ),
    FixtureFact(
        "era-2004-watch-list",
        (
            SectionFact(
                "Freedonia",
                11,
                "2WL",
                (13, 15, 17, 19, 21),
                (
                    inferred("profile", 13),
                    inferred("assessment", 15),
                    runin("prosecution", "Prosecution", 17),
                    runin("protection", "Protection", 19),
                    runin("prevention", "Prevention", 21),
                ),
                heading="Freedonia (Tier 2 Watch List)",
            ),
        ),
        meta=refworld_meta(
            "U.S. Department of State 2004 Trafficking in Persons Report - Freedonia",
            2004,
            "Freedonia",
            "2004-06-14",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "era-2004-special-cases",
        # Lines 11-13 (chapter title, intro paragraph) belong to no section.
        (
            SectionFact(
                "Somalia",
                15,
                "special_case",
                (17, 19),
                (
                    runin("scope_and_magnitude", "Scope and Magnitude", 17),
                    runin("government_efforts", "Government Efforts", 19),
                ),
                heading="Somalia (Special Case)",
                iso3="SOM",
                cow_code=520,
            ),
            SectionFact(
                "Haiti",
                21,
                "special_case",
                (23, 25, 27),
                (
                    runin("scope_and_magnitude", "Scope and Magnitude", 23),
                    runin("government_efforts", "Government Efforts", 25, 27),
                ),
                heading="Haiti (Special Case)",
                iso3="HTI",
                cow_code=41,
            ),
        ),
        meta=refworld_meta(
            "U.S. Department of State 2004 Trafficking in Persons Report - Special Cases",
            2004,
            UNCHECKED,
            "2004-06-14",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "era-2008-mixed-case",
        (
            SectionFact(
                "FREEDONIA",
                11,
                "2",
                (13, 15, 17, 19, 21, 23, 25),
                (
                    inferred("profile", 13),
                    inferred("assessment", 15),
                    runin("recommendations", "Recommendations for Freedonia", 17),
                    # Line 21 opens "Prosecution statistics ...": prose, not a run-in heading.
                    runin("prosecution", "Prosecution", 19, 21),
                    runin("protection", "Protection", 23),
                    runin("prevention", "Prevention", 25),
                ),
                heading="FREEDONIA (Tier 2)",
                stated_tier=None,
            ),
            SectionFact(
                "SYLVANIA",
                27,
                "3",
                (29, 31, 33, 35, 37, 39),
                (
                    inferred("profile", 29),
                    inferred("assessment", 31),
                    runin("recommendations", "Recommendations for Sylvania", 33),
                    runin("prosecution", "Prosecution", 35),
                    runin("protection", "Protection", 37),
                    runin("prevention", "Prevention", 39),
                ),
                heading="SYLVANIA (TIER 3)",
                stated_tier=None,
            ),
        ),
        meta=refworld_meta(
            "Trafficking in Persons Report 2008 - Freedonia", 2008, "Freedonia", "2008-06-04"
        ),
        disclaimer=DISCLAIMER,
        clean=True,
        contains=("Recommendations for Freedonia: Increase investigations of labor trafficking",),
    ),
    FixtureFact(
        "era-2010-special-case",
        (
            SectionFact(
                "SOMALIA",
                11,
                "special_case",
                (13, 15, 17, 19),
                (
                    runin("scope_and_magnitude", "Scope and Magnitude", 13, 15),
                    runin("government_efforts", "Government Efforts", 17, 19),
                ),
                heading="SOMALIA (Special Case)",
                iso3="SOM",
                cow_code=520,
            ),
        ),
        meta=refworld_meta(
            "Trafficking in Persons Report 2010 - Special Cases - Somalia",
            2010,
            "Somalia",
            "2010-06-14",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "era-2015-colon",
        (
            SectionFact(
                "FREEDONIA",
                11,
                "2WL",
                (13, 15, 17, 21, 23, 27, 31),
                (
                    inferred("profile", 13),
                    inferred("assessment", 15),
                    runin("recommendations", "Recommendations for Freedonia", 17),
                    headed("prosecution", "Prosecution", 19, 21, 23),
                    headed("protection", "Protection", 25, 27),
                    headed("prevention", "Prevention", 29, 31),
                ),
                heading="FREEDONIA: Tier 2 Watch List",
                stated_tier=None,
            ),
        ),
        meta=refworld_meta(
            "Trafficking in Persons Report 2015 - Freedonia",
            2015,
            "Freedonia",
            "2015-07-27",
            last_updated="2015-07-29T11:30:00+00:00",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "era-2017-caps",
        (
            SectionFact(
                "FREEDONIA",
                11,
                "2WL",
                (13, 17, 21, 23, 27, 31, 35),
                (
                    inferred("summary", 13),
                    headed("recommendations", "RECOMMENDATIONS FOR FREEDONIA", 15, 17),
                    headed("prosecution", "PROSECUTION", 19, 21, 23),
                    headed("protection", "PROTECTION", 25, 27),
                    headed("prevention", "PREVENTION", 29, 31),
                    headed("trafficking_profile", "TRAFFICKING PROFILE", 33, 35),
                ),
                heading="FREEDONIA: TIER 2 WATCH LIST",
                stated_tier="2WL",
                stated_line=13,
            ),
        ),
        meta=refworld_meta(
            "2017 Trafficking in Persons Report - Freedonia",
            2017,
            "Freedonia",
            "2017-06-27",
            last_updated="2017-06-29T14:05:00+00:00",
            accessed="2017-07-03",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "era-2018-special-case",
        (
            SectionFact(
                "LIBYA",
                11,
                "special_case",
                (13, 17, 19, 23),
                (
                    inferred("summary", 13),
                    headed("government_efforts", "GOVERNMENT EFFORTS", 15, 17, 19),
                    headed("trafficking_profile", "TRAFFICKING PROFILE", 21, 23),
                ),
                heading="SPECIAL CASE: LIBYA",
                iso3="LBY",
                cow_code=620,
            ),
        ),
        meta=refworld_meta(
            "2018 Trafficking in Persons Report: Libya",
            2018,
            "Libya",
            "2018-06-28",
            last_updated="2018-06-29T08:12:00+00:00",
            accessed="2018-07-02",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "era-2021-prioritized",
        (
            SectionFact(
                "COTE D'IVOIRE",
                11,
                "2",
                (13, 17, 21, 25, 29, 33),
                (
                    inferred("summary", 13),
                    headed(
                        "recommendations", "PRIORITIZED RECOMMENDATIONS", 15, 17, items=CIV_ITEMS
                    ),
                    headed("prosecution", "PROSECUTION", 19, 21),
                    headed("protection", "PROTECTION", 23, 25),
                    headed("prevention", "PREVENTION", 27, 29),
                    headed("trafficking_profile", "TRAFFICKING PROFILE", 31, 33),
                ),
                heading="COTE D'IVOIRE: TIER 2",
                stated_tier="2",
                stated_line=13,
                iso3="CIV",
                cow_code=437,
            ),
        ),
        meta=refworld_meta(
            "2021 Trafficking in Persons Report: Cote d'Ivoire",
            2021,
            "Cote d'Ivoire",
            "2021-07-01",
            last_updated="2021-07-02T16:40:00+00:00",
            accessed="2021-07-05",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "era-2022-prioritized-lines",
        (
            SectionFact(
                "FREEDONIA",
                11,
                "1",
                (13, 17, 18, 19, 20, 24, 28, 32, 36),
                (
                    inferred("summary", 13),
                    headed(
                        "recommendations",
                        "PRIORITIZED RECOMMENDATIONS",
                        15,
                        17,
                        18,
                        19,
                        20,
                        items=FREEDONIA_2022_ITEMS,
                    ),
                    headed("prosecution", "PROSECUTION", 22, 24),
                    headed("protection", "PROTECTION", 26, 28),
                    headed("prevention", "PREVENTION", 30, 32),
                    headed("trafficking_profile", "TRAFFICKING PROFILE", 34, 36),
                ),
                heading="FREEDONIA: TIER 1",
                stated_tier="1",
                stated_line=13,
            ),
        ),
        meta=refworld_meta(
            "2022 Trafficking in Persons Report: Freedonia",
            2022,
            "Freedonia",
            "2022-07-19",
            last_updated="2022-07-20T10:00:00+00:00",
            accessed="2022-07-21",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "tier-spellings",
        (
            profile_assessment("Freedonia", 3, "2WL", "Freedonia (Tier 2 Watchlist)"),
            profile_assessment("Sylvania", 9, "2WL", "Sylvania (Tier 2 Watch-List)"),
            profile_assessment("Ruritania", 15, "2", "Ruritania (Tier II)"),
            profile_assessment("KOSOVO", 21, "2", "KOSOVO: tier 2", cow_code=347),
            profile_assessment("Burma", 27, "3", "Burma (Tier 3)", iso3="MMR", cow_code=775),
            profile_assessment(
                "Korea, Republic of",
                33,
                "1",
                "Korea, Republic of (Tier 1)",
                iso3="KOR",
                cow_code=732,
            ),
            profile_assessment(
                "Congo (Kinshasa)",
                39,
                "2WL",
                "Congo (Kinshasa) (Tier 2 Watch List)",
                iso3="COD",
                cow_code=490,
            ),
        ),
        meta=NO_HEADER,
        disclaimer=None,
        clean=True,
    ),
    FixtureFact(
        "chapter-multi-country",
        (
            chapter_2019("AFGHANISTAN", 3, "2", "AFG", 700),
            chapter_2019("ALBANIA", 16, "2", "ALB", 339),
            chapter_2019("ALGERIA", 29, "2WL", "DZA", 615),
            chapter_2019("ANGOLA", 42, "2", "AGO", 540),
        ),
        meta=NO_HEADER,
        disclaimer=None,
        clean=True,
    ),
    # ---- text traps
    FixtureFact(
        "trap-crlf",
        (STRIPPED_2003,),
        meta=refworld_meta(T2003, 2003, "Freedonia", "2003-06-11"),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "trap-lone-cr",
        (
            SectionFact(
                "Ruritania",
                11,
                "1",
                (13, 15, 17, 19, 21),
                (
                    inferred("profile", 13),
                    inferred("assessment", 15),
                    runin("prevention", "Prevention", 17),
                    runin("prosecution", "Prosecution", 19),
                    runin("protection", "Protection", 21),
                ),
                heading="Ruritania (Tier 1)",
            ),
        ),
        meta=refworld_meta(
            "U.S. Department of State 2003 Trafficking in Persons Report - Ruritania",
            2003,
            "Ruritania",
            "2003-06-11",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "trap-utf8-bom",
        (freedonia_2003(11),),
        meta=refworld_meta(T2003, 2003, "Freedonia", "2003-06-11"),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "trap-cp1252",
        (CIV_2003,),
        meta=refworld_meta(CIV_TITLE, 2003, CIV, "2003-06-11"),
        disclaimer=DISCLAIMER,
        contains=("Recruiters promise parents \u201cgood jobs\u201d for their children",),
        encoding="auto",  # parse_file refuses to guess a legacy encoding unless asked
    ),
    FixtureFact(
        "trap-utf16-bom",
        (
            SectionFact(
                "BURMA",
                11,
                "3",
                (13, 15, 17),
                (
                    inferred("profile", 13),
                    inferred("assessment", 15),
                    runin("recommendations", "Recommendations for Burma", 17),
                ),
                heading="BURMA (Tier 3)",
                iso3="MMR",
                cow_code=775,
            ),
        ),
        meta=refworld_meta(
            "Trafficking in Persons Report 2008 - Burma", 2008, "Burma", "2008-06-04"
        ),
        disclaimer=DISCLAIMER,
        clean=True,
    ),
    FixtureFact(
        "trap-mojibake",
        (CIV_2003,),
        meta=refworld_meta(CIV_TITLE, 2003, CIV, "2003-06-11"),
        disclaimer=DISCLAIMER,
        contains=(f"{CIV} is a source", "The ministry\u2019s new r\u00e9gime of inspections"),
        absent=("\u00c3", "\u00e2\u20ac"),
        mojibake=True,
    ),
    FixtureFact(
        "trap-zero-width",
        (freedonia_2003(11),),
        meta=refworld_meta(T2003, 2003, "Freedonia", "2003-06-11"),
        disclaimer=DISCLAIMER,
        contains=(
            "Freedonia is a source country for women and girls trafficked to neighboring states",
            "The Government of Freedonia does not fully comply with the minimum standards",
        ),
    ),
    FixtureFact(
        "trap-double-spaced",
        (
            SectionFact(
                "MOLDOVA",
                1,
                "2",
                (3, 9, 17),
                (
                    inferred("profile", 3),
                    inferred("assessment", 9),
                    headed("prosecution", "PROSECUTION", 15, 17),
                ),
                heading="MOLDOVA: Tier 2",
                stated_tier="2",
                iso3="MDA",
            ),
        ),
        meta=NO_HEADER,
        clean=True,
        # A blank line after every line: the paragraphs run on across those inside sentences.
        runs_on=((3, 5), (5, 7), (9, 11), (11, 13), (17, 19)),
        contains=("subjected to forced labor on farms", "to do so; therefore Moldova remained"),
    ),
    FixtureFact(
        "trap-hard-wrapped",
        (
            SectionFact(
                "FREEDONIA",
                1,
                "2",
                (3, 11, 17, 21, 26, 31, 36),
                (
                    inferred("summary", 3),
                    headed("recommendations", "RECOMMENDATIONS FOR FREEDONIA", 9, 11),
                    headed("prosecution", "PROSECUTION", 15, 17, 21),
                    headed("protection", "PROTECTION", 24, 26),
                    headed("prevention", "PREVENTION", 29, 31),
                    headed("trafficking_profile", "TRAFFICKING PROFILE", 34, 36),
                ),
                heading="FREEDONIA: TIER 2",
                stated_tier="2",  # the statement spans lines 6-7: its line is not pinned down
            ),
        ),
        meta=NO_HEADER,
        disclaimer=None,
        clean=True,
        contains=(
            "does not fully meet the minimum standards for the elimination of trafficking but is "
            "making significant efforts to do so.",
            "therefore Freedonia was upgraded to Tier 2.",
        ),
    ),
    FixtureFact(
        "trap-web-chrome",
        (
            SectionFact(
                "FREEDONIA",
                21,
                "2",
                (23, 27, 31, 35, 39, 43),
                (
                    inferred("summary", 23),
                    headed(
                        "recommendations", "PRIORITIZED RECOMMENDATIONS", 25, 27, items=WEB_ITEMS
                    ),
                    headed("prosecution", "PROSECUTION", 29, 31),
                    headed("protection", "PROTECTION", 33, 35),
                    headed("prevention", "PREVENTION", 37, 39),
                    headed("trafficking_profile", "TRAFFICKING PROFILE", 41, 43),
                ),
                heading="FREEDONIA: TIER 2",
                stated_tier="2",
                stated_line=23,
            ),
        ),
        absent=("official website", "cookie", "Share", "Facebook", "Related Articles", "Sylvania"),
    ),
    FixtureFact(
        "trap-letter-spaced-heading",
        (
            SectionFact(
                "FREEDONIA",
                1,
                "2",
                (3, 7, 11, 15, 19, 23),
                twenty19_parts(3),
                stated_tier="2",
                stated_line=3,
            ),
        ),
        meta=NO_HEADER,
        disclaimer=None,
    ),
    FixtureFact(
        "trap-split-heading",
        # "FREEDONIA: TIER 2 WATCH" / "LIST": the tier is 2WL, and "LIST" is no paragraph.
        (
            SectionFact(
                "FREEDONIA",
                1,
                "2WL",
                (4, 8, 12, 16, 20, 24),
                twenty19_parts(4),
                stated_tier="2WL",
                stated_line=4,
            ),
        ),
        meta=NO_HEADER,
        disclaimer=None,
    ),
    FixtureFact(
        "trap-no-final-newline",
        (
            SectionFact(
                "Ruritania",
                11,
                "1",
                (13, 15, 17),
                (inferred("profile", 13), inferred("assessment", 15, 17)),
                heading="Ruritania (Tier 1)",
            ),
        ),
        meta=refworld_meta(
            "U.S. Department of State 2003 Trafficking in Persons Report - Ruritania",
            2003,
            "Ruritania",
            "2003-06-11",
        ),
        disclaimer=DISCLAIMER,
        clean=True,
        contains=("a hotline that operates around the clock in the capital.",),
    ),
    FixtureFact(
        "trap-no-heading-stated-tier",
        (
            SectionFact(
                UNCHECKED,
                None,
                "2",
                (1, 3, 5, 7, 9, 11),
                UNCHECKED,
                heading=None,
                tier_source="stated",
                stated_tier="2",
                stated_line=1,
            ),
        ),
        meta=NO_HEADER,
        disclaimer=None,
    ),
    # ---- not narratives: no section, no tier, and a diagnostic saying so
    FixtureFact(
        "not-narrative-human-rights",
        (),
        meta={
            "title": "2019 Country Reports on Human Rights Practices: Freedonia",
            "publication_date": "2020-03-11",
            "last_updated": "2020-03-13T10:41:00+00:00",
        },
        warnings=NOT_NARRATIVE,
    ),
    FixtureFact(
        "not-narrative-encyclopedia",
        (),
        meta={"report_year": None},
        disclaimer=None,
        warnings=NOT_NARRATIVE,
    ),
    # ---- real-copy families (issue 14): one fixture each, in the project's own words
    FixtureFact(
        "heading-attribution-bracketed",
        (
            SectionFact(
                "SYLVANIA",
                3,
                "2",
                (5, 7, 9, 11),
                (
                    inferred("profile", 5),
                    inferred("assessment", 7),
                    runin("recommendations", "Recommendations for Sylvania", 9),
                    runin("prosecution", "Prosecution", 11),
                ),
                heading="SYLVANIA (TIER 2)",
                tier_source="heading",
                tier_printed="TIER 2",
                stated_tier=None,
            ),
        ),
        meta={"title": None, "report_year": 2011, "subject": None},
        absent=("Taken from", "Reports by Country"),
    ),
    FixtureFact(
        "heading-attribution-unbracketed",
        (
            SectionFact(
                "FREEDONIA",
                3,
                "2WL",
                (5, 9),
                (
                    inferred("summary", 5),
                    headed("recommendations", "Prioritized Recommendations", 7, 9),
                ),
                heading="FREEDONIA (Tier 2 Watch List)",
                tier_source="heading",
                tier_printed="Tier 2 Watch List",
                stated_tier="2WL",
                stated_line=5,
            ),
        ),
        meta={"title": None, "report_year": 2021, "subject": None},
        absent=("Adapted in part",),
    ),
    FixtureFact(
        "heading-glued-to-sentence",
        (
            SectionFact(
                "RURITANIA",
                15,
                "2",
                (15, 17),
                (inferred("assessment", 15, 17),),
                heading="RURITANIA: TIER 2",
                tier_printed="TIER 2",
                glued=True,
            ),
        ),
        meta=NO_HEADER,
        absent=("reader votes", "travel profiles", "Labor inspectors visited"),
    ),
    FixtureFact(
        "heading-tier-asterisk",
        (
            SectionFact(
                "SYLVANIA",
                10,
                "3",
                (12, 14),
                (inferred("profile", 12), inferred("assessment", 14)),
                heading="SYLVANIA (Tier 3*)",
                tier_source="heading",
                tier_printed="Tier 3*",
            ),
        ),
        meta={
            "title": "2014 Trafficking in Persons Report - Sylvania",
            "report_year": 2014,
            "subject": "Sylvania",
            "last_updated": "2023-04-03T10:15:00+00:00",
            "publisher": PUBLISHER,
            "author": None,
            "publication_date": "2014-06-20",
            "url": "https://www.refworld.org/docid/0a1b2c3d4e.html",
            "accessed_date": "2023-04-05",
        },
        disclaimer=DISCLAIMER,
    ),
    FixtureFact(
        "header-pipe-table",
        (
            SectionFact(
                "FREEDONIA",
                6,
                "2WL",
                (7, 8),
                (inferred("profile", 7, 8),),
                heading="FREEDONIA (Tier 2 Watch List)",
            ),
        ),
        meta={
            "title": "2012 Trafficking in Persons Report - Freedonia",
            "report_year": 2012,
            "subject": "Freedonia",
            "last_updated": None,
            "publisher": PUBLISHER,
            "author": None,
            "publication_date": "2012-06-19",
            "url": "https://www.refworld.org/docid/5f6e7d8c9b.html",
            "accessed_date": "2023-03-14",
        },
        disclaimer=DISCLAIMER,
    ),
    FixtureFact(
        "heading-tier-only",
        (
            SectionFact(
                None,
                2,
                "2WL",
                (4, 6, 10, 14),
                (
                    inferred("profile", 4),
                    inferred("assessment", 6),
                    headed("recommendations", "Recommendations for Freedonia", 8, 10),
                    headed("prosecution", "Prosecution", 12, 14),
                ),
                heading="Tier 2 Watch List",
                tier_printed="Tier 2 Watch List",
            ),
        ),
        meta={"title": None, "report_year": None, "author": None},
        absent=("Office To Monitor",),
    ),
    FixtureFact(
        "chapter-special-cases-untagged",
        (
            chapter_entry(
                "SOMALIA",
                7,
                (
                    inferred("other", 9),
                    runin("scope_and_magnitude", "Scope and Magnitude", 11),
                    runin("government_efforts", "Government Efforts", 13),
                ),
                iso3="SOM",
            ),
            chapter_entry(
                "COTE D'IVOIRE",
                15,
                (
                    inferred("other", 17),
                    runin("scope_and_magnitude", "Scope and Magnitude", 19),
                    runin("government_efforts", "Government Efforts", 21),
                ),
                iso3="CIV",
            ),
        ),
        meta={
            "title": "Trafficking in Persons Report",
            "report_year": None,
            "subject": None,
            "author": None,
            "publication_date": None,
        },
        absent=("Office to Monitor", "Special Cases"),
    ),
    FixtureFact(
        "chapter-special-cases-abbreviated-names",
        (
            chapter_entry(
                "ST. KITTS AND NEVIS",
                7,
                (
                    inferred("other", 9),
                    runin("scope_and_magnitude", "Scope and Magnitude", 11),
                ),
                iso3="KNA",
            ),
            chapter_entry(
                "ST. LUCIA",
                13,
                (
                    inferred("other", 15),
                    runin("government_efforts", "Government Efforts", 17),
                ),
                iso3="LCA",
            ),
        ),
        meta={"title": "Trafficking in Persons Report", "report_year": None, "subject": None},
        absent=("Office to Monitor", "Special Cases"),
    ),
    FixtureFact(
        "chapter-special-cases-wrapped",
        (
            chapter_entry(
                "SOMALIA",
                3,
                (
                    inferred("other", 5),
                    runin("scope_and_magnitude", "Scope and Magnitude", 8),
                ),
                iso3="SOM",
            ),
            chapter_entry(
                "THE GAMBIA",
                11,
                (inferred("other", 13),),
                iso3="GMB",
            ),
        ),
        meta={"title": None, "report_year": None},
        absent=("Special Cases",),
    ),
    FixtureFact(
        "header-breadcrumb-then-title",
        (
            SectionFact(
                "ESTONIA",
                12,
                "1",
                (14, 18, 22, 26),
                (
                    inferred("summary", 14),
                    headed("recommendations", "PRIORITIZED RECOMMENDATIONS", 16, 18),
                    headed("prosecution", "PROSECUTION", 20, 22),
                    headed("trafficking_profile", "TRAFFICKING PROFILE", 24, 26),
                ),
                heading="ESTONIA: Tier 1",
                stated_tier="1",
                stated_line=14,
                iso3="EST",
            ),
        ),
        # The breadcrumb's bare "2024 Trafficking in Persons Report" is not the title.
        meta={
            "title": "2024 Trafficking in Persons Report: Estonia",
            "report_year": 2024,
            "subject": "Estonia",
            "publisher": None,
        },
        absent=("Office to Monitor", "official website", "hide"),
        clean=True,
    ),
    FixtureFact(
        "heading-qualified-country",
        (
            SectionFact(
                "KOSOVO (UN ADMINISTERED)",
                1,
                "2",
                (3, 5),
                (inferred("profile", 3), inferred("assessment", 5)),
                heading="KOSOVO (UN ADMINISTERED) (Tier 2)",
                iso3="XKX",
            ),
        ),
        meta=NO_HEADER,
        clean=True,
    ),
    FixtureFact(
        "header-wrapped-citation",
        (
            SectionFact(
                "FREEDONIA",
                17,
                "2",
                (19, 22),
                (inferred("profile", 19), inferred("assessment", 22)),
                heading="FREEDONIA (Tier 2)",
                stated_tier=None,
            ),
        ),
        meta={
            **refworld_meta(
                "Trafficking in Persons Report 2011 - Freedonia",
                2011,
                "Freedonia",
                "2011-06-27",
                last_updated="2012-03-12T10:15:00+00:00",
                accessed="2012-03-14",
                url="http://www.refworld.org/docid/4e12ee7fc.html",
            ),
            "cite_as": "United States Department of State, Trafficking in Persons Report 2011 - "
            "Freedonia, 27 June 2011, available at: http://www.refworld.org/docid/4e12ee7fc.html "
            "[accessed 14 March 2012]",
        },
        disclaimer=DISCLAIMER,
        absent=("accessed", "refworld"),
    ),
    FixtureFact(
        "part-heading-line-closed",
        (
            SectionFact(
                "GEORGIA",
                1,
                "1",
                (3, 7, 11),
                (
                    inferred("summary", 3),
                    headed("prosecution", "Prosecution", 5, 7),
                    headed("protection", "Protection", 9, 11),
                ),
                heading="GEORGIA (Tier 1)",
                iso3="GEO",
            ),
        ),
        meta=NO_HEADER,
        clean=True,
        absent=("Prosecution.", "Protection \u2013"),
    ),
    FixtureFact(
        "runin-dash-separator",
        (
            SectionFact(
                "GEORGIA",
                1,
                "1",
                (3, 5, 7, 9),
                (
                    inferred("assessment", 3),
                    runin("prosecution", "Prosecution", 5),
                    runin("protection", "Protection", 7),
                    runin("prevention", "Prevention", 9),
                ),
                heading="GEORGIA (Tier 1)",
                iso3="GEO",
            ),
        ),
        meta=NO_HEADER,
        clean=True,
        contains=("Prosecution \u2013 The government convicted eleven",),
    ),
    FixtureFact(
        "title-site-suffix",
        (
            SectionFact(
                "ARMENIA",
                3,
                "2",
                (5, 9),
                (inferred("summary", 5), headed("prosecution", "PROSECUTION", 7, 9)),
                heading="ARMENIA: Tier 2",
                iso3="ARM",
            ),
        ),
        # The page's title ends with its site's name, which is not the subject.
        meta={
            "title": "2023 Trafficking in Persons Report: Armenia - U.S. Embassy in Armenia",
            "report_year": 2023,
            "subject": "Armenia",
        },
        clean=True,
    ),
    FixtureFact(
        "title-on-separator",
        (
            SectionFact(
                "Moldova",
                None,
                None,
                (3, 5, 7),
                (
                    inferred("profile", 3),
                    inferred("assessment", 5),
                    runin("recommendations", "Recommendations for Moldova", 7),
                ),
                iso3="MDA",
            ),
        ),
        meta={
            "title": "Trafficking in Persons Report 2013 on Moldova",
            "report_year": 2013,
            "subject": "Moldova",
        },
        warnings=(WarningFact("no_heading"),),
    ),
    FixtureFact(
        "title-chapter-segment",
        (
            SectionFact(
                "FREEDONIA",
                3,
                "2WL",
                (5, 7),
                (inferred("profile", 5, 7),),
                heading="FREEDONIA: Tier 2 Watch List",
            ),
        ),
        meta={
            "title": "Trafficking in Persons Report 2016 - Country Narratives - Freedonia",
            "report_year": 2016,
            "subject": "Freedonia",
        },
    ),
    FixtureFact(
        "headingless-abbreviated-country",
        (
            SectionFact(
                "St. Kitts and Nevis",
                None,
                "2WL",
                (3, 5),
                (inferred("profile", 3), inferred("assessment", 5)),
                tier_source="stated",
                stated_tier="2WL",
                stated_line=5,
                iso3="KNA",
            ),
        ),
        meta=NO_HEADER,
        # "St." ends no sentence: the placement sentence places the whole name.
        contains=("St. Kitts and Nevis has moved from Tier 2 to Tier 2 Watch List",),
        absent=("Islands ranking slips",),
    ),
    FixtureFact(
        "headingless-moved-between-tiers",
        (
            SectionFact(
                "Sylvania",
                None,
                "3",
                (3, 8),
                (inferred("profile", 3), inferred("assessment", 8)),
                tier_source="stated",
                stated_tier="3",
                stated_line=8,
            ),
        ),
        meta=NO_HEADER,
        absent=("third yearly report",),
    ),
    FixtureFact(
        "pdf-mid-page-start",
        (
            SectionFact(
                None,
                None,
                None,
                (1, 4, 9),
                (
                    inferred("other", 1),
                    headed("recommendations", "RECOMMENDATIONS FOR RURITANIA", 3, 4),
                    headed("prosecution", "PROSECUTION", 8, 9),
                ),
            ),
        ),
        meta=NO_HEADER,
        warnings=(WarningFact("no_heading"),),
    ),
    FixtureFact(
        "chapter-narratives-page-title",
        (
            SectionFact(
                "SYLVANIA",
                6,
                "2",
                (8, 10, 12),
                (inferred("profile", 8), inferred("assessment", 10, 12)),
                heading="SYLVANIA (Tier 2)",
            ),
        ),
        meta={"title": None, "report_year": None, "fields": {}},
        absent=("Countries R Through T",),
    ),
    # PDF text: page numbers and running headers between two pages, one paragraph running on
    # across the break (line 7 goes on at line 14).
    FixtureFact(
        "pdf-page-noise",
        (
            SectionFact(
                "SYLVANIA",
                1,
                "2WL",
                (2, 7, 16, 25),
                (
                    inferred("summary", 2),
                    headed("recommendations", "RECOMMENDATIONS FOR SYLVANIA", 6, 7),
                    headed("prosecution", "PROSECUTION", 15, 16),
                    headed("protection", "PROTECTION", 24, 25),
                ),
                heading="SYLVANIA: TIER 2 WATCH LIST",
                stated_tier="2WL",
                stated_line=2,
            ),
        ),
        meta=NO_HEADER,
        contains=("prosecute the recruiters who confiscate the identity documents",),
        absent=("312", "TRAFFICKING IN PERSONS REPORT"),
        runs_on=((8, 14),),
    ),
    FixtureFact(
        "pdf-running-header-caps",
        (
            SectionFact(
                "ARMENIA",
                1,
                "1",
                (2, 11, 17),
                (
                    inferred("summary", 2),
                    headed("prosecution", "PROSECUTION", 10, 11),
                    headed("protection", "PROTECTION", 16, 17),
                ),
                heading="ARMENIA: TIER 1",
                iso3="ARM",
            ),
        ),
        meta=NO_HEADER,
        # A page's running header in capitals beside its page number is page noise, and the
        # paragraph runs on across the break.
        contains=("and referred all of them to the shelter",),
        absent=("COUNTRY NARRATIVES", "79", "80"),
        runs_on=((4, 9),),
    ),
    # Not narratives, though they mention tiers: no tier may be invented.
    FixtureFact("not-narrative-news-tier-table", (), meta=NO_HEADER, warnings=NOT_NARRATIVE),
    # A table of contents and a table of placements: rows of country and tier, no narrative.
    FixtureFact("not-narrative-tier-list-rows", (), meta=NO_HEADER, warnings=NOT_NARRATIVE),
    # A country and its tier on a line of an encyclopedia page, prose before it, none under it.
    FixtureFact(
        "not-narrative-encyclopedia-tier-line",
        (),
        meta=NO_HEADER,
        warnings=(*NOT_NARRATIVE, WarningFact("heading_not_recognised", 8)),
    ),
    FixtureFact("not-narrative-embassy-statement", (), meta=NO_HEADER, warnings=NOT_NARRATIVE),
    FixtureFact(
        "not-narrative-table-of-contents",
        (),
        meta={"title": "Trafficking in Persons Report", "report_year": None, "author": None},
        warnings=NOT_NARRATIVE,
    ),
    FixtureFact(
        "not-narrative-report-announcement",
        (),
        meta={"title": "2019 Trafficking in Persons Report", "report_year": None},
        warnings=NOT_NARRATIVE,
    ),
    FixtureFact(
        "not-narrative-rights-report-title",
        (),
        meta={
            "title": "Country Report on Human Rights Practices 2017 - Sylvania",
            "report_year": None,
            "subject": "Sylvania",
            "fields": {},
        },
        warnings=NOT_NARRATIVE,
    ),
    FixtureFact(
        "not-narrative-interim-assessment",
        (),
        meta={"title": "Trafficking in Persons Interim Assessment", "report_year": None},
        warnings=NOT_NARRATIVE,
    ),
    # A Refworld page of another document: its title is the line under Last Updated.
    FixtureFact(
        "header-other-title-under-date",
        (),
        meta={
            "title": "Freedonia: Labour migration and seasonal work, an overview",
            "report_year": None,
            "last_updated": "2019-05-09T14:20:00+00:00",
            "publisher": "Ministry of Labour of Freedonia",
            "publication_date": "2019-05-02",
            "fields": {"Country": "Freedonia"},
        },
        disclaimer=None,
        warnings=NOT_NARRATIVE,
    ),
    FixtureFact("not-narrative-press-statement", (), disclaimer=None, warnings=NOT_NARRATIVE),
    FixtureFact("empty", (), meta=NO_HEADER, disclaimer=None, warnings=(WarningFact(),)),
    FixtureFact("whitespace-only", (), meta=NO_HEADER, disclaimer=None, warnings=(WarningFact(),)),
    # ---- read by evidence (issue 21): one fixture per family, in the project's own words
    *(
        FixtureFact(
            name,
            (
                SectionFact(
                    country,
                    line,
                    tier,
                    (first, first + 2),
                    (inferred("assessment", first, first + 2),),
                    heading=heading,
                ),
            ),
            meta={"report_year": year},
        )
        for name, country, line, tier, first, heading, year in (
            ("heading-trailing-attribution-dash", "TOGO", 1, "2", 3, "TOGO (Tier 2)", 2022),
            ("heading-trailing-source-bracket", "Peru", 1, "1", 3, "Peru (Tier 1)", None),
            ("heading-glued-attribution-no-space", "GHANA", 1, "2", 3, "GHANA (Tier 2)", 2009),
            ("heading-attribution-own-line", "GHANA", 1, "2", 4, "GHANA (Tier 2)", 2011),
            ("heading-closing-period", "Mexico", 1, "2WL", 3, "Mexico (Tier 2 Watch List).", None),
            ("heading-split-country-colon", "UNITED ARAB EMIRATES", 1, "2", 4, UNCHECKED, None),
            ("heading-reversed-tier-dash", "Eritrea", 1, "3", 3, "Tier 3 \u2013 Eritrea", None),
            (
                "heading-titled-for",
                "Qatar",
                1,
                "2",
                3,
                "2018 TIP Report for Qatar \u2013 Tier 2",
                2018,
            ),
            (
                "heading-titled-prefix",
                "JORDAN",
                1,
                "2",
                3,
                "State Dept. Trafficking Report 2010 JORDAN:(Tier 2)",
                2010,
            ),
        )
    ),
    FixtureFact(
        "heading-attribution-wrapped",  # the heading's bracketed attribution hard-wrapped
        (
            SectionFact(
                "TURKMENISTAN",
                3,
                "2WL",
                (6, 9),
                (inferred("profile", 6), inferred("assessment", 9)),
                heading="TURKMENISTAN (Tier 2 Watch List)",
                iso3="TKM",
            ),
        ),
        meta={"title": None, "report_year": 2009},
        # The attribution's second line is provenance, and no link list runs on from it.
        contains=("Turkmenistan is a source country for women trafficked",),
        absent=("in Persons Report, June 2009]",),
        runs_on=(),
    ),
    FixtureFact(
        "heading-tier-then-country-line",  # the country on the line after the tier words
        (
            SectionFact(
                UNCHECKED,
                1,
                "3",
                (4, 6),
                (inferred("assessment", 4, 6),),
                iso3="ERI",
            ),
        ),
        meta=NO_HEADER,
    ),
    FixtureFact(
        "heading-glued-no-space",
        (
            SectionFact(
                "NEPAL",
                1,
                "2",
                (1, 3),
                (inferred("assessment", 1, 3),),
                heading="NEPAL (Tier 2)",
                glued=True,
            ),
        ),
        meta=NO_HEADER,
    ),
    FixtureFact(
        "heading-bracketed-tier-title-country",
        (SectionFact(None, 3, "3", (5, 7), (inferred("assessment", 5, 7),), heading="(Tier 3)"),),
        meta={
            "title": "2010 Trafficking in Persons Report - Jordan",
            "report_year": 2010,
            "subject": "Jordan",
        },
    ),
    FixtureFact(
        "heading-reversed-special-case",
        (
            SectionFact(
                "Yemen",
                1,
                "special_case",
                (3, 5),
                (inferred("other", 3, 5),),
                heading="Special Case (Yemen)",
            ),
        ),
        meta=NO_HEADER,
    ),
    FixtureFact(
        "heading-titled-country-report",
        (
            SectionFact(
                "OMAN",
                1,
                "2WL",
                (3,),
                (inferred("profile", 3),),
                heading="OMAN : US Trafficking in Persons Report 2008",
                tier_source="stated",
                stated_tier="2WL",
                stated_line=3,
            ),
        ),
        meta={"title": None, "report_year": 2008},
    ),
    FixtureFact(
        "title-citation-quoted",
        (SectionFact("ARMENIA", 3, "2", (5, 7), (inferred("assessment", 5, 7),)),),
        meta={
            "title": 'U.S. Department of State, "2012 Trafficking in Persons Report," June 2012',
            "report_year": 2012,
            "subject": None,
        },
    ),
    FixtureFact(
        "title-no-year-dash",
        (SectionFact("INDONESIA", 3, "2", (5, 7), (inferred("assessment", 5, 7),)),),
        meta={
            "title": "Trafficking in Persons Report \u2013 Indonesia",
            "report_year": None,
            "subject": "Indonesia",
        },
    ),
    FixtureFact(
        "header-labels-own-lines",
        (SectionFact("Ghana", 12, "2", (14, 16), (inferred("assessment", 14, 16),)),),
        meta={
            "title": "U.S. Department of State 2005 Trafficking in Persons Report - Ghana",
            "report_year": 2005,
            "subject": "Ghana",
            "author": AUTHOR,
            "publisher": PUBLISHER,
            "publication_date": "2005-06-03",
            "last_updated": "2015-10-12T09:30:00+00:00",
        },
    ),
    FixtureFact(
        "placement-lists-checked",  # the lists disagree with the narratives: warnings, no section
        (
            SectionFact("CHILE", 11, "1", (13,), (inferred("assessment", 13),)),
            SectionFact("PERU", 15, "2WL", (17,), (inferred("assessment", 17),)),
        ),
        meta=NO_HEADER,
        warnings=(
            WarningFact("placement_without_narrative"),
            WarningFact("placement_mismatch", 15),
        ),
    ),
    FixtureFact(
        "header-listed-labels-date",
        (SectionFact("MONGOLIA", 7, "2", (9, 11), (inferred("assessment", 9, 11),)),),
        meta={
            "title": "Trafficking in Persons Report 2017 \u2013 Mongolia",
            "report_year": 2017,
            "subject": "Mongolia",
            "author": AUTHOR,
            "publisher": PUBLISHER,
            "publication_date": "2017-06-27",
        },
    ),
    FixtureFact(
        "mid-narrative-part-first",
        (
            SectionFact(
                "UGANDA",
                None,
                None,
                (3, 7, 11),
                (
                    headed("prevention", "PREVENTION", 1, 3),
                    headed("recommendations", "RECOMMENDATIONS FOR UGANDA", 5, 7),
                    headed("prosecution", "PROSECUTION", 9, 11),
                ),
            ),
        ),
        meta=NO_HEADER,
    ),
    *(
        FixtureFact(name, (), meta={"report_year": None}, warnings=NOT_NARRATIVE)
        for name in (
            "not-narrative-quoted-placement",
            "not-narrative-site-ranking-label",
            "not-narrative-template-placeholder",
            "not-narrative-agency-heading",
        )
    ),
)

# ------------------------------------------------------------------ reading the raw fixture


def _source_lines(path: Path, *, mojibake: bool = False) -> list[str]:
    """The file's lines as a careful human reads them; index 0 is line 1."""
    data = path.read_bytes()
    if data.startswith(b"\xff\xfe"):
        text = data[2:].decode("utf-16-le")
    elif data.startswith(b"\xfe\xff"):
        text = data[2:].decode("utf-16-be")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    if mojibake:
        lines = [line.encode("cp1252").decode("utf-8") for line in lines]
    return lines


def _clean(line: str) -> str:
    for ch in INVISIBLE:
        line = line.replace(ch, "")
    return line.replace("\u00a0", " ").strip()


class Bounds(set[int]):
    """Lines where a heading or a paragraph starts, and where paragraphs run on (`runs_on`)."""

    runs_on: dict[int, int]


def _boundaries(fact: FixtureFact) -> Bounds:
    """Lines where a heading or a paragraph starts: a paragraph block ends before these."""
    starts = Bounds()
    starts.runs_on = dict(fact.runs_on)
    for sec in fact.sections:
        if sec.line is not None:
            starts.add(sec.line)
        starts.update(sec.paragraphs)
        if not isinstance(sec.parts, _Unchecked):
            starts.update(part.line for part in sec.parts)
    return starts


def _expected_text(lines: list[str], line: int, boundaries: set[int]) -> str:
    """The paragraph starting at `line`: its block's lines, stripped, joined by one space."""
    words = [_clean(lines[line - 1])]
    n = line + 1
    runs_on = getattr(boundaries, "runs_on", {})
    while n <= len(lines) and n not in boundaries:
        if not _clean(lines[n - 1]):
            if n - 1 not in runs_on:
                break
            n = runs_on[n - 1]
        words.append(_clean(lines[n - 1]))
        n += 1
    return " ".join(words)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", _clean(s)).casefold()


# ----------------------------------------------------------------------------- the tests


def _ids(facts: tuple[FixtureFact, ...]) -> list[str]:
    return [f.name for f in facts]


def test_every_fixture_has_facts() -> None:
    on_disk = {p.stem for p in FIXTURES.glob("*.txt")}
    in_table = {f.name for f in FACTS}
    assert len(in_table) == len(FACTS), "duplicate fixture in FACTS"
    assert on_disk - in_table == set(), "fixtures without facts"
    assert in_table - on_disk == set(), "facts without a fixture file"


@pytest.mark.parametrize("fact", FACTS, ids=_ids(FACTS))
def test_facts_table_matches_fixture_text(fact: FixtureFact) -> None:
    """No parser involved: the line numbers in the table point where they claim to."""
    path = FIXTURES / f"{fact.name}.txt"
    if not path.exists():
        pytest.fail(f"missing fixture {path}")
    lines = _source_lines(path, mojibake=fact.mojibake)
    boundaries = _boundaries(fact)
    previous_end = 0
    for sec in fact.sections:
        assert sec.tier in (None, "1", "2", "2WL", "3", "special_case")
        if sec.line is not None:
            assert sec.line > previous_end
            if isinstance(sec.country, str):
                assert _squash(sec.country) in _squash(lines[sec.line - 1])
            if isinstance(sec.heading, str):
                # What follows a heading on its line is an attribution or its first sentence.
                assert _clean(lines[sec.line - 1]).startswith(sec.heading)
        first = (sec.line or 0) - sec.glued
        assert list(sec.paragraphs) == sorted(set(sec.paragraphs))
        assert all(p > first and _clean(lines[p - 1]) for p in sec.paragraphs)
        previous_end = sec.paragraphs[-1] if sec.paragraphs else first
        if isinstance(sec.stated_line, int):
            assert sec.stated_line in sec.paragraphs
            assert "tier" in _expected_text(lines, sec.stated_line, boundaries).casefold()
        if isinstance(sec.parts, _Unchecked):
            continue
        # Parts partition the paragraphs, in order.
        assert tuple(p for part in sec.parts for p in part.paragraphs) == sec.paragraphs
        for part in sec.parts:
            assert part.kind in PART_KINDS
            assert part.paragraphs
            text = _clean(lines[part.line - 1])
            if part.heading is None:
                assert part.line == part.paragraphs[0]
            elif part.line == part.paragraphs[0]:  # run-in
                assert text.startswith(part.heading)
                # A full stop or colon after the heading, or in a reprint a spaced dash.
                after = text[len(part.heading) :]
                assert after[:1] in ".:" or after[:2] in (" -", " \u2013", " \u2014"), after
            else:  # heading on a line of its own
                assert text.rstrip(":. -\u2013\u2014") == part.heading  # "Protection \u2013"
                assert part.line < part.paragraphs[0]
                assert part.line not in sec.paragraphs
            for item_line, item_text in part.items:
                assert item_line in part.paragraphs
                assert f"\u2022 {item_text}" in _clean(lines[item_line - 1])
    texts = [_expected_text(lines, p, boundaries) for sec in fact.sections for p in sec.paragraphs]
    for needle in fact.contains:
        assert any(needle in t for t in texts), needle
    for needle in fact.absent:
        assert not any(needle in t for t in texts), needle


def _check_section(sec: Section, want: SectionFact, lines: list[str], bounds: set[int]) -> None:
    assert sec.line == want.line
    if not isinstance(want.country, _Unchecked):
        assert sec.country_printed == want.country
    if not isinstance(want.heading, _Unchecked):
        assert sec.heading == want.heading
    assert (sec.tier.value if sec.tier else None) == want.tier
    if not isinstance(want.tier_source, _Unchecked):
        assert sec.tier_source == want.tier_source
    if not isinstance(want.tier_printed, _Unchecked):
        assert sec.tier_printed == want.tier_printed

    if not isinstance(want.stated_tier, _Unchecked):
        stated = sec.tier_stated
        assert (stated.tier.value if stated else None) == want.stated_tier
    if isinstance(want.stated_line, int):
        assert sec.tier_stated is not None
        assert sec.tier_stated.line == want.stated_line

    if isinstance(want.country, str) and want.country.casefold() in FICTIONAL:
        assert (sec.iso3, sec.cow_code) == (None, None)
    if not isinstance(want.iso3, _Unchecked):
        assert sec.iso3 == want.iso3
    if not isinstance(want.cow_code, _Unchecked):
        assert sec.cow_code == want.cow_code

    if isinstance(want.parts, _Unchecked):
        assert list(dict.fromkeys(p.line for p in sec.paragraphs)) == list(want.paragraphs)
        for p in sec.paragraphs:
            expected = _expected_text(lines, p.line, bounds)
            lead = expected.split("\u2022")[0].strip()
            assert p.item or p.text in (expected, lead), f"paragraph at line {p.line}"
        return
    got = [(p.kind, p.line, p.inferred, p.heading) for p in sec.parts]
    assert got == [(p.kind, p.line, p.inferred, p.heading) for p in want.parts]
    glued = want.heading if want.glued and isinstance(want.heading, str) else None
    for part, wpart in zip(sec.parts, want.parts, strict=True):
        expected = _expected_paragraphs(wpart, lines, bounds, glued, want.line)
        actual = [(p.line, p.text, p.item) for p in part.paragraphs]
        assert actual == expected, part.kind
        assert [(i.line, i.text) for i in part.items] == list(wpart.items), part.kind


def _expected_paragraphs(
    part: PartFact,
    lines: list[str],
    bounds: set[int],
    glued: str | None = None,
    heading_line: int | None = None,
) -> list[tuple[int, str, bool]]:
    """The paragraphs a part must hold: a printed block of `•` items becomes its items,
    and a heading run into its first sentence (`glued`) is no part of that paragraph."""
    expected: list[tuple[int, str, bool]] = []
    for line in part.paragraphs:
        text = _expected_text(lines, line, bounds)
        if glued is not None and line == heading_line:
            text = text.removeprefix(glued).strip()
        items = [(line, item, True) for item_line, item in part.items if item_line == line]
        if "\u2022" in text and (text.startswith("\u2022") or part.kind == "recommendations"):
            lead = text.split("\u2022")[0].strip()
            expected.extend([(line, lead, False)] if lead else [])
            expected.extend(items)
        else:
            expected.append((line, text, False))
    return expected


def _check_fields(got: Mapping[str, str], want: Mapping[str, str]) -> None:
    """Unknown labels are kept with their values; no glued label invents a key."""
    for label, value in want.items():
        assert got.get(label) == value, f"metadata.fields[{label!r}]"
    stray = {k for k in got if k.rstrip(":") not in KNOWN_LABELS and k not in want}
    assert stray == set(), "metadata.fields has keys that are no label"


def _check_report(report: Report, fact: FixtureFact, lines: list[str]) -> None:
    for key, value in fact.meta.items():
        if key == "fields":
            assert isinstance(value, Mapping)
            _check_fields(report.metadata.fields, value)
        else:
            assert getattr(report.metadata, key) == value, f"metadata.{key}"
    if not isinstance(fact.disclaimer, _Unchecked):
        assert report.disclaimer == fact.disclaimer

    warnings = [d for d in report.diagnostics if d.level is Level.WARNING]
    for w in fact.warnings:
        assert any(
            (w.code is None or d.code == w.code) and (w.line is None or d.line == w.line)
            for d in warnings
        ), f"no warning {w} in {report.diagnostics}"
    if fact.clean:
        # A fictional country may be reported as having no code; nothing else may warn.
        fictional = {
            s.line
            for s in fact.sections
            if isinstance(s.country, str) and s.country.casefold() in FICTIONAL
        }
        serious = [
            d
            for d in report.diagnostics
            if d.level is not Level.INFO
            and not (d.code == "unknown_country" and d.line in fictional)
        ]
        assert serious == [], serious

    assert len(report.sections) == len(fact.sections), [s.heading for s in report.sections]
    bounds = _boundaries(fact)
    for sec, want in zip(report.sections, fact.sections, strict=True):
        _check_section(sec, want, lines, bounds)

    texts = [p.text for s in report.sections for p in s.paragraphs]
    for needle in fact.contains:
        assert any(needle in t for t in texts), needle
    for needle in (*fact.absent, *INVISIBLE, "\r", "\n", "Search Refworld"):
        assert not any(needle in t for t in texts), repr(needle)


@pytest.mark.parametrize("fact", FACTS, ids=_ids(FACTS))
def test_parser_agrees_with_facts(fact: FixtureFact) -> None:
    path = FIXTURES / f"{fact.name}.txt"
    assert path.exists(), f"missing fixture {path}"
    report = tipconv.parse_file(path, encoding=fact.encoding)
    assert isinstance(report, Report)
    _check_report(report, fact, _source_lines(path, mojibake=fact.mojibake))
