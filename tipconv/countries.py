"""Country name -> ISO 3166-1 alpha-3 and Correlates of War code.

A country x year panel needs one stable key per country, but 25 years of TIP Reports and
their web copies print the same place many ways: "Burma", "KOREA, REPUBLIC OF",
"Côte d\u2019Ivoire", "Congo (Kinshasa)", "The Gambia". `lookup` folds the differences that carry
no meaning (case, accents, apostrophe and dash variants, periods, spacing, a leading "The")
and then matches known spellings *exactly*: an unknown name gives None, never a guess,
because a wrong code in a panel is worse than a missing one.

Stdlib only and no file I/O: this module is imported on every parse. The alias index is
built once, on the first lookup (a text with no country heading never pays for it); each
lookup is one normalisation and one dict probe.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Final

from tipconv._country_data import COUNTRIES

__all__ = ["CountryCode", "all_countries", "lookup", "normalize_name"]


class CountryCode:
    """One country or territory: canonical English short name, ISO3 and COW state number.

    `iso3` is ISO 3166-1 alpha-3, or the user-assigned "XKX" for Kosovo. `cow_code` is the
    Correlates of War "ccode", or None for places outside the COW state system (Hong Kong,
    Macau, Curaçao, ...). A plain value class: a NamedTuple costs 0.15 ms to define, and
    this module is imported at every start-up.
    """

    __slots__ = ("cow_code", "iso3", "name")

    def __init__(self, name: str, iso3: str, cow_code: int | None) -> None:
        self.name = name
        self.iso3 = iso3
        self.cow_code = cow_code

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CountryCode):
            return NotImplemented
        return (self.name, self.iso3, self.cow_code) == (other.name, other.iso3, other.cow_code)

    def __hash__(self) -> int:
        return hash((self.name, self.iso3, self.cow_code))

    def __repr__(self) -> str:
        return f"CountryCode({self.name!r}, {self.iso3!r}, {self.cow_code!r})"


# Longer than any alias by a wide margin; anything longer is a sentence, not a name, and
# skipping it keeps a pathological input (a 50 MB line) from costing a full normalisation.
_MAX_NAME_LENGTH: Final = 120

# Applied before Unicode decomposition. Apostrophes vanish (so "Cote d'Ivoire",
# "Cote d\u2019Ivoire" and "Cote dIvoire" agree); periods vanish ("St. Lucia", "U.A.E.");
# dashes become spaces ("Guinea-Bissau" = "Guinea Bissau"); "&" reads as "and";
# invisible characters left by PDF and web copies vanish.
_PRE_FOLD: Final = str.maketrans(
    {
        "'": None,
        "\u2019": None,  # right single quotation mark
        "\u2018": None,  # left single quotation mark
        "\u201b": None,  # single high-reversed-9 quotation mark
        "`": None,
        "\u00b4": None,  # acute accent (NFKD would turn it into a space)
        "\u02bc": None,  # modifier letter apostrophe
        "\u2032": None,  # prime
        "\uff07": None,  # fullwidth apostrophe
        ".": None,
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
        "\u2060": None,  # word joiner
        "\ufeff": None,  # BOM / zero-width no-break space
        "-": " ",
        "\u2010": " ",  # hyphen
        "\u2011": " ",  # non-breaking hyphen
        "\u2012": " ",  # figure dash
        "\u2013": " ",  # en dash
        "\u2014": " ",  # em dash
        "\u2015": " ",  # horizontal bar
        "\u2212": " ",  # minus sign
        "&": " and ",
        ",": ", ",
        "(": " (",
        ")": ") ",
    }
)


def normalize_name(name: str) -> str:
    """The matching key for a printed name: folded, so spelling noise cannot cause a miss.

    Case-folded, accents stripped (NFKD minus combining marks), apostrophes and periods
    removed, dashes as spaces, whitespace collapsed, comma/parenthesis spacing made uniform,
    and one leading "the " dropped.
    """
    text = name.translate(_PRE_FOLD)
    if not text.isascii():
        import unicodedata  # only names with non-ASCII letters need it

        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    text = " ".join(text.casefold().split())
    text = text.replace(" ,", ",").replace("( ", "(").replace(" )", ")")
    if text.startswith("the "):
        text = text[4:]
    return text


@functools.cache
def _row(position: int) -> CountryCode:
    name, iso3, cow_code, _ = COUNTRIES[position]
    return CountryCode(name, iso3, cow_code)


@functools.cache
def _rows() -> tuple[CountryCode, ...]:
    return tuple(_row(position) for position in range(len(COUNTRIES)))


def _spellings() -> Iterator[tuple[str, int]]:
    """Every listed spelling (canonical name, then aliases) with its row's position, in
    table order."""
    for position, (name, _, _, aliases) in enumerate(COUNTRIES):
        yield name, position
        for alias in aliases:
            yield alias, position


def _build_index() -> dict[str, CountryCode]:
    """Map every normalised spelling to its row; refuse a spelling claimed by two rows.

    A collision would make the answer depend on row order, so it fails loudly on first use
    (and in the test suite) instead of silently mapping a name to the wrong country.
    """
    index: dict[str, CountryCode] = {}
    for spelling, position in _spellings():
        country = _row(position)
        key = normalize_name(spelling)
        if not key:
            raise ValueError(f"empty alias {spelling!r} for {country.name}")
        other = index.setdefault(key, country)
        if other is not country:
            raise ValueError(f"alias {spelling!r} claimed by both {other.name} and {country.name}")
    return index


@functools.cache
def _index() -> dict[str, CountryCode]:
    return _build_index()


@functools.cache
def _exact() -> dict[str, int]:
    """Spellings exactly as listed, to their row's position. Most printed names are one of
    them, and this table costs a tenth of the normalised index to build (and no row is made
    but the one found): a run on one file usually needs no other."""
    return dict(_spellings())


def lookup(name: str) -> CountryCode | None:
    """The country a printed name denotes, or None when the name is not a known spelling."""
    if len(name) > _MAX_NAME_LENGTH:
        return None
    position = _exact().get(name)
    if position is not None:
        return _row(position)
    return _normalised(name)


@functools.lru_cache(maxsize=1024)
def _normalised(name: str) -> CountryCode | None:
    """A spelling that is not listed as printed ("KOSOVO", since 2015), by its normalised
    form, else without a closing qualifier in parentheses that no spelling holds. Cached:
    normalising costs 5 us, and an archive prints some 200 names thousands of times."""
    key = normalize_name(name)
    found = _index().get(key)
    if found is None and key.endswith(")") and " (" in key:
        # A qualifier the list does not hold ("Kosovo (UN administered)"): the name before
        # it. Not a tier in brackets ("Hong Kong (Tier 1)" is a heading, not a name).
        at = key.rindex(" (")
        qualifier = key[at + 2 : -1]
        if not qualifier.startswith(("tier", "special")) and not any(
            character.isdigit() for character in qualifier
        ):
            found = _index().get(key[:at])
    return found


def all_countries() -> tuple[CountryCode, ...]:
    """Every row of the crosswalk, in table order (for coverage reports and joins)."""
    return _rows()
