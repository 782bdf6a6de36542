"""What a user's spelling of a country means to the views, and the names near one that
means nothing.

The views label a country as the panel does, by its canonical crosswalk name (`Myanmar`
for every `BURMA` heading; schema 2's `Section.country`); `--country` and `COUNTRY` accept
any spelling the crosswalk knows or an ISO3 code, checked before any input is read
(`known_target`). The library's `grid.build` and `history.collect` also match a name
printed in the data that the crosswalk does not know (`target`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from ..countries import CountryCode, all_countries, lookup, normalize_name
from ..errors import UsageError

# How many spellings an "unknown country" message offers.
_SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class Target:
    """A country a user asked for: by crosswalk code when known, else by its folded name."""

    query: str
    name: str  # the canonical name, or the query as typed when the crosswalk lacks it
    iso3: str | None
    key: str  # normalize_name(query): matches a printed name the crosswalk does not know

    def matches(self, iso3: str | None, country: str | None) -> bool:
        if self.iso3 is not None:
            return iso3 == self.iso3
        return country is not None and normalize_name(country) == self.key


def target(query: str) -> Target:
    """What `query` names: any crosswalk spelling, or an ISO3 code (`MMR`, `civ`).

    A name the crosswalk does not know may still be a country printed in the data (the
    caller checks that and asks `unknown` for the message when it is not).
    """
    text = " ".join(query.split())
    if not text:
        raise UsageError(None, "an empty country name")
    known = lookup(text) or _by_iso3().get(text.upper())
    if known is not None:
        return Target(query, known.name, known.iso3, normalize_name(known.name))
    return Target(query, text, None, normalize_name(text))


def known_target(query: str, *, where: str = "") -> Target:
    """What `query` names, checked before any input is read: a name the crosswalk does not
    know (spelling or ISO3) is a UsageError at once, with the closest crosswalk names, so
    `--country Narnia` never waits for an archive to be parsed."""
    wanted = target(query)
    if wanted.iso3 is None:
        raise unknown(query, where=where)
    return wanted


def unknown(query: str, present: Iterable[str] = (), *, where: str = "") -> UsageError:
    """The error for a name that matches nothing: the closest spellings, on one line."""
    close = suggestions(query, present)
    hint = f"; closest names: {', '.join(close)}" if close else ""
    return UsageError(None, f"unknown or ambiguous country {query!r}{where}{hint}")


def suggestions(query: str, present: Iterable[str] = (), *, crosswalk: bool = True) -> list[str]:
    """Names near `query`: those containing it as words or else difflib's closest, one per
    country.

    "Congo" is deliberately not in the crosswalk (two countries carry the name), and
    difflib alone rates it nearer "Togo" than "Congo (Kinshasa)"; containment finds both
    Congos, by their canonical names. A misspelling gets the spelling it is near ("Burmah":
    Burma). Every name offered is one the commands accept.
    """
    import difflib

    key = normalize_name(query)
    if not key:
        return []
    spellings: dict[str, tuple[str, str]] = dict(_spellings()) if crosswalk else {}
    for name in present:
        spellings.setdefault(normalize_name(name), (name, name))
    padded = f" {key} "
    found = {
        country: country
        for folded, (_, country) in spellings.items()
        if padded in " " + folded.replace("(", " ").replace(")", " ").replace(",", " ") + " "
    }
    if not found:
        for folded in difflib.get_close_matches(key, spellings, n=_SUGGESTIONS):
            spelling, country = spellings[folded]
            found.setdefault(country, spelling)
    return list(found.values())[:_SUGGESTIONS]


@functools.cache
def _by_iso3() -> dict[str, CountryCode]:
    return {country.iso3: country for country in all_countries()}


@functools.cache
def _spellings() -> tuple[tuple[str, tuple[str, str]], ...]:
    """(folded, (spelling, canonical name)) for every crosswalk name and alias."""
    from .._country_data import COUNTRIES

    pairs: dict[str, tuple[str, str]] = {}
    for name, _, _, aliases in COUNTRIES:
        for spelling in (name, *aliases):
            pairs.setdefault(normalize_name(spelling), (spelling, name))
    return tuple(pairs.items())
