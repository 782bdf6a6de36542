"""The typed result of parsing: one `Report` per input text.

The classes are small immutable value objects: slotted, frozen, equal only to an object of
the same class with equal fields, and holding only read-only containers (tuples and
mapping proxies). They are not tuples: `json.dumps(report)` raises TypeError instead of
writing arrays without keys; `report.to_dict()` is the JSON contract (see `schema.json`).
A changed copy comes from `replace`: `report.replace(disclaimer=None)`.

Plain slotted classes rather than frozen slotted dataclasses, as measured by
`bench/run.py --only model` (both styles made from this module's own classes): defining
these classes takes ~0.13 ms, the dataclasses ~5 ms plus ~6 ms to import `dataclasses`, at
every start-up; and an object costs ~505 ns to build against ~680 ns (1.35x), which every
parsed narrative pays for some 20 times.

Every writer starts from these objects or `to_dict()`, so the field names here *are* the
JSON contract. Additions keep `SCHEMA_VERSION`; a rename, a removal or a change of meaning
bumps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, Self

SCHEMA_VERSION = 2

_set = object.__setattr__


class Model:
    """Base of the model classes: immutable, compared and hashed by value, never a tuple.

    A subclass names its fields in `_fields`, in constructor order, and holds them in
    `__slots__` (whose order tools may sort).
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    __match_args__: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls) -> None:
        if set(cls._fields) != set(cls.__slots__):
            raise TypeError(f"{cls.__name__}: _fields and __slots__ name different fields")
        setattr(cls, "__match_args__", cls._fields)  # noqa: B010 (mypy forbids the plain form)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use .replace({name}=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Model)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[type[Self], tuple[Any, ...]]:
        # Pickling (convert's worker processes) must not go through __setattr__.
        return (type(self), self._values())

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, e.g. `section.replace(tier=None)`."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return type(self)(**values)

    __replace__ = replace  # copy.replace() on Python 3.13+


