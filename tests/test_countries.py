"""Tests for the country-name crosswalk: renamings, folding, refusals and table integrity."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipconv import countries
from tipconv._country_data import COUNTRIES
from tipconv.countries import CountryCode, all_countries, lookup, normalize_name

# (printed name, ISO3, COW code): every renaming and TIP/Refworld spelling that must resolve.
SPELLINGS: list[tuple[str, str, int | None]] = [
    ("Burma", "MMR", 775),
    ("BURMA", "MMR", 775),
    ("Myanmar", "MMR", 775),
    ("Côte d'Ivoire", "CIV", 437),
    ("Cote D'Ivoire", "CIV", 437),
    ("Cote d\u2019Ivoire", "CIV", 437),
    ("Côte d\u2019Ivoire", "CIV", 437),
    ("COTE D'IVOIRE", "CIV", 437),
    ("Ivory Coast", "CIV", 437),
    ("Congo (Kinshasa)", "COD", 490),
    ("Democratic Republic of the Congo", "COD", 490),
    ("Congo, Democratic Republic of the", "COD", 490),
    ("CONGO, DEMOCRATIC REPUBLIC OF THE", "COD", 490),
    ("DRC", "COD", 490),
    ("Congo (Brazzaville)", "COG", 484),
    ("Republic of the Congo", "COG", 484),
    ("Congo, Republic of the", "COG", 484),
    ("CONGO, REPUBLIC OF THE", "COG", 484),
    ("Korea, Republic of", "KOR", 732),
    ("KOREA, REPUBLIC OF", "KOR", 732),
    ("South Korea", "KOR", 732),
    ("Republic of Korea", "KOR", 732),
    ("Korea, Democratic People's Republic of", "PRK", 731),
    ("KOREA, DEMOCRATIC PEOPLE\u2019S REPUBLIC OF", "PRK", 731),
    ("North Korea", "PRK", 731),
    ("Korea, North", "PRK", 731),
    ("The Gambia", "GMB", 420),
    ("Gambia", "GMB", 420),
    ("Timor-Leste", "TLS", 860),
    ("East Timor", "TLS", 860),
    ("Macedonia", "MKD", 343),
    ("North Macedonia", "MKD", 343),
    ("Former Yugoslav Republic of Macedonia", "MKD", 343),
    ("The Former Yugoslav Republic of Macedonia", "MKD", 343),
    ("Swaziland", "SWZ", 572),
    ("Eswatini", "SWZ", 572),
    ("Czech Republic", "CZE", 316),
    ("Czechia", "CZE", 316),
    ("Cabo Verde", "CPV", 402),
    ("Cape Verde", "CPV", 402),
    ("Turkey", "TUR", 640),
    ("Türkiye", "TUR", 640),
    ("Turkiye", "TUR", 640),
    ("TÜRKİYE", "TUR", 640),
    ("Serbia and Montenegro", "SRB", 345),
    ("Serbia", "SRB", 345),
    ("Montenegro", "MNE", 341),
    ("Federated States of Micronesia", "FSM", 987),
    ("Micronesia", "FSM", 987),
    ("Micronesia, Federated States of", "FSM", 987),
    ("Brunei", "BRN", 835),
    ("Brunei Darussalam", "BRN", 835),
    ("Laos", "LAO", 812),
    ("Lao PDR", "LAO", 812),
    ("Russia", "RUS", 365),
    ("Russian Federation", "RUS", 365),
    ("Syria", "SYR", 652),
    ("Iran", "IRN", 630),
    ("Vietnam", "VNM", 816),
    ("Viet Nam", "VNM", 816),
    ("Bosnia and Herzegovina", "BIH", 346),
    ("Bosnia-Herzegovina", "BIH", 346),
    ("St. Lucia", "LCA", 56),
    ("Saint Lucia", "LCA", 56),
    ("St. Vincent and the Grenadines", "VCT", 57),
    ("Saint Vincent and the Grenadines", "VCT", 57),
    ("Antigua and Barbuda", "ATG", 58),
    ("China", "CHN", 710),
    ("People's Republic of China", "CHN", 710),
    ("China (PRC)", "CHN", 710),
    ("United Kingdom", "GBR", 200),
    ("United Arab Emirates", "ARE", 696),
    ("UAE", "ARE", 696),
    ("South Sudan", "SSD", 626),
    ("Sudan", "SDN", 625),
    ("Yugoslavia", "SRB", 345),
    ("Federal Republic of Yugoslavia", "SRB", 345),
    ("Holy See", "VAT", None),
    ("United States", "USA", 2),
    ("Hong Kong", "HKG", None),
    ("Macau", "MAC", None),
    ("Macao", "MAC", None),
    ("Taiwan", "TWN", 713),
    ("Kosovo", "XKX", 347),
    ("Curaçao", "CUW", None),
    ("Curacao", "CUW", None),
    ("Sint Maarten", "SXM", None),
    ("Aruba", "ABW", None),
    ("West Bank and Gaza", "PSE", None),
    ("Kyrgyz Republic", "KGZ", 703),
    ("Slovak Republic", "SVK", 317),
    ("São Tomé and Príncipe", "STP", 403),
    ("Sao Tome and Principe", "STP", 403),
    ("Guinea-Bissau", "GNB", 404),
    # Spot checks of COW codes named in the brief.
    ("Canada", "CAN", 20),
    ("Mexico", "MEX", 70),
    ("France", "FRA", 220),
    ("Germany", "DEU", 255),
    ("India", "IND", 750),
    ("Pakistan", "PAK", 770),
    ("Japan", "JPN", 740),
    ("Nigeria", "NGA", 475),
    ("Brazil", "BRA", 140),
    ("Israel", "ISR", 666),
    ("Egypt", "EGY", 651),
]


@pytest.mark.parametrize(("printed", "iso3", "cow_code"), SPELLINGS)
def test_known_spellings_resolve(printed: str, iso3: str, cow_code: int | None) -> None:
    found = lookup(printed)
    assert found is not None, printed
    assert (found.iso3, found.cow_code) == (iso3, cow_code)


@pytest.mark.parametrize(
    "printed",
    [
        "korea, republic of",
        "KOREA, REPUBLIC OF",
        "Korea,Republic of",
        "Korea , Republic  of",
        "  Korea, Republic of\t",
        "Korea,\u00a0Republic of",
    ],
)
def test_case_and_spacing_fold(printed: str) -> None:
    assert lookup(printed) == lookup("Korea, Republic of")


@pytest.mark.parametrize(
    "printed",
    [
        "Cote d'Ivoire",
        "Côte d'Ivoire",
        "Co\u0302te d'Ivoire",  # decomposed circumflex
        "Cote d\u2019Ivoire",
        "Cote d\u2018Ivoire",
        "Cote d`Ivoire",
        "Cote d\u00b4Ivoire",
        "CÔTE D\u2019IVOIRE",
    ],
)
def test_accents_and_apostrophes_fold(printed: str) -> None:
    found = lookup(printed)
    assert found is not None
    assert found.iso3 == "CIV"
    assert found.name == "Côte d'Ivoire"


@pytest.mark.parametrize(
    ("printed", "iso3"),
    [
        ("The Gambia", "GMB"),
        ("THE GAMBIA", "GMB"),
        ("Gambia, The", "GMB"),
        ("The Bahamas", "BHS"),
        ("Bahamas", "BHS"),
        ("the Netherlands", "NLD"),
    ],
)
def test_leading_the(printed: str, iso3: str) -> None:
    found = lookup(printed)
    assert found is not None
    assert found.iso3 == iso3


@pytest.mark.parametrize(
    ("printed", "iso3"),
    [
        ("Timor Leste", "TLS"),
        ("Timor\u2013Leste", "TLS"),
        ("Guinea Bissau", "GNB"),
        ("Guinea\u2011Bissau", "GNB"),
        ("Bosnia Herzegovina", "BIH"),
        ("St Lucia", "LCA"),
        ("Trinidad & Tobago", "TTO"),
        ("U.A.E.", "ARE"),
        ("Curac\u0327ao", "CUW"),
    ],
)
def test_hyphens_periods_ampersands(printed: str, iso3: str) -> None:
    found = lookup(printed)
    assert found is not None
    assert found.iso3 == iso3


@pytest.mark.parametrize(
    ("printed", "iso3"),
    [
        ("KOSOVO (UN ADMINISTERED)", "XKX"),
        ("Macau (China)", "MAC"),
        # A qualifier the list holds decides: Kinshasa and Brazzaville are two countries.
        ("Congo (Kinshasa)", "COD"),
        ("Congo (Brazzaville)", "COG"),
    ],
)
def test_a_qualifier_the_list_lacks_falls_back_to_the_name(printed: str, iso3: str) -> None:
    found = lookup(printed)
    assert found is not None and found.iso3 == iso3


def test_a_qualifier_does_not_make_an_unknown_name_known() -> None:
    assert lookup("Freedonia (UN administered)") is None
    assert lookup("(Kosovo)") is None
    # Tier words in brackets make a heading, not a qualified name.
    assert lookup("Kosovo (Special Case)") is None
    assert lookup("Kosovo (2)") is None


@pytest.mark.parametrize(
    "printed",
    [
        "Freedonia",
        "Sylvania",
        "",
        "   ",
        "Tier 2",
        "Atlantis",
        "The",
        # Ambiguous on their own: refuse rather than guess.
        "Congo",
        "Korea",
        # Near misses are not matches: no fuzzy guessing.
        "Nigera",
        "Germany Tier 1",
        "Hong Kong (Tier 1)",
        "x" * 10_000,
    ],
)
def test_unknown_names_return_none(printed: str) -> None:
    assert lookup(printed) is None


def test_result_is_the_shared_row() -> None:
    assert lookup("Burma") is lookup("Myanmar")
    assert isinstance(lookup("Burma"), CountryCode)


def test_coverage_size() -> None:
    rows = all_countries()
    assert len(rows) == len(COUNTRIES)
    # 193 UN members plus Taiwan, Kosovo, Hong Kong, Macau, Curaçao, Sint Maarten, Aruba,
    # the Palestinian territories and the Holy See.
    assert len(rows) >= 202


def test_iso3_codes_are_unique_and_well_formed() -> None:
    codes = [row.iso3 for row in all_countries()]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[A-Z]{3}", code), code


def test_cow_codes_are_unique_and_plausible() -> None:
    cows = [row.cow_code for row in all_countries() if row.cow_code is not None]
    assert len(cows) == len(set(cows))
    for cow in cows:
        assert 2 <= cow <= 999


def test_no_alias_is_shared_between_rows() -> None:
    owner: dict[str, str] = {}
    for name, iso3, _cow, aliases in COUNTRIES:
        for spelling in (name, *aliases):
            key = normalize_name(spelling)
            assert key, f"{spelling!r} normalises to nothing"
            assert owner.setdefault(key, iso3) == iso3, (spelling, owner[key], iso3)


def test_every_listed_spelling_resolves_to_its_row() -> None:
    for name, iso3, cow, aliases in COUNTRIES:
        for spelling in (name, *aliases):
            found = lookup(spelling)
            assert found is not None, spelling
            assert (found.name, found.iso3, found.cow_code) == (name, iso3, cow)


def test_canonical_names_are_unique() -> None:
    names = [normalize_name(row.name) for row in all_countries()]
    assert len(names) == len(set(names))


def test_collision_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    clash = (("Freedonia", "FRD", None, ("Sylvania",)), ("Sylvania", "SYL", None, ()))
    monkeypatch.setattr(countries, "COUNTRIES", clash)
    rows = tuple(CountryCode(name, iso3, cow) for name, iso3, cow, _ in clash)
    monkeypatch.setattr(countries, "_rows", lambda: rows)
    with pytest.raises(ValueError, match="claimed by both"):
        countries._build_index()


def test_modules_import_only_the_standard_library() -> None:
    """countries is imported on every parse: it must stay stdlib-only and cheap."""
    package = Path(countries.__file__).parent
    for filename in ("countries.py", "_country_data.py"):
        tree = ast.parse((package / filename).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            for root in roots:
                assert root in sys.stdlib_module_names or root in ("tipconv", "__future__"), (
                    filename,
                    root,
                )


@settings(database=None, max_examples=300)
@given(st.text(max_size=200))
def test_lookup_is_total(text: str) -> None:
    found = lookup(text)
    assert found is None or isinstance(found, CountryCode)
