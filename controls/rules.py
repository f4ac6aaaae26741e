"""Pure rules of internal control: risk scoring, control months, deviation percentages.

No database access here; the services call these and the tests exercise them directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from solna_sn.lib.periods import MONTH_NAMES

# Risk bands on the index (shares of the maximum), so a 1–4 scale and a 1–5 scale read alike.
BAND_LABELS = {"low": "Låg", "medium": "Medel", "high": "Hög"}


class RuleError(ValueError):
    """A value breaks a rule; str() is the Swedish message for the user, `field` the input
    it is about when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def check_factor(value: int | None, scale_max: int, name: str, field: str | None = None) -> None:
    if value is None:
        return
    if not 1 <= value <= scale_max:
        raise RuleError(f"{name} ska vara ett heltal från 1 till {scale_max}.", field)


def risk_index(
    *, likelihood: int | None, consequence: int | None, index: int | None, scale_max: int
) -> int:
    """The riskindex to store: sannolikhet × konsekvens when both are known; otherwise the
    given index, which must lie on the scale (1 … scale_max²). A given index must agree with
    given factors."""
    check_factor(likelihood, scale_max, "Sannolikhet", "likelihood")
    check_factor(consequence, scale_max, "Konsekvens", "consequence")
    top = scale_max * scale_max
    if (likelihood is None) != (consequence is None):
        missing = "konsekvens" if consequence is None else "sannolikhet"
        raise RuleError(
            f"Ange även {missing}, eller lämna båda tomma och ange bara riskindex.",
            "consequence" if consequence is None else "likelihood",
        )
    if likelihood is not None:
        product = likelihood * consequence
        if index is not None and index != product:
            raise RuleError(
                f"Riskindex {index} stämmer inte med sannolikhet × konsekvens "
                f"({likelihood} × {consequence} = {product}).",
                "risk_index",
            )
        return product
    if index is None:
        raise RuleError("Ange riskindex, eller sannolikhet och konsekvens.", "risk_index")
    if not 1 <= index <= top:
        raise RuleError(
            f"Riskindex ska ligga mellan 1 och {top} på nämndens skala 1–{scale_max}.",
            "risk_index",
        )
    if not possible_index(index, scale_max):
        raise RuleError(
            f"Riskindex {index} kan inte bildas som sannolikhet × konsekvens på skalan "
            f"1–{scale_max}.",
            "risk_index",
        )
    return index


def possible_index(index: int, scale_max: int) -> bool:
    return any(index % a == 0 and 1 <= index // a <= scale_max for a in range(1, scale_max + 1))


def band(index: int, scale_max: int) -> str:
    """low / medium / high: from 40 % of the scale's top index high (10 of 25, 7 of 16), from
    20 % medium (5 of 25, 4 of 16), below that low."""
    top = scale_max * scale_max
    if index * 5 >= top * 2:
        return "high"
    if index * 5 >= top:
        return "medium"
    return "low"


def band_label(index: int, scale_max: int) -> str:
    return BAND_LABELS[band(index, scale_max)]


# --- Control months ---------------------------------------------------------------------------

_MONTH_LOOKUP = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}


def check_months(months) -> list[int]:
    """A sorted list of distinct months 1–12."""
    result = set()
    for month in months:
        try:
            number = int(month)
        except (TypeError, ValueError):
            raise RuleError(f"Kontrollmånaden ”{month}” är inte ett tal från 1 till 12.") from None
        if not 1 <= number <= 12:
            raise RuleError(f"Kontrollmånaden {number} finns inte; ange 1–12.")
        result.add(number)
    return sorted(result)


def months_in_text(text: str) -> list[int]:
    """Month names mentioned in a "hur och när" text: "… i april och oktober." → [4, 10]."""
    words = re.findall(r"[a-zåäö]+", (text or "").lower())
    return sorted({_MONTH_LOOKUP[word] for word in words if word in _MONTH_LOOKUP})


SAMPLE_SIZE_MAX = 100_000
SAMPLE_SIZE_MESSAGE = "Stickprovet kan omfatta högst 100 000 ärenden."


def sample_size_in_text(text: str) -> int | None:
    """ "Stickprov om 5 förhandsbedömningar" → 5. A number too long to be a count reads as
    10**18, which every check then refuses as too large."""
    match = re.search(r"stickprov\s+om\s+(\d+)", (text or "").lower())
    if not match:
        return None
    digits = match.group(1)
    return int(digits) if len(digits) <= 18 else 10**18


def month_list(months: list[int]) -> str:
    """[4, 10] → "april och oktober"."""
    names = [MONTH_NAMES[m - 1] for m in months]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


# --- Result figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    population: int
    checked: int | None
    deviations: int

    @property
    def base(self) -> int:
        """What the deviations are a share of: the checked cases, or the whole population."""
        return self.checked if self.checked is not None else self.population


# One wording for the three figures, in the form, the page, the help text and the messages:
# the whole group, the part of it that was checked (a sample; empty = all of it), and the
# deviations found among those checked.
POPULATION = "Totalt antal"
CHECKED = "Varav kontrollerade"
DEVIATIONS = "Antal avvikelser"


def check_figures(population, checked, deviations) -> Figures:
    for name, value in ((POPULATION, population), (DEVIATIONS, deviations)):
        if value is None:
            raise RuleError(f"Ange {name.lower()}.")
    for name, value in ((POPULATION, population), (CHECKED, checked), (DEVIATIONS, deviations)):
        if value is not None and value < 0:
            raise RuleError(f"{name} kan inte vara negativt.")
    if checked is not None and checked > population:
        raise RuleError(
            f"{CHECKED} ({checked}) kan inte vara fler än {POPULATION.lower()} ({population})."
        )
    figures = Figures(population, checked, deviations)
    if deviations > figures.base:
        what = "de kontrollerade" if checked is not None else POPULATION.lower()
        raise RuleError(
            f"{DEVIATIONS} ({deviations}) kan inte vara fler än {what} ({figures.base})."
        )
    return figures


def deviation_percent(figures: Figures) -> Decimal | None:
    """Deviations as a percentage of the base, unrounded (printing rounds); None for n = 0."""
    if figures.base == 0:
        return None
    return Decimal(figures.deviations) * 100 / Decimal(figures.base)


def rounded_percent(value: Decimal | None, places: int = 1) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
