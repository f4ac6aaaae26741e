import datetime

import pytest

from solna_sn.lib.periods import (
    MONTH_ABBREVIATIONS,
    Month,
    PeriodError,
    PeriodKind,
    ReportPeriod,
    months_between,
    year_to_open,
)


def test_month_basics():
    month = Month.parse("2024-09")
    assert str(month) == "2024-09"
    assert month.label == "september 2024"
    assert month.abbreviation == "sep"
    assert month.first_day == datetime.date(2024, 9, 1)
    assert month.last_day == datetime.date(2024, 9, 30)
    assert month.next() == Month(2024, 10)
    assert month.previous() == Month(2024, 8)
    assert month.same_month_last_year() == Month(2023, 9)
    assert Month.from_date(datetime.date(2024, 2, 17)) == Month(2024, 2)


def test_year_boundaries():
    assert Month(2024, 12).next() == Month(2025, 1)
    assert Month(2024, 1).previous() == Month(2023, 12)
    assert Month(2024, 1).plus(-24) == Month(2022, 1)
    assert Month(2024, 11).plus(3) == Month(2025, 2)


@pytest.mark.parametrize(("year", "days"), [(2024, 29), (2023, 28), (2000, 29), (2100, 28)])
def test_february_has_leap_days(year, days):
    assert Month(year, 2).days == days


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024-9x", "", "2024/09", "24-09", None])
def test_bad_months_are_rejected(text):
    with pytest.raises(PeriodError) as error:
        Month.parse(text)
    assert "2024-09" in str(error.value) or "finns inte" in str(error.value)


def test_months_between():
    assert months_between(Month(2023, 11), Month(2024, 2)) == [
        Month(2023, 11),
        Month(2023, 12),
        Month(2024, 1),
        Month(2024, 2),
    ]
    assert months_between(Month(2024, 2), Month(2024, 1)) == []
    assert len(months_between(Month(2022, 1), Month(2024, 12))) == 36


def test_abbreviations_are_as_printed():
    assert " ".join(MONTH_ABBREVIATIONS) == "jan feb mar apr maj jun jul aug sep okt nov dec"


@pytest.mark.parametrize(
    ("kind", "end", "label", "last_day"),
    [
        (PeriodKind.APRIL, 4, "per april 2024", datetime.date(2024, 4, 30)),
        (PeriodKind.AUGUST, 8, "per augusti 2024", datetime.date(2024, 8, 31)),
        (PeriodKind.FULL_YEAR, 12, "helår 2024", datetime.date(2024, 12, 31)),
    ],
)
def test_report_periods(kind, end, label, last_day):
    period = ReportPeriod(2024, kind)
    assert period.end_month == end
    assert period.months == tuple(range(1, end + 1))
    assert period.label == label
    assert period.start_date == datetime.date(2024, 1, 1)
    assert period.end_date == last_day
    assert ReportPeriod.from_key(period.key) == period
    assert period.previous_year() == ReportPeriod(2023, kind)
    assert period.contains(last_day)
    day_after = Month.from_date(last_day).next().first_day
    assert not period.contains(day_after)


@pytest.mark.parametrize("key", ["2024-maj", "2024", "24-april", "", "2024-april-x"])
def test_bad_period_keys(key):
    with pytest.raises(PeriodError, match="ingen rapportperiod"):
        ReportPeriod.from_key(key)


def test_a_page_opens_on_this_year_or_the_latest_year_with_data():
    assert year_to_open(2026, [2024, 2025, 2026]) == 2026
    assert year_to_open(2026, [2024, 2025]) == 2025
    assert year_to_open(2026, [2023, 2027]) == 2023
    assert year_to_open(2026, [2028, 2027]) == 2027
    assert year_to_open(2026, []) == 2026
