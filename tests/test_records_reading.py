"""Reading events.csv column by column gives what reading and checking it row by row gave.

The fast checks (records._suspects) only choose which rows the row-by-row
check (records._check_event) words problems for; these tests hold them to
never missing a row it would report, and hold the chunked encoding check and
the csv reader to the line numbers of reading the whole file at once.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from dashboard.data import records
from dashboard.data.records import EVENT_COLUMNS, SOURCE_COLUMNS, DataError, load_records

from .conftest import GOOD_EVENT, GOOD_SOURCE, write_csv

TODAY = dt.date(2026, 11, 24)
# Values each field may take in a generated row: good ones, bad ones, ones that normalise.
VALUES: dict[str, list[str]] = {
    "id": ["Bad Id", "", "a" * 130, "-lead", "dup-id"],
    "country": ["Atlantis", "", "South Korea", "fra", "ATA", " KOR "],
    "date": ["", "2018-13", "2999", "18-1", "2018-02-30", "1850", "2018", "2018-06", "2026-12"],
    "category": ["rumour", "", "legal_reform", "resignation", "backlash", "campaign"],
    "status": ["", "convicted", "passed", "bogus", "alleged"],
    "title": ["", "x" * 5001, "A title", " padded "],
    "summary": ["", "y" * 5001],
    "people": [" a ; ;b", "p" * 5001, ";;", "One;Two"],
    "count": ["", "many", "-1", "007", "1.5", " 3 ", "²"],
    "source_ids": ["", "src-ghost", " src-one ; ", ";;", "src-one;src-ghost", "src-one;src-two", "s" * 5001],
    "hashtags": ["#ok", "nohash", "# space", "#", " #a ; #b ", ";#c;", "#" + "h" * 5001],
    "checked_on": ["", "2018", "2999-01-01", "2020-01-01", "2020-02-30"],
}


def generated_events(seed: int, rows: int = 300) -> list[dict]:
    """Rows of GOOD_EVENT with 0–3 fields changed at random, each row its own id unless the id is mutated."""
    rng = random.Random(seed)
    events = []
    for n in range(rows):
        row = {**GOOD_EVENT, "id": f"row-{n}", "hashtags": "", "checked_on": ""}
        for field in rng.sample(list(VALUES), rng.choice([0, 0, 1, 2, 3])):
            row[field] = rng.choice(VALUES[field])
        events.append(row)
    return events


def outcome(data_dir) -> tuple[str, object]:
    try:
        return "ok", load_records(data_dir, today=TODAY)
    except DataError as error:
        return "problems", error.problems


def write_folder(tmp_path, events: list[dict]):
    write_csv(tmp_path / "events.csv", EVENT_COLUMNS, events)
    write_csv(tmp_path / "sources.csv", SOURCE_COLUMNS, [GOOD_SOURCE, {**GOOD_SOURCE, "id": "src-two"}])
    return tmp_path


@pytest.mark.parametrize("seed", range(6))
def test_column_checks_never_miss_a_row_the_row_check_reports(tmp_path, monkeypatch, seed) -> None:
    monkeypatch.setattr(records, "_ROWS_AT_ONCE", [1, 7, 4096][seed % 3])  # rows turned into columns in batches
    data_dir = write_folder(tmp_path, generated_events(seed))
    fast = outcome(data_dir)
    monkeypatch.setattr(records, "_suspects", lambda table, *args: np.ones(len(table.lines), dtype=bool))
    every_row = outcome(data_dir)
    assert fast[0] == every_row[0] == "problems"
    assert fast[1] == every_row[1]


def test_good_generated_rows_are_normalised_as_the_row_check_normalises(tmp_path) -> None:
    rows = [{**GOOD_EVENT, "checked_on": "", "id": f"row-{n}", "country": country, "count": count, "people": people,
             "source_ids": cited, "hashtags": tags}
            for n, (country, count, people, cited, tags) in enumerate([
                ("South Korea", "", " a ; ;b", " src-one ; ", " #a ; #b "),
                ("", "007", ";;", "src-one;src-two", ";#c;"),
                (" fra ", " 3 ", "One;Two", "src-two", ""),
            ])]
    events = load_records(write_folder(tmp_path, rows), today=TODAY).events
    expected = []
    for row in [{field: str(value).strip() for field, value in r.items()} for r in rows]:
        records._check_event(0, row, {row["id"]: 0}, {"src-one": 2, "src-two": 3}, problems := [], TODAY)
        assert problems == []
        expected.append(row)
    frame = pd.DataFrame(expected, columns=list(EVENT_COLUMNS)).astype({"count": "int64"})
    pd.testing.assert_frame_equal(events[list(EVENT_COLUMNS)], frame)
    assert events["count"].dtype == "int64" and events["line"].tolist() == [2, 3, 4]


def test_line_numbers_with_bare_cr_blank_rows_and_multiline_fields(tmp_path) -> None:
    header = ",".join(EVENT_COLUMNS)

    def line(**changes) -> str:
        row = {**GOOD_EVENT, "hashtags": "", "checked_on": "", **changes}
        return ",".join(f'"{row.get(c, "")}"' for c in EVENT_COLUMNS)

    # the summary spans lines 2–4 (CRLF and a bare CR inside quotes); 5 and 6 are blank
    text = "\r".join([header, line(id="a", summary="one\r\ntwo\rthree"), "", " , ,", line(id="b", country="Atlantis"),
                      "x,y", line(id="c", date="2018-13")]) + "\n"
    write_folder(tmp_path, [])
    (tmp_path / "events.csv").write_text(text, encoding="utf-8", newline="")
    assert outcome(tmp_path) == ("problems", [
        "events.csv:8: row: has 2 fields, the header has 12",
        "events.csv:7: country: unknown country 'Atlantis'",
        "events.csv:9: date: '2018-13' has no month 13",
    ])


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64])
def test_encoding_checked_in_chunks_names_the_same_line(tmp_path, monkeypatch, chunk) -> None:
    monkeypatch.setattr(records, "_CHUNK", chunk)
    path = tmp_path / "events.csv"
    path.write_bytes("\ufeffid,title\r\na,Gisèle\r\nb,한국 😀\r\nc,\"x\ny\"\r\n".encode() + b"d,Fran\xe7e\n")
    assert records._encoding_problem(path) == "events.csv:6: encoding: not valid UTF-8 (byte 0xe7)"
    path.write_bytes("id,title\na,😀\nb,\"x\ny\"\nc,z\x00\n".encode())
    assert records._encoding_problem(path) == "events.csv:5: file: contains a NUL byte (binary or corrupt file)"
    path.write_bytes("id,title\na,😀 한국\n".encode())
    assert records._encoding_problem(path) is None
    path.write_bytes("id\na,😀".encode()[:-1])  # cut inside the last character
    assert records._encoding_problem(path) == "events.csv:2: encoding: not valid UTF-8 (byte 0xf0)"


def test_an_invalid_byte_is_reported_before_an_earlier_nul(tmp_path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(b"id\x00\nb\n\xff\n")
    assert records._encoding_problem(path) == "events.csv:3: encoding: not valid UTF-8 (byte 0xff)"


@pytest.mark.parametrize("batch", [1, 2, 3, 4096])
def test_rows_read_in_batches_keep_values_lines_and_order(tmp_path, monkeypatch, batch) -> None:
    monkeypatch.setattr(records, "_ROWS_AT_ONCE", batch)
    rows = [{**GOOD_EVENT, "id": f"row-{n}", "summary": f"line {n}" + "\nmore" * (n % 2), "date": f"{2010 + n}",
             "count": str(n)} for n in range(5)]
    events = load_records(write_folder(tmp_path, rows), today=TODAY).events
    assert events["id"].tolist() == [f"row-{n}" for n in range(5)]
    assert events["line"].tolist() == [2, 3, 5, 6, 8]
    assert events["date"].tolist() == ["2010", "2011", "2012", "2013", "2014"]
    assert events["count"].tolist() == [0, 1, 2, 3, 4]
