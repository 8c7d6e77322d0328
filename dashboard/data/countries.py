"""One place where country names and foreign codes become ISO 3166-1 alpha-3."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import pycountry

# Kosovo has no ISO 3166-1 code; XKX is the user-assigned code the European
# Commission, the IMF and the World Bank's newer data use.
KOSOVO = "XKX"

# Entities that have no ISO code but are drawn by Natural Earth. They keep
# Natural Earth's code and are clickable; records may use these codes too.
NON_ISO_ENTITIES: dict[str, str] = {
    KOSOVO: "Kosovo",
    "CYN": "Northern Cyprus",
    "SOL": "Somaliland",
    "KAS": "Siachen Glacier",
    # Natural Earth's ADM0_A3 codes for two Australian territories drawn on the map (NAME_LONG).
    "ATC": "Ashmore and Cartier Islands",
    "IOA": "Indian Ocean Territories",
}

# World Bank codes that are not ISO alpha-3 (see shared/wbl/README.md).
WORLD_BANK_TO_ISO3: dict[str, str] = {
    "ROM": "ROU",  # Romania
    "ZAR": "COD",  # Democratic Republic of the Congo
    "TMP": "TLS",  # Timor-Leste
    "KSV": KOSOVO,  # Kosovo
    "WBG": "PSE",  # West Bank and Gaza
}

# Natural Earth ADM0_A3 codes that differ from ISO alpha-3 (shared/geo/README.md).
NATURAL_EARTH_TO_ISO3: dict[str, str] = {
    "KOS": KOSOVO,
    "PSX": "PSE",  # Palestine
    "SDS": "SSD",  # South Sudan
    "SAH": "ESH",  # Western Sahara
}

# Spellings in common use that pycountry's exact lookup does not know.
# pycountry's own fuzzy search is deliberately not used: it maps "Kosovo" to
# Serbia and "UK" to Ukraine, which would put records on the wrong country.
COMMON_ALIASES: dict[str, str] = {
    "uk": "GBR",
    "britain": "GBR",
    "great britain": "GBR",
    "england": "GBR",
    "scotland": "GBR",
    "wales": "GBR",
    "northern ireland": "GBR",
    "us": "USA",
    "u.s.": "USA",
    "u.s.a.": "USA",
    "america": "USA",
    "united states of america": "USA",
    "russia": "RUS",
    "turkey": "TUR",
    "kosovo": KOSOVO,
    "ivory coast": "CIV",
    "cote d'ivoire": "CIV",
    "north korea": "PRK",
    "korea, dem. people's rep.": "PRK",
    "laos": "LAO",
    "lao pdr": "LAO",
    "syria": "SYR",
    "vietnam": "VNM",
    "west bank and gaza": "PSE",
    "palestine": "PSE",
    "swaziland": "SWZ",
    "burma": "MMR",
    "macedonia": "MKD",
    "czech republic": "CZE",
    "the netherlands": "NLD",
    "holland": "NLD",
    "congo, dem. rep.": "COD",
    "dr congo": "COD",
    "democratic republic of the congo": "COD",
    "congo, rep.": "COG",
    "egypt, arab rep.": "EGY",
    "iran, islamic rep.": "IRN",
    "venezuela, rb": "VEN",
    "yemen, rep.": "YEM",
    "gambia, the": "GMB",
    "bahamas, the": "BHS",
    "hong kong sar, china": "HKG",
    "macao sar, china": "MAC",
    "micronesia, fed. sts.": "FSM",
    "kyrgyz republic": "KGZ",
    "slovak republic": "SVK",
    "st. lucia": "LCA",
    "st. kitts and nevis": "KNA",
    "st. vincent and the grenadines": "VCT",
    "cabo verde": "CPV",
    "brunei": "BRN",
    "taiwan, china": "TWN",
    "u.k.": "GBR",
    "republic of korea": "KOR",
    "rok": "KOR",
    "dprk": "PRK",
    "drc": "COD",
    "congo-kinshasa": "COD",
    "congo-brazzaville": "COG",
    "uae": "ARE",
    "vatican": "VAT",
    "vatican city": "VAT",
    "holy see": "VAT",
    "macau": "MAC",
    "cape verde": "CPV",
    "east timor": "TLS",
    "micronesia": "FSM",
    "bosnia": "BIH",
    "gaza": "PSE",
    "falklands": "FLK",
    "trinidad": "TTO",
    "antigua": "ATG",
    "republic of ireland": "IRL",
    "turks and caicos": "TCA",
    "saint vincent": "VCT",
}

# Where pycountry's English name is not the one readers know.
DISPLAY_NAMES: dict[str, str] = {
    "RUS": "Russia",
    "COD": "DR Congo",
    "COG": "Congo",
    "PSE": "Palestine",
    "FSM": "Micronesia",
    "VAT": "Vatican City",
    "GBR": "United Kingdom",
    "USA": "United States",
}

_ISO3 = re.compile(r"^[A-Z]{3}$")
# "Korea, Rep." -> "Korea, Republic of": the World Bank's abbreviation style.
_WB_ABBREVIATIONS = ((r"\bRep\.$", "Republic of"), (r"\bDem\.", "Democratic"), (r"\bFed\.", "Federated"))
# "St Lucia" / "St. Lucia" -> "Saint Lucia"; "The Gambia" -> "Gambia".
_SPELLING_RULES = ((r"^St\.? ", "Saint "), (r"^The ", ""))
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def _fold(text: str) -> str:
    """A name as compared: case, accents and typographic apostrophes ignored ("Türkiye" == "turkiye")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _folded_names() -> dict[str, str]:
    """Every English name pycountry knows (and our non-ISO entities'), folded, to its code."""
    index = {_fold(name): code for code, name in NON_ISO_ENTITIES.items()}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if name := getattr(country, attribute, None):
                index.setdefault(_fold(name), country.alpha_3)
    return index


