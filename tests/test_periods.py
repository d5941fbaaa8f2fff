import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interessent import InvalidInput, Period, Unit, parse_date, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", D(2026, 1, 1), D(2026, 12, 31)),
        ("2026-H1", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-h2", D(2026, 7, 1), D(2026, 12, 31)),
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-11", D(2026, 11, 1), D(2026, 11, 30)),
        ("2028-02", D(2028, 2, 1), D(2028, 2, 29)),  # a leap year
        ("2026-01-01..2026-06-30", D(2026, 1, 1), D(2026, 6, 30)),
        (" 2026-03-05..2026-03-05 ", D(2026, 3, 5), D(2026, 3, 5)),
    ],
)
def test_period_forms(text: str, start: dt.date, end: dt.date) -> None:
    assert parse_period(text) == Period(start, end)


@pytest.mark.parametrize(
    "text",
    ["", "26", "2026-Q5", "2026-H3", "2026-13", "2026-00", "last year",
     "2026-06-31..2026-07-01", "2026-07-01..2026-06-30", "2026/11"],
)
def test_malformed_periods_are_clear_errors(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"period|date"):
        parse_period(text)


def test_dates_iso_and_norwegian() -> None:
    assert parse_date("2026-11-26") == D(2026, 11, 26)
    assert parse_date("26.11.2026") == D(2026, 11, 26)
    assert parse_date("5.3.2026") == D(2026, 3, 5)
    with pytest.raises(InvalidInput, match="not a date"):
        parse_date("31.02.2026")


def test_unit_names_in_english_and_norwegian() -> None:
    assert Unit.parse("monthly") is Unit.MONTH
    assert Unit.parse("Kvartal") is Unit.QUARTER
    assert Unit.parse("half-year") is Unit.HALF_YEAR
    assert Unit.parse("årlig") is Unit.YEAR
    assert Unit.parse("årleg") is Unit.YEAR  # nynorsk
    assert Unit.parse("månadleg") is Unit.MONTH
    with pytest.raises(ValueError, match="unknown period 'fortnightly'"):
        Unit.parse("fortnightly")


def test_windows_of_a_year_by_quarter() -> None:
    windows = list(Unit.QUARTER.windows(Period.year(2026)))
    assert [w.start.month for w in windows] == [1, 4, 7, 10]
    assert windows[-1].end == D(2026, 12, 31)


def test_windows_cover_a_period_that_starts_mid_window() -> None:
    # 2026-02-15..2026-08-01 touches the half-years H1 and H2 of 2026
    windows = list(Unit.HALF_YEAR.windows(Period(D(2026, 2, 15), D(2026, 8, 1))))
    assert windows == [parse_period("2026-H1"), parse_period("2026-H2")]


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)), st.sampled_from(list(Unit)))
def test_a_day_lies_in_its_window_and_windows_tile(day: dt.date, unit: Unit) -> None:
    window = unit.window(day)
    assert day in window
    after = unit.window(window.end + dt.timedelta(days=1))
    assert after.start == window.end + dt.timedelta(days=1)
    assert window.start.day == 1 and (window.start.month - 1) % unit.months == 0
