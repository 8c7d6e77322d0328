"""Country names and foreign codes resolve to ISO3 in one place, with a test per exception."""

from __future__ import annotations

import pytest

from dashboard.data.countries import country_name, natural_earth_key, to_iso3, world_bank_to_iso3


@pytest.mark.parametrize("name, iso3", [
    ("USA", "USA"), ("United States", "USA"), ("South Korea", "KOR"), ("Korea, Rep.", "KOR"),
    ("France", "FRA"), ("fra", "FRA"), ("FR", "FRA"), ("Norway", "NOR"), ("UK", "GBR"),
    ("United Kingdom", "GBR"), ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Russia", "RUS"),
    ("Kosovo", "XKX"), ("Hong Kong", "HKG"), ("Taiwan", "TWN"), ("Ivory Coast", "CIV"),
    ("  India ", "IND"), ("Egypt, Arab Rep.", "EGY"), ("Congo, Dem. Rep.", "COD"),
])
def test_common_spellings_resolve(name, iso3) -> None:
    assert to_iso3(name) == iso3


@pytest.mark.parametrize("name", ["Atlantis", "", "XYZ", "Kosov"])
def test_unknown_names_do_not_resolve(name) -> None:
    assert to_iso3(name) is None


def test_kosovo_is_not_guessed_as_serbia() -> None:
    assert to_iso3("Kosovo") != "SRB"


@pytest.mark.parametrize("wb, iso3", [("ROM", "ROU"), ("ZAR", "COD"), ("TMP", "TLS"), ("KSV", "XKX"),
                                      ("WBG", "PSE"), ("FRA", "FRA"), ("HKG", "HKG"), ("TWN", "TWN")])
def test_world_bank_codes(wb, iso3) -> None:
    assert world_bank_to_iso3(wb) == iso3


@pytest.mark.parametrize("iso_a3, adm0_a3, key", [
    ("-99", "FRA", "FRA"), ("-99", "NOR", "NOR"), ("-99", "KOS", "XKX"), ("PSE", "PSX", "PSE"),
    ("SSD", "SDS", "SSD"), ("-99", "CYN", "CYN"), ("-99", "SOL", "SOL"), ("DEU", "DEU", "DEU"),
])
def test_natural_earth_keys(iso_a3, adm0_a3, key) -> None:
    assert natural_earth_key(iso_a3, adm0_a3) == key


def test_readable_names() -> None:
    assert country_name("KOR") == "Korea, Republic of" or country_name("KOR") == "South Korea"
    assert country_name("XKX") == "Kosovo"
    assert country_name("TWN") == "Taiwan"