def is_known_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code or one of the non-ISO entities we draw."""
    if code in NON_ISO_ENTITIES:
        return True
    return bool(_ISO3.match(code)) and pycountry.countries.get(alpha_3=code) is not None


@lru_cache(maxsize=4096)
def to_iso3(value: str) -> str | None:
    """Resolve a country code or name in a common spelling to ISO3, or None.

    Accepts ISO alpha-3 and alpha-2 codes, names as pycountry knows them
    (official, common and short names, with or without accents), the aliases
    above, "St"/"St." for "Saint" and a leading "The".
    """
    text = " ".join(value.split()).translate(_APOSTROPHES)
    if not text:
        return None
    upper = text.upper()
    if _ISO3.match(upper) and is_known_code(upper):
        return upper
    candidates = [text]
    for rules in (_WB_ABBREVIATIONS, _SPELLING_RULES):
        for pattern, replacement in rules:
            candidates.append(re.sub(pattern, replacement, candidates[-1], flags=re.IGNORECASE))
    for candidate in candidates:
        if alias := COMMON_ALIASES.get(candidate.casefold()):
            return alias
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            pass
        if code := _folded_names().get(_fold(candidate)):
            return code
    return None


def closest_names(text: str, names: Iterable[str], count: int = 3) -> list[str]:
    """The known names or codes most like `text` (case and accents ignored), best first."""
    by_fold: dict[str, str] = {}
    for name in names:
        by_fold.setdefault(_fold(name), name)
    matches = difflib.get_close_matches(_fold(text), list(by_fold), n=count, cutoff=0.6)
    return [by_fold[match] for match in matches]


def world_bank_to_iso3(code: str) -> str:
    """Translate a World Bank economy code to ISO3 (most are identical)."""
    return WORLD_BANK_TO_ISO3.get(code, code)


def natural_earth_key(iso_a3: str, adm0_a3: str) -> str:
    """The join key for a Natural Earth feature: ISO_A3 where valid, else ADM0_A3 mapped.

    Natural Earth leaves ISO_A3 = "-99" for France, Norway, Kosovo and others.
    """
    if iso_a3 and iso_a3 != "-99" and is_known_code(iso_a3):
        return iso_a3
    return NATURAL_EARTH_TO_ISO3.get(adm0_a3, adm0_a3)


def country_name(code: str) -> str:
    """A readable English name for a key."""
    if code in NON_ISO_ENTITIES:
        return NON_ISO_ENTITIES[code]
    if code in DISPLAY_NAMES:
        return DISPLAY_NAMES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def alternative_names(code: str) -> list[str]:
    """Every name and code a reader may type for a country, for the page's country search."""
    names = [code, country_name(code)]
    country = pycountry.countries.get(alpha_3=code)
    if country is not None:
        names += [country.alpha_2, country.name, getattr(country, "official_name", ""),
                  getattr(country, "common_name", "")]
    names += [alias for alias, target in COMMON_ALIASES.items() if target == code]
    unique: list[str] = []
    for name in names:
        if name and name.casefold() not in {u.casefold() for u in unique}:
            unique.append(name)
    return unique
