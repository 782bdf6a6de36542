"""The typed result of parsing: one `Report` per input text.

The classes are immutable named tuples (change a copy with `._replace(...)`): they cost a
fraction of a dataclass to define and to build, and every CLI start and every parsed
narrative pays for both.

Every writer starts from `Report.to_dict()`, so the field names here *are* the JSON
contract (see `schema.json`). Additions keep `SCHEMA_VERSION`; a rename, a removal or a
change of meaning bumps it.
"""

# No `from __future__ import annotations` here: typing.NamedTuple would compile every
# string annotation into a ForwardRef, a cost paid at each start-up.
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

SCHEMA_VERSION = 1


class Level(StrEnum):
    """How much a diagnostic matters to someone using the output."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Tier(StrEnum):
    """A tier placement, as the TIP Report prints it (FORMAT.md §2)."""

    TIER_1 = "1"
    TIER_2 = "2"
    TIER_2_WATCH_LIST = "2WL"
    TIER_3 = "3"
    SPECIAL_CASE = "special_case"

    @property
    def ordinal(self) -> float | None:
        """Kelley & Simmons coding: Watch List sits between 2 and 3; special cases have none."""
        return _ORDINALS[self]

    @property
    def label(self) -> str:
        """The canonical printed words, e.g. "Tier 2 Watch List"."""
        return _LABELS[self]


_ORDINALS: dict[Tier, float | None] = {
    Tier.TIER_1: 1,
    Tier.TIER_2: 2,
    Tier.TIER_2_WATCH_LIST: 2.5,
    Tier.TIER_3: 3,
    Tier.SPECIAL_CASE: None,
}
_LABELS: dict[Tier, str] = {
    Tier.TIER_1: "Tier 1",
    Tier.TIER_2: "Tier 2",
    Tier.TIER_2_WATCH_LIST: "Tier 2 Watch List",
    Tier.TIER_3: "Tier 3",
    Tier.SPECIAL_CASE: "Special Case",
}

PART_KINDS = (
    "profile",
    "assessment",
    "summary",
    "recommendations",
    "prosecution",
    "protection",
    "prevention",
    "trafficking_profile",
    "government_efforts",
    "scope_and_magnitude",
    "other",
)


class Diagnostic(NamedTuple):
    """Something the parser noticed or could not understand; `line` is 1-based or None."""

    level: Level
    code: str
    line: int | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "code": self.code,
            "line": self.line,
            "message": self.message,
        }


class Paragraph(NamedTuple):
    """One paragraph of narrative text; `line` is where it starts in the original file."""

    line: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text}


class Part(NamedTuple):
    """A structural part of a narrative (Prosecution, Recommendations, ...).

    `heading` is the heading as printed, or None when the part was `inferred` from
    position and content because the copy lost its heading words.
    `items` holds the bullet items of a `PRIORITIZED RECOMMENDATIONS:` list.
    """

    kind: str
    heading: str | None
    line: int
    inferred: bool
    paragraphs: tuple[Paragraph, ...]
    items: tuple[Paragraph, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "heading": self.heading,
            "line": self.line,
            "inferred": self.inferred,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "items": [i.to_dict() for i in self.items],
        }


class TierStatement(NamedTuple):
    """A placement sentence in the text, e.g. "therefore Freedonia remained on Tier 1"."""

    tier: Tier
    line: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"tier": self.tier.value, "line": self.line, "text": self.text}


class Section(NamedTuple):
    """One country narrative: a tier-tagged heading and what follows it.

    `line` and `heading` are None for a narrative that has no printed heading (its tier,
    if any, then comes from a placement sentence and `tier_source` is "stated").
    """

    heading: str | None
    line: int | None
    country: str | None
    tier: Tier | None
    tier_label: str | None
    tier_source: str | None
    tier_stated: TierStatement | None
    iso3: str | None
    cow_code: int | None
    paragraphs: tuple[Paragraph, ...]
    parts: tuple[Part, ...]

    @property
    def tier_ordinal(self) -> float | None:
        return self.tier.ordinal if self.tier else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "line": self.line,
            "country": self.country,
            "iso3": self.iso3,
            "cow_code": self.cow_code,
            "tier": self.tier.value if self.tier else None,
            "tier_label": self.tier_label,
            "tier_ordinal": self.tier_ordinal,
            "tier_source": self.tier_source,
            "tier_stated": self.tier_stated.to_dict() if self.tier_stated else None,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "parts": [p.to_dict() for p in self.parts],
        }


class Metadata(NamedTuple):
    """The Refworld header. Dates are ISO 8601 strings, or the raw text when unparseable."""

    title: str | None = None
    report_year: int | None = None
    subject: str | None = None
    last_updated: str | None = None
    publisher: str | None = None
    author: str | None = None
    publication_date: str | None = None
    cite_as: str | None = None
    url: str | None = None
    accessed_date: str | None = None
    fields: Mapping[str, str] = MappingProxyType({})

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "report_year": self.report_year,
            "subject": self.subject,
            "last_updated": self.last_updated,
            "publisher": self.publisher,
            "author": self.author,
            "publication_date": self.publication_date,
            "cite_as": self.cite_as,
            "url": self.url,
            "accessed_date": self.accessed_date,
            "fields": dict(self.fields),
        }


class Source(NamedTuple):
    """Where the text came from. `sha256` skips provenance lines so re-downloads hash alike."""

    path: str | None
    sha256: str
    encoding: str
    line_count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "line_count": self.line_count,
        }


class Report(NamedTuple):
    """Everything tipconv extracted from one text, plus what it could not understand."""

    source: Source
    metadata: Metadata
    disclaimer: str | None
    sections: tuple[Section, ...]
    diagnostics: tuple[Diagnostic, ...]
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "source": self.source.to_dict(),
            "metadata": self.metadata.to_dict(),
            "disclaimer": self.disclaimer,
            "sections": [s.to_dict() for s in self.sections],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }

    def has_internal_error(self) -> bool:
        return any(d.code == "internal_error" for d in self.diagnostics)
