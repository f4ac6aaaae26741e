"""The start page's "Det här väntar på dig".

solna_sn knows none of the apps above it, so each app says what waits for a user in its own
<app>/worklist.py (found like admin.py is, see SolnaSnConfig.ready) by registering a provider:
`provider(user) -> list[Line]`. A provider runs on every start page view: it keeps to a small,
constant number of queries and returns nothing for users who have nothing to do there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# How many lines one provider shows of one kind; the rest is reached through the app.
MAX_LINES = 10


@dataclass(frozen=True)
class Line:
    text: str
    url: str
    kind: str
    detail: str = ""


Provider = Callable[[object], list[Line]]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register a provider (usable as a decorator). Registering the same one twice is a no-op."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def lines_for(user) -> list[Line]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    lines: list[Line] = []
    for provider in _providers:
        lines.extend(provider(user))
    return lines