class Level(StrEnum):
    """How much a diagnostic matters to someone using the output."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Tier(StrEnum):
    """A tier placement, as the TIP Report prints it (docs/format.md)."""

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
        """The canonical words, e.g. "Tier 2 Watch List"."""
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


class Diagnostic(Model):
    """Something the parser noticed or could not understand; `line` is 1-based or None."""

    _fields = ("level", "code", "line", "message")
    __slots__ = ("code", "level", "line", "message")
    level: Level
    code: str
    line: int | None
    message: str

    def __init__(self, level: Level, code: str, line: int | None, message: str) -> None:
        _set(self, "level", level)
        _set(self, "code", code)
        _set(self, "line", line)
        _set(self, "message", message)

    def to_dict(self) -> dict[str, Any]:
        """The diagnostic as JSON has it: `level`, `code`, `line`, `message`."""
        return {
            "level": self.level.value,
            "code": self.code,
            "line": self.line,
            "message": self.message,
        }


class Paragraph(Model):
    """One paragraph of narrative text; `line` is where it starts in the original file
    (for a PDF, in the text extracted from it), `page` the PDF page it starts on.

    A list item (a `•` entry of a recommendations list) is a paragraph of its own with
    `item` true and its text without the bullet; items printed on one line share it.
    """

    _fields = ("line", "text", "item", "page")
    __slots__ = ("item", "line", "page", "text")
    line: int
    text: str
    item: bool
    page: int | None

    def __init__(self, line: int, text: str, item: bool = False, page: int | None = None) -> None:
        _set(self, "line", line)
        _set(self, "text", text)
        _set(self, "item", item)
        _set(self, "page", page)

    def to_dict(self) -> dict[str, Any]:
        """The paragraph as JSON has it: `line`, `text`, `item` (a list item), `page` (PDF)."""
        return {"line": self.line, "text": self.text, "item": self.item, "page": self.page}


class Part(Model):
    """A structural part of a narrative (Prosecution, Recommendations, ...) and its paragraphs.

    Parts partition a section's paragraphs in order: each paragraph is in exactly one part.
    `heading` is the heading as printed, or None when the part was `inferred` from
    position and content because the copy prints no heading for it.
    """

    _fields = ("kind", "heading", "line", "inferred", "paragraphs")
    __slots__ = ("heading", "inferred", "kind", "line", "paragraphs")
    kind: str
    heading: str | None
    line: int
    inferred: bool
    paragraphs: tuple[Paragraph, ...]

    def __init__(
        self,
        kind: str,
        heading: str | None,
        line: int,
        inferred: bool,
        paragraphs: tuple[Paragraph, ...] = (),
    ) -> None:
        _set(self, "kind", kind)
        _set(self, "heading", heading)
        _set(self, "line", line)
        _set(self, "inferred", inferred)
        _set(self, "paragraphs", tuple(paragraphs))

    @property
    def items(self) -> tuple[Paragraph, ...]:
        """The list items among the paragraphs (a recommendations list)."""
        return tuple(p for p in self.paragraphs if p.item)

    def to_dict(self) -> dict[str, Any]:
        """The part as JSON has it, its paragraphs included."""
        return {
            "kind": self.kind,
            "heading": self.heading,
            "line": self.line,
            "inferred": self.inferred,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
        }


class TierStatement(Model):
    """A placement sentence in the text, e.g. "therefore Freedonia remained on Tier 1"."""

    _fields = ("tier", "line", "text")
    __slots__ = ("line", "text", "tier")
    tier: Tier
    line: int
    text: str

    def __init__(self, tier: Tier, line: int, text: str) -> None:
        _set(self, "tier", tier)
        _set(self, "line", line)
        _set(self, "text", text)

    def to_dict(self) -> dict[str, Any]:
        """The placement sentence as JSON has it: `tier`, `line`, `text`."""
        return {"tier": self.tier.value, "line": self.line, "text": self.text}


class Section(Model):
    """One country narrative: a tier-tagged heading and what follows it.

    `country` is the crosswalk's canonical name (`Côte d'Ivoire`), `country_printed` the
    name as the text prints it (`COTE D'IVOIRE`); a country the crosswalk does not know
    keeps its printed name in both. `tier_label` is the canonical words of `tier`,
    `tier_printed` the heading's own words. `line` and `heading` are None for a narrative
    without a printed heading (its tier, if any, then comes from a placement sentence and
    `tier_source` is "stated"). `first_page` and `last_page` are the PDF pages it spans.
    """

    _fields = (
        "heading",
        "line",
        "country",
        "country_printed",
        "iso3",
        "cow_code",
        "tier",
        "tier_printed",
        "tier_source",
        "tier_stated",
        "parts",
        "first_page",
        "last_page",
    )
    __slots__ = (
        "country",
        "country_printed",
        "cow_code",
        "first_page",
        "heading",
        "iso3",
        "last_page",
        "line",
        "parts",
        "tier",
        "tier_printed",
        "tier_source",
        "tier_stated",
    )
    heading: str | None
    line: int | None
    country: str | None
    country_printed: str | None
    iso3: str | None
    cow_code: int | None
    tier: Tier | None
    tier_printed: str | None
    tier_source: str | None
    tier_stated: TierStatement | None
    parts: tuple[Part, ...]
    first_page: int | None
    last_page: int | None

    def __init__(
        self,
        heading: str | None,
        line: int | None,
        country: str | None,
        country_printed: str | None,
        iso3: str | None,
        cow_code: int | None,
        tier: Tier | None,
        tier_printed: str | None,
        tier_source: str | None,
        tier_stated: TierStatement | None,
        parts: tuple[Part, ...] = (),
        first_page: int | None = None,
        last_page: int | None = None,
    ) -> None:
        _set(self, "heading", heading)
        _set(self, "line", line)
        _set(self, "country", country)
        _set(self, "country_printed", country_printed)
        _set(self, "iso3", iso3)
        _set(self, "cow_code", cow_code)
        _set(self, "tier", tier)
        _set(self, "tier_printed", tier_printed)
        _set(self, "tier_source", tier_source)
        _set(self, "tier_stated", tier_stated)
        _set(self, "parts", tuple(parts))
        _set(self, "first_page", first_page)
        _set(self, "last_page", last_page)

    @property
    def tier_label(self) -> str | None:
        return self.tier.label if self.tier else None

    @property
    def tier_ordinal(self) -> float | None:
        return self.tier.ordinal if self.tier else None

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Every paragraph in order (the parts' paragraphs, one after another)."""
        return tuple(p for part in self.parts for p in part.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """The section as JSON has it: canonical and printed names and tiers, parts included."""
        tier = self.tier
        return {
            "heading": self.heading,
            "line": self.line,
            "country": self.country,
            "country_printed": self.country_printed,
            "iso3": self.iso3,
            "cow_code": self.cow_code,
            "tier": tier.value if tier else None,
            "tier_label": tier.label if tier else None,
            "tier_printed": self.tier_printed,
            "tier_ordinal": tier.ordinal if tier else None,
            "tier_source": self.tier_source,
            "tier_stated": self.tier_stated.to_dict() if self.tier_stated else None,
            "parts": [p.to_dict() for p in self.parts],
            "first_page": self.first_page,
            "last_page": self.last_page,
        }


_NO_FIELDS: Mapping[str, str] = MappingProxyType({})


class Metadata(Model):
    """The Refworld header. Dates are ISO 8601 strings, or the raw text when unparseable.

    `fields` holds every labelled header line as printed (label -> value), read-only.
    """

    _fields = (
        "title",
        "report_year",
        "report_year_source",
        "subject",
        "last_updated",
        "publisher",
        "author",
        "publication_date",
        "cite_as",
        "url",
        "accessed_date",
        "fields",
    )
    __slots__ = (
        "accessed_date",
        "author",
        "cite_as",
        "fields",
        "last_updated",
        "publication_date",
        "publisher",
        "report_year",
        "report_year_source",
        "subject",
        "title",
        "url",
    )
    title: str | None
    report_year: int | None
    # Where report_year came from: "title", "publication_date", "attribution" (a mirror's
    # note on the heading line) or "supplied" (--year, for a copy that prints none).
    report_year_source: str | None
    subject: str | None
    last_updated: str | None
    publisher: str | None
    author: str | None
    publication_date: str | None
    cite_as: str | None
    url: str | None
    accessed_date: str | None
    fields: Mapping[str, str]

    def __init__(
        self,
        title: str | None = None,
        report_year: int | None = None,
        report_year_source: str | None = None,
        subject: str | None = None,
        last_updated: str | None = None,
        publisher: str | None = None,
        author: str | None = None,
        publication_date: str | None = None,
        cite_as: str | None = None,
        url: str | None = None,
        accessed_date: str | None = None,
        fields: Mapping[str, str] = _NO_FIELDS,
    ) -> None:
        _set(self, "title", title)
        _set(self, "report_year", report_year)
        _set(self, "report_year_source", report_year_source)
        _set(self, "subject", subject)
        _set(self, "last_updated", last_updated)
        _set(self, "publisher", publisher)
        _set(self, "author", author)
        _set(self, "publication_date", publication_date)
        _set(self, "cite_as", cite_as)
        _set(self, "url", url)
        _set(self, "accessed_date", accessed_date)
        # A copy behind a read-only view: the caller's dict can change neither.
        read_only = fields if type(fields) is MappingProxyType else MappingProxyType(dict(fields))
        _set(self, "fields", read_only)

    def __hash__(self) -> int:
        return hash((type(self), self._values()[:-1], tuple(self.fields.items())))

    def __reduce__(self) -> tuple[type[Self], tuple[Any, ...]]:
        # A mapping proxy cannot be pickled; the constructor wraps the plain dict again.
        return (type(self), (*self._values()[:-1], dict(self.fields)))

    def to_dict(self) -> dict[str, Any]:
        """The header as the JSON `metadata` has it; dates ISO 8601, `fields` as printed."""
        return {
            "title": self.title,
            "report_year": self.report_year,
            "report_year_source": self.report_year_source,
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


class Source(Model):
    """Where the text came from. `sha256` skips provenance lines so re-downloads hash alike.

    `form` is what the input was read as: "text", "html" or "pdf"; `line_count` counts the
    lines of the text (for HTML and PDF, the text extracted from it); `page_count` a PDF's
    pages.
    """

    _fields = ("path", "sha256", "encoding", "line_count", "form", "page_count")
    __slots__ = ("encoding", "form", "line_count", "page_count", "path", "sha256")
    path: str | None
    sha256: str
    encoding: str
    line_count: int
    form: str
    page_count: int | None

    def __init__(
        self,
        path: str | None,
        sha256: str,
        encoding: str,
        line_count: int,
        form: str = "text",
        page_count: int | None = None,
    ) -> None:
        _set(self, "path", path)
        _set(self, "sha256", sha256)
        _set(self, "encoding", encoding)
        _set(self, "line_count", line_count)
        _set(self, "form", form)
        _set(self, "page_count", page_count)

    def to_dict(self) -> dict[str, Any]:
        """The input as the JSON `source` has it: `path`, `sha256`, `encoding`, `line_count`."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "line_count": self.line_count,
            "form": self.form,
            "page_count": self.page_count,
        }


class Report(Model):
    """Everything tipconv extracted from one text, plus what it could not understand."""

    _fields = ("source", "metadata", "disclaimer", "sections", "diagnostics", "schema_version")
    __slots__ = ("diagnostics", "disclaimer", "metadata", "schema_version", "sections", "source")
    source: Source
    metadata: Metadata
    disclaimer: str | None
    sections: tuple[Section, ...]
    diagnostics: tuple[Diagnostic, ...]
    schema_version: int

    def __init__(
        self,
        source: Source,
        metadata: Metadata,
        disclaimer: str | None,
        sections: tuple[Section, ...],
        diagnostics: tuple[Diagnostic, ...],
        schema_version: int = SCHEMA_VERSION,
    ) -> None:
        _set(self, "source", source)
        _set(self, "metadata", metadata)
        _set(self, "disclaimer", disclaimer)
        _set(self, "sections", tuple(sections))
        _set(self, "diagnostics", tuple(diagnostics))
        _set(self, "schema_version", schema_version)

    def to_dict(self) -> dict[str, Any]:
        """The whole report as the JSON contract (`tipconv schema`) has it: plain dicts,
        lists, str, int, float, bool and None, ready for `json.dumps`."""
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
