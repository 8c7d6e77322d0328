"""`metoo-map export`: the dashboard's filters from the command line; errors on stderr, exit 2, no traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.data.query import RecordFilter, export_csv, export_frame, filter_records

from .conftest import DATA_DIR, GOOD_EVENT


def export(capsys, *flags: str) -> str:
    main(["export", "--data-dir", str(DATA_DIR), *flags])
    return capsys.readouterr().out


def refused(capsys, *flags: str, data_dir: str = str(DATA_DIR)) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["export", "--data-dir", data_dir, *flags])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    return captured.err


def test_export_writes_exactly_the_rows_the_filter_selects(capsys, atlas) -> None:
    text = export(capsys, "--country", "USA", "--from", "2018", "--to", "2018", "--category", "case")
    expected = export_frame(atlas, filter_records(atlas, RecordFilter(2018, 2018, ("case",), "USA")))
    assert text == export_csv(expected)
    assert len(pd.read_csv(io.StringIO(text))) == len(expected) > 0


@pytest.mark.parametrize("name, code", [("South Korea", "KOR"), ("kor", "KOR"), ("USA", "USA"),
                                        ("United States", "USA"), ("int", "INT"), ("Türkiye", "TUR"),
                                        ("Turkey", "TUR"), ("Ivory Coast", "CIV"), ("Czechia", "CZE")])
def test_country_takes_what_the_dashboard_takes(capsys, atlas, name, code) -> None:
    text = export(capsys, "--country", name)
    assert text == export_csv(export_frame(atlas, filter_records(atlas, RecordFilter(country=code))))


def test_a_known_country_without_records_gives_a_header_only(capsys, atlas) -> None:
    without = sorted(atlas.country_keys - set(atlas.events["key"]))[0]
    text = export(capsys, "--country", atlas.name_of(without))
    assert text.startswith("id,country,country_name") and text.count("\r\n") == 1


def test_out_dash_writes_to_standard_output(capsys, tmp_path) -> None:
    assert export(capsys, "--out", "-", "--from", "2019") == export(capsys, "--from", "2019")
    main(["export", "--data-dir", str(DATA_DIR), "--from", "2019", "--out", str(tmp_path / "x.csv")])
    assert "wrote" in capsys.readouterr().err
    assert (tmp_path / "x.csv").read_bytes().decode("utf-8") == export(capsys, "--from", "2019")


def test_status_is_repeatable_and_sort_is_read(capsys, atlas) -> None:
    text = export(capsys, "--status", "convicted", "--status", "sentenced", "--sort", "title")
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert set(back["status"]) == {"convicted", "sentenced"}
    assert list(back["title"]) == sorted(back["title"]) or len(back) < 2


def test_an_unknown_country_is_named_with_suggestions(capsys) -> None:
    err = refused(capsys, "--country", "Frnace")
    assert "--country" in err and "'Frnace'" in err and "France" in err


@pytest.mark.parametrize("flags, named", [
    (["--from", "2020", "--to", "2018"], "--from"), (["--from", "abc"], "--from"), (["--to", "1850"], "--to"),
    (["--category", "nope"], "--category"), (["--status", "nope"], "--status"), (["--sort", "size"], "--sort"),
    (["--text", "x" * 201], "--text"), (["--country", "Atlantis"], "--country"),
])
def test_bad_flags_exit_2_naming_the_flag(capsys, flags, named) -> None:
    assert refused(capsys, *flags).startswith(f"metoo-map export: {named}: ")


def test_a_missing_data_folder_exits_2(capsys, tmp_path) -> None:
    assert "--data-dir" in refused(capsys, data_dir=str(tmp_path / "nowhere"))


def test_invalid_data_exits_2_with_every_problem(capsys, make_data) -> None:
    err = refused(capsys, data_dir=str(make_data([{**GOOD_EVENT, "country": "Atlantis"}])))
    assert "events.csv:2: country: unknown country 'Atlantis'" in err


def test_an_unwritable_out_exits_2(capsys, tmp_path) -> None:
    assert "--out" in refused(capsys, "--out", str(tmp_path / "no" / "such" / "dir.csv"))


@pytest.mark.parametrize("flags", [["--country", "Frnace"], ["--data-dir", "/nonexistent"], ["--from", "x"],
                                   ["--nope"], ["--out", "/"]])
def test_errors_from_the_real_command_have_no_traceback(flags) -> None:
    result = subprocess.run([sys.executable, "-m", "dashboard", "export", *flags], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "DASHBOARD_DATA_DIR": str(DATA_DIR)})
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and result.stderr and "Traceback" not in result.stderr
