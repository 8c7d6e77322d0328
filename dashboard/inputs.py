"""Parses and checks what the browser sends: anything malformed becomes a safe default."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from .data.atlas import CATEGORY_LABELS, COUNTS, INTERNATIONAL, METRICS, Atlas
from .data.changes import LAG_METRIC
from .data.query import MAX_TEXT_CHARS, SORT_KEYS, RecordFilter
from .data.countries import to_iso3
from .data.records import STATUS_LABELS
from .figures import REGIONS

MODES = ("year", "cumulative")
MAX_QUERY_CHARS = 2000
# The shared URL's parameters (parse_query); restore_view sets the controls from them.
QUERY_KEYS = ("metric", "mode", "year", "country", "from", "to", "cat", "q", "region", "embed", "compare")
MAX_COMPARE = 4
# ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,5}")


def as_int(value: object) -> int | None:
    """A whole number from an int, an integral float or a decimal string within ±10000, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) <= 10_000:
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) <= 10_000:
        return int(value)
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        number = int(value)
        return number if abs(number) <= 10_000 else None
    return None


def as_metric(value: object) -> str:
    """A map metric: one of METRICS or the lag metric (years from first record to first reform)."""
    return value if isinstance(value, str) and (value in METRICS or value == LAG_METRIC) else "all"


def as_mode(value: object) -> str:
    return value if isinstance(value, str) and value in MODES else "year"


def as_region(value: object) -> str:
    """A region preset's key (any case), else "world"."""
    key = value.strip().lower() if isinstance(value, str) and len(value) <= 40 else ""
    return key if key in REGIONS else "world"


def as_embed(value: object) -> bool:
    """`embed=1` (or true, yes, on): the map alone, for another site's frame."""
    return isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on")


def as_count(value: object) -> str:
    return value if isinstance(value, str) and value in COUNTS else "records"


def as_statuses(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(sorted({v for v in value[:20] if isinstance(v, str) and v in STATUS_LABELS}))


def as_sort(value: object) -> tuple[tuple[str, str], ...]:
    """The grid's sortModel ([{colId, sort}]) as (column, direction) pairs; anything else is dropped."""
    if not isinstance(value, list):
        return ()
    pairs = []
    for item in value[:5]:
        if isinstance(item, dict) and item.get("colId") in SORT_KEYS and item.get("sort") in ("asc", "desc"):
            pairs.append((item["colId"], item["sort"]))
    return tuple(pairs)


def as_record(value: object, atlas: Atlas) -> str | None:
    """A record id that exists, else None."""
    if isinstance(value, str) and len(value) <= 120 and value in atlas.record_keys:
        return value
    return None


def as_country(value: object, atlas: Atlas) -> str | None:
    """A country drawn on the map (or INT, when there are international records), by code or name, else None."""
    if not isinstance(value, str) or len(value) > 60:
        return None
    key = value.upper() if len(value) <= 3 else (to_iso3(value) or "")
    if key == INTERNATIONAL:
        return key if (atlas.events["key"] == INTERNATIONAL).any() else None
    return key if key in atlas.country_keys else None


def as_compare(value: object, atlas: Atlas) -> list[str]:
    """Up to four countries with records, by code or name, in the order given, without repeats; bad ones dropped."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)):
        return []
    keys: list[str] = []
    with_records = set(atlas.keys_with_records)
    for item in value[:20]:
        key = as_country(item.strip() if isinstance(item, str) else item, atlas)
        if key in with_records and key not in keys:
            keys.append(key)
    return keys[:MAX_COMPARE]


def as_categories(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(sorted({v for v in value[:20] if isinstance(v, str) and v in CATEGORY_LABELS}))


def as_text(value: object) -> str:
    return value.strip()[:MAX_TEXT_CHARS] if isinstance(value, str) else ""


def as_year_range(value: object, atlas: Atlas) -> tuple[int, int]:
    """A (from, to) pair inside the records' years; the full range when malformed."""
    first, last = int(atlas.events["year"].min()), int(atlas.events["year"].max())
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return first, last
    low, high = as_int(value[0]), as_int(value[1])
    if low is None or high is None:
        return first, last
    low, high = sorted((min(max(low, first), last), min(max(high, first), last)))
    return low, high


def record_filter(atlas: Atlas, years: object, categories: object, country: object, text: object,
                  statuses: object = None, sort: object = None) -> RecordFilter:
    """The table's filter from raw control values (and the grid's sort model)."""
    low, high = as_year_range(years, atlas)
    return RecordFilter(year_from=low, year_to=high, categories=as_categories(categories),
                        country=as_country(country, atlas), text=as_text(text), statuses=as_statuses(statuses),
                        sort=as_sort(sort) or RecordFilter.sort)


def parse_query(search: object, atlas: Atlas) -> dict:
    """The view a shared URL's query string describes; unknown or bad values fall back to defaults."""
    query = search if isinstance(search, str) else ""
    query = query[:MAX_QUERY_CHARS].lstrip("?")
    params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=False).items() if v}
    first, last = int(atlas.events["year"].min()), int(atlas.events["year"].max())
    years = (as_int(params.get("from")), as_int(params.get("to")))
    categories = params.get("cat", "").split(",") if params.get("cat") else []
    statuses = params.get("status", "").split(",") if params.get("status") else []
    record = as_record(params.get("record"), atlas)
    country = as_country(params.get("country"), atlas)
    if record:
        country = atlas.record_keys[record]
    return {
        "metric": as_metric(params.get("metric")),
        "mode": as_mode(params.get("mode")),
        "year": as_int(params.get("year")),
        "count": as_count(params.get("count")),
        "country": country,
        "record": record,
        # A record id the address names that this atlas does not hold (held back, renamed, mistyped).
        "missing_record": "" if record or not params.get("record") else params["record"][:100],
        "statuses": list(as_statuses(statuses)),
        "years": list(as_year_range([years[0] or first, years[1] or last], atlas)),
        "categories": list(as_categories(categories)),
        "text": as_text(params.get("q")),
        "region": as_region(params.get("region")),
        "embed": as_embed(params.get("embed")),
        "compare": as_compare(params.get("compare"), atlas),
    }
