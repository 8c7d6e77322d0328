"""The timeline's logic, without drawing: range, clamping, stepping, marks."""

from __future__ import annotations

import pytest

from dashboard.timeline import Timeline

TIMELINE = Timeline((2015, 2017, 2018, 2024))


def test_range_is_first_to_last_year() -> None:
    assert (TIMELINE.first, TIMELINE.last) == (2015, 2024)


@pytest.mark.parametrize("value, expected", [(2010, 2015), (2030, 2024), (2019, 2019), (2019.0, 2019),
                                             (None, 2024), ("2018", 2024), (True, 2024), (float("nan"), 2024)])
def test_clamp(value, expected) -> None:
    assert TIMELINE.clamp(value) == expected


def test_next_year_steps_one_and_wraps_from_the_end() -> None:
    assert TIMELINE.next_year(2016) == 2017
    assert TIMELINE.next_year(2024) == 2015


def test_at_end() -> None:
    assert TIMELINE.at_end(2024) and not TIMELINE.at_end(2023)


def test_marks_include_both_ends_and_round_years() -> None:
    assert Timeline((1970, 2019)).marks() == {1970: "1970", 1975: "1975", 1980: "1980", 1985: "1985",
                                               1990: "1990", 1995: "1995", 2000: "2000", 2005: "2005",
                                               2010: "2010", 2015: "2015", 2019: "2019"}
    assert TIMELINE.marks() == {2015: "2015", 2020: "2020", 2024: "2024"}
