"""Plain text as staff write it (no markup) → blocks for the memo template. Pure, no Django.

Rules: a blank line starts a new paragraph; lines starting with "- ", "– ", "• " or "* " form a
bullet list; lines starting with "1. " or "1) " form a numbered list that keeps the typed
numbers; other consecutive lines form one paragraph whose line breaks are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BULLET = re.compile(r"^\s*[-–•*]\s+(?P<text>.+)$")
_NUMBERED = re.compile(r"^\s*(?P<number>\d{1,3})[.)]\s+(?P<text>.+)$")


@dataclass
class Block:
    kind: str  # "paragraph", "bullets" or "numbered"
    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def numbered_lines(self) -> list[tuple[int, str]]:
        return list(zip(self.numbers, self.lines, strict=True))


def blocks(text: str) -> list[Block]:
    result: list[Block] = []
    current: Block | None = None
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            current = None
            continue
        if bullet := _BULLET.match(line):
            kind, content, number = "bullets", bullet["text"].strip(), 0
        elif numbered := _NUMBERED.match(line):
            kind, content, number = "numbered", numbered["text"].strip(), int(numbered["number"])
        else:
            kind, content, number = "paragraph", line, 0
        if current is None or current.kind != kind:
            current = Block(kind)
            result.append(current)
        current.lines.append(content)
        if kind == "numbered":
            current.numbers.append(number)
    return result


def is_blank(text: str) -> bool:
    return not blocks(text)
