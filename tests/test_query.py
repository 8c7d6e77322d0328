"""Table filters and the CSV export: exactly the rows selected, safe in a spreadsheet, Unicode intact."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard.data.atlas import load_atlas
from dashboard.data.query import (
    RecordFilter,
    export_csv,
    export_frame,
    export_records,
    filter_records,
    sources_csv,
    stream_export_csv,
)

from .conftest import GOOD_EVENT, GOOD_SOURCE

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\tTAB", "\rCR", "\nLF"]


@pytest.fixture
def hostile_atlas(make_data):
    events = [
        {**GOOD_EVENT, "id": f"fra-2018-{n}", "title": payload, "summary": payload, "people": payload}
        for n, payload in enumerate(HOSTILE)
    ]
    events.append({**GOOD_EVENT, "id": "fra-2019-unicode", "date": "2019-01-02",
                   "title": "Marlène Schiappa; 서지현; प्रिया रमानी", "people": "Marlène Schiappa;서지현;प्रिया रमानी"})
    sources = [{**GOOD_SOURCE, "title": "=1+1 a source", "publisher": "@publisher"}]
    return load_atlas(make_data(events, sources))


def test_filters_combine(atlas) -> None:
    chosen = filter_records(atlas, RecordFilter(2018, 2018, ("case",), "USA", ""))
    assert len(chosen) > 0
    assert set(chosen["year"]) == {2018} and set(chosen["category"]) == {"case"} and set(chosen["key"]) == {"USA"}


def test_text_filter_is_case_insensitive_and_literal(atlas) -> None:
    first = atlas.events.iloc[0]
    word = first["title"].split()[0]
    chosen = filter_records(atlas, RecordFilter(text=word.upper()))
    assert first["id"] in set(chosen["id"])
    assert filter_records(atlas, RecordFilter(text=".*")).empty


def test_no_filter_selects_everything(atlas) -> None:
    assert len(filter_records(atlas, RecordFilter())) == len(atlas.events)


def test_export_has_one_row_per_record_and_expands_sources(atlas) -> None:
    chosen = filter_records(atlas, RecordFilter())
    frame = export_frame(atlas, chosen)
    assert len(frame) == len(chosen)
    widest = max(len(ids.split(";")) for ids in chosen["source_ids"])
    assert f"source_{widest}_url" in frame.columns and f"source_{widest + 1}_url" not in frame.columns
    row = frame.iloc[0]
    first_source = atlas.sources_for(chosen.iloc[0]["source_ids"])[0]
    assert row["source_1_title"] == first_source["title"]


def test_formula_cells_are_neutralised(hostile_atlas) -> None:
    text = export_csv(export_frame(hostile_atlas, filter_records(hostile_atlas, RecordFilter())))
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for column in ("title", "summary", "people", "source_1_title", "source_1_publisher"):
        for value in back[column]:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), (column, value)
    shown = hostile_atlas.events.set_index("id")["title"]
    for record_id, title in zip(back["id"], back["title"]):
        # what the table shows, with only the neutralising apostrophe added
        expected = shown[record_id]
        assert title == ("'" + expected if expected.startswith(("=", "+", "-", "@")) else expected)
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in set(back["title"])


def test_export_round_trips_unicode(hostile_atlas) -> None:
    text = export_csv(export_frame(hostile_atlas, filter_records(hostile_atlas, RecordFilter(2019, 2019))))
    back = pd.read_csv(io.BytesIO(text.encode("utf-8")), dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(back["title"]) == ["Marlène Schiappa; 서지현; प्रिया रमानी"]
    assert list(back["people"]) == ["Marlène Schiappa;서지현;प्रिया रमानी"]


def test_export_of_nothing_still_has_a_header(atlas) -> None:
    text = export_csv(export_frame(atlas, filter_records(atlas, RecordFilter(text="no such record anywhere"))))
    assert text.splitlines()[0].startswith("id,country,country_name,date")
    assert len(text.splitlines()) == 1


@pytest.mark.parametrize("chosen, name", [
    (RecordFilter(2018, 2018, (), "FRA", ""), "metoo-records_FRA_2018_asof-X.csv"),
    (RecordFilter(2017, 2019, ("case", "backlash"), None, ""), "metoo-records_all_2017-2019_backlash+case_asof-X.csv"),
    (RecordFilter(text="../../etc/passwd"), "metoo-records_all_q-etc-passwd_asof-X.csv"),
])
def test_file_name_states_the_filter(chosen, name) -> None:
    assert chosen.file_name("X") == name


@pytest.mark.parametrize("chosen", [RecordFilter(), RecordFilter(2018, 2018), RecordFilter(country="INT"),
                                    RecordFilter(text="no such record anywhere")])
def test_streamed_export_is_the_export_line_by_line(atlas, hostile_atlas, chosen) -> None:
    for data in (atlas, hostile_atlas):
        records = filter_records(data, chosen)
        lines = stream_export_csv(data, records)
        assert iter(lines) is lines, "a generator, not a list"
        assert "".join(lines) == export_csv(export_frame(data, records))


def test_export_records_carry_their_sources_in_order(atlas) -> None:
    records = filter_records(atlas, RecordFilter())
    exported = list(export_records(atlas, records))
    assert [r["id"] for r in exported] == list(records["id"])
    first = records.iloc[0]
    assert [s["title"] for s in exported[0]["sources"]] == [s["title"] for s in atlas.sources_for(first["source_ids"])]
    assert all(r["country"] for r in exported) and isinstance(exported[0]["count"], int)


def test_sources_csv_is_the_sources_table_formula_safe(hostile_atlas) -> None:
    back = pd.read_csv(io.StringIO("".join(sources_csv(hostile_atlas))), dtype=str, keep_default_na=False)
    assert list(back["id"]) == list(hostile_atlas.sources["id"])
    assert list(back["title"]) == ["'=1+1 a source"] and list(back["publisher"]) == ["'@publisher"]


def test_fold_is_casefold_then_nfkd_without_combining_marks_for_any_text() -> None:
    import random
    import unicodedata

    from dashboard.data.atlas import fold

    def reference(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    rng = random.Random(16)
    alphabet = [chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000]
    texts = ["Gisèle Pélicot", "ΟΔΟΣ", "ꭰ Ꭰ", "Ae\u0301\u0300B", "straße İstanbul ﬁ ǅ", "plain ascii"]
    texts += ["".join(rng.choice(alphabet) if rng.random() < 0.3 else chr(rng.randrange(32, 127))
                      for _ in range(40)) for _ in range(3000)]
    assert [fold(t) for t in texts] == [reference(t) for t in texts]
