"""The validator names file, line and field for every bad row, all of them at once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from dashboard.cli import main
from dashboard.data.atlas import load_atlas
from dashboard.data.records import EVENT_COLUMNS, DataError, load_records, parse_date

from .conftest import GOOD_EVENT, GOOD_SOURCE


def problems_for(make_data, events=None, sources=None) -> list[str]:
    data_dir = make_data(events, sources)
    with pytest.raises(DataError) as caught:
        load_atlas(data_dir)
    return caught.value.problems


def event(**changes) -> dict:
    return {**GOOD_EVENT, **changes}


def source(**changes) -> dict:
    return {**GOOD_SOURCE, **changes}


def test_good_files_load(make_data) -> None:
    atlas = load_atlas(make_data())
    assert list(atlas.events["id"]) == ["fra-2018-one"]


def test_unknown_country(make_data) -> None:
    assert problems_for(make_data, [event(country="Atlantis")]) == [
        "events.csv:2: country: unknown country 'Atlantis'"]


def test_country_name_in_common_spelling_is_accepted(make_data) -> None:
    atlas = load_atlas(make_data([event(country="South Korea")]))
    assert list(atlas.events["country"]) == ["KOR"]


def test_country_without_a_shape_on_the_map(make_data) -> None:
    assert problems_for(make_data, [event(country="ATA")]) == ["events.csv:2: country: ATA has no shape on the map"]


@pytest.mark.parametrize("date, problem", [
    ("2018-02-30", "is not a calendar date"),
    ("2018-13", "has no month 13"),
    ("18-10-01", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("1850", "is before 1900"),
    ("2999-01-01", "is in the future"),
    ("", "is empty"),
])
def test_impossible_date(make_data, date, problem) -> None:
    [message] = problems_for(make_data, [event(date=date)])
    assert message.startswith("events.csv:2: date: ") and problem in message


def test_unknown_category(make_data) -> None:
    [message] = problems_for(make_data, [event(category="rumour")])
    assert message.startswith("events.csv:2: category: 'rumour' is not one of")


def test_status_not_valid_for_category(make_data) -> None:
    [message] = problems_for(make_data, [event(category="legal_reform", status="convicted")])
    assert message.startswith("events.csv:2: status: 'convicted' is not valid for legal_reform")


def test_case_needs_a_status(make_data) -> None:
    [message] = problems_for(make_data, [event(status="")])
    assert message.startswith("events.csv:2: status: is empty")


def test_missing_source_id(make_data) -> None:
    [message] = problems_for(make_data, [event(source_ids="")])
    assert message.startswith("events.csv:2: source_ids: is empty")


def test_dangling_source_id(make_data) -> None:
    assert problems_for(make_data, [event(source_ids="src-one;src-ghost")]) == [
        "events.csv:2: source_ids: 'src-ghost' is not in sources.csv"]


def test_duplicate_id(make_data) -> None:
    assert problems_for(make_data, [event(), event()]) == [
        "events.csv:3: id: duplicate 'fra-2018-one' (first on line 2)"]


@pytest.mark.parametrize("count", ["many", "-1", "1.5", "²", "١٢"])
def test_non_numeric_or_negative_count(make_data, count) -> None:
    [message] = problems_for(make_data, [event(count=count)])
    assert message.startswith("events.csv:2: count: ")


def test_empty_count_defaults_to_one(make_data) -> None:
    atlas = load_atlas(make_data([event(count="")]))
    assert atlas.events["count"].tolist() == [1]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "https://exa mple.org",
                                 "https://", "data:text/html,hi", "JaVaScRiPt:alert(1)"])
def test_url_that_is_not_http(make_data, url) -> None:
    [message] = problems_for(make_data, sources=[source(url=url)])
    assert message.startswith("sources.csv:2: url: ")


def test_every_problem_is_reported_not_just_the_first(make_data) -> None:
    bad = [event(id="a", country="Atlantis"), event(id="b", date="2018-99"), event(id="c", category="x")]
    problems = problems_for(make_data, bad)
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4"]


def test_line_numbers_count_multiline_quoted_fields(make_data, tmp_path) -> None:
    data_dir = make_data([event(id="a", summary="line one\nline two"), event(id="b", country="Atlantis")])
    with pytest.raises(DataError) as caught:
        load_atlas(data_dir)
    assert caught.value.problems == ["events.csv:4: country: unknown country 'Atlantis'"]


def test_non_utf8_file(make_data) -> None:
    data_dir = make_data()
    (data_dir / "events.csv").write_bytes("id,country\nfra,Fran\xe7e\n".encode("latin-1"))
    with pytest.raises(DataError) as caught:
        load_records(data_dir)
    assert caught.value.problems == ["events.csv:2: encoding: not valid UTF-8 (byte 0xe7)"]


def test_bom_prefixed_file_is_read(make_data) -> None:
    data_dir = make_data()
    path = data_dir / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load_atlas(data_dir).events) == 1


def problems_after_appending(make_data, text: str) -> list[str]:
    """Problems reported once `text` is appended to a good events.csv."""
    path = make_data() / "events.csv"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_records(path.parent)
    return caught.value.problems


def test_truncated_file_inside_a_quoted_field(make_data) -> None:
    problems = problems_after_appending(make_data, 'fra-2,FRA,2018,case,alleged,"unterminated')
    assert problems[0].startswith("events.csv:3: row: ")


def test_row_with_wrong_number_of_fields(make_data) -> None:
    assert problems_after_appending(make_data, "x,FRA,2018\n") == [f"events.csv:3: row: has 3 fields, the header has {len(EVENT_COLUMNS)}"]


def test_missing_column(make_data) -> None:
    data_dir = make_data()
    (data_dir / "events.csv").write_text("id,country,date\nx,FRA,2018\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_records(data_dir)
    assert caught.value.problems[0].startswith("events.csv:1: header: missing column(s) category")


def test_binary_file(make_data) -> None:
    data_dir = make_data()
    (data_dir / "sources.csv").write_bytes(b"id,title\x00\x01\x02")
    with pytest.raises(DataError) as caught:
        load_records(data_dir)
    assert caught.value.problems[0] == "sources.csv:1: file: contains a NUL byte (binary or corrupt file)"


def test_missing_file(make_data) -> None:
    data_dir = make_data()
    (data_dir / "sources.csv").unlink()
    with pytest.raises(DataError) as caught:
        load_records(data_dir)
    assert caught.value.problems[0].startswith("sources.csv:0: file: cannot be read")


def test_parse_date_accepts_partial_dates() -> None:
    today = dt.date(2026, 11, 23)
    assert parse_date("2018", today) is None
    assert parse_date("2018-08", today) is None
    assert parse_date("2018-08-03", today) is None
    assert parse_date("2026-12", today) == "'2026-12' is in the future"


def test_validate_command_exits_non_zero_with_the_messages(make_data, capsys) -> None:
    data_dir = make_data([event(country="Atlantis")])
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(data_dir)])
    assert exited.value.code == 1
    assert "events.csv:2: country: unknown country 'Atlantis'" in capsys.readouterr().err


def test_validate_command_passes_on_good_data(make_data, capsys) -> None:
    main(["validate", str(make_data())])
    assert capsys.readouterr().out.startswith("OK: 1 records")


def run_refusing(command: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})})


def test_server_refuses_to_start_on_invalid_data(make_data) -> None:
    data_dir = make_data([event(country="Atlantis"), event(id="b", date="2018-13")])
    result = run_refusing([sys.executable, "-m", "dashboard", "serve", "--data-dir", str(data_dir), "--port", "1"])
    assert result.returncode == 1
    assert "events.csv:2: country: unknown country 'Atlantis'" in result.stderr
    assert "events.csv:3: date: '2018-13' has no month 13" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_gunicorn_entry_point_refuses_invalid_data_without_a_traceback(make_data) -> None:
    data_dir = make_data([event(country="Atlantis")])
    result = run_refusing([sys.executable, "-c", "import dashboard.wsgi"], {"DASHBOARD_DATA_DIR": str(data_dir)})
    assert result.returncode == 4
    assert "events.csv:2: country: unknown country 'Atlantis'" in result.stderr
    assert "Traceback" not in result.stderr
