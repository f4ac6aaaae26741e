"""Months and report periods (per april, per augusti, helår). Pure, no Django."""

from __future__ import annotations

import calendar
import datetime
import enum
import re
from dataclasses import dataclass

MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
# As printed in the reports' metric tables.
MONTH_ABBREVIATIONS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "maj",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)


class PeriodError(ValueError):
    """A malformed month or period; str(error) is a Swedish message."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self):
        if not isinstance(self.year, int) or not 1900 <= self.year <= 2999:
            raise PeriodError(f"Året {self.year} är utanför 1900–2999.")
        if not isinstance(self.month, int) or not 1 <= self.month <= 12:
            raise PeriodError(f"Månaden {self.month} finns inte (1–12).")

    @classmethod
    def from_date(cls, day: datetime.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse "2024-09"."""
        match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
        if not match:
            raise PeriodError(f"”{text}” är ingen månad. Skriv år och månad som 2024-09.")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def abbreviation(self) -> str:
        return MONTH_ABBREVIATIONS[self.month - 1]

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, self.days)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def same_month_last_year(self) -> Month:
        return Month(self.year - 1, self.month)

    def plus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)


def months_between(start: Month, end: Month) -> list[Month]:
    """Every month from `start` to `end`, inclusive; empty when end is before start."""
    result = []
    current = start
    while current <= end:
        result.append(current)
        current = current.next()
    return result


class PeriodKind(enum.StrEnum):
    APRIL = "april"
    AUGUST = "augusti"
    FULL_YEAR = "helar"

    @property
    def end_month(self) -> int:
        return {"april": 4, "augusti": 8, "helar": 12}[self.value]

    @property
    def label(self) -> str:
        return {"april": "per april", "augusti": "per augusti", "helar": "helår"}[self.value]


@dataclass(frozen=True, order=True)
class ReportPeriod:
    """A follow-up period: budgetuppföljning per april, delårsrapport per augusti, helår."""

    year: int
    kind: PeriodKind

    def __post_init__(self):
        Month(self.year, 1)  # validates the year
        if not isinstance(self.kind, PeriodKind):
            raise PeriodError(f"Okänd period: {self.kind}.")

    @property
    def end_month(self) -> int:
        return self.kind.end_month

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(range(1, self.end_month + 1))

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end_date(self) -> datetime.date:
        return Month(self.year, self.end_month).last_day

    @property
    def label(self) -> str:
        return f"{self.kind.label} {self.year}"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.kind.value}"

    @classmethod
    def from_key(cls, key: str) -> ReportPeriod:
        match = re.fullmatch(r"(\d{4})-(april|augusti|helar)", (key or "").strip())
        if not match:
            raise PeriodError(
                f"”{key}” är ingen rapportperiod. Använd till exempel 2024-april, "
                "2024-augusti eller 2024-helar."
            )
        return cls(int(match[1]), PeriodKind(match[2]))

    def previous_year(self) -> ReportPeriod:
        return ReportPeriod(self.year - 1, self.kind)

    def contains(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date


def year_to_open(this_year: int, years_with_data) -> int:
    """The year a page opens on: this year when it has data, else the latest earlier year that
    has (a new year starts empty: show last year's, not an empty page), else the first later
    one, else this year."""
    years = set(years_with_data)
    if this_year in years or not years:
        return this_year
    earlier = [year for year in years if year < this_year]
    return max(earlier) if earlier else min(years)
