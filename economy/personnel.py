"""Personnel key figures: Förändring and its checks. Pure, no Django.

Förändring in the personnel table is this year − last year (unlike the VP's budget
Förändring). It is printed only when the comparison is like for like: the comparison period
is the measured period one year earlier. The 2024 HME survey was made in the spring and is
compared with the autumn 2022 survey, so its Förändring is blank.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from solna_sn.lib.numbers import format_number


def one_year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def comparable(
    measured: tuple[datetime.date, datetime.date], compared: tuple[datetime.date, datetime.date]
) -> bool:
    return compared == (one_year_earlier(measured[0]), one_year_earlier(measured[1]))


@dataclass(frozen=True)
class PersonnelLine:
    label: str
    decimals: int
    value: Decimal | None
    comparison: Decimal | None
    given_change: Decimal | None
    measured: tuple[datetime.date, datetime.date]
    compared: tuple[datetime.date, datetime.date]

    @property
    def comparable(self) -> bool:
        return comparable(self.measured, self.compared)

    @property
    def computed_change(self) -> Decimal | None:
        if not self.comparable or self.value is None or self.comparison is None:
            return None
        return self.value - self.comparison

    @property
    def change(self) -> Decimal | None:
        """The printed Förändring: the given one, else the computed one."""
        return self.given_change if self.given_change is not None else self.computed_change

    @property
    def warnings(self) -> list[str]:
        warnings = []
        unit = Decimal(1).scaleb(-self.decimals)
        computed = self.computed_change
        if self.given_change is not None:
            if not self.comparable:
                warnings.append(
                    f"{self.label}: förändringen {format_number(self.given_change, self.decimals)}"
                    " jämför olika perioder (jämförelseperioden är inte samma period året före)."
                )
            elif computed is not None and abs(computed - self.given_change) > unit:
                warnings.append(
                    f"{self.label}: angiven förändring "
                    f"{format_number(self.given_change, self.decimals)} men "
                    f"{format_number(self.value, self.decimals)} − "
                    f"{format_number(self.comparison, self.decimals)} ger "
                    f"{format_number(computed, self.decimals)}."
                )
        return warnings


def parts_warning(
    label: str, total: Decimal | None, parts: list[tuple[str, Decimal | None]], decimals: int
) -> str:
    """ "varav kvinnor" + "varav män" should make "Antal anställda"; a warning if not."""
    if total is None or any(value is None for _, value in parts):
        return ""
    summed = sum((value for _, value in parts), Decimal(0))
    if summed == total:
        return ""
    names = " + ".join(name.lstrip("- ").strip() for name, _ in parts)
    return (
        f"{label}: {format_number(total, decimals)}, men {names} är "
        f"{format_number(summed, decimals)}."
    )
