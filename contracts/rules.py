"""Pure contract rules: organisationsnummer, contract terms and extensions, expiry warnings and
the ordinarie/förenklad alternation. No Django, no database.

Errors are `RuleError` with a Swedish message; services turn them into ValidationErrors on the
field the user typed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WARNING_MONTHS = 12
MAX_TERM_YEARS = 20


class RuleError(ValueError):
    """Bad input for a contract rule; str(error) is a Swedish message."""


# --- Organisationsnummer ---------------------------------------------------------------------

ORG_NUMBER_EXAMPLE = "556036-0793"


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by Swedish person- and organisationsnummer: double every
    second digit from the left (for ten digits), sum the digits, the total ends in 0."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 1 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise_org_number(text: str) -> str:
    """ "5560360793" or "556036-0793" → "556036-0793". Empty stays empty. Raises RuleError for a
    wrong shape or a wrong check digit."""
    raw = (text or "").strip()
    if not raw:
        return ""
    if not re.fullmatch(r"\d{6}-?\d{4}", raw):
        raise RuleError(
            f"”{raw}” är inget organisationsnummer. Skriv tio siffror som {ORG_NUMBER_EXAMPLE}."
        )
    digits = raw.replace("-", "")
    if not luhn_valid(digits):
        raise RuleError(
            f"Organisationsnumret {digits[:6]}-{digits[6:]} har fel kontrollsiffra. "
            "Kontrollera att det är rätt avskrivet."
        )
    return f"{digits[:6]}-{digits[6:]}"


# --- Terms and extensions --------------------------------------------------------------------


@dataclass(frozen=True)
class TermPattern:
    """ "2+1+1": a base term of two years and two options of one year each."""

    base_years: int
    options: tuple[int, ...]

    def __str__(self) -> str:
        return "+".join(str(n) for n in (self.base_years, *self.options))

    @property
    def max_years(self) -> int:
        return self.base_years + sum(self.options)


def parse_term_pattern(text: str) -> TermPattern | None:
    """ "2+1+1" → TermPattern(2, (1, 1)); "" → None. Whole years, at least one option."""
    raw = (text or "").strip().replace(" ", "")
    if not raw:
        return None
    if not re.fullmatch(r"[1-9]\d?(\+[1-9]\d?)+", raw):
        raise RuleError(
            f"”{text.strip()}” är ingen förlängningsmodell. Skriv grundperiod och "
            "förlängningar i hela år med plustecken, till exempel 2+1+1."
        )
    numbers = [int(n) for n in raw.split("+")]
    pattern = TermPattern(numbers[0], tuple(numbers[1:]))
    if pattern.max_years > MAX_TERM_YEARS:
        raise RuleError(
            f"Förlängningsmodellen {pattern} ger {pattern.max_years} år, mer än "
            f"{MAX_TERM_YEARS} år."
        )
    return pattern


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_end(start: datetime.date, years: int) -> datetime.date:
    """Last day of a term of whole years: 2021-05-02 + 2 år → 2023-05-01."""
    return add_years(start, years) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


def check_base_term(start: datetime.date, end: datetime.date, pattern: TermPattern) -> None:
    """The contract's own end date must be the end of the pattern's base term."""
    expected = term_end(start, pattern.base_years)
    if end != expected:
        raise RuleError(
            f"Grundperioden i {pattern} är {pattern.base_years} år: med start "
            f"{start:%Y-%m-%d} ska avtalet sluta {expected:%Y-%m-%d}, inte {end:%Y-%m-%d}."
        )


def next_option_period(
    end: datetime.date, pattern: TermPattern, used: Sequence[Period]
) -> Period | None:
    """The period the next unused option would cover, or None when all are used."""
    if len(used) >= len(pattern.options):
        return None
    last_end = max([end, *(p.end for p in used)])
    start = last_end + datetime.timedelta(days=1)
    return Period(start, term_end(start, pattern.options[len(used)]))


def check_extension(
    end: datetime.date, pattern: TermPattern | None, used: Sequence[Period], new: Period
) -> None:
    """May `new` be recorded as the next used option? It must start the day after the current
    end (no overlap, no gap) and be no longer than the option allows."""
    if pattern is None:
        raise RuleError("Avtalet har ingen förlängningsmodell. Ange till exempel 2+1+1 först.")
    if new.end < new.start:
        raise RuleError("Förlängningens slutdatum kan inte ligga före startdatumet.")
    if len(used) >= len(pattern.options):
        raise RuleError(f"Alla förlängningar i {pattern} är redan utnyttjade.")
    base = Period(datetime.date.min, end)
    for earlier in (base, *used):
        if new.overlaps(earlier):
            what = "avtalets grundperiod" if earlier is base else f"förlängningen {earlier}"
            raise RuleError(f"Förlängningen {new} överlappar {what}.")
    last_end = max([end, *(p.end for p in used)])
    expected_start = last_end + datetime.timedelta(days=1)
    if new.start != expected_start:
        raise RuleError(
            "Förlängningen ska börja dagen efter att avtalet nu löper ut, "
            f"{expected_start:%Y-%m-%d}."
        )
    years = pattern.options[len(used)]
    longest = term_end(new.start, years)
    if new.end > longest:
        raise RuleError(
            f"Förlängning {len(used) + 1} i {pattern} är {years} år och kan gälla som längst "
            f"till {longest:%Y-%m-%d}."
        )


def current_end(end: datetime.date | None, used: Iterable[Period]) -> datetime.date | None:
    """The end including used extensions; None for an agreement that runs until further notice."""
    if end is None:
        return None
    return max([end, *(p.end for p in used)])


def latest_possible_end(
    end: datetime.date | None, pattern: TermPattern | None, used: Iterable[Period]
) -> datetime.date | None:
    """The end if every remaining option were used."""
    if end is None:
        return None
    used = list(used)
    last = current_end(end, used)
    if pattern is None:
        return last
    for years in pattern.options[len(used) :]:
        last = term_end(last + datetime.timedelta(days=1), years)
    return last


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def expires_soon(end: datetime.date | None, today: datetime.date) -> bool:
    """Ends within the warning horizon (12 months) from today, or has already ended."""
    return end is not None and end <= add_months(today, WARNING_MONTHS)


def needs_procurement_warning(
    end: datetime.date | None, today: datetime.date, procurement_planned: bool
) -> bool:
    """Warn when the contract (with used extensions) ends within 12 months and no new
    procurement is planned to replace it. An ended contract is history, not a warning."""
    return end is not None and today <= end and expires_soon(end, today) and not procurement_planned


def in_force_during(start: datetime.date, end: datetime.date | None, year: int) -> bool:
    """Does the contract run for at least one day of `year`?"""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return start <= last and (end is None or end >= first)


# --- Ordinarie / förenklad ---------------------------------------------------------------------

ORDINARY = "ordinarie"
SIMPLIFIED = "forenklad"


def propose_kind(previous_kind: str | None) -> str:
    """Ordinarie and förenklad alternate year by year; a contract never followed up before
    starts with an ordinarie follow-up."""
    if previous_kind == ORDINARY:
        return SIMPLIFIED
    return ORDINARY


def count_ratings(ratings: Iterable[str], scale: Sequence[str]) -> dict[str, int]:
    """How many items got each rating on the scale (in scale order), plus "" for unrated.
    Counts are always computed from the items, never typed."""
    counts = dict.fromkeys([*scale, ""], 0)
    for rating in ratings:
        counts[rating if rating in counts else ""] += 1
    return counts
