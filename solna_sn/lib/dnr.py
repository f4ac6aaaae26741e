"""Diarienummer such as SN/2024:81: the nämnd's prefix, the year the ärende was opened and a
running number. Pure, no Django."""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX_REGEX = r"[A-ZÅÄÖ]{2,5}"
DNR_REGEX = rf"{PREFIX_REGEX}/\d{{4}}:[1-9]\d{{0,5}}"
EXAMPLE = "SN/2024:81"


class DnrError(ValueError):
    """A malformed diarienummer; str(error) is a Swedish message."""


@dataclass(frozen=True, order=True)
class Dnr:
    prefix: str
    year: int
    number: int

    def __post_init__(self):
        if not isinstance(self.prefix, str) or not re.fullmatch(PREFIX_REGEX, self.prefix):
            raise DnrError(f"Prefixet ska vara 2–5 versaler, som SN i {EXAMPLE}.")
        if not isinstance(self.year, int) or not 1900 <= self.year <= 2999:
            raise DnrError(f"Året i diarienumret ska vara mellan 1900 och 2999 ({EXAMPLE}).")
        if not isinstance(self.number, int) or not 1 <= self.number <= 999_999:
            raise DnrError(f"Löpnumret ska vara mellan 1 och 999999 ({EXAMPLE}).")

    def __str__(self) -> str:
        return format_dnr(self.prefix, self.year, self.number)


def format_dnr(prefix: str, year: int, number: int) -> str:
    return f"{prefix}/{year}:{number}"


def parse_dnr(text: str) -> Dnr:
    """Parse "SN/2024:81" (prefix case-insensitive, surrounding spaces ignored)."""
    raw = (text or "").strip()
    if not raw:
        raise DnrError(f"Diarienummer saknas. Skriv det som {EXAMPLE}.")
    match = re.fullmatch(r"([^/\s]*)/([^:]*):(.*)", raw)
    if not match:
        raise DnrError(f"”{raw}” är inget diarienummer. Skriv det som {EXAMPLE}.")
    prefix, year, number = match[1].upper(), match[2], match[3]
    if not re.fullmatch(PREFIX_REGEX, prefix):
        raise DnrError(f"”{raw}”: prefixet ska vara 2–5 bokstäver, som SN i {EXAMPLE}.")
    if not re.fullmatch(r"\d{4}", year):
        raise DnrError(f"”{raw}”: året i diarienumret måste ha fyra siffror ({EXAMPLE}).")
    if number == "":
        raise DnrError(f"”{raw}”: löpnumret saknas efter kolon ({EXAMPLE}).")
    if not re.fullmatch(r"\d+", number):
        raise DnrError(f"”{raw}”: löpnumret får bara innehålla siffror ({EXAMPLE}).")
    if number.startswith("0"):
        raise DnrError(f"”{raw}”: löpnumret får inte börja med 0 ({EXAMPLE}).")
    if len(number) > 6:
        raise DnrError(f"”{raw}”: löpnumret är för långt ({EXAMPLE}).")
    return Dnr(prefix, int(year), int(number))
