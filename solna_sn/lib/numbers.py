"""Swedish number formats: "1 023", "138,2", "-43,3", "7,1 %". Pure, no Django.

Decimal throughout, never float arithmetic. Display rounding is half up (0,05 → 0,1), as in
printed Swedish reports; negative zero is never printed.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 6
# Thousands separators seen in real files: space, no-break space, narrow no-break, thin space.
GROUP_SEPARATORS = " \u00a0\u202f\u2009"
# Minus signs: hyphen-minus, U+2212 minus sign, en dash (Word's autocorrect).
MINUS_SIGNS = "-\u2212\u2013"

_SIGNS = re.escape("+" + MINUS_SIGNS)
_SEPARATORS = re.escape(GROUP_SEPARATORS)
_NUMBER = re.compile(
    rf"(?P<sign>[{_SIGNS}])?"
    rf"(?P<int>\d{{1,3}}(?:[{_SEPARATORS}]\d{{3}})+|\d+)"
    r"(?:,(?P<frac>\d+))?"
)


class NumberFormatError(ValueError):
    """Text that is not a Swedish number; str(error) is a Swedish message."""


def _to_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def format_number(value, decimals: int = 0) -> str:
    """1023 → "1 023"; Decimal("-43.25"), 1 → "-43,3"; None → ""."""
    if value is None:
        return ""
    number = _to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    integer, _, fraction = text.partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    result = sign + " ".join(groups)
    return f"{result},{fraction}" if fraction else result


def format_percent(value, decimals: int = 1) -> str:
    """Value already in percent: Decimal("7.1") → "7,1 %"."""
    if value is None:
        return ""
    return f"{format_number(value, decimals)} %"


def parse_number(
    text, *, max_digits: int | None = None, decimal_places: int | None = None
) -> Decimal:
    """Parse a Swedish number: "1 023", "138,2", "−43,3" (U+2212), "+5". Raises
    NumberFormatError with a Swedish message for anything else.

    `max_digits` and `decimal_places` are the limits of the column the value goes into (a
    DecimalField's); a value outside them gets a message instead of a database error. Numbers
    read from Excel arrive as int or float: infinity and NaN are refused."""
    if isinstance(text, bool):
        raise NumberFormatError("Ett sant/falskt-värde är inte ett tal.")
    if isinstance(text, float):
        if not math.isfinite(text):
            raise NumberFormatError("Värdet är inte ett tal (oändligt eller odefinierat).")
        text = Decimal(repr(text))
    if isinstance(text, int | Decimal):
        number = Decimal(text)
        if not number.is_finite():
            raise NumberFormatError("Värdet är inte ett tal (oändligt eller odefinierat).")
        return check_limits(number, max_digits=max_digits, decimal_places=decimal_places)
    if text is None or str(text).strip() == "":
        raise NumberFormatError("Värdet saknas.")
    raw = str(text).strip()
    match = _NUMBER.fullmatch(raw)
    if not match:
        raise NumberFormatError(_explain(raw))
    integer = re.sub(f"[{_SEPARATORS}]", "", match["int"])
    fraction = match["frac"] or ""
    if len(integer.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise NumberFormatError(f"Talet {raw} är för stort.")
    if len(fraction) > MAX_DECIMALS:
        raise NumberFormatError(f"Talet {raw} har för många decimaler (högst {MAX_DECIMALS}).")
    try:
        number = Decimal(f"{integer}.{fraction}" if fraction else integer)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise NumberFormatError(_explain(raw)) from None
    if match["sign"] and match["sign"] in MINUS_SIGNS:
        number = -number
    return check_limits(number, max_digits=max_digits, decimal_places=decimal_places)


def check_limits(
    number: Decimal, *, max_digits: int | None = None, decimal_places: int | None = None
) -> Decimal:
    """Refuse a number that does not fit a column of `max_digits` digits of which
    `decimal_places` after the comma (Swedish message); return it unchanged otherwise."""
    if not number.is_finite():
        raise NumberFormatError("Värdet är inte ett tal (oändligt eller odefinierat).")
    places = MAX_DECIMALS if decimal_places is None else decimal_places
    digits = MAX_INTEGER_DIGITS + places if max_digits is None else max_digits
    integer_digits = digits - places
    whole = abs(number).to_integral_value(rounding=ROUND_DOWN)
    if whole and whole.adjusted() + 1 > integer_digits:
        largest = Decimal(10) ** integer_digits - 1
        raise NumberFormatError(
            f"Talet är för stort: högst {format_number(largest)} "
            f"({integer_digits} siffror före decimalkommat)."
        )
    if _places(number) > places:
        if places == 0:
            raise NumberFormatError("Ange ett heltal, utan decimaler.")
        unit = "decimal" if places == 1 else "decimaler"
        raise NumberFormatError(f"Talet har för många decimaler (högst {places} {unit}).")
    return number


def _explain(raw: str) -> str:
    if re.fullmatch(rf"[{_SIGNS}]?\d+\.\d+", raw):
        return f"Använd decimalkomma: {raw.replace('.', ',')} i stället för {raw}."
    if raw.count(",") > 1:
        return f"”{raw}” har mer än ett decimalkomma."
    if re.fullmatch(rf"[{_SIGNS}\d,{_SEPARATORS}]+", raw) and re.search(r"\d", raw):
        return (
            f"”{raw}” är inte ett tal: mellanslag får bara skilja tusental "
            "(1 023), och ett decimalkomma måste följas av siffror."
        )
    return f"”{raw}” är inte ett tal."


def parse_integer(text) -> int:
    """Like parse_number, but the value must be whole ("12,0" is 12)."""
    number = parse_number(text)
    if number != number.to_integral_value():
        raise NumberFormatError(f"{format_number(number, _places(number))} är inte ett heltal.")
    return int(number)


def parse_percent(text) -> Decimal:
    """ "7,1 %", "7,1%" or "7,1" → Decimal("7.1")."""
    if isinstance(text, str):
        text = text.strip()
        if text.endswith("%"):
            text = text[:-1].rstrip()
    return parse_number(text)


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def plural(count, singular: str, plural_form: str) -> str:
    """The Swedish noun for `count` things: 1 → `singular`, anything else (0, 2, 1,5, -3) →
    `plural_form`. plural(1, "sida", "sidor") → "sida"."""
    return singular if count is not None and _to_decimal(count) == 1 else plural_form


def format_count(count, singular: str, plural_form: str) -> str:
    """A count with its noun in Swedish: 1 → "1 sida", 2 → "2 sidor", 1200 → "1 200 sidor"."""
    return f"{format_number(count)} {plural(count, singular, plural_form)}"
